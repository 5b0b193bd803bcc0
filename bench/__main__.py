"""`python -m bench` (= `make bench`): evaluations per second, measured in one run, with ratios.

    python -m bench            engines: Regelbank, pyDMNrules, ZEN, if/elif (about 2 minutes)
    python -m bench --quick    shorter time per measurement
    python -m bench serve      the HTTP evaluate endpoint under load (see bench/serve.py)
    python -m bench feel       FEEL literal expressions only, against pySFeel (see bench/feel_literals.py)

Each figure is the best of three timed rounds, the engines taking turns round by round (the
machine is shared; the best round is the least disturbed one, and turns make ratios fair). Benchmarks, not tests: nothing here fails on a slow machine.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADLINE = ["kampen/gebruikelijke-zorg", "kampen/dagbesteding", "kampen/autoaanpassing"]


def rate(run, cases, budget: float, rounds: int = 3) -> float:
    """Best-of-``rounds`` calls per second; each round runs ``run`` over cases for about ``budget`` s."""
    def run_all(items):
        for case in items:
            run(case)
    return batch_rate(run_all, cases, budget, rounds)


def batch_rate(run_many, cases, budget: float, rounds: int = 3) -> float:
    best = 0.0
    for _ in range(rounds):
        done, start = 0, time.perf_counter()
        while True:
            run_many(cases)
            done += len(cases)
            elapsed = time.perf_counter() - start
            if elapsed >= budget:
                break
        best = max(best, done / elapsed)
    return best


def fmt(x) -> str:
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}"


def ratio(a, b) -> str:
    return "-" if not a or not b else f"{a / b:,.0f}x" if a / b >= 10 else f"{a / b:.1f}x"


def measure_table(label, rules, reference, cases, typed_cases, budget, zen_json=None, if_elif=None, positional=None):
    import engine
    row = {"table": label}
    # correctness first: every engine gives the same answer on the cases (otherwise the speed is meaningless)
    names = [v.name for v in rules.outputs]
    sample = typed_cases[: min(50, len(typed_cases))]
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
    runners = {"evaluate": (rules.evaluate, typed_cases, budget),
               "evaluate+explanation": (lambda c: rules.evaluate(c).explanation, typed_cases, budget / 2)}
    if reference is not None:   # (already loaded and warmed up by the check above)
        prepared = [rules.evaluate(c).inputs for c in typed_cases[:20]]
        runners["pydmnrules"] = (reference.decide_raw, prepared, budget)
    if zen_json is not None:
        import zen
        decision = zen.ZenEngine().create_decision(zen_json)
        for case in sample:
            got = decision.evaluate(case)["result"]
            want = rules.evaluate(case).outputs
            assert all(got.get(k) == want[k] for k in want), (label, case, got, want)
        few = typed_cases[:200]
        runners["zen_trace"] = (lambda c: decision.evaluate(c, {"trace": True}), few, budget)
        runners["zen"] = (lambda c: decision.evaluate(c, {"trace": False}), few, budget)
    for _ in range(3):
        for key, (run, items, seconds) in runners.items():
            row[key] = max(row.get(key, 0.0), rate(run, items, seconds, rounds=1))
    size = 200_000 if if_elif is not None else 20_000
    many = (typed_cases * (size // max(1, len(typed_cases)) + 1))[:size]
    row["evaluate_many"] = batch_rate(rules.evaluate_many, many, budget)
    if if_elif is not None:
        args = [tuple(c[n] for n in positional) for c in typed_cases]
        row["if_elif"] = rate(lambda a: if_elif(*a), args, budget)
    return row


COLUMNS = [("evaluate", "Regelbank evaluate() +trace"), ("evaluate+explanation", "evaluate() + Dutch explanation"),
           ("evaluate_many", "Regelbank evaluate_many()"), ("pydmnrules", "pyDMNrules decide()"),
           ("zen_trace", "ZEN trace on"), ("zen", "ZEN trace off"), ("if_elif", "generated if/elif")]


def print_table(rows, out=sys.stdout):
    print("\nEvaluations per second (best round, one process, one case per call):\n", file=out)
    header = ["table"] + [c[1] for c in COLUMNS]
    print("| " + " | ".join(header) + " |", file=out)
    print("|" + "---|" * len(header), file=out)
    for r in rows:
        print("| " + " | ".join([r["table"]] + [fmt(r.get(k)) for k, _ in COLUMNS]) + " |", file=out)
    print("\nRatios (goal in brackets):\n", file=out)
    print("| table | evaluate / pyDMNrules | evaluate / ZEN (trace on) | evaluate_many per second "
          "| evaluate_many / if-elif |", file=out)
    print("|---|---|---|---|---|", file=out)
    goals = {"8 rows, 2 inputs": 250, "200 rows, 3 numeric": 300}
    for r in rows:
        goal = goals.get(r["table"])
        many_goal = " (>= 0.5x)" if r["table"].startswith("200") else ""
        many_target = " (>= 1,000,000)" if r["table"].startswith("8 ") else ""
        print(f"| {r['table']} | {ratio(r.get('evaluate'), r.get('pydmnrules'))}"
              f"{f' (>= {goal}x)' if goal else ''} | {ratio(r.get('evaluate'), r.get('zen_trace'))}"
              f"{' (>= 3x)' if r.get('zen_trace') else ''} | {fmt(r.get('evaluate_many'))}{many_target} "
              f"| {ratio(r.get('evaluate_many'), r.get('if_elif'))}{many_goal} |", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", default="engines", choices=["engines", "serve", "feel"])
    parser.add_argument("--quick", action="store_true", help="shorter measurements (noisier)")
    parser.add_argument("--budget", type=float, default=None, help="seconds per timed round")
    args, rest = parser.parse_known_args(argv)
    if args.what == "serve":
        from .serve import main as serve_main
        return serve_main(rest)
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
        for label, table in (("8 rows, 2 inputs", small_table()), ("200 rows, 3 numeric", large_table())):
            content = workbook_bytes(table)
            path = Path(tmp) / f"{table.name}.xlsx"
            path.write_bytes(content)
            (Path(tmp) / f"{table.name}.json").write_text(jdm_json(table))
            rules = engine.load(path)
            cases = table.cases(2000)
            rows.append(measure_table(label, rules, Reference(path), cases, cases, budget, jdm_json(table),
                                      if_elif_function(table), [i[0] for i in table.inputs]))
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
            rows.append(measure_table(ruleset, rules, Reference(path), ok, ok, budget))
            print(f"  {ruleset}: done ({time.perf_counter() - started:.0f}s)", flush=True)
    print_table(rows)
    feel_rows = feel_literals.measure(budget / 2, rate)
    feel_literals.print_rows(feel_rows, fmt, ratio)
    print(f"\nZEN: zen-engine {_version('zen-engine')} (Rust), the same tables as JDM (hit policy first); "
          "the headline workbooks have no JDM version. if/elif: the table as a hand-written Python function.")
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
