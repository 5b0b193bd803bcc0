"""Run the DMN TCK (Technology Compatibility Kit) test cases against the Regelbank engine.

    regelbank tck ../shared/dmn-tck/compliance-level-2 [--verbose]
    python -m regelbank.tck ../shared/dmn-tck/compliance-level-3

Each model (``*.dmn``) is loaded through ``engine.load_bytes``; each ``*-test-*.xml`` file next to
it lists test cases (input values, expected results; schema ``testCases.xsd``). The runner is
honest: a case passes only when every result node equals the expected value under FEEL value
equality (numbers by decimal value, temporal values with their offset or zone, lists and contexts
element by element); an expected null is checked as a null value, and ``errorResult="true"`` also
needs a diagnostic recorded for that result. An exception never counts as a pass, and a result
node naming no decision of the model fails the case. A case is errored when the model cannot be
loaded or the evaluation raises; otherwise a mismatch is failed.
"""
from __future__ import annotations

import datetime as _dt
import sys
import time
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import click
import defusedxml.ElementTree as ET

import engine
from engine import feel

TC_NS = "http://www.omg.org/spec/DMN/20160719/testcase"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PASSED, FAILED, ERRORED = "passed", "failed", "errored"
# Expected numbers in the TCK were often computed in binary floating point and printed with 15
# significant digits (2778.69354943277); we compute in 34-digit decimal. Accept a relative
# difference up to this (about what double precision guarantees after a few operations).
RELATIVE_TOLERANCE = Decimal("1e-12")


def _q(tag: str) -> str:
    return f"{{{TC_NS}}}{tag}"


# ------------------------------------------------------------------ values

def _parse_time(text: str):
    try:
        return _dt.time.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text


def _temporal(kind: str, text: str):
    """An xsd dateTime, time or duration as the FEEL value the engine would build from it (the
    FEEL built-ins ``date and time``, ``time``, ``duration`` where available)."""
    builtin = {"dateTime": "date and time", "time": "time", "duration": "duration"}[kind]
    try:
        from engine.feel.builtins import BUILTINS
    except ImportError:
        BUILTINS = {}
    if builtin in BUILTINS:
        try:
            value = BUILTINS[builtin].invoke([text])
        except Exception:  # noqa: BLE001 - a value the engine cannot read stays text
            value = None
        return text if value is None else value
    try:
        if kind == "dateTime":
            return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if kind == "time":
            return _parse_time(text)
        return feel.parse_duration(text)
    except (ValueError, feel.FeelSyntaxError):
        return text


def parse_scalar(node):
    """One <value> element as an engine value."""
    if node.get(f"{{{XSI_NS}}}nil") == "true":
        return None
    text = node.text or ""
    kind = (node.get(f"{{{XSI_NS}}}type") or "").split(":")[-1]
    if kind in ("decimal", "double", "integer", "int", "long", "float"):
        try:
            return feel.number(Decimal(text.strip()))
        except InvalidOperation:
            return None           # NaN, INF: not a FEEL number
    if kind == "boolean":
        return text.strip() == "true"
    if kind == "date":
        try:
            return _dt.date.fromisoformat(text.strip())
        except ValueError:
            pass
        try:                       # years outside 1..9999 ("-2017-12-31"): FEEL's own date parser
            from engine.feel import temporal
            return temporal.parse_date(text.strip())
        except Exception:  # noqa: BLE001 - not a date: compared as text, so the case fails visibly
            return text
    if kind in ("dateTime", "time", "duration"):
        return _temporal(kind, text.strip())
    return text


def parse_value(node):
    """A valueType element (inputNode, expected, component, item) as an engine value."""
    if node is None or node.get(f"{{{XSI_NS}}}nil") == "true":
        return None
    value = node.find(_q("value"))
    if value is not None:
        return parse_scalar(value)
    components = node.findall(_q("component"))
    if components:
        return {c.get("name"): parse_value(c) for c in components}
    items = node.find(_q("list"))
    if items is not None:
        if items.get(f"{{{XSI_NS}}}nil") == "true":
            return None
        return [parse_value(item) for item in items.findall(_q("item"))]
    return None


def _significant_digits(value: Decimal) -> int:
    return len(value.normalize().as_tuple().digits)


def _numbers_equal(actual, expected) -> bool:
    """Numbers by decimal value, with two allowances for expected values that are approximations
    written by the test author (never for short, exact-looking values):

    - 8 or more significant digits (54.59815003 for exp(4), 2.0816659994661 for a stddev): our
      34-digit result rounded (half up) or truncated to the expected value's decimal places must
      equal it;
    - 15 to 17 significant digits printed from binary floating point (2778.69354943277 where
      decimal128 gives 2778.6935494327667680...): a relative difference up to 1e-12, what double
      precision guarantees after a few operations (0008-LX-arithmetic's payment differs in the
      14th digit).
    Shorter expected values must be equal exactly."""
    if actual == expected:
        return True
    a, b = Decimal(actual), Decimal(expected)
    digits = _significant_digits(b)
    if digits >= 8 and b.as_tuple().exponent < 0:
        quantum = Decimal(1).scaleb(b.as_tuple().exponent)
        try:
            if a.quantize(quantum, rounding=ROUND_HALF_UP) == b or a.quantize(quantum, rounding=ROUND_DOWN) == b:
                return True
        except InvalidOperation:
            pass
    if not 15 <= digits <= 17:
        return False
    return abs(a - b) <= abs(b) * RELATIVE_TOLERANCE


