"""Issue 16: rules the sources state are encoded, citations are readable, and existing callers keep working.

Each test names the source passage it checks; expected values come from the source text."""
from __future__ import annotations

from pathlib import Path

import pytest

import engine

from .conftest import SPREADSHEETS

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
WORKBOOKS = sorted(SPREADSHEETS.glob("*/*.xlsx"))


def run(ruleset, **inputs):
    result = engine.load(SPREADSHEETS / f"{ruleset}.xlsx").evaluate(inputs)
    return result.outputs, {f.rule for f in result.fired}


# ------------------------------------------------------------------ citations

@pytest.mark.parametrize("path", WORKBOOKS, ids=[f"{p.parent.name}/{p.stem}" for p in WORKBOOKS])
def test_bron_is_title_and_section_and_bronbestand_names_a_real_source(path):
    rules = engine.load(path)
    known = {p.name for p in SEEDS.glob("*.txt")} or None
    for table in rules.tables:
        for rule in table.rules:
            assert ".txt" not in rule.source and "_" not in rule.source.split(",")[0], rule.id
            files = [f.strip() for f in rule.source_file.split(";")]
            assert files and all(f.endswith(".txt") for f in files), rule.id
            if known:
                assert set(files) <= known, (rule.id, files)


def test_kampen_rows_no_longer_cite_another_gemeente_for_age_bands_or_absence():
    rules = engine.load(SPREADSHEETS / "kampen" / "gebruikelijke-zorg.xlsx")
    rows = {r.id: r for t in rules.tables for r in t.rules}
    for rid in ("GZ-02", "GZ-15"):
        assert "Almere" not in rows[rid].source and "001_" not in rows[rid].source_file
    assert "Midden-Holland" not in rows["GZ-60"].source
    for passage in ("Medisch geobjectiveerde aandoening", "Kamer huren", "Geclusterd wonen", "Leef- en woongemeenschappen"):
        assert passage in rows["GZ-10"].source


def test_kampen_toegang_rows_from_the_midden_holland_handleiding_say_why_they_apply():
    rules = engine.load(SPREADSHEETS / "kampen" / "toegang.xlsx")
    for rule in rules.tables[0].rules:
        if "Midden-Holland" in rule.source and rule.id != "TG-13":
            assert "Waarom dit in Kampen geldt" in rule.annotation, rule.id


# ------------------------------------------------------------------ new rules (items 1-11)

def test_kortdurend_verblijf_needs_an_indication_from_4_1():
    """004 §4.1: aangewezen op begeleiding in de nabijheid van een professional vanwege ... ."""
    out, fired = run("midden-holland/kortdurend-verblijf", EtmalenPerMaand=3, HerstelMogelijk=True)
    assert out["Toegekend"] is False and fired & {"KV-07"}
    out, _ = run("midden-holland/kortdurend-verblijf", EtmalenPerMaand=3, HerstelMogelijk=True, IndicatieGrond="geen")
    assert out["Toegekend"] is False
    out, _ = run("midden-holland/kortdurend-verblijf", EtmalenPerMaand=3, HerstelMogelijk=True,
                 IndicatieGrond="intensieve zorg")
    assert out["Toegekend"] is True and out["MaxIndicatieduurMaanden"] == 12


def test_begeleiding_omvang_follows_the_minutes_per_domain_of_2_2():
    zrm = {f"ZRM{d}": 4 for d in ("Financien", "Dagbesteding", "Huisvesting", "HuiselijkeRelaties",
                                  "GeestelijkeGezondheid", "LichamelijkeGezondheid", "Verslaving",
                                  "ActiviteitenDagelijksLeven", "SociaalNetwerk", "MaatschappelijkeParticipatie",
                                  "Justitie")}
    zrm.update(ZRMFinancien=3, ZRMActiviteitenDagelijksLeven=2)
    out, _ = run("midden-holland/begeleiding", **zrm, Resultaatgebied="vaardigheden")
    assert (out["RichtlijnOmvang"], out["MinutenPerWeekMin"], out["MinutenPerWeekMax"]) == ("2x per week 2 uur", 90, 120)
    out, _ = run("midden-holland/begeleiding", **zrm, OvernameToezicht=True)
    assert out["OvernameToezichtUrenPerWeek"] == 8
    out, _ = run("midden-holland/begeleiding", **zrm, VerhuisdMetLopendeIndicatie=True, MaandenSindsVerhuizing=4)
    assert out["OudeIndicatieGerespecteerd"] is False


