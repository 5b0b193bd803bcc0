"""Issue 15 in a real Chromium at 1366x900 and 390x844: every flow, with screenshots in docs/screenshots/.

At both sizes: no sideways scrolling of the page itself (a wide decision table scrolls inside its own
region); the result of a submitted form is scrolled into view.
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from .conftest import ADMIN, SIZES, console, login, screenshot
from .workbooks import AUTO, broken_autoaanpassing

NEXT_YEAR = f"{_dt.date.today().year + 1}-01-01"   # always in the future: no retroactive confirmation

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
FILE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
both = pytest.mark.parametrize("size", list(SIZES))


def open_as(new_page, user, size):
    return new_page(user, viewport=SIZES[size])


def no_sideways_scroll(page):
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll} px wide on a {width} px screen"


def in_view(page, selector):
    box = page.locator(selector).bounding_box()
    assert box is not None and -5 <= box["y"] < page.viewport_size["height"] - 40, box


def workbook_for(gemeente: str, naam: str, title: str, percentage_year4: int = 80) -> bytes:
    wb = openpyxl.load_workbook(AUTO)
    meta = wb["Metadata"]
    for row in meta.iter_rows(min_row=3):
        if row[0].value == "Gemeente":
            row[1].value = gemeente
        elif row[0].value == "Regelset":
            row[1].value = naam
        elif row[0].value == "Titel":
            row[1].value = title
    if percentage_year4 != 80:
        wb["Afschrijving naar autojaar"]["C4"] = str(percentage_year4)
        wb["Besluit autoaanpassing"]["B7"] = str(percentage_year4)
        examples = wb["Voorbeelden"]
        examples["G5"], examples["H5"] = percentage_year4, 4000 * percentage_year4 // 100 + 200
        examples["G12"], examples["H12"] = percentage_year4, 2500 * percentage_year4 // 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ 1. first run (done by the `accounts` fixture)

def test_first_run_once_and_serve_banner(accounts, server_env, new_page):
    assert f"Welkom, {ADMIN}" in accounts["welcome"]
    assert accounts["welkom_after"] == 404
    log = (Path(server_env["REGELBANK_INSTANCE_PATH"]) / "server.log").read_text()
    assert "Regelbank: http://127.0.0.1:" in log and re.search(r"\b\d\d regelset\(s\) beschikbaar", log)
    assert "maak de eerste beheerder aan" in log and ".venv/bin/regelbank" in log
    page = new_page(viewport=SIZES["telefoon"])
    response = page.goto("/bestaat-niet")
    assert response.status == 404 and page.get_by_role("heading", name=re.compile("Pagina niet gevonden")).is_visible()
    screenshot(page, "niet-gevonden-telefoon")
    assert page.request.get("/api/v1/bestaat-niet").json()["error"]["code"] == "not-found"


# ------------------------------------------------------------------ 8. overview on a phone, borders on a desktop

@both
def test_overview(new_page, size):
    page = open_as(new_page, "consulent", size)
    page.goto("/")
    assert page.get_by_role("heading", name="Midden-Holland").is_visible()
    no_sideways_scroll(page)
    button = page.get_by_role("link", name=re.compile("^Beoordelen")).first
    box = button.bounding_box()
    assert box["x"] + box["width"] <= page.viewport_size["width"]
    if size == "desktop":  # the actions cell is a table cell: the row's borders line up
        assert page.locator("td.acties-cel").first.evaluate("e => getComputedStyle(e).display") == "table-cell"
    screenshot(page, f"overzicht-{size}", full_page=False)


# ------------------------------------------------------------------ 6. evaluate: motivering, result in view

@both
def test_evaluate_motivering_in_view(new_page, size):
    page = open_as(new_page, "consulent", size)
    page.goto("/regelsets/kampen/autoaanpassing/evalueren")
    assert "getal van 1 of meer" in page.locator("#hulp-AutoJaar").inner_text()
    page.locator("#veld-AutoJaar").fill("5")
    page.locator("#veld-Aanpassingskosten").fill("5000")
    page.locator("#veld-KeuringskostenRDW").fill("150")
    page.get_by_role("button", name="Beoordelen").click()
    page.wait_for_selector("#uitkomst")
    page.wait_for_function("() => window.scrollY > 0 || document.getElementById('uitkomst').getBoundingClientRect().top < 200")
    in_view(page, "#uitkomst")
    screenshot(page, f"beoordelen-motivering-{size}", full_page=False)
    result = page.locator("#uitkomst")
    assert result.get_by_role("rowheader", name="Vergoeding").is_visible()
    motivering = page.locator("#motivering").inner_text()
    assert "€ 3.150,00" in motivering and "Beleidsregels Wmo Kampen 2015, §3.2.12 i.4" in motivering
    assert not FILE_NAME.search(page.locator("body").inner_text())
    page.get_by_role("button", name="Motivering kopiëren").click()
    page.wait_for_function("() => document.querySelector('.kopieer-status').textContent !== ''")
    assert page.locator(".kopieer-status").inner_text() in ("Gekopieerd.", "Geselecteerd: kopieer met Ctrl+C.")
    assert "€ 3.150,00" in page.evaluate("() => String(window.getSelection())") or \
        page.locator(".kopieer-status").inner_text() == "Gekopieerd."
    no_sideways_scroll(page)


# ------------------------------------------------------------------ 2. public catalogue and proefberekening

@both
def test_public_catalogue_and_proefberekening(new_page, size):
    page = new_page(viewport=SIZES[size])       # not logged in
    page.goto("/openbaar")
    no_sideways_scroll(page)
    screenshot(page, f"catalogus-{size}", full_page=False)
    page.get_by_role("link", name="Aanpassing van de eigen auto").click()
    assert page.get_by_role("heading", name="Aanpassing van de eigen auto").is_visible()
    assert page.locator("tr[data-rule='AA-25'] td.bron").inner_text().startswith("Beleidsregels Wmo Kampen 2015")
    with page.expect_download() as download:
        page.get_by_role("link", name="DMN (XML)").click()
    assert download.value.suggested_filename.endswith(".dmn")
    no_sideways_scroll(page)
    page.get_by_role("link", name="Proefberekening maken").click()
    page.locator("#veld-AutoJaar").fill("5")
    page.locator("#veld-Aanpassingskosten").fill("5000")
    page.get_by_role("button", name="Proefberekening maken").click()
    page.wait_for_selector("#uitkomst")
    assert "Proefberekening, geen besluit" in page.locator("#uitkomst").inner_text()
    assert page.locator("#beslissing-id").count() == 0
    no_sideways_scroll(page)
    screenshot(page, f"proefberekening-{size}", full_page=False)


# ------------------------------------------------------------------ 3. lifecycle: new rule set, four-eyes, te beoordelen

@both
def test_lifecycle_new_rule_set_four_eyes_and_review(new_page, size):
    gemeente, naam = f"proefdorp-{size}", "autoaanpassing"
    editor = open_as(new_page, "redacteur", size)
    editor.goto("/")
    editor.get_by_role("link", name="Nieuwe regelset").click()
    editor.get_by_label("Gemeente").fill(gemeente)
    editor.get_by_label("Naam").fill(naam)
    editor.get_by_label("Titel").fill("Autoaanpassing Proefdorp")
    editor.get_by_label("Werkmap (.xlsx)").set_input_files(
        {"name": "auto.xlsx", "mimeType": FILE_TYPE, "buffer": workbook_for(gemeente, naam, "Autoaanpassing Proefdorp")})
    screenshot(editor, f"nieuwe-regelset-{size}", full_page=False)
    editor.get_by_role("button", name="Uploaden en valideren").click()
    editor.wait_for_url(re.compile(r"/concepten/[0-9a-f]{64}$"))
    assert "Geen fouten" in editor.locator("#status-rapport").inner_text()
    no_sideways_scroll(editor)
    editor.get_by_label("Geldig vanaf").fill("2015-05-12")   # a past date is not prefilled (main: retroaction)
    editor.get_by_label("Toelichting bij deze versie").fill("Eerste versie.")
    editor.get_by_role("button", name="Publiceren").click()
    editor.wait_for_url(re.compile(r"/versies$"))
    assert "is gepubliceerd en geldt vanaf 12-05-2015" in editor.locator(".melding-ok").inner_text()

    editor.goto("/gemeenten")
    card = editor.locator("li.kaart", has=editor.get_by_role("heading", name=re.compile("^Proefdorp")))
    card.get_by_role("button", name=re.compile("^Aanzetten")).click()
    assert "staat nu aan" in editor.locator(".melding-ok").inner_text()

    editor.goto(f"/regelsets/{gemeente}/{naam}/uploaden")
    editor.get_by_label("Werkmap (.xlsx)").set_input_files(
        {"name": "auto-2.xlsx", "mimeType": FILE_TYPE,
         "buffer": workbook_for(gemeente, naam, "Autoaanpassing Proefdorp", percentage_year4=90)})
    editor.get_by_role("button", name="Uploaden en valideren").click()
    editor.wait_for_url(re.compile(r"/concepten/"))
    assert editor.locator("#vier-ogen-melding").is_visible()
    editor.get_by_label("Geldig vanaf").fill(NEXT_YEAR)
    editor.get_by_label("Toelichting bij deze versie").fill("Jaar 4: 90%.")
    editor.get_by_label(re.compile("^Raads- of collegebesluit")).fill("Collegebesluit 1 december 2026")
    editor.get_by_role("button", name="Ter goedkeuring aanbieden").click()
    editor.wait_for_url(re.compile(r"/versies$"))
    message = editor.locator(".melding-ok").inner_text()
    assert "wacht op goedkeuring door een andere redacteur" in message and "is wacht" not in message
    editor.goto("/te-beoordelen")
    mine = editor.locator("li.kaart", has_text="Autoaanpassing Proefdorp")
    assert mine.get_by_role("button", name=re.compile("Goedkeuren")).count() == 0
    assert "zelf ingediend" in mine.inner_text()

    other = open_as(new_page, "redacteur2", size)
    other.goto("/te-beoordelen")
    theirs = other.locator("li.kaart", has_text="Autoaanpassing Proefdorp")
    assert "Collegebesluit 1 december 2026" in theirs.inner_text()
    no_sideways_scroll(other)
    screenshot(other, f"te-beoordelen-{size}", full_page=False)
    theirs.get_by_role("button", name=re.compile("Goedkeuren")).click()
    assert "is goedgekeurd en gepubliceerd" in other.locator(".melding-ok").inner_text()
    other.goto(f"/regelsets/{gemeente}/{naam}/versies")
    assert "goedgekeurd door redacteur2" in other.locator("table.versies").inner_text()
    no_sideways_scroll(other)


# ------------------------------------------------------------------ 4. impact with a caseload, batch, compare

@both
def test_impact_chart_with_totals_and_result_file(new_page, server_env, size):
    gemeente = f"impactdorp-{size}"
    folder = Path(server_env["REGELBANK_INSTANCE_PATH"])
    for n, pct in ((1, 80), (2, 90)):
        path = folder / f"{gemeente}-{n}.xlsx"
        path.write_bytes(workbook_for(gemeente, "auto", "Auto Impactdorp", percentage_year4=pct))
        console(server_env, "publish", str(path), "--ruleset", f"{gemeente}/auto", "--valid-from",
                "2015-05-12" if n == 1 else NEXT_YEAR, "--comment", f"versie {n}", "--author", "redacteur")
    page = open_as(new_page, "redacteur", size)
    page.goto(f"/regelsets/{gemeente}/auto/impact")
    caseload = "AutoJaar;Aanpassingskosten;KeuringskostenRDW\n4;5000;150\n4;1000;0\n2;1000;0\n6;2000;0\n"
    page.get_by_label(re.compile("^Gevallen")).set_input_files({"name": "clienten.csv", "mimeType": "text/csv",
                                                               "buffer": caseload.encode()})
    page.get_by_role("button", name="Doorrekenen").click()
    page.wait_for_selector("#impact-samenvatting")
    assert "2 van de 4 gevallen" in page.locator("#impact-samenvatting").inner_text()
    figure = page.locator("figure.grafiekblok", has_text="Vergoeding")
    assert "€ 6.750,00" in figure.inner_text() and "€ 7.350,00" in figure.inner_text()
    labels = figure.locator("svg text.categorie").all_text_contents()
    assert len(labels) == len(set(labels)) and "€ 4.150,00" in labels and "€ 4.650,00" in labels
    in_view(page, "#uitkomst")
    no_sideways_scroll(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Uitkomsten per geval (Excel)").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.max_row == 5 and "Vergoeding (na)" in [c.value for c in sheet[1]]
    figure.scroll_into_view_if_needed()
    screenshot(page, f"impact-{size}", full_page=False)


@both
def test_batch_shows_progress_and_compare_side_by_side(new_page, size):
    page = open_as(new_page, "consulent", size)
    page.goto("/regelsets/kampen/dagbesteding/batch")
    rows = "\n".join(f"{d};{g};nee" for d in ("VG", "LG", "NAH") for g in range(1, 12))
    page.get_by_label(re.compile("^Gevallen")).set_input_files(
        {"name": "dagbesteding.csv", "mimeType": "text/csv", "buffer": ("Doelgroep;Groepsgrootte;Rolstoel\n" + rows).encode()})
    page.evaluate("""() => document.addEventListener('submit', () => setTimeout(() => {
        const s = document.querySelector('.bezig'); sessionStorage.setItem('bezig', s && !s.hidden ? s.textContent : '');
    }, 0))""")
    page.get_by_role("button", name="Doorrekenen").click()
    page.wait_for_selector("#batch-kop")
    shown = page.evaluate("() => sessionStorage.getItem('bezig')")
    assert shown and ("Versturen" in shown or "Bezig" in shown), shown   # the long action shows progress
    assert "33 gevallen doorgerekend" in page.locator("#batch-kop").inner_text()
    assert page.locator("figure.grafiekblok svg").count() >= 2
    no_sideways_scroll(page)
    screenshot(page, f"batch-{size}", full_page=False)

    page.goto("/vergelijken?a=kampen/dagbesteding&b=midden-holland/dagbesteding")
    page.locator("#veld-Doelgroep").select_option("VG")
    page.locator("#veld-Groepsgrootte").fill("5")
    page.get_by_role("button", name="Vergelijken").click()
    page.wait_for_selector(".naast-elkaar")
    assert page.locator(".naast-elkaar .kant").count() == 2
    in_view(page, "#uitkomst")
    no_sideways_scroll(page)
    screenshot(page, f"vergelijken-{size}", full_page=False)


# ------------------------------------------------------------------ 5/7. reports, export, tamper warning, verify

@both
def test_reports_export_and_tampered_record(new_page, server_env, size):
    consulent = open_as(new_page, "consulent", size)
    consulent.goto("/regelsets/kampen/autoaanpassing/evalueren")
    consulent.locator("#veld-AutoJaar").fill("3")
    consulent.locator("#veld-Aanpassingskosten").fill("1234")
    consulent.get_by_role("button", name="Beoordelen").click()
    decision_id = consulent.locator("#beslissing-id").inner_text().strip()

    auditor = open_as(new_page, "auditor", size)
    auditor.goto("/rapportages")
    assert auditor.locator("figure.grafiekblok svg").count() == 4
    no_sideways_scroll(auditor)
    screenshot(auditor, f"rapportages-{size}", full_page=False)
    with auditor.expect_download() as download:
        auditor.get_by_role("link", name="Indicatoren als Excel").click()
    assert openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active["A1"].value == "Indicator"

    auditor.goto("/beslissingen?regelset=kampen/autoaanpassing")
    no_sideways_scroll(auditor)
    screenshot(auditor, f"beslissingenlog-{size}", full_page=False)
    with auditor.expect_download() as download:
        auditor.get_by_role("link", name="CSV").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert decision_id in exported and "consulent (consulent)" in exported

    auditor.goto(f"/beslissingen/{decision_id}")
    assert "consulent (consulent)" in auditor.locator("dl.gegevens").inner_text()
    assert auditor.locator("#gewijzigd").count() == 0
    database = Path(server_env["REGELBANK_INSTANCE_PATH"]) / "regelbank.sqlite"
    with sqlite3.connect(database) as db:
        (text,), = db.execute("SELECT record_json FROM decisions WHERE decision_id = ?", (decision_id,))
        db.execute("UPDATE decisions SET record_json = ? WHERE decision_id = ?",
                   (text.replace('"Vergoeding":1234', '"Vergoeding":9999'), decision_id))
    try:
        auditor.goto(f"/beslissingen/{decision_id}")
        assert "dit record is gewijzigd" in auditor.locator("#gewijzigd").inner_text()
        no_sideways_scroll(auditor)
        screenshot(auditor, f"beslissing-gewijzigd-{size}", full_page=False)
        auditor.goto("/controle")
        auditor.get_by_role("button", name="Log controleren").click()
        verdict = auditor.locator("#controle-uitkomst").inner_text()
        assert "Niet in orde." in verdict and "is gewijzigd" in verdict
    finally:  # the other tests verify the log: put the record back
        with sqlite3.connect(database) as db:
            db.execute("UPDATE decisions SET record_json = ? WHERE decision_id = ?", (text, decision_id))


# ------------------------------------------------------------------ 8. validation report on a phone, help page

@both
def test_validation_report_and_help_page(new_page, size):
    page = open_as(new_page, "redacteur", size)
    page.goto("/regelsets/kampen/autoaanpassing/uploaden")
    page.get_by_role("link", name="uitleg over het werkmapformaat").click()
    assert page.get_by_role("heading", name=re.compile("werkmap eruit")).is_visible()
    no_sideways_scroll(page)
    screenshot(page, f"uitleg-werkmap-{size}", full_page=False)
    page.go_back()
    page.get_by_label("Werkmap (.xlsx)").set_input_files({"name": "kapot.xlsx", "mimeType": FILE_TYPE,
                                                         "buffer": broken_autoaanpassing()})
    page.get_by_role("button", name="Uploaden en valideren").click()
    page.wait_for_url(re.compile(r"/concepten/"))
    assert "kan niet worden gepubliceerd" in page.locator("#status-rapport").inner_text()
    no_sideways_scroll(page)
    screenshot(page, f"validatierapport-{size}", full_page=False)
