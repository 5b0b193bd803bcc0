"""Regelbank store: immutable rule-set versions, hash-chained decision log, tokens and users.

    from store import Store
    s = Store("sqlite:////abs/path/regelbank.sqlite")   # or postgresql+psycopg://user@host:port/db
    s.migrate()

No engine, web or Flask imports: it stores bytes, dicts and dates.
"""

from .core import (
    ROLES,
    STATUS_LABELS,
    Principal,
    Store,
    TokenInfo,
    VerifyResult,
    Version,
    split_ruleset,
)
from .accounts import UserInfo, password_problem
from .decision_log import LogUnavailable
from .errors import Conflict, NotFound, NoVersionInForce, StoreError
from .jsonutil import dumps as canonical_json
from .jsonutil import loads as load_json

__all__ = [
    "Store",
    "LogUnavailable",
    "StoreError",
    "NotFound",
    "NoVersionInForce",
    "Conflict",
    "Version",
    "Principal",
    "TokenInfo",
    "UserInfo",
    "password_problem",
    "VerifyResult",
    "ROLES",
    "STATUS_LABELS",
    "split_ruleset",
    "canonical_json",
    "load_json",
]
