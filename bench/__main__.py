"""`python -m bench` (= `make bench`): evaluations per second, measured in one run, with ratios.

    python -m bench            engines: Regelbank, pyDMNrules, ZEN, if/elif (a few minutes)
    python -m bench --quick    shorter time per measurement
    python -m bench serve      the HTTP evaluate endpoint under load (see bench/serve.py)
    python -m bench batch      `regelbank batch` on a 1,000,000-row CSV (see bench/batch.py)
    python -m bench feel       FEEL literal expressions only, against pySFeel (see bench/feel_literals.py)

Each figure is the best of three timed rounds, the engines taking turns round by round (the
machine is shared; the best round is the least disturbed one, and turns make ratios fair). Benchmarks, not tests: nothing here fails on a slow machine.
"""
from __future__ import annotations

import argparse
from decimal import Decimal
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADLINE = ["kampen/gebruikelijke-zorg", "kampen/dagbesteding", "kampen/autoaanpassing"]


def rate(run, cases, budget: float, rounds: int = 3) -> float:
    """Best-of-``rounds`` calls per second; each round walks fresh case objects for about ``budget`` s."""
    best = 0.0
    for _ in range(rounds):
        done, start = 0, time.perf_counter()
        for at in range(0, len(cases), 1000):
            for case in cases[at:at + 1000]:
                run(case)
            done += len(cases[at:at + 1000])
            if time.perf_counter() - start >= budget:
                break
        best = max(best, done / (time.perf_counter() - start))
    return best


def batch_rate(run_many, make_cases, rounds: int = 3) -> float:
    """Best-of-``rounds`` cases per second of ``run_many`` on a freshly generated list each round
    (generation is not timed; everything ``run_many`` returns is ready to read when the clock stops)."""
    best = 0.0
    for r in range(rounds):
        cases = make_cases(r)
        start = time.perf_counter()
        run_many(cases)
        best = max(best, len(cases) / (time.perf_counter() - start))
    return best


def fmt(x) -> str:
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}"


def ratio(a, b) -> str:
    return "-" if not a or not b else f"{a / b:,.0f}x" if a / b >= 10 else f"{a / b:.1f}x"


DECIMALS = 0.25   # share of numeric input values with two decimals (exact Decimal, as read from CSV/JSON)


def columnar(rules):
    """evaluate_many until every case's outputs and fired rule ids are in the caller's hands."""
    def run(cases):
        cols = rules.evaluate_many(cases, on_error="return").columnar()
        return cols.outputs, cols.fired
    return run


def measure_table(label, rules, reference, cases, budget, zen_json=None, if_elif=None, positional=None,
                  make_cases=None):
    import engine
    row = {"table": label}
    # correctness first: every engine gives the same answer on the cases (otherwise the speed is meaningless)
    names = [v.name for v in rules.outputs]
    sample = cases[: min(200, len(cases))]
    for case in sample:
        ours = rules.evaluate(case)
        if reference is not None:
            theirs, _ = reference.decide(ours.inputs, names)
            for n in names:
                a, b = ours.outputs.get(n), theirs.get(n)
                if a != b and not (engine.feel.is_number(a) and engine.feel.is_number(b)
                                   and abs(float(a) - float(b)) < 1e-6):
                    raise SystemExit(f"{label}: pyDMNrules and Regelbank differ on {case}: {n} {a!r} != {b!r}")
    # The engines take turns, round by round, so that each sees the same moments of a shared machine.
    runners = {"evaluate": (rules.evaluate, cases, budget),
               "evaluate+explanation": (lambda c: rules.evaluate(c).explanation, cases, budget / 2)}
    if reference is not None:   # (already loaded and warmed up by the check above)
        prepared = [rules.evaluate(c).inputs for c in cases[:3000]]
        runners["pydmnrules"] = (reference.decide_raw, prepared, budget)
    if zen_json is not None:
        import json

        import zen
        # ZEN's fastest Python call: an engine with a static loader, created once, evaluate(key, context)
        zen_engine = zen.ZenEngine({"loader": {"type": "static", "content": {"table": json.loads(zen_json)}}})
        plain = [{k: float(v) if isinstance(v, Decimal) else v for k, v in c.items()} for c in cases]
        for case, z in zip(sample, plain):
            got = zen_engine.evaluate("table", z)["result"]
            want = rules.evaluate(case).outputs
            assert all(got.get(k) == want[k] for k in want), (label, case, got, want)
        runners["zen_trace"] = (lambda c: zen_engine.evaluate("table", c, {"trace": True}), plain, budget)
        runners["zen"] = (lambda c: zen_engine.evaluate("table", c), plain, budget)
    if if_elif is not None:
        args = [tuple(c[n] for n in positional) for c in cases]
        for case, a in zip(sample, args):
            assert if_elif(*a)[-1] == rules.evaluate(case).fired[0].rule, (label, case)
        runners["if_elif"] = (lambda a: if_elif(*a), args, budget)
    for _ in range(3):
        for key, (run, items, seconds) in runners.items():
            row[key] = max(row.get(key, 0.0), rate(run, items, seconds, rounds=1))
    if make_cases is not None:
        check = rules.evaluate_many(sample, on_error="return").columnar()
        for i, case in enumerate(sample):
            single = rules.evaluate(case)
            assert check.fired_ids(i) == [f.rule for f in single.fired], (label, case)
            assert all(check.outputs[n][i] == single.outputs[n] for n in names), (label, case)
        row["evaluate_many"] = batch_rate(columnar(rules), make_cases)
    return row


