"""The benchmark tables, generated: as Regelbank/pyDMNrules workbooks (openpyxl), as ZEN JDM JSON,
and as a generated if/elif Python function (the hand-written-code baseline).

- ``small``: 8 rows, 2 inputs (Leeftijd in four bands x Doelgroep VG/LG), hit policy U.
- ``large``: 200 rows, 3 numeric inputs (A in 10 bands x B in 5 x C in 4), hit policy U.
Both tables are disjoint and complete over their declared inputs, so U, ZEN's "first" and
an if/elif chain all give the same answer.
"""
from __future__ import annotations

import datetime as _dt
import io
import json
import random
from decimal import Decimal
from dataclasses import dataclass, field

import openpyxl
from openpyxl.styles import Border, Side

THIN, DOUBLE = Side(style="thin"), Side(style="double")


@dataclass
class BenchTable:
    name: str
    inputs: list            # (name, type, allowed)
    outputs: list           # (name, type)
    rows: list              # (rule id, [input cells], [output cells], [zen input cells], [python conditions], [python values])
    case_values: dict = field(default_factory=dict)   # input name -> list of values cases draw from

    def cases(self, n: int, seed: int = 7, decimals: float = 0.0) -> list[dict]:
        """``n`` fresh cases; with ``decimals``, that share of numeric values has two decimals
        (an exact Decimal, as Regelbank reads amounts from CSV and JSON: 64.37)."""
        rnd = random.Random(seed)
        names = [i[0] for i in self.inputs]
        numeric = {i[0] for i in self.inputs if i[1] == "getal"}
        out = []
        for _ in range(n):
            case = {}
            for name in names:
                value = rnd.choice(self.case_values[name])
                if name in numeric and decimals and rnd.random() < decimals:
                    value = Decimal(value * 100 + rnd.randrange(1, 100)) / 100 if value < self.case_values[name][-1] \
                        else value
                case[name] = value
            out.append(case)
        return out


def _bands(edges: list[int], top: int):
    """Half-open bands '< e0', '[e0..e1)', ..., '>= ek' (every number falls in one, also 64.5), as
    (regelbank cell, zen cell, python condition template)."""
    bands = [(f"< {edges[0]}", f"< {edges[0]}", f"{{v}} < {edges[0]}")]
    for low, high in zip(edges, edges[1:]):
        bands.append((f"[{low}..{high})", f"[{low}..{high})", f"{low} <= {{v}} < {high}"))
    bands.append((f">= {edges[-1]}", f">= {edges[-1]}", f"{{v}} >= {edges[-1]}"))
    return bands


def small_table() -> BenchTable:
    ages = _bands([18, 65, 80], 130)
    hours = {"VG": [6, 9, 7, 5], "LG": [4, 8, 10, 12]}
    rows, n = [], 0
    for gi, group in enumerate(("VG", "LG")):
        for ai, (cell, zcell, cond) in enumerate(ages):
            n += 1
            uren = hours[group][ai]
            reden = f"Norm {group} leeftijdsband {ai + 1}"
            rows.append((f"BS-{n:02d}", [cell, f'"{group}"'], [str(uren), f'"{reden}"'], [zcell, f'"{group}"'],
                         [cond.format(v="a"), f'b == "{group}"'], [uren, reden]))
    return BenchTable("small", [("Leeftijd", "getal", "[0..130]"), ("Doelgroep", "tekst", '"VG","LG"')],
                      [("UrenPerWeek", "getal"), ("Reden", "tekst")], rows,
                      {"Leeftijd": list(range(0, 131)), "Doelgroep": ["VG", "LG"]})


def large_table() -> BenchTable:
    a_bands = _bands(list(range(10, 100, 10)), 100)   # 10 bands
    b_bands = _bands([20, 40, 60, 80], 100)           # 5 bands
    c_bands = _bands([25, 50, 75], 100)               # 4 bands
    rows, n = [], 0
    for ai, a in enumerate(a_bands):
        for bi, b in enumerate(b_bands):
            for ci, c in enumerate(c_bands):
                n += 1
                bedrag = 100 * ai + 10 * bi + ci
                rows.append((f"BL-{n:03d}", [a[0], b[0], c[0]], [str(bedrag), f'"K{ai}{bi}{ci}"'], [a[1], b[1], c[1]],
                             [a[2].format(v="a"), b[2].format(v="b"), c[2].format(v="c")], [bedrag, f"K{ai}{bi}{ci}"]))
    values = list(range(0, 101))
    return BenchTable("large", [("A", "getal", "[0..100]"), ("B", "getal", "[0..100]"), ("C", "getal", "[0..100]")],
                      [("Bedrag", "getal"), ("Klasse", "tekst")], rows, {"A": values, "B": values, "C": values})


