"""Table definitions (SQLAlchemy Core). The migrations in store/migrations/versions create them.

Keep this module and the migrations in step: a new column means a new migration script.
"""

from __future__ import annotations

import datetime as _dt

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

GENESIS_HASH = "0" * 64


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no time zones, so the value is stored as naive UTC
    and given back its UTC zone when read.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, _dt.datetime):
            raise TypeError("UTCDateTime verwacht een datetime")
        if value.tzinfo is None:
            raise ValueError("UTCDateTime verwacht een datetime met tijdzone")
        value = value.astimezone(_dt.timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=_dt.timezone.utc)
        return value.astimezone(_dt.timezone.utc)


metadata = sa.MetaData()

contents = sa.Table(
    "contents",
    metadata,
    sa.Column("hash", sa.String(64), primary_key=True),  # sha256 hex of data
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

versions = sa.Table(
    "versions",
    metadata,
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
    sa.Column("status", sa.String(16), nullable=False),  # active | pending | withdrawn
    sa.Column("published_at", UTCDateTime, nullable=False),
    sa.Column("approved_by", sa.String(200), nullable=True),
    sa.Column("approved_at", UTCDateTime, nullable=True),
    sa.Column("withdrawn_by", sa.String(200), nullable=True),
    sa.Column("withdrawn_at", UTCDateTime, nullable=True),
    sa.Column("withdraw_reason", sa.Text, nullable=True),
    sa.UniqueConstraint("ruleset", "hash", name="uq_versions_ruleset_hash"),
    sa.Index("ix_versions_ruleset_valid_from", "ruleset", "valid_from"),
    sa.Index("ix_versions_hash", "hash"),
)

gemeente_settings = sa.Table(
    "gemeente_settings",
    metadata,
    sa.Column("gemeente", sa.String(100), primary_key=True),
    sa.Column("four_eyes", sa.Boolean, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("decision_id", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("ruleset", sa.String(200), nullable=True),
    sa.Column("version", sa.String(64), nullable=True),
    sa.Column("record_json", sa.Text, nullable=False),  # canonical JSON, hashed as stored
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
    sa.Index("ix_decisions_ruleset_created", "ruleset", "created_at"),
    sa.Index("ix_decisions_created", "created_at"),
)

# search index over the fired rules of each decision (derived from record_json; verify_log checks it)
decision_rules = sa.Table(
    "decision_rules",
    metadata,
    sa.Column("seq", sa.BigInteger, sa.ForeignKey("decisions.seq", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("table_name", sa.String(200), nullable=True),
    sa.Column("rule", sa.String(100), nullable=True),
    sa.Index("ix_decision_rules_rule", "rule"),
)

# one row (id = 1): the last record of the chain; appends lock it, verify compares with it
log_head = sa.Table(
    "log_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

# sessions of people logged in to the pages: the cookie holds only the id; logout, disabling and the
# idle/absolute lifetime end a session here, at once (store/accounts.py)
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),  # sha256 hex of the cookie's session id
    sa.Column("username", sa.String(100), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime, nullable=True),
    sa.Column("address", sa.String(64), nullable=True),
    sa.Index("ix_sessions_username", "username"),
)

# failed logins per account ("user:<name>") and per address ("addr:<ip>"): growing delay, lockout
login_throttle = sa.Table(
    "login_throttle",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_failure", UTCDateTime, nullable=False),
    sa.Column("locked_until", UTCDateTime, nullable=True),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),  # sha256 hex of the plaintext
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime, nullable=True),
    sa.Column("owner", sa.String(100), nullable=True),        # the user this token acts for (0002_accounts)
    sa.Column("disabled_at", UTCDateTime, nullable=True),     # disabled, can be re-enabled (revoked cannot)
    sa.Index("ix_tokens_name", "name"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("username", sa.String(100), primary_key=True),
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("disabled_at", UTCDateTime, nullable=True),
    sa.Column("password_changed_at", UTCDateTime, nullable=True),
)

# one signature per commit batch of the decision log: the head (seq, hash) signed with Ed25519 by a
# key kept outside the database (store/signing.py); audit verify and receipts check them
log_signatures = sa.Table(
    "log_signatures",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("key_id", sa.String(16), nullable=False),
    sa.Column("signature", sa.String(128), nullable=False),
    sa.Column("signed_at", UTCDateTime, nullable=False),
)

# small counters; key 'versions' is raised by a trigger on every insert/update of versions, so a
# cache of the version in force (per process, per server) can check in one cheap read that it is current
store_state = sa.Table(
    "store_state",
    metadata,
    sa.Column("key", sa.String(32), primary_key=True),
    sa.Column("counter", sa.BigInteger, nullable=False),
)
