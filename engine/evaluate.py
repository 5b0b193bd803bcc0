"""Evaluate a compiled rule-set model: chained decision tables, hit policies, and the trace.

The trace is produced by the evaluation itself: each table reports the rules it matched to the
evaluation listeners (Camunda style) as it goes. The decision log is one such listener, living
outside the engine, so the core knows nothing of storage.
"""
from __future__ import annotations

import datetime as _dt
import os
import threading
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal

from . import feel, numbers
from .model import RuleSetModel, Rule, Table, TYPE_MONEY


class EvaluationError(RuntimeError):
    """The rules themselves cannot decide this case (hit-policy violation, division by zero)."""

    def __init__(self, message: str, table: str | None = None, rules: list[str] | None = None):
        super().__init__(message)
        self.table = table
        self.rules = rules or []


class EvaluationListener:
    """Receives each table's matched rules during evaluation, then the finished result."""

    def table_evaluated(self, table: Table, matched: list[Rule], outputs: dict, context: dict) -> None:
        """Called after each table with the rules that fired and the outputs they gave."""

    def decision_evaluated(self, result: "Result") -> None:
        """Called once with the finished result (the decision log appends it here)."""


@dataclass(frozen=True, slots=True)
class Fired:
    """One fired rule in the trace. Immutable: the same instance may appear in many results."""

    table: str
    rule: str
    annotation: str
    source: str = ""
    row: int = 0                 # 0-based index of the rule in its table
    cell: str = ""               # sheet!cell of the rule id, for auditors

    def as_dict(self) -> dict:
        return {"table": self.table, "rule": self.rule, "annotation": self.annotation, "source": self.source,
                "cell": self.cell}


class Result:
    """One decision: outputs, the trace of fired rules (in order), and the Dutch explanation.

    The explanation is rendered from the trace on first access (``explain`` is given as a callable),
    so a caller that only needs outputs and trace (batches, benchmarks) does not pay for the text.
    """

    __slots__ = ("outputs", "fired", "_explanation", "_explain", "inputs", "unmatched")

    def __init__(self, outputs: dict, fired: list, explanation: str | None = None, inputs: dict | None = None,
                 unmatched: list | None = None, explain=None):
        self.outputs = outputs
        self.fired = fired
        self._explanation = explanation
        self._explain = explain
        self.inputs = {} if inputs is None else inputs           # the inputs as used, defaults filled in
        self.unmatched = [] if unmatched is None else unmatched  # tables where no rule applied

    @property
    def explanation(self) -> str:
        if self._explanation is None:
            self._explanation = self._explain() if self._explain is not None else ""
            self._explain = None
        return self._explanation

    @explanation.setter
    def explanation(self, value: str) -> None:
        self._explanation, self._explain = value, None

    @property
    def decided(self) -> bool:
        """False when some table had no applicable rule ('geen regel van toepassing')."""
        return not self.unmatched

    def as_dict(self) -> dict:
        return {"outputs": self.outputs, "fired": [f.as_dict() for f in self.fired], "explanation": self.explanation,
                "decided": self.decided, "unmatched": self.unmatched}

    def __eq__(self, other) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (self.outputs, self.fired, self.explanation, self.inputs, self.unmatched) == \
            (other.outputs, other.fired, other.explanation, other.inputs, other.unmatched)

    __hash__ = None

    def __repr__(self) -> str:
        return f"Result(outputs={self.outputs!r}, fired={self.fired!r}, unmatched={self.unmatched!r})"


def matching_rules(table: Table, context: dict) -> list[Rule]:
    """The rules whose every input test is true, in table order (via the table's compiled index)."""
    plan = table_plan(table)
    mask = plan.match_mask(context)
    rules = table.rules
    return [rules[i] for i in _bits(mask)]


def matching_rules_reference(table: Table, context: dict) -> list[Rule]:
    """The plain definition: every rule's tests, one by one (used by tests to check the index)."""
    values = [context.get(name) for name in table.inputs]
    matched = []
    for rule in table.rules:
        for index, test in rule.tests:
            if test(values[index], context) is not True:
                break
        else:
            matched.append(rule)
    return matched


