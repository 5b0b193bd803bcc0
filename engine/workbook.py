"""Read a pyDMNrules-format workbook into a RuleSetModel, with a finding for every problem.

We read the workbook with openpyxl ourselves (rather than through pyDMNrules) because policy
staff need findings that name sheet and cell, and because every cell must be checked at load,
not when a case first reaches it. The layout rules are pyDMNrules' own (Glossary, Decision with
"Execute Decision Tables", tables with double borders between inputs, outputs and annotations),
so a workbook that loads here loads in pyDMNrules too; docs/workbook-format.md describes it.
"""
from __future__ import annotations

import datetime as _dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from . import feel, numbers
from .findings import ERROR, WARNING, Finding
from .xlsx_guard import check_xlsx
from .model import (HIT_POLICIES, NUMERIC_TYPES, TYPE_ALIASES, TYPE_INTEGER, TYPE_ANY, TYPE_BOOLEAN, TYPE_DATE, TYPE_MONEY, TYPE_NUMBER,
                    TYPE_TEXT, Example, Metadata, Position, Rule, RuleSetModel, Table, Variable)

GLOSSARY, DECISION, METADATA, EXAMPLES = "Glossary", "Decision", "Metadata", "Voorbeelden"
ANNOTATION_TEXT, ANNOTATION_SOURCE, ANNOTATION_FILE = "Toelichting", "Bron", "Bronbestand"
METADATA_KEYS = {"gemeente": "gemeente", "regelset": "name", "titel": "title", "geldig vanaf": "valid_from",
                 "brondocument": "source_document", "eigenaar": "owner"}
_SCAN = 12              # how far from A1 a sheet's title cell may be
_BLANK_ROW_LOOKAHEAD = 30


