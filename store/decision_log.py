"""The decision log: append-only, hash-chained, group-committed, signed at every commit batch.

``Store`` mixes in :class:`DecisionLogMixin`. Every decision is a canonical-JSON record whose hash
covers the previous record's hash (the chain); ``log_head`` holds the last position and hash.
Appends go through a :class:`~store.log_writer.GroupCommitWriter`: many records per transaction,
each caller answered only after the commit. When the store has a signer (``store.signing``), the
head of every committed batch is signed (one Ed25519 signature per batch, kept in
``log_signatures``) and written to an anchor file outside the database; each caller gets a receipt
(decision id, position, hash, signed head) that can be checked later, also against a rewound
database (:meth:`DecisionLogMixin.verify_receipt`).

Across processes and servers the chain stays one: the append transaction locks the ``log_head``
row (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so appends from all
app servers are serialised in the database, each batch continuing from the committed head.
"""
from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import exc

from . import core as _core
from . import jsonutil
from .errors import Conflict, NotFound, StoreError
from .log_writer import GroupCommitWriter
from .schema import GENESIS_HASH, decision_rules, decisions, log_head, log_signatures, store_state
from .signing import LogSigner, SignedHead, TrustedKeys


class LogUnavailable(StoreError):
    """The database did not take the decision (down, restarting, disk full): nothing was acknowledged."""


UNAVAILABLE = ("Het beslissingenlog is tijdelijk niet bereikbaar; de beslissing is niet vastgelegd en daarom niet "
               "gegeven. Probeer het over enkele seconden opnieuw.")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad: int | None  # seq of the first record that is wrong or missing
    message: str
    decision_id: str | None = None  # decision id of that record, when it still exists
    signed: int | None = None       # the last position covered by a valid signature (None: not checked)

    def __bool__(self) -> bool:
        return self.ok

    def to_dict(self) -> dict:
        return asdict(self)


class _Retry(Exception):
    pass


# statements built once (building them per call cost more than executing them)
_HEAD_FOR_UPDATE = sa.select(log_head.c.seq, log_head.c.hash).where(log_head.c.id == 1).with_for_update()
_MOVE_HEAD = (log_head.update()
              .where(log_head.c.id == 1, log_head.c.seq == sa.bindparam("old_seq"),
                     log_head.c.hash == sa.bindparam("old_hash"))
              .values(seq=sa.bindparam("new_seq"), hash=sa.bindparam("new_hash")))
_INSERT_SIGNATURE = log_signatures.insert()
_STAMPS = sa.select(store_state.c.key, store_state.c.counter).where(store_state.c.key.in_(("versions", "accounts")))
# one row, so the driver steps twice (row, end) instead of three times: each step gives up the GIL
_STAMPS_SQL = ("SELECT (SELECT counter FROM store_state WHERE key = 'versions'), "
               "(SELECT counter FROM store_state WHERE key = 'accounts')")


def _unavailable(e: Exception) -> bool:
    """A database that is down, restarting or full (as opposed to a bug or a lost race)."""
    if isinstance(e, (exc.OperationalError, exc.InterfaceError)):
        text = str(e.orig if getattr(e, "orig", None) is not None else e).lower()
        return not any(s in text for s in ("no such table", "no such column", "syntax error"))  # bugs, not outages
    return isinstance(e, exc.DBAPIError) and bool(getattr(e, "connection_invalidated", False))


