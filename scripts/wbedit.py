"""Small helpers to edit the bundled rule workbooks with openpyxl in their own layout.

Used by the one-off content scripts in scripts/ (issue 16). They keep the format of
docs/workbook-format.md: every table cell has four borders, a double right border after the last
input and the last output, a double bottom border under the heading row, headings filled light blue.
"""
from __future__ import annotations

import re

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

THIN, DOUBLE = Side(style="thin"), Side(style="double")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FILE_RE = re.compile(r"\s*\((\d{3}_[0-9a-f]{16}\.txt)\)")


def box(cell, right=THIN, bottom=THIN):
    cell.border = Border(left=THIN, top=THIN, right=right, bottom=bottom)


# ------------------------------------------------------------------ tables
class Layout:
    """Where a table sheet's columns are: title in A1, headings in row 2, rules from row 3."""

    def __init__(self, ws):
        self.ws = ws
        self.headings = []
        col = 1
        while ws.cell(2, col).value is not None:
            self.headings.append(str(ws.cell(2, col).value).strip())
            col += 1
        doubles = [c for c in range(1, len(self.headings) + 1) if ws.cell(2, c).border.right.style == "double"]
        self.in_end, self.out_end = doubles[0], doubles[1]       # 1-based columns with the double right border
        row = 3
        while any(ws.cell(row, c).value is not None for c in range(1, len(self.headings) + 1)):
            row += 1
        self.last_row = row - 1

    def col(self, heading):
        return self.headings.index(heading) + 1

    @property
    def inputs(self):
        return self.headings[1:self.in_end]

    @property
    def outputs(self):
        return self.headings[self.in_end:self.out_end]

    def row_of(self, rule_id):
        for r in range(3, self.last_row + 1):
            if str(self.ws.cell(r, 1).value).strip() == rule_id:
                return r
        raise KeyError(rule_id)


def style_row(ws, row, layout: Layout, heading=False):
    for c in range(1, len(layout.headings) + 1):
        cell = ws.cell(row, c)
        right = DOUBLE if c in (layout.in_end, layout.out_end) else THIN
        box(cell, right=right, bottom=DOUBLE if heading else THIN)
        if heading:
            cell.font, cell.fill = BOLD, HEAD_FILL
        if layout.headings[c - 1] in ("Toelichting", "Bron", "Bronbestand"):
            cell.alignment = WRAP


def write_rule(ws, row, layout: Layout, values: dict):
    for heading, value in values.items():
        ws.cell(row, layout.col(heading)).value = value
    style_row(ws, row, layout)


def add_rules(wb, table, rules):
    """rules: dicts {heading: value}; 'id' is the rule id. Missing inputs become '-'."""
    ws = wb[table]
    lay = Layout(ws)
    for rule in rules:
        row = lay.last_row + 1
        values = {h: "-" for h in lay.inputs}
        values.update({lay.headings[0]: rule["id"]})
        values.update({k: v for k, v in rule.items() if k != "id"})
        write_rule(ws, row, lay, values)
        lay.last_row = row


def set_cells(wb, table, rule_id, **values):
    ws = wb[table]
    lay = Layout(ws)
    row = lay.row_of(rule_id)
    for heading, value in values.items():
        ws.cell(row, lay.col(heading)).value = value


def insert_input(wb, table, name, after, fill="-"):
    """A new input column after the input heading `after`; every rule gets `fill` (usually '-')."""
    ws = wb[table]
    lay = Layout(ws)
    col = lay.col(after) + 1
    assert col <= lay.in_end + 1, "a new input goes among the inputs"
    in_end, out_end = lay.in_end + 1, lay.out_end + 1
    ws.insert_cols(col)
    ws.cell(2, col).value = name
    for r in range(3, lay.last_row + 1):
        ws.cell(r, col).value = fill
    lay = Layout.__new__(Layout)
    _relayout(ws, lay)
    lay.in_end, lay.out_end = in_end, out_end
    for r in range(2, lay.last_row + 1):
        style_row(ws, r, lay, heading=(r == 2))
    ws.column_dimensions[get_column_letter(col)].width = 18
    _fix_widths(ws, lay)


