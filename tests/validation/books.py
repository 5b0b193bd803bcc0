"""Workbooks for the validation tests: the shared builder (tests/workbooks.py) with one table, and findings."""
from __future__ import annotations

from ..workbooks import book, table  # noqa: F401 (book and table are used by the tests)


def one_table(inputs, outputs, rows, hit="U", **kwargs) -> bytes:
    """A workbook with one table 'Tabel'. inputs: (name, type, allowed, default); outputs: (name, type, allowed)."""
    glossary = list(inputs) + [(name, type_, allowed, None) for name, type_, allowed in outputs]
    return book(glossary, [table("Tabel", hit, [i[0] for i in inputs], [o[0] for o in outputs], rows, **kwargs)])


def findings_of(content: bytes, code: str | None = None, severity: str | None = None):
    from engine import validate
    return [f for f in validate(content) if (code is None or f.code == code)
            and (severity is None or f.severity == severity)]
