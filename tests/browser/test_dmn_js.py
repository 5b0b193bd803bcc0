"""An export opens in dmn-js (the viewer inside Camunda Modeler): the DRD shows every decision and input,
and a decision table shows each rule's Toelichting and Bron (the rule description).

dmn-js comes from npm (tests/js, no CDN); the page and the files are served to Chromium by Playwright's
request routing, so no web server is needed.
"""
from __future__ import annotations

import mimetypes

import pytest

import engine
from engine.dmn_export import export_dmn
from tests import independent

from .conftest import SCREENSHOTS, screenshot

pytestmark = pytest.mark.browser

ORIGIN = "http://dmn-js.test"
DIST = independent.JS / "node_modules" / "dmn-js" / "dist"
WORKBOOK = independent.ROOT / "spreadsheets" / "kampen" / "autoaanpassing.xlsx"
PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>dmn-js</title>
<link rel="stylesheet" href="/dist/assets/diagram-js.css"><link rel="stylesheet" href="/dist/assets/dmn-js-shared.css">
<link rel="stylesheet" href="/dist/assets/dmn-js-drd.css"><link rel="stylesheet" href="/dist/assets/dmn-js-decision-table.css">
<link rel="stylesheet" href="/dist/assets/dmn-js-literal-expression.css">
<link rel="stylesheet" href="/dist/assets/dmn-font/css/dmn.css">
<style>html, body, #canvas { margin: 0; width: 100%; height: 100%; font-family: sans-serif; }</style>
<script src="/dist/dmn-viewer.production.min.js"></script></head>
<body><div id="canvas"></div><script>
window.viewer = new DmnJS({ container: '#canvas' });
fetch('/model.dmn').then((r) => r.text()).then((xml) => window.viewer.importXML(xml))
  .then((result) => { window.importWarnings = result.warnings.map(String); window.ready = true; })
  .catch((error) => { window.importError = String(error); window.ready = true; });
</script></body></html>"""


@pytest.fixture
def dmn_js_page(browser):
    independent.ensure_node_modules()
    rules = engine.load(WORKBOOK)
    model = export_dmn(rules.model)
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nl-NL")

    def serve(route):
        path = route.request.url[len(ORIGIN):].split("?")[0]
        if path in ("/", "/index.html"):
            return route.fulfill(body=PAGE, content_type="text/html; charset=utf-8")
        if path == "/model.dmn":
            return route.fulfill(body=model, content_type="application/xml")
        if path.startswith("/dist/"):
            file = (DIST / path[len("/dist/"):]).resolve()
            if file.is_relative_to(DIST.resolve()) and file.is_file():
                return route.fulfill(path=str(file), content_type=mimetypes.guess_type(file.name)[0] or
                                     "application/octet-stream")
        return route.fulfill(status=404, body="niet gevonden")

    context.route(f"{ORIGIN}/**", serve)
    context.route(lambda url: not url.startswith(ORIGIN), lambda route: route.abort())   # nothing from a CDN
    page = context.new_page()
    page.goto(ORIGIN + "/")
    page.wait_for_function("window.ready === true", timeout=30_000)
    yield page, rules
    context.close()


def test_dmn_js_shows_the_diagram_and_the_rule_descriptions(dmn_js_page):
    page, rules = dmn_js_page
    assert page.evaluate("window.importError || null") is None
    assert page.evaluate("window.importWarnings") == []
    # the DRD: one shape per decision and per input data, with its name
    assert page.evaluate("window.viewer.getActiveView().type") == "drd"
    for table in rules.tables:
        shape = page.locator(".djs-shape", has_text=table.name)
        assert shape.count() == 1, table.name
        assert shape.first.is_visible()
    for name in rules.model.input_names:
        assert page.locator(".djs-shape", has_text=name).count() >= 1, name
    assert page.locator(".djs-connection").count() >= len(rules.tables)
    screenshot(page, "dmn-js-diagram", full_page=False)

    # a decision table: the rules with their description (Toelichting and Bron) in the Annotaties column
    table = rules.tables[-1]
    page.evaluate("""(name) => {
        const view = window.viewer.getViews().find((v) => v.type === 'decisionTable' && v.element.name === name);
        return window.viewer.open(view);
    }""", table.name)
    page.wait_for_selector(".tjs-table")
    assert page.evaluate("window.viewer.getActiveView().type") == "decisionTable"
    for rule in table.rules:
        cell = page.locator("td.annotation", has_text=rule.annotation[:40])
        assert cell.count() == 1, rule.id
        text = " ".join(cell.first.inner_text().split())
        assert f"Bron: {rule.source}" in text, rule.id
    page.set_viewport_size({"width": 2000, "height": 1000})
    screenshot(page, "dmn-js-beslistabel", full_page=False)
    assert (SCREENSHOTS / "dmn-js-diagram.png").exists()
