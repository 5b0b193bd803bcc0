"""Batch evaluation, vectorised over columns with NumPy.

``evaluate_many(rules, cases)`` evaluates a list of input dicts. The cases are turned into
columns (one per input); each table is matched for all cases at once, using the same compiled
index as single evaluation (engine.evaluate.TablePlan: per input column the constants of the
tests cut the value line into segments, each with the bitmask of rules whose test is true
there). For a column that becomes one ``searchsorted`` (numbers) or one dict lookup per value
(texts), and the rules that match are the AND of the masks, as uint64 words.

What the vector path does not cover is evaluated per case, by the ordinary ``RuleSet.evaluate``,
so results, errors and messages are identical to single evaluation:

- a case with anything unusual in its inputs (a missing input without default, an unknown
  name, a wrong type, a value outside the allowed values, a float or Decimal where the
  compiled index would have to round, a value beyond 2**53);
- a case for which a table finds more than one rule under a policy other than F (U and A
  violations raise there, with their message; collect policies aggregate there);
- a table whose tests refer to other variables, or whose outputs are computed: that table is
  evaluated per case for the batch (the other tables stay vectorised).

The result is a ``BatchResult``: a sequence of ``Result`` (or the exception, with
``on_error="return"``), built lazily from the columns, plus the columns themselves
(``outputs``, ``fired_ids``) for callers that want them without building a Result per case.
"""
from __future__ import annotations

from operator import itemgetter
from decimal import Decimal
from typing import Iterable

import numpy as np

from . import feel
from .evaluate import (EvaluationError, Result, _Masker, _rule_outputs, _test_constants, apply_hit_policy,
                       model_plans)
from .explain import explain
from .inputs import InputError, prepare_inputs
from .model import TYPE_ANY, TYPE_BOOLEAN, TYPE_INTEGER, TYPE_MONEY, TYPE_NUMBER, TYPE_TEXT

_MISSING = object()
_EXACT = 2 ** 53

if hasattr(np, "bitwise_count"):           # NumPy >= 2.0
    _popcount = np.bitwise_count
else:                                      # pragma: no cover - NumPy 1.x
    def _popcount(words):
        words = np.ascontiguousarray(words, dtype=np.uint64)
        return np.unpackbits(words.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1).astype(np.uint64)
_NOT_DONE = object()


# ---------------------------------------------------------------- plan (cached per model)

def _float_exact(points) -> bool:
    """True when every point compares with ints and floats in float64 exactly as with Decimal."""
    for p in points:
        if isinstance(p, int):
            if abs(p) >= _EXACT:
                return False
        elif isinstance(p, Decimal):
            if len(p.as_tuple().digits) > 15 or abs(p) >= _EXACT:
                return False
        else:
            return False
    return True


class _Codes(dict):
    """Text -> row; a text no test names gets the row 'other' (looked up via map(), in C)."""
    other = 0

    def __missing__(self, key):
        return self.other


class _Column:
    """How one masker is looked up for a whole column."""

    __slots__ = ("name", "kind", "table", "none_row", "points", "float_points", "codes", "masker")

    def __init__(self, masker: _Masker, words: int):
        self.name, self.kind, self.masker = masker.name, masker.kind, masker
        if masker.kind == "number":
            masks = list(masker.segments)
            self.points = masker.points
            self.float_points = np.array([float(p) for p in masker.points]) if _float_exact(masker.points) else None
        elif masker.kind == "str":
            keys = list(masker.lookup)
            self.codes = _Codes({k: i for i, k in enumerate(keys)})
            self.codes.other = len(keys)
            masks = [masker.lookup[k] for k in keys] + [masker.other]
        else:  # bool: row 0 False, row 1 True
            masks = [masker.lookup[False], masker.lookup[True]]
        none_mask = masker.slow(None, {}, (1 << (64 * words)) - 1)
        masks.append(none_mask)
        self.none_row = len(masks) - 1
        self.table = _words(masks, words)


def _words(masks: list[int], words: int) -> np.ndarray:
    out = np.zeros((len(masks), words), dtype=np.uint64)
    for row, mask in enumerate(masks):
        for w in range(words):
            out[row, w] = (mask >> (64 * w)) & 0xFFFFFFFFFFFFFFFF
    return out