class _Reader:
    def __init__(self, wb, name: str):
        self.wb = wb
        self.name = name
        self.findings: list[Finding] = []
        self.variables: dict[str, Variable] = {}
        self.qualified: dict[str, str] = {}   # "Concept.Attribute" -> variable name
        self.has_glossary = False
        self.at: tuple = (None, None)            # sheet and cell being read, for a finding if reading fails

    # ------------------------------------------------------------ helpers
    def add(self, severity, code, message, sheet=None, cell=None, rule=None):
        self.findings.append(Finding(severity, code, message, sheet, cell, rule))

    def where(self) -> tuple:
        return self.at

    def resolve(self, name: str) -> str:
        return self.qualified.get(name, name)

    @staticmethod
    def find_title(ws, title: str, startswith=False):
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, _SCAN), max_col=min(ws.max_column, _SCAN)):
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (value.strip() == title or (startswith and value.strip().startswith(title))):
                    return cell
        return None

    @staticmethod
    def merged_anchor(ws):
        """Map every cell inside a merged range to the range's top-left value."""
        anchors = {}
        for rng in ws.merged_cells.ranges:
            value = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        anchors[(r, c)] = value
        return anchors

    # ------------------------------------------------------------ glossary
    def read_glossary(self):
        if GLOSSARY not in self.wb.sheetnames:
            self.add(ERROR, "glossary-missing",
                     "Het blad 'Glossary' ontbreekt. Voeg een blad 'Glossary' toe met per invoer en uitkomst een rij "
                     "(Variable, Business Concept, Attribute, Type, Toegestane waarden, Standaard).", GLOSSARY, "A1")
            return
        ws = self.wb[GLOSSARY]
        title = self.find_title(ws, "Glossary", startswith=True)
        if title is None:
            self.add(ERROR, "glossary-title", "Cel A1 van het blad 'Glossary' moet 'Glossary' bevatten.", GLOSSARY, "A1")
            return
        self.has_glossary = True
        head_row = title.row + 1
        columns = {}
        for col in range(title.column, ws.max_column + 1):
            value = ws.cell(head_row, col).value
            if value is None:
                break
            columns[str(value).strip()] = col
        for required in ("Variable", "Business Concept", "Attribute"):
            if required not in columns:
                self.add(ERROR, "glossary-heading",
                         f"De kolom '{required}' ontbreekt in de kopregel van de Glossary (rij {head_row}). "
                         "De kopregel moet beginnen met Variable, Business Concept, Attribute.",
                         GLOSSARY, f"{get_column_letter(title.column)}{head_row}")
                return
        concept = None
        for row in range(head_row + 1, ws.max_row + 1):
            cells = {key: ws.cell(row, col) for key, col in columns.items()}
            if all(c.value is None for c in cells.values()):
                break
            var_cell = cells["Variable"]
            name = str(var_cell.value).strip() if var_cell.value is not None else ""
            if not name:
                self.add(ERROR, "glossary-name", "Deze rij in de Glossary heeft geen naam in de kolom Variable.",
                         GLOSSARY, var_cell.coordinate)
                continue
            if name in self.variables:
                self.add(ERROR, "glossary-duplicate", f"'{name}' staat twee keer in de Glossary; verwijder één van beide.",
                         GLOSSARY, var_cell.coordinate)
                continue
            if cells["Business Concept"].value is not None:
                concept = str(cells["Business Concept"].value).strip().replace(" ", "_")
            attribute = str(cells["Attribute"].value or name).strip().replace(" ", "_")
            var = Variable(name=name, concept=concept, position=Position(GLOSSARY, var_cell.coordinate))
            if concept:
                self.qualified[f"{concept}.{attribute}"] = name
            type_cell = cells.get("Type")
            if type_cell is not None and type_cell.value is not None:
                written = str(type_cell.value).strip().lower()
                if written not in TYPE_ALIASES:
                    self.add(ERROR, "glossary-type",
                             f"Onbekend type '{type_cell.value}' voor '{name}'. Kies uit: getal, bedrag, tekst, ja/nee, datum.",
                             GLOSSARY, type_cell.coordinate)
                else:
                    var.type = TYPE_ALIASES[written]
            for key, attr in (("Eenheid", "unit"), ("Omschrijving", "description")):
                if key in cells and cells[key].value is not None:
                    setattr(var, attr, str(cells[key].value).strip())
            self.variables[name] = var
            self._read_allowed(var, cells.get("Toegestane waarden"))
            self._read_default(var, cells.get("Standaard"))

    def _read_allowed(self, var: Variable, cell):
        if cell is None or cell.value is None or str(cell.value).strip() == "":
            return
        text = _cell_text(cell.value)
        try:
            ast = feel.parse_unary_tests(text)
            var.allowed = feel.compile_unary_tests(ast, self.resolve)
        except feel.FeelSyntaxError as exc:
            self.add(ERROR, "glossary-allowed", f"Toegestane waarden van '{var.name}' zijn ongeldig: {exc}",
                     GLOSSARY, cell.coordinate)
            return
        var.allowed_text = text
        if isinstance(ast, feel.AnyOf) and ast.tests and all(
                isinstance(t, feel.Compare) and t.op == "=" and isinstance(t.operand, feel.Literal) for t in ast.tests):
            var.allowed_values = tuple(t.operand.value for t in ast.tests)

    def _read_default(self, var: Variable, cell):
        if cell is None or cell.value is None or str(cell.value).strip() == "":
            return
        raw = cell.value
        try:
            if isinstance(raw, str):
                value = feel.literal_value(feel.parse_expression(raw))
            else:
                value = _excel_value(raw)
            var.default = coerce_literal(var, value)
        except (feel.FeelSyntaxError, ValueError) as exc:
            self.add(ERROR, "glossary-default", f"De standaardwaarde van '{var.name}' is ongeldig: {exc}",
                     GLOSSARY, cell.coordinate)
            return
        var.default_text = _cell_text(raw)
        var.has_default = True

    # ------------------------------------------------------------ decision
    def read_decision(self) -> list[tuple[str, str, Position]]:
        if DECISION not in self.wb.sheetnames:
            self.add(ERROR, "decision-missing",
                     "Het blad 'Decision' ontbreekt. Voeg het toe met in A1 'Decision', in rij 2 'Decisions' en "
                     "'Execute Decision Tables', en daaronder per beslistabel een rij.", DECISION, "A1")
            return []
        ws = self.wb[DECISION]
        title = self.find_title(ws, "Decision", startswith=True)
        if title is None:
            self.add(ERROR, "decision-title", "Cel A1 van het blad 'Decision' moet 'Decision' bevatten.", DECISION, "A1")
            return []
        head_row = title.row + 1
        decisions_col = execute_col = None
        for col in range(title.column, ws.max_column + 1):
            value = ws.cell(head_row, col).value
            if value is None:
                break
            text = str(value).strip()
            coordinate = ws.cell(head_row, col).coordinate
            if text == "Decisions":
                decisions_col = col
            elif text == "Execute Decision Tables":
                execute_col = col
            elif text == "Execute Decision Table":
                self.add(ERROR, "decision-heading",
                         "De kop moet 'Execute Decision Tables' (meervoud) zijn; pyDMNrules herkent 'Execute Decision Table' niet.",
                         DECISION, coordinate)
                return []
            elif decisions_col is None:
                self.add(ERROR, "decision-conditions",
                         f"Voorwaarden ('{text}') op het blad Decision worden niet ondersteund; zet die voorwaarde in een beslistabel.",
                         DECISION, coordinate)
        if decisions_col is None or execute_col is None:
            self.add(ERROR, "decision-heading",
                     "Rij 2 van het blad 'Decision' moet de koppen 'Decisions' en 'Execute Decision Tables' bevatten.",
                     DECISION, f"{get_column_letter(title.column)}{head_row}")
            return []
        entries = []
        for row in range(head_row + 1, ws.max_row + 1):
            desc, table = ws.cell(row, decisions_col).value, ws.cell(row, execute_col).value
            if desc is None and table is None:
                break
            if table is None or str(table).strip() == "":
                self.add(ERROR, "decision-table-missing", "Deze beslissing noemt geen tabel in 'Execute Decision Tables'.",
                         DECISION, ws.cell(row, execute_col).coordinate)
                continue
            entries.append((str(desc or "").strip(), str(table).strip(),
                            Position(DECISION, ws.cell(row, execute_col).coordinate)))
        if not entries:
            self.add(ERROR, "decision-empty", "Het blad 'Decision' noemt geen enkele beslistabel.", DECISION,
                     f"{get_column_letter(execute_col)}{head_row + 1}")
        return entries

    # ------------------------------------------------------------ tables
    def locate_table(self, name: str, reference: Position):
        """The table's title cell: on the sheet named after it if possible (pyDMNrules skips Glossary/Decision)."""
        hits = []
        for ws in self.wb.worksheets:
            if ws.title in (GLOSSARY, DECISION, "Test"):
                continue
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.strip() == name:
                        hits.append((ws, cell))
        tables = [h for h in hits if h[0].title not in (METADATA, EXAMPLES)]
        if not tables:
            self.add(ERROR, "table-missing",
                     f"Het blad Decision noemt tabel '{name}', maar geen blad bevat een tabel met die naam. "
                     "Controleer de spelling of voeg de tabel toe.", reference.sheet, reference.cell)
            return None
        tables.sort(key=lambda h: h[0].title != name)
        return tables[0][0], tables[0][1], [h for h in hits if h != tables[0]]

    def check_name_clashes(self, table: Table, others, last_row: int, last_col: int):
        """A cell elsewhere with the table's name makes pyDMNrules try to read a second table there."""
        title_row = int(''.join(c for c in table.position.cell if c.isdigit()))
        for ws, cell in others:
            inside = (ws.title == table.position.sheet and title_row <= cell.row <= last_row
                      and cell.column <= last_col)
            if not inside:
                self.add(WARNING, "table-name-clash",
                         f"Deze cel bevat '{table.name}', de naam van een beslistabel. pyDMNrules zoekt tabellen op "
                         "alle bladen en kan hier een tweede tabel proberen te lezen; gebruik liever een andere tekst.",
                         ws.title, cell.coordinate)

    def read_table(self, name: str, description: str, ws, title_cell) -> Table | None:
        sheet = ws.title
        merged = self.merged_anchor(ws)
        head_row, first_col = title_cell.row + 1, title_cell.column

        def value(r, c):
            v = ws.cell(r, c).value
            return merged.get((r, c)) if v is None and (r, c) in merged else v

        hit_cell = ws.cell(head_row, first_col)
        hit = str(hit_cell.value).strip() if hit_cell.value is not None else "U"
        if hit not in HIT_POLICIES:
            self.add(ERROR, "hit-policy",
                     f"Onbekend hit policy '{hit}' in tabel '{name}'. Kies uit: {', '.join(HIT_POLICIES)}.",
                     sheet, hit_cell.coordinate)
            return None
        width = 0
        while ws.cell(head_row, first_col + width + 1).value is not None:
            width += 1
        if width == 0:
            self.add(ERROR, "table-empty", f"Tabel '{name}' heeft geen kolomkoppen in rij {head_row}.", sheet,
                     hit_cell.coordinate)
            return None
        has_validity = (hit_cell.border.bottom.style != "double"
                        and ws.cell(head_row + 1, first_col).border.top.style != "double")

        inputs, outputs, annotations = [], [], []
        input_pos, output_pos = [], []
        section = "outputs" if _double_right(ws, head_row, first_col) else "inputs"
        saw_double = section == "outputs"
        for offset in range(1, width + 1):
            col = first_col + offset
            cell = ws.cell(head_row, col)
            heading = str(cell.value).strip()
            pos = Position(sheet, cell.coordinate)
            if section == "annotations":
                if heading not in (ANNOTATION_TEXT, ANNOTATION_SOURCE, ANNOTATION_FILE):
                    self.add(ERROR, "heading-not-annotation",
                             f"De kolomkop '{heading}' in tabel '{name}' is geen invoer, uitkomst of annotatie: na de "
                             f"uitkomsten horen alleen de kolommen '{ANNOTATION_TEXT}' en '{ANNOTATION_SOURCE}'. Verplaats "
                             "deze opmerking naar de Toelichting van een regel, of maak de cel leeg.", sheet, cell.coordinate)
                annotations.append(heading)
            else:
                if heading not in self.variables and self.resolve(heading) not in self.variables:
                    kind = "invoer" if section == "inputs" else "uitkomst"
                    self.add(ERROR, "heading-unknown",
                             f"De kolomkop '{heading}' ({kind}) in tabel '{name}' staat niet in de Glossary. Voeg "
                             "'" + heading + "' toe aan de Glossary, of corrigeer de spelling. Een opmerking hoort in een "
                             "Toelichting-kolom na de uitkomsten, niet in de kopregel.", sheet, cell.coordinate)
                heading = self.resolve(heading)
                (inputs if section == "inputs" else outputs).append(heading)
                (input_pos if section == "inputs" else output_pos).append(pos)
            if _double_right(ws, head_row, col):
                saw_double = True
                section = "outputs" if section == "inputs" else "annotations"
        if not saw_double or not outputs:
            self.add(ERROR, "table-borders",
                     f"In tabel '{name}' is niet te zien welke kolommen uitkomsten zijn: zet een dubbele rechterrand "
                     "na de laatste invoerkolom en na de laatste uitkomstkolom.", sheet, hit_cell.coordinate)
            return None
        table = Table(name=name, hit_policy=hit, inputs=inputs, outputs=outputs, rules=[],
                      position=Position(sheet, title_cell.coordinate), description=description,
                      input_positions=input_pos, output_positions=output_pos, annotation_headings=annotations)

        first_rule_row = head_row + 1
        if has_validity:
            first_rule_row += 1
            for i, out in enumerate(outputs):
                v = value(head_row + 1, first_col + 1 + len(inputs) + i)
                if v is not None:
                    try:
                        ast = feel.parse_unary_tests(_cell_text(v))
                        table.output_priorities[out] = tuple(feel.literal_value(t.operand) for t in ast.tests)
                    except (feel.FeelSyntaxError, AttributeError):
                        self.add(ERROR, "validity-row", f"De rij met toegestane uitkomsten voor '{out}' is ongeldig.",
                                 sheet, ws.cell(head_row + 1, first_col + 1 + len(inputs) + i).coordinate)
        for out in outputs:
            if out not in table.output_priorities and out in self.variables and self.variables[out].allowed_values:
                table.output_priorities[out] = self.variables[out].allowed_values
        if hit in ("P", "O") and not all(o in table.output_priorities for o in outputs):
            self.add(ERROR, "priority-missing",
                     f"Tabel '{name}' heeft hit policy {hit}; daarvoor moeten de uitkomsten een geordende lijst "
                     "toegestane waarden hebben (Glossary, kolom Toegestane waarden).", sheet, hit_cell.coordinate)

        row = first_rule_row
        last_col = first_col + width
        while row <= ws.max_row and any(value(row, c) is not None for c in range(first_col, last_col + 1)):
            rule = self.read_rule(table, ws, row, first_col, value)
            if rule is not None:
                table.rules.append(rule)
            row += 1
        self._check_blank_row(table, ws, row, first_col, last_col)
        self._extent = (row - 1, last_col)
        if not table.rules:
            self.add(ERROR, "table-no-rules", f"Tabel '{name}' bevat geen regels.", sheet, hit_cell.coordinate)
        return table

    def _check_blank_row(self, table, ws, blank_row, first_col, last_col):
        for row in range(blank_row + 1, min(ws.max_row, blank_row + _BLANK_ROW_LOOKAHEAD) + 1):
            if any(ws.cell(row, c).value is not None for c in range(first_col, last_col + 1)):
                self.add(ERROR, "blank-row",
                         f"Rij {blank_row} in tabel '{table.name}' is leeg; pyDMNrules stopt daar en negeert alle regels "
                         f"eronder (vanaf rij {row}). Verwijder de lege rij.", ws.title, f"{get_column_letter(first_col)}{blank_row}")
                return

    def read_rule(self, table: Table, ws, row: int, first_col: int, value) -> Rule | None:
        sheet = ws.title
        id_cell = ws.cell(row, first_col)
        rule_id = str(value(row, first_col)).strip() if value(row, first_col) is not None else ""
        if not rule_id:
            self.add(ERROR, "rule-id-missing",
                     f"Deze regel in tabel '{table.name}' heeft geen regel-id in kolom {get_column_letter(first_col)}. "
                     "Geef elke regel een vaste, unieke id (bijvoorbeeld AA-07); het auditspoor verwijst ernaar.",
                     sheet, id_cell.coordinate)
            rule_id = f"(rij {row})"
        n_in, n_out = len(table.inputs), len(table.outputs)
        texts, ann = {ANNOTATION_TEXT: "", ANNOTATION_SOURCE: "", ANNOTATION_FILE: ""}, []
        for i, heading in enumerate(table.annotation_headings):
            v = value(row, first_col + 1 + n_in + n_out + i)
            if v is not None and str(v).strip():
                if heading in texts:
                    texts[heading] = str(v).strip()
                else:
                    ann.append(str(v).strip())
        annotation = "; ".join([t for t in [texts[ANNOTATION_TEXT], *ann] if t])
        rule = Rule(id=rule_id, index=len(table.rules), input_texts=[], output_texts=[], annotation=annotation,
                    source=texts[ANNOTATION_SOURCE], position=Position(sheet, id_cell.coordinate),
                    source_file=texts[ANNOTATION_FILE])
        for i, name in enumerate(table.inputs):
            cell = ws.cell(row, first_col + 1 + i)
            raw = value(row, first_col + 1 + i)
            text = "-" if raw is None else _cell_text(raw)
            rule.input_texts.append(text)
            rule.input_positions.append(Position(sheet, cell.coordinate))
            ast = self._parse_cell(text, cell, rule_id, table, unary=True)
            rule.test_asts.append(ast)
            if ast is not None:
                self._check_test_types(ast, self.variables.get(name), cell, rule_id)
        for i, name in enumerate(table.outputs):
            cell = ws.cell(row, first_col + 1 + n_in + i)
            raw = value(row, first_col + 1 + n_in + i)
            rule.output_positions.append(Position(sheet, cell.coordinate))
            if raw is None:
                self.add(ERROR, "output-missing", f"De uitkomst '{name}' is leeg. Vul een waarde in (of null voor 'geen waarde').",
                         sheet, cell.coordinate, rule_id)
                rule.output_texts.append("")
                rule.output_asts.append(None)
                continue
            text = _cell_text(raw)
            rule.output_texts.append(text)
            ast = self._parse_cell(text, cell, rule_id, table, unary=False)
            rule.output_asts.append(ast)
            if ast is not None:
                self._check_output_value(ast, self.variables.get(name), cell, rule_id)
        if not rule.source and self.has_glossary:
            self.add(WARNING, "source-missing",
                     "Deze regel heeft geen bronvermelding. Vul de kolom Bron in (document, artikel/paragraaf, bestand).",
                     sheet, id_cell.coordinate, rule_id)
        return rule

    def _parse_cell(self, text, cell, rule_id, table, unary):
        sheet = cell.parent.title
        if text.startswith("="):
            self.add(ERROR, "formula", "Deze cel bevat een Excel-formule; typ de waarde zelf (FEEL), zonder '='.",
                     sheet, cell.coordinate, rule_id)
            return None
        self.at = (sheet, cell.coordinate)
        try:
            ast = feel.parse_unary_tests(text) if unary else feel.parse_expression(text)
        except feel.FeelSyntaxError as exc:
            self.add(ERROR, "feel-syntax", f"'{_short(text)}' is geen geldige {'invoertest' if unary else 'uitkomst'}: "
                     f"{exc}", sheet, cell.coordinate, rule_id)
            return None
        except RecursionError:
            self.add(ERROR, "too-deep", _TOO_DEEP, sheet, cell.coordinate, rule_id)
            return None
        for name in feel.names_in(ast):
            if self.resolve(name) not in self.variables:
                hint = (f' Bedoelt u de tekst "{name}"? Zet tekst tussen dubbele aanhalingstekens.'
                        if " " not in name else "")
                self.add(ERROR, "unknown-name", f"'{name}' is geen bekende invoer of uitkomst (niet in de Glossary).{hint}",
                         sheet, cell.coordinate, rule_id)
                return None
        if feel.has_unbracketed_logic(text):
            self.add(WARNING, "unbracketed-logic",
                     f"'{text}' gebruikt and/or zonder haakjes; pyDMNrules rekent dat altijd als onwaar. "
                     "Zet de hele voorwaarde tussen haakjes, of splits hem over twee kolommen.",
                     sheet, cell.coordinate, rule_id)
        return ast

    def _check_test_types(self, ast, var: Variable | None, cell, rule_id):
        if var is None or var.type == TYPE_ANY:
            return
        for literal in _test_literals(ast):
            if literal is not None and not _fits_type(literal, var.type):
                self.add(ERROR, "test-type",
                         f"De test vergelijkt '{var.name}' ({var.type}) met {feel.format_value(literal)}, "
                         f"een waarde van een ander type. Gebruik een {var.type}.",
                         cell.parent.title, cell.coordinate, rule_id)
                return

    def _check_output_value(self, ast, var: Variable | None, cell, rule_id):
        if var is None or not isinstance(ast, feel.Literal) or ast.value is None:
            return
        if var.type != TYPE_ANY and not _fits_type(ast.value, var.type):
            self.add(ERROR, "output-type",
                     f"De uitkomst {feel.format_value(ast.value)} past niet bij het type van '{var.name}' ({var.type}).",
                     cell.parent.title, cell.coordinate, rule_id)
        elif var.allowed is not None and var.allowed(ast.value, {}) is not True:
            self.add(ERROR, "output-not-allowed",
                     f"De uitkomst {feel.format_value(ast.value)} is geen toegestane waarde voor '{var.name}'. "
                     f"Toegestaan: {var.allowed_text}.", cell.parent.title, cell.coordinate, rule_id)

    # ------------------------------------------------------------ metadata and examples
    def read_metadata(self) -> Metadata:
        meta = Metadata()
        if METADATA not in self.wb.sheetnames:
            return meta
        ws = self.wb[METADATA]
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=2):
            key_cell, value_cell = row[0], row[1] if len(row) > 1 else None
            if key_cell.value is None or value_cell is None:
                continue
            key = str(key_cell.value).strip().lower()
            if key not in METADATA_KEYS:
                if key not in ("metadata", "veld"):
                    meta.extra[str(key_cell.value).strip()] = _plain(value_cell.value)
                continue
            attr, raw = METADATA_KEYS[key], value_cell.value
            if attr == "valid_from":
                try:
                    meta.valid_from = _as_date(raw)
                except ValueError:
                    self.add(ERROR, "metadata-date", f"'Geldig vanaf' moet een datum zijn (JJJJ-MM-DD), niet '{raw}'.",
                             METADATA, value_cell.coordinate)
            elif raw is not None:
                setattr(meta, attr, str(raw).strip())
        return meta

    def read_examples(self) -> list[Example]:
        if EXAMPLES not in self.wb.sheetnames:
            return []
        ws = self.wb[EXAMPLES]
        title = self.find_title(ws, "Voorbeeld")
        if title is None:
            self.add(ERROR, "examples-heading", "Het blad Voorbeelden moet in de kopregel 'Voorbeeld' hebben (cel A1).",
                     EXAMPLES, "A1")
            return []
        head_row, columns, description_col = title.row, {}, None
        for col in range(title.column + 1, ws.max_column + 1):
            heading = ws.cell(head_row, col).value
            if heading is None:
                continue
            heading = str(heading).strip()
            if heading == "Omschrijving":
                description_col = col
            elif self.resolve(heading) in self.variables:
                columns[col] = self.resolve(heading)
            else:
                self.add(ERROR, "examples-column",
                         f"De kolom '{heading}' op het blad Voorbeelden is geen invoer of uitkomst uit de Glossary.",
                         EXAMPLES, ws.cell(head_row, col).coordinate)
        outputs = set(self._output_names)
        examples = []
        for row in range(head_row + 1, ws.max_row + 1):
            id_value = ws.cell(row, title.column).value
            if id_value is None and all(ws.cell(row, c).value is None for c in columns):
                continue
            example = Example(id=str(id_value or f"rij {row}").strip(), row=row, inputs={}, expected={},
                              description=str(ws.cell(row, description_col).value or "") if description_col else "",
                              position=Position(EXAMPLES, ws.cell(row, title.column).coordinate))
            for col, name in columns.items():
                raw = ws.cell(row, col).value
                var = self.variables[name]
                if name in outputs:
                    try:
                        example.expected[name] = None if raw is None else coerce_literal(var, _excel_value(raw))
                    except ValueError as exc:
                        self.add(ERROR, "examples-value", f"Verwachte uitkomst '{name}' is ongeldig: {exc}",
                                 EXAMPLES, ws.cell(row, col).coordinate)
                elif raw is not None:
                    example.inputs[name] = _excel_value(raw)
            examples.append(example)
        return examples

    _output_names: list = []


