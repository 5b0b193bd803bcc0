"""Table analysis beyond single cells: overlaps, gaps, and rows that can never fire.

The analysis works per table on *elementary cells* (partition refinement): for every input column
we collect every constant that any row (or the Glossary's Toegestane waarden, or the values an
earlier table can produce) mentions, and cut that column's value space at those constants:

    numbers, dates:  ... < p1 | p1 | p1 < x < p2 | p2 | ... | > pk | null
    text, ja/nee:    "VG" | "LG" | (any other text) | null

Every test in that column is constant on each elementary cell, so we decide membership exactly by
running the engine's own compiled test on one representative value per cell (the same code that
evaluates cases: no second interpretation of FEEL). A row then is, per column, a bitmask over
cells; a row's "box" is the product of its masks.

- Overlap (U, and A with different outputs): two rows whose masks intersect in every column,
  inside the declared domain. The finding names both rows and one concrete input that hits both.
- Gaps (U, A, P, F): a sweep column by column. At column c with the set of rows still in play, the
  cells of column c are grouped by which of those rows cover them; a group covered by no row is a
  gap, any other group recurses into column c+1 with the smaller set of rows. Results are memoised
  on (column, rows in play), so cost follows the structure of the table, not the product of all
  combinations. Gaps are reported as concrete ranges ("Leeftijd 40 t/m 50").
- Rows that can never fire: a row whose box is empty inside the domain; under F a row covered by
  the union of earlier rows; under P a row covered by rows of higher (or equal, earlier) priority;
  under A a row covered by earlier rows with the same outputs (redundant).

Whole numbers: a `getal` column whose constants are all whole is read as counting whole units
(ages, years, days): gaps are then shown as "40 t/m 50", and gaps that only contain fractions
(e.g. between `[0..17]` and `[18..64]`) are reported once per column as info, not as a warning.

Cells that refer to other inputs (`> Groepsgrootte`) cannot be analysed statically: for gaps such a
cell is assumed to match everything, for overlaps and masking it is assumed to match nothing, so
every finding reported is certain; the table gets an info finding saying what was skipped.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

from . import feel
from .explain import format_nl
from .findings import ERROR, INFO, WARNING, Finding
from .model import (TYPE_ANY, TYPE_BOOLEAN, TYPE_DATE, TYPE_INTEGER, TYPE_MONEY, TYPE_NUMBER, TYPE_TEXT, RuleSetModel, Table,
                    Variable)

MAX_OVERLAPS_PER_TABLE = 25
MAX_GAPS_PER_TABLE = 10
MAX_NEVER_FIRES_PER_TABLE = 25
_GAP_SEARCH_LIMIT = 500          # stop collecting gap boxes after this many (the report says "en meer")
_OTHER = object()                # marker: "any other text" cell


class _Opaque(Exception):
    """A test that cannot be analysed statically (refers to other inputs)."""


# ---------------------------------------------------------------- elementary cells

@dataclass(frozen=True)
class Cell:
    kind: str            # point | open | below | above | all | value | other | null
    low: object = None   # open: lower end; above: the last point; point/value: the value
    high: object = None  # open: upper end; below: the first point
    rep: object = None   # representative value, tested with the compiled cell test
    fractional: bool = False   # only non-whole numbers fall in this cell (whole-number column)


def _literals(ast, out: list, own: str | None = None):
    """Collect the constants of a unary-test AST; raise _Opaque when a test refers to another input.

    ``own`` is the column's own variable: a boolean test on it such as ``Leeftijd > 18 and Leeftijd < 40``
    (comparisons with constants joined by and/or) is analysed like a range.
    """
    tests = ast.tests if isinstance(ast, (feel.AnyOf, feel.Negation)) else ()
    for test in tests:
        if isinstance(test, feel.Compare) and test.op == "=" and own and feel.names_in(test.operand) == {own}:
            _own_comparisons(test.operand, own, out)
        elif isinstance(test, feel.Compare):
            out.append(_constant(test.operand))
        elif isinstance(test, feel.Interval):
            out.append(_constant(test.low))
            out.append(_constant(test.high))
        else:
            raise _Opaque()


def _own_comparisons(node, own: str, out: list):
    if isinstance(node, feel.Binary) and node.op in ("and", "or"):
        _own_comparisons(node.left, own, out)
        _own_comparisons(node.right, own, out)
    elif isinstance(node, feel.Binary) and node.op in ("<", "<=", ">", ">=", "=", "!="):
        sides = (node.left, node.right)
        if feel.Name(own) not in sides:
            raise _Opaque()
        other = node.right if node.left == feel.Name(own) else node.left
        out.append(_constant(other))
    else:
        raise _Opaque()


def _constant(node):
    if isinstance(node, feel.Literal):
        return node.value
    if feel.names_in(node):
        raise _Opaque()
    try:
        return feel.compile_expression(node)({})
    except Exception:
        raise _Opaque() from None


def _ordered(value) -> bool:
    return feel.is_number(value) or (isinstance(value, _dt.date) and not isinstance(value, _dt.datetime))


def _same(a, b) -> bool:
    if a is None or b is None:
        return False
    if feel.is_number(a) and feel.is_number(b):
        return a == b
    return type(a) is type(b) and a == b


def _step(value, n):
    return value + _dt.timedelta(days=n) if isinstance(value, _dt.date) else value + n


class Column:
    """One input column of a table, cut into elementary cells, with each row's cell mask."""

    def __init__(self, model: RuleSetModel, table: Table, index: int, produced):
        self.index = index
        self.name = table.inputs[index]
        self.var: Variable = model.variables.get(self.name) or Variable(self.name)
        self.position = table.input_positions[index] if index < len(table.input_positions) else table.position
        asts = [rule.test_asts[index] for rule in table.rules]
        values, self.opaque_rows = [], set()
        for r, ast in enumerate(asts):
            if ast is None or ast is feel.DONT_CARE:
                continue
            found = []
            try:
                _literals(ast, found, self.name)
            except _Opaque:
                self.opaque_rows.add(r)
                continue
            values.extend(found)
        allowed_ast = None
        if self.var.allowed_text:
            try:
                allowed_ast = feel.parse_unary_tests(self.var.allowed_text)
                _literals(allowed_ast, values)
            except (_Opaque, feel.FeelSyntaxError):
                allowed_ast = None
        self.produced = produced                       # values an earlier table can produce, or None
        if produced is not None:
            values.extend(produced)
        self.kind = self._kind(values)
        self.whole = False
        self.cells = self._cells(values)
        self.all = (1 << len(self.cells)) - 1
        self.domain = self._domain(allowed_ast)
        self.masks, cache = [], {}
        for r, ast in enumerate(asts):
            if r in self.opaque_rows or ast is None:
                self.masks.append(None)
            elif ast is feel.DONT_CARE:
                self.masks.append(self.all)
            else:
                if ast not in cache:   # rows often repeat the same test (ASTs are frozen dataclasses)
                    cache[ast] = self._mask(feel.compile_unary_tests(ast))
                self.masks.append(cache[ast])

    # -- construction ---------------------------------------------------
    def _kind(self, values):
        t = self.var.type
        if t in (TYPE_NUMBER, TYPE_INTEGER, TYPE_MONEY, TYPE_DATE):
            return "ordered"
        if t in (TYPE_TEXT, TYPE_BOOLEAN):
            return "discrete"
        present = [v for v in values if v is not None]
        if present and all(_ordered(v) for v in present):
            if all(feel.is_number(v) for v in present) or all(isinstance(v, _dt.date) for v in present):
                return "ordered"
            return "opaque"
        if all(isinstance(v, (str, bool)) for v in present):
            return "discrete"
        return "opaque"

    def _cells(self, values):
        cells: list[Cell] = []
        if self.kind == "ordered":
            points = sorted({v for v in values if _ordered(v)})
            is_date = self.var.type == TYPE_DATE or any(isinstance(p, _dt.date) for p in points)
            # whole steps between points only where fractions cannot occur: whole-number inputs, dates,
            # and (as before) untyped or plain-number columns whose rows all test whole numbers
            self.whole = is_date or self.var.type == TYPE_INTEGER or (
                self.var.type in (TYPE_NUMBER, TYPE_ANY) and all(isinstance(p, int) for p in points))
            if not points:
                cells.append(Cell("all", rep=_dt.date(2000, 1, 1) if is_date else 0))
            else:
                cells.append(Cell("below", high=points[0], rep=_step(points[0], -1)))
                for i, p in enumerate(points):
                    cells.append(Cell("point", low=p, rep=p))
                    if i + 1 < len(points):
                        q = points[i + 1]
                        if _step(p, 1) < q:
                            cells.append(Cell("open", low=p, high=q, rep=_step(p, 1)))
                        elif not is_date:   # no whole number strictly between p and q
                            cells.append(Cell("open", low=p, high=q, rep=feel.number((Decimal(p) + Decimal(q)) / 2),
                                              fractional=self.whole))
                cells.append(Cell("above", low=points[-1], rep=_step(points[-1], 1)))
        elif self.kind == "discrete":
            if self.var.type == TYPE_BOOLEAN or (values and all(isinstance(v, bool) for v in values if v is not None)
                                                 and any(v is not None for v in values)):
                cells += [Cell("value", low=True, rep=True), Cell("value", low=False, rep=False)]
            else:
                seen = []
                for v in values:
                    if v is not None and v not in seen:
                        seen.append(v)
                cells += [Cell("value", low=v, rep=v) for v in seen]
                sentinel = "\x00anders"
                while sentinel in seen:
                    sentinel += "_"
                cells.append(Cell("other", rep=sentinel, low=tuple(seen)))
        else:
            cells.append(Cell("all", rep=None))
        cells.append(Cell("null", rep=None))
        return cells

    def _domain(self, allowed_ast):
        var, mask = self.var, 0
        nullable = var.has_default and var.default is None
        allowed = feel.compile_unary_tests(allowed_ast) if allowed_ast is not None else None
        for k, cell in enumerate(self.cells):
            if cell.kind == "null":
                ok = nullable or (self.produced is not None and None in self.produced)
            elif self.kind == "opaque":
                ok = True
            else:
                ok = allowed is None or allowed(cell.rep, {}) is True
                if ok and self.produced is not None:
                    ok = cell.kind in ("point", "value") and any(_same(cell.rep, p) for p in self.produced)
            if ok:
                mask |= 1 << k
        return mask

    def _mask(self, test):
        mask = 0
        for k, cell in enumerate(self.cells):
            try:
                hit = test(cell.rep, {self.name: cell.rep}) is True
            except Exception:
                hit = False
            if hit:
                mask |= 1 << k
        return mask

    # -- description ------------------------------------------------------
    def describe(self, mask: int) -> str:
        """A set of cells in Dutch: "40 t/m 50", "meer dan 5 en minder dan 6", "'VG' of 'LG'"."""
        parts = []
        type_ = self.var.type
        if self.kind == "ordered":
            run = None
            for k, cell in enumerate(self.cells):
                if cell.kind == "null":
                    continue
                if mask >> k & 1:
                    run = (run[0], k) if run else (k, k)
                elif self.whole and cell.fractional:
                    continue   # no whole number in between: the run goes on
                elif run:
                    parts.append(self._range(*run))
                    run = None
            if run:
                parts.append(self._range(*run))
        else:
            for k, cell in enumerate(self.cells):
                if not mask >> k & 1 or cell.kind == "null":
                    continue
                if cell.kind == "value":
                    parts.append(format_nl(cell.low, type_))
                elif cell.kind == "other":
                    parts.append("een andere tekst dan " + ", ".join(format_nl(v) for v in cell.low) if cell.low
                                 else "elke tekst")
                else:
                    parts.append("elke waarde")
        if mask >> (len(self.cells) - 1) & 1:
            parts.append("leeg (geen waarde)")
        return " of ".join(parts) if parts else "geen waarde"

    def _fmt(self, value):
        return format_nl(value, self.var.type)

    def _range(self, first: int, last: int) -> str:
        a, b = self.cells[first], self.cells[last]
        if a.kind == "all":
            return "elke waarde"
        # lower end
        if a.kind == "below":
            low, low_closed = None, False
        elif a.kind == "point":
            low, low_closed = a.low, True
        else:  # open or above
            low, low_closed = a.low, False
        if b.kind == "above":
            high, high_closed = None, False
        elif b.kind == "point":
            high, high_closed = b.low, True
        else:  # open or below
            high, high_closed = b.high, False
        if self.whole:
            if low is not None and not low_closed:
                low, low_closed = _step(low, 1), True
            if high is not None and not high_closed:
                high, high_closed = _step(high, -1), True
            if low is not None and high is not None:
                if low == high:
                    return self._fmt(low)
                if low > high:   # only fractions in here
                    return f"meer dan {self._fmt(a.low)} en minder dan {self._fmt(b.high)}"
                return f"{self._fmt(low)} t/m {self._fmt(high)}"
            if low is not None:
                return f"ten minste {self._fmt(low)}"
            if high is not None:
                return f"ten hoogste {self._fmt(high)}"
            return "elke waarde"
        if low is not None and high is not None and low == high:
            return self._fmt(low)
        words = []
        if low is not None:
            words.append(("vanaf " if low_closed else "meer dan ") + self._fmt(low))
        if high is not None:
            words.append(("tot en met " if high_closed else "minder dan ") + self._fmt(high))
        return " en ".join(words) if words else "elke waarde"

    def witness(self, mask: int) -> str:
        """One concrete value from a mask, as Dutch text (prefer points and whole numbers)."""
        order = sorted(range(len(self.cells)), key=lambda k: (
            {"point": 0, "value": 0, "open": 1, "below": 2, "above": 2, "all": 3, "other": 4, "null": 5}[self.cells[k].kind],
            self.cells[k].fractional))
        for k in order:
            if mask >> k & 1:
                cell = self.cells[k]
                if cell.kind == "other":
                    return "een andere tekst dan " + ", ".join(format_nl(v) for v in cell.low) if cell.low else "een tekst"
                if cell.kind == "null":
                    return "leeg (geen waarde)"
                return self._fmt(cell.rep)
        return "?"


