"""The OpenAPI 3.1 document for /api/v1, served at /api/v1/openapi.json without a token."""
from __future__ import annotations

import engine

_RULESET = [{"name": "gemeente", "in": "path", "required": True, "schema": {"type": "string"}, "example": "kampen"},
            {"name": "naam", "in": "path", "required": True, "schema": {"type": "string"}, "example": "autoaanpassing"}]
_VERSION = [{"name": "version", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "SHA-256 of the workbook, or an unambiguous prefix"}]
_ERR = {"$ref": "#/components/responses/Error"}
_AUTH_ERRORS = {"401": _ERR, "403": _ERR}
_UPLOAD = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": ".xlsx workbook (max 10 MB)"},
                   "valid_from": {"type": "string", "format": "date"}, "comment": {"type": "string"},
                   "council_decision": {"type": "string"}, "ruleset": {"type": "string"}}}}}}


def _op(summary, role=None, params=(), body=None, ok=None, errors=("400", "404")):
    op = {"summary": summary, "parameters": list(params),
          "responses": {"200": ok or {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                        **{code: _ERR for code in errors}}}
    if role:
        op["description"] = f"Role: {role}."
        op["responses"].update(_AUTH_ERRORS)
    else:
        op["security"] = []
    if body:
        op["requestBody"] = body
    return op


def openapi_document() -> dict:
    evaluate_body = {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["inputs"],
        "properties": {"inputs": {"type": "object", "description": "input name -> value"},
                       "as_of": {"type": "string", "format": "date", "description": "peildatum; default today"}}},
        "example": {"inputs": {"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150}}}}}
    decision = {"description": "The decision", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Regelbank API", "version": "1", "description":
                 "Evaluate Wmo decision tables, publish versions, and audit the decision log. "
                 "Send 'Authorization: Bearer <token>' (create one with `regelbank token create`). "
                 f"Engine: {engine.ENGINE_VERSION}."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/health": {"get": _op("Health check", errors=())},
            "/openapi.json": {"get": _op("This document", errors=())},
            "/rulesets": {"get": _op("Rule sets with their version in force", "evaluator, editor, auditor",
                                     [{"name": "as_of", "in": "query", "schema": {"type": "string", "format": "date"}}])},
            "/rulesets/{gemeente}/{naam}": {"get": _op("Inputs, outputs and tables of the version in force",
                                                       "evaluator, editor, auditor", _RULESET)},
            "/rulesets/{gemeente}/{naam}/evaluate": {"post": _op(
                "Evaluate a case against the version in force on as_of; logged in the decision log",
                "evaluator, editor", _RULESET, evaluate_body, decision, ("400", "404", "409", "422", "503"))},
            "/rulesets/{gemeente}/{naam}/batch": {"post": _op(
                "Evaluate a caseload (CSV or xlsx, at most 5 MB / 200,000 rows): outputs, fired rule ids and an "
                "error per case; format=json (default), csv or xlsx. Not written to the decision log.",
                "evaluator, editor", _RULESET, {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"},
                                   "as_of": {"type": "string", "format": "date"},
                                   "format": {"type": "string", "enum": ["json", "csv", "xlsx"]}}}}}},
                errors=("400", "404", "409", "413", "415"))},
            "/rulesets/{gemeente}/{naam}/impact": {
                "get": _op("Impact of a new version on the examples of both versions: changed outcomes, rows fired "
                           "before and after, SVG chart (format=svg for the chart alone)", "evaluator, editor, auditor",
                           _RULESET + [{"name": n, "in": "query", "required": n != "format", "schema": {"type": "string"}}
                                       for n in ("from", "to", "format")]),
                "post": _op("Impact of a new version on an uploaded caseload (multipart file) or JSON cases",
                            "evaluator, editor, auditor", _RULESET, {"required": True, "content": {
                                "multipart/form-data": {"schema": {"type": "object", "required": ["from", "to"], "properties": {
                                    "file": {"type": "string", "format": "binary"}, "from": {"type": "string"},
                                    "to": {"type": "string"}, "format": {"type": "string", "enum": ["json", "svg"]}}}},
                                "application/json": {"schema": {"type": "object", "required": ["from", "to"], "properties": {
                                    "from": {"type": "string"}, "to": {"type": "string"},
                                    "cases": {"type": "array", "items": {"type": "object"}}}}}}},
                            errors=("400", "404", "413"))},
            "/rulesets/{gemeente}/{naam}/versions": {
                "get": _op("Versions of a rule set, newest valid_from first", "evaluator, editor, auditor", _RULESET),
                "post": {**_op("Validate and publish a workbook (multipart); nothing is stored on any finding",
                               "editor", _RULESET, _UPLOAD, errors=("400", "413", "415", "422")),
                         "responses": {"201": {"description": "Published (or pending approval)"},
                                       **{c: _ERR for c in ("400", "401", "403", "413", "415", "422")}}}},
            "/rulesets/{gemeente}/{naam}/versions/{version}": {"get": _op("One version", "evaluator, editor, auditor",
                                                                          _RULESET + _VERSION)},
            "/rulesets/{gemeente}/{naam}/versions/{version}/download": {"get": _op(
                "The original .xlsx", "evaluator, editor, auditor", _RULESET + _VERSION,
                ok={"description": "The workbook", "content": {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}})},
            "/rulesets/{gemeente}/{naam}/versions/{version}/dmn": {"get": _op(
                "The version as DMN 1.3 XML (a DMN upload as stored, a workbook exported with diagram)",
                "evaluator, editor, auditor", _RULESET + _VERSION,
                ok={"description": "DMN XML", "content": {"application/xml": {}}})},
            "/rulesets/{gemeente}/{naam}/versions/{version}/withdraw": {"post": _op(
                "Withdraw a version (recorded, nothing deleted)", "editor", _RULESET + _VERSION,
                {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}}}}})},
            "/rulesets/{gemeente}/{naam}/versions/{version}/approve": {"post": _op(
                "Approve a pending version (four-eyes; a different editor than the publisher)", "editor",
                _RULESET + _VERSION, errors=("404", "409"))},
            "/rulesets/{gemeente}/{naam}/diff": {"get": _op(
                "Rows added, removed and changed between two versions, by rule id, cell by cell",
                "evaluator, editor, auditor",
                _RULESET + [{"name": "from", "in": "query", "required": True, "schema": {"type": "string"}},
                            {"name": "to", "in": "query", "required": True, "schema": {"type": "string"}}])},
            "/validate": {"post": _op("Validate a workbook without publishing: findings with sheet and cell",
                                      "editor", body=_UPLOAD, errors=("400", "413", "415"))},
            "/compare": {"post": _op(
                "Evaluate one caseload against two rule sets (e.g. two gemeenten) and list where they differ",
                "evaluator, editor", body={"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["a", "b", "cases"],
                    "properties": {"a": {"type": "string", "example": "kampen/dagbesteding"},
                                   "b": {"type": "string", "example": "midden-holland/dagbesteding"},
                                   "cases": {"type": "string", "format": "binary", "description": "CSV or xlsx"},
                                   "as_of": {"type": "string", "format": "date"}}}}}})},
            "/decisions": {"get": _op("Search the decision log", "auditor", [
                {"name": n, "in": "query", "schema": {"type": "string"}} for n in ("ruleset", "from", "to", "rule", "id")]
                + [{"name": n, "in": "query", "schema": {"type": "integer"}} for n in ("limit", "offset")])},
            "/decisions/{decision_id}": {"get": _op(
                "One logged decision with inputs, outputs, version, trace and hash chain", "auditor",
                [{"name": "decision_id", "in": "path", "required": True, "schema": {"type": "string"}}])},
            "/decisions/{decision_id}/replay": {"post": _op(
                "Re-evaluate a logged decision against its version; reports whether it is identical", "auditor",
                [{"name": "decision_id", "in": "path", "required": True, "schema": {"type": "string"}}])},
            "/audit/verify": {"get": _op("Verify the hash chain and the head signatures of the decision log",
                                         "auditor", errors=())},
            "/audit/verify-receipt": {"post": _op(
                "Check a receipt from an evaluate answer: its signature, and that the log still holds the decision "
                "under the signed head (409 when not)", "auditor",
                body={"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
                errors=("409",))},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "Error (message in Dutch)", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"},
                    "problems": {"type": "array", "items": {"type": "object"}},
                    "findings": {"type": "array", "items": {"type": "object"}}}}}}}}}},
            "schemas": {"Decision": {"type": "object", "required": ["ruleset", "version", "outputs", "fired", "explanation"],
                                     "properties": {
                                         "ruleset": {"type": "string"}, "version": {"type": "string"},
                                         "valid_from": {"type": "string", "format": "date"},
                                         "as_of": {"type": "string", "format": "date"},
                                         "outputs": {"type": "object"},
                                         "fired": {"type": "array", "items": {"type": "object", "properties": {
                                             "table": {"type": "string"}, "rule": {"type": "string"},
                                             "annotation": {"type": "string"}, "source": {"type": "string"}}}},
                                         "explanation": {"type": "string"}, "decided": {"type": "boolean"},
                                         "decision_id": {"type": "string"},
                                         "receipt": {"type": "object", "description":
                                                     "Keep it: decision_id, seq, hash and the signed log head "
                                                     "(seq, hash, key_id, Ed25519 signature); check it later with "
                                                     "POST /audit/verify-receipt or `regelbank audit verify-receipt`."}}}},
        },
    }
