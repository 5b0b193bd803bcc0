"""How the JSON APIs answer errors: one mapping from what went wrong to status, code and Dutch message."""
from __future__ import annotations

import datetime as _dt

from flask import request

import engine
from regelbank import jsonout
from regelbank.cases import CasesFileError
from regelbank.service import AlreadyPublished, NeedsConfirmation, PublishRejected
from store import Conflict, NoVersionInForce, NotFound, StoreError

from .auth import api_error
from .uploads import UploadRefused


class ApiRefused(ValueError):
    """A request the API refuses, with its HTTP status and error code."""

    def __init__(self, message: str, status: int = 400, code: str = "bad-request"):
        super().__init__(message)
        self.status, self.code = status, code


def date_arg(value, name: str):
    if value in (None, ""):
        return None
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise ApiRefused(f"'{name}' moet een datum zijn in de vorm JJJJ-MM-DD, niet '{value}'.") from None


def json_body(expected: str) -> dict:
    """The request's JSON object (exact decimals), or a Dutch 400 saying what is wrong with it."""
    try:
        return jsonout.read_object(request.get_data(cache=True), expected)
    except ValueError as exc:
        raise ApiRefused(str(exc)) from None


def register_error_handlers(bp) -> None:
    handlers = {
        ApiRefused: lambda e: api_error(e.status, e.code, str(e)),
        NotFound: lambda e: api_error(404, "not-found", str(e)),
        NoVersionInForce: lambda e: api_error(409, "no-version-in-force", str(e)),
        Conflict: lambda e: api_error(409, "conflict", str(e)),
        StoreError: lambda e: api_error(400, "bad-request", str(e)),
        CasesFileError: lambda e: api_error(400, "cases-file-invalid", str(e)),
        UploadRefused: lambda e: api_error(e.status, "upload-refused", str(e)),
        engine.InputError: lambda e: api_error(400, "invalid-input", str(e), problems=e.problems),
        engine.EvaluationError: lambda e: api_error(422, "rules-cannot-decide", str(e), table=e.table, rules=e.rules),
        PublishRejected: lambda e: api_error(422, "workbook-invalid",
                                             "Niet gepubliceerd: de werkmap bevat fouten. Er is niets opgeslagen.",
                                             findings=[f.as_dict() for f in e.findings]),
        NeedsConfirmation: lambda e: api_error(409, "retroactive-confirmation-required",
                                               f"{e} Stuur het veld retroactive=true mee om te bevestigen.",
                                               retroactive=e.effect.as_dict()),
        AlreadyPublished: lambda e: api_error(409, "version-withdrawn", str(e), version=e.version.hash),
        413: lambda e: api_error(413, "upload-too-large", "Het bestand is te groot."),
    }
    for error, handler in handlers.items():
        bp.register_error_handler(error, handler)
