"""The ASGI entry point uvicorn imports in each worker: settings come from ``CHILDSAFE_`` variables
(``childsafe serve`` sets them from its flags); uvicorn applies the JSON log configuration."""

from childsafe.service.app import create_app

app = create_app()
