"""Issue 10 item 3 (content part): Glossary type 'geheel getal' where the source means whole numbers.

Ages, years of a car's life, counts (persons, rooms, meals, group size, etmalen, days, offers, lessons),
ZRM scores and the constant maxima the tables return. Durations and averages that may be fractional stay
'getal': UrenPerWeek (average hours), EtmalenPerMaand (average), months or years since an event
(JarenSindsVorigeAanpassing, MaandenSindsVerhuizing, VerwachteDuurMaanden, VOGOuderdomMaanden,
JarenGGZVerblijfMetBehandeling), km, km/h, percentages given by the user, and computed minutes/hours.

    .venv/bin/python scripts/issue10_whole_numbers.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import wbedit as W  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent / "spreadsheets"
WHOLE = {
    "almere/arrangementen": ["AantalLevensgebieden", "MaxDuurJaren"],
    "almere/beschermd-wonen": ["Leeftijd", "MaxIndicatieduurJaren"],
    "almere/kortdurend-verblijf": ["EtmalenPerJaar", "ToegekendeEtmalenPerJaar", "MaxEtmalenPerJaar"],
    "kampen/autoaanpassing": ["AutoJaar", "VergoedingsPercentage"],
    "kampen/begeleiding": ["Klasse", "AantalOffertes"],
    "kampen/dagbesteding": ["Groepsgrootte", "MaxDagdelenPerWeek"],
    "kampen/gebruikelijke-zorg": ["LeeftijdHuisgenoot", "AfwezigheidWerkEtmalen", "KinderopvangDagenNodig",
                                  "OvernameMaxMaanden"],
    "kampen/huishoudelijke-hulp": ["Broodmaaltijden", "WarmeMaaltijden", "AantalPersonen", "AantalKamers", "AIVMaxWeken"],
    "kampen/toegang": ["Leeftijd"],
    "kampen/vervoer": ["MaxAfstandPerJaar", "PercentageNormbedrag", "MaxRijvaardigheidslessen"],
    "kampen/woningaanpassing": ["AantalOffertes", "MaxMaandenGereedmelding"],
    "midden-holland/begeleiding": [f"ZRM{d}" for d in (
        "Financien", "Dagbesteding", "Huisvesting", "HuiselijkeRelaties", "GeestelijkeGezondheid",
        "LichamelijkeGezondheid", "Verslaving", "ActiviteitenDagelijksLeven", "SociaalNetwerk",
        "MaatschappelijkeParticipatie", "Justitie")] + [f"{p}{d}" for p in ("NZ", "OB") for d in (
        "Financien", "Dagbesteding", "Huisvesting", "HuiselijkeRelaties", "GeestelijkeGezondheid",
        "LichamelijkeGezondheid", "Verslaving", "ActiviteitenDagelijksLeven", "SociaalNetwerk",
        "MaatschappelijkeParticipatie", "Justitie") if not (p == "OB" and d == "Dagbesteding")] + [
        "AantalDomeinenNietZelfredzaam", "AantalDomeinenNietZelfredzaamZRM", "AantalDomeinenOndersteuningsbehoefte",
        "MinutenPerWeekMin", "MinutenPerWeekMax", "OvernameToezichtUrenPerWeek"],
    "midden-holland/dagbesteding": ["Groepsgrootte", "Leeftijd", "MaxDagdelenBouwsteen", "MaxDagdelenPerWeek",
                                    "MaxVervoerDagenPerWeek"],
    "midden-holland/gebruikelijke-hulp": ["LeeftijdHuisgenoot"],
    "midden-holland/kortdurend-verblijf": ["MaxEtmalenPerMaand", "MaxEtmalenPerJaar", "MaxIndicatieduurMaanden"],
    "midden-holland/toegang": ["Leeftijd"],
}

if __name__ == "__main__":
    for name, variables in WHOLE.items():
        path = ROOT / f"{name}.xlsx"
        wb = W.load(path)
        for var in variables:
            W.set_glossary(wb, var, type="geheel getal")
        wb.save(path)
        print(name, len(variables))