def test_persoonlijke_verzorging_with_a_medical_need_is_zvw():
    """003 §10 'Persoonlijke Verzorging (Wmo)' and §3.2.6 h."""
    out, _ = run("kampen/toegang", Leeftijd=70, Voorziening="persoonlijke verzorging", MedischeNoodzaak=True)
    assert (out["Wet"], out["WmoMaatwerkMogelijk"]) == ("Zvw", False)
    out, fired = run("kampen/toegang", Leeftijd=70, Voorziening="persoonlijke verzorging")
    assert (out["Wet"], fired) == ("Wmo", {"TG-01"}), "an existing caller without the new input is unchanged"


def test_woningaanpassing_verhuiskosten_voorzienbaarheid_basisruimtes():
    """003 §3.2.3 i, i.4, i.6."""
    out, _ = run("kampen/woningaanpassing", VerhuizenTeVergen=True, Aanpassingskosten=30000, VerhuisdVoorAanmelding=True)
    assert out["VerhuiskostenvergoedingMogelijk"] is False
    out, _ = run("kampen/woningaanpassing", VerhuizenTeVergen=True, Aanpassingskosten=30000)
    assert out["VerhuiskostenvergoedingMogelijk"] is True
    out, _ = run("kampen/woningaanpassing", VerhuizenTeVergen=False, Aanpassingskosten=5000,
                 EersteZelfstandigeWoning=True, Ruimte="keuken")
    assert out["WeigeringsgrondVoorzienbaarheid"] is True and out["Toegekend"] is True
    assert out["Basisruimte"] == "afhankelijk van de situatie van de cliënt"


def test_dagbesteding_vervoer_only_when_client_and_surroundings_cannot_arrange_it():
    """003 §11 'Vervoer'."""
    out, _ = run("kampen/dagbesteding", Doelgroep="VG", Groepsgrootte=7, ZelfInVervoerVoorzien=True)
    assert out["Vervoer"].startswith("Geen vervoer")
    out, _ = run("kampen/dagbesteding", Doelgroep="VG", Groepsgrootte=7)
    assert out["Vervoer"] == "Vervoer dagbesteding GHZ extramuraal"


def test_vervoer_1750_applies_to_a_vervoerskostenvergoeding_and_a_rolstoel_needs_daily_seated_moving():
    out, _ = run("kampen/vervoer", Voorziening="vervoerskostenvergoeding")
    assert (out["MaxAfstandPerJaar"], out["PercentageNormbedrag"], out["Richtlijn"]) == (1750, 100, True)
    out, _ = run("kampen/vervoer", Voorziening="rolstoel", DagelijksZittendVerplaatsen=False)
    assert out["RolstoelIndicatie"].startswith("geen rolstoel")


def test_gebruikelijke_zorg_niet_gewend_and_kinderopvang():
    """003 §9 'Niet gewend zijn' and 'opvang van gezonde kinderen' (tot en met 5 dagen)."""
    out, _ = run("kampen/gebruikelijke-zorg", LeeftijdHuisgenoot=40, NietGewend=True)
    assert out["AanleerIndicatie"] is True
    five, _ = run("kampen/gebruikelijke-zorg", LeeftijdHuisgenoot=40, KinderopvangDagenNodig=5)
    six, _ = run("kampen/gebruikelijke-zorg", LeeftijdHuisgenoot=40, KinderopvangDagenNodig=6)
    assert "tot en met 5 dagen" in five["OpvangKinderen"] and five["OpvangKinderen"] != six["OpvangKinderen"]


def test_midden_holland_gebruikelijke_hulp_short_term_and_12_to_17():
    """004 bijlage 2 §1."""
    out, _ = run("midden-holland/gebruikelijke-hulp", LeeftijdHuisgenoot=45, VerwachteDuurMaanden=3, UitzichtOpHerstel=True)
    assert out["GebruikelijkeHulpKortdurend"] is True
    out, _ = run("midden-holland/gebruikelijke-hulp", LeeftijdHuisgenoot=45, VerwachteDuurMaanden=4, UitzichtOpHerstel=True)
    assert out["GebruikelijkeHulpKortdurend"] is False
    out, _ = run("midden-holland/gebruikelijke-hulp", LeeftijdHuisgenoot=12)
    assert out["VerwachtNaarLeeftijd"].startswith("lichte huishoudelijke taken")


