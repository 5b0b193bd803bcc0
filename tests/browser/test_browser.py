"""The web pages in a real Chromium against a real `regelbank serve` (gunicorn), CSRF on.

The tests save screenshots of the main pages to docs/screenshots/ so the README stays current.
"""
from __future__ import annotations

import datetime as _dt
import re

import pytest

from .conftest import screenshot
from .workbooks import NEW_VALID_FROM, broken_autoaanpassing, changed_autoaanpassing

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

FILE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fired_row(page, table: str):
    """The highlighted (fired) rows of one decision table on the page."""
    return page.locator("section.tabel", has=page.get_by_role("heading", name=re.compile("^" + re.escape(table)))) \
        .locator("tr.fired")


def evaluate(page, ruleset: str, fill: dict, peildatum: str | None = None) -> None:
    page.goto(f"/regelsets/{ruleset}/evalueren")
    if peildatum:
        page.locator("#veld-peildatum").fill(peildatum)
    for name, value in fill.items():
        field = page.locator(f"[name='{name}']").first
        kind = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind.startswith("select"):
            field.select_option(value)
        elif kind == "input:radio":
            page.locator(f"input[name='{name}'][value='{value}']").check()
        else:
            field.fill(value)
    page.get_by_role("button", name="Beoordelen").click()
    page.wait_for_load_state("domcontentloaded")


def test_overview(new_page):
    page = new_page("consulent")
    page.goto("/")
    expect_title = page.get_by_role("heading", name="Regelsets per gemeente")
    assert expect_title.is_visible()
    for title in ("Gebruikelijke zorg door huisgenoten", "Toewijzing dagbesteding", "Aanpassing van de eigen auto"):
        assert page.get_by_role("link", name=title, exact=True).is_visible()
    assert page.locator("td.datum", has_text="12-05-2015").count() >= 3
    screenshot(page, "overzicht")


@pytest.mark.parametrize("ruleset, fill, table, rule, expected", [
    # AutoJaar 5: 60% of 5000 + 150 RDW = 3150 (Beleidsregels Kampen 2015 §3.2.12 i.4)
    ("kampen/autoaanpassing", {"AutoJaar": "5", "Aanpassingskosten": "5000", "KeuringskostenRDW": "150"},
     "Besluit autoaanpassing", "AA-25", "€ 3.150,00"),
    # VG in a group of 5: 'midden'; wheelchair transport (§10, §11)
    ("kampen/dagbesteding", {"Doelgroep": "VG", "Groepsgrootte": "5", "Rolstoel": "ja"},
     "Soort dagbesteding", "DB-02", "Dagactiviteit VG midden"),
    # a 15-year-old housemate in the same household: light household tasks and own room (§9)
    ("kampen/gebruikelijke-zorg", {"LeeftijdHuisgenoot": "15", "Woonvorm": "leefeenheid"},
     "Bijdrage naar leeftijd", "GZ-13", "licht huishoudelijk en eigen kamer"),
])
def test_evaluate_headline_rule_sets(new_page, ruleset, fill, table, rule, expected):
    page = new_page("consulent")
    evaluate(page, ruleset, fill)
    result = page.locator("#uitkomst")
    assert result.get_by_text(expected, exact=False).first.is_visible()
    fired = fired_row(page, table)
    assert fired.count() == 1
    assert fired.get_attribute("data-rule") == rule
    assert "Beleidsregels" in fired.locator("td.bron").inner_text()  # the row's Bron is shown
    # the highlight is visible: a different background than an ordinary row
    other = page.locator("section.tabel tr:not(.fired)").nth(1)
    assert fired.evaluate("e => getComputedStyle(e).backgroundColor") != \
        other.evaluate("e => getComputedStyle(e).backgroundColor")
    if ruleset == "kampen/autoaanpassing":
        fired.scroll_into_view_if_needed()
        screenshot(page, "beoordelen-gemarkeerde-regel")


