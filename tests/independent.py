"""Run a DMN file through an independent engine: dmn-moddle + feelin (npm), see tests/js/evaluate.mjs.

Used by tests/test_dmn_export_independent.py, and from the console to measure how many Voorbeelden
examples an engine without Regelbank's extension reproduces from the exports::

    .venv/bin/python -m tests.independent            # dmn/ as checked in
    .venv/bin/python -m tests.independent --fresh    # export the workbooks first (what the test does)
"""
from __future__ import annotations

import datetime as _dt
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "tests" / "js"
SCRIPT = JS / "evaluate.mjs"


class NodeMissing(RuntimeError):
    pass


def ensure_node_modules() -> None:
    """`npm ci` in tests/js when node_modules is missing or older than package-lock.json (no global install)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise NodeMissing("node and npm are needed (Debian: apt-get install nodejs npm)")
    lock, marker = JS / "package-lock.json", JS / "node_modules" / ".package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=JS, check=True,
                   stdout=subprocess.DEVNULL, timeout=600)


def to_json(value):
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, _dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return str(value)


def same(actual, expected) -> bool:
    """The independent engine's JSON value against a Regelbank value (numbers within 1e-9)."""
    expected = to_json(expected)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return abs(actual - expected) <= 1e-9 * max(1.0, abs(expected))
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected))
    return actual == expected


def run(dmn_path: Path, cases: list[dict]) -> dict:
    """Evaluate [{"id", "inputs"}] against the DMN file; the script's answer (see evaluate.mjs)."""
    request = json.dumps({"dmn": str(dmn_path), "cases": [{"id": c["id"], "inputs": to_json(c["inputs"])}
                                                         for c in cases]})
    done = subprocess.run(["node", str(SCRIPT)], input=request, capture_output=True, text=True, cwd=JS,
                          timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"evaluate.mjs failed on {dmn_path}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def check_examples(dmn_path: Path, examples) -> tuple[int, list[str], dict]:
    """(examples passed, failure messages, answer) for a model's Voorbeelden against the DMN file."""
    answer = run(dmn_path, [{"id": e.id, "inputs": e.inputs} for e in examples])
    passed, failures = 0, []
    for example, case in zip(examples, answer["cases"]):
        wrong = [f"{name}: expected {to_json(want)!r}, got {case['outputs'].get(name)!r}"
                 for name, want in example.expected.items() if not same(case["outputs"].get(name), want)]
        if wrong or case["errors"]:
            failures.append(f"{dmn_path.name} {example.id}: " + "; ".join(wrong + case["errors"]))
        else:
            passed += 1
    return passed, failures, answer


def main(argv=None) -> int:
    import tempfile

    import engine
    from regelbank.export import DMN_DIR, SPREADSHEETS, bundled_workbooks, dmn_path_for, export_file

    fresh = "--fresh" in (argv if argv is not None else sys.argv[1:])
    ensure_node_modules()
    total = passed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for workbook in bundled_workbooks(SPREADSHEETS):
            examples = engine.load(workbook).model.examples
            path = dmn_path_for(workbook, SPREADSHEETS, DMN_DIR)
            if fresh:
                path = Path(tmp) / f"{workbook.parent.name}-{workbook.stem}.dmn"
                path.write_bytes(export_file(workbook))
            ok, failures, _ = check_examples(path, examples)
            total += len(examples)
            passed += ok
            print(f"{workbook.parent.name}/{workbook.stem}: {ok}/{len(examples)}")
    print(f"independent engine (dmn-moddle + feelin): {passed} of {total} examples")
    return 0 if passed == total else 1


if __name__ == "__main__":
    sys.exit(main())
