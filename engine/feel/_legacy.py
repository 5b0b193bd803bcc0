"""The former S-FEEL module (engine/feel.py), kept while the package replaces it piece by piece.

The one parser of cell expressions (S-FEEL), used by evaluation and validation alike.

A cell is parsed once, at load, into a small AST and compiled into a Python closure, so that
evaluation never re-reads text (pyDMNrules re-parses every cell on every call). Values:

- numbers are ``int`` when whole and ``Decimal`` otherwise, so arithmetic is exact decimal
  (3 * 12.34 == 37.02) and whole numbers stay whole;
- strings are data: an input value is never parsed as FEEL;
- ``None`` is FEEL null: comparisons with null are unknown and never match.

Supported: unary tests (``-``, comparisons, ranges with open and closed ends, lists,
``not(...)``, ``null``), literals (numbers, strings, booleans, ``date("...")``,
``duration("...")``), names of other variables (``Concept.Attribute`` too), arithmetic
``+ - * / **`` with brackets, comparisons, ``and``/``or`` between brackets, and the functions
listed in FUNCTIONS. Anything else raises FeelSyntaxError with a Dutch message.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext, ROUND_HALF_EVEN
from typing import Any, Callable

DECIMAL_PRECISION = 34  # DMN numbers are IEEE 754 decimal128


from .errors import FeelSyntaxError, FeelEvaluationError  # noqa: E402,F401 (one class each)


# ---------------------------------------------------------------- values

from .values import YearsMonths  # noqa: E402


_DURATION = re.compile(r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def parse_duration(text: str):
    m = _DURATION.match(text)
    if not m or text in ("P", "-P") or text.endswith("T"):
        raise FeelSyntaxError(f'"{text}" is geen geldige duur; gebruik bijvoorbeeld "P3D", "PT2H" of "P1Y6M".')
    sign, years, months, days, hours, minutes, seconds = m.groups()
    factor = -1 if sign else 1
    if (years or months) and not (days or hours or minutes or seconds):
        return YearsMonths(factor * (int(years or 0) * 12 + int(months or 0)))
    if years or months:
        raise FeelSyntaxError(f'Duur "{text}" mengt jaren/maanden met dagen/tijd; splits deze.')
    return factor * _dt.timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                                  seconds=float(seconds or 0))


def parse_date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise FeelSyntaxError(f'"{text}" is geen geldige datum; schrijf JJJJ-MM-DD, bijvoorbeeld date("2027-01-01").') from None


def number(value):
    """Normalise a number: whole values become int, others an exact Decimal."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        if value == value.to_integral_value():
            return int(value)
        return value.normalize() if value.as_tuple().exponent < -DECIMAL_PRECISION else value
    return value