def _relayout(ws, lay):
    """Layout after inserting a column: the double borders moved with their cells."""
    lay.ws = ws
    lay.headings = []
    col = 1
    while ws.cell(2, col).value is not None:
        lay.headings.append(str(ws.cell(2, col).value).strip())
        col += 1
    # the first output/annotation is found by name: outputs follow inputs; recompute from borders of
    # cells that kept their style (insert_cols moves styles with the cells)
    doubles = [c for c in range(1, len(lay.headings) + 1) if ws.cell(2, c).border.right.style == "double"]
    lay.in_end, lay.out_end = doubles[0], doubles[1]
    row = 3
    while any(ws.cell(row, c).value is not None for c in range(1, len(lay.headings) + 1)):
        row += 1
    lay.last_row = row - 1


def _fix_widths(ws, lay):
    for c, h in enumerate(lay.headings, start=1):
        width = {"Toelichting": 70, "Bron": 45, "Bronbestand": 24}.get(h, 10 if c == 1 else 22)
        ws.column_dimensions[get_column_letter(c)].width = width


def add_table(wb, name, description, hit, inputs, outputs, rules, before=None, with_file=True):
    """A new decision-table sheet (placed before Metadata) and its entry in Decision (before the
    entry named `before`, else last)."""
    index = wb.sheetnames.index("Metadata")
    ws = wb.create_sheet(name, index)
    headings = [hit, *inputs, *outputs, "Toelichting", "Bron"] + (["Bronbestand"] if with_file else [])
    ws.cell(1, 1).value = name
    ws.cell(1, 1).font = BOLD
    box(ws.cell(1, 1))
    for c, h in enumerate(headings, start=1):
        ws.cell(2, c).value = h
    lay = Layout.__new__(Layout)
    lay.ws, lay.headings = ws, headings
    lay.in_end, lay.out_end = 1 + len(inputs), 1 + len(inputs) + len(outputs)
    lay.last_row = 2
    style_row(ws, 2, lay, heading=True)
    _fix_widths(ws, lay)
    for rule in rules:
        row = lay.last_row + 1
        values = {h: "-" for h in inputs}
        values[hit] = rule["id"]
        values.update({k: v for k, v in rule.items() if k != "id"})
        write_rule(ws, row, lay, values)
        lay.last_row = row
    dec = wb["Decision"]
    last = 3
    while dec.cell(last, 2).value is not None:
        last += 1
    target = last
    if before:
        for r in range(3, last):
            if dec.cell(r, 2).value == before:
                target = r
                break
        dec.insert_rows(target)
    dec.cell(target, 1).value = description
    dec.cell(target, 2).value = name
    for c in (1, 2):
        box(dec.cell(target, c))
    return ws


# ------------------------------------------------------------------ glossary
def add_variable(wb, name, type_, allowed=None, default=None, unit=None, description=None, output=False):
    """Inputs go after the last input (before the first output), outputs at the end."""
    ws = wb["Glossary"]
    last = 2
    while ws.cell(last + 1, 1).value is not None:
        last += 1
    first_output = None
    for r in range(3, last + 1):
        if ws.cell(r, 2).value == "Besluit":
            first_output = r
            break
    if output or first_output is None:
        row = last + 1
    else:
        row = first_output
        ws.insert_rows(row)
    values = [name, None, name, type_, allowed, default, unit, description]
    for c, v in enumerate(values, start=1):
        cell = ws.cell(row, c)
        cell.value = v
        box(cell)
        cell.alignment = Alignment(wrap_text=(c == 8), vertical="top")


def variable_names(wb):
    ws = wb["Glossary"]
    names, r = [], 3
    while ws.cell(r, 1).value is not None:
        names.append(ws.cell(r, 1).value)
        r += 1
    return names


# ------------------------------------------------------------------ examples
def example_columns(wb):
    ws = wb["Voorbeelden"]
    return [ws.cell(1, c).value for c in range(1, ws.max_column + 1) if ws.cell(1, c).value is not None]