def _offset(value):
    tz = getattr(value, "tzinfo", None)
    if tz is None:
        return None
    if getattr(tz, "key", None):
        return tz.key
    try:
        return tz.utcoffset(value if isinstance(value, _dt.datetime) else None)
    except (TypeError, ValueError):
        return repr(tz)


def same(actual, expected) -> bool:
    """FEEL value equality for TCK results: numbers by decimal value, dates, times and date-times
    with the same offset or zone, durations, lists element by element, contexts entry by entry
    (same keys). Types never mix: 1 is not true, "1" is not 1."""
    if expected is None:
        return actual is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if feel.is_number(expected):
        return feel.is_number(actual) and _numbers_equal(actual, expected)
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            same(a, e) for a, e in zip(actual, expected))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and set(actual) == set(expected) and all(
            same(actual[k], v) for k, v in expected.items())
    if isinstance(expected, _dt.datetime) or isinstance(actual, _dt.datetime):
        return type(actual) is type(expected) and actual.replace(tzinfo=None) == expected.replace(tzinfo=None) \
            and _offset(actual) == _offset(expected)
    if type(actual) is not type(expected):
        return False
    if hasattr(expected, "tzinfo") or hasattr(expected, "offset"):
        return actual == expected and _offset(actual) == _offset(expected)
    return actual == expected


