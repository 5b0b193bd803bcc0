"""The Regelbank store: published rule-set versions, the decision log, tokens and users.

Knows nothing about workbooks, the engine or Flask: it stores bytes, dicts and dates.
SQLite (default) and PostgreSQL, through SQLAlchemy Core; schema by Alembic (``Store.migrate``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import random
import re
import threading
import time
import uuid
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
from .errors import Conflict, NotFound, NoVersionInForce, StoreError
from .schema import (
    GENESIS_HASH,
    contents,
    decision_rules,
    decisions,
    gemeente_settings,
    log_head,
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


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad: int | None  # seq of the first record that is wrong or missing
    message: str
    decision_id: str | None = None  # decision id of that record, when it still exists

    def __bool__(self) -> bool:
        return self.ok

    def to_dict(self) -> dict:
        return asdict(self)


class _Retry(Exception):
    pass


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


class Store(AccountsMixin):
    """Persistence for Regelbank. Thread-safe; one instance per process is enough."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        u = make_url(url)
        self.dialect = u.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise StoreError(f"Database '{self.dialect}' wordt niet ondersteund; gebruik SQLite of PostgreSQL.")
        kwargs: dict[str, Any] = {"echo": echo}
        self._sqlite_file = False
        if self.dialect == "sqlite":
            db = u.database or ""
            if db and db != ":memory:" and not db.startswith("file:"):
                self._sqlite_file = True
                Path(db).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
                kwargs["connect_args"] = {"timeout": 60, "check_same_thread": False}
            else:  # in-memory: one shared connection, for single-threaded use (tests, tools)
                kwargs["connect_args"] = {"check_same_thread": False}
                kwargs["poolclass"] = StaticPool
        else:
            kwargs["pool_pre_ping"] = True
        self.engine = sa.create_engine(url, **kwargs)
        if self.dialect == "sqlite":
            self._install_sqlite_events()
        # SQLite has one writer at a time. Threads of this process queue on a lock instead of in
        # SQLite's busy handler, which sleeps up to 100 ms per retry and made p99 latency spike.
        self._write_lock = threading.RLock() if self.dialect == "sqlite" else nullcontext()
        # test hooks: name -> callable(connection); used to simulate failures inside transactions
        self._hooks: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
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
                cur.execute("PRAGMA synchronous = NORMAL")
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
        with self._write_lock, self.engine.connect() as conn:
            conn.execution_options(regelbank_write=True)
            with conn.begin():
                yield conn

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

    # ----------------------------------------------------------------- decision log

    def log_decision(self, record: dict) -> dict:
        """Append a decision to the hash-chained log; returns the stored record plus ``hash``.

        ``record`` holds caller, ruleset, version, valid_from, engine_version, as_of, inputs, outputs,
        fired ([{table, rule, annotation}]), explanation, and anything else JSON-able (Decimal is kept
        exact). It may carry its own ``decision_id``; otherwise one is generated. The store adds
        ``seq``, ``created_at`` (UTC ISO) and ``prev_hash``; ``hash`` is the SHA-256 of the canonical
        JSON text of all that, which is what is stored.
        """
        if not isinstance(record, dict):
            raise StoreError("Een beslissing moet als JSON-object (dict) worden vastgelegd.")
        fields = dict(record)
        clash = [k for k in RESERVED_DECISION_FIELDS if k in fields]
        if clash:
            raise StoreError(f"De velden {', '.join(clash)} worden door de opslag zelf gevuld; laat ze weg.")
        decision_id = fields.pop("decision_id", None) or uuid.uuid4().hex
        if not isinstance(decision_id, str) or not _DECISION_ID_RE.match(decision_id):
            raise StoreError("decision_id moet tekst zijn van 1 tot 64 letters, cijfers, '-' of '_'.")
        ruleset = fields.get("ruleset")
        if ruleset is not None and not isinstance(ruleset, str):
            raise StoreError("Het veld ruleset moet tekst zijn.")
        version = fields.get("version")
        if version is not None and not isinstance(version, str):
            raise StoreError("Het veld version moet tekst zijn (de hash van de versie).")
        fired = fields.get("fired") or []
        if not isinstance(fired, list) or not all(isinstance(f, dict) for f in fired):
            raise StoreError("Het veld fired moet een lijst van objecten {table, rule, annotation} zijn.")
        try:
            jsonutil.dumps(fields)
        except ValueError as e:
            raise StoreError(f"De beslissing kan niet als JSON worden opgeslagen: {e}") from None

        for attempt in range(20):
            try:
                with self._write() as conn:
                    head = conn.execute(
                        sa.select(log_head.c.seq, log_head.c.hash).where(log_head.c.id == 1).with_for_update()
                    ).one()
                    exists = conn.execute(
                        sa.select(decisions.c.seq).where(decisions.c.decision_id == decision_id)
                    ).first()
                    if exists is not None:
                        raise Conflict(f"Er is al een beslissing vastgelegd met id {decision_id}.")
                    seq = head.seq + 1
                    created = _utcnow()
                    body = dict(fields)
                    body.update(seq=seq, decision_id=decision_id, created_at=_iso(created), prev_hash=head.hash)
                    text = jsonutil.dumps(body)
                    digest = _sha256(text.encode("utf-8"))
                    conn.execute(
                        decisions.insert().values(
                            seq=seq,
                            decision_id=decision_id,
                            created_at=created,
                            ruleset=ruleset,
                            version=version,
                            record_json=text,
                            hash=digest,
                            prev_hash=head.hash,
                        )
                    )
                    if fired:
                        conn.execute(decision_rules.insert(), _fired_rows(seq, fired))
                    self._hook("after_decision_insert", conn)
                    res = conn.execute(
                        log_head.update()
                        .where(log_head.c.id == 1, log_head.c.seq == head.seq, log_head.c.hash == head.hash)
                        .values(seq=seq, hash=digest)
                    )
                    if res.rowcount != 1:
                        raise _Retry()
                break
            except (exc.IntegrityError, exc.OperationalError, _Retry) as e:
                # PostgreSQL serialisation failures / SQLite "database is locked" past the busy timeout /
                # a lost race on the chain head: retry with a fresh head
                if attempt == 19 or (isinstance(e, exc.OperationalError) and not _retryable(e)):
                    raise
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
        out = jsonutil.loads(text)
        out["hash"] = digest
        return out

    @staticmethod
    def _decision(row) -> dict:
        out = jsonutil.loads(row.record_json)
        out["hash"] = row.hash
        return out

    def get_decision(self, decision_id: str) -> dict:
        if not isinstance(decision_id, str) or not _DECISION_ID_RE.match(decision_id):
            raise NotFound(f"Beslissing {decision_id} bestaat niet.")
        with self._read() as conn:
            row = conn.execute(
                sa.select(decisions.c.record_json, decisions.c.hash).where(decisions.c.decision_id == decision_id)
            ).first()
        if row is None:
            raise NotFound(f"Beslissing {decision_id} bestaat niet.")
        return self._decision(row)

    def _decision_filter(self, ruleset, date_from, date_to, rule, decision_id) -> list:
        conds = []
        d = decisions.c
        if ruleset:
            conds.append(d.ruleset == ruleset)
        if date_from:
            start = _to_date(date_from, "Datum vanaf")
            conds.append(d.created_at >= _dt.datetime.combine(start, _dt.time(), _dt.timezone.utc))
        if date_to:
            end = _to_date(date_to, "Datum tot en met") + _dt.timedelta(days=1)
            conds.append(d.created_at < _dt.datetime.combine(end, _dt.time(), _dt.timezone.utc))
        if rule:
            conds.append(
                sa.exists().where(decision_rules.c.seq == d.seq, decision_rules.c.rule == str(rule))
            )
        if decision_id:
            conds.append(d.decision_id == decision_id)
        return conds

    def search_decisions(
        self,
        ruleset: str | None = None,
        date_from: _dt.date | str | None = None,
        date_to: _dt.date | str | None = None,
        rule: str | None = None,
        decision_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[dict]:
        """Logged decisions, newest first. Dates filter created_at (UTC days, both inclusive);
        ``rule`` is a rule id that fired."""
        limit = max(1, min(int(limit), 1000))
        offset = max(0, int(offset))
        conds = self._decision_filter(ruleset, date_from, date_to, rule, decision_id)
        with self._read() as conn:
            rows = conn.execute(
                sa.select(decisions.c.record_json, decisions.c.hash)
                .where(*conds)
                .order_by(decisions.c.seq.desc())
                .limit(limit)
                .offset(offset)
            ).all()
        return [self._decision(r) for r in rows]

    def count_decisions(self, ruleset=None, date_from=None, date_to=None, rule=None, decision_id=None) -> int:
        """Number of decisions matching the same filters as :meth:`search_decisions`."""
        conds = self._decision_filter(ruleset, date_from, date_to, rule, decision_id)
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(decisions).where(*conds)).scalar()

    def verify_log(self, batch_size: int = 1000) -> VerifyResult:
        """Recompute the chain. Fails, naming the first bad record, when a record was changed (any
        column), deleted (also at the end) or inserted outside the chain."""
        checked = 0
        prev_hash = GENESIS_HASH
        expected = 1
        last_seq = 0

        def bad(seq, did, msg):
            return VerifyResult(False, checked, seq, msg, did)

        with self._read(snapshot=True) as conn:
            head = conn.execute(sa.select(log_head.c.seq, log_head.c.hash).where(log_head.c.id == 1)).first()
            if head is None:
                return bad(None, None, "De kop van het beslissingenlog ontbreekt (tabel log_head is leeg).")
            while True:
                rows = conn.execute(
                    sa.select(decisions)
                    .where(decisions.c.seq > last_seq)
                    .order_by(decisions.c.seq)
                    .limit(batch_size)
                ).all()
                if not rows:
                    break
                seqs = [r.seq for r in rows]
                fired_idx: dict[int, list] = {}
                for fr in conn.execute(
                    sa.select(decision_rules)
                    .where(decision_rules.c.seq >= seqs[0], decision_rules.c.seq <= seqs[-1])
                    .order_by(decision_rules.c.seq, decision_rules.c.position)
                ):
                    fired_idx.setdefault(fr.seq, []).append((fr.position, fr.table_name, fr.rule))
                for r in rows:
                    name = f"Beslissing #{r.seq} ({r.decision_id})"
                    if r.seq > head.seq:
                        return bad(
                            r.seq,
                            r.decision_id,
                            f"{name} staat buiten de keten: ingevoegd na het laatst vastgelegde record "
                            f"#{head.seq}.",
                        )
                    if r.seq != expected:
                        return bad(
                            expected,
                            None,
                            f"Beslissing #{expected} ontbreekt (verwijderd): na #{expected - 1} volgt "
                            f"#{r.seq} ({r.decision_id}).",
                        )
                    if _sha256(r.record_json.encode("utf-8")) != r.hash:
                        return bad(r.seq, r.decision_id, f"{name} is gewijzigd: de inhoud past niet bij de "
                                                         "opgeslagen hash.")
                    try:
                        body = jsonutil.loads(r.record_json)
                        created = _dt.datetime.fromisoformat(body["created_at"])
                    except Exception:
                        return bad(r.seq, r.decision_id, f"{name} is onleesbaar (geen geldig record).")
                    mismatch = []
                    if body.get("seq") != r.seq:
                        mismatch.append("seq")
                    if body.get("decision_id") != r.decision_id:
                        mismatch.append("decision_id")
                    if created != r.created_at:
                        mismatch.append("created_at")
                    if body.get("ruleset") != r.ruleset:
                        mismatch.append("ruleset")
                    if body.get("version") != r.version:
                        mismatch.append("version")
                    if body.get("prev_hash") != r.prev_hash:
                        mismatch.append("prev_hash")
                    if mismatch:
                        return bad(r.seq, r.decision_id, f"{name} is gewijzigd: kolom {', '.join(mismatch)} wijkt "
                                                         "af van het vastgelegde record.")
                    if r.prev_hash != prev_hash:
                        return bad(
                            r.seq,
                            r.decision_id,
                            f"{name} sluit niet aan op de keten: de vorige hash hoort bij een ander record "
                            f"dan #{r.seq - 1} (record ingevoegd, vervangen of vorig record gewijzigd).",
                        )
                    if fired_idx.get(r.seq, []) != _fired_tuples(body.get("fired") or []):
                        return bad(r.seq, r.decision_id, f"{name}: de zoekindex van toegepaste regels "
                                                         "(decision_rules) is gewijzigd.")
                    prev_hash = r.hash
                    expected += 1
                    checked += 1
                last_seq = seqs[-1]
            if head.seq != checked or head.hash != prev_hash:
                if head.seq > checked:
                    return bad(
                        checked + 1,
                        None,
                        f"De laatste beslissing(en) #{checked + 1} t/m #{head.seq} ontbreken (verwijderd); "
                        f"het log eindigt bij #{checked}.",
                    )
                if head.seq < checked:
                    return bad(
                        head.seq + 1,
                        None,
                        f"Beslissing #{head.seq + 1} en verder staan buiten de keten (ingevoegd na het "
                        f"laatst vastgelegde record #{head.seq}).",
                    )
                return bad(checked, None, f"De laatste beslissing #{checked} wijkt af van de vastgelegde kop "
                                          "van het log (gewijzigd of vervangen).")
        if checked == 0:
            return VerifyResult(True, 0, None, "Het beslissingenlog is leeg; er is niets te controleren.")
        return VerifyResult(True, checked, None, f"Beslissingenlog in orde: {checked} beslissingen gecontroleerd, "
                                                 "de keten is ongeschonden.")


def _fired_rows(seq: int, fired: list[dict]) -> list[dict]:
    return [
        {
            "seq": seq,
            "position": i,
            "table_name": None if f.get("table") is None else str(f.get("table"))[:200],
            "rule": None if f.get("rule") is None else str(f.get("rule"))[:100],
        }
        for i, f in enumerate(fired)
    ]


def _fired_tuples(fired: list) -> list:
    return [(r["position"], r["table_name"], r["rule"]) for r in _fired_rows(0, fired)] if all(
        isinstance(f, dict) for f in fired
    ) else [None]


def _retryable(e: exc.OperationalError) -> bool:
    text = str(e.orig if getattr(e, "orig", None) is not None else e).lower()
    return any(s in text for s in ("database is locked", "could not serialize", "deadlock detected", "busy"))