def add_example_column(wb, name, input_=True):
    """New column: inputs before the first output column (or Omschrijving), outputs before Omschrijving."""
    ws = wb["Voorbeelden"]
    cols = example_columns(wb)
    if name in cols:
        return
    glossary_outputs = _outputs(wb)
    if input_:
        col = next((i + 1 for i, h in enumerate(cols) if h in glossary_outputs or h == "Omschrijving"), len(cols) + 1)
    else:
        col = cols.index("Omschrijving") + 1
    ws.insert_cols(col)
    ws.cell(1, col).value = name
    src = ws.cell(1, 2)
    ws.cell(1, col).font, ws.cell(1, col).fill = BOLD, HEAD_FILL
    box(ws.cell(1, col))
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value is not None:
            box(ws.cell(r, col))
    ws.column_dimensions[get_column_letter(col)].width = 16


def _outputs(wb):
    ws = wb["Glossary"]
    out, r, concept = set(), 3, None
    while ws.cell(r, 1).value is not None:
        if ws.cell(r, 2).value is not None:
            concept = ws.cell(r, 2).value
        if concept == "Besluit":
            out.add(ws.cell(r, 1).value)
        r += 1
    return out


def add_examples(wb, examples):
    """examples: dicts {column: value}, 'Voorbeeld' and 'Omschrijving' included. Unknown columns are added."""
    ws = wb["Voorbeelden"]
    outputs = _outputs(wb)
    for ex in examples:
        for key in ex:
            if key not in example_columns(wb):
                add_example_column(wb, key, input_=key not in outputs)
    cols = example_columns(wb)
    row = 2
    while ws.cell(row, 1).value is not None:
        row += 1
    for ex in examples:
        for c, h in enumerate(cols, start=1):
            cell = ws.cell(row, c)
            cell.value = ex.get(h)
            box(cell)
            if h == "Omschrijving":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1


def set_example(wb, example_id, **values):
    ws = wb["Voorbeelden"]
    cols = example_columns(wb)
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == example_id:
            for k, v in values.items():
                if k not in cols:
                    add_example_column(wb, k, input_=k not in _outputs(wb))
                    cols = example_columns(wb)
                ws.cell(r, cols.index(k) + 1).value = v
            return
    raise KeyError(example_id)


# ------------------------------------------------------------------ citations
def table_sheets(wb):
    dec = wb["Decision"]
    names, r = [], 3
    while dec.cell(r, 2).value is not None:
        names.append(dec.cell(r, 2).value)
        r += 1
    return names


def split_source_files(wb):
    """Move '(00x_....txt)' out of every Bron cell into a Bronbestand column after it."""
    for name in table_sheets(wb):
        ws = wb[name]
        lay = Layout(ws)
        if "Bronbestand" in lay.headings:
            continue
        bron = lay.col("Bron")
        col = len(lay.headings) + 1
        ws.cell(2, col).value = "Bronbestand"
        lay.headings.append("Bronbestand")
        for r in range(3, lay.last_row + 1):
            text = ws.cell(r, bron).value or ""
            files = []
            for f in FILE_RE.findall(text):
                if f not in files:
                    files.append(f)
            ws.cell(r, bron).value = FILE_RE.sub("", text).strip()
            ws.cell(r, col).value = "; ".join(files) or None
        for r in range(2, lay.last_row + 1):
            style_row(ws, r, lay, heading=(r == 2))
        _fix_widths(ws, lay)


def load(path):
    return openpyxl.load_workbook(path)


