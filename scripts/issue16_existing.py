"""Issue 16: add the missing rules to existing rule sets and fix citations (one-off; edits spreadsheets/).

    git checkout -- spreadsheets/<gemeente>/<name>.xlsx   # start from the committed file
    .venv/bin/python scripts/issue16_existing.py <gemeente>/<name> ...

Existing input and output names stay; every new input has a default (Standaard) so that existing
callers keep working. Rule ids of existing rows are kept; new rows get new ids.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import wbedit as W  # noqa: E402
from issue16_common import F3, F4, K15, MH, MH_META  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent / "spreadsheets"


def rule(id_, toel, bron, file, **cells):
    return {"id": id_, **cells, "Toelichting": toel, "Bron": bron, "Bronbestand": file}


def exs(cols, *rows):
    return [dict(zip(["Voorbeeld", *cols, "Omschrijving"], row)) for row in rows]


# ------------------------------------------------------------------ midden-holland/kortdurend-verblijf (item 2)
def mh_kortdurend_verblijf(wb):
    W.set_metadata(wb, "Brondocument", MH_META)
    grounds = '"ernstige gedragsproblematiek","ernstig psychisch disfunctioneren","ernstige oriëntatiestoornissen","intensieve zorg"'
    W.add_variable(wb, "IndicatieGrond", "tekst", grounds + ',"geen"', "null", None,
                   "Waarom de cliënt is aangewezen op begeleiding en ondersteuning in de nabijheid van een professional "
                   "(indicatie §4.1): ernstige gedragsproblematiek, ernstig psychisch disfunctioneren, ernstige "
                   "oriëntatiestoornissen of intensieve zorg; 'geen' als geen van deze gronden er is; leeg = nog niet vastgesteld.")
    t = "Toets kortdurend verblijf"
    W.insert_input(wb, t, "IndicatieGrond", after="OntlastingMantelzorger")
    for rid in ("KV-04", "KV-05"):
        W.set_cells(wb, t, rid, IndicatieGrond=grounds)
    old = W.get_cell(wb, t, "KV-04", "Toelichting")
    W.set_cells(wb, t, "KV-04", Toelichting=old + " Vereist is ook een indicatie uit §4.1: de cliënt is aangewezen op "
                "begeleiding in de nabijheid van een professional vanwege een van de vier genoemde gronden.",
                Bron=W.get_cell(wb, t, "KV-04", "Bron") + f"; {MH}, §4.1 Omschrijving bouwsteen kortdurend verblijf, "
                "rij 'Indicaties en contra-indicaties'")
    s41 = f"{MH}, §4.1 Omschrijving bouwsteen kortdurend verblijf, rij 'Indicaties en contra-indicaties'"
    W.add_rules(wb, t, [
        rule("KV-06", "Geen van de indicaties uit §4.1 (ernstige gedragsproblematiek, ernstig psychisch disfunctioneren, "
             "ernstige oriëntatiestoornissen, intensieve zorg): de cliënt is niet aangewezen op begeleiding in de nabijheid "
             "van een professional, dus geen kortdurend verblijf, ook niet bij 4 of minder etmalen per maand.", s41, F4,
             PermanentToezicht="false", Crisissituatie="false", OntlastingMantelzorger="true", IndicatieGrond='"geen"',
             Toegekend="false", MaxEtmalenPerMaand="null", MaxEtmalenPerJaar="null",
             Reden='"Geen indicatie: de cliënt is niet aangewezen op begeleiding in de nabijheid van een professional '
                   'vanwege ernstige gedragsproblematiek, ernstig psychisch disfunctioneren, ernstige oriëntatiestoornissen '
                   'of intensieve zorg."', Richtlijn="true"),
        rule("KV-07", "De indicatiegrond is niet opgegeven: zonder vastgestelde indicatie uit §4.1 kan kortdurend verblijf "
             "niet worden toegekend (vroeger werd elke aanvraag van 4 of minder etmalen toegekend; de indicatie ontbrak in "
             "de toets).", s41, F4, PermanentToezicht="false", Crisissituatie="false", OntlastingMantelzorger="true",
             IndicatieGrond="null", Toegekend="false", MaxEtmalenPerMaand="null", MaxEtmalenPerJaar="null",
             Reden='"Eerst vaststellen of de cliënt is aangewezen op begeleiding in de nabijheid van een professional '
                   '(ernstige gedragsproblematiek, ernstig psychisch disfunctioneren, ernstige oriëntatiestoornissen of '
                   'intensieve zorg)."', Richtlijn="true"),
    ])
    # the examples that expected a grant (or the 4-per-month test) now state their ground
    for vid, ground in (("V-01", "ernstige oriëntatiestoornissen"), ("V-02", "intensieve zorg"),
                        ("V-03", "ernstig psychisch disfunctioneren"), ("V-04", "intensieve zorg"),
                        ("V-05", "intensieve zorg"), ("V-06", "ernstige gedragsproblematiek"),
                        ("V-10", "ernstig psychisch disfunctioneren"), ("V-11", "intensieve zorg"),
                        ("V-12", "intensieve zorg")):
        W.set_example(wb, vid, IndicatieGrond=ground)
    W.add_examples(wb, exs(
        ["EtmalenPerMaand", "HerstelMogelijk", "IndicatieGrond", "Toegekend", "MaxEtmalenPerMaand", "MaxEtmalenPerJaar",
         "Richtlijn", "MaxIndicatieduurMaanden"],
        ("V-13", 3, True, "geen", False, None, None, True, None,
         "Geen indicatiegrond uit §4.1: geen kortdurend verblijf, ook niet bij 3 etmalen (KV-06)."),
        ("V-14", 3, True, None, False, None, None, True, None,
         "Indicatiegrond niet opgegeven: eerst vaststellen, niet toegekend (KV-07)."),
        ("V-15", 4, False, "ernstige gedragsproblematiek", True, 4, 48, True, 48,
         "Ernstige gedragsproblematiek, 4 etmalen, geen herstel: toegekend, 4 jaar."),
        ("V-16", 4, True, "ernstige oriëntatiestoornissen", True, 4, 48, True, 12,
         "Ernstige oriëntatiestoornissen (grond) met herstel mogelijk: 1 jaar."),
        ("V-17", 5, True, "geen", False, None, None, True, None,
         "Geen grond en boven 4 etmalen: KV-06 (geen indicatie) gaat voor de omvangtoets."),
    ))


# ------------------------------------------------------------------ midden-holland/begeleiding (items 1, 11)
def mh_begeleiding(wb):
    W.set_metadata(wb, "Brondocument", MH_META)
    s22 = f"{MH}, §2.2 Denkrichting voor omvang & duur van de (gespecialiseerde) begeleiding, tabel"
    b4 = f"{MH}, bijlage 4 Werkwijze verhuizing bij bouwsteen begeleiding"
    W.add_variable(wb, "Resultaatgebied", "tekst", '"regie en structuur","vaardigheden","overnemen","stabiliseren"', "null",
                   None, "Waarop de aanvullende professionele begeleiding gericht is (§2.2 kolom 2): 'regie en structuur' = "
                   "a. ondersteunen bij regie en structuur (coachen en stimuleren); 'vaardigheden' = b. aanleren en behouden "
                   "van vaardigheden (meehelpen met handen op de rug); 'overnemen' = c. ondersteunen mantelzorger "
                   "(overnemen); 'stabiliseren' = d. stabiliseren van een ontregelde situatie (regisseren en samen doen). "
                   "Leeg = omvang niet bepalen.")
    W.add_variable(wb, "OvernameToezicht", "ja/nee", None, "false", None,
                   "Het toezicht van de mantelzorger moet worden overgenomen (§2.2, rij 'Het overnemen van toezicht van de mantelzorger').")
    W.add_variable(wb, "PermanentToezicht", "ja/nee", None, "false", None,
                   "De cliënt heeft permanent toezicht nodig (dan is de Wlz voorliggend, §2.2 kolom 1b).")
    W.add_variable(wb, "VerhuisdMetLopendeIndicatie", "ja/nee", None, "false", None,
                   "De cliënt is naar de gemeente verhuisd met een doorlopende indicatie begeleiding van de 'oude' gemeente "
                   "en geeft toestemming voor overdracht van gegevens (bijlage 4).")
    W.add_variable(wb, "MaandenSindsVerhuizing", "getal", ">= 0", "null", "maanden",
                   "Hoeveel maanden geleden de cliënt is verhuisd; leeg = onbekend.")
    W.add_variable(wb, "HerkomstIndicatie", "tekst",
                   '"regio Midden-Holland","buiten de regio, gecontracteerde aanbieder","buiten de regio, niet-gecontracteerde aanbieder"',
                   "null", None, "Waar de cliënt vandaan komt en via wie de begeleiding loopt (de drie scenario's van bijlage 4).")
    outs = [("RichtlijnOmvang", "tekst", None, None, "Richtlijn van de omvang bij het gekozen resultaatgebied (§2.2, onderste rij)."),
            ("MinutenPerWeekMin", "getal", None, "minuten/week",
             "Ondergrens van de denkrichting in minuten per week: de minuten per domein uit de tabel van §2.2 opgeteld over de "
             "domeinen waarop de cliënt hooguit beperkt zelfredzaam is (ZRM-score 1, 2 of 3)."),
            ("MinutenPerWeekMax", "getal", None, "minuten/week", "Bovengrens van die denkrichting (waar de tabel een bereik geeft, zoals 5-15 min.)."),
            ("OvernameToezichtUrenPerWeek", "getal", None, "uur/week",
             "Denkrichting voor het overnemen van toezicht van de mantelzorger: 8 uur per week; leeg als er geen toezicht "
             "wordt overgenomen of als permanent toezicht nodig is (Wlz)."),
            ("RedenToezicht", "tekst", None, None, "Korte uitleg bij het overnemen van toezicht."),
            ("OudeIndicatieGerespecteerd", "ja/nee", None, None,
             "Bij verhuizing: ja als de indicatie van de 'oude' gemeente (nog) wordt gerespecteerd (ten hoogste 3 maanden)."),
            ("VerhuisAfspraak", "tekst", None, None, "Wat bijlage 4 voor deze verhuizing afspreekt.")]
    for name, type_, allowed, unit, desc in outs:
        W.add_variable(wb, name, type_, allowed, None, unit, desc, output=True)

    def fmt(weights):
        return " + ".join(f"{w} * OB{d}" for d, w in weights)
    D = ["Financien", "Huisvesting", "HuiselijkeRelaties", "GeestelijkeGezondheid", "LichamelijkeGezondheid",
         "Verslaving", "ActiviteitenDagelijksLeven", "SociaalNetwerk", "MaatschappelijkeParticipatie", "Justitie"]
    a_min = zip(D, [15, 5, 5, 5, 15, 15, 15, 15, 5, 15])
    a_max = zip(D, [15, 15, 15, 15, 15, 15, 15, 15, 5, 15])
    b_min = zip(D, [30, 5, 30, 30, 30, 30, 60, 30, 15, 15])
    b_max = zip(D, [30, 15, 30, 30, 30, 30, 90, 30, 15, 15])
    common = (" De tabel telt de minuten op over de domeinen met ZRM-score 1, 2 of 3 (hooguit beperkt zelfredzaam); of "
              "eigen kracht, mantelzorg of een voorliggende voorziening (kolom 1a en 1b) een domein al dekt, beoordeelt de "
              "consulent: de tekst noemt het uitdrukkelijk 'geen normerend kader'. Incidentele inzet (woning zoeken, een "
              "netwerk opzetten) telt niet mee.")
    W.add_table(wb, "Omvang begeleiding", "Denkrichting omvang begeleiding per resultaatgebied", "U", ["Resultaatgebied"],
                ["RichtlijnOmvang", "MinutenPerWeekMin", "MinutenPerWeekMax"], [
        rule("BG-30", "Geen resultaatgebied opgegeven: de omvang wordt niet bepaald.", s22, F4, Resultaatgebied="null",
             RichtlijnOmvang="null", MinutenPerWeekMin="null", MinutenPerWeekMax="null"),
        rule("BG-31", "a. Ondersteunen bij regie en structuur (coachen en stimuleren): richtlijn 1x per week 2 uur; per "
             "domein 5 tot 15 minuten per week (Huisvesting, Huiselijke relaties, Geestelijke gezondheid 5-15; "
             "Maatschappelijke participatie 5; de overige 15)." + common, s22, F4, Resultaatgebied='"regie en structuur"',
             RichtlijnOmvang='"1x per week 2 uur"', MinutenPerWeekMin=fmt(a_min), MinutenPerWeekMax=fmt(a_max)),
        rule("BG-32", "b. Aanleren en behouden van vaardigheden (meehelpen met handen op de rug): richtlijn 2x per week 2 uur; "
             "per domein 30 minuten per week, Huisvesting 5-15, ADL 60-90, Maatschappelijke participatie en Justitie 15."
             + common, s22, F4, Resultaatgebied='"vaardigheden"', RichtlijnOmvang='"2x per week 2 uur"',
             MinutenPerWeekMin=fmt(b_min), MinutenPerWeekMax=fmt(b_max)),
        rule("BG-33", "c. Ondersteunen mantelzorger (overnemen): richtlijn 1 à 2 keer per week een dagdeel; per domein staat "
             "'n.v.t.', dus 0 minuten uit de domeinen (het overnemen van toezicht staat in de tabel Overname toezicht).",
             s22, F4, Resultaatgebied='"overnemen"', RichtlijnOmvang='"1 à 2 keer per week een dagdeel"',
             MinutenPerWeekMin="0", MinutenPerWeekMax="0"),
        rule("BG-34", "d. Stabiliseren van een ontregelde situatie (regisseren en samen doen): tijdelijke situatie, de "
             "indicatie hangt af van de situatie; de tabel noemt per domein taken (schulden regelen, uithuiszetting "
             "voorkomen, toeleiden naar behandeling) maar geen minuten.", s22, F4, Resultaatgebied='"stabiliseren"',
             RichtlijnOmvang='"tijdelijke situatie: indicatie afhankelijk van de situatie"', MinutenPerWeekMin="null",
             MinutenPerWeekMax="null"),
    ])
    W.add_table(wb, "Overname toezicht", "Overnemen van toezicht van de mantelzorger", "U",
                ["OvernameToezicht", "PermanentToezicht"], ["OvernameToezichtUrenPerWeek", "RedenToezicht"], [
        rule("BG-40", "Is permanent toezicht nodig, dan is de Wlz voorliggend (§2.2 kolom 1b 'WLZ als permanent toezicht nodig "
             "is'); zie ook het Wlz-signaal bij meer dan drie etmalen per week overname van toezicht (regelset toegang).",
             s22, F4, PermanentToezicht="true", OvernameToezichtUrenPerWeek="null",
             RedenToezicht='"Permanent toezicht nodig: de Wlz is voorliggend."'),
        rule("BG-41", "Overnemen van toezicht van de mantelzorger: denkrichting 8 uur per week (kolom c, overnemen).", s22, F4,
             OvernameToezicht="true", PermanentToezicht="false", OvernameToezichtUrenPerWeek="8",
             RedenToezicht='"Overnemen van toezicht van de mantelzorger: denkrichting 8 uur per week."'),
        rule("BG-42", "Geen overname van toezicht gevraagd: geen uren.", s22, F4, OvernameToezicht="false",
             PermanentToezicht="false", OvernameToezichtUrenPerWeek="null",
             RedenToezicht='"Geen overname van toezicht."'),
    ])
    keep = " Uiteraard is er altijd maatwerk: de periode kan langer of korter zijn (richtlijn)."
    W.add_table(wb, "Verhuizing", "Indicatie van de oude gemeente na verhuizing", "U",
                ["VerhuisdMetLopendeIndicatie", "MaandenSindsVerhuizing", "HerkomstIndicatie"],
                ["OudeIndicatieGerespecteerd", "VerhuisAfspraak"], [
        rule("BG-50", "Geen verhuizing met een lopende indicatie: niet van toepassing.", b4, F4,
             VerhuisdMetLopendeIndicatie="false", OudeIndicatieGerespecteerd="null", VerhuisAfspraak="null"),
        rule("BG-51", "Verhuisd, maar niet opgegeven hoe lang geleden: niet te beoordelen.", b4, F4,
             VerhuisdMetLopendeIndicatie="true", MaandenSindsVerhuizing="null", OudeIndicatieGerespecteerd="null",
             VerhuisAfspraak='"Geef op hoeveel maanden geleden de cliënt is verhuisd."'),
        rule("BG-52", "Scenario 1, verhuizing binnen de regio Midden-Holland: de nieuwe gemeente neemt de doorlopende "
             "indicatie (met toestemming voor gegevensoverdracht) ten hoogste drie maanden over; 3 maanden precies valt er "
             "nog onder." + keep, b4, F4, VerhuisdMetLopendeIndicatie="true", MaandenSindsVerhuizing="<= 3",
             HerkomstIndicatie='"regio Midden-Holland"', OudeIndicatieGerespecteerd="true",
             VerhuisAfspraak='"Oude indicatie ten hoogste 3 maanden overgenomen; niet opnieuw op Stipter; in die tijd een '
                             'nieuwe indicatie stellen of de bestaande overnemen."'),
        rule("BG-53", "Scenario 2, van buiten de regio met begeleiding via een gecontracteerde partij: de lopende indicatie "
             "kan ten hoogste drie maanden worden overgenomen." + keep, b4, F4, VerhuisdMetLopendeIndicatie="true",
             MaandenSindsVerhuizing="<= 3", HerkomstIndicatie='"buiten de regio, gecontracteerde aanbieder"',
             OudeIndicatieGerespecteerd="true",
             VerhuisAfspraak='"Lopende indicatie ten hoogste 3 maanden overgenomen; niet opnieuw op Stipter; in die tijd '
                             'een nieuwe indicatie stellen of de bestaande overnemen."'),
        rule("BG-54", "Scenario 3, van buiten de regio met een niet-gecontracteerde partij: de lopende indicatie kan ten "
             "hoogste drie maanden worden overgenomen, maar de levering moet via een gecontracteerde partij lopen (zo nodig "
             "met een tijdelijke indicatie) en de cliënt wordt op Stipter geplaatst." + keep, b4, F4,
             VerhuisdMetLopendeIndicatie="true", MaandenSindsVerhuizing="<= 3",
             HerkomstIndicatie='"buiten de regio, niet-gecontracteerde aanbieder"', OudeIndicatieGerespecteerd="true",
             VerhuisAfspraak='"Lopende indicatie ten hoogste 3 maanden overgenomen; levering via een gecontracteerde '
                             'aanbieder (zo nodig tijdelijke indicatie); cliënt op Stipter geplaatst."'),
        rule("BG-55", "Binnen drie maanden, maar het scenario is niet opgegeven: de oude indicatie wordt in alle drie de "
             "scenario's ten hoogste drie maanden gerespecteerd; hoe het verder gaat hangt af van het scenario.", b4, F4,
             VerhuisdMetLopendeIndicatie="true", MaandenSindsVerhuizing="<= 3", HerkomstIndicatie="null",
             OudeIndicatieGerespecteerd="true",
             VerhuisAfspraak='"Oude indicatie ten hoogste 3 maanden gerespecteerd; geef het scenario op voor de verdere afspraken."'),
        rule("BG-56", "Meer dan drie maanden na de verhuizing wordt de oude indicatie niet meer gerespecteerd: er moet een "
             "nieuwe indicatie zijn." + keep, b4, F4, VerhuisdMetLopendeIndicatie="true", MaandenSindsVerhuizing="> 3",
             OudeIndicatieGerespecteerd="false",
             VerhuisAfspraak='"Meer dan 3 maanden na de verhuizing: een nieuwe indicatie is nodig."'),
    ])
    zrm = ["ZRMFinancien", "ZRMDagbesteding", "ZRMHuisvesting", "ZRMHuiselijkeRelaties", "ZRMGeestelijkeGezondheid",
           "ZRMLichamelijkeGezondheid", "ZRMVerslaving", "ZRMActiviteitenDagelijksLeven", "ZRMSociaalNetwerk",
           "ZRMMaatschappelijkeParticipatie", "ZRMJustitie"]
    cols = zrm + ["Resultaatgebied", "OvernameToezicht", "PermanentToezicht", "VerhuisdMetLopendeIndicatie",
                  "MaandenSindsVerhuizing", "HerkomstIndicatie", "AantalDomeinenNietZelfredzaam",
                  "AantalDomeinenNietZelfredzaamZRM", "AantalDomeinenOndersteuningsbehoefte", "Bouwsteen", "Richtlijn",
                  "RichtlijnOmvang", "MinutenPerWeekMin", "MinutenPerWeekMax", "OvernameToezichtUrenPerWeek",
                  "OudeIndicatieGerespecteerd"]
    all3, all4 = [3] * 11, [4] * 11
    mixed = [3, 4, 4, 4, 4, 4, 4, 2, 4, 4, 4]           # Financien 3, ADL 2
    K, B = "kortdurende begeleiding", "begeleiding"
    W.add_examples(wb, exs(cols,
        ("V-17", *mixed, "regie en structuur", None, None, None, None, None, 1, 1, 2, B, True, "1x per week 2 uur", 30, 30, None, None,
         "Financiën beperkt, ADL niet zelfredzaam, regie en structuur: 15 + 15 minuten (BG-31)."),
        ("V-18", *mixed, "vaardigheden", None, None, None, None, None, 1, 1, 2, B, True, "2x per week 2 uur", 90, 120, None, None,
         "Zelfde cliënt, vaardigheden: Financiën 30, ADL 60-90 (BG-32)."),
        ("V-19", *all3, "regie en structuur", None, None, None, None, None, 0, 0, 10, B, True, "1x per week 2 uur", 110, 140, None, None,
         "Alle tien domeinen beperkt zelfredzaam: 110-140 minuten regie en structuur."),
        ("V-20", *all3, "vaardigheden", None, None, None, None, None, 0, 0, 10, B, True, "2x per week 2 uur", 275, 315, None, None,
         "Alle tien domeinen beperkt zelfredzaam: 275-315 minuten vaardigheden."),
        ("V-21", *all4, "regie en structuur", None, None, None, None, None, 0, 0, 0, K, True, "1x per week 2 uur", 0, 0, None, None,
         "Geen domein met ondersteuningsbehoefte: 0 minuten, alleen de richtlijn."),
        ("V-22", *all3, "overnemen", True, None, None, None, None, 0, 0, 10, B, True, "1 à 2 keer per week een dagdeel", 0, 0, 8, None,
         "Overnemen: geen minuten per domein; toezicht overnemen 8 uur per week (BG-33, BG-41)."),
        ("V-23", *all3, "stabiliseren", None, None, None, None, None, 0, 0, 10, B, True,
         "tijdelijke situatie: indicatie afhankelijk van de situatie", None, None, None, None,
         "Stabiliseren: geen minuten, tijdelijke situatie (BG-34)."),
        ("V-24", *all4, None, True, True, None, None, None, 0, 0, 0, K, True, None, None, None, None, None,
         "Permanent toezicht nodig: geen uren overname, Wlz voorliggend (BG-40)."),
        ("V-25", *all4, None, None, None, True, 3, "regio Midden-Holland", 0, 0, 0, K, True, None, None, None, None, True,
         "Grens: 3 maanden na verhuizing binnen de regio: oude indicatie nog gerespecteerd (BG-52)."),
        ("V-26", *all4, None, None, None, True, 4, "regio Midden-Holland", 0, 0, 0, K, True, None, None, None, None, False,
         "Grens: 4 maanden na verhuizing: nieuwe indicatie nodig (BG-56)."),
        ("V-27", *all4, None, None, None, True, 1, "buiten de regio, niet-gecontracteerde aanbieder", 0, 0, 0, K, True,
         None, None, None, None, True, "Van buiten de regio met een niet-gecontracteerde aanbieder (BG-54)."),
        ("V-28", *all4, None, None, None, True, None, None, 0, 0, 0, K, True, None, None, None, None, None,
         "Verhuisd, maar onbekend wanneer: niet te beoordelen (BG-51)."),
        ("V-29", *all4, None, None, None, True, 2, "buiten de regio, gecontracteerde aanbieder", 0, 0, 0, K, True,
         None, None, None, None, True, "Van buiten de regio met een gecontracteerde aanbieder (BG-53)."),
        ("V-30", *all4, None, None, None, True, 0, None, 0, 0, 0, K, True, None, None, None, None, True,
         "Net verhuisd, scenario niet opgegeven: oude indicatie gerespecteerd (BG-55)."),
    ))


# ------------------------------------------------------------------ midden-holland/dagbesteding (item 9)
def mh_dagbesteding(wb):
    W.set_metadata(wb, "Brondocument", MH_META)
    pw = f"{MH}, bijlage 2 §2 Andere wetten, Participatiewet"
    W.add_variable(wb, "Leeftijd", "getal", "[0..130]", "null", "jaar",
                   "Leeftijd van de cliënt in hele jaren (alleen nodig voor de toets op beschut werk); leeg = niet opgegeven.")
    W.add_variable(wb, "PensioengerechtigdeLeeftijdBereikt", "ja/nee", None, "false", None,
                   "De cliënt heeft de pensioengerechtigde leeftijd bereikt.")
    W.add_variable(wb, "AanpassingenNietVanWerkgever", "ja/nee", None, "false", None,
                   "Er zijn technische of organisatorische aanpassingen nodig die niet binnen redelijke grenzen van een "
                   "reguliere werkgever verwacht kunnen worden (criterium b).")
    W.add_variable(wb, "VoortdurendBegeleidingNodig", "ja/nee", None, "false", None,
                   "Er is zoveel begeleiding nodig dat het niet redelijk is dit van een reguliere werkgever te verwachten: "
                   "begeleiding moet voortdurend in de buurt zijn (criterium c).")
    W.add_variable(wb, "LoonvormendPercentage", "getal", "[0..100]", "null", "%",
                   "De loonvormende arbeidsprestatie die de cliënt gedurende een langere periode kan leveren, in procenten "
                   "(criterium d); leeg = niet vastgesteld (de consulent kan dit mogelijk niet zelf bepalen; een "
                   "arbeidsdeskundige of het UWV wel).")
    W.add_variable(wb, "OndersteuningWerknemersvaardigheden", "ja/nee", None, "false", None,
                   "Er is ondersteuning nodig bij het aanleren van werknemersvaardigheden (criterium e).")
    W.add_variable(wb, "BeschutWerkMogelijk", "ja/nee", None, None, None,
                   "Ja als de cliënt volgens de criteria van de Participatiewet voor beschut werk in aanmerking komt; leeg "
                   "als dat niet is vastgesteld.", output=True)
    W.add_variable(wb, "WmoDagbestedingMogelijk", "ja/nee", None, None, None,
                   "Nee als de Participatiewet voorliggend is (beschut of ander werk mogelijk); leeg als dat niet is "
                   "beoordeeld.", output=True)
    W.add_variable(wb, "RedenParticipatiewet", "tekst", None, None, None, "Korte uitleg bij de toets op de Participatiewet.",
                   output=True)
    crit = (" De criteria staan in de tekst als 'a ... en b ... of c ... en d ... en e'; de tabel leest: a en (b of c) en d en "
            "e. Het UWV bepaalt uiteindelijk of iemand in aanmerking komt voor beschut werk.")
    inputs = ["LoonvormendPercentage", "Leeftijd", "PensioengerechtigdeLeeftijdBereikt", "AanpassingenNietVanWerkgever",
              "VoortdurendBegeleidingNodig", "OndersteuningWerknemersvaardigheden"]
    W.add_table(wb, "Beschut werk", "Komt de cliënt in aanmerking voor beschut werk (Participatiewet)", "U", inputs,
                ["BeschutWerkMogelijk"], [
        rule("BW-01", "Loonvormende arbeidsprestatie niet vastgesteld: niet beoordeeld (de consulent kan dit mogelijk niet "
             "zelf bepalen; een arbeidsdeskundige wel).", pw, F4, LoonvormendPercentage="null", BeschutWerkMogelijk="null"),
        rule("BW-02", "Geen of zeer geringe loonvormende arbeidsprestatie (minder dan 20%): beschut werk is (nog) niet aan de "
             "orde. 'Zeer gering' is gelezen als onder de ondergrens van 20%.", pw, F4, LoonvormendPercentage="< 20",
             BeschutWerkMogelijk="false"),
        rule("BW-03", "Jonger dan 18: geen beschut werk (criterium a)." + crit, pw, F4, LoonvormendPercentage="[20..30]",
             Leeftijd="< 18", BeschutWerkMogelijk="false"),
        rule("BW-04", "Pensioengerechtigde leeftijd bereikt: geen beschut werk (criterium a)." + crit, pw, F4,
             LoonvormendPercentage="[20..30]", Leeftijd=">= 18", PensioengerechtigdeLeeftijdBereikt="true",
             BeschutWerkMogelijk="false"),
        rule("BW-05", "Geen aanpassingen en geen voortdurende begeleiding nodig die een reguliere werkgever niet kan bieden "
             "(b en c ontbreken): geen beschut werk; regulier werk met ondersteuning ligt dan meer voor de hand." + crit, pw,
             F4, LoonvormendPercentage="[20..30]", Leeftijd=">= 18", PensioengerechtigdeLeeftijdBereikt="false",
             AanpassingenNietVanWerkgever="false", VoortdurendBegeleidingNodig="false", BeschutWerkMogelijk="false"),
        rule("BW-06", "Aanpassingen nodig (b), maar geen ondersteuning bij werknemersvaardigheden (e ontbreekt): niet alle "
             "criteria." + crit, pw, F4, LoonvormendPercentage="[20..30]", Leeftijd=">= 18",
             PensioengerechtigdeLeeftijdBereikt="false", AanpassingenNietVanWerkgever="true",
             OndersteuningWerknemersvaardigheden="false", BeschutWerkMogelijk="false"),
        rule("BW-07", "Voortdurende begeleiding nodig (c), maar e ontbreekt: niet alle criteria." + crit, pw, F4,
             LoonvormendPercentage="[20..30]", Leeftijd=">= 18", PensioengerechtigdeLeeftijdBereikt="false",
             AanpassingenNietVanWerkgever="false", VoortdurendBegeleidingNodig="true",
             OndersteuningWerknemersvaardigheden="false", BeschutWerkMogelijk="false"),
        rule("BW-08", "18 jaar tot de pensioengerechtigde leeftijd, aanpassingen nodig (b), 20-30% loonvormend (d, grenzen "
             "inbegrepen) en ondersteuning bij werknemersvaardigheden (e): beschut werk." + crit, pw, F4,
             LoonvormendPercentage="[20..30]", Leeftijd=">= 18", PensioengerechtigdeLeeftijdBereikt="false",
             AanpassingenNietVanWerkgever="true", OndersteuningWerknemersvaardigheden="true", BeschutWerkMogelijk="true"),
        rule("BW-09", "Als BW-08, maar met voortdurende begeleiding (c) in plaats van aanpassingen (b): beschut werk." + crit,
             pw, F4, LoonvormendPercentage="[20..30]", Leeftijd=">= 18", PensioengerechtigdeLeeftijdBereikt="false",
             AanpassingenNietVanWerkgever="false", VoortdurendBegeleidingNodig="true",
             OndersteuningWerknemersvaardigheden="true", BeschutWerkMogelijk="true"),
        rule("BW-10", "Meer dan 30% loonvormende arbeidsprestatie: dat is meer dan de 'beperkte' prestatie van beschut werk; "
             "de tabel leest dit als: geen beschut werk maar (begeleid) werk via de Participatiewet.", pw, F4,
             LoonvormendPercentage="> 30", BeschutWerkMogelijk="false"),
        rule("BW-11", "Loonvormende prestatie 20-30% maar leeftijd niet opgegeven: criterium a niet te beoordelen.", pw, F4,
             LoonvormendPercentage="[20..30]", Leeftijd="null", BeschutWerkMogelijk="null"),
    ])
    s31 = f"{MH}, §3.1 Omschrijving bouwsteen dagbesteding, rijen 'Omschrijving' en 'Indicaties'"
    W.add_table(wb, "Participatiewet voorliggend", "Gaat de Participatiewet voor op Wmo-dagbesteding", "U",
                ["BeschutWerkMogelijk", "LoonvormendPercentage"], ["WmoDagbestedingMogelijk", "RedenParticipatiewet"], [
        rule("PW-01", "Iemand die volgens de Participatiewet in staat is beschut te werken komt niet in aanmerking voor "
             "dagbesteding zoals die in de Wmo bedoeld is.", pw, F4, BeschutWerkMogelijk="true",
             WmoDagbestedingMogelijk="false",
             RedenParticipatiewet='"De cliënt kan beschut werken: geen Wmo-dagbesteding (Participatiewet voorliggend)."'),
        rule("PW-02", "Meer dan 30% loonvormend: de Participatiewet is voor mensen die kunnen werken met ondersteuning, en "
             "dagbesteding gericht op participatie is voor wie niet aan het reguliere arbeidsproces of beschut werk kan "
             "deelnemen (§3.1); de tabel leest dit als geen Wmo-dagbesteding.", f"{pw}; {s31}", F4,
             BeschutWerkMogelijk="false", LoonvormendPercentage="> 30", WmoDagbestedingMogelijk="false",
             RedenParticipatiewet='"De cliënt kan meer dan beschut werk: werk met ondersteuning via de Participatiewet."'),
        rule("PW-03", "Geen beschut werk mogelijk en niet meer dan 30% loonvormend: de Participatiewet is niet voorliggend, "
             "Wmo-dagbesteding kan.", f"{pw}; {s31}", F4, BeschutWerkMogelijk="false", LoonvormendPercentage="<= 30, null",
             WmoDagbestedingMogelijk="true",
             RedenParticipatiewet='"Beschut werk is (nog) niet aan de orde: Wmo-dagbesteding kan."'),
        rule("PW-04", "Niet beoordeeld of de cliënt (beschut) kan werken: geen uitkomst; de consulent laat dit zo nodig door "
             "een arbeidsdeskundige bepalen.", pw, F4, BeschutWerkMogelijk="null", WmoDagbestedingMogelijk="null",
             RedenParticipatiewet='"Niet beoordeeld of de cliënt (beschut) kan werken (arbeidsdeskundige of UWV)."'),
    ])
    W.add_examples(wb, exs(
        ["Leeftijd", "PensioengerechtigdeLeeftijdBereikt", "AanpassingenNietVanWerkgever", "VoortdurendBegeleidingNodig",
         "LoonvormendPercentage", "OndersteuningWerknemersvaardigheden", "MaxDagdelenBouwsteen", "NegenDagdelenMogelijk",
         "MaxDagdelenPerWeek", "Richtlijn", "VervoerGeindiceerd", "MaxVervoerDagenPerWeek", "BeschutWerkMogelijk",
         "WmoDagbestedingMogelijk"],
        ("V-17", 30, None, True, None, 20, True, 9, False, 8, True, True, 5, True, False,
         "Grens 20%, aanpassingen nodig, werknemersvaardigheden: beschut werk, geen Wmo-dagbesteding (BW-08, PW-01)."),
        ("V-18", 30, None, None, True, 30, True, 9, False, 8, True, True, 5, True, False,
         "Grens 30%, voortdurende begeleiding: beschut werk (BW-09)."),
        ("V-19", 30, None, True, None, 19, True, 9, False, 8, True, True, 5, False, True,
         "19%: zeer geringe prestatie, beschut werk niet aan de orde, dagbesteding kan (BW-02, PW-03)."),
        ("V-20", 30, None, True, None, 31, True, 9, False, 8, True, True, 5, False, False,
         "31%: meer dan beschut werk, Participatiewet (BW-10, PW-02)."),
        ("V-21", 17, None, True, None, 25, True, 9, False, 8, True, True, 5, False, True,
         "Grens: 17 jaar, geen beschut werk (BW-03)."),
        ("V-22", 18, None, True, None, 25, True, 9, False, 8, True, True, 5, True, False,
         "Grens: 18 jaar, alle criteria: beschut werk."),
        ("V-23", 67, True, True, None, 25, True, 9, False, 8, True, True, 5, False, True,
         "Pensioengerechtigde leeftijd bereikt: geen beschut werk (BW-04)."),
        ("V-24", 40, None, None, None, 25, True, 9, False, 8, True, True, 5, False, True,
         "Geen aanpassingen en geen voortdurende begeleiding nodig (BW-05)."),
        ("V-25", 40, None, True, None, 25, None, 9, False, 8, True, True, 5, False, True,
         "Geen ondersteuning bij werknemersvaardigheden nodig (BW-06)."),
        ("V-26", None, None, True, None, 25, True, 9, False, 8, True, True, 5, None, None,
         "25% maar leeftijd niet opgegeven: niet te beoordelen (BW-11, PW-04)."),
        ("V-27", 40, None, None, True, 25, None, 9, False, 8, True, True, 5, False, True,
         "Voortdurende begeleiding, maar geen ondersteuning bij werknemersvaardigheden (BW-07)."),
    ))


# ------------------------------------------------------------------ midden-holland/toegang (item 9)
def mh_toegang(wb):
    W.set_metadata(wb, "Brondocument", MH_META)
    wlz = f"{MH}, bijlage 2 §2 Andere wetten, Wet langdurige zorg (Wlz)"
    W.add_variable(wb, "EtmalenOvernameToezichtPerWeek", "getal", "[0..7]", "0", "etmalen/week",
                   "Aantal etmalen per week waarin het toezicht van de mantelzorger wordt overgenomen.")
    W.add_variable(wb, "JarenGGZVerblijfMetBehandeling", "getal", ">= 0", "0", "jaar",
                   "Hoeveel jaar de cliënt (GGZ) verblijf met behandeling vanuit de Zorgverzekeringswet heeft ontvangen.")
    W.add_variable(wb, "WlzOnderzoeken", "ja/nee", None, None, None,
                   "Ja als er een signaal is dat de cliënt onder de Wlz valt: de gemeente vraagt de cliënt mee te werken aan "
                   "een onderzoek naar toegang tot de Wlz en blijft tot dat besluit verantwoordelijk voor de ondersteuning.",
                   output=True)
    W.add_variable(wb, "RedenWlz", "tekst", None, None, None, "Welk Wlz-signaal.", output=True)
    W.add_table(wb, "Signalen Wlz", "Signalen dat de cliënt onder de Wlz valt", "U",
                ["WlzIndicatie", "EtmalenOvernameToezichtPerWeek", "JarenGGZVerblijfMetBehandeling"],
                ["WlzOnderzoeken", "RedenWlz"], [
        rule("TG-30", "Er is al een Wlz-indicatie: de tabel Voorliggende wet beslist; geen apart signaal.", wlz, F4,
             WlzIndicatie="true", WlzOnderzoeken="false", RedenWlz='"Er is al een Wlz-indicatie."'),
        rule("TG-31", "Meer dan drie etmalen per week overname van het toezicht: deze cliënten worden onder de Wlz gebracht "
             "(ook zonder zorgzwaartepakket). De zin noemt in één opsomming ook extramurale cliënten met een indicatie voor "
             "kortdurend verblijf na 1-1-2011, meer dan 25 uur zorg per week en thuisbeademing; of die kenmerken samen of "
             "los gelden is niet eenduidig, de tabel gebruikt alleen het duidelijke criterium van de etmalen. Tot het "
             "Wlz-besluit blijft de gemeente verantwoordelijk.", wlz + ", 'Enkele uitzonderingen'", F4, WlzIndicatie="false",
             EtmalenOvernameToezichtPerWeek="> 3", WlzOnderzoeken="true",
             RedenWlz='"Meer dan drie etmalen per week overname van het toezicht: onderzoek naar toegang tot de Wlz."'),
        rule("TG-32", "GGZ-cliënten die drie jaar verblijf met behandeling vanuit de Zorgverzekeringswet hebben ontvangen "
             "krijgen daarna toegang tot de Wlz ('na deze drie jaar wordt het Wlz'); 3 jaar precies telt.",
             f"{wlz}; {MH}, bijlage 2 §2 Andere wetten, Zorgverzekeringswet (Zvw)", F4, WlzIndicatie="false",
             EtmalenOvernameToezichtPerWeek="<= 3", JarenGGZVerblijfMetBehandeling=">= 3", WlzOnderzoeken="true",
             RedenWlz='"Drie jaar GGZ-verblijf met behandeling uit de Zvw: daarna toegang tot de Wlz."'),
        rule("TG-33", "Geen van deze Wlz-signalen.", wlz, F4, WlzIndicatie="false", EtmalenOvernameToezichtPerWeek="<= 3",
             JarenGGZVerblijfMetBehandeling="< 3", WlzOnderzoeken="false", RedenWlz='"Geen Wlz-signaal."'),
    ])
    for vid in W.example_ids(wb):
        W.set_example(wb, vid, WlzOnderzoeken=False)
    W.add_examples(wb, exs(
        ["WlzIndicatie", "Leeftijd", "Voorziening", "EtmalenOvernameToezichtPerWeek", "JarenGGZVerblijfMetBehandeling", "Wet",
         "WmoMaatwerkMogelijk", "WlzOnderzoeken"],
        ("V-26", False, 60, "begeleiding", 4, None, "Wmo", True, True,
         "Grens: 4 etmalen per week toezicht overgenomen: Wlz-signaal; tot het besluit blijft de Wmo (TG-31)."),
        ("V-27", False, 60, "begeleiding", 3, None, "Wmo", True, False, "Grens: 3 etmalen is niet meer dan drie: geen signaal."),
        ("V-28", False, 35, "begeleiding", None, 3, "Wmo", True, True, "Grens: 3 jaar GGZ-verblijf met behandeling (TG-32)."),
        ("V-29", False, 35, "begeleiding", None, 2.5, "Wmo", True, False, "2,5 jaar GGZ-verblijf: nog Zvw, geen signaal."),
        ("V-30", True, 80, "begeleiding", 5, 4, "Wlz", False, False, "Al een Wlz-indicatie: geen apart signaal (TG-30)."),
    ))


# ------------------------------------------------------------------ kampen/toegang (item 3, citations)
WHY_KAMPEN = (" Waarom dit in Kampen geldt: welke wet voorliggend is volgt uit de landelijke wetten (Wmo 2015, Jeugdwet, "
              "Wlz), die in Kampen net zo gelden; de Kamper beleidsregels (§2.3, §2.3.1, §2.3.3) verwijzen ernaar zonder de "
              "uitzonderingen op te sommen. De Midden-Hollandse handleiding is hier geen Kamper beleid maar de bron die "
              "diezelfde landelijke verdeling beschrijft.")


def kampen_toegang(wb):
    t = "Voorliggende wet"
    W.set_glossary(wb, "Wet", allowed='"Wmo","Wlz","Jeugdwet","Zvw"')
    W.add_variable(wb, "MedischeNoodzaak", "ja/nee", None, "false", None,
                   "Alleen voor persoonlijke verzorging: er is behoefte aan geneeskundige zorg of een hoog risico daarop "
                   "(te bepalen door de wijkverpleegkundige of huisarts).")
    W.insert_input(wb, t, "MedischeNoodzaak", after="ModulairPakketThuis")
    W.set_cells(wb, t, "TG-01", MedischeNoodzaak="false")
    W.set_cells(wb, t, "TG-03", MedischeNoodzaak="false")
    for rid in ["TG-02", "TG-03"] + [f"TG-{n}" for n in range(10, 21)]:
        old = W.get_cell(wb, t, rid, "Toelichting")
        if "Waarom dit in Kampen geldt" not in old and rid != "TG-13":
            W.set_cells(wb, t, rid, Toelichting=old + WHY_KAMPEN)
    old = W.get_cell(wb, t, "TG-13", "Toelichting")
    W.set_cells(wb, t, "TG-13", Toelichting=old + " Deze rij rust op de Kamper tekst zelf (§3.2.3 i.3).")
    old = W.get_cell(wb, t, "TG-20", "Toelichting")
    W.set_cells(wb, t, "TG-20", Toelichting=old + " Persoonlijke verzorging komt bij een Wlz-indicatie ook met een medische "
                "noodzaak uit de Wlz (het integrale Wlz-pakket omvat verpleging en verzorging).")
    zvw = (f"{K15}, §10 Toewijzing Begeleiding, 'Persoonlijke Verzorging (Wmo)'; {K15}, §3.2.6 h) Maatwerkvoorziening; "
           f"{K15}, §2.3.4 Zorgverzekeringswet (Zvw)")
    W.add_rules(wb, t, [
        rule("TG-04", "Een medische noodzaak speelt alleen bij persoonlijke verzorging; voor andere voorzieningen blijft de "
             "volwassene zonder Wlz-indicatie onder de Wmo (als TG-01).", f"{K15}, §2.3 (Wettelijk) voorliggende kaders", F3,
             WlzIndicatie="false", Leeftijd=">= 18", Voorziening='not("persoonlijke verzorging")', MedischeNoodzaak="true",
             Wet='"Wmo"', WmoMaatwerkMogelijk="true",
             Reden='"Geen Wlz-indicatie en 18 jaar of ouder: de aanvraag valt onder de Wmo"'),
        rule("TG-05", "Persoonlijke verzorging met een medische behoefte (geneeskundige zorg of een hoog risico daarop) is een "
             "aanspraak op de Zorgverzekeringswet (wijkverpleging), niet op de Wmo; zonder die behoefte kan de gemeente "
             "persoonlijke verzorging bieden (TG-01). De teksten maken daarin geen onderscheid naar leeftijd, dus ook voor "
             "een jeugdige geldt de Zvw.", zvw, F3, WlzIndicatie="false", Voorziening='"persoonlijke verzorging"',
             MedischeNoodzaak="true", Wet='"Zvw"', WmoMaatwerkMogelijk="false",
             Reden='"Persoonlijke verzorging met een medische behoefte: aanspraak op wijkverpleging uit de Zorgverzekeringswet"'),
        rule("TG-06", "Jonger dan 18 met een medische noodzaak, maar voor een andere voorziening dan persoonlijke verzorging: "
             "Jeugdwet, als TG-03." + WHY_KAMPEN,
             f"{MH}, bijlage 2 §2 Andere wetten, 'Jeugdwet'; {K15}, §2.3.1 Verbinding Jeugdwet", f"{F4}; {F3}",
             WlzIndicatie="false", Leeftijd="< 18",
             Voorziening='not("hulpmiddel","woningaanpassing","persoonlijke verzorging")', MedischeNoodzaak="true",
             Wet='"Jeugdwet"', WmoMaatwerkMogelijk="false",
             Reden='"Jonger dan 18: de ondersteuning valt onder de Jeugdwet"'),
    ])
    W.add_examples(wb, exs(["WlzIndicatie", "Leeftijd", "Voorziening", "MedischeNoodzaak", "Wet", "WmoMaatwerkMogelijk"],
        ("V-19", None, 70, "persoonlijke verzorging", True, "Zvw", False,
         "Persoonlijke verzorging met medische behoefte: Zvw (TG-05)."),
        ("V-20", None, 70, "persoonlijke verzorging", False, "Wmo", True,
         "Persoonlijke verzorging zonder medische behoefte: Wmo (TG-01)."),
        ("V-21", None, 15, "persoonlijke verzorging", True, "Zvw", False, "Jeugdige, medische behoefte: Zvw (TG-05)."),
        ("V-22", None, 15, "persoonlijke verzorging", None, "Jeugdwet", False,
         "Jeugdige, persoonlijke verzorging zonder medische behoefte: Jeugdwet (TG-03)."),
        ("V-23", None, 40, "begeleiding", True, "Wmo", True, "Medische noodzaak doet bij begeleiding niet ter zake (TG-04)."),
        ("V-24", None, 10, "begeleiding", True, "Jeugdwet", False, "Jeugdige, begeleiding, medische noodzaak: Jeugdwet (TG-06)."),
        ("V-25", True, 70, "persoonlijke verzorging", True, "Wlz", False,
         "Wlz-indicatie gaat voor, ook met medische behoefte (TG-20)."),
        ("V-26", None, 17, "hulpmiddel", True, "Wmo", True, "Jeugdige, hulpmiddel, medische noodzaak: Wmo (TG-02)."),
        ("V-27", None, 18, "persoonlijke verzorging", True, "Zvw", False, "Grens: 18 jaar, medische behoefte: Zvw."),
    ))


# ------------------------------------------------------------------ kampen/woningaanpassing (item 4)
def kampen_woningaanpassing(wb):
    s4, s6, si = (f"{K15}, §3.2.3 i) 4) 'Verhuiskostenvergoeding'", f"{K15}, §3.2.3 i) 6) 'Voorzienbaarheid'",
                  f"{K15}, §3.2.3 i) Doelgroepspecificatie")
    W.add_variable(wb, "VerhuisdVoorAanmelding", "ja/nee", None, "false", None,
                   "De verhuizing heeft al plaatsgevonden vóór de aanmelding.")
    W.add_variable(wb, "EersteZelfstandigeWoning", "ja/nee", None, "false", None,
                   "De cliënt verhuist voor het eerst naar een zelfstandige woonruimte.")
    W.add_variable(wb, "Ruimte", "tekst", '"woonkamer","slaapkamer","toilet","badkamer","keuken","andere ruimte"', "null", None,
                   "De ruimte die bruikbaar gemaakt moet worden; leeg = niet opgegeven.")
    W.add_variable(wb, "VerhuiskostenvergoedingMogelijk", "ja/nee", None, None, None,
                   "Ja als een verhuiskostenvergoeding (eenmalige tegemoetkoming in de meerkosten) mogelijk is; leeg zolang "
                   "de verhuistoets niet is gedaan.", output=True)
    W.add_variable(wb, "WeigeringsgrondVoorzienbaarheid", "ja/nee", None, None, None,
                   "Ja als de woonvoorziening geweigerd kan worden omdat de cliënt voor het eerst zelfstandig gaat wonen "
                   "(voorzienbaarheid); een bevoegdheid, geen verplichting.", output=True)
    W.add_variable(wb, "Basisruimte", "tekst", None, None, None,
                   "Of de ruimte een basisruimte is die een woningaanpassing bruikbaar moet maken.", output=True)
    W.add_table(wb, "Verhuiskostenvergoeding", "Verhuiskostenvergoeding", "U", ["VerhuizenTeVergen", "VerhuisdVoorAanmelding"],
                ["VerhuiskostenvergoedingMogelijk"], [
        rule("WA-30", "Er wordt geen verhuiskostenvergoeding verstrekt als de verhuizing heeft plaatsgevonden vóór de aanmelding.",
             s4, F3, VerhuisdVoorAanmelding="true", VerhuiskostenvergoedingMogelijk="false"),
        rule("WA-31", "Verhuizing gaat voor (de woning is niet geschikt om aan te passen of aanpassen is niet de goedkoopste "
             "adequate oplossing): een verhuiskostenvergoeding is mogelijk, rekening houdend met de mate waarin de verhuizing "
             "te verwachten of te voorspellen was; de hoogte staat in het Besluit (niet in de bronnen).",
             f"{si}; {s4}", F3, VerhuizenTeVergen="true", VerhuisdVoorAanmelding="false",
             VerhuiskostenvergoedingMogelijk="true"),
        rule("WA-32", "Verhuizen kan niet worden gevergd: de oplossing is een woningaanpassing, geen verhuiskostenvergoeding.",
             f"{si}; {s4}", F3, VerhuizenTeVergen="false", VerhuisdVoorAanmelding="false",
             VerhuiskostenvergoedingMogelijk="false"),
        rule("WA-33", "Verhuistoets nog niet gedaan: nog niet te zeggen.", f"{K15}, §3.2.3 i) 1) 'De mogelijkheid om te verhuizen'",
             F3, VerhuizenTeVergen="null", VerhuisdVoorAanmelding="false", VerhuiskostenvergoedingMogelijk="null"),
    ])
    W.add_table(wb, "Voorzienbaarheid", "Eerste zelfstandige woning (voorzienbaarheid)", "U", ["EersteZelfstandigeWoning"],
                ["WeigeringsgrondVoorzienbaarheid"], [
        rule("WA-40", "Een woonaanpassing of woonvoorziening kan worden geweigerd als de cliënt voor het eerst verhuist naar "
             "een zelfstandige woonruimte; er moet naar de concrete omstandigheden worden gekeken, dus dit is een "
             "weigeringsgrond, geen automatische weigering (Toegekend blijft ongewijzigd).", s6, F3,
             EersteZelfstandigeWoning="true", WeigeringsgrondVoorzienbaarheid="true"),
        rule("WA-41", "Geen eerste zelfstandige woning: deze weigeringsgrond geldt niet.", s6, F3,
             EersteZelfstandigeWoning="false", WeigeringsgrondVoorzienbaarheid="false"),
    ])
    W.add_table(wb, "Basisruimtes", "Basisruimtes van de woning", "U", ["Ruimte"], ["Basisruimte"], [
        rule("WA-50", "Geen ruimte opgegeven.", si, F3, Ruimte="null", Basisruimte="null"),
        rule("WA-51", "Woningaanpassingen zijn bedoeld om de basisruimtes bruikbaar te maken: in ieder geval woonkamer, "
             "slaapkamer, toilet en badkamer.", si, F3, Ruimte='"woonkamer","slaapkamer","toilet","badkamer"',
             Basisruimte='"basisruimte"'),
        rule("WA-52", "Afhankelijk van de situatie van de cliënt kan de woonvoorziening ook de keuken betreffen.", si, F3,
             Ruimte='"keuken"', Basisruimte='"afhankelijk van de situatie van de cliënt"'),
        rule("WA-53", "Andere ruimten zijn geen basisruimte: 'in ieder geval' maakt de lijst niet uitputtend, maar een verder "
             "strekkende behoefte moet de cliënt aantonen (i.2 Elementaire woonfuncties). Een uitraasruimte (i.8) heeft "
             "eigen voorwaarden.", f"{si}; {K15}, §3.2.3 i) 2) 'Elementaire woonfuncties'", F3, Ruimte='"andere ruimte"',
             Basisruimte='"geen basisruimte: een verder strekkende behoefte moet de cliënt aantonen"'),
    ])
    for vid in W.example_ids(wb):
        W.set_example(wb, vid, WeigeringsgrondVoorzienbaarheid=False)
    for vid, value in (("V-01", False), ("V-02", False), ("V-03", False), ("V-04", False), ("V-05", False),
                       ("V-06", False), ("V-07", False), ("V-08", True), ("V-09", None), ("V-10", False), ("V-11", True)):
        W.set_example(wb, vid, VerhuiskostenvergoedingMogelijk=value)
    W.add_examples(wb, exs(
        ["VerhuizenTeVergen", "Aanpassingskosten", "VerhuisdVoorAanmelding", "EersteZelfstandigeWoning", "Ruimte", "Toegekend",
         "AantalOffertes", "OfferteBuitenGemeente", "MaxMaandenGereedmelding", "VerhuiskostenvergoedingMogelijk",
         "WeigeringsgrondVoorzienbaarheid", "Basisruimte"],
        ("V-12", True, 30000, True, None, None, False, 3, True, None, False, False, None,
         "Verhuizing gaat voor, maar de cliënt is al vóór de aanmelding verhuisd: geen verhuiskostenvergoeding (WA-30)."),
        ("V-13", None, 800, True, None, None, False, 1, False, None, False, False, None,
         "Verhuistoets niet gedaan, al verhuisd vóór aanmelding: geen vergoeding (WA-30 gaat voor WA-33)."),
        ("V-14", False, 5000, None, True, "badkamer", True, 2, False, 15, False, True, "basisruimte",
         "Eerste zelfstandige woning: weigeringsgrond voorzienbaarheid; badkamer is basisruimte."),
        ("V-15", False, 5000, None, None, "woonkamer", True, 2, False, 15, False, False, "basisruimte", "Woonkamer is basisruimte."),
        ("V-16", False, 5000, None, None, "keuken", True, 2, False, 15, False, False, "afhankelijk van de situatie van de cliënt",
         "Keuken: afhankelijk van de situatie."),
        ("V-17", False, 5000, None, None, "andere ruimte", True, 2, False, 15, False, False,
         "geen basisruimte: een verder strekkende behoefte moet de cliënt aantonen", "Bijvoorbeeld een hobbyruimte."),
        ("V-18", False, 5000, None, None, "slaapkamer", True, 2, False, 15, False, False, "basisruimte", "Slaapkamer."),
        ("V-19", False, 5000, None, None, "toilet", True, 2, False, 15, False, False, "basisruimte", "Toilet."),
    ))


# ------------------------------------------------------------------ kampen/dagbesteding (item 5)
def kampen_dagbesteding(wb):
    t = "Soort vervoer"
    s = f"{K15}, §11 Toewijzing dagbesteding, 'Vervoer'"
    W.add_variable(wb, "ZelfInVervoerVoorzien", "ja/nee", None, "false", None,
                   "De cliënt en zijn omgeving (directe kring, vrijwilligers) kunnen zelf in een vervoersoplossing naar de "
                   "dagbesteding voorzien.")
    W.insert_input(wb, t, "ZelfInVervoerVoorzien", after="Rolstoel", fill="false")
    for rid in ("DB-20", "DB-21", "DB-22", "DB-23"):
        old = W.get_cell(wb, t, rid, "Toelichting")
        W.set_cells(wb, t, rid, Toelichting=old + " Alleen als de cliënt en zijn omgeving niet zelf in vervoer kunnen "
                    "voorzien (zie DB-25).")
    W.add_rules(wb, t, [rule(
        "DB-25", "Vervoer van en naar de dagbesteding wordt alleen geregeld voor cliënten die zelf en met hun omgeving niet "
        "in een vervoersoplossing kunnen voorzien; kunnen zij dat wel, dan geen vervoer (voor elke doelgroep).", s, F3,
        ZelfInVervoerVoorzien="true",
        Vervoer='"Geen vervoer: de cliënt en zijn omgeving kunnen zelf in vervoer voorzien"')])
    W.add_examples(wb, exs(["Doelgroep", "Groepsgrootte", "Rolstoel", "ZelfInVervoerVoorzien", "Product", "Eenheid",
                            "Vervoer", "MaxDagdelenPerWeek"],
        ("V-21", "VG", 7, None, True, "Dagactiviteit VG licht", "dagdeel",
         "Geen vervoer: de cliënt en zijn omgeving kunnen zelf in vervoer voorzien", 9,
         "VG, familie brengt de cliënt: geen vervoer (DB-25)."),
        ("V-22", "V&V", 10, True, True, "Dagactiviteit basis", "dagdeel",
         "Geen vervoer: de cliënt en zijn omgeving kunnen zelf in vervoer voorzien", 9, "V&V met rolstoel, zelf vervoer: geen vervoer."),
        ("V-23", "GGZ", 5, None, False, "Dagactiviteit GGZ", "uur", "Vervoer dagbesteding GGZ", 9,
         "GGZ, expliciet niet zelf in vervoer te voorzien: GGZ-vervoer."),
    ))


# ------------------------------------------------------------------ kampen/vervoer (item 7, 1750 reading)
def kampen_vervoer(wb):
    t = "Vervoersvoorziening"
    h = f"{K15}, §3.2.12 h) Maatwerkvoorziening"
    W.set_glossary(wb, "Voorziening", allowed='"collectief vervoer","vervoerskostenvergoeding","scootmobiel","rolstoel"')
    W.set_glossary(wb, "MaxAfstandPerJaar", description=(
        "Maximale afstand per jaar met collectief vervoer of een andere individuele voorziening voor de langere afstand "
        "(ook een vervoerskostenvergoeding, zie VV-01); de eenheid staat niet in de tekst, vermoedelijk kilometers. Leeg "
        "bij scootmobiel en rolstoel (korte afstand)."))
    W.add_variable(wb, "DagelijksZittendVerplaatsen", "ja/nee", None, "null", None,
                   "Alleen voor een rolstoel: de cliënt moet zich dagelijks zittend verplaatsen in en om de woning (vast te "
                   "stellen met een (medisch) onderzoek); leeg = nog niet onderzocht.")
    W.add_variable(wb, "RolstoelIndicatie", "tekst", None, None, None, "Uitkomst voor een gevraagde rolstoel.", output=True)
    reading = ("Lezing van §3.2.12 h: 'met een systeem voor collectief vervoer of met een andere individuele voorziening' "
               "geldt het maximum van 1750 per jaar; een vervoerskostenvergoeding is zo'n individuele voorziening voor de "
               "langere afstand, dus ook hier 1750 (het normbedrag in het Besluit, dat niet in de bronnen staat, hoort daar "
               "vermoedelijk bij). Een scootmobiel is voor de directe omgeving; daar past geen jaarafstand. Er kan van "
               "worden afgeweken afhankelijk van de situatie: richtlijn. ")
    W.set_cells(wb, t, "VV-01", Toelichting=reading + "De eenheid staat niet in de tekst (vermoedelijk kilometers).")
    for rid in ("VV-10", "VV-11", "VV-12", "VV-13", "VV-14", "VV-15"):
        old = W.get_cell(wb, t, rid, "Toelichting")
        bron = W.get_cell(wb, t, rid, "Bron")
        W.set_cells(wb, t, rid, MaxAfstandPerJaar="1750", Richtlijn="true",
                    Toelichting=old + " Maximum 1750 per jaar, richtlijn: zie VV-01 voor de lezing van 'of met een andere "
                    "individuele voorziening'.", Bron=bron if h in bron else f"{bron}; {h}")
    W.add_rules(wb, t, [rule("VV-50", "Een rolstoel is een voorziening voor het verplaatsen in en om de woning: geen "
                             "jaarafstand en geen normbedrag; de indicatie volgt uit het (medisch) onderzoek (tabel Rolstoel).",
                             f"{K15}, §3.2.12 i) 2", F3, Voorziening='"rolstoel"', MaxAfstandPerJaar="null",
                             PercentageNormbedrag="null", MeerkostenActieradius="null", Richtlijn="true")])
    i2 = f"{K15}, §3.2.12 i) 2"
    W.add_table(wb, "Rolstoel", "Rolstoel: dagelijks zittend verplaatsen", "U", ["Voorziening", "DagelijksZittendVerplaatsen"],
                ["RolstoelIndicatie"], [
        rule("VV-60", "Geen rolstoel gevraagd: niet van toepassing.", i2, F3, Voorziening='not("rolstoel")',
             RolstoelIndicatie="null"),
        rule("VV-61", "Een rolstoel kan worden geïndiceerd wanneer dagelijks zittend verplaatsen in en om de woning "
             "noodzakelijk is; het (medisch) onderzoek bepaalt of er een indicatie is en in welke vorm ('kan': geen "
             "automatisch recht).", i2, F3, Voorziening='"rolstoel"', DagelijksZittendVerplaatsen="true",
             RolstoelIndicatie='"rolstoel kan worden geïndiceerd; het (medisch) onderzoek bepaalt of en in welke vorm"'),
        rule("VV-62", "Dagelijks zittend verplaatsen in en om de woning is niet noodzakelijk: geen rolstoel op deze grond.",
             i2, F3, Voorziening='"rolstoel"', DagelijksZittendVerplaatsen="false",
             RolstoelIndicatie='"geen rolstoel: dagelijks zittend verplaatsen in en om de woning is niet noodzakelijk"'),
        rule("VV-63", "Nog niet onderzocht of dagelijks zittend verplaatsen noodzakelijk is: eerst het (medisch) onderzoek.",
             i2, F3, Voorziening='"rolstoel"', DagelijksZittendVerplaatsen="null",
             RolstoelIndicatie='"eerst (medisch) onderzoek of dagelijks zittend verplaatsen in en om de woning noodzakelijk is"'),
    ])
    for vid in ("V-02", "V-03", "V-04", "V-05", "V-06", "V-07", "V-08"):
        W.set_example(wb, vid, MaxAfstandPerJaar=1750, Richtlijn=True)
    W.add_examples(wb, exs(["Voorziening", "DagelijksZittendVerplaatsen", "MaxAfstandPerJaar", "PercentageNormbedrag",
                            "MeerkostenVoorClient", "MaxRijvaardigheidslessen", "Richtlijn", "RolstoelIndicatie"],
        ("V-16", "rolstoel", True, None, None, None, None, True,
         "rolstoel kan worden geïndiceerd; het (medisch) onderzoek bepaalt of en in welke vorm",
         "Dagelijks zittend verplaatsen noodzakelijk: rolstoel mogelijk (VV-50, VV-61)."),
        ("V-17", "rolstoel", False, None, None, None, None, True,
         "geen rolstoel: dagelijks zittend verplaatsen in en om de woning is niet noodzakelijk", "Niet noodzakelijk (VV-62)."),
        ("V-18", "rolstoel", None, None, None, None, None, True,
         "eerst (medisch) onderzoek of dagelijks zittend verplaatsen in en om de woning noodzakelijk is",
         "Nog niet onderzocht (VV-63)."),
        ("V-19", "scootmobiel", True, None, None, False, 3, False, None,
         "Zittend verplaatsen opgegeven bij een scootmobiel: doet niet ter zake (VV-60)."),
    ))


# ------------------------------------------------------------------ kampen/gebruikelijke-zorg (item 8, citations)
def kampen_gebruikelijke_zorg(wb):
    s9 = f"{K15}, §9"
    W.add_variable(wb, "NietGewend", "ja/nee", None, "false", None,
                   "De reden voor de hulpvraag is dat de cliënt of huisgenoot 'niet gewend is' om de taken te doen, ze niet "
                   "wil doen of de vaardigheid mist.")
    W.add_variable(wb, "KinderopvangDagenNodig", "getal", "[0..7]", "null", "dagen/week",
                   "Hoeveel dagen per week opvang van gezonde kinderen nodig is; leeg = niet van toepassing.")
    W.add_variable(wb, "VoorliggendeOpvangUitgeput", "ja/nee", None, "false", None,
                   "Voorliggende voorzieningen (kinderopvang, crèche) en mantelzorg zijn niet aanwezig, niet toepasbaar of uitgeput.")
    W.add_variable(wb, "AanleerIndicatie", "ja/nee", None, None, None,
                   "Ja als er geen aanspraak op overname is, maar wel een tijdelijke indicatie om de taken aan te leren "
                   "(via instructies, de taak wordt niet overgenomen).", output=True)
    W.add_variable(wb, "OpvangKinderen", "tekst", None, None, None, "Wat geldt voor de opvang van gezonde kinderen.", output=True)
    W.add_table(wb, "Niet gewend", "Niet gewend zijn of de vaardigheid missen", "U", ["NietGewend"], ["AanleerIndicatie"], [
        rule("GZ-80", "Redenen als 'niet gewend zijn om' of 'geen huishoudelijk werk willen en/of kunnen verrichten' leiden "
             "niet tot een aanspraak; wel kan een tijdelijke indicatie worden afgegeven om de taken aan te leren (via "
             "instructies, niet door overname). Hoe lang 'tijdelijk' is zegt de tekst niet.",
             f"{s9}, 'Niet gewend zijn of de vaardigheid missen'", F3, NietGewend="true", AanleerIndicatie="true"),
        rule("GZ-81", "Geen beroep op 'niet gewend zijn': geen aanleerindicatie op deze grond.",
             f"{s9}, 'Niet gewend zijn of de vaardigheid missen'", F3, NietGewend="false", AanleerIndicatie="false"),
    ])
    k = f"{s9}, 'Voorkomen van crisis en ontwrichting bij verzorging en opvang van gezonde kinderen'"
    W.add_table(wb, "Opvang gezonde kinderen", "Opvang van gezonde kinderen", "U",
                ["KinderopvangDagenNodig", "VoorliggendeOpvangUitgeput"], ["OpvangKinderen"], [
        rule("GZ-90", "Geen opvang van gezonde kinderen nodig: niet van toepassing.", k, F3, KinderopvangDagenNodig="null",
             OpvangKinderen="null"),
        rule("GZ-91", "Is opvang van gezonde kinderen nodig, dan hebben voorliggende voorzieningen en mantelzorg een "
             "verplichtend karakter; kinderopvang en crèche zijn gangbaar tot en met 5 dagen per week (5 inbegrepen).", k, F3,
             KinderopvangDagenNodig="[0..5]", VoorliggendeOpvangUitgeput="false",
             OpvangKinderen='"kinderopvang, crèche en mantelzorg zijn voorliggend (kinderopvang is gangbaar tot en met 5 dagen per week)"'),
        rule("GZ-92", "Meer dan 5 dagen per week: de tekst zegt alleen dat kinderopvang tot en met 5 dagen gangbaar is, niet "
             "wat voor de overige dagen geldt. De tabel leest: kinderopvang geldt voor 5 dagen als voorliggend, voor de "
             "overige dagen gaat mantelzorg voor (verplichtend karakter).", k, F3, KinderopvangDagenNodig="> 5",
             VoorliggendeOpvangUitgeput="false",
             OpvangKinderen='"kinderopvang is voorliggend voor 5 dagen per week; voor de overige dagen gaat mantelzorg voor"'),
        rule("GZ-93", "Zijn voorliggende voorzieningen niet aanwezig, niet toepasbaar of uitgeput, dan is inzet van hulp voor "
             "oppas en opvang van kinderen voor een korte periode mogelijk; te denken valt aan 3-6 maanden, zodat de "
             "ouder(s) een eigen oplossing kunnen vinden.", k, F3, KinderopvangDagenNodig=">= 0",
             VoorliggendeOpvangUitgeput="true",
             OpvangKinderen='"hulp voor oppas en opvang van kinderen voor een korte periode (te denken aan 3-6 maanden)"'),
    ])
    # citations (issue 16, 'Ambiguity and citations')
    t = "Toepasselijkheid"
    W.set_cells(wb, t, "GZ-02", Bron=f"{K15}, §9 Algemeen gebruikelijk protocol, 'Gebruikelijke zorg door (jonge) huisgenoten'; "
                f"{K15}, §2.3.6 Algemeen gebruikelijke voorzieningen (afwijken voor maatwerk)", Bronbestand=F3)
    t = "Bijdrage naar leeftijd"
    W.set_cells(wb, t, "GZ-15", Bron=f"{K15}, §9 Algemeen gebruikelijk protocol, 'Gebruikelijke zorg door (jonge) huisgenoten'",
                Bronbestand=F3)
    W.set_cells(wb, t, "GZ-10", Bron=(
        f"{K15}, §9, 'Uitzonderingen voor gebruikelijke zorg: Medisch geobjectiveerde aandoening'; {K15}, §9, "
        f"'Uitzonderingen bij bijzondere typen leefsituaties: Kamer huren bij cliënt'; {K15}, §9, 'Geclusterd wonen'; "
        f"{K15}, §9, 'Leef- en woongemeenschappen'"),
        Toelichting=W.get_cell(wb, t, "GZ-10", "Toelichting") + " Deze rij volgt uit GZ-01, GZ-03, GZ-04 en GZ-05 "
        "(beperking, kamerhuurder, geclusterd wonen, leef- en woongemeenschap); daarom worden alle vier de passages geciteerd.")
    t = "Afwezigheid door werk"
    W.set_cells(wb, t, "GZ-60", Bron=f"{K15}, §9, 'Fysieke afwezigheid in verband met werk'", Bronbestand=F3,
                Toelichting=W.get_cell(wb, t, "GZ-60", "Toelichting") + " (De Midden-Hollandse handleiding noemt lange of "
                "frequente afwezigheid bij zorg voor kinderen als mogelijke uitzondering, maar niet deze drie kenmerken; ze "
                "is daarom geen bron voor deze rij.)")
    for vid in W.example_ids(wb):
        W.set_example(wb, vid, AanleerIndicatie=False)
    base = dict(Bijdrage="volledig", ZwareTakenOvernemen=False, Richtlijn=True,
                OmvangHulp="gehele woning van de leefeenheid, rekening houdend met de gebruikelijke zorg van de huisgenoten",
                TijdelijkeOvername=False, SoepelerToepassen=False, AfwezigheidWerkTelt=False,
                ZorgplichtOuders="niet van toepassing: de huisgenoot is volwassen")
    O5 = "kinderopvang, crèche en mantelzorg zijn voorliggend (kinderopvang is gangbaar tot en met 5 dagen per week)"
    rows = [("V-26", dict(NietGewend=True, AanleerIndicatie=True), "Niet gewend: geen aanspraak, tijdelijke aanleerindicatie (GZ-80)."),
            ("V-27", dict(KinderopvangDagenNodig=5, OpvangKinderen=O5, AanleerIndicatie=False),
             "Grens: opvang 5 dagen per week: kinderopvang gangbaar (GZ-91)."),
            ("V-28", dict(KinderopvangDagenNodig=6, AanleerIndicatie=False,
                          OpvangKinderen="kinderopvang is voorliggend voor 5 dagen per week; voor de overige dagen gaat mantelzorg voor"),
             "Grens: 6 dagen per week (GZ-92)."),
            ("V-29", dict(KinderopvangDagenNodig=3, VoorliggendeOpvangUitgeput=True, AanleerIndicatie=False,
                          OpvangKinderen="hulp voor oppas en opvang van kinderen voor een korte periode (te denken aan 3-6 maanden)"),
             "Kinderopvang niet beschikbaar: kortdurend hulp voor oppas (GZ-93)."),
            ("V-30", dict(KinderopvangDagenNodig=0, OpvangKinderen=O5, AanleerIndicatie=False), "Ondergrens 0 dagen."),
            ("V-31", dict(VoorliggendeOpvangUitgeput=True, AanleerIndicatie=False),
             "Uitgeput opgegeven maar geen opvang nodig: niet van toepassing (GZ-90).")]
    W.add_examples(wb, [dict(Voorbeeld=v, LeeftijdHuisgenoot=40, **base, **extra, Omschrijving=d) for v, extra, d in rows])


# ------------------------------------------------------------------ kampen/huishoudelijke-hulp (citations)
def kampen_huishoudelijke_hulp(wb):
    t = "Wasverzorging toeslag"
    bad = (" De tekst noemt 30 minuten per grond, niet per kind; conservatieve lezing: één toeslag voor kinderen onder 16, "
           "ongeacht het aantal.")
    for rid in ("HH-42", "HH-43", "HH-44"):
        old = W.get_cell(wb, t, rid, "Toelichting")
        assert bad in old, rid
        W.set_cells(wb, t, rid, Toelichting=old.replace(bad, " De tekst noemt 30 minuten per week per grond."))


def mh_metadata_only(wb):
    W.set_metadata(wb, "Brondocument", MH_META)


EDITS = {"midden-holland/kortdurend-verblijf": mh_kortdurend_verblijf, "midden-holland/begeleiding": mh_begeleiding,
         "midden-holland/dagbesteding": mh_dagbesteding, "midden-holland/toegang": mh_toegang,
         "kampen/toegang": kampen_toegang, "kampen/woningaanpassing": kampen_woningaanpassing,
         "kampen/dagbesteding": kampen_dagbesteding, "kampen/vervoer": kampen_vervoer,
         "kampen/gebruikelijke-zorg": kampen_gebruikelijke_zorg, "kampen/huishoudelijke-hulp": kampen_huishoudelijke_hulp}

if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = ROOT / f"{name}.xlsx"
        wb = W.load(path)
        EDITS[name](wb)
        wb.save(path)
        print("edited", name)


TITLES = {  # titles that name what the rule set now covers (Metadata 'Titel'; not part of the contract)
    "kampen/toegang": "Toegang: voorliggende wet (Wlz, Jeugdwet, Zvw) voor Wmo-maatwerk",
    "kampen/vervoer": "Vervoersvoorzieningen: collectief vervoer, vervoerskostenvergoeding, scootmobiel, rolstoel",
    "kampen/woningaanpassing": "Woningaanpassing: verhuistoets, verhuiskosten, voorzienbaarheid, basisruimtes, offertes en gereedmelding",
    "midden-holland/begeleiding": "Begeleiding of gespecialiseerde begeleiding (Zelfredzaamheidsmatrix), omvang en verhuizing",
    "midden-holland/dagbesteding": "Omvang (gespecialiseerde) dagbesteding en vervoer; beschut werk (Participatiewet)",
    "midden-holland/kortdurend-verblijf": "Kortdurend verblijf (respijtzorg): indicatie, omvang en duur",
    "midden-holland/toegang": "Voorliggende wetten: Wmo, Wlz of Jeugdwet; signalen voor de Wlz",
}


def retitle(names):
    for name in names:
        path = ROOT / f"{name}.xlsx"
        wb = W.load(path)
        W.set_metadata(wb, "Titel", TITLES[name])
        if name == "midden-holland/begeleiding":   # the one MH rule set not edited above
            W.set_metadata(wb, "Brondocument", MH_META)
        wb.save(path)