# ---------------------------------------------------------------- value helpers

def _double_right(ws, row, col) -> bool:
    return ws.cell(row, col).border.right.style == "double" or ws.cell(row, col + 1).border.left.style == "double"


def _cell_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        return f'date("{value.date().isoformat()}")'
    if isinstance(value, _dt.date):
        return f'date("{value.isoformat()}")'
    if isinstance(value, float):
        return repr(feel.number(value))
    return str(value).strip()


def _excel_value(value):
    """A typed Excel value (examples sheet, defaults) as an engine value."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return feel.number(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _plain(value):
    if isinstance(value, (_dt.date, _dt.datetime)):
        return _excel_value(value).isoformat()
    return value


def _as_date(raw) -> _dt.date:
    if isinstance(raw, _dt.datetime):
        return raw.date()
    if isinstance(raw, _dt.date):
        return raw
    return _dt.date.fromisoformat(str(raw).strip())


def _fits_type(value, type_: str) -> bool:
    if type_ == TYPE_INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ in (TYPE_NUMBER, TYPE_MONEY):
        return feel.is_number(value)
    if type_ == TYPE_TEXT:
        return isinstance(value, str)
    if type_ == TYPE_BOOLEAN:
        return isinstance(value, bool)
    if type_ == TYPE_DATE:
        return isinstance(value, _dt.date)
    return True


def _test_literals(ast):
    tests = ast.tests if isinstance(ast, (feel.AnyOf, feel.Negation)) else ()
    for t in tests:
        if isinstance(t, feel.Compare) and isinstance(t.operand, feel.Literal):
            yield t.operand.value
        elif isinstance(t, feel.Interval):
            for end in (t.low, t.high):
                if isinstance(end, feel.Literal):
                    yield end.value


def coerce_literal(var: Variable, value):
    """A glossary default or example value, checked against the variable's type."""
    if value is None or var.type == TYPE_ANY:
        return value
    if var.type in NUMERIC_TYPES:
        whole = var.type == TYPE_INTEGER
        if isinstance(value, str):
            return numbers.parse_dutch(value, whole=whole)
        if not feel.is_number(value) and not isinstance(value, float):
            raise ValueError(f"{feel.format_value(value)} is geen getal")
        return numbers.checked(value, whole=whole)
    if var.type == TYPE_BOOLEAN:
        if isinstance(value, str) and value.lower() in ("ja", "nee", "true", "false", "waar", "onwaar"):
            return value.lower() in ("ja", "true", "waar")
        if not isinstance(value, bool):
            raise ValueError(f"{feel.format_value(value)} is geen ja/nee-waarde")
        return value
    if var.type == TYPE_DATE:
        try:
            return _as_date(value)
        except ValueError:
            raise ValueError(f"'{value}' is geen datum (JJJJ-MM-DD)") from None
    if var.type == TYPE_TEXT:
        return value if isinstance(value, str) else _cell_text(value)
    return value