def _bits(mask: int):
    """Indices of the set bits of ``mask``, ascending."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


# ---------------------------------------------------------------- compiled table index
#
# Each table is compiled once (lazily, on first use) into a TablePlan: per input column a
# "masker" that maps the case's value to the set of rules whose test on that column is true,
# as an int bitmask (bit i = rule i). The rules that match a case are the AND of the masks.
#
# A column whose tests are all constant comparisons, ranges and lists (numbers, dates,
# strings, booleans) is indexed: the constants cut the value line into segments (points and
# the open stretches between them); within one segment every test gives the same answer, so
# each rule's own compiled test is evaluated once per segment, at load, on a representative
# value. A case then costs one bisect (or dict lookup) per column, whatever the number of rows.
# Columns with tests that refer to other variables or computed inputs are evaluated per rule,
# as before, but only for rules still alive after the indexed columns.

_NUMBER_CLASSES = (int, Decimal)


def _constant(node):
    try:
        return True, feel.literal_value(node)
    except feel.FeelSyntaxError:
        return False, None


def _test_constants(ast):
    """The constants of a unary-test AST, or None when the test is not a constant test."""
    if isinstance(ast, (feel.AnyOf, feel.Negation)):
        found = []
        for test in ast.tests:
            if isinstance(test, feel.Compare):
                ok, value = _constant(test.operand)
                if not ok:
                    return None
                found.append((test.op, value))
            elif isinstance(test, feel.Interval):
                ok_low, low = _constant(test.low)
                ok_high, high = _constant(test.high)
                if not (ok_low and ok_high):
                    return None
                found.append(("..", low))
                found.append(("..", high))
            else:
                return None
        return found
    return None


_FEEL_DIR = os.path.dirname(feel.__file__) + os.sep


def _from_feel(test) -> bool:
    """True for a test closure made by engine.feel's compiler (a pure function of the value when constant)."""
    code = getattr(test, "__code__", None)
    return code is not None and code.co_filename.startswith(_FEEL_DIR)


