"""``childsafe serve``, ``childsafe keys ...``, ``childsafe audit verify`` and ``childsafe webhooks ...``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from childsafe.cli.common import DataDir, JsonFlag, resolve_data_dir

Database = Annotated[
    Optional[str],
    typer.Option("--database", help="postgresql://... to use PostgreSQL instead of SQLite in the data directory",
                 envvar="CHILDSAFE_DATABASE_URL"),
]

keys_app = typer.Typer(help="API keys: make, list and revoke scoped keys.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
webhooks_app = typer.Typer(help="Webhooks the service sends to the platform.", no_args_is_help=True)


def _open(data_dir: Path | None, database: str | None):
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from childsafe.errors import InvalidInput
    from childsafe.store import open_database

    if database and not database.startswith(("postgresql", "sqlite")):
        raise InvalidInput(f"--database must be a postgresql:// (or sqlite://) URL, not {database.split(':')[0]}://",
                           code="bad_database_url")
    try:
        return open_database(None if database else resolve_data_dir(data_dir), database)
    except (OperationalError, ArgumentError, NoSuchModuleError) as exc:
        where = database.split("@")[-1] if database else str(data_dir)
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise InvalidInput(f"cannot open the database at {where}: {reason}", code="database_unreachable") from None


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    data_dir: DataDir = None,
    database: Database = None,
    workers: Annotated[int, typer.Option(help="Worker processes (each runs its own webhook worker)")] = 1,
    settings_file: Annotated[Optional[Path], typer.Option("--settings", help="YAML/JSON settings file")] = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning, error")] = "info",
) -> None:
    """Run the HTTP service (FastAPI on uvicorn). Logs are JSON lines on stderr."""
    import os

    import uvicorn

    from childsafe.service import keys as keymod
    from childsafe.service.logs import log_config
    from childsafe.service.settings import load_settings

    directory = resolve_data_dir(data_dir)
    settings = load_settings(settings_file, data_dir=directory, database_url=database, host=host, port=port)
    db = _open(directory, database)
    with db.session() as s:
        has_keys = keymod.count_keys(s) > 0
    db.dispose()
    if not has_keys:
        where = f"--database '{database}'" if database else f"--data-dir {directory}"
        typer.echo(
            "childsafe: no API keys yet. Make the first one (it is printed once) with:\n"
            f"  childsafe keys create --scopes ingest,moderate,admin,audit --name first {where}\n",
            err=True,
        )
    os.environ["CHILDSAFE_DATA_DIR"] = str(directory)
    if database:
        os.environ["CHILDSAFE_DATABASE_URL"] = database
    if settings_file:
        os.environ["CHILDSAFE_SETTINGS_FILE"] = str(settings_file)
    typer.echo(f"childsafe: serving on http://{host}:{port} (docs at /docs)", err=True)
    # Several workers: /metrics adds up all of them through files in a folder of their own (set
    # before the workers start, so each one opens its metrics in multi-process mode).
    from childsafe.service.metrics import MULTIPROC_ENV

    metrics_dir = None
    if workers > 1 and not os.environ.get(MULTIPROC_ENV):
        import tempfile

        metrics_dir = tempfile.mkdtemp(prefix="childsafe-metrics-")
        os.environ[MULTIPROC_ENV] = metrics_dir
    try:
        uvicorn.run(
            "childsafe.service.asgi:app",
            host=host,
            port=port,
            workers=workers,
            log_config=log_config(log_level.upper()),
            log_level=log_level,
            access_log=settings.access_log,
            loop="uvloop",
            http="httptools",
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=10,
        )
    finally:
        if metrics_dir is not None:
            import shutil

            shutil.rmtree(metrics_dir, ignore_errors=True)


@keys_app.command("create")
def keys_create(
    scopes: Annotated[str, typer.Option(help="Comma-separated: ingest, moderate, admin, audit")],
    name: Annotated[str, typer.Option(help="A label, e.g. the system that uses the key")] = "",
    data_dir: DataDir = None,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Make an API key. The key is printed once; only its SHA-256 is stored."""
    from childsafe.service import audit, keys

    db = _open(data_dir, database)
    with db.session() as s:
        key, row = keys.create_key(s, keys.parse_scopes(scopes), name)
        audit.record(s, "cli", "key.create", f"key:{row.prefix}", {"scopes": row.scopes.split(","), "name": name})
        info = keys.key_to_dict(row)
    if as_json:
        typer.echo(json.dumps({"key": key, **info}))
    else:
        typer.echo(key)
        typer.echo(f"(prefix {info['prefix']}, scopes {','.join(info['scopes'])}; store it now, it is not shown again)", err=True)


@keys_app.command("list")
def keys_list(data_dir: DataDir = None, database: Database = None, as_json: JsonFlag = False) -> None:
    """List keys (prefix, name, scopes, created, revoked); never the keys themselves."""
    from childsafe.service import keys

    db = _open(data_dir, database)
    with db.session() as s:
        rows = [keys.key_to_dict(r) for r in keys.list_keys(s)]
    for r in rows:
        if as_json:
            typer.echo(json.dumps(r))
        else:
            state = f"revoked {r['revoked_at']}" if r["revoked_at"] else "active"
            typer.echo(f"{r['prefix']}  {','.join(r['scopes']):<28} {state:<10} {r['name']}")


