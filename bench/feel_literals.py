"""FEEL literal expressions: Regelbank's compiled FEEL against pySFeel (the evaluator pyDMNrules uses).

Each expression is checked first (both give the same value, or pySFeel cannot evaluate it: "-"),
then timed: Regelbank compiled once and evaluated per call (how decisions run), Regelbank parsed,
compiled and evaluated per call, and pySFeel's sFeelParse per call (it has no separate compile
step; it parses and evaluates the text every time). Part of ``python -m bench``; also
``python -m bench feel``.
"""
from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

EXPRESSIONS = [
    ("arithmetic", "(1 + 2) * 3 - 4 / 8 + 2 ** 3"),
    ("string functions", 'upper case(substring("regelbank", 1, 5)) + string(string length("Kampen"))'),
    ("list functions", "sum([1, 2, 3, 4, 5]) + count([1, 2, 3]) + max([4, 9, 2])"),
    ("date functions", 'date("2024-02-28") + duration("P2D")'),
    ("filter", "[1, 2, 3, 4, 5, 6, 7, 8][item > 4]"),
    ("for loop", "for x in [1, 2, 3, 4, 5] return x * x"),
    ("if then else", 'if 5 > 3 then "ja" else "nee"'),
]


def _same(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, Decimal)) and isinstance(b, (int, float, Decimal)) and not isinstance(b, bool):
        return abs(float(a) - float(b)) < 1e-9
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return a == b
    return a == b


def measure(budget: float, rate) -> list[dict]:
    """``rate(run, cases, budget)``: the bench's best-of-three calls per second."""
    from engine import feel

    def batch_rate_of(fn, seconds):
        return rate(lambda _: fn(), [None] * 20, seconds)
    try:
        from pySFeel import SFeelParser
        sfeel = SFeelParser()
    except ImportError:           # pragma: no cover - installed with the bench extra
        sfeel = None
    rows = []
    for label, text in EXPRESSIONS:
        compiled = feel.compile_feel(text)
        ours = compiled.evaluate({})
        theirs_ok = False
        if sfeel is not None:
            status, theirs = sfeel.sFeelParse(text)
            theirs_ok = not status.get("errors") and _same(ours, theirs)
        row = {"expression": label, "text": text, "value": feel.format_value(ours)}
        row["compiled"] = batch_rate_of(lambda: compiled.evaluate({}), budget)
        row["parse+evaluate"] = batch_rate_of(lambda: feel.compile_feel(text).evaluate({}), budget / 2)
        row["pysfeel"] = batch_rate_of(lambda: sfeel.sFeelParse(text), budget / 2) if theirs_ok else None
        rows.append(row)
    return rows


def print_rows(rows, fmt, ratio, out=sys.stdout) -> None:
    print("\nFEEL literal expressions, evaluations per second (best round):\n", file=out)
    print("| expression | value | Regelbank compiled | Regelbank parse+evaluate | pySFeel sFeelParse | "
          "compiled / pySFeel | parse+evaluate / pySFeel |", file=out)
    print("|---|---|---|---|---|---|---|", file=out)
    for r in rows:
        print(f"| {r['expression']}: `{r['text']}` | {r['value']} | {fmt(r['compiled'])} | {fmt(r['parse+evaluate'])} "
              f"| {fmt(r['pysfeel'])} | {ratio(r['compiled'], r['pysfeel'])} | "
              f"{ratio(r['parse+evaluate'], r['pysfeel'])} |", file=out)
    print('\npySFeel "-": it cannot evaluate the expression (it has no for loops and no if then else) or gives '
          'another value.', file=out)