# ---------------------------------------------------------------- entry point

def open_workbook(data: bytes):
    """openpyxl workbook from bytes; raises ValueError with a Dutch message if it is not an xlsx."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError("Dit bestand is geen Excel-werkmap (.xlsx). Sla het op als 'Excel-werkmap (.xlsx)' en probeer opnieuw.")
    check_xlsx(data)  # merged ranges, cell counts and extent from the sheet XML, before openpyxl expands them
    try:
        return openpyxl.load_workbook(io.BytesIO(data))
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise ValueError(f"De werkmap kan niet worden gelezen ({exc.__class__.__name__}). Is het een geldig .xlsx-bestand?") from None


def read_workbook(data: bytes, name: str = "") -> tuple[RuleSetModel | None, list[Finding]]:
    """Read workbook bytes into a model. Returns (model or None, findings); never raises on bad content."""
    try:
        wb = open_workbook(data)
    except ValueError as exc:
        return None, [Finding(ERROR, getattr(exc, "code", "not-xlsx"), str(exc), getattr(exc, "sheet", None))]
    reader = _Reader(wb, name)
    try:
        return _read(reader)
    except RecursionError:
        return None, reader.findings + [Finding(ERROR, "too-deep", _TOO_DEEP, *reader.where())]
    except Exception as exc:  # noqa: BLE001 - the promise above; property tests hunt what lands here
        return None, reader.findings + [Finding(ERROR, "unreadable", _UNREADABLE.format(kind=type(exc).__name__),
                                                *reader.where())]


def _short(text: str, limit: int = 200) -> str:
    """A cell's text in a finding: a 50,000-character cell is not repeated whole."""
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} tekens)"