def test_bad_input_error_next_to_field(new_page):
    page = new_page("consulent")
    evaluate(page, "kampen/gebruikelijke-zorg", {"LeeftijdHuisgenoot": "200", "Woonvorm": "kamerhuurder"})
    error = page.locator("#fout-LeeftijdHuisgenoot")
    assert error.is_visible() and "niet toegestaan" in error.inner_text()
    field = page.get_by_label(re.compile("^Leeftijd huisgenoot"))
    assert field.input_value() == "200"                                   # what was typed is kept
    assert field.get_attribute("aria-invalid") == "true"
    assert page.locator("#veld-Woonvorm").input_value() == "kamerhuurder"
    assert page.locator("#uitkomst").count() == 0
    screenshot(page, "beoordelen-foute-invoer", full_page=False)


def upload(page, content: bytes, name: str = "autoaanpassing.xlsx") -> None:
    page.goto("/regelsets/kampen/autoaanpassing/uploaden")
    page.get_by_label("Werkmap (.xlsx)").set_input_files({"name": name, "mimeType": FILE_TYPE, "buffer": content})
    page.get_by_role("button", name="Uploaden en valideren").click()
    page.wait_for_url(re.compile(r"/concepten/[0-9a-f]{64}$"))


def versions_count(page) -> int:
    return len(page.request.get("/regelsets/kampen/autoaanpassing/versies.json").json()["versions"])


def test_broken_workbook_shows_findings_and_publishes_nothing(new_page):
    page = new_page("redacteur")
    before = versions_count(page)
    upload(page, broken_autoaanpassing())
    assert "kan niet worden gepubliceerd" in page.locator("#status-rapport").inner_text()
    finding = page.locator("table.bevindingen tbody tr").first
    cells = [c.strip() for c in finding.locator("td").all_inner_texts()]
    assert cells[0] == "fout" and cells[1] == "Afschrijving naar autojaar" and cells[2] == "B4" and cells[3] == "AA-02"
    assert "[4.." in cells[4]
    assert page.get_by_role("button", name="Publiceren").count() == 0
    assert versions_count(page) == before
    screenshot(page, "validatierapport")


def test_changed_workbook_diff_publish_evaluate_and_audit(new_page):
    editor = new_page("redacteur")
    upload(editor, changed_autoaanpassing())
    assert "Geen fouten" in editor.locator("#status-rapport").inner_text()
    diff = editor.locator("section.verschilblok")
    assert diff.locator("del", has_text="80").count() >= 1 and diff.locator("ins", has_text="90").count() >= 1
    assert diff.get_by_role("rowheader", name="AA-02").count() == 1
    diff.scroll_into_view_if_needed()
    screenshot(editor, "verschil")
    editor.get_by_label("Geldig vanaf").fill(NEW_VALID_FROM.isoformat())
    editor.get_by_label("Toelichting bij deze versie").fill("Raadsbesluit: in het vierde jaar 90% vergoeding.")
    editor.get_by_role("button", name="Publiceren").click()
    editor.wait_for_url(re.compile(r"/versies$"))
    assert "geldt vanaf 01-01-2030" in editor.locator(".melding-ok").inner_text()
    new_hash = editor.request.get("/regelsets/kampen/autoaanpassing/versies.json").json()["versions"][0]["hash"]
    assert editor.request.get("/regelsets/kampen/autoaanpassing/versies.json").json()["versions"][0]["valid_from"] \
        == NEW_VALID_FROM.isoformat()

    # a later peildatum uses the new version, an earlier one the old
    consulent = new_page("consulent")
    case = {"AutoJaar": "4", "Aanpassingskosten": "1000"}
    evaluate(consulent, "kampen/autoaanpassing", case, peildatum=(NEW_VALID_FROM + _dt.timedelta(days=31)).isoformat())
    assert consulent.locator("#gebruikte-versie").get_attribute("title") == new_hash
    assert fired_row(consulent, "Afschrijving naar autojaar").locator("td.uitvoer").inner_text().strip() == "90"
    assert consulent.locator("#uitkomst td.waarde", has_text="€ 900,00").is_visible()
    decision_id = consulent.locator("#beslissing-id").inner_text().strip()
    evaluate(consulent, "kampen/autoaanpassing", case, peildatum=(NEW_VALID_FROM - _dt.timedelta(days=1)).isoformat())
    assert consulent.locator("#gebruikte-versie").get_attribute("title") != new_hash
    assert fired_row(consulent, "Afschrijving naar autojaar").locator("td.uitvoer").inner_text().strip() == "80"
    assert consulent.locator("#uitkomst td.waarde", has_text="€ 800,00").is_visible()

    # the auditor finds that decision in the log, opens it, replays it and verifies the log
    auditor = new_page("auditor")
    auditor.goto("/beslissingen")
    auditor.get_by_label("Regelset").select_option("kampen/autoaanpassing")
    auditor.get_by_label("Toegepaste regel").fill("AA-24")
    auditor.get_by_role("button", name="Zoeken").click()
    auditor.wait_for_url(re.compile(r"regel=AA-24"))
    link = auditor.get_by_role("link", name=re.compile("^" + decision_id[:12]))
    assert link.count() == 1
    screenshot(auditor, "beslissingenlog")
    link.click()
    assert auditor.locator("#versie-hash").inner_text().strip() == new_hash
    assert fired_row(auditor, "Besluit autoaanpassing").get_attribute("data-rule") == "AA-24"
    auditor.get_by_role("button", name="Opnieuw uitrekenen").click()
    assert "identiek" in auditor.locator("#herhaling").inner_text()
    screenshot(auditor, "beslissing-herhaald")
    auditor.get_by_role("button", name="Log controleren").click()
    assert "In orde:" in auditor.locator("#controle-uitkomst").inner_text()