def test_beschut_werk_excludes_wmo_dagbesteding_and_wlz_signals():
    """004 bijlage 2 §2, Participatiewet and Wlz."""
    out, _ = run("midden-holland/dagbesteding", Leeftijd=30, AanpassingenNietVanWerkgever=True, LoonvormendPercentage=25,
                 OndersteuningWerknemersvaardigheden=True)
    assert (out["BeschutWerkMogelijk"], out["WmoDagbestedingMogelijk"]) == (True, False)
    out, _ = run("midden-holland/dagbesteding", Leeftijd=30, LoonvormendPercentage=10)
    assert out["WmoDagbestedingMogelijk"] is True
    out, _ = run("midden-holland/toegang", Leeftijd=60, Voorziening="begeleiding", EtmalenOvernameToezichtPerWeek=4)
    assert (out["WlzOnderzoeken"], out["Wet"]) == (True, "Wmo")
    out, _ = run("midden-holland/toegang", Leeftijd=60, Voorziening="begeleiding", EtmalenOvernameToezichtPerWeek=3)
    assert out["WlzOnderzoeken"] is False


def test_almere_vervoer_naar_dagbesteding_reports_the_conflict_instead_of_choosing():
    """000 §4.6 against 001 art. 13 lid 6."""
    out, _ = run("almere/vervoer", BeschikkingDagbesteding=True, LichamelijkeBelemmering=True)
    assert out["VoldoetAanCriteriaHandleiding"] is True and out["BronnenTegenstrijdig"] is True
    assert "Handleiding" in out["VervoerDagbesteding"] and "aanbieder" in out["VervoerDagbesteding"]
    out, _ = run("almere/vervoer")
    assert out["IndividueleVervoersvoorzieningMogelijk"] is False, "art. 8 lid 1 a: collectief vervoer eerst onderzoeken"


def test_smaller_rules_of_item_11():
    out, _ = run("almere/vervanging", TechnischAfgeschreven=False)
    assert out["VervangingMogelijk"] is False
    out, _ = run("almere/vervanging", TechnischAfgeschreven=False, VerlorenBuitenSchuld=True)
    assert out["VervangingMogelijk"] is True
    out, _ = run("almere/pgb", ZorgverlenerOpgeleid=True, VOGOuderdomMaanden=13)
    assert (out["VOGVereist"], out["VOGInOrde"]) == (True, False)
    out, _ = run("kampen/pgb", OndersteuningKinderen=True, ZorgverlenerUitSociaalNetwerk=True)
    assert out["VOGVereist"] is False


# ------------------------------------------------------------------ contract and whole numbers

NEW_INPUTS = {  # issue 16 inputs added to existing rule sets: each needs a default (existing callers keep working)
    "midden-holland/kortdurend-verblijf": ["IndicatieGrond"],
    "midden-holland/begeleiding": ["Resultaatgebied", "OvernameToezicht", "PermanentToezicht",
                                   "VerhuisdMetLopendeIndicatie", "MaandenSindsVerhuizing", "HerkomstIndicatie"],
    "midden-holland/dagbesteding": ["Leeftijd", "PensioengerechtigdeLeeftijdBereikt", "AanpassingenNietVanWerkgever",
                                    "VoortdurendBegeleidingNodig", "LoonvormendPercentage",
                                    "OndersteuningWerknemersvaardigheden"],
    "midden-holland/toegang": ["EtmalenOvernameToezichtPerWeek", "JarenGGZVerblijfMetBehandeling"],
    "kampen/toegang": ["MedischeNoodzaak"],
    "kampen/woningaanpassing": ["VerhuisdVoorAanmelding", "EersteZelfstandigeWoning", "Ruimte"],
    "kampen/dagbesteding": ["ZelfInVervoerVoorzien"],
    "kampen/vervoer": ["DagelijksZittendVerplaatsen"],
    "kampen/gebruikelijke-zorg": ["NietGewend", "KinderopvangDagenNodig", "VoorliggendeOpvangUitgeput"],
}


@pytest.mark.parametrize("ruleset", sorted(NEW_INPUTS))
def test_new_inputs_have_defaults(ruleset):
    variables = engine.load(SPREADSHEETS / f"{ruleset}.xlsx").model.variables
    for name in NEW_INPUTS[ruleset]:
        assert variables[name].has_default, f"{ruleset}: {name} needs a Standaard"


@pytest.mark.parametrize("path", WORKBOOKS, ids=[f"{p.parent.name}/{p.stem}" for p in WORKBOOKS])
def test_ages_are_whole_numbers(path):
    for name, var in engine.load(path).model.variables.items():
        if name.startswith("Leeftijd") or name in ("AutoJaar", "Groepsgrootte") or name.startswith("ZRM"):
            assert var.type == "geheel getal", f"{name} counts whole years or units"
