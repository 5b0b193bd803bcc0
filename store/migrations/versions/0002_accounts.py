"""Accounts: tokens belong to a user, users and tokens can be disabled, server-side sessions, login throttling.

Revision ID: 0002_accounts
Revises: 0001
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_accounts"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("owner", sa.String(100), nullable=True))
        batch.add_column(sa.Column("disabled_at", TS, nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("disabled_at", TS, nullable=True))
        batch.add_column(sa.Column("password_changed_at", TS, nullable=True))
    op.create_table(
        "sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("ended_at", TS, nullable=True),
        sa.Column("address", sa.String(64), nullable=True),
    )
    op.create_index("ix_sessions_username", "sessions", ["username"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failure", TS, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    op.drop_index("ix_sessions_username", "sessions")
    op.drop_table("sessions")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_changed_at")
        batch.drop_column("disabled_at")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("disabled_at")
        batch.drop_column("owner")