COLUMNS = [("evaluate", "Regelbank evaluate() +trace"), ("evaluate+explanation", "evaluate() + Dutch explanation"),
           ("evaluate_many", "evaluate_many(), outputs + fired ids read"), ("pydmnrules", "pyDMNrules decide()"),
           ("zen_trace", "ZEN trace on"), ("zen", "ZEN trace off"), ("if_elif", "generated if/elif")]


def print_table(rows, out=sys.stdout):
    print("\nEvaluations per second (best round, one process, one case per call):\n", file=out)
    header = ["table"] + [c[1] for c in COLUMNS]
    print("| " + " | ".join(header) + " |", file=out)
    print("|" + "---|" * len(header), file=out)
    for r in rows:
        print("| " + " | ".join([r["table"]] + [fmt(r.get(k)) for k, _ in COLUMNS]) + " |", file=out)
    print("\nRatios (goal in brackets):\n", file=out)
    print("| table | evaluate / pyDMNrules | evaluate / ZEN (trace on) | evaluate / ZEN (trace off) "
          "| evaluate_many per second | evaluate_many / if-elif |", file=out)
    print("|---|---|---|---|---|---|", file=out)
    goals = {"8 rows, 2 inputs": 250, "200 rows, 3 numeric": 300}
    for r in rows:
        goal = goals.get(r["table"])
        many_goal = " (>= 0.5x)" if r["table"].startswith("200") else ""
        many_target = " (>= 1,000,000)" if r["table"].startswith("8 ") else ""
        print(f"| {r['table']} | {ratio(r.get('evaluate'), r.get('pydmnrules'))}"
              f"{f' (>= {goal}x)' if goal else ''} | {ratio(r.get('evaluate'), r.get('zen_trace'))}"
              f"{' (>= 3x)' if r.get('zen_trace') else ''} | {ratio(r.get('evaluate'), r.get('zen'))} "
              f"| {fmt(r.get('evaluate_many'))}{many_target} "
              f"| {ratio(r.get('evaluate_many'), r.get('if_elif'))}{many_goal} |", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", default="engines", choices=["engines", "serve", "batch", "feel"])
    parser.add_argument("--quick", action="store_true", help="shorter measurements (noisier)")
    parser.add_argument("--budget", type=float, default=None, help="seconds per timed round")
    args, rest = parser.parse_known_args(argv)
    if args.what == "serve":
        from .serve import main as serve_main
        return serve_main(rest)
    if args.what == "batch":
        from .batch import main as batch_main
        return batch_main(rest)
    budget = args.budget or (0.3 if args.quick else 0.8)
    started = time.perf_counter()
    from . import feel_literals
    if args.what == "feel":
        feel_literals.print_rows(feel_literals.measure(budget, rate), fmt, ratio)
        return 0

    import engine
    from engine.reference import Reference

    from .tables import if_elif_function, jdm_json, large_table, small_table, workbook_bytes

    print(f"Regelbank bench: Python {platform.python_version()}, {os.cpu_count()} CPU('s), "
          f"{platform.machine()}; budget {budget}s per round.", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, table, size in (("8 rows, 2 inputs", small_table(), 200_000),
                                   ("200 rows, 3 numeric", large_table(), 100_000)):
            content = workbook_bytes(table)
            path = Path(tmp) / f"{table.name}.xlsx"
            path.write_bytes(content)
            rules = engine.load(path)
            cases = table.cases(150_000, decimals=DECIMALS)
            rows.append(measure_table(label, rules, Reference(path), cases, budget, jdm_json(table),
                                      if_elif_function(table), [i[0] for i in table.inputs],
                                      lambda r, t=table, n=size: t.cases(n, seed=100 + r, decimals=DECIMALS)))
            del cases
            print(f"  {label}: done ({time.perf_counter() - started:.0f}s)", flush=True)
        for ruleset in HEADLINE:
            path = ROOT / "spreadsheets" / f"{ruleset}.xlsx"
            rules = engine.load(path)
            cases = [e.inputs for e in rules.model.examples]
            ok = []
            for c in cases:
                try:
                    rules.evaluate(c)
                    ok.append(c)
                except (engine.InputError, engine.EvaluationError):
                    pass
            pool = [dict(ok[i % len(ok)]) for i in range(50_000)]   # fresh objects, the examples' values
            rows.append(measure_table(ruleset, rules, Reference(path), pool, budget))
            print(f"  {ruleset}: done ({time.perf_counter() - started:.0f}s)", flush=True)
    print_table(rows)
    feel_rows = feel_literals.measure(budget / 2, rate)
    feel_literals.print_rows(feel_rows, fmt, ratio)
    print(f"\nCases: generated fresh (150,000 distinct case objects per table for the per-case engines; a new list of "
          f"200,000 / 100,000 for each evaluate_many round); {DECIMALS:.0%} of numeric values have two decimals "
          "(exact Decimal; float for ZEN). evaluate_many: timed until .columnar() has handed over every case's "
          "output values and fired rule ids.")
    print(f"ZEN: zen-engine {_version('zen-engine')} (Rust), the same tables as JDM (hit policy first), through its "
          "fastest Python call: ZenEngine with a static loader, created once, evaluate(key, dict); the headline "
          "workbooks have no JDM version. if/elif: the table as a hand-written Python function.")
    print(f"pyDMNrules {_version('pyDMNrules')}: decide() with one DMN object in this thread.")
    print(f"Total time: {time.perf_counter() - started:.0f}s.")
    return 0


def _version(dist: str) -> str:
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:  # noqa: BLE001
        return "?"


if __name__ == "__main__":
    sys.exit(main())