class _TableVec:
    def __init__(self, table, plan, single, money):
        self.table, self.plan, self.single, self.money = table, plan, single, money
        n = len(table.rules)
        self.words = max(1, (n + 63) // 64)
        self.columns = []
        self.vector = plan.fully_indexed and all(m.kind in ("number", "str", "bool") for m in plan.maskers)
        if self.vector:
            self.columns = [_Column(m, self.words) for m in plan.maskers]
        # outputs of each rule when it is the only match (any policy), money normalised as evaluate_model does
        self.single_outputs = []
        self.computed = []          # rules whose outputs are expressions: computed per case, after matching
        for rule in table.rules:
            constant = all(isinstance(ast, feel.Literal) for ast in rule.output_asts)
            try:
                _, outs = apply_hit_policy(table, [rule], {}) if constant else (None, None)
            except (ValueError, EvaluationError, feel.FeelEvaluationError, ArithmeticError):
                outs, constant = None, False
            if not constant:
                if table.hit_policy not in ("U", "A", "F", "P"):
                    self.vector = False
                    break
                self.computed.append(rule.index)
                self.single_outputs.append({name: None for name in table.outputs})
                continue
            self.single_outputs.append({k: (feel.number(v) if k in money and isinstance(v, Decimal) else v)
                                        for k, v in outs.items()})
        _, empty = apply_hit_policy(table, [], {})
        self.empty_outputs = empty
        self.first_ok = table.hit_policy == "F"


class _Allowed:
    """The glossary's allowed values of one input, checked for a whole column."""

    def __init__(self, var):
        self.var = var
        self.column = None
        self.per_value = False
        if var.allowed is None:
            return
        try:
            ast = feel.parse_unary_tests(var.allowed_text or "")
        except feel.FeelSyntaxError:
            ast = None
        constants = _test_constants(ast) if ast is not None else None
        if constants is None:
            self.per_value = None  # cannot be checked column-wise: cases go per case
            return
        masker = _Masker(0, var.name, 0, [(1, 0, var.allowed)])
        if constants:
            masker.build_index(constants)
        if masker.indexed and masker.kind in ("number", "str", "bool"):
            self.column = _Column(masker, 1)
        else:
            self.per_value = True


class VectorPlan:
    def __init__(self, rules):
        model = rules.model
        self.input_names = list(rules._input_names)
        self.variables = [model.variables[n] for n in self.input_names]
        self.tables = [_TableVec(*p) for p in model_plans(model)]
        self.allowed = [_Allowed(v) for v in self.variables]
        self.usable = all(a.per_value is not None for a in self.allowed) and \
            all(v.type in (TYPE_NUMBER, TYPE_INTEGER, TYPE_MONEY, TYPE_TEXT, TYPE_BOOLEAN, TYPE_ANY) for v in self.variables)
        self.output_order = []
        for table in model.tables:
            for name in table.outputs:
                if name not in self.output_order:
                    self.output_order.append(name)


def vector_plan(rules) -> VectorPlan:
    plan = rules.__dict__.get("_vector_plan")
    if plan is None:
        plan = VectorPlan(rules)
        rules.__dict__["_vector_plan"] = plan
    return plan


# ---------------------------------------------------------------- columns

class _Data:
    """One column of values with its derived forms, computed once and shared by every test of it."""

    __slots__ = ("values", "kind", "_floats", "_codes", "_distinct")

    def __init__(self, values: list, kind: str):
        self.values, self.kind = values, kind
        self._floats = self._codes = self._distinct = None

    def floats(self) -> np.ndarray:
        if self._floats is None:
            try:
                if self.kind == "num":   # float() per Decimal beats NumPy's object conversion twice over
                    self._floats = np.fromiter(map(float, self.values), dtype=np.float64, count=len(self.values))
                else:
                    self._floats = np.asarray(self.values, dtype=np.float64)
            except (ValueError, TypeError, OverflowError):   # sNaN and the like: NaN, redone per case
                self._floats = np.fromiter(map(_as_float, self.values), dtype=np.float64, count=len(self.values))
        return self._floats

    def codes(self) -> tuple[np.ndarray, list]:
        """A small integer per distinct text, and the distinct texts in code order."""
        if self._codes is None:
            seen = _Numbering()
            self._codes = np.fromiter(map(seen.__getitem__, self.values), dtype=np.int64, count=len(self.values))
            self._distinct = list(seen)
        return self._codes, self._distinct


def _as_float(v) -> float:
    try:
        return float(v)
    except (ValueError, TypeError, OverflowError):
        return float("nan")


class _Numbering(dict):
    def __missing__(self, key):
        value = self[key] = len(self)
        return value


def _segments(col: _Column, data: "_Data", bad: np.ndarray) -> np.ndarray:
    """Row of ``col.table`` for each value (bad values: row of None; they are redone per case anyway)."""
    values, kinds = data.values, data.kind
    n = len(values)
    if col.kind == "number":
        if kinds in ("int", "num") and col.float_points is not None:
            arr = data.floats()
            fp = col.float_points
            i = np.searchsorted(fp, arr, side="left")
            eq = fp[np.minimum(i, len(fp) - 1)] == arr
            rows = np.where(eq, 2 * i + 1, 2 * i)
            if kinds == "num" and eq.any():
                # rounding to float64 keeps order but can make a decimal equal to a point it is not
                # equal to (0.1000000000000000001 vs 0.1): those few are placed exactly
                from bisect import bisect_left
                points, k = col.points, len(col.points)
                for j in np.flatnonzero(eq).tolist():
                    v = values[j]
                    at = bisect_left(points, v)
                    rows[j] = 2 * at + 1 if at < k and points[at] == v else 2 * at
            return rows
        from bisect import bisect_left
        points, out = col.points, np.empty(n, dtype=np.int64)
        k = len(points)
        for j, v in enumerate(values):
            if v.__class__ is int or v.__class__ is Decimal:
                i = bisect_left(points, v)
                out[j] = 2 * i + 1 if i < k and points[i] == v else 2 * i
            else:
                if v is not None:
                    bad[j] = True  # a value of another kind: per case, where the tests say what it means
                out[j] = col.none_row
        return out
    if col.kind == "str":
        codes = col.codes
        if kinds == "str":
            local, distinct = data.codes()
            translate = np.fromiter(map(codes.__getitem__, distinct), dtype=np.int64, count=len(distinct))
            return translate[local]
        out = np.fromiter((codes[v] if v.__class__ is str else col.none_row for v in values),
                          dtype=np.int64, count=n)
    elif kinds == "bool":
        return np.fromiter(values, dtype=np.int64, count=n)
    else:
        out = np.fromiter((int(v) if v is True or v is False else col.none_row for v in values), dtype=np.int64,
                          count=n)
    for j in np.flatnonzero(out == col.none_row).tolist():
        if values[j] is not None:
            bad[j] = True
    return out


def _column_kind(values: list) -> str:
    classes = set(map(type, values))
    if classes == {int}:
        return "int"
    if classes == {Decimal} or classes == {int, Decimal}:
        return "num"    # exact decimals (what CSV and JSON amounts become): compared via float64, ties exactly
    if classes == {str}:
        return "str"
    if classes == {bool}:
        return "bool"
    return "mixed"


def _prepare(plan: VectorPlan, cases, bad: np.ndarray, given: dict | None = None) -> dict:
    """Input columns (defaults filled in) and their kinds; marks cases needing per-case treatment in ``bad``.
    ``given``: the cases as columns already (evaluate_columns), only input names as keys."""
    n = len(cases)
    columns = {}
    if given is None:
        expected = len(plan.input_names)
        lens = np.fromiter(map(len, cases), dtype=np.int64, count=n)
        check_keys = bool((lens != expected).any())
    else:
        check_keys = False
    for name, var, allowed in zip(plan.input_names, plan.variables, plan.allowed):
        if given is not None:
            values = given.get(name)
            if values is None:
                values = [_MISSING] * n
        else:
            try:
                values = list(map(itemgetter(name), cases))
            except KeyError:
                values = [c.get(name, _MISSING) for c in cases]
        kind = _column_kind(values)
        if kind == "mixed":
            values = list(values)
            default = var.default if var.has_default else _MISSING
            for j, v in enumerate(values):
                if v is _MISSING or v is None:
                    if v is _MISSING and given is None:
                        check_keys = True
                    if default is _MISSING:
                        bad[j] = True
                    values[j] = None if default is _MISSING else default
            kind = _column_kind(values)
        # type check against the glossary type (None: not given, and the Glossary default is "no value")
        data = None
        none_ok = var.has_default and var.default is None
        t = var.type
        if t in (TYPE_NUMBER, TYPE_INTEGER, TYPE_MONEY) or (t == TYPE_ANY and kind == "int"):
            if kind != "int":
                # decimals as the single path reads them: whole ones become int (0.00 -> 0), and a
                # fraction for a "geheel getal" goes to the per-case path, which names the error
                values = [feel.number(v) if v.__class__ is Decimal else v for v in values]
                if t == TYPE_INTEGER:
                    for j, v in enumerate(values):
                        if v.__class__ is Decimal:
                            bad[j] = True
                kind = _column_kind(values)
            if kind == "num":
                data = _Data(values, kind)
                floats = data.floats()
                for j in np.flatnonzero(~np.isfinite(floats) | (np.abs(floats) >= _EXACT)).tolist():
                    bad[j] = True   # NaN, infinity, huge: per case, where the input checks say what is wrong
            elif kind != "int":   # mixed: ints and exact decimals stay on the vector path (placed one by one)
                for j, v in enumerate(values):
                    if not ((v.__class__ is int or (v.__class__ is Decimal and v.is_finite())) and abs(v) < _EXACT) \
                            and not (v is None and none_ok):
                        bad[j] = True
            else:
                data = _Data(values, kind)
                if values and np.abs(data.floats()).max() >= _EXACT:
                    for j, v in enumerate(values):
                        if abs(v) >= _EXACT:
                            bad[j] = True
        elif t == TYPE_TEXT or (t == TYPE_ANY and kind == "str"):
            if kind != "str":
                for j, v in enumerate(values):
                    if v.__class__ is not str and not (v is None and none_ok):
                        bad[j] = True
        elif t == TYPE_BOOLEAN:
            if kind != "bool":
                for j, v in enumerate(values):
                    if v is not True and v is not False and not (v is None and none_ok):
                        bad[j] = True
        else:
            bad[:] = True
        data = columns[name] = _Data(values, kind) if data is None or data.values is not values else data
        if allowed.column is not None:
            rows = _segments(allowed.column, data, bad)
            ok = allowed.column.table[rows, 0] != 0
            if none_ok and kind == "mixed":
                ok |= np.fromiter((v is None for v in values), dtype=bool, count=n)
            bad |= ~ok
        elif allowed.per_value:
            test = var.allowed
            for j, v in enumerate(values):
                if not bad[j] and test(v, {}) is not True and not (v is None and none_ok):
                    bad[j] = True
    if check_keys:
        known = set(plan.input_names)
        for j, c in enumerate(cases):
            if not c.keys() <= known:
                bad[j] = True
    return columns


# ---------------------------------------------------------------- evaluation

def _ctz(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index of the lowest set bit over all words, number of set bits) per row."""
    n, w = words.shape
    first = np.full(n, -1, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    for k in range(w):
        word = words[:, k]
        count += _popcount(word)
        low = word & (~word + np.uint64(1))
        idx = _popcount(low - np.uint64(1)).astype(np.int64) + 64 * k
        take = (first < 0) & (word != 0)
        first[take] = idx[take]
    return first, count


class BatchResult:
    """A sequence of Result (or exceptions) for a batch, materialised lazily from columns."""

    def __init__(self, rules, cases, columns, fired, done, unmatched_tables, output_order, redone=None):
        self._rules, self._cases = rules, cases
        self.columns = columns            # name -> list of values (inputs and outputs), per case
        self._fired = fired               # per table: list (per case) of tuple of rule indices
        self._done = done                 # per case: Result/exception from per-case evaluation, or _NOT_DONE
        self._unmatched = unmatched_tables
        self._output_order = output_order
        self._cache: dict = {}
        self._redone = [j for j, d in enumerate(done) if d is not _NOT_DONE] if redone is None else redone
        self._columnar = None

    def __len__(self) -> int:
        return len(self._cases)

    def __iter__(self):
        for i in range(len(self._cases)):
            yield self[i]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        done = self._done[i]
        if done is not _NOT_DONE:
            return done
        hit = self._cache.get(i)
        if hit is None:
            hit = self._cache[i] = self._build(i)
        return hit

    def _build(self, i: int) -> Result:
        rules = self._rules
        model = rules.model
        outputs = {name: self.columns[name][i] for name in self._output_order}
        trace, unmatched = [], []
        for (table, plan, *_), fired in zip(model_plans(model), self._fired):
            indices = fired[i]
            if indices.__class__ is not tuple:   # a vectorised table: one rule index, -1 for none
                indices = (int(indices),) if indices >= 0 else ()
            if not indices:
                unmatched.append(table.name)
            for r in indices:
                trace.append(plan.fired_objects[r])
        # the inputs as evaluate() holds them (Decimal('0.00') given for a whole number is 0 there, and so
        # in the explanation); the case passed the column checks, so this does not raise
        inputs = prepare_inputs(model, self._cases[i], rules._input_names)
        return Result(outputs, trace, None, inputs, unmatched, lambda: explain(model, outputs, trace, unmatched, inputs))

    def ok(self, i: int) -> bool:
        return not isinstance(self[i], Exception)

    @property
    def outputs(self) -> dict:
        """Output columns: name -> list of values per case (None for a case that raised)."""
        out = {}
        for name in self._output_order:
            col = list(self.columns[name])
            for j, done in enumerate(self._done):
                if done is not _NOT_DONE:
                    col[j] = None if isinstance(done, Exception) else done.outputs.get(name)
            out[name] = col
        return out

    def fired_ids(self, i: int) -> list[str]:
        result = self[i]
        return [] if isinstance(result, Exception) else [f.rule for f in result.fired]

    def columnar(self) -> "Columns":
        """Every case's outputs, fired rule ids and error as columns, without a Result per case."""
        if self._columnar is None:
            self._columnar = _columnar(self)
        return self._columnar


class Columns:
    """The columnar form of a batch: one list per output, one per table, one for errors.

    - ``outputs``: output name -> list of values per case (None for a case that failed);
    - ``fired``: table name -> list per case of the rule id that fired (None: no rule), or a tuple
      of rule ids for a table whose hit policy collects several;
    - ``errors``: list per case of the exception (InputError/EvaluationError) or None;
    - ``fired_ids(i)``: the rule ids of case ``i`` over all tables, in table order.
    """

    __slots__ = ("outputs", "fired", "errors", "tables")

    def __init__(self, outputs: dict, fired: dict, errors: list):
        self.outputs, self.fired, self.errors = outputs, fired, errors
        self.tables = list(fired)

    def __len__(self) -> int:
        return len(self.errors)

    def fired_ids(self, i: int) -> list[str]:
        out = []
        for name in self.tables:
            hit = self.fired[name][i]
            if hit.__class__ is tuple:
                out.extend(hit)
            elif hit is not None:
                out.append(hit)
        return out

    def unmatched(self, i: int) -> list[str]:
        """Tables in which no rule applied to case ``i`` (not for a case that failed)."""
        if self.errors[i] is not None:
            return []
        return [name for name in self.tables if self.fired[name][i] is None]


def _columnar(batch: BatchResult) -> Columns:
    n = len(batch)
    model = batch._rules.model
    outputs = {name: batch.columns[name] for name in batch._output_order}
    fired: dict = {}
    for (table, plan, *_), col in zip(model_plans(model), batch._fired):
        ids = [r.id for r in table.rules]
        if isinstance(col, np.ndarray):    # vectorised: one rule index per case, -1 for none
            fired[table.name] = np.array(ids + [None], dtype=object).take(col).tolist()
        else:
            fired[table.name] = [ids[t[0]] if len(t) == 1 else (tuple(ids[i] for i in t) if t else None)
                                 for t in col]
    errors = [None] * n
    for j in batch._redone:
        done = batch._done[j]
        if isinstance(done, Exception):
            errors[j] = done
            for name in outputs:
                outputs[name][j] = None
            for name in fired:
                fired[name][j] = None
            continue
        for name in outputs:
            outputs[name][j] = done.outputs.get(name)
        by_table: dict = {}
        for f in done.fired:
            by_table.setdefault(f.table, []).append(f.rule)
        for name in fired:
            hit = by_table.get(name, ())
            fired[name][j] = hit[0] if len(hit) == 1 else (tuple(hit) if hit else None)
    return Columns(outputs, fired, errors)


MISSING = _MISSING    # in a column given to evaluate_columns: this case does not give this input


class _ColumnCases:
    """Cases held as columns (name -> list of values); a case's dict is built only when asked for."""

    def __init__(self, columns: dict, n: int):
        self.columns, self.n = columns, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, j: int) -> dict:
        return {name: values[j] for name, values in self.columns.items() if values[j] is not _MISSING}

    def __iter__(self):
        return map(self.__getitem__, range(self.n))