_TOO_DEEP = ("Een cel is te diep genest (te veel haakjes binnen haakjes) om te lezen. Vereenvoudig de "
             "expressie of verdeel haar over meer regels.")
_UNREADABLE = ("De werkmap kon niet volledig worden gelezen ({kind}). Er is niets opgeslagen. Controleer het "
               "blad en de cel hierboven; blijft het misgaan, stuur de werkmap dan naar de beheerder.")


def _read(reader: "_Reader") -> tuple[RuleSetModel | None, list[Finding]]:
    reader.read_glossary()
    entries = reader.read_decision()
    tables: list[Table] = []
    for description, table_name, reference in entries:
        located = reader.locate_table(table_name, reference)
        if located is None:
            continue
        ws, title_cell, others = located
        table = reader.read_table(table_name, description, ws, title_cell)
        if table is not None:
            tables.append(table)
            reader.check_name_clashes(table, others, *reader._extent)
    reader._output_names = [o for t in tables for o in t.outputs]
    metadata = reader.read_metadata()
    examples = reader.read_examples()
    model = RuleSetModel(variables=reader.variables, tables=tables, metadata=metadata, examples=examples,
                         source_name=reader.name)
    _check_rule_ids(model, reader)
    if not reader.has_glossary or any(f.severity == ERROR for f in reader.findings):
        return (model if tables else None), reader.findings
    _compile(model, reader)
    return model, reader.findings


def _check_rule_ids(model: RuleSetModel, reader: _Reader):
    seen: dict[str, Position] = {}
    for table in model.tables:
        for rule in table.rules:
            if rule.id.startswith("(rij"):
                continue
            if rule.id in seen:
                first = seen[rule.id]
                reader.add(ERROR, "rule-id-duplicate",
                           f"Regel-id '{rule.id}' komt ook voor in {first}. Elke regel heeft een eigen id nodig.",
                           rule.position.sheet, rule.position.cell, rule.id)
            else:
                seen[rule.id] = rule.position


def _compile(model: RuleSetModel, reader: _Reader):
    for table in model.tables:
        for rule in table.rules:
            rule.tests = [(i, feel.compile_unary_tests(ast, reader.resolve))
                          for i, ast in enumerate(rule.test_asts) if ast is not feel.DONT_CARE]
            rule.outputs = [feel.compile_expression(ast, reader.resolve) for ast in rule.output_asts]


def read_path(path) -> tuple[RuleSetModel | None, list[Finding]]:
    path = Path(path)
    return read_workbook(path.read_bytes(), path.name)