class DecisionLogMixin:
    """The decision-log part of :class:`store.Store` (uses its engine, ``_write``/``_read`` and hooks)."""

    _signer: LogSigner | None = None

    # ----------------------------------------------------------------- appending

    @property
    def log_writer(self) -> GroupCommitWriter:
        writer = self.__dict__.get("_log_writer")
        if writer is None:
            writer = self.__dict__.setdefault("_log_writer", GroupCommitWriter(self._append_batch))
        return writer

    def use_log_process(self, path: str) -> None:
        """Append through the writer process listening on ``path`` (store/log_process.py), not in-process."""
        from .log_process import LogClient
        self.__dict__["_log_writer"] = LogClient(path)

    @property
    def signer(self) -> LogSigner | None:
        return self._signer

    def log_decision(self, record: dict) -> dict:
        """Append a decision to the hash-chained log; returns the stored record plus ``hash``.

        ``record`` holds caller, ruleset, version, valid_from, engine_version, as_of, inputs, outputs,
        fired ([{table, rule, annotation}]), explanation, and anything else JSON-able (Decimal is kept
        exact). It may carry its own ``decision_id``; otherwise one is generated. The store adds
        ``seq``, ``created_at`` (UTC ISO) and ``prev_hash``; ``hash`` is the SHA-256 of the canonical
        JSON text of all that, which is what is stored. Returns only after the record is committed.
        """
        return self.log_decision_with_receipt(record)[0]

    def log_decision_with_receipt(self, record: dict) -> tuple[dict, dict | None]:
        """As :meth:`log_decision`, plus the receipt (None when the store has no signer)."""
        fields, decision_id, given = _check_record(record)
        return self.log_writer.append((fields, decision_id, given))

    def _append_batch(self, items: list) -> list:
        """One transaction for a batch of (fields, decision_id): chain, insert, move the head, sign."""
        for attempt in range(20):
            outcomes: list = [None] * len(items)
            try:
                with self._log_transaction() as conn:
                    signed = self._append_in(conn, items, outcomes)
                break
            except (exc.IntegrityError, exc.OperationalError, exc.DBAPIError, _Retry) as e:
                # SQLite "database is locked" past the busy timeout / PostgreSQL serialisation failure /
                # a lost race on the chain head: retry with a fresh head. A database that is down or
                # full: give up at once, nobody gets a "yes".
                retry = isinstance(e, (_Retry, exc.IntegrityError)) or (
                    isinstance(e, exc.OperationalError) and _retryable(e))
                if not retry or attempt == 19:
                    if _unavailable(e):
                        raise LogUnavailable(UNAVAILABLE) from e
                    raise
                time.sleep(random.uniform(0.002, 0.02) * (attempt + 1))
        if signed is not None:
            self._write_anchor(signed)
        receipt_head = signed.to_dict() if signed is not None else None
        out = []
        for outcome in outcomes:
            if isinstance(outcome, Exception) or receipt_head is None:
                out.append(outcome if isinstance(outcome, Exception) else (outcome, None))
            else:
                out.append((outcome, {"decision_id": outcome["decision_id"], "seq": outcome["seq"],
                                      "hash": outcome["hash"], "head": receipt_head}))
        return out

    @contextmanager
    def _log_transaction(self) -> Iterator[sa.Connection]:
        """A write transaction on the log writer's own connection (only the leader of a batch uses it).

        A connection from the pool would come with a cold page cache: SQLite read back most index
        pages it was about to change, every batch. This one keeps its cache (64 MB on SQLite)
        between batches; after any failure it is dropped and the next batch opens a fresh one (a
        restarted PostgreSQL, a full disk)."""
        with self._write_lock:
            held = self.__dict__.get("_log_conn")
            if held is None or held[0] != os.getpid():    # one per process: gunicorn forks workers
                conn = self.engine.connect().execution_options(regelbank_write=True)
                if self.dialect == "sqlite":
                    conn.connection.driver_connection.execute("PRAGMA cache_size = -65536")
                held = self.__dict__["_log_conn"] = (os.getpid(), conn)
            conn = held[1]
            try:
                with conn.begin():
                    yield conn
            except BaseException:
                self.__dict__.pop("_log_conn", None)
                conn.invalidate() if self.dialect == "postgresql" else conn.close()
                raise

    def _append_in(self, conn, items: list, outcomes: list) -> SignedHead | None:
        head = conn.execute(_HEAD_FOR_UPDATE).one()
        wanted = [decision_id for _, decision_id, given in items if given]   # generated ids are fresh uuids
        taken = set(conn.execute(sa.select(decisions.c.decision_id).where(decisions.c.decision_id.in_(wanted)))
                    .scalars()) if wanted else set()
        seq, prev = head.seq, head.hash
        created = _core._utcnow()      # one moment per batch: the records are committed together
        created_at, created_text = self._bind_created(created), _core._iso(created)
        rows, fired_rows, seen = [], [], set()
        for i, (fields, decision_id, _) in enumerate(items):
            if decision_id in taken or decision_id in seen:
                outcomes[i] = Conflict(f"Er is al een beslissing vastgelegd met id {decision_id}.")
                continue
            body = dict(fields)
            body.update(seq=seq + 1, decision_id=decision_id, created_at=created_text, prev_hash=prev)
            try:
                text = jsonutil.dumps(body)    # checks the record too (_check_record left that to here)
            except ValueError as e:
                outcomes[i] = StoreError(f"De beslissing kan niet als JSON worden opgeslagen: {e}")
                continue
            seen.add(decision_id)
            seq += 1
            digest = _core._sha256(text.encode("utf-8"))
            rows.append((seq, decision_id, created_at, fields.get("ruleset"), fields.get("version"), text, digest,
                         prev))
            fired_rows.extend(_fired_rows(seq, fields.get("fired") or []))
            body["hash"] = digest   # what get_decision gives back (the JSON text round-trips to equal values)
            outcomes[i] = body
            prev = digest
        if not rows:
            return None
        # one multi-row INSERT per table: a statement per row (executemany) gives up and takes back the
        # interpreter lock per row, and under load each of those waits behind the request threads
        self._insert_rows(conn, "decisions", _DECISION_COLUMNS, rows)
        if fired_rows:
            self._insert_rows(conn, "decision_rules", _FIRED_COLUMNS, fired_rows)
        self._hook("after_decision_insert", conn)
        res = conn.execute(_MOVE_HEAD, {"old_seq": head.seq, "old_hash": head.hash, "new_seq": seq, "new_hash": prev})
        if res.rowcount != 1:
            raise _Retry()
        signed = None
        if self._signer is not None:
            signed = self._signer.sign(seq, prev)
            conn.execute(_INSERT_SIGNATURE, {"seq": seq, "hash": prev, "key_id": signed.key_id,
                                             "signature": signed.signature, "signed_at": _core._utcnow()})
        self._hook("before_log_commit", conn)
        return signed

    def _bind_created(self, moment: _dt.datetime):
        """``created_at`` as the driver takes it (SQLite: SQLAlchemy's text form), as a Core insert would."""
        process = self.__dict__.get("_created_processor")
        if process is None:
            process = decisions.c.created_at.type.bind_processor(self.engine.dialect) or (lambda v: v)
            self.__dict__["_created_processor"] = process
        return process(moment)

    def _insert_rows(self, conn, table: str, columns: tuple, rows: list, chunk: int = 100) -> None:
        marker = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        one = "(" + ",".join([marker] * len(columns)) + ")"
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            conn.exec_driver_sql(head + ",".join([one] * len(part)), tuple(v for row in part for v in row))

    def _write_anchor(self, signed: SignedHead) -> None:
        """Keep the newest signed head in a file outside the database, monotonic across processes.

        One fixed-size record rewritten in place under an flock (microseconds; a rename per batch
        cost a millisecond here). Not fsynced: after a power loss it may lag the database by the last
        batches; receipts held by case systems cover those."""
        path = self._signer.anchor if self._signer is not None else None
        if path is None:
            return
        try:
            fd = self.__dict__.get("_anchor_fd")
            if fd is None or fd[0] != os.getpid():   # one descriptor per process (gunicorn forks)
                fd = (os.getpid(), os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
                self.__dict__["_anchor_fd"] = fd
            fcntl.flock(fd[1], fcntl.LOCK_EX)
            try:
                current = _parse_anchor(os.pread(fd[1], ANCHOR_SIZE, 0))
                if current is None or current["seq"] < signed.seq:
                    os.pwrite(fd[1], json.dumps(signed.to_dict()).encode().ljust(ANCHOR_SIZE), 0)
            finally:
                fcntl.flock(fd[1], fcntl.LOCK_UN)
        except OSError:  # the anchor is a second line of defence: a full disk must not fail a committed batch
            pass

    def sign_head(self) -> dict | None:
        """Sign the current head if it is not signed yet (after upgrading a log written without a key)."""
        if self._signer is None:
            raise StoreError("Er is geen ondertekeningssleutel ingesteld.")
        with self._write() as conn:
            head = conn.execute(sa.select(log_head.c.seq, log_head.c.hash).where(log_head.c.id == 1)
                                .with_for_update()).one()
            if head.seq == 0 or conn.execute(sa.select(log_signatures.c.seq)
                                             .where(log_signatures.c.seq == head.seq)).first():
                return None
            signed = self._signer.sign(head.seq, head.hash)
            conn.execute(log_signatures.insert().values(seq=head.seq, hash=head.hash, key_id=signed.key_id,
                                                        signature=signed.signature, signed_at=_core._utcnow()))
        self._write_anchor(signed)
        return signed.to_dict()

    # ----------------------------------------------------------------- version cache support

    def versions_stamp(self) -> int:
        """A counter that every insert or update of a version raises (a trigger, so across processes):
        caches of the version in force compare it to know they are current."""
        return self._stamp("versions") or 0

    def accounts_stamp(self) -> int | None:
        """A counter that every change to a token or a user raises (a trigger, so across processes):
        a cache of verified tokens compares it to know it is current. None: no such counter in this
        database (not migrated), so nothing may be cached."""
        return self._stamp("accounts")

    @contextmanager
    def request_scope(self) -> Iterator[None]:
        """Within the block (one web request), both counters are read once, together, on first use.

        Every API call compares both (its token, its version in force); each read made the thread
        give up the interpreter lock, and under load every such hand-over is a context switch. A
        change committed while a request runs is seen by the next request, as before."""
        local = self._local()
        local.stamps = {}
        try:
            yield
        finally:
            local.stamps = None

    def _forget_stamps(self) -> None:
        local = self._local()
        if getattr(local, "stamps", None):
            local.stamps = {}

    def _stamp(self, key: str) -> int | None:
        local = self._local()
        scoped = getattr(local, "stamps", None)
        if scoped is None:
            return self._read_stamps().get(key)
        if not scoped:
            scoped.update(self._read_stamps())
        return scoped.get(key)

    def _read_stamps(self) -> dict:
        if self._sqlite_file:
            try:
                versions, accounts = self._stamp_reader().execute(_STAMPS_SQL).fetchone()
                return {"versions": versions, "accounts": accounts}
            except sqlite3.Error:
                self._local().conn = None      # answered below, with SQLAlchemy's errors if it fails again
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":   # one round trip: no BEGIN/ROLLBACK around a single read
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            return dict(conn.execute(_STAMPS).all())

    def _local(self) -> threading.local:
        local = self.__dict__.get("_stamp_local")
        if local is None:
            local = self.__dict__.setdefault("_stamp_local", threading.local())
        return local

    def _stamp_reader(self) -> sqlite3.Connection:
        """A connection of this thread's own, for the counters read on every request.

        Checking a connection out of SQLAlchemy's pool and back in (with its reset) cost several
        times the SELECT itself; an autocommit read on a connection the thread keeps does not.
        (SQLite file databases only; one per thread and process, as sqlite3 connections must not
        cross a fork.)"""
        local = self._local()
        conn = getattr(local, "conn", None)
        if conn is None or local.pid != os.getpid():
            conn = sqlite3.connect(self._sqlite_file, timeout=60, isolation_level=None,
                                   check_same_thread=False)
            local.conn, local.pid = conn, os.getpid()
        return conn

    # ----------------------------------------------------------------- reading

    @staticmethod
    def _decision(row) -> dict:
        out = jsonutil.loads(row.record_json)
        out["hash"] = row.hash
        return out

    def get_decision(self, decision_id: str) -> dict:
        if not isinstance(decision_id, str) or not _core._DECISION_ID_RE.match(decision_id):
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
            start = _core._to_date(date_from, "Datum vanaf")
            conds.append(d.created_at >= _dt.datetime.combine(start, _dt.time(), _dt.timezone.utc))
        if date_to:
            end = _core._to_date(date_to, "Datum tot en met") + _dt.timedelta(days=1)
            conds.append(d.created_at < _dt.datetime.combine(end, _dt.time(), _dt.timezone.utc))
        if rule:
            conds.append(
                sa.exists().where(decision_rules.c.seq == d.seq, decision_rules.c.rule == str(rule))
            )
        if decision_id:
            conds.append(d.decision_id == decision_id)
        return conds

    def search_decisions(self, ruleset: str | None = None, date_from=None, date_to=None, rule: str | None = None,
                         decision_id: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
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

    # ----------------------------------------------------------------- verifying

    def _trusted(self) -> TrustedKeys:
        return self._signer.trusted if self._signer is not None else TrustedKeys()

    def verify_log(self, batch_size: int = 1000) -> VerifyResult:
        """Recompute the chain. Fails, naming the first bad record, when a record was changed (any
        column), deleted (also at the end) or inserted outside the chain; with a signer, also when a
        signed head does not match the chain (rewritten or re-chained), when signed records are gone
        (truncated), when records after the last signature are unsigned, and when the chain no longer
        holds the head in the anchor file outside the database (rewound)."""
        checked = 0
        prev_hash = GENESIS_HASH
        expected = 1
        last_seq = 0
        trusted = self._trusted()
        last_signed = 0
        anchor = _read_anchor(Path(self._signer.anchor)) if self._signer is not None and self._signer.anchor else None
        anchor_seen = False

        def bad(seq, did, msg):
            return VerifyResult(False, checked, seq, msg, did, last_signed if trusted else None)

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
                signatures = {sg.seq: sg for sg in conn.execute(
                    sa.select(log_signatures).where(log_signatures.c.seq >= seqs[0], log_signatures.c.seq <= seqs[-1])
                )} if trusted else {}
                for r in rows:
                    problem = _check_row(r, expected, head.seq, prev_hash, fired_idx)
                    if problem is not None:
                        return bad(*problem)
                    sig = signatures.get(r.seq)
                    if sig is not None:
                        if sig.hash != r.hash:
                            return bad(last_signed + 1, None,
                                       f"Beslissingen #{last_signed + 1} t/m #{r.seq} zijn herschreven of opnieuw aan "
                                       f"elkaar geketend: de ondertekende kop #{r.seq} heeft een andere hash dan de "
                                       "keten in de database nu oplevert.")
                        if not trusted.verify(sig.seq, sig.hash, sig.key_id, sig.signature):
                            return bad(last_signed + 1, None,
                                       f"De handtekening bij #{r.seq} is ongeldig of gezet met een onbekende sleutel "
                                       f"({sig.key_id}): beslissingen #{last_signed + 1} t/m #{r.seq} zijn niet te "
                                       "vertrouwen.")
                        last_signed = r.seq
                    if anchor is not None and r.seq == anchor.get("seq"):
                        if r.hash != anchor.get("hash"):
                            return bad(last_signed + 1 if last_signed < r.seq else r.seq, r.decision_id,
                                       f"Beslissing #{r.seq} wijkt af van de ondertekende kop die buiten de database "
                                       "is bewaard (ankerbestand): het log is herschreven.")
                        anchor_seen = True
                    prev_hash = r.hash
                    expected += 1
                    checked += 1
                last_seq = seqs[-1]
            if head.seq != checked or head.hash != prev_hash:
                if head.seq > checked:
                    return bad(checked + 1, None,
                               f"De laatste beslissing(en) #{checked + 1} t/m #{head.seq} ontbreken (verwijderd); "
                               f"het log eindigt bij #{checked}.")
                if head.seq < checked:
                    return bad(head.seq + 1, None,
                               f"Beslissing #{head.seq + 1} en verder staan buiten de keten (ingevoegd na het "
                               f"laatst vastgelegde record #{head.seq}).")
                return bad(checked, None, f"De laatste beslissing #{checked} wijkt af van de vastgelegde kop "
                                          "van het log (gewijzigd of vervangen).")
            if trusted:
                beyond = conn.execute(sa.select(sa.func.max(log_signatures.c.seq))).scalar() or 0
                if beyond > checked:
                    return bad(checked + 1, None,
                               f"Het log is ingekort: er is een ondertekende kop #{beyond}, maar het log eindigt "
                               f"bij #{checked}.")
                if anchor is not None and not anchor_seen:
                    return bad(checked + 1, None,
                               f"Het log is ingekort of teruggezet: de ondertekende kop #{anchor.get('seq')} die "
                               f"buiten de database is bewaard (ankerbestand) staat niet meer in het log, dat "
                               f"eindigt bij #{checked}.")
                if checked > last_signed:
                    return bad(last_signed + 1, None,
                               f"Beslissingen #{last_signed + 1} t/m #{checked} zijn niet ondertekend: ze zijn buiten "
                               "Regelbank om toegevoegd of herschreven (of het log is bijgewerkt zonder sleutel; "
                               "zie 'regelbank audit sign-head').")
        if checked == 0:
            return VerifyResult(True, 0, None, "Het beslissingenlog is leeg; er is niets te controleren.",
                                signed=0 if trusted else None)
        signed_note = (f" Alle beslissingen vallen onder een geldige handtekening (laatste ondertekende kop #{last_signed})."
                       if trusted else "")
        return VerifyResult(True, checked, None, f"Beslissingenlog in orde: {checked} beslissingen gecontroleerd, "
                                                 f"de keten is ongeschonden.{signed_note}",
                            signed=last_signed if trusted else None)

    def verify_receipt(self, receipt) -> dict:
        """Check a receipt an API answer carried: its signature, and that the log still holds the
        decision unchanged under the signed head. Works against a rewound or rewritten database too:
        then it says so."""
        problem = _receipt_shape(receipt)
        if problem:
            return {"ok": False, "signature_valid": False, "in_log": False, "message": problem}
        head = receipt["head"]
        if not self._trusted().verify(head["seq"], head["hash"], head["key_id"], head["signature"]):
            return {"ok": False, "signature_valid": False, "in_log": False,
                    "message": "De handtekening van dit ontvangstbewijs is ongeldig of gezet met een onbekende "
                               "sleutel: het is niet door deze Regelbank afgegeven of het is gewijzigd."}
        seq, top = receipt["seq"], head["seq"]

        def answer(ok: bool, message: str) -> dict:
            return {"ok": ok, "signature_valid": True, "in_log": ok, "message": message}

        with self._read(snapshot=True) as conn:
            rows = conn.execute(sa.select(decisions).where(decisions.c.seq >= seq, decisions.c.seq <= top)
                                .order_by(decisions.c.seq)).all()
            end = conn.execute(sa.select(log_head.c.seq).where(log_head.c.id == 1)).scalar() or 0
        if not rows or rows[0].seq != seq:
            return answer(False, f"Beslissing #{seq} ({receipt['decision_id']}) staat niet meer in het log, terwijl "
                                 f"de ondertekende kop #{top} haar bevat: het log is ingekort of teruggezet "
                                 f"(het eindigt nu bij #{end}).")
        first = rows[0]
        if first.decision_id != receipt["decision_id"] or first.hash != receipt["hash"]:
            return answer(False, f"Op positie #{seq} staat niet meer beslissing {receipt['decision_id']} met de hash "
                                 "uit het ontvangstbewijs: het log is herschreven.")
        prev = None
        for expected, r in enumerate(rows, start=seq):
            if r.seq != expected:
                return answer(False, f"Beslissing #{expected} ontbreekt tussen #{seq} en de ondertekende kop #{top}.")
            if _core._sha256(r.record_json.encode("utf-8")) != r.hash or (prev is not None and r.prev_hash != prev):
                return answer(False, f"Beslissing #{r.seq} is gewijzigd: de keten van #{seq} naar de ondertekende kop "
                                     f"#{top} klopt niet meer.")
            prev = r.hash
        if rows[-1].seq != top:
            return answer(False, f"Het log is ingekort of teruggezet: het eindigt bij #{end}, maar dit ontvangstbewijs "
                                 f"heeft een ondertekende kop #{top}.")
        if prev != head["hash"]:
            return answer(False, f"De keten van #{seq} tot #{top} leidt niet meer tot de ondertekende kop: het log is "
                                 "herschreven.")
        return answer(True, f"Ontvangstbewijs klopt: beslissing #{seq} ({receipt['decision_id']}) staat ongewijzigd in "
                            f"het log, onder de door Regelbank ondertekende kop #{top}.")


# --------------------------------------------------------------------------- helpers


def _check_record(record) -> tuple[dict, str, bool]:
    if not isinstance(record, dict):
        raise StoreError("Een beslissing moet als JSON-object (dict) worden vastgelegd.")
    fields = dict(record)
    clash = [k for k in _core.RESERVED_DECISION_FIELDS if k in fields]
    if clash:
        raise StoreError(f"De velden {', '.join(clash)} worden door de opslag zelf gevuld; laat ze weg.")
    given = bool(fields.get("decision_id"))
    decision_id = fields.pop("decision_id", None) or _fresh_id()
    if not isinstance(decision_id, str) or not _core._DECISION_ID_RE.match(decision_id):
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
    return fields, decision_id, given   # whether it can be stored as JSON: checked as it is encoded


_random = threading.local()


def _fresh_id() -> str:
    """A random (version 4) UUID in hex, as uuid4().hex, cut from 4 KB of os.urandom read at a time:
    each read is a system call that gives up the interpreter lock, a context switch per request."""
    if getattr(_random, "pid", None) != os.getpid() or _random.at >= 4096:   # a forked child draws its own
        _random.pool, _random.at, _random.pid = os.urandom(4096), 0, os.getpid()
    raw = bytearray(_random.pool[_random.at:_random.at + 16])
    _random.at += 16
    raw[6] = (raw[6] & 0x0F) | 0x40           # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80           # RFC 4122 variant
    return raw.hex()


def _check_row(r, expected: int, head_seq: int, prev_hash: str, fired_idx: dict):
    """(seq, decision_id, message) for the first structural problem of one record, or None."""
    name = f"Beslissing #{r.seq} ({r.decision_id})"
    if r.seq > head_seq:
        return (r.seq, r.decision_id,
                f"{name} staat buiten de keten: ingevoegd na het laatst vastgelegde record #{head_seq}.")
    if r.seq != expected:
        return (expected, None,
                f"Beslissing #{expected} ontbreekt (verwijderd): na #{expected - 1} volgt #{r.seq} ({r.decision_id}).")
    if _core._sha256(r.record_json.encode("utf-8")) != r.hash:
        return r.seq, r.decision_id, f"{name} is gewijzigd: de inhoud past niet bij de opgeslagen hash."
    try:
        body = jsonutil.loads(r.record_json)
        created = _dt.datetime.fromisoformat(body["created_at"])
    except Exception:  # noqa: BLE001
        return r.seq, r.decision_id, f"{name} is onleesbaar (geen geldig record)."
    mismatch = [column for column, same in (
        ("seq", body.get("seq") == r.seq), ("decision_id", body.get("decision_id") == r.decision_id),
        ("created_at", created == r.created_at), ("ruleset", body.get("ruleset") == r.ruleset),
        ("version", body.get("version") == r.version), ("prev_hash", body.get("prev_hash") == r.prev_hash)) if not same]
    if mismatch:
        return (r.seq, r.decision_id,
                f"{name} is gewijzigd: kolom {', '.join(mismatch)} wijkt af van het vastgelegde record.")
    if r.prev_hash != prev_hash:
        return (r.seq, r.decision_id,
                f"{name} sluit niet aan op de keten: de vorige hash hoort bij een ander record dan #{r.seq - 1} "
                "(record ingevoegd, vervangen of vorig record gewijzigd).")
    if fired_idx.get(r.seq, []) != _fired_tuples(body.get("fired") or []):
        return r.seq, r.decision_id, f"{name}: de zoekindex van toegepaste regels (decision_rules) is gewijzigd."
    return None


def _receipt_shape(receipt) -> str | None:
    what = ("Een ontvangstbewijs is een JSON-object met decision_id, seq, hash en head "
            "(seq, hash, key_id, signature), zoals het antwoord van de evaluatie het meegeeft.")
    if not isinstance(receipt, dict) or not isinstance(receipt.get("head"), dict):
        return what
    head = receipt["head"]
    ok = (isinstance(receipt.get("decision_id"), str) and isinstance(receipt.get("seq"), int)
          and isinstance(receipt.get("hash"), str) and isinstance(head.get("seq"), int)
          and isinstance(head.get("hash"), str) and isinstance(head.get("key_id"), str)
          and isinstance(head.get("signature"), str) and 0 < receipt["seq"] <= head["seq"])
    return None if ok else what


def _retryable(e: exc.OperationalError) -> bool:
    text = str(e.orig if getattr(e, "orig", None) is not None else e).lower()
    return any(s in text for s in ("database is locked", "could not serialize", "deadlock detected", "busy"))


ANCHOR_SIZE = 512


def _parse_anchor(raw: bytes) -> dict | None:
    try:
        data = json.loads(raw.decode().strip() or "null")
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("seq"), int) else None


def _read_anchor(path: Path) -> dict | None:
    try:
        return _parse_anchor(path.read_bytes()[:ANCHOR_SIZE])
    except OSError:
        return None


_DECISION_COLUMNS = ("seq", "decision_id", "created_at", "ruleset", "version", "record_json", "hash", "prev_hash")
_FIRED_COLUMNS = ("seq", "position", "table_name", "rule")


def _fired_rows(seq: int, fired: list[dict]) -> list[tuple]:
    """Rows of the fired-rules index, in _FIRED_COLUMNS order."""
    return [(seq, i, None if f.get("table") is None else str(f.get("table"))[:200],
             None if f.get("rule") is None else str(f.get("rule"))[:100]) for i, f in enumerate(fired)]


def _fired_tuples(fired: list) -> list:
    return [row[1:] for row in _fired_rows(0, fired)] if all(
        isinstance(f, dict) for f in fired
    ) else [None]
