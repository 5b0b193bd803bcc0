"""Gap and overlap analysis on a 500-row, 5-input table: correct answers, and the time it takes (printed).

Speed is checked by the benchmark, not here; this test asserts correctness and prints the timing
(run with -s to see it)."""
from __future__ import annotations

import itertools
import random
import time
import datetime as dt
from decimal import Decimal

from engine import load_bytes
from engine.analysis import analyse

from .books import book, table

AGES = ["[0..17]", "[18..29]", "[30..49]", "[50..66]", ">= 67"]
GROUPS = ['"VG"', '"LG"', '"NAH"', '"GGZ"', '"ZG"']
CARE = ["true", "false"]
DATES = ['< date("2020-01-01")', '[date("2020-01-01")..date("2021-01-01")[', '[date("2021-01-01")..date("2022-07-01")[',
         '[date("2022-07-01")..date("2024-01-01")[', '>= date("2024-01-01")']
INCOME = ["< 25000.50", ">= 25000.50"]
GLOSSARY = [("Leeftijd", "getal", "[0..120]", None), ("Doelgroep", "tekst", '"VG","LG","NAH","GGZ","ZG"', None),
            ("Mantelzorg", "ja/nee", None, None), ("Ingang", "datum", None, None), ("Inkomen", "bedrag", ">= 0", None),
            ("Uitkomst", "tekst", None, None)]
INPUTS = ["Leeftijd", "Doelgroep", "Mantelzorg", "Ingang", "Inkomen"]


def grid_rows():
    rows = []
    for n, (a, g, c, d, i) in enumerate(itertools.product(AGES, GROUPS, CARE, DATES, INCOME)):
        rows.append((f"G-{n + 1:03d}", a, g, c, d, i, f'"uitkomst {n % 7}"'))
    return rows


def model_of(rows, hit="U"):
    return load_bytes(book(GLOSSARY, [table("Groot", hit, INPUTS, ["Uitkomst"], rows)])).model


def timed(model):
    start = time.perf_counter()
    findings = analyse(model)
    return findings, time.perf_counter() - start


def test_complete_500_by_5_table_has_no_gaps_or_overlaps():
    rows = grid_rows()
    assert len(rows) == 500
    findings, seconds = timed(model_of(rows))
    print(f"\n500x5 complete table: analysis {seconds * 1000:.0f} ms")
    assert [f for f in findings if f.code in ("gap", "overlap", "never-fires")] == []


def test_500_by_5_table_missing_row_and_overlap_found_exactly():
    rows = grid_rows()
    removed = rows.pop(137)                       # one combination has no row any more
    assert removed[1:6] == ("[18..29]", '"LG"', "false", DATES[3], INCOME[1])
    widened = list(rows[299])
    assert widened[1] == "[50..66]"
    widened[1] = "[30..66]"                       # now also covers the row for [30..49] with the same other inputs
    rows[299] = tuple(widened)
    model = model_of(rows)
    findings, seconds = timed(model)
    print(f"\n500x5 table with a gap and an overlap: analysis {seconds * 1000:.0f} ms")
    gaps = [f for f in findings if f.code == "gap"]
    assert len(gaps) == 1
    assert ("de combinatie Leeftijd 18 t/m 29, Doelgroep 'LG', Mantelzorg nee, Ingang 01-07-2022 t/m 31-12-2023 "
            "en Inkomen vanaf € 25.000,50 valt onder geen enkele regel") in gaps[0].message
    [overlap] = [f for f in findings if f.code == "overlap"]
    other = [r for r in rows if r[1] == "[30..49]" and r[2:6] == rows[299][2:6]]
    assert overlap.rule == rows[299][0] and f"Regels {other[0][0]} en {rows[299][0]}" in overlap.message
    assert "Leeftijd = 30" in overlap.message and f"Regel {other[0][0]} valt zelfs helemaal binnen" in overlap.message


DAYS = [dt.date(2019, 5, 1), dt.date(2020, 6, 1), dt.date(2021, 6, 1), dt.date(2023, 1, 1), dt.date(2025, 1, 1)]


def random_rows(rng, count, prefix):
    rows = []
    for n in range(count):
        lo = rng.randrange(0, 110)
        rows.append((f"{prefix}-{n:03d}", f"[{lo}..{lo + rng.randrange(0, 30)}]" if rng.random() < 0.8 else "-",
                     ",".join(rng.sample(GROUPS, rng.randrange(1, 4))) if rng.random() < 0.7 else "-",
                     rng.choice(CARE + ["-"]), rng.choice(DATES + ["-", "-"]), rng.choice(INCOME + ["-"]),
                     f'"u{n}"'))
    return rows


def brute_force(rows, hit="F"):
    """Evaluate every elementary combination (every whole age, one date and income per band)."""
    rules = load_bytes(book(GLOSSARY, [table("Groot", hit, INPUTS, ["Uitkomst"], rows)]))
    fired, uncovered = set(), 0
    for age, group, care, day, income in itertools.product(range(0, 121), ("VG", "LG", "NAH", "GGZ", "ZG"),
                                                           (True, False), DAYS, (Decimal(100), Decimal(30000))):
        result = rules.evaluate({"Leeftijd": age, "Doelgroep": group, "Mantelzorg": care, "Ingang": day,
                                 "Inkomen": income})
        fired.update(f.rule for f in result.fired)
        uncovered += not result.fired
    return fired, uncovered


def test_random_500_by_5_first_hit_table_against_brute_force():
    rows = random_rows(random.Random(5), 500, "X")
    findings, seconds = timed(model_of(rows, hit="F"))
    print(f"\n500x5 random F table: analysis {seconds * 1000:.0f} ms, {len(findings)} findings")
    fired, uncovered = brute_force(rows)
    assert (uncovered > 0) == any(f.code == "gap" for f in findings)
    masked = {f.rule for f in findings if f.code == "never-fires" and f.rule}
    assert len(masked) == 25 and not (masked & fired)       # reported rows really never fire (first 25 shown)


def test_random_small_first_hit_table_reports_exactly_the_rows_that_never_fire():
    for seed in range(3):
        rows = random_rows(random.Random(100 + seed), 40, "Y")
        findings = analyse(model_of(rows, hit="F"))
        masked = {f.rule for f in findings if f.code == "never-fires" and f.rule}
        fired, uncovered = brute_force(rows)
        assert {r[0] for r in rows} - masked == fired
        assert (uncovered > 0) == any(f.code == "gap" for f in findings)
