"""Issue 16: the rule sets for rules no bundled workbook covered yet (one-off; writes spreadsheets/).

    .venv/bin/python scripts/issue16_new_rulesets.py [name ...]

Each function builds one workbook from scratch in the Regelbank format (docs/workbook-format.md).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import wbedit  # noqa: E402
from issue16_common import A18, A19, F0, F1, F3, F4, G, K15, K15_META, MH, MH_META, date  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent / "spreadsheets"


def r(id_, toel, bron, file, **cells):
    return {"id": id_, **cells, "Toelichting": toel, "Bron": bron, "Bronbestand": file}


def exs(cols, *rows):
    """Examples as rows: (id, value per column..., Omschrijving). None = blank (default input / expected null)."""
    return [dict(zip(["Voorbeeld", *cols, "Omschrijving"], row)) for row in rows]


# ------------------------------------------------------------------ almere/vervoer
def almere_vervoer():
    s46 = f"{A18}, §4.6 Vervoer naar dagbesteding"
    a13 = f"{A19}, art. 13 lid 6"
    a8 = f"{A19}, art. 8 lid 1 onder a"
    glossary = [
        G("BeschikkingDagbesteding", "ja/nee", None, "false", None,
          "De cliënt heeft een beschikking (maatwerkvoorziening) voor dagbesteding."),
        G("LichamelijkeBelemmering", "ja/nee", None, "false", None,
          "De cliënt kan de dagbesteding door een lichamelijke belemmering niet zelfstandig bereiken."),
        G("NetwerkKanVervoeren", "ja/nee", None, "false", None,
          "Familieleden of andere mensen uit het netwerk kunnen zorgen voor het vervoer naar de dagbesteding."),
        G("CollectiefVervoerPassend", "ja/nee", None, "null", None,
          "Uitkomst van het onderzoek of collectief georganiseerde maatwerkvoorzieningen (zoals het Mobiliteitslab) "
          "een passende oplossing voor het vervoer bieden; leeg = nog niet onderzocht."),
        G("VoldoetAanCriteriaHandleiding", "ja/nee", None, None, None,
          "Ja als de cliënt voldoet aan de criteria voor vervoer naar dagbesteding uit de Handleiding (§4.6).", True),
        G("VervoerDagbesteding", "tekst", None, None, None,
          "Wie voor het vervoer naar de dagbesteding zorgt, volgens de twee Almeerse bronnen.", True),
        G("BronnenTegenstrijdig", "ja/nee", None, None, None,
          "Ja als de Handleiding (2018) en de Beleidsregels (2019) voor deze situatie iets anders zeggen; de "
          "consulent moet dan kiezen (de tabel kiest niet).", True),
        G("IndividueleVervoersvoorzieningMogelijk", "ja/nee", None, None, None,
          "Ja als een andere (individuele) vervoersvoorziening mag worden onderzocht, omdat collectief "
          "georganiseerd vervoer geen passende oplossing biedt.", True),
        G("RedenVervoer", "tekst", None, None, None, "Korte uitleg bij de toets collectief vervoer eerst.", True),
    ]
    t1 = dict(name="Criteria vervoer dagbesteding", description="Voldoet de cliënt aan de criteria van de Handleiding",
              inputs=["BeschikkingDagbesteding", "LichamelijkeBelemmering", "NetwerkKanVervoeren"],
              outputs=["VoldoetAanCriteriaHandleiding"], rules=[
        r("AV-01", "Vervoer naar dagbesteding is er alleen voor cliënten met een beschikking voor dagbesteding.", s46, F0,
          BeschikkingDagbesteding="false", VoldoetAanCriteriaHandleiding="false"),
        r("AV-02", "Zonder lichamelijke belemmering om de dagbesteding zelfstandig te bereiken voldoet de cliënt niet "
          "aan het eerste criterium.", s46, F0,
          BeschikkingDagbesteding="true", LichamelijkeBelemmering="false", VoldoetAanCriteriaHandleiding="false"),
        r("AV-03", "Kunnen familieleden of anderen uit het netwerk voor het vervoer zorgen, dan geen beschikking vervoer.",
          s46, F0, BeschikkingDagbesteding="true", LichamelijkeBelemmering="true", NetwerkKanVervoeren="true",
          VoldoetAanCriteriaHandleiding="false"),
        r("AV-04", "Lichamelijke belemmering en het netwerk kan niet voor vervoer zorgen: volgens de Handleiding is een "
          "beschikking voor vervoer mogelijk.", s46, F0, BeschikkingDagbesteding="true", LichamelijkeBelemmering="true",
          NetwerkKanVervoeren="false", VoldoetAanCriteriaHandleiding="true"),
    ])
    conflict = ("Tegenstrijdig: de Handleiding (versie 1 mei 2018, §4.6) geeft criteria voor een aparte beschikking "
                "vervoer naar dagbesteding; de latere Beleidsregels (vastgesteld 9 juli 2019, art. 13 lid 6) zeggen dat "
                "de aanbieder van de dagbesteding verantwoordelijk is voor het vervoer naar de locatie. De tabel geeft "
                "beide en kiest niet; de consulent beslist (de Beleidsregels zijn later vastgesteld).")
    t2 = dict(name="Verantwoordelijkheid vervoer", description="Wie zorgt voor het vervoer naar de dagbesteding",
              inputs=["BeschikkingDagbesteding", "VoldoetAanCriteriaHandleiding"],
              outputs=["VervoerDagbesteding", "BronnenTegenstrijdig"], rules=[
        r("AV-10", "Zonder beschikking voor dagbesteding is vervoer naar dagbesteding niet aan de orde.", f"{s46}; {a13}",
          f"{F0}; {F1}", BeschikkingDagbesteding="false",
          VervoerDagbesteding='"niet van toepassing: geen dagbesteding"', BronnenTegenstrijdig="false"),
        r("AV-11", conflict, f"{s46}; {a13}", f"{F0}; {F1}", BeschikkingDagbesteding="true",
          VoldoetAanCriteriaHandleiding="true",
          VervoerDagbesteding='"Handleiding §4.6: beschikking vervoer naar dagbesteding mogelijk; Beleidsregels art. 13 '
                              'lid 6: de aanbieder van de dagbesteding is verantwoordelijk voor het vervoer"',
          BronnenTegenstrijdig="true"),
        r("AV-12", "Voldoet de cliënt niet aan de criteria van de Handleiding, dan is er volgens beide bronnen geen aparte "
          "beschikking vervoer; volgens de Beleidsregels blijft de aanbieder verantwoordelijk voor het vervoer naar de "
          "locatie. Of de aanbieder dan ook vervoer moet regelen als de cliënt zelf kan reizen, zegt art. 13 niet.",
          f"{s46}; {a13}", f"{F0}; {F1}", BeschikkingDagbesteding="true", VoldoetAanCriteriaHandleiding="false",
          VervoerDagbesteding='"geen aparte beschikking vervoer; volgens Beleidsregels art. 13 lid 6 is de aanbieder '
                              'van de dagbesteding verantwoordelijk voor het vervoer naar de locatie"',
          BronnenTegenstrijdig="false"),
    ])
    t3 = dict(name="Collectief vervoer eerst", description="Collectief georganiseerd vervoer gaat voor (goedkoopst passend)",
              inputs=["CollectiefVervoerPassend"], outputs=["IndividueleVervoersvoorzieningMogelijk", "RedenVervoer"],
              rules=[
        r("AV-20", "Collectief georganiseerd vervoer (zoals het Mobiliteitslab) is passend: dat is de goedkoopst "
          "passende voorziening, geen andere vervoersvoorziening.", a8, F1, CollectiefVervoerPassend="true",
          IndividueleVervoersvoorzieningMogelijk="false",
          RedenVervoer='"Collectief georganiseerd vervoer (zoals het Mobiliteitslab) biedt een passende oplossing."'),
        r("AV-21", "Collectief georganiseerd vervoer biedt geen passende oplossing: een andere vervoersvoorziening kan "
          "worden onderzocht (nog steeds de goedkoopst adequate).", a8, F1, CollectiefVervoerPassend="false",
          IndividueleVervoersvoorzieningMogelijk="true",
          RedenVervoer='"Collectief georganiseerd vervoer is niet passend: een andere vervoersvoorziening kan worden '
                       'onderzocht."'),
        r("AV-22", "Zolang niet is onderzocht of collectief georganiseerd vervoer passend is, kan geen andere "
          "vervoersvoorziening worden vastgesteld: art. 8 lid 1 onder a schrijft dat onderzoek eerst voor.", a8, F1,
          CollectiefVervoerPassend="null", IndividueleVervoersvoorzieningMogelijk="false",
          RedenVervoer='"Eerst onderzoeken of collectief georganiseerd vervoer (zoals het Mobiliteitslab) passend is."'),
    ])
    ex = exs(["BeschikkingDagbesteding", "LichamelijkeBelemmering", "NetwerkKanVervoeren", "CollectiefVervoerPassend",
              "VoldoetAanCriteriaHandleiding", "BronnenTegenstrijdig", "IndividueleVervoersvoorzieningMogelijk"],
        ("V-01", None, None, None, None, False, False, False, "Alle invoer standaard: geen dagbesteding, collectief vervoer niet onderzocht."),
        ("V-02", True, True, False, None, True, True, False, "Dagbesteding, lichamelijke belemmering, netwerk kan niet rijden: de bronnen spreken elkaar tegen."),
        ("V-03", True, True, True, None, False, False, False, "Het netwerk kan het vervoer verzorgen: geen beschikking vervoer."),
        ("V-04", True, False, None, None, False, False, False, "Geen lichamelijke belemmering: criteria Handleiding niet vervuld."),
        ("V-05", False, True, False, None, False, False, False, "Wel een belemmering maar geen beschikking dagbesteding: niet van toepassing."),
        ("V-06", None, None, None, True, False, False, False, "Mobiliteitslab is passend: geen andere vervoersvoorziening."),
        ("V-07", None, None, None, False, False, False, True, "Collectief vervoer niet passend: een andere voorziening kan worden onderzocht."),
        ("V-08", True, None, None, None, False, False, False, "Beschikking dagbesteding, verder niets opgegeven: criteria niet vervuld; collectief vervoer eerst onderzoeken."),
        ("V-09", True, True, False, True, True, True, False, "Beide vragen tegelijk: tegenstrijdige bronnen, collectief vervoer passend."),
        ("V-10", True, False, True, False, False, False, True, "Geen belemmering, netwerk kan rijden; collectief vervoer niet passend."),
    )
    meta = {"Gemeente": "almere", "Regelset": "vervoer",
            "Titel": "Vervoer: naar de dagbesteding en collectief vervoer eerst",
            "Geldig vanaf": date(2019, 7, 9),
            "Brondocument": "Beleidsregels maatwerkvoorzieningen in het kader van de Wmo 2015 en voorzieningen in het "
                            "kader van de Jeugdwet, gemeente Almere, vastgesteld 9 juli 2019 (001_658ef4532d1c52ba.txt), "
                            "en Handleiding Wmo-ondersteuning voor volwassenen in Almere, versie 1 mei 2018 "
                            "(000_54ae8ee573256017.txt). Geldig vanaf = vaststellingsdatum van de beleidsregels; volgens "
                            "art. 18 treden zij in werking op de dag na bekendmaking, die datum staat niet in de bron.",
            "Eigenaar": "Team Wmo-beleid, gemeente Almere"}
    return wbedit.new_workbook(meta, glossary, [t1, t2, t3], ex)


# ------------------------------------------------------------------ almere/vervanging
def almere_vervanging():
    bron = f"{A19}, art. 2, onderdeel \"Maatwerkvoorzieningen op het gebied van zelfredzaamheid en participatie\", onder c"
    glossary = [
        G("TechnischAfgeschreven", "ja/nee", None, None, None,
          "De eerder door het college verstrekte voorziening is technisch afgeschreven."),
        G("VerlorenBuitenSchuld", "ja/nee", None, "false", None,
          "De eerder verstrekte voorziening is verloren gegaan door omstandigheden die niet aan de cliënt zijn toe te rekenen."),
        G("ClientBetaaltMee", "ja/nee", None, "false", None,
          "De cliënt komt geheel of gedeeltelijk tegemoet in de veroorzaakte kosten."),
        G("BiedtGeenOplossingMeer", "ja/nee", None, "false", None,
          "De eerder verstrekte voorziening biedt niet langer een oplossing voor de behoefte van de cliënt aan "
          "maatschappelijke ondersteuning."),
        G("VervangingMogelijk", "ja/nee", None, None, None,
          "Ja als een vervangende maatwerkvoorziening kan worden verstrekt (de gewone toets op noodzaak volgt nog).", True),
        G("Reden", "tekst", None, None, None, "Korte uitleg.", True),
    ]
    amb = (" De tekst zet de drie uitzonderingen achter een dubbele punt ('technisch is afgeschreven, :'); de tabel "
           "leest ze als drie zelfstandige gronden waarop vervanging vóór de technische afschrijving mag.")
    t = dict(name="Vervanging", description="Vervanging van een eerder verstrekte voorziening",
             inputs=["TechnischAfgeschreven", "VerlorenBuitenSchuld", "ClientBetaaltMee", "BiedtGeenOplossingMeer"],
             outputs=["VervangingMogelijk", "Reden"], rules=[
        r("VG-01", "De eerder verstrekte voorziening is technisch afgeschreven: vervanging kan.", bron, F1,
          TechnischAfgeschreven="true", VervangingMogelijk="true",
          Reden='"De eerder verstrekte voorziening is technisch afgeschreven."'),
        r("VG-02", "Niet afgeschreven, maar verloren gegaan buiten de schuld van de cliënt: vervanging kan." + amb, bron, F1,
          TechnischAfgeschreven="false", VerlorenBuitenSchuld="true", VervangingMogelijk="true",
          Reden='"De voorziening is verloren gegaan door omstandigheden die niet aan de cliënt zijn toe te rekenen."'),
        r("VG-03", "Niet afgeschreven, maar de cliënt komt geheel of gedeeltelijk tegemoet in de veroorzaakte kosten: "
          "vervanging kan. Hoe groot het deel moet zijn zegt de tekst niet ('geheel of gedeeltelijk')." + amb, bron, F1,
          TechnischAfgeschreven="false", VerlorenBuitenSchuld="false", ClientBetaaltMee="true", VervangingMogelijk="true",
          Reden='"De cliënt komt geheel of gedeeltelijk tegemoet in de veroorzaakte kosten."'),
        r("VG-04", "Niet afgeschreven, maar de voorziening biedt geen oplossing meer voor de behoefte van de cliënt: "
          "vervanging kan." + amb, bron, F1, TechnischAfgeschreven="false", VerlorenBuitenSchuld="false",
          ClientBetaaltMee="false", BiedtGeenOplossingMeer="true", VervangingMogelijk="true",
          Reden='"De eerder verstrekte voorziening biedt niet langer een oplossing voor de behoefte van de cliënt."'),
        r("VG-05", "Niet technisch afgeschreven en geen van de uitzonderingen: geen vervanging.", bron, F1,
          TechnischAfgeschreven="false", VerlorenBuitenSchuld="false", ClientBetaaltMee="false",
          BiedtGeenOplossingMeer="false", VervangingMogelijk="false",
          Reden='"De eerder verstrekte voorziening is nog niet technisch afgeschreven en geen uitzondering is van toepassing."'),
    ])
    ex = exs(["TechnischAfgeschreven", "VerlorenBuitenSchuld", "ClientBetaaltMee", "BiedtGeenOplossingMeer", "VervangingMogelijk"],
        ("V-01", True, None, None, None, True, "Technisch afgeschreven: vervanging."),
        ("V-02", False, None, None, None, False, "Niet afgeschreven, verder alles standaard (nee): geen vervanging."),
        ("V-03", False, True, None, None, True, "Gestolen zonder schuld van de cliënt: vervanging."),
        ("V-04", False, None, True, None, True, "Schade door de cliënt, die (gedeeltelijk) meebetaalt: vervanging."),
        ("V-05", False, None, None, True, True, "Beperking veranderd, de oude voorziening biedt geen oplossing meer: vervanging."),
        ("V-06", True, True, True, True, True, "Alle gronden tegelijk: afschrijving gaat voor (VG-01)."),
        ("V-07", False, True, True, None, True, "Twee uitzonderingen: de eerste geldt (VG-02)."),
        ("V-08", False, False, False, False, False, "Alles expliciet nee: geen vervanging."),
        ("V-09", False, None, True, True, True, "Meebetalen en geen oplossing meer (VG-03)."),
        ("V-10", True, False, False, False, True, "Afgeschreven, geen andere grond."),
    )
    meta = {"Gemeente": "almere", "Regelset": "vervanging", "Titel": "Vervanging van een eerder verstrekte voorziening",
            "Geldig vanaf": date(2019, 7, 9),
            "Brondocument": "Beleidsregels maatwerkvoorzieningen in het kader van de Wmo 2015 en voorzieningen in het "
                            "kader van de Jeugdwet, gemeente Almere, vastgesteld 9 juli 2019 (001_658ef4532d1c52ba.txt). "
                            "Geldig vanaf = datum van vaststelling; volgens art. 18 treden de regels in werking op de dag "
                            "na bekendmaking, die datum staat niet in de bron.",
            "Eigenaar": "Team Wmo-beleid, gemeente Almere"}
    return wbedit.new_workbook(meta, glossary, [t], ex)


# ------------------------------------------------------------------ almere/pgb
def almere_pgb():
    a14a, a14b = f"{A19}, art. 14a", f"{A19}, art. 14b"
    glossary = [
        G("ZorgverlenerOpgeleid", "ja/nee", None, None, None,
          "De zorgverlener met het pgb is een daartoe opgeleid persoon (art. 14a); nee = een niet daartoe opgeleid "
          "persoon, bijvoorbeeld iemand uit het netwerk (art. 14b)."),
        G("VOGGevraagd", "ja/nee", None, "false", None,
          "De gemeente heeft om een Verklaring Omtrent het Gedrag gevraagd (alleen van belang bij een niet opgeleide zorgverlener)."),
        G("VOGOuderdomMaanden", "getal", ">= 0", "null", "maanden",
          "Hoeveel maanden vóór de ingangsdatum van de zorgverlening de VOG is afgegeven; leeg = er is geen VOG."),
        G("VOGVereist", "ja/nee", None, None, None, "Ja als de zorgverlener een VOG moet hebben.", True),
        G("VOGInOrde", "ja/nee", None, None, None,
          "Ja als aan de VOG-eis is voldaan (geen VOG vereist, of een VOG van ten hoogste 12 maanden oud).", True),
    ]
    t1 = dict(name="VOG vereist", description="Moet de pgb-zorgverlener een VOG hebben",
              inputs=["ZorgverlenerOpgeleid", "VOGGevraagd"], outputs=["VOGVereist"], rules=[
        r("PG-01", "Een daartoe opgeleide zorgverlener moet altijd over een VOG beschikken.", a14a, F1,
          ZorgverlenerOpgeleid="true", VOGVereist="true"),
        r("PG-02", "Een niet daartoe opgeleide zorgverlener moet een VOG hebben als daarom gevraagd is.", a14b, F1,
          ZorgverlenerOpgeleid="false", VOGGevraagd="true", VOGVereist="true"),
        r("PG-03", "Een niet daartoe opgeleide zorgverlener zonder verzoek om een VOG: geen VOG vereist. Wanneer de "
          "gemeente erom vraagt, zegt art. 14b niet.", a14b, F1, ZorgverlenerOpgeleid="false", VOGGevraagd="false",
          VOGVereist="false"),
    ])
    age = (" 'Niet ouder dan 12 maanden voorafgaand aan de ingangsdatum' is gelezen als: afgegeven ten hoogste 12 maanden "
           "vóór de ingangsdatum, 12 maanden precies telt nog.")
    t2 = dict(name="VOG geldig", description="Voldoet de VOG aan de eis van ten hoogste 12 maanden oud",
              inputs=["VOGVereist", "VOGOuderdomMaanden"], outputs=["VOGInOrde"], rules=[
        r("PG-10", "Geen VOG vereist: aan de VOG-eis is voldaan.", f"{a14a}; {a14b}", F1, VOGVereist="false",
          VOGInOrde="true"),
        r("PG-11", "VOG vereist maar er is geen VOG: niet in orde.", f"{a14a}; {a14b}", F1, VOGVereist="true",
          VOGOuderdomMaanden="null", VOGInOrde="false"),
        r("PG-12", "VOG vereist en niet ouder dan 12 maanden vóór de ingangsdatum: in orde." + age, f"{a14a}; {a14b}", F1,
          VOGVereist="true", VOGOuderdomMaanden="<= 12", VOGInOrde="true"),
        r("PG-13", "VOG vereist maar ouder dan 12 maanden vóór de ingangsdatum: niet in orde." + age, f"{a14a}; {a14b}",
          F1, VOGVereist="true", VOGOuderdomMaanden="> 12", VOGInOrde="false"),
    ])
    ex = exs(["ZorgverlenerOpgeleid", "VOGGevraagd", "VOGOuderdomMaanden", "VOGVereist", "VOGInOrde"],
        ("V-01", True, None, 3, True, True, "Opgeleide zorgverlener met een VOG van 3 maanden: in orde."),
        ("V-02", True, None, None, True, False, "Opgeleide zorgverlener zonder VOG: niet in orde."),
        ("V-03", True, None, 12, True, True, "Grens: VOG van precies 12 maanden oud telt nog."),
        ("V-04", True, None, 13, True, False, "Grens: VOG van 13 maanden is te oud."),
        ("V-05", False, None, None, False, True, "Niet opgeleide zorgverlener, geen VOG gevraagd: geen VOG nodig."),
        ("V-06", False, True, None, True, False, "Niet opgeleide zorgverlener, VOG gevraagd maar niet geleverd."),
        ("V-07", False, True, 6, True, True, "Niet opgeleide zorgverlener, gevraagde VOG van 6 maanden: in orde."),
        ("V-08", False, True, 24, True, False, "Niet opgeleide zorgverlener, gevraagde VOG van 2 jaar: te oud."),
        ("V-09", False, False, 30, False, True, "Oude VOG maar geen VOG vereist: in orde."),
        ("V-10", True, False, 0, True, True, "Opgeleid (VOG gevraagd nee doet niet ter zake), VOG afgegeven op de ingangsdatum."),
    )
    meta = {"Gemeente": "almere", "Regelset": "pgb", "Titel": "Pgb: Verklaring Omtrent het Gedrag van de zorgverlener",
            "Geldig vanaf": date(2019, 7, 9),
            "Brondocument": "Beleidsregels maatwerkvoorzieningen in het kader van de Wmo 2015 en voorzieningen in het "
                            "kader van de Jeugdwet, gemeente Almere, vastgesteld 9 juli 2019 (001_658ef4532d1c52ba.txt). "
                            "Geldig vanaf = datum van vaststelling; volgens art. 18 treden de regels in werking op de dag "
                            "na bekendmaking, die datum staat niet in de bron.",
            "Eigenaar": "Team Wmo-beleid, gemeente Almere"}
    return wbedit.new_workbook(meta, glossary, [t1, t2], ex)


# ------------------------------------------------------------------ kampen/pgb
def kampen_pgb():
    s51, s52 = f"{K15}, §5.1 PgbPlan", f"{K15}, §5.2 Afwegingskader informele hulp Pgb"
    glossary = [
        G("OndersteuningKinderen", "ja/nee", None, "false", None, "Het pgb is voor ondersteuning van kinderen."),
        G("ZorgverlenerUitSociaalNetwerk", "ja/nee", None, "false", None,
          "De zorgverlener komt uit het sociale netwerk van de cliënt (informele hulp)."),
        G("ZwaarwegendeRedenen", "ja/nee", None, "false", None,
          "Er zijn zwaarwegende redenen (uitzonderingssituatie) om informele hulp met een pgb te betalen, en de "
          "budgethouder motiveert waarom informele hulp de voorkeur heeft zonder druk van de hulp."),
        G("VOGVereist", "ja/nee", None, None, None, "Ja als het pgb-plan een VOG van de zorgverlener moet bevatten.", True),
        G("PgbSociaalNetwerkMogelijk", "ja/nee", None, None, None,
          "Alleen bij een zorgverlener uit het sociale netwerk: ja als betaling met een pgb bij wijze van uitzondering "
          "mogelijk is; leeg als de zorgverlener niet uit het netwerk komt.", True),
        G("Richtlijn", "ja/nee", None, None, None,
          "Ja: de uitkomst is een afweging van de consulent (type hulp, frequentie, duur, mate van verplichting), geen recht.", True),
    ]
    t1 = dict(name="VOG", description="Verklaring Omtrent het Gedrag in het pgb-plan",
              inputs=["OndersteuningKinderen", "ZorgverlenerUitSociaalNetwerk"], outputs=["VOGVereist"], rules=[
        r("KP-01", "Bij ondersteuning van kinderen is een VOG van de zorgverlener vereist.", s51, F3,
          OndersteuningKinderen="true", ZorgverlenerUitSociaalNetwerk="false", VOGVereist="true"),
        r("KP-02", "De VOG-plicht geldt niet voor zorgverleners uit het sociale netwerk.", s51, F3,
          OndersteuningKinderen="true", ZorgverlenerUitSociaalNetwerk="true", VOGVereist="false"),
        r("KP-03", "Geen ondersteuning van kinderen: de tekst eist dan geen VOG (het pgb-plan moet wel de kwaliteit en "
          "veiligheid borgen).", s51, F3, OndersteuningKinderen="false", VOGVereist="false"),
    ])
    t2 = dict(name="Informele hulp", description="Pgb voor hulp uit het sociale netwerk",
              inputs=["ZorgverlenerUitSociaalNetwerk", "ZwaarwegendeRedenen"],
              outputs=["PgbSociaalNetwerkMogelijk", "Richtlijn"], rules=[
        r("KP-10", "De zorgverlener komt niet uit het sociale netwerk: het afwegingskader informele hulp is niet van toepassing.",
          s52, F3, ZorgverlenerUitSociaalNetwerk="false", PgbSociaalNetwerkMogelijk="null", Richtlijn="false"),
        r("KP-11", "Alleen in uitzonderingssituaties bij zwaarwegende redenen is een pgb voor mensen uit het sociale netwerk "
          "mogelijk, na afweging van type hulp, frequentie, tijdelijk of langdurig en mate van verplichting; wat het "
          "netwerk onbetaald kan doen (gebruikelijke zorg) gaat voor.", s52, F3, ZorgverlenerUitSociaalNetwerk="true",
          ZwaarwegendeRedenen="true", PgbSociaalNetwerkMogelijk="true", Richtlijn="true"),
        r("KP-12", "Zonder zwaarwegende redenen geen pgb voor hulp uit het sociale netwerk.", s52, F3,
          ZorgverlenerUitSociaalNetwerk="true", ZwaarwegendeRedenen="false", PgbSociaalNetwerkMogelijk="false",
          Richtlijn="false"),
    ])
    ex = exs(["OndersteuningKinderen", "ZorgverlenerUitSociaalNetwerk", "ZwaarwegendeRedenen", "VOGVereist",
              "PgbSociaalNetwerkMogelijk", "Richtlijn"],
        ("V-01", None, None, None, False, None, False, "Alles standaard: volwassene, professionele zorgverlener."),
        ("V-02", True, None, None, True, None, False, "Ondersteuning van een kind door een professional: VOG vereist."),
        ("V-03", True, True, None, False, False, False, "Kind, hulp uit het netwerk, geen zwaarwegende redenen: geen VOG, geen pgb voor het netwerk."),
        ("V-04", True, True, True, False, True, True, "Kind, netwerk, zwaarwegende redenen: uitzondering mogelijk, geen VOG."),
        ("V-05", None, True, True, False, True, True, "Volwassene, netwerk, zwaarwegende redenen."),
        ("V-06", None, True, None, False, False, False, "Volwassene, netwerk, geen zwaarwegende redenen: geen pgb voor het netwerk."),
        ("V-07", None, None, True, False, None, False, "Zwaarwegende redenen maar professionele zorgverlener: afwegingskader niet van toepassing."),
        ("V-08", True, None, True, True, None, False, "Kind, professional: VOG vereist, informele-hulpregel niet van toepassing."),
        ("V-09", False, False, False, False, None, False, "Alles expliciet nee."),
        ("V-10", False, True, False, False, False, False, "Volwassene, netwerk, expliciet geen zwaarwegende redenen."),
    )
    meta = {"Gemeente": "kampen", "Regelset": "pgb", "Titel": "Pgb: VOG en informele hulp", "Geldig vanaf": date(2015, 5, 12),
            "Brondocument": K15_META, "Eigenaar": "Team Wmo-beleid, gemeente Kampen"}
    return wbedit.new_workbook(meta, glossary, [t1, t2], ex)


# ------------------------------------------------------------------ midden-holland/gebruikelijke-hulp
def mh_gebruikelijke_hulp():
    b = f"{MH}, bijlage 2 §1 Gebruikelijke hulp"
    taken = '"maatschappelijk verkeer","gezamenlijk huishouden","omgang derden met de cliënt","verzorgen jongere gezinsleden","ouderlijk toezicht"'
    glossary = [
        G("LeeftijdHuisgenoot", "getal", "[0..130]", None, "jaar", "Leeftijd van de huisgenoot in hele jaren."),
        G("VerwachteDuurMaanden", "getal", ">= 0", "null", "maanden",
          "Hoe lang de ondersteuning naar verwachting nodig is; leeg = niet opgegeven (alleen de langdurige taken worden dan beoordeeld)."),
        G("UitzichtOpHerstel", "ja/nee", None, "false", None,
          "Er is zo'n uitzicht op herstel van de zelfredzaamheid dat ondersteuning daarna niet meer nodig is."),
        G("Taak", "tekst", taken + ',"andere taak"', "null", None,
          "De taak waarom het gaat in een langdurige situatie: normaal maatschappelijk verkeer (bezoek familie, arts, "
          "kinderen naar school brengen), taken van het gezamenlijk huishouden (thuisadministratie, schoonhouden), het "
          "leren omgaan van derden met de cliënt, verzorgen van jongere gezinsleden, ouderlijk toezicht, of een andere taak."),
        G("HuisgenootLangAfwezigZorgKinderen", "ja/nee", None, "false", None,
          "De huisgenoot moet lang en/of frequent afwezig zijn en het gaat om zorg voor kinderen."),
        G("HuisgenootBeperking", "ja/nee", None, "false", None,
          "De huisgenoot heeft geobjectiveerde beperkingen en kan de taken niet verrichten of aanleren."),
        G("Overbelasting", "ja/nee", None, "false", None, "De huisgenoot is overbelast of dreigt dat te raken."),
        G("KorteLevensverwachting", "ja/nee", None, "false", None, "De hulpvrager heeft een korte levensverwachting."),
        G("VerwachtNaarLeeftijd", "tekst", None, None, None, "Wat naar leeftijd van de huisgenoot verwacht mag worden.", True),
        G("GebruikelijkeHulpKortdurend", "ja/nee", None, None, None,
          "Ja als de ondersteuning in een kortdurende situatie (ten hoogste 3 maanden, met uitzicht op herstel) "
          "gebruikelijke hulp is; leeg als de duur niet is opgegeven.", True),
        G("GebruikelijkeHulpLangdurig", "ja/nee", None, None, None,
          "Ja als de taak in een langdurige situatie tot de gebruikelijke hulp hoort; leeg als geen taak is opgegeven.", True),
        G("UitzonderingMogelijk", "ja/nee", None, None, None,
          "Ja als een (al dan niet tijdelijke) uitzondering op gebruikelijke hulp mogelijk is.", True),
        G("Richtlijn", "ja/nee", None, None, None,
          "Altijd ja: de handleiding is een denkrichting zonder normerend karakter (§1.1); de consulent weegt af.", True),
    ]
    t1 = dict(name="Leeftijd huisgenoot", description="Wat naar leeftijd van de huisgenoot verwacht mag worden",
              inputs=["LeeftijdHuisgenoot"], outputs=["VerwachtNaarLeeftijd", "Richtlijn"], rules=[
        r("GH-01", "Voor huisgenoten jonger dan 12 jaar noemt de handleiding geen taken; de tabel verwacht dan niets (de "
          "Kamper beleidsregels gaan verder, maar gelden niet in Midden-Holland).", b, F4, LeeftijdHuisgenoot="< 12",
          VerwachtNaarLeeftijd='"geen taken: de handleiding noemt geen taken voor huisgenoten jonger dan 12 jaar"',
          Richtlijn="true"),
        r("GH-02", "Van huisgenoten tussen de 12 en 18 jaar kunnen, afhankelijk van de individuele mogelijkheden, lichte "
          "huishoudelijke taken worden verwacht. 'Tussen de 12 en 18' is gelezen als 12 t/m 17 jaar; met 18 is de "
          "huisgenoot volwassen.", b, F4, LeeftijdHuisgenoot="[12..17]",
          VerwachtNaarLeeftijd='"lichte huishoudelijke taken, afhankelijk van de individuele mogelijkheden"',
          Richtlijn="true"),
        r("GH-03", "Ondersteuning door een volwassen huisgenoot (partner, ouder, volwassen inwonend kind of andere "
          "volwassen huisgenoot) is gebruikelijke hulp in de kortdurende en langdurige situaties hieronder.", b, F4,
          LeeftijdHuisgenoot=">= 18",
          VerwachtNaarLeeftijd='"volwassen huisgenoot: gebruikelijke hulp in kortdurende en langdurige situaties"',
          Richtlijn="true"),
    ])
    t2 = dict(name="Kortdurende situatie", description="Gebruikelijke hulp in een kortdurende situatie",
              inputs=["LeeftijdHuisgenoot", "VerwachteDuurMaanden", "UitzichtOpHerstel"],
              outputs=["GebruikelijkeHulpKortdurend"], rules=[
        r("GH-10", "De handleiding noemt kortdurende gebruikelijke hulp alleen voor volwassen huisgenoten; van een "
          "minderjarige huisgenoot wordt die niet verwacht.", b, F4, LeeftijdHuisgenoot="< 18",
          GebruikelijkeHulpKortdurend="false"),
        r("GH-11", "Geen verwachte duur opgegeven: de kortdurende situatie wordt niet beoordeeld.", b, F4,
          LeeftijdHuisgenoot=">= 18", VerwachteDuurMaanden="null", GebruikelijkeHulpKortdurend="null"),
        r("GH-12", "Kortdurende situatie (maximaal 3 maanden, 3 inbegrepen) met zo'n uitzicht op herstel dat daarna geen "
          "ondersteuning meer nodig is: de hulp van de volwassen huisgenoot is gebruikelijke hulp.", b, F4,
          LeeftijdHuisgenoot=">= 18", VerwachteDuurMaanden="<= 3", UitzichtOpHerstel="true",
          GebruikelijkeHulpKortdurend="true"),
        r("GH-13", "Korter dan 3 maanden maar zonder uitzicht op herstel: geen kortdurende situatie in de zin van de "
          "handleiding; of het gebruikelijke hulp is volgt uit de langdurige situaties.", b, F4,
          LeeftijdHuisgenoot=">= 18", VerwachteDuurMaanden="<= 3", UitzichtOpHerstel="false",
          GebruikelijkeHulpKortdurend="false"),
        r("GH-14", "Langer dan 3 maanden: geen kortdurende situatie; zie de langdurige situaties.", b, F4,
          LeeftijdHuisgenoot=">= 18", VerwachteDuurMaanden="> 3", GebruikelijkeHulpKortdurend="false"),
    ])
    t3 = dict(name="Langdurige situatie", description="Gebruikelijke hulp in een langdurige situatie",
              inputs=["LeeftijdHuisgenoot", "Taak"], outputs=["GebruikelijkeHulpLangdurig"], rules=[
        r("GH-20", "De langdurige gebruikelijke hulp geldt voor volwassen huisgenoten; van een minderjarige alleen lichte "
          "huishoudelijke taken (GH-02).", b, F4, LeeftijdHuisgenoot="< 18", GebruikelijkeHulpLangdurig="false"),
        r("GH-21", "Geen taak opgegeven: de langdurige situatie wordt niet beoordeeld.", b, F4, LeeftijdHuisgenoot=">= 18",
          Taak="null", GebruikelijkeHulpLangdurig="null"),
        r("GH-22", "De taken die de handleiding voor langdurige situaties noemt horen tot de gebruikelijke hulp: normaal "
          "maatschappelijk verkeer, taken van het gezamenlijk huishouden, het leren omgaan van derden met de cliënt, "
          "verzorgen van jongere gezinsleden en ouderlijk toezicht (naar de leeftijd van het kind).", b, F4,
          LeeftijdHuisgenoot=">= 18", Taak=taken, GebruikelijkeHulpLangdurig="true"),
        r("GH-23", "Een taak die de handleiding niet noemt is niet op grond van deze lijst gebruikelijke hulp; de "
          "consulent beoordeelt wat 'naar algemeen aanvaarde opvattingen in redelijkheid' verwacht mag worden.", b, F4,
          LeeftijdHuisgenoot=">= 18", Taak='"andere taak"', GebruikelijkeHulpLangdurig="false"),
    ])
    t4 = dict(name="Uitzonderingen", description="Uitzonderingen op gebruikelijke hulp",
              inputs=["HuisgenootLangAfwezigZorgKinderen", "HuisgenootBeperking", "Overbelasting", "KorteLevensverwachting"],
              outputs=["UitzonderingMogelijk"], rules=[
        r("GH-30", "De huisgenoot moet lang en/of frequent afwezig zijn en het gaat om zorg voor kinderen: uitzondering "
          "mogelijk. Hoe lang 'lang' is zegt de handleiding niet (Kampen: 7 etmalen).", b, F4,
          HuisgenootLangAfwezigZorgKinderen="true", UitzonderingMogelijk="true"),
        r("GH-31", "De huisgenoot heeft geobjectiveerde beperkingen en kan de taken niet verrichten of aanleren: "
          "uitzondering mogelijk.", b, F4, HuisgenootLangAfwezigZorgKinderen="false", HuisgenootBeperking="true",
          UitzonderingMogelijk="true"),
        r("GH-32", "De huisgenoot is overbelast of dreigt dat te raken: uitzondering mogelijk (al dan niet tijdelijk).", b,
          F4, HuisgenootLangAfwezigZorgKinderen="false", HuisgenootBeperking="false", Overbelasting="true",
          UitzonderingMogelijk="true"),
        r("GH-33", "De hulpvrager heeft een korte levensverwachting: uitzondering mogelijk.", b, F4,
          HuisgenootLangAfwezigZorgKinderen="false", HuisgenootBeperking="false", Overbelasting="false",
          KorteLevensverwachting="true", UitzonderingMogelijk="true"),
        r("GH-34", "Geen van de genoemde situaties: geen uitzondering op gebruikelijke hulp op deze gronden ('te denken "
          "valt aan' maakt de lijst niet uitputtend; de consulent kan andere situaties afwegen).", b, F4,
          HuisgenootLangAfwezigZorgKinderen="false", HuisgenootBeperking="false", Overbelasting="false",
          KorteLevensverwachting="false", UitzonderingMogelijk="false"),
    ])
    L0 = "geen taken: de handleiding noemt geen taken voor huisgenoten jonger dan 12 jaar"
    L12 = "lichte huishoudelijke taken, afhankelijk van de individuele mogelijkheden"
    L18 = "volwassen huisgenoot: gebruikelijke hulp in kortdurende en langdurige situaties"
    ex = exs(["LeeftijdHuisgenoot", "VerwachteDuurMaanden", "UitzichtOpHerstel", "Taak", "HuisgenootLangAfwezigZorgKinderen",
              "HuisgenootBeperking", "Overbelasting", "KorteLevensverwachting", "VerwachtNaarLeeftijd",
              "GebruikelijkeHulpKortdurend", "GebruikelijkeHulpLangdurig", "UitzonderingMogelijk", "Richtlijn"],
        ("V-01", 11, None, None, None, None, None, None, None, L0, False, False, False, True, "Grens: 11 jaar, geen taken."),
        ("V-02", 12, None, None, None, None, None, None, None, L12, False, False, False, True, "Grens: 12 jaar, lichte huishoudelijke taken."),
        ("V-03", 17, None, None, "gezamenlijk huishouden", None, None, None, None, L12, False, False, False, True, "Grens: 17 jaar, lichte taken maar geen langdurige gebruikelijke hulp."),
        ("V-04", 18, None, None, None, None, None, None, None, L18, None, None, False, True, "Grens: 18 jaar, geen duur en geen taak opgegeven: niet beoordeeld."),
        ("V-05", 45, 3, True, None, None, None, None, None, L18, True, None, False, True, "Grens: 3 maanden met uitzicht op herstel: gebruikelijke hulp."),
        ("V-06", 45, 4, True, None, None, None, None, None, L18, False, None, False, True, "Grens: 4 maanden is geen kortdurende situatie."),
        ("V-07", 45, 2, None, None, None, None, None, None, L18, False, None, False, True, "2 maanden maar geen uitzicht op herstel."),
        ("V-08", 50, None, None, "maatschappelijk verkeer", None, None, None, None, L18, None, True, False, True, "Partner brengt de cliënt naar de arts: gebruikelijke hulp."),
        ("V-09", 50, None, None, "andere taak", None, None, None, None, L18, None, False, False, True, "Een taak die niet in de lijst staat."),
        ("V-10", 40, None, None, None, True, None, None, None, L18, None, None, True, True, "Huisgenoot lang afwezig, zorg voor kinderen: uitzondering mogelijk."),
        ("V-11", 40, None, None, None, None, True, None, None, L18, None, None, True, True, "Huisgenoot met geobjectiveerde beperking."),
        ("V-12", 40, None, None, None, None, None, True, None, L18, None, None, True, True, "Overbelaste huisgenoot."),
        ("V-13", 40, None, None, None, True, True, True, True, L18, None, None, True, True, "Alle uitzonderingsgronden tegelijk."),
        ("V-14", 40, None, None, None, None, None, None, True, L18, None, None, True, True, "Korte levensverwachting van de hulpvrager."),
        ("V-15", 16, 1, True, None, None, None, None, None, L12, False, False, False, True, "Minderjarige huisgenoot: geen kortdurende gebruikelijke hulp, wel lichte taken."),
        ("V-16", 0, None, None, None, None, None, None, None, L0, False, False, False, True, "Pasgeboren huisgenoot."),
        ("V-17", 30, 3, True, "ouderlijk toezicht", None, None, None, None, L18, True, True, False, True, "Kortdurend en langdurig tegelijk beoordeeld."),
        ("V-18", 30, None, None, "verzorgen jongere gezinsleden", None, None, None, None, L18, None, True, False, True, "Volwassen inwonend kind verzorgt jongere gezinsleden."),
    )
    meta = {"Gemeente": "midden-holland", "Regelset": "gebruikelijke-hulp",
            "Titel": "Gebruikelijke hulp door huisgenoten (voorliggende oplossing)", "Geldig vanaf": date(2016, 4, 29),
            "Brondocument": MH_META, "Eigenaar": "Team Wmo-beleid, regio Midden-Holland"}
    return wbedit.new_workbook(meta, glossary, [t1, t2, t3, t4], ex)


BUILDERS = {"almere/vervoer": almere_vervoer, "almere/vervanging": almere_vervanging, "almere/pgb": almere_pgb,
            "kampen/pgb": kampen_pgb, "midden-holland/gebruikelijke-hulp": mh_gebruikelijke_hulp}

if __name__ == "__main__":
    for name in sys.argv[1:] or BUILDERS:
        BUILDERS[name]().save(ROOT / f"{name}.xlsx")
        print("written", name)
