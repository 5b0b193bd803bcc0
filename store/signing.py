"""Signing the decision log's chain head with a key kept outside the database (Ed25519).

The log writer signs the head of the chain once per commit batch: the message is the position and
hash of the last record of the batch. Whoever holds the public key can check that a head was
produced by the application, and since every record's hash depends on all records before it, a
signed head vouches for the whole chain up to it. Someone who can write to the database but does
not hold the private key can no longer rewrite a decision and recompute later hashes unnoticed.

Where the key lives (never in the database):

- ``REGELBANK_LOG_SIGNING_KEY``: the 32-byte private seed as 64 hex characters (secret managers,
  several app servers sharing one key), or else
- ``<instance>/log_signing_key``: the same hex text, created on first use with mode 0600.

The public keys that ``audit verify`` trusts are in ``<instance>/log_public_keys`` (one
``key_id public_key_hex`` per line; a rotated-out key stays listed so older signatures still
verify) and in ``REGELBANK_LOG_PUBLIC_KEYS`` (comma-separated public keys in hex). An auditor
should keep a copy of the public keys (and of receipts) outside the application's reach.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_ENV = "REGELBANK_LOG_SIGNING_KEY"
PUBLIC_KEYS_ENV = "REGELBANK_LOG_PUBLIC_KEYS"
KEY_FILE = "log_signing_key"
PUBLIC_KEYS_FILE = "log_public_keys"
ANCHOR_FILE = "log_anchor.json"


class SigningKeyError(ValueError):
    """The signing key or the list of public keys cannot be read (Dutch message)."""


def head_message(seq: int, head_hash: str) -> bytes:
    """The bytes that are signed for a chain head: versioned, so the format can change later."""
    return f"regelbank-log-head/v1\n{int(seq)}\n{head_hash}".encode("ascii")


def _raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw_public(public)).hexdigest()[:16]


def _private_from_hex(text: str, where: str) -> Ed25519PrivateKey:
    try:
        seed = bytes.fromhex(text.strip())
        if len(seed) != 32:
            raise ValueError
        return Ed25519PrivateKey.from_private_bytes(seed)
    except ValueError:
        raise SigningKeyError(f"De ondertekeningssleutel in {where} is ongeldig: verwacht 64 hexadecimale tekens.") \
            from None


def _public_from_hex(text: str, where: str) -> Ed25519PublicKey:
    try:
        raw = bytes.fromhex(text.strip())
        if len(raw) != 32:
            raise ValueError
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise SigningKeyError(f"Publieke sleutel in {where} is ongeldig: verwacht 64 hexadecimale tekens.") from None


@dataclass(frozen=True)
class SignedHead:
    seq: int
    hash: str
    key_id: str
    signature: str  # hex

    def to_dict(self) -> dict:
        return {"seq": self.seq, "hash": self.hash, "key_id": self.key_id, "signature": self.signature}


class TrustedKeys:
    """Public keys by key id: what a verifier trusts (it never needs the private key)."""

    def __init__(self, keys: dict[str, Ed25519PublicKey] | None = None):
        self.keys = dict(keys or {})

    def add(self, public: Ed25519PublicKey) -> str:
        kid = key_id_of(public)
        self.keys[kid] = public
        return kid

    def __bool__(self) -> bool:
        return bool(self.keys)

    def verify(self, seq: int, head_hash: str, key_id: str, signature: str) -> bool:
        public = self.keys.get(key_id)
        if public is None:
            return False
        try:
            public.verify(bytes.fromhex(signature), head_message(seq, head_hash))
            return True
        except (InvalidSignature, ValueError):
            return False

    @classmethod
    def load(cls, instance: Path | None) -> "TrustedKeys":
        trusted = cls()
        if instance is not None:
            path = Path(instance) / PUBLIC_KEYS_FILE
            if path.exists():
                for number, line in enumerate(path.read_text().splitlines(), start=1):
                    parts = line.split()
                    if parts and not line.lstrip().startswith("#"):
                        trusted.add(_public_from_hex(parts[-1], f"{path} regel {number}"))
        for item in filter(None, (os.environ.get(PUBLIC_KEYS_ENV) or "").split(",")):
            trusted.add(_public_from_hex(item, PUBLIC_KEYS_ENV))
        return trusted


class LogSigner:
    """Signs chain heads with one private key; verifies with every trusted public key."""

    def __init__(self, private: Ed25519PrivateKey, trusted: TrustedKeys | None = None,
                 anchor: Path | None = None):
        self._private = private
        self.public = private.public_key()
        self.key_id = key_id_of(self.public)
        self.trusted = trusted or TrustedKeys()
        self.trusted.add(self.public)
        self.anchor = anchor   # file where the last signed head is kept outside the database

    def sign(self, seq: int, head_hash: str) -> SignedHead:
        return SignedHead(seq, head_hash, self.key_id, self._private.sign(head_message(seq, head_hash)).hex())

    def public_hex(self) -> str:
        return _raw_public(self.public).hex()

    @classmethod
    def generate(cls, anchor: Path | None = None) -> "LogSigner":
        return cls(Ed25519PrivateKey.generate(), anchor=anchor)

    @classmethod
    def for_instance(cls, instance: Path) -> "LogSigner":
        """The key from the environment, or the instance folder's key file (created, mode 0600)."""
        instance = Path(instance)
        instance.mkdir(parents=True, exist_ok=True)
        if os.environ.get(KEY_ENV):
            private = _private_from_hex(os.environ[KEY_ENV], KEY_ENV)
        else:
            path = instance / KEY_FILE
            if not path.exists():
                _write_private(path, Ed25519PrivateKey.generate())
            private = _private_from_hex(path.read_text(), str(path))
        trusted = TrustedKeys.load(instance)
        signer = cls(private, trusted, anchor=instance / ANCHOR_FILE)
        _remember_public(instance, signer)
        return signer


def _write_private(path: Path, private: Ed25519PrivateKey) -> None:
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption()).hex()
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(seed + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _remember_public(instance: Path, signer: LogSigner) -> None:
    path = instance / PUBLIC_KEYS_FILE
    known = path.read_text() if path.exists() else ""
    if signer.public_hex() not in known:
        with open(path, "a") as f:
            f.write(f"{signer.key_id} {signer.public_hex()}\n")


def rotate_key(instance: Path) -> tuple[str, str]:
    """A new private key in the instance folder; the old public key stays trusted. (old id, new id)."""
    if os.environ.get(KEY_ENV):
        raise SigningKeyError(f"De sleutel komt uit {KEY_ENV}: vervang hem daar (en zet de oude publieke sleutel in "
                              f"{PUBLIC_KEYS_ENV} of {PUBLIC_KEYS_FILE}).")
    instance = Path(instance)
    old = LogSigner.for_instance(instance)   # makes sure the old public key is listed
    _write_private(instance / KEY_FILE, Ed25519PrivateKey.generate())
    new = LogSigner.for_instance(instance)
    return old.key_id, new.key_id
