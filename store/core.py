"""The Regelbank store: published rule-set versions, the decision log, tokens and users.

The decision log lives in ``decision_log.py`` (mixed into :class:`Store`).

Knows nothing about workbooks, the engine or Flask: it stores bytes, dicts and dates.
SQLite (default) and PostgreSQL, through SQLAlchemy Core; schema by Alembic (``Store.migrate``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

from . import jsonutil
from .accounts import AccountsMixin, Principal, TokenInfo  # noqa: F401 - re-exported
from .decision_log import DecisionLogMixin, VerifyResult  # noqa: F401 - VerifyResult re-exported
from .locks import FileWriteLock
from .errors import Conflict, NotFound, NoVersionInForce, StoreError
from .schema import (
    contents,
    gemeente_settings,
    versions,
)

ROLES = ("editor", "auditor", "evaluator")
STATUSES = ("active", "pending", "withdrawn")
STATUS_LABELS = {"active": "gepubliceerd", "pending": "wacht op goedkeuring", "withdrawn": "ingetrokken"}
RESERVED_DECISION_FIELDS = ("seq", "created_at", "hash", "prev_hash")

_SLUG = r"[a-z0-9][a-z0-9._-]{0,99}"
_RULESET_RE = re.compile(rf"^({_SLUG})/({_SLUG})$")
_GEMEENTE_RE = re.compile(rf"^{_SLUG}$")
_HEX_RE = re.compile(r"^[0-9a-f]+$")
_DECISION_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _iso(ts: _dt.datetime) -> str:
    return ts.astimezone(_dt.timezone.utc).isoformat(timespec="microseconds")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- value objects


@dataclass(frozen=True)
class Version:
    """One published (or pending, or withdrawn) version of a rule set. Identified by ``hash``."""

    ruleset: str
    gemeente: str
    name: str
    hash: str
    filename: str
    size: int
    valid_from: _dt.date
    author: str
    comment: str
    metadata: dict = field(hash=False)
    council_decision: str | None
    status: str
    published_at: _dt.datetime
    approved_by: str | None = None
    approved_at: _dt.datetime | None = None
    withdrawn_by: str | None = None
    withdrawn_at: _dt.datetime | None = None
    withdraw_reason: str | None = None

    @property
    def id(self) -> str:
        return self.hash

    @property
    def short(self) -> str:
        return self.hash[:12]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def to_dict(self) -> dict:
        """JSON-ready: dates and times as ISO text."""
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, (_dt.date, _dt.datetime)):
                d[k] = v.isoformat()
        d["status_label"] = self.status_label
        return d


# --------------------------------------------------------------------------- validation helpers


def split_ruleset(ruleset: str) -> tuple[str, str]:
    """'kampen/autoaanpassing' -> ('kampen', 'autoaanpassing'); StoreError (Dutch) otherwise."""
    if not isinstance(ruleset, str):
        raise StoreError("Regelset moet tekst zijn in de vorm gemeente/naam, bijvoorbeeld kampen/autoaanpassing.")
    m = _RULESET_RE.match(ruleset)
    if not m:
        raise StoreError(
            f"Ongeldige regelset '{ruleset}': gebruik gemeente/naam in kleine letters, cijfers, '-', '_' of '.', "
            "bijvoorbeeld kampen/autoaanpassing."
        )
    return m.group(1), m.group(2)


def _check_gemeente(gemeente: str) -> str:
    if not isinstance(gemeente, str) or not _GEMEENTE_RE.match(gemeente):
        raise StoreError(f"Ongeldige gemeentenaam '{gemeente}': gebruik kleine letters, cijfers, '-', '_' of '.'.")
    return gemeente


def _check_text(value: Any, what: str, *, required: bool = True, max_len: int | None = None) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise StoreError(f"{what} ontbreekt of is geen tekst.")
    value = value.strip()
    if max_len is not None and len(value) > max_len:
        raise StoreError(f"{what} is te lang (maximaal {max_len} tekens).")
    return value


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise StoreError(f"Onbekende rol '{role}': kies uit {', '.join(ROLES)}.")
    return role


def _to_date(value: Any, what: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        raise StoreError(f"{what} moet een datum zijn (JJJJ-MM-DD), geen tijdstip.")
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise StoreError(f"{what} '{value}' is geen geldige datum; gebruik JJJJ-MM-DD.")


# --------------------------------------------------------------------------- the store


class Store(AccountsMixin, DecisionLogMixin):
    """Persistence for Regelbank. Thread-safe; one instance per process is enough."""

    def __init__(self, url: str, *, echo: bool = False, signer=None):
        self.url = url
        self._signer = signer  # store.signing.LogSigner: signs the log head at each commit batch
        u = make_url(url)
        self.dialect = u.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise StoreError(f"Database '{self.dialect}' wordt niet ondersteund; gebruik SQLite of PostgreSQL.")
        kwargs: dict[str, Any] = {"echo": echo}
        self._sqlite_file = False    # or the database file's path
        if self.dialect == "sqlite":
            db = u.database or ""
            if db and db != ":memory:" and not db.startswith("file:"):
                self._sqlite_file = str(Path(db).expanduser().resolve())
                Path(self._sqlite_file).parent.mkdir(parents=True, exist_ok=True)
                kwargs["connect_args"] = {"timeout": 60, "check_same_thread": False}
                kwargs["pool_size"], kwargs["max_overflow"] = 16, 8
            else:  # in-memory: one shared connection, for single-threaded use (tests, tools)
                kwargs["connect_args"] = {"check_same_thread": False}
                kwargs["poolclass"] = StaticPool
        else:
            # no ping per checkout (a round trip per query): after a server restart SQLAlchemy sees the
            # disconnect, answers that request with an error (the API: 503) and refreshes the pool
            kwargs["pool_pre_ping"] = False
            # as many pooled connections as a worker has threads (serve runs 2 x 8 on PostgreSQL): the
            # default 5 made the pool open and close a connection for most requests under load
            kwargs["pool_size"], kwargs["max_overflow"] = 16, 8
        self.engine = sa.create_engine(url, **kwargs)
        if self.dialect == "sqlite":
            self._install_sqlite_events()
        # SQLite has one writer at a time. Threads of this process queue on a lock instead of in
        # SQLite's busy handler, which sleeps up to 100 ms per retry and made p99 latency spike.
        # (a file database: also across processes, see store/locks.py)
        self._write_lock = (FileWriteLock(self._sqlite_file + ".write-lock")
                            if self._sqlite_file else threading.RLock() if self.dialect == "sqlite" else nullcontext())
        # test hooks: name -> callable(connection); used to simulate failures inside transactions
        self._hooks: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        held = self.__dict__.pop("_log_conn", None)   # the log writer's own connection (decision_log.py)
        if held is not None and held[0] == os.getpid():
            held[1].close()
        self.engine.dispose()

    # ----------------------------------------------------------------- connections

    def _install_sqlite_events(self) -> None:
        file_db = self._sqlite_file

        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - trivial
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 60000")
            cur.execute("PRAGMA foreign_keys = ON")
            if file_db:
                cur.execute("PRAGMA journal_mode = WAL")
                cur.execute("PRAGMA synchronous = FULL")  # a commit is on disk before anyone is told
            cur.close()

        @event.listens_for(self.engine, "begin")
        def _on_begin(conn):
            # write transactions take SQLite's write lock up front, so two writers never both
            # read the same chain head; readers use a deferred (snapshot) transaction
            if conn.get_execution_options().get("regelbank_write"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

    @contextmanager
    def _read(self, *, snapshot: bool = False) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if snapshot and self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._write_lock, self.engine.connect() as conn:
                conn.execution_options(regelbank_write=True)
                with conn.begin():
                    yield conn
        finally:
            self._forget_stamps()   # a request that changed something reads the counters afresh

    def _hook(self, name: str, conn: Connection) -> None:
        fn = self._hooks.get(name)
        if fn is not None:
            fn(conn)

    def _insert(self, table):
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    # ----------------------------------------------------------------- schema

    def migrate(self, revision: str = "head") -> None:
        """Create or upgrade the schema (Alembic ``upgrade head``). Idempotent; safe from several processes."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        cfg.set_main_option("path_separator", "os")
        with self._write() as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(74656275)"))  # one migrator at a time
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None: not migrated)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # ----------------------------------------------------------------- versions

    @staticmethod
    def _version(row) -> Version:
        return Version(
            ruleset=row.ruleset,
            gemeente=row.gemeente,
            name=row.name,
            hash=row.hash,
            filename=row.filename,
            size=row.size,
            valid_from=row.valid_from,
            author=row.author,
            comment=row.comment,
            metadata=jsonutil.loads(row.metadata_json),
            council_decision=row.council_decision,
            status=row.status,
            published_at=row.published_at,
            approved_by=row.approved_by,
            approved_at=row.approved_at,
            withdrawn_by=row.withdrawn_by,
            withdrawn_at=row.withdrawn_at,
            withdraw_reason=row.withdraw_reason,
        )

    def publish(
        self,
        ruleset: str,
        content: bytes,
        filename: str,
        valid_from: _dt.date,
        author: str,
        comment: str = "",
        metadata: dict | None = None,
        council_decision: str | None = None,
        require_approval: bool = False,
    ) -> Version:
        """Store a version of ``ruleset``. One transaction: on any error nothing is stored.

        The version id is the SHA-256 of ``content``. Publishing content that this rule set already
        has returns the existing version unchanged (whatever its status). The version needs a second
        editor's approval (status ``pending``) when ``require_approval`` is true *or* four-eyes is on
        for the gemeente.
        """
        gemeente, name = split_ruleset(ruleset)
        if not isinstance(content, (bytes, bytearray, memoryview)):
            raise StoreError("De inhoud van een versie moet uit bytes bestaan (het geüploade bestand).")
        content = bytes(content)
        if not content:
            raise StoreError("Het bestand is leeg; er is niets gepubliceerd.")
        filename = _check_text(filename, "Bestandsnaam", max_len=255)
        valid_from = _to_date(valid_from, "Geldig vanaf")
        author = _check_text(author, "Auteur", max_len=200)
        comment = _check_text(comment, "Toelichting", required=False)
        council_decision = _check_text(council_decision, "Raads- of collegebesluit", required=False) or None
        if metadata is None:
            metadata = {}
        if not isinstance(metadata, dict):
            raise StoreError("Metadata moet een JSON-object (dict) zijn.")
        try:
            metadata_json = jsonutil.dumps(metadata)
        except ValueError as e:
            raise StoreError(f"Metadata kan niet worden opgeslagen: {e}") from None
        digest = _sha256(content)

        for attempt in range(5):
            try:
                with self._write() as conn:
                    row = conn.execute(
                        sa.select(versions).where(versions.c.ruleset == ruleset, versions.c.hash == digest)
                    ).first()
                    if row is not None:
                        return self._version(row)
                    pending = bool(require_approval) or self._four_eyes(conn, gemeente)
                    now = _utcnow()
                    conn.execute(
                        self._insert(contents)
                        .values(hash=digest, data=content, size=len(content), created_at=now)
                        .on_conflict_do_nothing(index_elements=["hash"])
                    )
                    result = conn.execute(
                        versions.insert().values(
                            ruleset=ruleset,
                            gemeente=gemeente,
                            name=name,
                            hash=digest,
                            filename=filename,
                            size=len(content),
                            valid_from=valid_from,
                            author=author,
                            comment=comment,
                            metadata_json=metadata_json,
                            council_decision=council_decision,
                            status="pending" if pending else "active",
                            published_at=now,
                        )
                    )
                    self._hook("after_version_insert", conn)
                    row = conn.execute(
                        sa.select(versions).where(versions.c.id == result.inserted_primary_key[0])
                    ).one()
                    return self._version(row)
            except exc.IntegrityError:
                # a concurrent publish of the same content won the race: loop, find it, return it
                if attempt == 4:
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def _find_version(self, conn: Connection, ruleset: str, ref: str, *, lock: bool = False):
        split_ruleset(ruleset)
        if not isinstance(ref, str) or not ref.strip():
            raise NotFound(f"Geen versie opgegeven voor {ruleset}.")
        ref = ref.strip().lower()
        if not _HEX_RE.match(ref) or len(ref) > 64:
            raise NotFound(f"'{ref}' is geen versie-aanduiding: gebruik de SHA-256-hash (of het begin ervan).")
        if len(ref) < 4:
            raise NotFound(f"Versie-aanduiding '{ref}' is te kort: geef minstens 4 tekens van de hash.")
        q = sa.select(versions).where(versions.c.ruleset == ruleset)
        q = q.where(versions.c.hash == ref) if len(ref) == 64 else q.where(versions.c.hash.like(ref + "%"))
        if lock:
            q = q.with_for_update()
        rows = conn.execute(q.limit(2)).all()
        if not rows:
            raise NotFound(f"Versie {ref} van {ruleset} bestaat niet.")
        if len(rows) > 1:
            raise NotFound(f"Versie-aanduiding '{ref}' past bij meer dan één versie van {ruleset}; geef meer tekens.")
        return rows[0]

    def get_version(self, ruleset: str, version: str) -> Version:
        """A version by full hash or unique prefix (at least 4 hex characters). NotFound otherwise."""
        with self._read() as conn:
            return self._version(self._find_version(conn, ruleset, version))

    def versions(self, ruleset: str) -> list[Version]:
        """All versions (any status), newest valid_from first; [] for an unknown rule set."""
        split_ruleset(ruleset)
        with self._read() as conn:
            rows = conn.execute(
                sa.select(versions)
                .where(versions.c.ruleset == ruleset)
                .order_by(versions.c.valid_from.desc(), versions.c.published_at.desc(), versions.c.id.desc())
            ).all()
        return [self._version(r) for r in rows]

    def rulesets(self) -> list[str]:
        """Every 'gemeente/naam' with at least one version (any status), sorted."""
        with self._read() as conn:
            return list(
                conn.execute(sa.select(versions.c.ruleset).distinct().order_by(versions.c.ruleset)).scalars()
            )

    def content(self, version_hash: str) -> bytes:
        """The original uploaded file of a version (full hash). Checked against its hash on the way out."""
        if not isinstance(version_hash, str) or not _HEX_RE.match(version_hash.lower()) or len(version_hash) != 64:
            raise NotFound(f"'{version_hash}' is geen volledige versie-hash (64 hexadecimale tekens).")
        version_hash = version_hash.lower()
        with self._read() as conn:
            data = conn.execute(sa.select(contents.c.data).where(contents.c.hash == version_hash)).scalar()
        if data is None:
            raise NotFound(f"Er is geen bestand opgeslagen met hash {version_hash}.")
        data = bytes(data)
        if _sha256(data) != version_hash:
            raise StoreError(f"Het opgeslagen bestand met hash {version_hash} is beschadigd of gewijzigd.")
        return data

    def version_in_force(self, ruleset: str, as_of: _dt.date) -> Version:
        """The active version with the latest valid_from <= as_of (ties: the one that became active last)."""
        split_ruleset(ruleset)
        as_of = _to_date(as_of, "Peildatum")
        v = versions.c
        with self._read() as conn:
            row = conn.execute(
                sa.select(versions)
                .where(v.ruleset == ruleset, v.status == "active", v.valid_from <= as_of)
                .order_by(
                    v.valid_from.desc(),
                    sa.func.coalesce(v.approved_at, v.published_at).desc(),
                    v.id.desc(),
                )
                .limit(1)
            ).first()
            if row is not None:
                return self._version(row)
            total = conn.execute(sa.select(sa.func.count()).where(v.ruleset == ruleset)).scalar()
            if not total:
                raise NotFound(f"Regelset {ruleset} bestaat niet: er is nog geen versie van gepubliceerd.")
            first = conn.execute(
                sa.select(sa.func.min(v.valid_from)).where(v.ruleset == ruleset, v.status == "active")
            ).scalar()
        if first is None:
            raise NoVersionInForce(
                f"Er is geen geldende versie van {ruleset}: alle versies zijn ingetrokken of wachten nog op "
                "goedkeuring."
            )
        raise NoVersionInForce(
            f"Geen versie van {ruleset} geldig op {as_of.isoformat()}; de eerste versie geldt vanaf "
            f"{first.isoformat()}."
        )

    def approve(self, ruleset: str, version_hash: str, approver: str) -> Version:
        """Second editor approves a pending version (four-eyes); it becomes active."""
        approver = _check_text(approver, "Naam van de goedkeurder", max_len=200)
        with self._write() as conn:
            row = self._find_version(conn, ruleset, version_hash, lock=True)
            if row.status != "pending":
                raise Conflict(
                    f"Versie {row.hash[:12]} van {ruleset} wacht niet op goedkeuring "
                    f"(status: {STATUS_LABELS.get(row.status, row.status)})."
                )
            if approver.casefold() == row.author.strip().casefold():
                raise Conflict(
                    f"Vier-ogenprincipe: versie {row.hash[:12]} van {ruleset} is gepubliceerd door {row.author}; "
                    "een andere redacteur moet deze versie goedkeuren."
                )
            res = conn.execute(
                versions.update()
                .where(versions.c.id == row.id, versions.c.status == "pending")
                .values(status="active", approved_by=approver, approved_at=_utcnow())
            )
            if res.rowcount != 1:
                raise Conflict(f"Versie {row.hash[:12]} van {ruleset} is intussen gewijzigd; probeer het opnieuw.")
            return self._version(conn.execute(sa.select(versions).where(versions.c.id == row.id)).one())

    def withdraw(self, ruleset: str, version_hash: str, by: str, reason: str) -> Version:
        """Withdraw a version (who, when, why are recorded; nothing is deleted). Never in force afterwards."""
        by = _check_text(by, "Naam van wie intrekt", max_len=200)
        reason = _check_text(reason, "Reden van intrekking")
        with self._write() as conn:
            row = self._find_version(conn, ruleset, version_hash, lock=True)
            if row.status == "withdrawn":
                raise Conflict(
                    f"Versie {row.hash[:12]} van {ruleset} is al ingetrokken op "
                    f"{row.withdrawn_at.date().isoformat()} door {row.withdrawn_by}."
                )
            res = conn.execute(
                versions.update()
                .where(versions.c.id == row.id, versions.c.status != "withdrawn")
                .values(status="withdrawn", withdrawn_by=by, withdrawn_at=_utcnow(), withdraw_reason=reason)
            )
            if res.rowcount != 1:
                raise Conflict(f"Versie {row.hash[:12]} van {ruleset} is intussen gewijzigd; probeer het opnieuw.")
            return self._version(conn.execute(sa.select(versions).where(versions.c.id == row.id)).one())

    # ----------------------------------------------------------------- four-eyes setting

    def _four_eyes(self, conn: Connection, gemeente: str) -> bool:
        val = conn.execute(
            sa.select(gemeente_settings.c.four_eyes).where(gemeente_settings.c.gemeente == gemeente)
        ).scalar()
        return bool(val)

    def four_eyes(self, gemeente: str) -> bool:
        _check_gemeente(gemeente)
        with self._read() as conn:
            return self._four_eyes(conn, gemeente)

    def set_four_eyes(self, gemeente: str, enabled: bool) -> None:
        _check_gemeente(gemeente)
        now = _utcnow()
        stmt = self._insert(gemeente_settings).values(gemeente=gemeente, four_eyes=bool(enabled), updated_at=now)
        stmt = stmt.on_conflict_do_update(
            index_elements=["gemeente"], set_={"four_eyes": bool(enabled), "updated_at": now}
        )
        with self._write() as conn:
            conn.execute(stmt)

