"""Decision log: one signature per commit batch; a version counter for caches of the version in force.

Revision ID: 0003_log
Revises: 0001
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_log"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "log_signatures",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("signed_at", TS, nullable=False),
    )
    state = op.create_table(
        "store_state",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("counter", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(state, [{"key": "versions", "counter": 0}])
    # every change to versions raises the counter, whichever process or server made it
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION regelbank_versions_changed() RETURNS trigger AS $$ BEGIN "
                   "UPDATE store_state SET counter = counter + 1 WHERE key = 'versions'; RETURN NULL; END; "
                   "$$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER versions_changed AFTER INSERT OR UPDATE OR DELETE ON versions "
                   "FOR EACH STATEMENT EXECUTE FUNCTION regelbank_versions_changed()")
    else:
        for event in EVENTS:
            op.execute(f"CREATE TRIGGER versions_changed_{event.lower()} AFTER {event} ON versions BEGIN "
                       "UPDATE store_state SET counter = counter + 1 WHERE key = 'versions'; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS versions_changed ON versions")
        op.execute("DROP FUNCTION IF EXISTS regelbank_versions_changed()")
    else:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS versions_changed_{event.lower()}")
    op.drop_table("store_state")
    op.drop_table("log_signatures")