def evaluate_columns(rules, columns: dict, n: int, on_error: str = "raise") -> BatchResult:
    """evaluate_many for ``n`` cases given as columns (input name -> list of ``n`` values, ``MISSING``
    where a case leaves an input out): the same results, without a dict per case."""
    cases = _ColumnCases(columns, n)
    if set(columns) - set(rules._input_names):
        return evaluate_many(rules, list(cases), on_error)   # unknown names: the per-case checks say so
    return evaluate_many(rules, cases, on_error, columns)


def evaluate_many(rules, cases: Iterable[dict], on_error: str = "raise", _given: dict | None = None) -> BatchResult:
    if _given is None:
        cases = cases if isinstance(cases, list) else list(cases)
    n = len(cases)
    plan = vector_plan(rules)
    done = [_NOT_DONE] * n
    model_tables = model_plans(rules.model)
    bad = np.zeros(n, dtype=bool)
    columns: dict = {}
    if not plan.usable or (_given is None and set(map(type, cases)) - {dict}):
        bad[:] = True      # inputs the column path cannot check (dates, non-dict cases): every case per case
    if not bad.all():
        columns = _prepare(plan, cases, bad, _given)
    fired_all = []
    if not bad.all():
        for tv in plan.tables:
            table = tv.table
            if tv.vector and all(c.name in columns for c in tv.columns):
                words = np.full((n, tv.words), np.uint64(0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
                if not tv.columns:
                    words = _words([tv.plan.all] * 1, tv.words).repeat(n, axis=0)
                for col in tv.columns:
                    rows = _segments(col, columns[col.name], bad)
                    words &= col.table[rows]
                first, count = _ctz(words)
                multi = count > 1
                if multi.any() and not tv.first_ok:
                    bad |= multi
                fired = first  # rule index per case, -1: no rule
                out_values = {}
                for name in table.outputs:
                    choices = np.empty(len(table.rules) + 1, dtype=object)
                    for k, o in enumerate(tv.single_outputs):
                        choices[k] = o[name]
                    choices[-1] = tv.empty_outputs[name]
                    out_values[name] = choices.take(first).tolist()   # -1 takes the last: the empty outputs
                recheck = False
                if tv.computed:
                    todo = np.flatnonzero(np.isin(first, tv.computed) & ~bad).tolist()
                    if todo:
                        recheck = True
                        lists = [(name, data.values) for name, data in columns.items()]
                        for j in todo:
                            context = {name: values[j] for name, values in lists}
                            try:
                                outs = _rule_outputs(table, table.rules[first[j]], context)
                            except EvaluationError:
                                bad[j] = True
                                continue
                            for name, value in outs.items():
                                if name in tv.money and isinstance(value, Decimal):
                                    value = feel.number(value)
                                out_values[name][j] = value
                for name, values in out_values.items():
                    if recheck:
                        kind = _column_kind(values)
                    else:
                        kind = _column_kind([tv.single_outputs[r][name] if r >= 0 else tv.empty_outputs[name]
                                             for r in np.unique(first).tolist()])
                    columns[name] = _Data(values, kind)
            else:
                fired = [()] * n
                out_cols = {name: [None] * n for name in table.outputs}
                lists = [(name, data.values) for name, data in columns.items()]
                for j in range(n):
                    if bad[j]:
                        continue
                    context = {name: values[j] for name, values in lists}
                    try:
                        mask = tv.plan.match_mask(context)
                        rules_fired, outs = apply_hit_policy(table, [table.rules[i] for i in _bits(mask)], context)
                    except (EvaluationError, feel.FeelEvaluationError, ArithmeticError):
                        bad[j] = True
                        continue
                    fired[j] = tuple(r.index for r in rules_fired)
                    for name, value in outs.items():
                        if name in tv.money and isinstance(value, Decimal):
                            value = feel.number(value)
                        out_cols[name][j] = value
                for name, values in out_cols.items():
                    columns[name] = _Data(values, _column_kind(values))
            fired_all.append(fired)
    else:
        fired_all = [[()] * n for _ in model_tables]
    redone = np.flatnonzero(bad).tolist()
    for j in redone:
        try:
            done[j] = rules.evaluate(cases[j])
        except (InputError, EvaluationError) as exc:
            if on_error != "return":
                raise
            done[j] = exc
    columns = {name: data.values for name, data in columns.items()}
    for name in plan.output_order:
        columns.setdefault(name, [None] * n)
    return BatchResult(rules, cases, columns, fired_all, done, None, plan.output_order, redone)


def _bits(mask: int):
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low
