"""Accounts: users, API tokens (each belonging to a user), server-side sessions and login throttling.

Mixed into ``store.Store`` (see core.py); uses its ``_read``/``_write`` connections. Nothing here
touches the decision log.

- A token acts for its owner: ``Principal.user`` is the person behind a request, whether it came with
  a session or a token, so four-eyes compares people, not names (``Store.approve``).
- Disabling a user ends their sessions at once and stops their tokens; a disabled token can be
  re-enabled, a revoked one cannot.
- Sessions live here, not in the cookie: the cookie carries a random id whose SHA-256 is stored, and
  logout, disabling, a password change and the idle/absolute lifetime end it on the next request.
- Failed logins are counted per account and per address: after a few, each next attempt must wait
  longer (1, 2, 4 ... 60 s), and after ``LOCK_AFTER`` the key is locked for ``LOCK_MINUTES``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import exc

from .errors import Conflict, NotFound, StoreError
from .schema import login_throttle, sessions, tokens, users

log = logging.getLogger("regelbank.security")

ROLES = ("editor", "auditor", "evaluator")
# what a token of a user with this role may be given (a narrower role is fine, a wider one is not)
TOKEN_ROLES = {"editor": {"editor", "evaluator"}, "auditor": {"auditor"}, "evaluator": {"evaluator"}}

MIN_PASSWORD_LENGTH = 12
FREE_FAILURES = 3          # failures before each next attempt must wait
MAX_DELAY_SECONDS = 60
LOCK_AFTER = 10            # failures (per account or per address) that lock it temporarily
LOCK_MINUTES = 15
FORGET_AFTER = _dt.timedelta(minutes=30)  # a key without failures for this long starts afresh
_COMMON = Path(__file__).with_name("common_passwords.txt")
_common_cache: list[frozenset] = []


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _iso(ts: _dt.datetime | None) -> str | None:
    return ts.astimezone(_dt.timezone.utc).isoformat(timespec="microseconds") if ts else None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is asking. ``name``: the user or token name; ``user``: the person (None for a token without owner)."""
    name: str
    role: str
    user: str | None = field(default=None, compare=False)
    kind: str = field(default="user", compare=False)   # user | token | session

    @property
    def identity(self) -> str:
        """The person, for four-eyes and for 'author'/'approved_by': the owner of a token, else the name."""
        return self.user or self.name


@dataclass(frozen=True)
class TokenInfo:
    name: str
    role: str
    created_at: _dt.datetime
    revoked_at: _dt.datetime | None
    owner: str | None = None
    disabled_at: _dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.disabled_at is None

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "owner": self.owner, "created_at": _iso(self.created_at),
                "revoked_at": _iso(self.revoked_at), "disabled_at": _iso(self.disabled_at), "active": self.active}


@dataclass(frozen=True)
class UserInfo:
    username: str
    role: str
    created_at: _dt.datetime
    disabled_at: _dt.datetime | None
    password_changed_at: _dt.datetime | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def to_dict(self) -> dict:
        return {"username": self.username, "role": self.role, "created_at": _iso(self.created_at),
                "disabled_at": _iso(self.disabled_at), "password_changed_at": _iso(self.password_changed_at),
                "active": self.active}


