"""Run the DMN corpus: public models with their authors' own expected results.

Each ``<model>.cases.json`` beside a ``.dmn`` file gives the model's source and licence and its
cases: ``decision`` (name or id), ``inputs``, and ``expected`` (the decision's value) or
``expected_error: true`` (null plus a diagnostic). Values are JSON; numbers are read as decimals;
``{"$date": "2020-01-31"}``, ``{"$datetime": ...}``, ``{"$time": ...}``, ``{"$duration": ...}``
are temporal values. ``known_failure`` on a case says why Regelbank does not (yet) give the
authors' answer; the test then expects the failure, so a fix shows up.

    .venv/bin/python -m tests.dmn_corpus.corpus        # a table per model, for docs/dmn.md
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from engine.dmn import directory_resolver, load_dmn
from regelbank.tck import same

CORPUS = Path(__file__).resolve().parent


def spec_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.cases.json"))


def _value(value):
    if isinstance(value, dict):
        if len(value) == 1:
            (key, text), = value.items()
            if key in ("$date", "$datetime", "$time", "$duration"):
                return _temporal(key, text)
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _temporal(kind: str, text: str):
    from engine.feel.builtins import BUILTINS
    name = {"$date": "date", "$datetime": "date and time", "$time": "time", "$duration": "duration"}[kind]
    return BUILTINS[name].invoke([text])


def load_spec(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


_MODELS: dict = {}


def load_model(spec_path: Path, spec: dict):
    key = str(spec_path)
    if key not in _MODELS:
        model_path = spec_path.parent / spec["model"]
        _MODELS[key] = load_dmn(model_path.read_bytes(), model_path.name, directory_resolver(model_path.parent))
    return _MODELS[key]


def decision_name(rules, wanted: str) -> str | None:
    dmn = rules.dmn
    if wanted in dmn.decisions:
        return wanted
    for decision in dmn.decisions.values():
        if decision.id == wanted:
            return decision.name
    return None


def run_case(rules, case: dict) -> tuple[bool, str]:
    """(passed, message) for one case."""
    if rules is None:
        return False, "model niet geladen"
    name = decision_name(rules, case["decision"])
    if name is None:
        return False, f"geen beslissing '{case['decision']}'"
    inputs = {k: _value(v) for k, v in case.get("inputs", {}).items()}
    outcome = rules.evaluate_decisions(inputs, decisions=[name])
    actual = outcome.values.get(name)
    if case.get("expected_error"):
        if actual is None and outcome.diagnostics.get(name):
            return True, ""
        return False, f"fout verwacht, uitkomst {actual!r} (meldingen: {outcome.diagnostics.get(name)})"
    expected = _value(case.get("expected"))
    if case.get("unordered") and isinstance(actual, list) and isinstance(expected, list):
        actual, expected = sorted(actual, key=repr), sorted(expected, key=repr)   # "contains" in the test
    if same(actual, expected):
        return True, ""
    return False, (f"verwacht {expected!r}, uitkomst {actual!r}; meldingen: "
                   f"{[str(d) for d in outcome.diagnostics.get(name, [])][:3]}")


def run_all() -> list[dict]:
    rows = []
    for path in spec_files():
        spec = load_spec(path)
        rules, findings = load_model(path, spec)
        results = [run_case(rules, case) for case in spec["cases"]]
        rows.append({"model": str(path.parent.relative_to(CORPUS) / spec["model"]),
                     "loaded": rules is not None, "cases": len(results),
                     "passed": sum(ok for ok, _ in results),
                     "failures": [m for ok, m in results if not ok],
                     "findings": [f.message for f in findings if f.severity == "error"]})
    return rows


if __name__ == "__main__":
    rows = run_all()
    for row in rows:
        print(f"| {row['model']} | {'ja' if row['loaded'] else 'nee'} | {row['passed']}/{row['cases']} | "
              f"{'; '.join(row['failures'] + row['findings'])[:200]} |")
    print(f"models {len(rows)}, loaded {sum(r['loaded'] for r in rows)}, cases "
          f"{sum(r['passed'] for r in rows)}/{sum(r['cases'] for r in rows)}")
