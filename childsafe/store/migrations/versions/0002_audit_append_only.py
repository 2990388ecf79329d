"""the audit log refuses UPDATE and DELETE in the database itself

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER service_audit_log_no_{verb.lower()} BEFORE {verb} ON service_audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
    else:
        op.execute(
            "CREATE OR REPLACE FUNCTION service_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER service_audit_log_append_only BEFORE UPDATE OR DELETE ON service_audit_log "
            "FOR EACH ROW EXECUTE FUNCTION service_audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS service_audit_log_no_{verb}")
    else:
        op.execute("DROP TRIGGER IF EXISTS service_audit_log_append_only ON service_audit_log")
        op.execute("DROP FUNCTION IF EXISTS service_audit_log_append_only()")