def _kind(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if feel.is_number(value):
        return "number"
    if isinstance(value, str):
        return "str"
    if type(value) is _dt.date:
        return "date"
    return "other"


class _Masker:
    """Maps one column's value to the bitmask of rules whose test on it is true."""

    __slots__ = ("column", "name", "indexed", "kind", "points", "segments", "lookup", "other", "tests", "fixed", "fn")

    def __init__(self, column: int, name: str, fixed: int, tests: list):
        self.column, self.name, self.fixed, self.tests = column, name, fixed, tests
        self.indexed, self.kind = False, None
        self.points, self.segments, self.lookup, self.other = (), (), {}, 0
        self.fn = self.slow

    def slow(self, value, context, alive: int) -> int:
        mask = self.fixed
        for bit, index, test in self.tests:
            if alive & bit and test(value, context) is True:
                mask |= bit
        return mask

    def __call__(self, value, context, alive: int) -> int:
        return self.fn(value, context, alive)

    def _specialise(self):
        """A closure for this column's lookup (no attribute lookups or kind dispatch per case)."""
        slow = self.slow
        if not self.indexed:
            return slow
        kind, points, segments, lookup, other = self.kind, self.points, self.segments, self.lookup, self.other
        n = len(points)
        if kind == "number":
            def number_mask(value, context, alive, _int=int, _dec=Decimal, _bisect=bisect_left):
                if value.__class__ is _int or value.__class__ is _dec:
                    i = _bisect(points, value)
                    return segments[2 * i + 1 if i < n and points[i] == value else 2 * i]
                return slow(value, context, alive)
            return number_mask
        if kind == "date":
            def date_mask(value, context, alive, _date=_dt.date, _bisect=bisect_left):
                if value.__class__ is _date:
                    i = _bisect(points, value)
                    return segments[2 * i + 1 if i < n and points[i] == value else 2 * i]
                return slow(value, context, alive)
            return date_mask
        if kind == "str":
            get = lookup.get

            def str_mask(value, context, alive, _str=str):
                if value.__class__ is _str:
                    return get(value, other)
                return slow(value, context, alive)
            return str_mask
        true_mask, false_mask = lookup[True], lookup[False]

        def bool_mask(value, context, alive):
            if value is True:
                return true_mask
            if value is False:
                return false_mask
            return slow(value, context, alive)
        return bool_mask

    # building -------------------------------------------------------------
    def _mask_for(self, representative) -> int:
        mask = self.fixed
        for bit, index, test in self.tests:
            if test(representative, {}) is True:
                mask |= bit
        return mask

    def build_index(self, constants: list) -> None:
        # a null test ('null', '= null') only matters for a null value, which always takes the slow path
        constants = [(op, value) for op, value in constants if value is not None]
        if not constants:
            return
        kinds = {_kind(value) for _, value in constants}
        if len(kinds) != 1:
            return
        kind = kinds.pop()
        if kind in ("number", "date"):
            points = sorted(set(value for _, value in constants))
            step = 1 if kind == "number" else _dt.timedelta(days=1)
            segments = [self._mask_for(points[0] - step)]      # below the lowest constant
            for i, point in enumerate(points):
                segments.append(self._mask_for(point))         # the constant itself
                if i + 1 < len(points):                       # the open stretch up to the next one
                    high = points[i + 1]
                    if kind == "number":
                        middle = feel.number((Decimal(point) + Decimal(high)) / 2)
                        segments.append(self._mask_for(middle) if point < middle < high else 0)
                    else:
                        segments.append(self._mask_for(point + step) if (high - point).days > 1 else 0)
            segments.append(self._mask_for(points[-1] + step))  # above the highest constant
            self.points, self.segments = tuple(points), tuple(segments)
        elif kind == "str":
            if any(op not in ("=", "!=") for op, _ in constants):
                return
            values = set(value for _, value in constants)
            self.lookup = {value: self._mask_for(value) for value in values}
            sentinel = "\x00"
            while sentinel in values:
                sentinel += "\x00"
            self.other = self._mask_for(sentinel)
        elif kind == "bool":
            if any(op not in ("=", "!=") for op, _ in constants):
                return
            self.lookup = {True: self._mask_for(True), False: self._mask_for(False)}
        else:
            return
        self.kind, self.indexed = kind, True
        self.fn = self._specialise()


class TablePlan:
    """A table compiled for matching: indexed maskers first, then per-rule ones."""

    def __init__(self, table: Table):
        self.table = table
        n = len(table.rules)
        self.all = (1 << n) - 1
        per_column: list[list] = [[] for _ in table.inputs]
        for rule in table.rules:
            for index, test in rule.tests:
                per_column[index].append((1 << rule.index, rule, test))
        indexed, general = [], []
        for column, entries in enumerate(per_column):
            if not entries:
                continue
            tested = 0
            for bit, _, _ in entries:
                tested |= bit
            masker = _Masker(column, table.inputs[column], self.all & ~tested,
                             [(bit, rule.index, test) for bit, rule, test in entries])
            constants = []
            ok = True
            for _, rule, test in entries:
                ast = rule.test_asts[column] if column < len(rule.test_asts) else None
                found = _test_constants(ast) if ast is not None else None
                if found is None or not _from_feel(test):
                    ok = False
                    break
                constants.extend(found)
            if ok and constants:
                masker.build_index(constants)
            (indexed if masker.indexed else general).append(masker)
        self.maskers = tuple(indexed + general)
        self.fully_indexed = not general
        self.steps = tuple((m.name, m.fn) for m in self.maskers)
        self.constant_outputs = []   # per rule: {output: value} when every output cell is a constant, else None
        for rule in table.rules:
            constant = {}
            for name, ast in zip(table.outputs, rule.output_asts):
                if isinstance(ast, feel.Literal):
                    constant[name] = ast.value
                else:
                    constant = None
                    break
            self.constant_outputs.append(constant if constant is not None and len(constant) == len(table.outputs)
                                         and len(rule.outputs) == len(table.outputs) else None)
        self.fired_objects = None  # filled below
        self.fired = [(table.name, rule.id, rule.annotation_with_source, rule.source, rule.index, str(rule.position))
                      for rule in table.rules]
        self.fired_objects = tuple(Fired(*f) for f in self.fired)

    def match_mask(self, context: dict) -> int:
        mask = self.all
        get = context.get
        for name, fn in self.steps:
            mask &= fn(get(name), context, mask)
            if not mask:
                break
        return mask


_PLAN_LOCK = threading.Lock()


def table_plan(table: Table) -> TablePlan:
    """The table's compiled plan, built once per table (thread-safe; the model is shared by threads)."""
    plan = table.__dict__.get("_plan")
    if plan is None or plan.table is not table or len(table.rules) != plan.all.bit_length():
        with _PLAN_LOCK:
            plan = table.__dict__.get("_plan")
            if plan is None or plan.table is not table or len(table.rules) != plan.all.bit_length():
                plan = TablePlan(table)
                table.__dict__["_plan"] = plan
    return plan


def _rule_outputs(table: Table, rule: Rule, context: dict) -> dict:
    result = {}
    for name, compute in zip(table.outputs, rule.outputs):
        try:
            value = compute(context)
        except (ArithmeticError, ValueError, TypeError, RecursionError, MemoryError) as exc:
            # FeelEvaluationError, decimal.Overflow/InvalidOperation, ...: this case, this cell
            raise EvaluationError(f"Regel {rule.id} in tabel '{table.name}' kan '{name}' niet berekenen: "
                                  f"{_reason(exc)}.", table.name, [rule.id]) from None
        if (value.__class__ is int and not -_BIG < value < _BIG) or (
                value.__class__ is Decimal and not _MIN_EXP <= value.adjusted() <= _MAX_EXP):
            raise EvaluationError(f"Regel {rule.id} in tabel '{table.name}' berekent voor '{name}' een getal dat te "
                                  f"groot is (meer dan {numbers.MAX_DIGITS} cijfers).", table.name, [rule.id])
        result[name] = value
    return result


_BIG = 10 ** numbers.MAX_DIGITS
_MIN_EXP, _MAX_EXP = numbers.MIN_EXPONENT, numbers.MAX_EXPONENT


def _reason(exc: BaseException) -> str:
    if isinstance(exc, feel.FeelEvaluationError) and str(exc):
        return str(exc)
    if isinstance(exc, (ArithmeticError, OverflowError)):
        return "de berekening valt buiten het bereik van getallen"
    if isinstance(exc, RecursionError):
        return "de berekening is te diep genest"
    return "de berekening is voor deze invoer niet mogelijk"


def _priority_key(table: Table, outputs: dict):
    key = []
    for name in table.outputs:
        order = table.output_priorities.get(name, ())
        value = outputs.get(name)
        key.append(order.index(value) if value in order else len(order))
    return tuple(key)


def apply_hit_policy(table: Table, matched: list[Rule], context: dict) -> tuple[list[Rule], dict]:
    """Return (fired rules, table outputs) for the matched rules under the table's hit policy."""
    policy = table.hit_policy
    if not matched:
        empty = 0 if policy == "C#" else None
        return [], {name: empty for name in table.outputs}
    if policy in ("U", "A", "F") or len(matched) == 1 and policy == "P":
        if policy == "U" and len(matched) > 1:
            ids = ", ".join(r.id for r in matched)
            raise EvaluationError(
                f"Tabel '{table.name}' (hit policy U) vindt meer dan één toepasselijke regel ({ids}); bij U mag dat "
                "niet. De regels overlappen: pas de tabel aan zodat precies één regel van toepassing is.",
                table.name, [r.id for r in matched])
        first = _rule_outputs(table, matched[0], context)
        if policy == "A" and len(matched) > 1:
            for other in matched[1:]:
                if _rule_outputs(table, other, context) != first:
                    raise EvaluationError(
                        f"Tabel '{table.name}' (hit policy A) vindt regels {matched[0].id} en {other.id} met verschillende "
                        "uitkomsten; bij A moeten alle toepasselijke regels dezelfde uitkomst geven.",
                        table.name, [matched[0].id, other.id])
            return matched, first
        return ([matched[0]] if policy == "F" else matched), first
    all_outputs = [(rule, _rule_outputs(table, rule, context)) for rule in matched]
    if policy == "P":
        rule, outputs = min(all_outputs, key=lambda ro: _priority_key(table, ro[1]))
        return [rule], outputs
    if policy == "O":
        all_outputs.sort(key=lambda ro: _priority_key(table, ro[1]))
    rules = [r for r, _ in all_outputs]
    if policy in ("R", "O", "C"):
        return rules, {name: [o[name] for _, o in all_outputs] for name in table.outputs}
    values = {name: [o[name] for _, o in all_outputs] for name in table.outputs}
    if policy == "C#":
        return rules, {name: len(set(map(_hashable, vs))) for name, vs in values.items()}
    aggregate = {"C+": lambda vs: feel.number(sum(vs)), "C<": min, "C>": max}[policy]
    out = {}
    for name, vs in values.items():
        vs = [v for v in vs if v is not None]
        try:
            out[name] = aggregate(vs) if vs else None
        except TypeError:
            raise EvaluationError(f"Tabel '{table.name}' (hit policy {policy}) kan de uitkomsten van '{name}' niet "
                                  "optellen of vergelijken; gebruik getallen.", table.name, [r.id for r in rules]) from None
    return rules, out


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


_SINGLE = ("U", "A", "F", "P")


def model_plans(model: RuleSetModel) -> tuple:
    """Per table, in order: (table, plan, single-hit policy?, money outputs); cached on the model."""
    cached = model.__dict__.get("_plans")
    if cached is not None and cached[0] is model.tables and cached[1] == len(model.tables):
        return cached[2]
    if True:
        plans = tuple((table, table_plan(table), table.hit_policy in _SINGLE,
                       frozenset(name for name in table.outputs
                                 if getattr(model.variables.get(name), "type", None) == TYPE_MONEY))
                      for table in model.tables)
        model.__dict__["_plans"] = (model.tables, len(model.tables), plans)
    return plans


def evaluate_model(model: RuleSetModel, context: dict, listeners=(), plans=None) -> tuple[dict, list[Fired], list[str]]:
    """Run the tables in order over ``context`` (mutated: outputs are added). Returns outputs, trace, unmatched."""
    outputs: dict = {}
    trace: list[Fired] = []
    unmatched: list[str] = []
    get = context.get
    for table, plan, single, money in plans or model_plans(model):
        mask = plan.all
        for name, fn in plan.steps:
            mask &= fn(get(name), context, mask)
            if not mask:
                break
        if single and mask and not mask & (mask - 1):
            # the common case: exactly one rule applies under a single-hit policy
            index = mask.bit_length() - 1
            trace.append(plan.fired_objects[index])
            table_outputs = plan.constant_outputs[index]
            if table_outputs is None:
                table_outputs = _rule_outputs(table, table.rules[index], context)
            fired = (table.rules[index],)
        else:
            fired, table_outputs = apply_hit_policy(table, [table.rules[i] for i in _bits(mask)], context)
            if not fired:
                unmatched.append(table.name)
            for rule in fired:
                trace.append(plan.fired_objects[rule.index])
        if money:
            for name, value in table_outputs.items():
                if name in money and isinstance(value, Decimal):
                    value = feel.number(value)
                context[name] = value
                outputs[name] = value
        else:
            context.update(table_outputs)
            outputs.update(table_outputs)
        if listeners:
            fired = list(fired)
            for listener in listeners:
                listener.table_evaluated(table, fired, dict(table_outputs), context)
    return outputs, trace, unmatched
