"""Size limits for rule models, checked before the expensive work (parsing every FEEL cell, the
pairwise overlap and gap analysis), so validation time stays bounded whatever is uploaded.

Two entry points, each returning findings (empty: within limits):

- ``check_dmn(content)``: on the DMN bytes, streamed before they are parsed into a tree: decisions,
  rules per table and in total, cells, and the depth of the XML; ``check_dmn_texts(root)`` then
  checks the length and bracket nesting of each expression before the reader parses them.
- ``check_model(model)``: on a model read from a workbook or DMN: rules per table and in total.

The numbers are far above any Wmo policy (tens of tables, hundreds of rules) and low enough that
validation finishes in seconds: the overlap analysis compares rules pairwise within a table.
"""
from __future__ import annotations

import io

from .findings import ERROR, Finding

MAX_DECISIONS = 2_000             # decisions and BKMs (a chain of 1,500 is a real model shape)
MAX_RULES_PER_TABLE = 1_000
MAX_RULES = 5_000
MAX_CELLS = 100_000                # input and output entries together
MAX_EXPRESSION_CHARS = 10_000      # one FEEL expression or unary test
MAX_EXPRESSION_NESTING = 50        # brackets ( [ { inside one expression
MAX_XML_DEPTH = 60
MAX_TEXT_CHARS = 1_000             # a free-text input (no list of allowed values): it goes into the decision log


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _nesting(text: str) -> int:
    depth = deepest = 0
    in_string = False
    for ch in text:
        if ch == '"':
            in_string = not in_string
        elif in_string:
            continue
        elif ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth = max(depth - 1, 0)
    return deepest


def _too_many(code: str, what: str, count: int, limit: int, where: str | None = None) -> Finding:
    return Finding(ERROR, code, f"Het model bevat meer dan {limit} {what} (gestopt met tellen bij {count}); "
                                "splits het model in kleinere regelsets.", where)


def check_dmn(content: bytes) -> list[Finding]:
    """Limits on DMN XML, streamed before the document is parsed into a tree: stops at the first excess,
    so a huge model costs only the bytes up to that point. Unparseable XML gives no finding here (the
    DMN reader reports it in its own words)."""
    from defusedxml.ElementTree import iterparse

    decisions = rules = cells = depth = table_rules = 0
    decision = None
    findings: list[Finding] = []
    try:
        for event, element in iterparse(io.BytesIO(content), events=("start", "end")):
            if event == "end":
                depth -= 1
                if _local(element.tag) in ("rule", "decision"):
                    element.clear()
                continue
            depth += 1
            if depth > MAX_XML_DEPTH:
                return [Finding(ERROR, "limit-depth", f"Het DMN-bestand is dieper genest dan {MAX_XML_DEPTH} "
                                                      "niveaus; dat is geen gewoon beslismodel.", decision)]
            tag = _local(element.tag)
            if tag == "decision":
                decisions += 1
                decision, table_rules = element.get("name") or element.get("id"), 0
                if decisions > MAX_DECISIONS:
                    return [_too_many("limit-decisions", "beslissingen", decisions, MAX_DECISIONS)]
            elif tag == "rule":
                rules += 1
                table_rules += 1
                if table_rules > MAX_RULES_PER_TABLE:
                    return [Finding(ERROR, "limit-table-rules",
                                    f"Beslistabel '{decision}' heeft meer dan {MAX_RULES_PER_TABLE} regels; splits "
                                    "de tabel.", decision)]
                if rules > MAX_RULES:
                    return [_too_many("limit-rules", "regels", rules, MAX_RULES)]
            elif tag in ("inputEntry", "outputEntry"):
                cells += 1
                if cells > MAX_CELLS:
                    return [_too_many("limit-cells", "cellen (invoer- en uitvoervelden)", cells, MAX_CELLS)]
    except Exception:  # noqa: BLE001 - not well-formed, DTD, entities: the reader reports it
        return findings
    return findings


def check_dmn_texts(root) -> list[Finding]:
    """Length and bracket nesting of every expression text in a parsed DMN tree."""
    findings = []
    for element in root.iter():
        if _local(element.tag) != "text" or not element.text:
            continue
        text = element.text
        if len(text) > MAX_EXPRESSION_CHARS:
            findings.append(Finding(ERROR, "limit-expression-length",
                                    f"Een expressie is {len(text)} tekens lang ('{text[:40]}...'); het maximum is "
                                    f"{MAX_EXPRESSION_CHARS}."))
        elif _nesting(text) > MAX_EXPRESSION_NESTING:
            findings.append(Finding(ERROR, "limit-expression-nesting",
                                    f"Een expressie heeft meer dan {MAX_EXPRESSION_NESTING} geneste haakjes "
                                    f"('{text[:40]}...')."))
        if len(findings) >= 10:
            break
    return findings


def check_model(model) -> list[Finding]:
    """Limits on a model read from a workbook or DMN (rules per table and in total)."""
    findings = []
    total = sum(len(t.rules) for t in model.tables)
    if total > MAX_RULES:
        findings.append(_too_many("limit-rules", "regels", total, MAX_RULES))
    for table in model.tables:
        if len(table.rules) > MAX_RULES_PER_TABLE:
            findings.append(Finding(ERROR, "limit-table-rules",
                                    f"Beslistabel '{table.name}' heeft {len(table.rules)} regels; het maximum is "
                                    f"{MAX_RULES_PER_TABLE}. Splits de tabel.", table.position.sheet, table.position.cell))
    return findings


_FORMULA_START = ("=", "+", "-", "@")


def _formula(value) -> bool:
    """A cell that Excel would treat as a formula: openpyxl gives formulas as text starting with '='
    (array formulas as objects); text starting with + - @ followed by a letter or '(' is one too."""
    if value is None:
        return False
    if not isinstance(value, str):
        return value.__class__.__name__ in ("ArrayFormula", "DataTableFormula")
    text = value.lstrip()
    if text.startswith("="):
        return len(text) > 1
    return len(text) > 1 and text[0] in "+-@" and (text[1].isalpha() or text[1] in "(@")


def formula_findings(model) -> list[Finding]:
    """Formulas in Toelichting, Bron and Metadata: shown to people and exported, so they must be plain text."""
    findings = []
    for table in model.tables:
        for rule in table.rules:
            for column, value in (("Toelichting", rule.annotation), ("Bron", rule.source)):
                if _formula(value):
                    findings.append(Finding(ERROR, "formula-in-text",
                                            f"De {column} van regel {rule.id} is een formule ('{str(value)[:60]}'). "
                                            f"Typ de {column} als gewone tekst: formules worden hier niet uitgerekend "
                                            "en kunnen bij het openen van een export worden uitgevoerd.",
                                            rule.position.sheet, rule.position.cell, rule.id))
    for key, value in model.metadata.as_dict().items():
        if _formula(value):
            findings.append(Finding(ERROR, "formula-in-text",
                                    f"Metadata '{key}' is een formule ('{str(value)[:60]}'). Typ de waarde als gewone "
                                    "tekst.", "Metadata"))
    return findings