TABLES = {"small": small_table, "large": large_table}


# ---------------------------------------------------------------- workbook (Regelbank + pyDMNrules)

def _box(cell, right=None, bottom=None):
    cell.border = Border(left=THIN, top=THIN, right=right or THIN, bottom=bottom or THIN)


def workbook_bytes(t: BenchTable) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Glossary"
    ws.append(["Glossary"])
    ws.append(["Variable", "Business Concept", "Attribute", "Type", "Toegestane waarden", "Standaard"])
    for i, (name, type_, allowed) in enumerate(t.inputs):
        ws.append([name, "Aanvraag" if i == 0 else None, name, type_, allowed, None])
    for i, (name, type_) in enumerate(t.outputs):
        ws.append([name, "Besluit" if i == 0 else None, name, type_, None, None])
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=6):
        for c in row:
            _box(c)
    table = "Benchtabel"
    d = wb.create_sheet("Decision")
    d.append(["Decision"])
    d.append(["Decisions", "Execute Decision Tables"])
    d.append(["Beslissing", table])
    s = wb.create_sheet(table)
    s.append([table])
    n_in, n_out = len(t.inputs), len(t.outputs)
    s.append(["U"] + [i[0] for i in t.inputs] + [o[0] for o in t.outputs] + ["Toelichting", "Bron"])
    for rule_id, cells, outs, *_ in t.rows:
        s.append([rule_id, *cells, *outs, f"Benchmarkregel {rule_id}", "Gegenereerd, bench/tables.py"])
    for row in s.iter_rows(min_row=2, max_row=s.max_row, max_col=1 + n_in + n_out + 2):
        for c in row:
            _box(c, right=DOUBLE if c.column in (1 + n_in, 1 + n_in + n_out) else None,
                 bottom=DOUBLE if c.row == 2 else None)
    m = wb.create_sheet("Metadata")
    m.append(["Metadata"])
    m.append(["Veld", "Waarde"])
    for key, value in {"Gemeente": "bench", "Regelset": t.name, "Titel": f"Benchmark {t.name}",
                       "Geldig vanaf": _dt.date(2020, 1, 1), "Brondocument": "bench/tables.py",
                       "Eigenaar": "bench"}.items():
        m.append([key, value])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- ZEN JDM

def jdm_json(t: BenchTable) -> str:
    inputs = [{"id": f"in{i}", "name": name, "field": name} for i, (name, _, _) in enumerate(t.inputs)]
    outputs = [{"id": f"out{i}", "name": name, "field": name} for i, (name, _) in enumerate(t.outputs)]
    rules = []
    for rule_id, _cells, _outs, zen_cells, _conds, values in t.rows:
        rule = {"_id": rule_id}
        for i, cell in enumerate(zen_cells):
            rule[f"in{i}"] = cell
        for i, value in enumerate(values):
            rule[f"out{i}"] = json.dumps(value)
        rules.append(rule)
    return json.dumps({
        "nodes": [
            {"id": "input", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {"id": "table", "type": "decisionTableNode", "name": "Benchtabel", "position": {"x": 200, "y": 0},
             "content": {"hitPolicy": "first", "inputs": inputs, "outputs": outputs, "rules": rules}},
            {"id": "output", "type": "outputNode", "name": "Response", "position": {"x": 400, "y": 0}},
        ],
        "edges": [{"id": "e1", "sourceId": "input", "targetId": "table", "type": "edge"},
                  {"id": "e2", "sourceId": "table", "targetId": "output", "type": "edge"}],
    })


# ---------------------------------------------------------------- generated if/elif

def if_elif_function(t: BenchTable):
    """A Python function ``f(a, b, ...) -> (outputs..., rule id)``: the table as hand-written code."""
    params = ["a", "b", "c"][:len(t.inputs)]
    lines = [f"def decide({', '.join(params)}):"]
    for i, (rule_id, _cells, _outs, _z, conds, values) in enumerate(t.rows):
        keyword = "if" if i == 0 else "elif"
        lines.append(f"    {keyword} {' and '.join(conds)}:")
        lines.append(f"        return {tuple(values) + (rule_id,)!r}")
    lines.append("    return None")
    namespace: dict = {}
    exec(compile("\n".join(lines), f"<if-elif {t.name}>", "exec"), namespace)
    return namespace["decide"]
