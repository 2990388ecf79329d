"""The review console: server-rendered pages for people with the ``moderate`` scope (see routers/console.py)."""
