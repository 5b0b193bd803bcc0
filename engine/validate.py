"""Table analysis beyond single cells: overlapping rows under hit policies U and A.

Each input test is turned into a set of values (numeric intervals, or a finite/co-finite set of
discrete values); two rows overlap when their sets intersect in every input column. The finding
names both rules and a concrete input that hits both, so a policy officer can see the overlap.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from . import feel
from .explain import format_nl
from .findings import ERROR, Finding
from .model import RuleSetModel, Table

INF = None  # an open end of an interval


@dataclass(frozen=True)
class Interval:
    low: object
    low_closed: bool
    high: object
    high_closed: bool

    def intersect(self, other: "Interval"):
        low, low_closed = self.low, self.low_closed
        if other.low is not INF and (low is INF or other.low > low or (other.low == low and not other.low_closed)):
            low, low_closed = other.low, other.low_closed
        high, high_closed = self.high, self.high_closed
        if other.high is not INF and (high is INF or other.high < high or (other.high == high and not other.high_closed)):
            high, high_closed = other.high, other.high_closed
        if low is not INF and high is not INF:
            if low > high or (low == high and not (low_closed and high_closed)):
                return None
        return Interval(low, low_closed, high, high_closed)

    def witness(self):
        """A value inside the interval (whole numbers preferred, since most inputs are counts)."""
        if self.low is INF and self.high is INF:
            return 0
        if self.low is INF:
            return self.high if self.high_closed else _step(self.high, -1)
        if self.high is INF:
            return self.low if self.low_closed else _step(self.low, 1)
        if self.low_closed:
            return self.low
        candidate = _step(self.low, 1)
        if candidate < self.high or (candidate == self.high and self.high_closed):
            return candidate
        return feel.number((self.low + self.high) / 2) if feel.is_number(self.low) else self.high


def _step(value, direction):
    if isinstance(value, _dt.date):
        return value + _dt.timedelta(days=direction)
    return value + direction


@dataclass(frozen=True)
class Discrete:
    values: frozenset
    negated: bool = False  # True: every value except these

    def intersect(self, other: "Discrete"):
        if not self.negated and not other.negated:
            values = self.values & other.values
            return Discrete(values) if values else None
        if self.negated and other.negated:
            return Discrete(self.values | other.values, True)
        positive, negative = (self, other) if not self.negated else (other, self)
        values = positive.values - negative.values
        return Discrete(values) if values else None

    def witness(self):
        if not self.negated:
            return sorted(self.values, key=repr)[0]
        return "(een andere waarde)"


ANY = "any"


def domain_of(ast):
    """The set of values a unary-test AST accepts, or None when it cannot be analysed statically."""
    if isinstance(ast, feel.AnyOf) and not ast.tests:
        return ANY
    negated = isinstance(ast, feel.Negation)
    parts = []
    for test in ast.tests:
        if isinstance(test, feel.Compare) and isinstance(test.operand, feel.Literal):
            value = test.operand.value
            if test.op == "=":
                parts.append(Discrete(frozenset([value])) if not _ordered(value) else Interval(value, True, value, True))
            elif test.op == "!=":
                parts.append(Discrete(frozenset([value]), True))
            elif _ordered(value):
                parts.append({"<": Interval(INF, False, value, False), "<=": Interval(INF, False, value, True),
                              ">": Interval(value, False, INF, False), ">=": Interval(value, True, INF, False)}[test.op])
            else:
                return None
        elif isinstance(test, feel.Interval) and isinstance(test.low, feel.Literal) and isinstance(test.high, feel.Literal):
            parts.append(Interval(test.low.value, test.low_closed, test.high.value, test.high_closed))
        else:
            return None
    if negated:
        if all(isinstance(p, Discrete) and not p.negated for p in parts):
            return [Discrete(frozenset().union(*(p.values for p in parts)), True)]
        return None
    return parts


def _ordered(value) -> bool:
    return feel.is_number(value) or isinstance(value, _dt.date)


def _intersect(a, b):
    """Intersection of two domains (lists of parts), as a list of parts; [] when empty."""
    if a == ANY:
        return b
    if b == ANY:
        return a
    out = []
    for x in a:
        for y in b:
            if type(x) is type(y):
                both = x.intersect(y)
                if both is not None:
                    out.append(both)
            elif isinstance(x, Discrete) and x.negated:   # "not(...)" vs a numeric range
                out.append(y)
            elif isinstance(y, Discrete) and y.negated:
                out.append(x)
    return out


def _witness(domain):
    if domain == ANY:
        return None
    return domain[0].witness()


def overlaps(table: Table):
    """Yield (rule_a, rule_b, witness inputs) for every pair of rules that can both match."""
    domains = [[domain_of(ast) for ast in rule.test_asts] for rule in table.rules]
    for i, rule_a in enumerate(table.rules):
        for j in range(i + 1, len(table.rules)):
            rule_b = table.rules[j]
            witness = {}
            for col, name in enumerate(table.inputs):
                da, db = domains[i][col], domains[j][col]
                if da is None or db is None:
                    witness = None
                    break
                both = _intersect(da, db)
                if not both:
                    witness = None
                    break
                value = _witness(both)
                if value is not None:
                    witness[name] = value
            if witness is not None:
                yield rule_a, rule_b, witness


def analyse(model: RuleSetModel) -> list[Finding]:
    findings = []
    for table in model.tables:
        if table.hit_policy not in ("U", "A"):
            continue
        for rule_a, rule_b, witness in overlaps(table):
            if table.hit_policy == "A" and rule_a.output_texts == rule_b.output_texts:
                continue
            example = ", ".join(f"{k} = {format_nl(v)}" for k, v in witness.items()) or "elke invoer"
            policy = "U (uniek)" if table.hit_policy == "U" else "A (elke regel dezelfde uitkomst)"
            findings.append(Finding(
                ERROR, "overlap",
                f"Regels {rule_a.id} en {rule_b.id} in tabel '{table.name}' zijn allebei van toepassing, "
                f"bijvoorbeeld bij {example}. Onder hit policy {policy} mag dat niet: maak de voorwaarden "
                "elkaar uitsluitend.", rule_b.position.sheet, rule_b.position.cell, rule_b.id))
    return findings
