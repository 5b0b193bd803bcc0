"""The motivering (engine/explain.py): sentences a consulent can paste into a beschikking."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import engine
from engine.explain import DOCUMENT_TITLES, cite, label

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")


def test_autoaanpassing_motivering_reads_as_a_decision():
    rules = engine.load(ROOT / "spreadsheets/kampen/autoaanpassing.xlsx")
    text = rules.evaluate({"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150}).explanation
    assert "Beoordeeld met de regels 'Aanpassing van de eigen auto'." in text
    assert "vergoeding: € 3.150,00" in text and "toegekend: ja" in text          # outputs with labels, ja/nee, euro
    assert "aanpassingskosten € 5.000,00" in text and "auto jaar 5 jaar" in text  # the facts, with units
    assert "Regel AA-25 uit de tabel 'Besluit autoaanpassing' is toegepast" in text
    # the document is cited once for the three rows that rest on it, by title and section
    assert text.count("Beleidsregels Wmo Kampen 2015, §3.2.12 i.4") == 1
    assert not FILE_NAME.search(text)
    assert "VergoedingsPercentage" not in text and "HerhalingToegestaan" not in text  # no variable names


@pytest.mark.parametrize("path", sorted((ROOT / "spreadsheets").glob("*/*.xlsx")), ids=lambda p: p.stem)
def test_no_file_names_in_any_example_explanation(path):
    rules = engine.load(path)
    for example in rules.model.examples[:3]:
        try:
            text = rules.evaluate(example.inputs).explanation
        except (engine.InputError, engine.EvaluationError):
            continue
        assert not FILE_NAME.search(text), text


def test_cite_replaces_file_names_by_titles():
    assert cite("Beleidsregels Wmo Kampen 2015, §9 (003_be52d6ecc0674bec.txt)") == "Beleidsregels Wmo Kampen 2015, §9"
    assert cite("003_be52d6ecc0674bec.txt §9") == \
        "Beleidsregels Wet maatschappelijke ondersteuning gemeente Kampen 2015 §9"
    assert cite("§4.8 (000_54ae8ee573256017.txt)").startswith("Handleiding Wmo-ondersteuning voor volwassenen in Almere")
    assert label("KeuringskostenRDW") == "Keuringskosten RDW" and label("AutoJaar") == "Auto jaar"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not present")
def test_titles_come_from_the_documents_first_lines():
    for filename, title in DOCUMENT_TITLES.items():
        head = " ".join((SEEDS / filename).read_text(encoding="utf-8", errors="replace").split()[:60]).lower()
        head = head.replace("*", "").replace("#", "")
        key_words = [w for w in re.findall(r"[a-z][a-z-]{5,}", title.lower()) if w not in ("gemeente",)]
        assert sum(w in head for w in key_words) >= len(key_words) * 0.6, (filename, title)