@keys_app.command("revoke")
def keys_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix (from keys list) or the key itself")],
    data_dir: DataDir = None,
    database: Database = None,
) -> None:
    """Revoke a key; it stops working within a few seconds in every running server."""
    from childsafe.service import audit, keys

    db = _open(data_dir, database)
    with db.session() as s:
        row = keys.revoke_key(s, prefix)
        audit.record(s, "cli", "key.revoke", f"key:{row.prefix}")
    typer.echo(f"revoked {row.prefix}")


@audit_app.command("verify")
def audit_verify(data_dir: DataDir = None, database: Database = None, as_json: JsonFlag = False) -> None:
    """Check the audit chain; exits 1 and names each changed or missing entry."""
    from childsafe.service import audit

    db = _open(data_dir, database)
    with db.sessions() as s:
        count, problems = audit.verify(s)
    if as_json:
        typer.echo(json.dumps({"entries": count, "ok": not problems, "problems": [
            {"seq": p.seq, "problem": p.problem} for p in problems]}))
    elif problems:
        for p in problems:
            typer.echo(f"audit: {p}", err=True)
    else:
        typer.echo(f"audit log intact: {count} entries")
    if problems:
        raise typer.Exit(1)


@webhooks_app.command("secret")
def webhooks_secret(data_dir: DataDir = None, database: Database = None) -> None:
    """Print the secret that signs webhooks (made once and kept in the database when
    CHILDSAFE_WEBHOOK_SECRET is not set); the platform verifies signatures with it. The read is audited."""
    from childsafe.service import audit
    from childsafe.service.outbox import webhook_secret
    from childsafe.service.settings import load_settings

    configured = load_settings().webhook_secret
    db = _open(data_dir, database)
    with db.session() as s:
        secret = webhook_secret(s, configured)
        audit.record(s, "cli", "webhook_secret.read", "webhooks", {"configured": bool(configured)})
    typer.echo(secret)


@webhooks_app.command("failed")
def webhooks_failed(
    limit: Annotated[int, typer.Option(help="At most this many (1 to 1000)")] = 50,
    after: Annotated[Optional[int], typer.Option(help="The cursor a previous page printed, for the next page")] = None,
    data_dir: DataDir = None,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """List webhooks given up after CHILDSAFE_WEBHOOK_MAX_ATTEMPTS (oldest first): event id, type,
    attempts, last error, created. Payloads are never shown. Redeliver them with `webhooks redeliver`."""
    from childsafe.service import outbox
    from childsafe.service.settings import load_settings

    max_attempts = load_settings().webhook_max_attempts
    db = _open(data_dir, database)
    with db.sessions() as s:
        page = outbox.list_failed(s, max_attempts, limit=limit, after=after)
    for e in page.events:
        if as_json:
            typer.echo(json.dumps(e.to_dict()))
        else:
            d = e.to_dict()
            typer.echo(f"{d['event_id']}  {d['event_type']:<14} attempts {d['attempts']:<3} {d['created_at']}  "
                       f"{d['last_error'] or ''}")
    if not page.events and not as_json:
        typer.echo("no failed webhooks", err=True)
    if page.next_after is not None:
        typer.echo(f"(more: --after {page.next_after})", err=True)


@webhooks_app.command("redeliver")
def webhooks_redeliver(
    event_ids: Annotated[Optional[list[str]], typer.Argument(help="Event ids (the webhook-id) to queue again")] = None,
    all_failed: Annotated[bool, typer.Option("--all-failed", help="Queue every failed webhook again")] = False,
    data_dir: DataDir = None,
    database: Database = None,
    as_json: JsonFlag = False,
) -> None:
    """Queue webhooks again with the same webhook-id and payload (a running server delivers them within
    a second); unknown and already delivered ids are reported. Each redelivery is audited. Exits 1
    when an id was unknown (the others are still queued), so a mistyped id does not pass unnoticed."""
    from childsafe.service import outbox
    from childsafe.service.settings import load_settings

    if not event_ids and not all_failed:
        from childsafe.errors import InvalidInput

        raise InvalidInput("give the event ids to redeliver, or --all-failed", code="bad_redelivery")
    max_attempts = load_settings().webhook_max_attempts
    db = _open(data_dir, database)
    with db.session() as s:
        result = outbox.redeliver(s, max_attempts, event_ids or None, all_failed=all_failed, actor="cli")
    if as_json:
        typer.echo(json.dumps(result.to_dict()))
    else:
        for label, ids in (("queued", result.queued), ("unknown", result.unknown),
                           ("already delivered", result.already_delivered), ("in flight", result.in_flight)):
            for event_id in ids:
                typer.echo(f"{label}  {event_id}")
        if not result.queued and all_failed:
            typer.echo("no failed webhooks", err=True)
    if result.unknown:
        typer.echo(f"error: {len(result.unknown)} unknown event id(s): {', '.join(result.unknown[:5])}", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")
    app.add_typer(audit_app, name="audit")
    app.add_typer(webhooks_app, name="webhooks")