def test_a_role_that_may_not_publish_is_refused(new_page, server):
    page = new_page("consulent")
    assert page.get_by_role("link", name="Nieuwe versie uploaden").count() == 0
    response = page.goto("/regelsets/kampen/autoaanpassing/uploaden")
    assert response.status == 403
    assert page.get_by_role("heading", name=re.compile("Geen toegang")).is_visible()
    # a forged publish POST (no valid CSRF token, wrong role) stores nothing
    before = versions_count(page)
    forged = page.request.post("/regelsets/kampen/autoaanpassing/concepten/" + "0" * 64 + "/publiceren",
                               form={"geldig_vanaf": "2031-01-01", "toelichting": "x"})
    assert forged.status in (400, 403)
    assert versions_count(page) == before
    auditor = new_page("auditor")
    assert auditor.goto("/regelsets/kampen/autoaanpassing/evalueren").status == 403


def test_upload_shows_busy_state_and_keyboard_works(new_page):
    page = new_page("redacteur", viewport=(820, 1180))  # tablet
    page.goto("/regelsets/kampen/autoaanpassing/uploaden")
    page.get_by_label("Werkmap (.xlsx)").set_input_files({"name": "autoaanpassing.xlsx", "mimeType": FILE_TYPE,
                                                         "buffer": changed_autoaanpassing()})
    # record, at the moment of submitting, what the page shows (a window listener runs after the page's own)
    page.evaluate("""() => window.addEventListener('submit', () => {
        const s = document.querySelector('.bezig');
        const b = document.querySelector('form[data-bezig] button[type=submit]');
        sessionStorage.setItem('bezig', JSON.stringify([s.hidden, s.textContent, b.disabled]));
    })""")
    page.get_by_role("button", name="Uploaden en valideren").click()
    page.wait_for_url(re.compile(r"/concepten/"))
    hidden, text, disabled = page.evaluate("() => JSON.parse(sessionStorage.getItem('bezig'))")
    assert not hidden and "Bezig met valideren" in text and disabled
    screenshot(page, "tablet-validatierapport", full_page=False)
    # keyboard: the skip link is the first stop and leads to the content
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