def is_number(value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


# ---------------------------------------------------------------- lexer

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?|\.\d+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<op>\.\.|<=|>=|!=|\*\*|[<>=+\-*/(),\[\]\.:])
  | (?P<name>[^\W\d][\w?']*)
""", re.VERBOSE | re.UNICODE)

_STRING_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "'": "'"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            if text[pos] == '"':
                raise FeelSyntaxError('Een tekst is niet afgesloten: er ontbreekt een " aan het eind.')
            raise FeelSyntaxError(f'Onverwacht teken "{text[pos]}" op positie {pos + 1}.')
        kind = m.lastgroup
        if kind != "ws":
            tokens.append(Token(kind, m.group(), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _unescape(literal: str) -> str:
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt == "u" and re.match(r"[0-9a-fA-F]{4}", body[i + 2:i + 6]):
                out.append(chr(int(body[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append(_STRING_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


# ---------------------------------------------------------------- AST

@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Any


@dataclass(frozen=True)
class Binary:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple


@dataclass(frozen=True)
class Compare:
    """A unary test comparing the tested value: ``< 5``, ``= "VG"``."""
    op: str
    operand: Any


@dataclass(frozen=True)
class Interval:
    low: Any
    high: Any
    low_closed: bool
    high_closed: bool


@dataclass(frozen=True)
class Negation:
    tests: tuple


@dataclass(frozen=True)
class AnyOf:
    tests: tuple


DONT_CARE = AnyOf(())  # '-': matches everything


# ---------------------------------------------------------------- parser

KEYWORDS = {"true", "false", "null", "not", "and", "or", "date", "duration", "time", "in", "between", "if",
            "then", "else", "for", "some", "every", "function", "instance", "of", "satisfies", "return"}


_SIMPLE_NAME = re.compile(r"[^\W\d][\w?']*")


@functools.lru_cache(maxsize=64)
def _long_names(names: frozenset) -> tuple:
    found = {n for n in names if not _SIMPLE_NAME.fullmatch(n)} | set(_BUILTIN_LONG_NAMES)
    return tuple(sorted(found, key=len, reverse=True))


class _Parser:
    def __init__(self, text: str, names=(), functions=()):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        # Known names that are more than one token ("Applicant Age", "Full-Name"), longest first,
        # and user functions (DMN business knowledge models) callable besides FUNCTIONS.
        self.long_names = _long_names(names if isinstance(names, frozenset) else frozenset(names))
        self.functions = set(functions)

    def long_name(self) -> str | None:
        """The longest known multi-token name starting at the current token, consuming its tokens."""
        if not self.long_names:
            return None
        start = self.tok.pos
        for name in self.long_names:
            if self.text.startswith(name, start):
                end = start + len(name)
                if end < len(self.text) and (self.text[end].isalnum() or self.text[end] == "_") and name[-1].isalnum():
                    continue
                while self.tok.kind != "end" and self.tok.pos < end:
                    self.i += 1
                if self.tok.kind != "end" and self.tok.pos < end:
                    continue
                return name
        return None

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self, text: str | None = None, kind: str | None = None) -> Token:
        tok = self.tok
        if (text is not None and tok.text != text) or (kind is not None and tok.kind != kind):
            want = f'"{text}"' if text else kind
            got = f'"{tok.text}"' if tok.text else "het einde van de cel"
            raise FeelSyntaxError(f"Verwacht {want}, maar vond {got} op positie {tok.pos + 1}.")
        self.i += 1
        return tok

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "name") and self.tok.text in texts

    def done(self):
        if self.tok.kind != "end":
            raise FeelSyntaxError(f'Onverwacht "{self.tok.text}" op positie {self.tok.pos + 1}; '
                                  "controleer haakjes, komma's en aanhalingstekens.")

    # unary tests --------------------------------------------------------
    def unary_tests(self):
        if self.at("not") and self.tokens[self.i + 1].text == "(":
            self.take("not")
            self.take("(")
            tests = self.positive_tests()
            self.take(")")
            self.done()
            return Negation(tuple(tests))
        tests = self.positive_tests()
        self.done()
        return AnyOf(tuple(tests))

    def positive_tests(self):
        tests = [self.positive_test()]
        while self.at(","):
            self.take(",")
            tests.append(self.positive_test())
        return tests

    def positive_test(self):
        if self.at("<", "<=", ">", ">=", "=", "!="):
            op = self.take().text
            return Compare(op, self.endpoint())
        if self.at("[", "]", "("):
            opener = self.take().text
            low = self.endpoint()
            self.take("..")
            high = self.endpoint()
            if not self.at("]", "[", ")"):
                raise FeelSyntaxError(f'Een bereik moet eindigen met "]", "[" of ")" (positie {self.tok.pos + 1}).')
            closer = self.take().text
            return Interval(low, high, opener == "[", closer == "]")
        expr = self.expression()
        return Compare("=", expr)

    def endpoint(self):
        if self.at("-") and self.tokens[self.i + 1].kind == "number":
            self.take("-")
            return Literal(-_number_literal(self.take(kind="number").text))
        return self.primary_postfix()

    # expressions --------------------------------------------------------
    def expression(self):
        return self.disjunction()

    def disjunction(self):
        left = self.conjunction()
        while self.at("or"):
            self.take()
            left = Binary("or", left, self.conjunction())
        return left

    def conjunction(self):
        left = self.comparison()
        while self.at("and"):
            self.take()
            left = Binary("and", left, self.comparison())
        return left

    def comparison(self):
        left = self.additive()
        if self.at("<", "<=", ">", ">=", "=", "!="):
            op = self.take().text
            left = Binary(op, left, self.additive())
        return left

    def additive(self):
        left = self.multiplicative()
        while self.at("+", "-"):
            op = self.take().text
            left = Binary(op, left, self.multiplicative())
        return left

    def multiplicative(self):
        left = self.power()
        while self.at("*", "/"):
            op = self.take().text
            left = Binary(op, left, self.power())
        return left

    def power(self):
        left = self.unary()
        if self.at("**"):
            self.take()
            left = Binary("**", left, self.unary())
        return left

    def unary(self):
        if self.at("-"):
            self.take()
            return Unary("-", self.unary())
        return self.primary_postfix()

    def primary_postfix(self):
        node = self.primary()
        while self.at(".") and self.tokens[self.i + 1].kind == "name":
            self.take(".")
            attr = self.take(kind="name").text
            if not isinstance(node, Name):
                raise FeelSyntaxError(f'"{attr}" kan hier niet na een punt staan.')
            node = Name(node.name + "." + attr)
        return node

    def primary(self):
        tok = self.tok
        if tok.kind == "number":
            self.take()
            return Literal(_number_literal(tok.text))
        if tok.kind == "string":
            self.take()
            return Literal(_unescape(tok.text))
        if tok.text == "(":
            self.take("(")
            inner = self.expression()
            self.take(")")
            return inner
        if tok.kind == "name" and self.long_names:
            start = self.i
            long = self.long_name()
            if long is not None:
                if self.at("(") and (long in self.functions or long in FUNCTIONS):
                    return self.call(long)
                if long in FUNCTIONS and long not in self.functions:
                    self.i = start           # a built-in function name not followed by "(": read as before
                else:
                    return Name(long)
        if tok.kind == "name":
            self.take()
            word = tok.text
            if word == "true":
                return Literal(True)
            if word == "false":
                return Literal(False)
            if word == "null":
                return Literal(None)
            if self.at("("):
                return self.call(word)
            if word in KEYWORDS:
                raise FeelSyntaxError(f'"{word}" wordt hier niet ondersteund (alleen eenvoudige FEEL: vergelijkingen, '
                                      f'bereiken, lijsten, rekenen).')
            return Name(word)
        got = f'"{tok.text}"' if tok.text else "het einde van de cel"
        raise FeelSyntaxError(f"Verwacht een waarde, maar vond {got} op positie {tok.pos + 1}.")

    def skip_parameter_name(self):
        """``f(name: value)``: named arguments are taken in the order written (names are not checked)."""
        k = self.i
        while self.tokens[k].kind == "name":
            k += 1
        if k > self.i and self.tokens[k].text == ":":
            self.i = k + 1

    def call(self, function: str):
        self.take("(")
        args = []
        if not self.at(")"):
            self.skip_parameter_name()
            args.append(self.expression())
            while self.at(","):
                self.take(",")
                self.skip_parameter_name()
                args.append(self.expression())
        self.take(")")
        if function == "date" and len(args) == 1 and isinstance(args[0], Literal) and isinstance(args[0].value, str):
            return Literal(parse_date(args[0].value))
        if function == "duration" and len(args) == 1 and isinstance(args[0], Literal) and isinstance(args[0].value, str):
            return Literal(parse_duration(args[0].value))
        if function in self.functions:
            return Call(function, tuple(args))
        if function not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise FeelSyntaxError(f'Onbekende functie "{function}"; beschikbaar zijn: {known}.')
        return Call(function, tuple(args))


def _number_literal(text: str):
    return number(Decimal(text))


def parse_unary_tests(text: str, names=(), functions=()):
    """Parse an input-entry cell into a test AST. Raises FeelSyntaxError.

    ``names``: known variable names, so that names with spaces ("Applicant Age") are read as one
    name; ``functions``: names of user functions (DMN business knowledge models) that may be called.
    """
    stripped = text.strip()
    if stripped in ("", "-"):
        return DONT_CARE
    return _Parser(stripped, names, functions).unary_tests()


def parse_expression(text: str, names=(), functions=()):
    """Parse an output-entry cell (or a default) into an expression AST. Raises FeelSyntaxError."""
    stripped = text.strip()
    if not stripped:
        raise FeelSyntaxError("De cel is leeg; vul een waarde in.")
    parser = _Parser(stripped, names, functions)
    node = parser.expression()
    parser.done()
    return node


def names_in(node) -> set[str]:
    """Every variable name an AST refers to (for dependency and glossary checks)."""
    if isinstance(node, Name):
        return {node.name}
    found: set[str] = set()
    for child in _children(node):
        found |= names_in(child)
    return found


def _children(node):
    if isinstance(node, (Unary, Compare)):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Interval):
        return (node.low, node.high)
    if isinstance(node, (Negation, AnyOf)):
        return node.tests
    if isinstance(node, Call):
        return node.args
    return ()


def has_unbracketed_logic(text: str) -> bool:
    """True when ``and``/``or`` stand at the top level of a cell (pyDMNrules then answers false)."""
    depth = 0
    for tok in tokenize(text):
        if tok.text in ("(", "["):
            depth += 1
        elif tok.text in (")", "]"):
            depth -= 1
        elif depth == 0 and tok.kind == "name" and tok.text in ("and", "or"):
            return True
    return False


# ---------------------------------------------------------------- compiler

def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(value)


def _div(a, b):
    if b == 0:
        raise FeelEvaluationError("deling door nul")
    with localcontext() as ctx:
        ctx.prec = DECIMAL_PRECISION
        return number(_decimal(a) / _decimal(b))


def _arith(op):
    def apply(a, b):
        if a is None or b is None:
            return None
        if op == "/":
            if not (is_number(a) and is_number(b)):
                return None
            return _div(a, b)
        try:
            with localcontext() as ctx:
                ctx.prec = DECIMAL_PRECISION
                if op == "+":
                    if isinstance(a, str) and isinstance(b, str):
                        return a + b
                    result = a + b
                elif op == "-":
                    result = a - b
                elif op == "*":
                    result = a * b
                else:  # '**'
                    result = _decimal(a) ** b if is_number(b) and b == int(b) else _decimal(a) ** _decimal(b)
        except (TypeError, InvalidOperation, DivisionByZero):
            return None
        return number(result) if is_number(result) or isinstance(result, Decimal) else result
    return apply


def compare_values(op: str, a, b):
    """FEEL comparison: null when either side is null or the kinds differ (equality: false)."""
    if op in ("=", "!="):
        if a is None or b is None:
            equal = a is None and b is None
        elif _comparable(a, b):
            equal = a == b
        else:
            equal = False
        return equal if op == "=" else not equal
    if a is None or b is None or not _comparable(a, b):
        return None
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _comparable(a, b) -> bool:
    if is_number(a):
        return is_number(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, _dt.datetime) or isinstance(b, _dt.datetime):
        return isinstance(a, _dt.datetime) and isinstance(b, _dt.datetime)
    return type(a) is type(b)


def _round(value, places=0, mode=ROUND_HALF_EVEN):
    if not is_number(value) or not is_number(places):
        return None
    return number(_decimal(value).quantize(Decimal(1).scaleb(-int(places)), rounding=mode))


def _floor(value):
    return None if not is_number(value) else number(_decimal(value).to_integral_value(rounding="ROUND_FLOOR"))


def _ceiling(value):
    return None if not is_number(value) else number(_decimal(value).to_integral_value(rounding="ROUND_CEILING"))


def _agg(fn):
    def apply(*args):
        items = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
        if not items or any(v is None for v in items):
            return None
        try:
            return fn(items)
        except TypeError:
            return None
    return apply


def _dec_or_none(text):
    try:
        return number(Decimal(str(text).strip()))
    except (InvalidOperation, ValueError):
        return None


FUNCTIONS: dict[str, Callable] = {
    "min": _agg(min),
    "max": _agg(max),
    "sum": _agg(lambda xs: number(sum(xs))),
    "abs": lambda v: None if not is_number(v) else abs(v),
    "floor": _floor,
    "ceiling": _ceiling,
    "decimal": lambda v, p: _round(v, p),
    "number": _dec_or_none,
    "not": lambda v: (not v) if isinstance(v, bool) else None,
}

# ---- more FEEL built-in functions (DMN 1.3 §10.3.4), used by DMN models; None (null) on wrong arguments

def _num(fn):
    def apply(*args):
        if not all(is_number(a) for a in args):
            return None
        try:
            with localcontext() as ctx:
                ctx.prec = DECIMAL_PRECISION
                return fn(*[_decimal(a) for a in args])
        except (InvalidOperation, DivisionByZero, ValueError, OverflowError):
            return None
    return apply


def _items(args):
    return list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)


def _numbers(fn):
    def apply(*args):
        items = _items(args)
        if not items or not all(is_number(v) for v in items):
            return None
        with localcontext() as ctx:
            ctx.prec = DECIMAL_PRECISION
            try:
                return fn([_decimal(v) for v in items])
            except (InvalidOperation, DivisionByZero, ValueError):
                return None
    return apply


def _modulo(a, b):
    if b == 0:
        return None
    return number(a - b * (a / b).to_integral_value(rounding="ROUND_FLOOR"))


def _median(xs):
    xs = sorted(xs)
    mid = len(xs) // 2
    return number(xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2)


def _stddev(xs):
    if len(xs) < 2:
        return None
    mean = sum(xs) / len(xs)
    return number((sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)).sqrt())


def _mode(xs):
    counts: dict = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    top = max(counts.values())
    return sorted(number(x) for x, c in counts.items() if c == top)


def _str(fn):
    def apply(*args):
        if not args or not isinstance(args[0], str):
            return None
        try:
            return fn(*args)
        except (TypeError, ValueError, IndexError, re.error):
            return None
    return apply


def _substring(s, start, length=None):
    if not is_number(start) or (length is not None and not is_number(length)):
        return None
    chars = list(s)
    begin = int(start) - 1 if start > 0 else len(chars) + int(start)
    begin = max(begin, 0)
    return "".join(chars[begin:] if length is None else chars[begin:begin + int(length)])


def _flags(flags):
    value = 0
    for f in flags or "":
        value |= {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}.get(f, 0)
    return value


def _replace(s, pattern, replacement, flags=None):
    replacement = re.sub(r"\$(\d+)", r"\\\1", replacement)
    return re.sub(pattern, replacement, s, flags=_flags(flags))


def _to_string(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return format_value(value)


def _string_join(items, delimiter=None):
    if not isinstance(items, list) or not all(i is None or isinstance(i, str) for i in items):
        return None
    return (delimiter or "").join(i for i in items if i is not None)


def _list(fn):
    def apply(*args):
        if not args or not isinstance(args[0], list):
            return None
        try:
            return fn(*args)
        except (TypeError, ValueError, IndexError):
            return None
    return apply


def _flatten(items):
    out = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _distinct(items):
    out = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _index_of(items, match):
    return [i + 1 for i, v in enumerate(items) if compare_values("=", v, match) is True]


def _date_function(*args):
    if len(args) == 1 and isinstance(args[0], str):
        try:
            return parse_date(args[0])
        except FeelSyntaxError:
            return None
    if len(args) == 1 and isinstance(args[0], _dt.datetime):
        return args[0].date()
    if len(args) == 1 and isinstance(args[0], _dt.date):
        return args[0]
    if len(args) == 3 and all(is_number(a) for a in args):
        try:
            return _dt.date(int(args[0]), int(args[1]), int(args[2]))
        except ValueError:
            return None
    return None


def _time_function(*args):
    if len(args) == 1 and isinstance(args[0], str):
        try:
            return _dt.time.fromisoformat(args[0].replace("Z", "+00:00"))
        except ValueError:
            return None
    if len(args) in (3, 4) and all(is_number(a) for a in args[:3]):
        try:
            return _dt.time(int(args[0]), int(args[1]), int(args[2]))
        except ValueError:
            return None
    return None


def _date_and_time_function(*args):
    if len(args) == 1 and isinstance(args[0], str):
        text = args[0].replace("Z", "+00:00")
        try:
            return _dt.datetime.fromisoformat(text) if "T" in text else None
        except ValueError:
            return None
    if len(args) == 2 and isinstance(args[0], _dt.date) and isinstance(args[1], _dt.time):
        return _dt.datetime.combine(args[0], args[1])
    return None


def _duration_function(text):
    if not isinstance(text, str):
        return None
    try:
        return parse_duration(text)
    except FeelSyntaxError:
        return None


def _round_mode(mode):
    return lambda v, p=0: _round(v, p, mode)


MORE_FUNCTIONS: dict[str, Callable] = {
    "modulo": _num(_modulo),
    "sqrt": _num(lambda v: number(v.sqrt()) if v >= 0 else None),
    "log": _num(lambda v: number(v.ln()) if v > 0 else None),
    "exp": _num(lambda v: number(v.exp())),
    "odd": lambda v: (int(v) % 2 == 1) if is_number(v) and v == int(v) else None,
    "even": lambda v: (int(v) % 2 == 0) if is_number(v) and v == int(v) else None,
    "product": _numbers(lambda xs: number(functools.reduce(lambda a, b: a * b, xs))),
    "mean": _numbers(lambda xs: number(sum(xs) / len(xs))),
    "median": _numbers(_median),
    "stddev": _numbers(_stddev),
    "mode": lambda *args: [] if _items(args) == [] else _numbers(_mode)(*args),
    "round up": _round_mode("ROUND_UP"),
    "round down": _round_mode("ROUND_DOWN"),
    "round half up": _round_mode("ROUND_HALF_UP"),
    "round half down": _round_mode("ROUND_HALF_DOWN"),
    "string": _to_string,
    "string length": _str(len),
    "upper case": _str(str.upper),
    "lower case": _str(str.lower),
    "substring": _str(_substring),
    "substring before": _str(lambda s, m: s.split(m, 1)[0] if m in s else ""),
    "substring after": _str(lambda s, m: s.split(m, 1)[1] if m in s else ""),
    "contains": _str(lambda s, m: m in s if isinstance(m, str) else None),
    "starts with": _str(lambda s, m: s.startswith(m) if isinstance(m, str) else None),
    "ends with": _str(lambda s, m: s.endswith(m) if isinstance(m, str) else None),
    "matches": _str(lambda s, p, f=None: re.search(p, s, _flags(f)) is not None),
    "replace": _str(_replace),
    "split": _str(lambda s, d: re.split(d, s)),
    "string join": _string_join,
    "count": _list(len),
    "list contains": _list(lambda xs, v: any(compare_values("=", x, v) is True for x in xs)),
    "append": _list(lambda xs, *vs: xs + list(vs)),
    "concatenate": lambda *ls: sum(ls, []) if all(isinstance(x, list) for x in ls) else None,
    "reverse": _list(lambda xs: xs[::-1]),
    "flatten": _list(_flatten),
    "distinct values": _list(_distinct),
    "index of": _list(_index_of),
    "sublist": _list(lambda xs, start, length=None:
                     xs[int(start) - 1 if start > 0 else len(xs) + int(start):][:None if length is None else int(length)]),
    "all": lambda *args: (False if any(v is False for v in _items(args)) else
                          (True if all(v is True for v in _items(args)) else None)),
    "any": lambda *args: (True if any(v is True for v in _items(args)) else
                          (False if all(v is False for v in _items(args)) else None)),
    "date": _date_function,
    "time": _time_function,
    "date and time": _date_and_time_function,
    "duration": _duration_function,
}
for _name, _fn in MORE_FUNCTIONS.items():
    FUNCTIONS.setdefault(_name, _fn)
_BUILTIN_LONG_NAMES = tuple(n for n in FUNCTIONS if " " in n)

_ARITH = {op: _arith(op) for op in ("+", "-", "*", "/", "**")}


def _path_lookup(ctx: dict, key: str):
    """``a.b.c`` where ``a`` (or ``a.b``) holds a context (dict): walk into it."""
    parts = key.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:cut])
        if head in ctx:
            value = ctx[head]
            for attr in parts[cut:]:
                if not isinstance(value, dict):
                    return None
                value = value.get(attr)
            return value
    return None


def compile_expression(node, resolve: Callable[[str], str] = lambda n: n, functions: dict | None = None
                       ) -> Callable[[dict], Any]:
    """Compile an expression AST into ``f(context) -> value``.

    ``resolve`` maps a name as written (maybe ``Concept.Attribute``) to the variable name;
    ``functions`` maps user-function names (see parse_expression) to Python callables.
    """
    if isinstance(node, Literal):
        value = node.value
        return lambda ctx: value
    if isinstance(node, Name):
        key = resolve(node.name)
        if "." in key:
            def dotted(ctx):
                if key in ctx:
                    return ctx[key]
                return _path_lookup(ctx, key)
            return dotted
        return lambda ctx: ctx.get(key)
    if isinstance(node, Unary):
        inner = compile_expression(node.operand, resolve, functions)

        def negate(ctx):
            v = inner(ctx)
            if is_number(v):
                return -v
            if isinstance(v, _dt.timedelta):
                return -v
            if isinstance(v, YearsMonths):
                return YearsMonths(-v.months)
            return None
        return negate
    if isinstance(node, Binary):
        left, right = compile_expression(node.left, resolve, functions), compile_expression(node.right, resolve, functions)
        if node.op in _ARITH:
            apply = _ARITH[node.op]
            return lambda ctx: apply(left(ctx), right(ctx))
        if node.op == "and":
            def conj(ctx):
                a, b = left(ctx), right(ctx)
                if a is False or b is False:
                    return False
                return True if (a is True and b is True) else None
            return conj
        if node.op == "or":
            def disj(ctx):
                a, b = left(ctx), right(ctx)
                if a is True or b is True:
                    return True
                return False if (a is False and b is False) else None
            return disj
        op = node.op
        return lambda ctx: compare_values(op, left(ctx), right(ctx))
    if isinstance(node, Call):
        fn = functions[node.function] if functions and node.function in functions else FUNCTIONS[node.function]
        args = [compile_expression(a, resolve, functions) for a in node.args]

        def call(ctx):
            try:
                return fn(*[a(ctx) for a in args])
            except TypeError:
                return None
        return call
    raise FeelSyntaxError("Deze expressie wordt niet ondersteund in een uitkomstcel.")


def compile_unary_tests(node, resolve: Callable[[str], str] = lambda n: n, functions: dict | None = None
                        ) -> Callable[[Any, dict], Any]:
    """Compile a unary-test AST into ``f(value, context) -> True | False | None``."""
    if isinstance(node, AnyOf):
        if not node.tests:
            return lambda value, ctx: True
        parts = [_compile_positive(t, resolve, functions) for t in node.tests]
        if len(parts) == 1:
            return parts[0]

        def any_of(value, ctx):
            unknown = False
            for part in parts:
                r = part(value, ctx)
                if r is True:
                    return True
                if r is None:
                    unknown = True
            return None if unknown else False
        return any_of
    if isinstance(node, Negation):
        positive = compile_unary_tests(AnyOf(node.tests), resolve, functions)

        def negation(value, ctx):
            r = positive(value, ctx)
            return None if r is None else not r
        return negation
    raise FeelSyntaxError("Dit is geen geldige invoertest.")


def _compile_positive(test, resolve, functions=None):
    if isinstance(test, Compare):
        op = test.op
        if isinstance(test.operand, Literal):
            constant = test.operand.value
            if op == "=" and constant is None:
                return lambda value, ctx: value is None
            if op == "=" and isinstance(constant, bool):
                return lambda value, ctx: None if value is None else value is constant
            if op == "=" and isinstance(constant, str):
                return lambda value, ctx: None if value is None else (value == constant if isinstance(value, str) else False)
            if is_number(constant):
                return _numeric_compare(op, constant)
            return lambda value, ctx: compare_values(op, value, constant)
        operand = compile_expression(test.operand, resolve, functions)
        if op == "=":
            # An expression used as a test: a boolean expression is the test itself (DMN 1.2+),
            # anything else is compared for equality with the tested value.
            def equals_or_boolean(value, ctx):
                expected = operand(ctx)
                if isinstance(expected, bool) and not isinstance(value, bool):
                    return expected
                return compare_values("=", value, expected)
            return equals_or_boolean
        return lambda value, ctx: compare_values(op, value, operand(ctx))
    if isinstance(test, Interval):
        low, high = test.low, test.high
        if isinstance(low, Literal) and isinstance(high, Literal) and is_number(low.value) and is_number(high.value):
            return _numeric_interval(low.value, high.value, test.low_closed, test.high_closed)
        low_fn, high_fn = compile_expression(low, resolve, functions), compile_expression(high, resolve, functions)
        low_op = ">=" if test.low_closed else ">"
        high_op = "<=" if test.high_closed else "<"

        def interval(value, ctx):
            a = compare_values(low_op, value, low_fn(ctx))
            b = compare_values(high_op, value, high_fn(ctx))
            if a is False or b is False:
                return False
            return True if (a and b) else None
        return interval
    raise FeelSyntaxError("Dit is geen geldige invoertest.")


def _numeric_compare(op, constant):
    # Hot path: a comparison with a number literal. bool is an int subclass, so exclude it.
    if op == "<":
        return lambda v, ctx: (v < constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if not is_number(v) else v < constant)
    if op == "<=":
        return lambda v, ctx: (v <= constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if not is_number(v) else v <= constant)
    if op == ">":
        return lambda v, ctx: (v > constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if not is_number(v) else v > constant)
    if op == ">=":
        return lambda v, ctx: (v >= constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if not is_number(v) else v >= constant)
    if op == "=":
        return lambda v, ctx: (v == constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if v is None else False)
    return lambda v, ctx: (v != constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if v is None else True)


def _numeric_interval(low, high, low_closed, high_closed):
    def interval(v, ctx):
        if not (v.__class__ is int or v.__class__ is Decimal):
            return None
        if low_closed:
            if v < low:
                return False
        elif v <= low:
            return False
        if high_closed:
            return v <= high
        return v < high
    return interval


def literal_value(node):
    """The constant value of an AST node, or raise FeelSyntaxError when it is not a constant."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Unary) and isinstance(node.operand, Literal) and is_number(node.operand.value):
        return -node.operand.value
    raise FeelSyntaxError("Hier is een vaste waarde nodig (een getal, tekst tussen aanhalingstekens, true/false of null).")


def format_value(value) -> str:
    """A value as FEEL text (for messages, DMN export and diffs)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, _dt.date):
        return f'date("{value.isoformat()}")'
    if isinstance(value, _dt.timedelta):
        return f'duration("PT{int(value.total_seconds())}S")'
    if isinstance(value, YearsMonths):
        return f'duration("{value}")'
    return str(value)
