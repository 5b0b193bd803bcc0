"""One loaded RuleSet serves many threads (pyDMNrules: 4 threads sharing a DMN object gave 251 of 400 wrong)."""
from __future__ import annotations

import threading
from decimal import Decimal

from engine import load_bytes

from .books import book, table

GLOSSARY = [("Leeftijd", "getal", "[0..120]", None), ("Kosten", "bedrag", ">= 0", None),
            ("Groep", "tekst", None, None), ("Percentage", "getal", None, None), ("Vergoeding", "bedrag", None, None)]
TABLES = [
    table("Groepen", "U", ["Leeftijd"], ["Groep", "Percentage"],
          [("G-1", "< 18", '"jeugd"', "100"), ("G-2", "[18..65)", '"volwassen"', "80"), ("G-3", ">= 65", '"senior"', "60")]),
    table("Vergoedingen", "U", ["Kosten", "Percentage"], ["Vergoeding"],
          [("V-1", "-", "-", "Kosten * Percentage / 100")]),
]


def expected(age, cost):
    group, pct = ("jeugd", 100) if age < 18 else ("volwassen", 80) if age < 65 else ("senior", 60)
    return group, Decimal(cost) * pct / 100, ("G-1" if age < 18 else "G-2" if age < 65 else "G-3")


def test_one_ruleset_many_threads_always_right():
    rules = load_bytes(book(GLOSSARY, TABLES))
    threads, errors, counts = 12, [], []
    barrier = threading.Barrier(threads)

    def work(seed):
        barrier.wait()
        done = 0
        for n in range(400):
            age, cost = (seed * 37 + n * 13) % 121, Decimal((seed * 101 + n * 7) % 5000) + Decimal("0.25")
            result = rules.evaluate({"Leeftijd": age, "Kosten": cost})
            group, amount, rule = expected(age, cost)
            got = (result.outputs["Groep"], result.outputs["Vergoeding"], [f.rule for f in result.fired])
            if got != (group, amount, [rule, "V-1"]):
                errors.append((seed, age, cost, got))
            done += 1
        counts.append(done)

    workers = [threading.Thread(target=work, args=(s,)) for s in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert sum(counts) == threads * 400