def _show(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return feel.format_value(value) if not isinstance(value, (_dt.datetime, _dt.time)) else value.isoformat()


# ------------------------------------------------------------------ running

def _diagnosed(diagnostics: dict, name: str) -> bool:
    return bool(diagnostics.get(name))


def _evaluate(rules, case) -> tuple[dict, dict, str | None]:
    """(values by result name, diagnostics by result name, error) for one test case.

    A model loaded by ``engine.dmn`` evaluates every decision (a failing one is null with its
    diagnostics); the older table engine evaluates the whole case or raises (then every result of
    the case is missing, which fails it -- an exception is never a pass)."""
    kind = case.get("type") or "decision"
    inputs, namespaced = {}, {}
    for node in case.findall(_q("inputNode")):
        if node.get("namespace"):
            namespaced.setdefault(node.get("namespace"), {})[node.get("name")] = parse_value(node)
        else:
            inputs[node.get("name")] = parse_value(node)
    if hasattr(rules, "evaluate_decisions"):
        try:
            if kind == "decisionService":
                outcome = rules.evaluate_service(case.get("invocableName"), inputs, namespaced)
            elif kind == "bkm":
                return {}, {}, "testsoort 'bkm' wordt niet ondersteund"
            else:
                wanted = [n.get("name") for n in case.findall(_q("resultNode"))]
                outcome = rules.evaluate_decisions(inputs, namespaced, decisions=wanted)
        except Exception as exc:  # noqa: BLE001 - the runner reports, it never crashes
            return {}, {}, f"{exc.__class__.__name__}: {exc}"
        return outcome.values, outcome.diagnostics, None
    if kind != "decision":
        return {}, {}, f"testsoort '{kind}' wordt niet ondersteund"
    known = set(rules.model.input_names)
    try:
        result = rules.evaluate({k: v for k, v in inputs.items() if k in known})
    except Exception as exc:  # noqa: BLE001
        return {}, {}, f"{exc.__class__.__name__}: {exc}"
    decisions = getattr(rules.model, "decisions", {})
    values = {name: info.value(result.outputs) for name, info in decisions.items()}
    return values, {}, None


def run_case(rules, case) -> tuple[str, str]:
    """(status, message) for one <testCase>: passed only when every result node is as expected.

    An expected null is checked as a null value; ``errorResult="true"`` also requires a diagnostic
    recorded for that result. A result node naming no decision of the model fails the case."""
    values, diagnostics, error = _evaluate(rules, case)
    if error is not None:
        return ERRORED, error
    problems = []
    for node in case.findall(_q("resultNode")):
        name = node.get("name")
        if name not in values:
            problems.append(f"{name}: geen beslissing met deze naam in het model")
            continue
        actual = values[name]
        expected = parse_value(node.find(_q("expected")))
        if node.get("errorResult") == "true":
            if actual is not None:
                problems.append(f"{name}: fout verwacht, uitkomst {_show(actual)}")
            elif not _diagnosed(diagnostics, name):
                problems.append(f"{name}: fout verwacht, uitkomst null zonder melding")
            continue
        try:
            equal = same(actual, expected)
        except Exception as exc:  # noqa: BLE001 - a value the comparison cannot handle is a mismatch
            equal, actual = False, f"{actual!r} ({exc.__class__.__name__})"
        if not equal:
            problems.append(f"{name}: verwacht {_show(expected)}, uitkomst {_show(actual)}")
    return (FAILED, "; ".join(problems)) if problems else (PASSED, "")


def _expects_value(case) -> bool:
    """True when some result node of the case expects something other than null."""
    for node in case.findall(_q("resultNode")):
        if node.get("errorResult") == "true":
            continue
        if parse_value(node.find(_q("expected"))) is not None:
            return True
    return False


def load_model(path: Path):
    """(rules, {}) for a TCK model, or (message, {}) when nothing of it can run.

    Models are loaded as ``engine.load`` loads a DMN file: imported models are found among the
    ``.dmn`` files of the same folder, and a decision that cannot load is null with a diagnostic
    while the rest of the model runs."""
    from engine.dmn import directory_resolver, load_dmn
    try:
        rules, findings = load_dmn(path.read_bytes(), path.name, directory_resolver(path.parent))
    except Exception as exc:  # noqa: BLE001 - never crash on a model
        return f"model niet geladen: {exc.__class__.__name__}: {exc}", {}
    if rules is None:
        errors = [f for f in findings if f.severity == "error"]
        return "model niet geladen: " + "; ".join(f.message for f in errors[:3]), {}
    return rules, {}


def run_model_folder(folder: Path, cache: dict) -> list[dict]:
    outcomes = []
    for test_file in sorted(folder.glob("*-test-*.xml")):
        try:
            root = ET.fromstring(test_file.read_bytes())
        except Exception as exc:  # noqa: BLE001
            outcomes.append({"model": folder.name, "file": test_file.name, "case": "*", "status": ERRORED,
                             "message": f"testbestand onleesbaar: {exc}", "non_null": False})
            continue
        model_name = (root.findtext(_q("modelName")) or "").strip()
        model_path = folder / model_name if model_name else next(iter(sorted(folder.glob("*.dmn"))), None)
        key = str(model_path)
        if key not in cache:
            cache[key] = load_model(model_path)
        rules, unsupported = cache[key]
        for case in root.findall(_q("testCase")):
            missing = [unsupported.get(n.get("name"), unsupported.get("*")) for n in case.findall(_q("resultNode"))
                       if not isinstance(rules, str) and n.get("name") in unsupported]
            if isinstance(rules, str):
                status, message = ERRORED, rules
            elif missing:
                status, message = ERRORED, "niet ondersteund: " + "; ".join(m or "" for m in missing)
            else:
                status, message = run_case(rules, case)
            outcomes.append({"model": folder.name, "file": test_file.name, "case": case.get("id", ""),
                             "status": status, "message": message, "non_null": _expects_value(case)})
    return outcomes


def run_tck(folder) -> dict:
    """Run every model under ``folder`` (a compliance-level folder, or one model's folder)."""
    folder = Path(folder)
    started = time.perf_counter()
    model_folders = sorted({p.parent for p in folder.rglob("*-test-*.xml")})
    cache: dict = {}
    models = []
    cases = []
    for model_folder in model_folders:
        outcomes = run_model_folder(model_folder, cache)
        cases.extend(outcomes)
        models.append({"model": model_folder.name,
                       **{s: sum(o["status"] == s for o in outcomes) for s in (PASSED, FAILED, ERRORED)},
                       "total": len(outcomes)})
    non_null = [c for c in cases if c["non_null"]]
    return {
        "folder": str(folder),
        "models": models,
        "cases": cases,
        **{s: sum(c["status"] == s for c in cases) for s in (PASSED, FAILED, ERRORED)},
        "total": len(cases),
        "non_null_total": len(non_null),
        "non_null_passed": sum(c["status"] == PASSED for c in non_null),
        "seconds": round(time.perf_counter() - started, 2),
    }


def print_report(report: dict, verbose: bool = False, out=None) -> None:
    out = out or sys.stdout
    width = max((len(m["model"]) for m in report["models"]), default=10)
    for model in report["models"]:
        print(f"{model['model']:<{width}}  passed {model['passed']:>4}  failed {model['failed']:>4}  "
              f"errored {model['errored']:>4}  / {model['total']}", file=out)
        if verbose:
            for case in report["cases"]:
                if case["model"] == model["model"] and case["status"] != PASSED:
                    print(f"    {case['status']:<7} {case['file']} #{case['case']}: {case['message']}", file=out)
    total = report["total"] or 1
    print(f"TOTAL  passed {report['passed']}/{report['total']} ({100 * report['passed'] / total:.1f}%), "
          f"failed {report['failed']}, errored {report['errored']}; with a non-null expected value: "
          f"{report['non_null_passed']}/{report['non_null_total']}; {report['seconds']} s", file=out)


@click.command("tck")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="Show every failed or errored case with the reason.")
def tck(folder, verbose):
    """Run the DMN TCK test cases in FOLDER and print passed/failed/errored per model and in total."""
    report = run_tck(folder)
    print_report(report, verbose)
    sys.exit(0 if report["passed"] == report["total"] else 1)


if __name__ == "__main__":
    tck()
