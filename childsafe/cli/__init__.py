"""The ``childsafe`` command: a thin layer over the library.

Each part of the domain registers its commands from its own module in this package
(``media``, ``banks``, ``chat``, ``policy``, ``service``, ``live``, ...), so the tree
says where a command lives. Errors the library raises on purpose (:class:`ChildsafeError`)
become one clear line on stderr and exit status 2; nothing prints a traceback for bad input.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

from childsafe.errors import ChildsafeError

app = typer.Typer(
    name="childsafe",
    help="childsafe: known-media matching, grooming detection, child nudges and safety-by-default policy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES = ["media", "banks", "chat", "policy", "service", "live", "cases"]


def _register_all() -> None:
    for name in COMMAND_MODULES:
        module_name = f"childsafe.cli.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(app)


@app.command("version")
def version() -> None:
    """Print the childsafe version."""
    from childsafe import __version__

    typer.echo(__version__)


_register_all()


def fail(message: str, code: int = 2) -> "typer.Exit":
    """Print one error line to stderr and return an Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def main() -> None:
    try:
        app()
    except ChildsafeError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line unless debugging
        if os.environ.get("CHILDSAFE_DEBUG"):
            raise
        typer.echo(f"internal error: {type(exc).__name__}: {exc} (set CHILDSAFE_DEBUG=1 for a traceback)", err=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
