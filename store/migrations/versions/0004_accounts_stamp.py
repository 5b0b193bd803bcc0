"""A counter that every change to tokens or users raises, so the API can cache verified tokens exactly.

Revision ID: 0004_accounts_stamp
Revises: 0003_log
Create Date: 2026-12-01

Like the 'versions' counter (0003): a trigger raises it on every insert, update or delete of a token
or a user, whichever process or server made it. The API keeps a verified token's principal while the
counter stands still and drops every cached token when it moves, so revoking or disabling a token,
or disabling its owner, still takes effect on the next request everywhere.
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_accounts_stamp"
down_revision = "0003_log"
branch_labels = None
depends_on = None

TABLES = ("tokens", "users")
EVENTS = ("INSERT", "UPDATE", "DELETE")
BUMP = "UPDATE store_state SET counter = counter + 1 WHERE key = 'accounts';"


def upgrade() -> None:
    state = sa.table("store_state", sa.column("key", sa.String), sa.column("counter", sa.BigInteger))
    op.bulk_insert(state, [{"key": "accounts", "counter": 0}])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION regelbank_accounts_changed() RETURNS trigger AS $$ BEGIN "
                   f"{BUMP} RETURN NULL; END; $$ LANGUAGE plpgsql")
        for table in TABLES:
            op.execute(f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION regelbank_accounts_changed()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"CREATE TRIGGER {table}_changed_{event.lower()} AFTER {event} ON {table} BEGIN {BUMP} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
        op.execute("DROP FUNCTION IF EXISTS regelbank_accounts_changed()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_changed_{event.lower()}")
    op.execute("DELETE FROM store_state WHERE key = 'accounts'")
