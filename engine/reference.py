"""pyDMNrules as a reference evaluator, for differential tests and benchmarks (not used in production).

pyDMNrules 1.4.5 is the reference reader of the workbook format. Its known faults (see issue 5 and
tests/test_differential.py) are Regelbank's to get right; this adapter only makes it comparable:

- one ``pyDMNrules.DMN`` per thread (a shared instance gives wrong answers under threads);
- inputs are passed as plain Python data; a string that pyDMNrules would read as FEEL (quotes,
  backslashes, newlines) is refused with ``ReferenceUnsupported`` instead of being interpreted;
- integers come back as floats: ``outputs`` gives whole floats back as int, other floats as Decimal
  (via repr), so outputs compare with the engine's numbers;
- 'Executed Rule' ``(decision, table, rule id)`` becomes the list of fired rule ids, per table.
"""
from __future__ import annotations

import datetime as _dt
import os
import tempfile
import threading
from decimal import Decimal


class ReferenceUnsupported(ValueError):
    """The case cannot be given to pyDMNrules without it reading data as FEEL."""


class ReferenceError_(RuntimeError):
    """pyDMNrules reported errors loading or deciding."""


class ReferenceNoMatch(ReferenceError_):
    """pyDMNrules found no rule in a table (it reports that as an error and returns no result)."""

    def __init__(self, message: str, tables: list[str]):
        super().__init__(message)
        self.tables = tables


def _number(value):
    if isinstance(value, bool) or not isinstance(value, float):
        return value
    if value != value or value in (float("inf"), float("-inf")):
        return None
    if value.is_integer():
        return int(value)
    return Decimal(repr(value))


def normalise(value):
    """pyDMNrules' value as the engine would give it (floats to int/Decimal, lists element-wise)."""
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return _number(value)


def _data(value):
    if isinstance(value, str):
        if any(ch in value for ch in '"\\\n\r\t') or value.strip() != value:
            raise ReferenceUnsupported(f"pyDMNrules zou de tekst {value!r} als FEEL lezen")
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        raise ReferenceUnsupported("datums worden niet vergeleken met pyDMNrules")
    return value


class Reference:
    """pyDMNrules over one workbook (path or bytes) or DMN XML text; safe to call from many threads."""

    def __init__(self, source, name: str = "workbook.xlsx", xml: bool | None = None):
        if isinstance(source, (bytes, bytearray)):
            if xml is None:
                xml = bytes(source).lstrip()[:1] == b"<"
            if xml:
                self._xml, self._path = bytes(source).decode("utf-8"), None
            else:
                handle, path = tempfile.mkstemp(suffix=os.path.splitext(name)[1] or ".xlsx")
                with os.fdopen(handle, "wb") as out:
                    out.write(source)
                self._xml, self._path = None, path
                self._cleanup = path
        else:
            path = str(source)
            if xml is None:
                xml = path.lower().endswith((".dmn", ".xml"))
            self._xml = open(path, encoding="utf-8").read() if xml else None
            self._path = None if xml else path
        self._local = threading.local()

    def close(self):
        path = getattr(self, "_cleanup", None)
        if path and os.path.exists(path):
            os.unlink(path)

    def __del__(self):  # pragma: no cover - best effort
        try:
            self.close()
        except Exception:
            pass

    def dmn(self):
        dmn = getattr(self._local, "dmn", None)
        if dmn is None:
            import pyDMNrules
            dmn = pyDMNrules.DMN()
            status = dmn.useXML(self._xml) if self._xml is not None else dmn.load(self._path)
            if isinstance(status, dict) and status.get("errors"):
                raise ReferenceError_(f"pyDMNrules kan het model niet laden: {status['errors']}")
            self._local.dmn = dmn
        return dmn

    def decide_raw(self, inputs: dict):
        data = {name: _data(value) for name, value in inputs.items()}
        status, results = self.dmn().decide(data)
        if isinstance(status, dict) and status.get("errors"):
            errors = status["errors"]
            prefix = "No rules matched the input data for decision table '"
            if all(isinstance(e, str) and e.startswith(prefix) for e in errors):
                raise ReferenceNoMatch(f"pyDMNrules: {errors}", [e[len(prefix):].rstrip("'") for e in errors])
            raise ReferenceError_(f"pyDMNrules: {errors}")
        return results

    def decide(self, inputs: dict, output_names=None) -> tuple[dict, list[tuple[str, str]]]:
        """(outputs, fired) where fired is [(table, rule id)] in pyDMNrules' order."""
        results = self.decide_raw(inputs)
        if isinstance(results, dict):
            results = [results]
        fired: list[tuple[str, str]] = []
        final: dict = {}
        for part in results or []:
            executed = part.get("Executed Rule")
            for item in _executed(executed):
                fired.append((item[1], item[2]))
            final = part.get("Result", final)
        outputs = {k: normalise(v) for k, v in final.items()}
        if output_names is not None:
            outputs = {name: outputs.get(name) for name in output_names}
        return outputs, fired


def _executed(executed):
    if not executed:
        return []
    if isinstance(executed, tuple) and len(executed) == 3 and all(isinstance(x, str) for x in executed):
        return [executed]
    if isinstance(executed, list):
        out = []
        for item in executed:
            out.extend(_executed(item))
        return out
    return []
