"""Exceptions raised by the store. Messages are Dutch: they reach policy officers."""


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class NotFound(StoreError, LookupError):
    """A rule set, version, decision, token or user does not exist."""


class NoVersionInForce(StoreError):
    """The rule set exists, but no active version applies on the requested date."""


class Conflict(StoreError):
    """The operation contradicts the current state (four-eyes rule, duplicate name, ...)."""
