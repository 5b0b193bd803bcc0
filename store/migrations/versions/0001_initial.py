"""Initial schema: versions and contents, gemeente settings, decision log, tokens, users.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "contents",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ruleset", sa.String(200), nullable=False),
        sa.Column("gemeente", sa.String(100), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("hash", sa.String(64), sa.ForeignKey("contents.hash"), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("metadata_json", sa.Text, nullable=False),
        sa.Column("council_decision", sa.Text, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("published_at", TS, nullable=False),
        sa.Column("approved_by", sa.String(200), nullable=True),
        sa.Column("approved_at", TS, nullable=True),
        sa.Column("withdrawn_by", sa.String(200), nullable=True),
        sa.Column("withdrawn_at", TS, nullable=True),
        sa.Column("withdraw_reason", sa.Text, nullable=True),
        sa.UniqueConstraint("ruleset", "hash", name="uq_versions_ruleset_hash"),
    )
    op.create_index("ix_versions_ruleset_valid_from", "versions", ["ruleset", "valid_from"])
    op.create_index("ix_versions_hash", "versions", ["hash"])
    op.create_table(
        "gemeente_settings",
        sa.Column("gemeente", sa.String(100), primary_key=True),
        sa.Column("four_eyes", sa.Boolean, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("decision_id", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("ruleset", sa.String(200), nullable=True),
        sa.Column("version", sa.String(64), nullable=True),
        sa.Column("record_json", sa.Text, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_decisions_ruleset_created", "decisions", ["ruleset", "created_at"])
    op.create_index("ix_decisions_created", "decisions", ["created_at"])
    op.create_table(
        "decision_rules",
        sa.Column("seq", sa.BigInteger, sa.ForeignKey("decisions.seq", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("table_name", sa.String(200), nullable=True),
        sa.Column("rule", sa.String(100), nullable=True),
    )
    op.create_index("ix_decision_rules_rule", "decision_rules", ["rule"])
    log_head = op.create_table(
        "log_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(log_head, [{"id": 1, "seq": 0, "hash": "0" * 64}])
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
    )
    op.create_index("ix_tokens_name", "tokens", ["name"])
    op.create_table(
        "users",
        sa.Column("username", sa.String(100), primary_key=True),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    for name in ("users", "tokens", "log_head", "decision_rules", "decisions", "gemeente_settings", "versions",
                 "contents"):
        op.drop_table(name)
