"""Shared makers for the console tests: benign drawn images and cases like the service opens."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

from PIL import Image, ImageDraw


def drawn_png(seed: int = 0, size: int = 256) -> bytes:
    """A benign picture drawn in the test: coloured shapes on a gradient."""
    img = Image.new("RGB", (size, size))
    d = ImageDraw.Draw(img)
    for y in range(size):
        d.line([(0, y), (size, y)], fill=((y * 3 + seed * 40) % 256, (y + seed * 90) % 256, 200 - y // 2))
    d.ellipse([40 + seed * 5, 40, 200, 180], fill=(250, 210, 40), outline=(0, 0, 0), width=4)
    d.rectangle([20, 170, 120 + seed * 7, 240], fill=(30, 120 + seed * 10 % 100, 60))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def grooming_case(session, *, case_id: str = "case_conv", user: str = "user_sam", priority: str = "high",
                  opened_at: datetime | None = None):
    """A conversation case with kept message text, as the service opens one (tactics, no sexual content)."""
    from childsafe.cases import open_case
    from childsafe.service.models import MessageText

    now = opened_at or datetime.now(timezone.utc)
    cid = f"conv_{case_id}"
    texts = [("m1", user, "hey you seem really mature for your age"),
             ("m2", "user_kid", "thanks i guess"),
             ("m3", user, "don't tell your parents we talk, this is just for us"),
             ("m4", user, "let's move to another app, what school do you go to?")]
    for n, (mid, sender, text) in enumerate(texts):
        session.add(MessageText(conversation_id=cid, message_id=mid, sender_id=sender,
                                sent_at=(now + timedelta(seconds=n)).isoformat(), text=text, stored_at=now))
    return open_case(session, case_id=case_id, trigger_kind="conversation", reason="conversation reached high risk (secrecy)",
                     evidence=[{"kind": "message", "conversation_id": cid, "message_id": "m3"}],
                     priority=priority, subject_user_id=user, conversation_id=cid, opened_at=opened_at)


PG_ADMIN_URL = __import__("os").environ.get("CHILDSAFE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def fresh_postgres() -> tuple[str, object] | None:
    """A new, uniquely named PostgreSQL database (url, drop callback), or None when PostgreSQL is unreachable."""
    import uuid

    try:
        import psycopg

        name = f"childsafe_console_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception:
        return None

    def drop() -> None:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, drop