# ------------------------------------------------------------------ new workbooks
def new_workbook(metadata: dict, glossary: list, tables: list, examples: list):
    """metadata: Gemeente, Regelset, Titel, Geldig vanaf (date), Brondocument, Eigenaar.
    glossary: (name, type, allowed, default, unit, description, is_output) per variable.
    tables: dicts name, description, hit, inputs, outputs, rules (as for add_table).
    examples: dicts for the Voorbeelden sheet (column order: Voorbeeld, inputs, outputs, Omschrijving)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Glossary"
    ws.cell(1, 1).value = "Glossary"
    ws.cell(1, 1).font = BOLD
    heads = ["Variable", "Business Concept", "Attribute", "Type", "Toegestane waarden", "Standaard", "Eenheid", "Omschrijving"]
    for c, h in enumerate(heads, start=1):
        cell = ws.cell(2, c)
        cell.value, cell.font, cell.fill = h, BOLD, HEAD_FILL
        box(cell)
    inputs = [g for g in glossary if not g[6]]
    outputs = [g for g in glossary if g[6]]
    row = 3
    for group, concept in ((inputs, "Aanvraag"), (outputs, "Besluit")):
        for i, (name, type_, allowed, default, unit, desc, _) in enumerate(group):
            values = [name, concept if i == 0 else None, name, type_, allowed, default, unit, desc]
            for c, v in enumerate(values, start=1):
                cell = ws.cell(row, c)
                cell.value = v
                box(cell)
                cell.alignment = Alignment(wrap_text=(c == 8), vertical="top")
            row += 1
    for col, width in zip("ABCDEFGH", (30, 16, 30, 10, 40, 12, 14, 80)):
        ws.column_dimensions[col].width = width
    dec = wb.create_sheet("Decision")
    dec.cell(1, 1).value = "Decision"
    dec.cell(1, 1).font = BOLD
    for c, h in enumerate(["Decisions", "Execute Decision Tables"], start=1):
        cell = dec.cell(2, c)
        cell.value, cell.font, cell.fill = h, BOLD, HEAD_FILL
        box(cell)
    dec.column_dimensions["A"].width = 60
    dec.column_dimensions["B"].width = 36
    meta = wb.create_sheet("Metadata")
    meta.cell(1, 1).value = "Metadata"
    meta.cell(1, 1).font = BOLD
    for c, h in enumerate(["Veld", "Waarde"], start=1):
        cell = meta.cell(2, c)
        cell.value, cell.font, cell.fill = h, BOLD, HEAD_FILL
        box(cell)
    for r, key in enumerate(["Gemeente", "Regelset", "Titel", "Geldig vanaf", "Brondocument", "Eigenaar"], start=3):
        meta.cell(r, 1).value = key
        meta.cell(r, 2).value = metadata[key]
        if key == "Geldig vanaf":
            meta.cell(r, 2).number_format = "yyyy-mm-dd"
        for c in (1, 2):
            box(meta.cell(r, c))
        meta.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
    meta.column_dimensions["A"].width = 16
    meta.column_dimensions["B"].width = 100
    for t in tables:
        add_table(wb, t["name"], t["description"], t.get("hit", "U"), t["inputs"], t["outputs"], t["rules"])
    ex = wb.create_sheet("Voorbeelden")
    names = [g[0] for g in inputs] + [g[0] for g in outputs]
    used = [n for n in names if any(n in e for e in examples)]
    cols = ["Voorbeeld", *used, "Omschrijving"]
    for c, h in enumerate(cols, start=1):
        cell = ex.cell(1, c)
        cell.value, cell.font, cell.fill = h, BOLD, HEAD_FILL
        box(cell)
        ex.column_dimensions[get_column_letter(c)].width = 60 if h == "Omschrijving" else 16
    for r, e in enumerate(examples, start=2):
        for c, h in enumerate(cols, start=1):
            cell = ex.cell(r, c)
            cell.value = e.get(h)
            box(cell)
            if h == "Omschrijving":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return wb


def get_cell(wb, table, rule_id, heading):
    ws = wb[table]
    lay = Layout(ws)
    return ws.cell(lay.row_of(rule_id), lay.col(heading)).value


def set_glossary(wb, name, **fields):
    """Change Glossary cells of variable `name`: Type, allowed (Toegestane waarden), Omschrijving, ..."""
    ws = wb["Glossary"]
    heads = {ws.cell(2, c).value: c for c in range(1, 9)}
    key = {"allowed": "Toegestane waarden", "default": "Standaard", "description": "Omschrijving", "type": "Type"}
    r = 3
    while ws.cell(r, 1).value is not None:
        if ws.cell(r, 1).value == name:
            for k, v in fields.items():
                ws.cell(r, heads[key.get(k, k)]).value = v
            return
        r += 1
    raise KeyError(name)


def set_metadata(wb, field, value):
    ws = wb["Metadata"]
    for r in range(3, ws.max_row + 1):
        if ws.cell(r, 1).value == field:
            ws.cell(r, 2).value = value
            return
    raise KeyError(field)


def example_ids(wb):
    ws = wb["Voorbeelden"]
    return [ws.cell(r, 1).value for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value is not None]