def _bits(mask: int):
    """Indices of the set bits of ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


# ---------------------------------------------------------------- table analysis

class TableAnalysis:
    def __init__(self, model: RuleSetModel, table: Table, earlier: list[Table], complete=None):
        self.model, self.table = model, table
        self.columns = [Column(model, table, i, _produced(model, earlier, name, complete))
                        for i, name in enumerate(table.inputs)]
        self.n = len(table.rules)
        self.domains = [c.domain for c in self.columns]
        # rows' masks clipped to the domain; None where a cell cannot be analysed
        self.rows = [[c.masks[r] & c.domain if c.masks[r] is not None else None for c in self.columns]
                     for r in range(self.n)]
        # whole-number columns without the cells that hold only fractions (see the module docstring)
        self.fraction_cells = [sum(1 << k for k, cell in enumerate(c.cells) if cell.fractional) for c in self.columns]
        self.primary = [dom & ~f for dom, f in zip(self.domains, self.fraction_cells)]
        self.opaque = any(c.opaque_rows for c in self.columns) or any(c.kind == "opaque" for c in self.columns)
        self.empty = [any(m is not None and m == 0 for m in row) for row in self.rows]
        # per column, per cell: bitset of rows covering that cell (opaque cells count as covering, for gaps)
        self.cover = []
        for ci, col in enumerate(self.columns):
            per_cell = [0] * len(col.cells)
            for r, row in enumerate(self.rows):
                m = row[ci] if row[ci] is not None else col.domain
                bit = 1 << r
                for k in _bits(m):
                    per_cell[k] |= bit
            self.cover.append(per_cell)

    # -- overlaps -----------------------------------------------------------
    def intersecting_pairs(self):
        """Yield (i, j) with i < j for rows that both match some input (certain: opaque cells never count)."""
        rows, d = self.rows, len(self.columns)
        live = [r for r in range(self.n) if not self.empty[r] and all(m is not None for m in self.rows[r])]
        # group by first column to prune quickly: a sweep over cells of column 0
        for a_pos, i in enumerate(live):
            ri = rows[i]
            for j in live[a_pos + 1:]:
                rj = rows[j]
                for c in range(d):
                    if not ri[c] & rj[c]:
                        break
                else:
                    yield i, j

    def witness(self, i: int, j: int) -> str:
        parts = []
        for c, col in enumerate(self.columns):
            both = self.rows[i][c] & self.rows[j][c]
            if both == col.domain and len(self.columns) > 1 and both.bit_count() > 1:
                continue
            parts.append(f"{col.name} = {col.witness(both)}")
        return ", ".join(parts) or "elke invoer"

    def box_within(self, box: list[int], r: int) -> bool:
        """True when row ``r`` alone covers ``box`` (opaque cells of ``r`` never count)."""
        return all(m is not None and b & ~m == 0 for b, m in zip(box, self.rows[r]))

    def contains(self, outer: int, inner: int) -> bool:
        return all(m_in & ~m_out == 0 for m_in, m_out in zip(self.rows[inner], self.rows[outer]))

    # -- gaps -----------------------------------------------------------------
    def gaps(self, active: int, domains: list[int], limit: int = _GAP_SEARCH_LIMIT):
        """Boxes (tuples of per-column masks) inside ``domains`` that no row in ``active`` covers."""
        d = len(self.columns)
        if d == 0:
            return [] if active else [()]
        full_at = [0] * (d + 1)   # full_at[c]: rows in play that contain the domain in every column >= c
        for r in _bits(active):
            row, c = self.rows[r], d
            while c > 0 and (row[c - 1] if row[c - 1] is not None else domains[c - 1]) & domains[c - 1] == domains[c - 1]:
                c -= 1
            bit = 1 << r
            for x in range(c, d + 1):
                full_at[x] |= bit
        memo: dict = {}
        found = [0]

        def sweep(c: int, rows_in_play: int):
            key = (c, rows_in_play)
            if key in memo:
                return memo[key]
            if rows_in_play & full_at[c]:
                memo[key] = []
                return []
            groups: dict[int, int] = {}
            cover = self.cover[c]
            for k in _bits(domains[c]):
                sub = rows_in_play & cover[k]
                groups[sub] = groups.get(sub, 0) | (1 << k)
            merged: dict[tuple, int] = {}
            for sub, cells in groups.items():
                if found[0] >= limit:
                    break
                if sub == 0:
                    suffixes = [tuple(domains[c + 1:])]
                    found[0] += 1
                elif c + 1 < d:
                    suffixes = sweep(c + 1, sub)
                else:
                    suffixes = []
                for suffix in suffixes:
                    merged[suffix] = merged.get(suffix, 0) | cells
            result = [(cells,) + suffix for suffix, cells in merged.items()]
            memo[key] = result
            return result

        return sweep(0, active)

    def covered(self, box: list[int], active: int) -> bool:
        return not self.gaps(active, box, limit=1)

    def describe_box(self, box, domains=None) -> tuple[str, int]:
        parts, first = [], None
        domains = domains or self.domains
        for c, (col, mask) in enumerate(zip(self.columns, box)):
            if mask == domains[c] and len(self.columns) > 1:
                continue
            if first is None:
                first = c
            parts.append(f"{col.name} {col.describe(mask)}")
        if not parts:
            return "elke invoer", 0
        if len(parts) == 1:
            return parts[0], first
        return "de combinatie " + ", ".join(parts[:-1]) + " en " + parts[-1], first

    # -- priorities (P) --------------------------------------------------------
    def priority(self, r: int):
        rule = self.table.rules[r]
        key = []
        for name, ast in zip(self.table.outputs, rule.output_asts):
            if not isinstance(ast, feel.Literal):
                return None
            order = self.table.output_priorities.get(name, ())
            key.append(order.index(ast.value) if ast.value in order else len(order))
        return tuple(key)


def _produced(model: RuleSetModel, earlier: list[Table], name: str, complete=None):
    """The values earlier tables can give ``name``, when all of them are constants; else None.

    ``complete`` names the earlier tables without gaps: only a table with gaps can leave the output empty.
    """
    values, seen = [], False
    for table in earlier:
        if name not in table.outputs:
            continue
        if table.hit_policy not in ("U", "A", "P", "F"):
            return None
        seen = True
        col = table.outputs.index(name)
        for rule in table.rules:
            ast = rule.output_asts[col] if col < len(rule.output_asts) else None
            if not isinstance(ast, feel.Literal):
                return None
            values.append(ast.value)
        if complete is None or table.name not in complete:
            values.append(None)   # some input matches no row: the output has no value
    return values if seen else None


# ---------------------------------------------------------------- findings

def _table_findings(model: RuleSetModel, table: Table, earlier: list[Table], complete: set) -> list[Finding]:
    if not table.rules or any(len(r.test_asts) != len(table.inputs) for r in table.rules):
        return []
    an = TableAnalysis(model, table, earlier, complete)
    findings: list[Finding] = []
    sheet = table.position.sheet
    policy = table.hit_policy
    rules = table.rules

    # rows that match nothing inside the declared values
    for r, row in enumerate(an.rows):
        if not an.empty[r]:
            continue
        c = next(c for c, m in enumerate(row) if m is not None and m == 0)
        col, rule = an.columns[c], rules[r]
        why = (f"de Toegestane waarden van '{col.name}' ({col.var.allowed_text})" if col.var.allowed_text
               else f"de waarden die '{col.name}' kan hebben")
        findings.append(Finding(
            WARNING, "never-fires",
            f"Regel {rule.id} in tabel '{table.name}' is nooit van toepassing: de voorwaarde "
            f"'{rule.input_texts[c]}' voor {col.name} valt helemaal buiten {why}. Pas de voorwaarde aan of "
            "verwijder de regel.", rule.input_positions[c].sheet, rule.input_positions[c].cell, rule.id))

    pairs = list(an.intersecting_pairs()) if policy in ("U", "A", "F", "P") else []

    # overlaps under U and A
    if policy in ("U", "A"):
        reported = 0
        conflicting = [(i, j) for i, j in pairs
                       if policy == "U" or rules[i].output_texts != rules[j].output_texts]
        for i, j in conflicting:
            if reported >= MAX_OVERLAPS_PER_TABLE:
                break
            a, b = rules[i], rules[j]
            label = "U (uniek)" if policy == "U" else "A (alle toepasselijke regels dezelfde uitkomst)"
            extra = ""
            if an.contains(i, j):
                extra = f" Regel {b.id} valt zelfs helemaal binnen regel {a.id}."
            elif an.contains(j, i):
                extra = f" Regel {a.id} valt zelfs helemaal binnen regel {b.id}."
            findings.append(Finding(
                ERROR, "overlap",
                f"Regels {a.id} en {b.id} in tabel '{table.name}' zijn allebei van toepassing, bijvoorbeeld bij "
                f"{an.witness(i, j)}. Onder hit policy {label} mag dat niet: maak de voorwaarden elkaar "
                f"uitsluitend.{extra}", b.position.sheet, b.position.cell, b.id))
            reported += 1
        if len(conflicting) > reported:
            findings.append(Finding(
                ERROR, "overlap",
                f"Tabel '{table.name}' heeft nog {len(conflicting) - reported} andere paren overlappende regels "
                "(hierboven staan de eerste). Maak de voorwaarden elkaar uitsluitend.", sheet, table.position.cell))

    # rows that can never fire: masked (F, P) or redundant (A)
    if policy in ("F", "P", "A"):
        neighbours = [0] * an.n
        for i, j in pairs:
            neighbours[i] |= 1 << j
            neighbours[j] |= 1 << i
        priorities = [an.priority(r) for r in range(an.n)] if policy == "P" else []
        reported = 0
        for r, rule in enumerate(rules):
            if an.empty[r]:
                continue
            if reported >= MAX_NEVER_FIRES_PER_TABLE:
                findings.append(Finding(
                    WARNING, "never-fires",
                    f"Tabel '{table.name}' heeft mogelijk nog meer regels die nooit afgaan (de controle stopt na "
                    f"{MAX_NEVER_FIRES_PER_TABLE}); los eerst de bovenstaande op.", sheet, table.position.cell))
                break
            box = [(m if m is not None else col.domain) & p for m, col, p in zip(an.rows[r], an.columns, an.primary)]
            if not all(box):
                continue   # matches only fractions of a whole-number input
            if policy == "F":
                active = neighbours[r] & ((1 << r) - 1)
            elif policy == "P":
                mine = priorities[r]
                active = 0
                if mine is not None:
                    for j in _bits(neighbours[r]):
                        theirs = priorities[j]
                        if theirs is not None and (theirs < mine or (theirs == mine and j < r)):
                            active |= 1 << j
            else:  # A: earlier rows with the same outputs make this one redundant
                active = 0
                for j in _bits(neighbours[r] & ((1 << r) - 1)):
                    if rules[j].output_texts == rule.output_texts:
                        active |= 1 << j
            if not active or not an.covered(box, active):
                continue
            alone = [j for j in _bits(active) if an.box_within(box, j)]
            by = [rules[j].id for j in (alone or _bits(active))]
            names = ", ".join(by[:6]) + (" en andere" if len(by) > 6 else "")
            if policy == "F":
                why = (f"elke invoer die regel {rule.id} raakt, wordt al eerder afgevangen door {names} "
                       "(bij hit policy F telt alleen de eerste regel die van toepassing is)")
                todo = "Zet de regel hoger in de tabel, maak de voorwaarden van de eerdere regels smaller, of verwijder hem."
            elif policy == "P":
                why = (f"bij elke invoer die regel {rule.id} raakt, is ook {names} van toepassing met een uitkomst die "
                       "volgens de volgorde van de Toegestane waarden voorrang heeft (hit policy P)")
                todo = "Pas de voorwaarden of de volgorde van de toegestane uitkomsten aan, of verwijder de regel."
            else:
                why = f"{names} geeft voor al deze invoer al dezelfde uitkomst"
                todo = "De regel is overbodig; verwijder hem of maak hem specifieker."
            findings.append(Finding(
                WARNING, "never-fires",
                f"Regel {rule.id} in tabel '{table.name}' gaat nooit af: {why}. {todo}",
                rule.position.sheet, rule.position.cell, rule.id))
            reported += 1

    # gaps (U, A, P, F; collect policies may legitimately match nothing)
    if policy in ("U", "A", "P", "F"):
        gaps = _gap_findings(an, table)
        findings += gaps
        if not an.opaque and not any(f.code == "gap" for f in gaps):
            complete.add(table.name)

    if an.opaque:
        findings.append(Finding(
            INFO, "analysis-partial",
            f"Tabel '{table.name}' bevat voorwaarden die naar andere invoer verwijzen of die niet statisch te "
            "ontleden zijn; die zijn bij de controle op overlap en gaten niet volledig meegenomen.",
            sheet, table.position.cell))
    return findings


def _gap_findings(an: TableAnalysis, table: Table) -> list[Finding]:
    findings: list[Finding] = []
    cols = an.columns
    all_rows = (1 << an.n) - 1
    frac, primary = an.fraction_cells, an.primary
    if any(dom == 0 for dom in primary):
        return findings
    boxes = an.gaps(all_rows, primary)
    shown = boxes[:MAX_GAPS_PER_TABLE]
    for box in shown:
        text, c = an.describe_box(box, primary)
        pos = cols[c].position if cols else table.position
        findings.append(Finding(
            WARNING, "gap",
            f"Tabel '{table.name}': {text} valt onder geen enkele regel. Voeg een regel toe voor deze situatie, "
            "of beperk de Toegestane waarden in de Glossary als deze invoer niet kan voorkomen.",
            pos.sheet, pos.cell))
    if len(boxes) > len(shown):
        more = f"{len(boxes) - len(shown)}" + (" of meer" if len(boxes) >= _GAP_SEARCH_LIMIT else "")
        findings.append(Finding(WARNING, "gap",
                                f"Tabel '{table.name}' heeft nog {more} andere gaten (hierboven staan de eerste).",
                                table.position.sheet, table.position.cell))
    # fractions between whole-number bands: once per column, as info
    for c, col in enumerate(cols):
        if not frac[c] & an.domains[c] or col.var.type == TYPE_INTEGER:   # "geheel getal": no fractions exist
            continue
        domains = list(primary)
        domains[c] = frac[c] & an.domains[c]
        found = an.gaps(all_rows, domains, limit=50)
        if not found:
            continue
        masks = 0
        for box in found:
            masks |= box[c]
        ranges = ", ".join(col._range(k, k) for k in _bits(masks))
        findings.append(Finding(
            INFO, "gap-fraction",
            f"Tabel '{table.name}': als '{col.name}' ook een niet-geheel getal kan zijn, valt {col.name} "
            f"{ranges} onder geen enkele regel. Is {col.name} altijd een geheel getal, geef het dan het type "
            "'geheel getal' in de Glossary (dan weigert Regelbank breuken); anders: laat de bereiken op elkaar aansluiten, bijvoorbeeld [0..18) en [18..65) in plaats van [0..17] en [18..64].",
            col.position.sheet, col.position.cell))
    return findings


def analyse(model: RuleSetModel) -> list[Finding]:
    """Overlaps, gaps and rows that never fire, for every table of a loaded model."""
    findings: list[Finding] = []
    complete: set = set()   # tables where every declared input matches some row
    for index, table in enumerate(model.tables):
        findings += _table_findings(model, table, model.tables[:index], complete)
    return findings