def common_passwords() -> frozenset:
    if not _common_cache:
        words = {w.strip().lower() for w in _COMMON.read_text(encoding="utf-8").splitlines()
                 if w.strip() and not w.startswith("#")}
        _common_cache.append(frozenset(words))
    return _common_cache[0]


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` is not acceptable (Dutch), or None. Length >= 12, not common, not the user name."""
    if not isinstance(password, str) or not password:
        return "Het wachtwoord ontbreekt."
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Het wachtwoord is te kort: minstens {MIN_PASSWORD_LENGTH} tekens (nu {len(password)})."
    if len(password) > 1000:
        return "Het wachtwoord is te lang (maximaal 1000 tekens)."
    lowered = password.lower()
    if lowered in common_passwords() or lowered.rstrip("0123456789!?.") in common_passwords():
        return "Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden; kies een ander."
    if len(set(lowered)) < 4:
        return "Het wachtwoord bestaat uit te weinig verschillende tekens."
    if username and username.strip().lower() in lowered:
        return "Het wachtwoord mag de gebruikersnaam niet bevatten."
    return None


def _check_name(value, what: str, max_len: int = 100) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StoreError(f"{what} ontbreekt.")
    value = value.strip()
    if len(value) > max_len:
        raise StoreError(f"{what} is te lang (maximaal {max_len} tekens).")
    return value


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise StoreError(f"Onbekende rol '{role}'; kies uit: {', '.join(ROLES)}.")
    return role


class AccountsMixin:
    """Users, tokens, sessions and login throttling (mixed into Store)."""

    # ------------------------------------------------------------------ tokens

    def create_token(self, role: str, name: str, user: str | None = None) -> str:
        """A new API token acting for ``user``; only its SHA-256 is stored. The plaintext is returned once.

        ``user`` must be an enabled user whose role allows the token's role (an editor may hold an
        evaluator token, not the reverse). Tokens without a user are only for programs and tests.
        """
        _check_role(role)
        name = _check_name(name, "Naam van het token")
        plaintext = "rb_" + secrets.token_urlsafe(32)
        with self._write() as conn:
            if user is not None:
                owner = conn.execute(sa.select(users).where(users.c.username == user)).first()
                if owner is None:
                    raise NotFound(f"Gebruiker {user} bestaat niet; een token hoort bij een bestaande gebruiker.")
                if owner.disabled_at is not None:
                    raise Conflict(f"Gebruiker {user} is uitgeschakeld; maak eerst de gebruiker weer actief.")
                if role not in TOKEN_ROLES[owner.role]:
                    raise Conflict(f"Gebruiker {user} heeft de rol {owner.role}; een token van die gebruiker kan "
                                   f"alleen de rol {' of '.join(sorted(TOKEN_ROLES[owner.role]))} hebben.")
            active = conn.execute(
                sa.select(tokens.c.id).where(tokens.c.name == name, tokens.c.revoked_at.is_(None))
            ).first()
            if active is not None:
                raise Conflict(f"Er bestaat al een actief token met de naam {name}; trek het eerst in.")
            conn.execute(tokens.insert().values(name=name, role=role, owner=user,
                                                token_hash=_sha256(plaintext.encode()), created_at=_utcnow()))
        return plaintext

    def check_token(self, plaintext: str | None) -> Principal | None:
        """The token's principal, or None if unknown, revoked, disabled, or its owner is disabled."""
        if not isinstance(plaintext, str) or not plaintext or len(plaintext) > 200:
            return None
        with self._read() as conn:
            row = conn.execute(
                sa.select(tokens.c.name, tokens.c.role, tokens.c.owner, users.c.disabled_at.label("owner_disabled"),
                          users.c.username.label("owner_exists"))
                .select_from(tokens.outerjoin(users, users.c.username == tokens.c.owner))
                .where(tokens.c.token_hash == _sha256(plaintext.encode()), tokens.c.revoked_at.is_(None),
                       tokens.c.disabled_at.is_(None))
            ).first()
        if row is None or (row.owner is not None and (row.owner_exists is None or row.owner_disabled is not None)):
            return None
        return Principal(row.name, row.role, user=row.owner, kind="token")

    def list_tokens(self) -> list[TokenInfo]:
        with self._read() as conn:
            rows = conn.execute(sa.select(tokens).order_by(tokens.c.created_at, tokens.c.id)).all()
        return [TokenInfo(r.name, r.role, r.created_at, r.revoked_at, r.owner, r.disabled_at) for r in rows]

    def revoke_token(self, name: str) -> None:
        with self._write() as conn:
            res = conn.execute(tokens.update().where(tokens.c.name == name, tokens.c.revoked_at.is_(None))
                               .values(revoked_at=_utcnow()))
        if res.rowcount == 0:
            raise NotFound(f"Er is geen actief token met de naam {name}.")
        log.warning("token %s ingetrokken", name)

    def set_token_disabled(self, name: str, disabled: bool) -> None:
        """Disable (or re-enable) the unrevoked token called ``name``: it stops working at once."""
        with self._write() as conn:
            res = conn.execute(tokens.update().where(tokens.c.name == name, tokens.c.revoked_at.is_(None))
                               .values(disabled_at=_utcnow() if disabled else None))
        if res.rowcount == 0:
            raise NotFound(f"Er is geen (niet-ingetrokken) token met de naam {name}.")
        log.warning("token %s %s", name, "uitgeschakeld" if disabled else "weer ingeschakeld")

    # ------------------------------------------------------------------ users

    def create_user(self, username: str, password: str, role: str, *, enforce_policy: bool = False) -> Principal:
        """A person who can log in. ``enforce_policy``: refuse a weak password (the console and pages do)."""
        from werkzeug.security import generate_password_hash

        username = _check_name(username, "Gebruikersnaam")
        if not isinstance(password, str) or not password:
            raise StoreError("Wachtwoord ontbreekt.")
        if enforce_policy and (problem := password_problem(password, username)):
            raise StoreError(problem)
        _check_role(role)
        try:
            with self._write() as conn:
                if conn.execute(sa.select(users.c.username).where(users.c.username == username)).first():
                    raise Conflict(f"Gebruiker {username} bestaat al.")
                conn.execute(users.insert().values(username=username, password_hash=generate_password_hash(password),
                                                   role=role, created_at=_utcnow()))
        except exc.IntegrityError:
            raise Conflict(f"Gebruiker {username} bestaat al.") from None
        return Principal(username, role, user=username)

    def check_user(self, username: str, password: str) -> Principal | None:
        """The user if the password is right and the user is enabled (same work either way: no timing oracle)."""
        from werkzeug.security import check_password_hash

        if not isinstance(username, str) or not isinstance(password, str) or len(password) > 1000:
            return None
        with self._read() as conn:
            row = conn.execute(sa.select(users).where(users.c.username == username.strip())).first()
        if row is None:
            check_password_hash(_dummy_hash(), password)
            return None
        if not check_password_hash(row.password_hash, password) or row.disabled_at is not None:
            return None
        return Principal(row.username, row.role, user=row.username)

    def get_user(self, username: str) -> UserInfo | None:
        if not isinstance(username, str):
            return None
        with self._read() as conn:
            r = conn.execute(sa.select(users).where(users.c.username == username.strip())).first()
        return UserInfo(r.username, r.role, r.created_at, r.disabled_at, r.password_changed_at) if r else None

    def list_users(self) -> list[UserInfo]:
        with self._read() as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.username)).all()
        return [UserInfo(r.username, r.role, r.created_at, r.disabled_at, r.password_changed_at) for r in rows]

    def set_password(self, username: str, new_password: str) -> None:
        """Change a password (policy enforced) and end the user's sessions."""
        from werkzeug.security import generate_password_hash

        if problem := password_problem(new_password, username):
            raise StoreError(problem)
        now = _utcnow()
        with self._write() as conn:
            res = conn.execute(users.update().where(users.c.username == username)
                               .values(password_hash=generate_password_hash(new_password), password_changed_at=now))
            if res.rowcount == 0:
                raise NotFound(f"Gebruiker {username} bestaat niet.")
            conn.execute(sessions.update().where(sessions.c.username == username, sessions.c.ended_at.is_(None))
                         .values(ended_at=now))
        log.warning("wachtwoord van %s gewijzigd; sessies beëindigd", username)

    def set_user_disabled(self, username: str, disabled: bool) -> None:
        """Disable (or re-enable) a user: their sessions end and their tokens stop working at once."""
        now = _utcnow()
        with self._write() as conn:
            res = conn.execute(users.update().where(users.c.username == username)
                               .values(disabled_at=now if disabled else None))
            if res.rowcount == 0:
                raise NotFound(f"Gebruiker {username} bestaat niet.")
            if disabled:
                conn.execute(sessions.update().where(sessions.c.username == username, sessions.c.ended_at.is_(None))
                             .values(ended_at=now))
        log.warning("gebruiker %s %s", username, "uitgeschakeld" if disabled else "weer ingeschakeld")

    # ------------------------------------------------------------------ sessions

    def start_session(self, username: str, address: str | None = None) -> str:
        """A new session for ``username``; returns the random id for the cookie (only its hash is stored)."""
        sid = secrets.token_urlsafe(32)
        now = _utcnow()
        with self._write() as conn:
            conn.execute(sessions.insert().values(id_hash=_sha256(sid.encode()), username=username, created_at=now,
                                                  last_seen=now, address=(address or "")[:64] or None))
        return sid

    def check_session(self, sid: str | None, idle: _dt.timedelta, absolute: _dt.timedelta) -> Principal | None:
        """The session's user if the session is open, within its idle and absolute lifetime, and the user enabled."""
        if not isinstance(sid, str) or not sid or len(sid) > 200:
            return None
        key = _sha256(sid.encode())
        now = _utcnow()
        with self._read() as conn:
            row = conn.execute(
                sa.select(sessions, users.c.role, users.c.disabled_at)
                .select_from(sessions.join(users, users.c.username == sessions.c.username))
                .where(sessions.c.id_hash == key)
            ).first()
        if row is None or row.ended_at is not None or row.disabled_at is not None:
            return None
        if now - row.last_seen > idle or now - row.created_at > absolute:
            self.end_session(sid)
            return None
        if now - row.last_seen > min(_dt.timedelta(seconds=30), idle / 4):  # not a write per request
            with self._write() as conn:
                conn.execute(sessions.update().where(sessions.c.id_hash == key).values(last_seen=now))
        return Principal(row.username, row.role, user=row.username, kind="session")

    def end_session(self, sid: str | None) -> None:
        if not isinstance(sid, str) or not sid:
            return
        with self._write() as conn:
            conn.execute(sessions.update().where(sessions.c.id_hash == _sha256(sid.encode()),
                                                 sessions.c.ended_at.is_(None)).values(ended_at=_utcnow()))

    # ------------------------------------------------------------------ login throttling

    def login_wait(self, keys: list[str]) -> int:
        """Seconds before the next login attempt for any of ``keys`` is allowed (0: now)."""
        now = _utcnow()
        with self._read() as conn:
            rows = conn.execute(sa.select(login_throttle).where(login_throttle.c.key.in_(keys))).all()
        wait = 0.0
        for r in rows:
            if now - r.last_failure > FORGET_AFTER and not (r.locked_until and r.locked_until > now):
                continue
            if r.locked_until and r.locked_until > now:
                wait = max(wait, (r.locked_until - now).total_seconds())
            elif r.failures >= FREE_FAILURES:
                delay = min(2 ** (r.failures - FREE_FAILURES), MAX_DELAY_SECONDS)
                wait = max(wait, (r.last_failure + _dt.timedelta(seconds=delay) - now).total_seconds())
        return int(wait) + (1 if wait > int(wait) else 0)

    def record_login_failure(self, keys: list[str]) -> None:
        now = _utcnow()
        with self._write() as conn:
            for key in keys:
                row = conn.execute(sa.select(login_throttle).where(login_throttle.c.key == key)).first()
                failures = 1 if row is None or now - row.last_failure > FORGET_AFTER else row.failures + 1
                locked = now + _dt.timedelta(minutes=LOCK_MINUTES) if failures >= LOCK_AFTER else None
                values = {"failures": failures, "last_failure": now, "locked_until": locked}
                if row is None:
                    conn.execute(login_throttle.insert().values(key=key, **values))
                else:
                    conn.execute(login_throttle.update().where(login_throttle.c.key == key).values(**values))
                if failures == LOCK_AFTER:
                    log.warning("inloggen geblokkeerd voor %s tot %s na %d mislukte pogingen", key,
                                locked.isoformat(timespec="seconds"), failures)
                elif failures >= FREE_FAILURES:
                    log.warning("mislukte inlogpoging %d voor %s", failures, key)

    def record_login_success(self, keys: list[str]) -> None:
        with self._write() as conn:
            conn.execute(login_throttle.delete().where(login_throttle.c.key.in_(keys)))


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        from werkzeug.security import generate_password_hash

        _DUMMY.append(generate_password_hash(secrets.token_hex(16)))
    return _DUMMY[0]
