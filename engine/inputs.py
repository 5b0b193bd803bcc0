"""Check and normalise a case's inputs before evaluation, with Dutch errors naming what is allowed.

Values are data, never FEEL: a string is compared as a string, whatever it contains.
``coerce_text`` turns text typed in a form or a CSV cell into a typed value; the JSON API and
Python callers pass typed values and get a type error when they pass the wrong kind.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from . import feel, numbers
from .limits import MAX_TEXT_CHARS
from .model import (NUMERIC_TYPES, TYPE_ANY, TYPE_BOOLEAN, TYPE_DATE, TYPE_INTEGER, TYPE_MONEY, TYPE_NUMBER,
                    TYPE_TEXT, RuleSetModel, Variable)

TYPE_DESCRIPTIONS = {
    TYPE_NUMBER: "een getal", TYPE_INTEGER: "een geheel getal", TYPE_MONEY: "een bedrag (getal)", TYPE_TEXT: "een tekst",
    TYPE_BOOLEAN: "ja of nee (true/false)", TYPE_DATE: "een datum (JJJJ-MM-DD)", TYPE_ANY: "een waarde",
}


class InputError(ValueError):
    """One or more inputs are wrong. ``problems`` lists them: input, message, allowed."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__(" ".join(p["message"] for p in problems))


def describe_allowed(var: Variable) -> str:
    """What an input accepts, as a consulent reads it: a list, "een getal van 0 t/m 130", or the type."""
    if var.allowed_values:
        return ", ".join(feel.format_value(v) for v in var.allowed_values)
    kind = TYPE_DESCRIPTIONS.get(var.type, "een waarde")
    if var.allowed_text:
        ranges = _describe_ranges(var.allowed_text)
        return f"{kind} {ranges}" if ranges else f"{kind} dat voldoet aan {var.allowed_text}"
    return kind


def _describe_ranges(text: str) -> str | None:
    """'[0..130]' -> 'van 0 t/m 130', '>= 1' -> 'van 1 of meer'; None when the test is not that simple."""
    try:
        ast = feel.parse_unary_tests(text)
    except feel.FeelSyntaxError:
        return None
    if not isinstance(ast, feel.AnyOf) or not ast.tests:
        return None
    parts = []
    for test in ast.tests:
        if isinstance(test, feel.Compare) and isinstance(test.operand, feel.Literal) and test.op != "=":
            words = {"<": "kleiner dan {}", "<=": "tot en met {}", ">": "groter dan {}", ">=": "van {} of meer",
                     "!=": "anders dan {}"}[test.op]
            parts.append(words.format(feel.format_value(test.operand.value)))
        elif isinstance(test, feel.Interval) and isinstance(test.low, feel.Literal) and isinstance(test.high, feel.Literal):
            low, high = feel.format_value(test.low.value), feel.format_value(test.high.value)
            if test.low_closed and test.high_closed:
                parts.append(f"van {low} t/m {high}")
            else:
                parts.append(f"{'vanaf' if test.low_closed else 'groter dan'} {low} en "
                             f"{'tot en met' if test.high_closed else 'kleiner dan'} {high}")
        else:
            return None
    return " of ".join(parts)


def _problem(var_name: str, message: str, allowed: str | None = None) -> dict:
    return {"input": var_name, "message": message, "allowed": allowed}


def coerce_typed(var: Variable, value):
    """Check one typed value against its glossary type; returns the engine value or raises ValueError."""
    if value is None:
        return None
    kind = var.type
    if kind in NUMERIC_TYPES:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise ValueError(f"moet {TYPE_DESCRIPTIONS[kind]} zijn, niet {_kind_of(value)}")
        return numbers.checked(value, whole=kind == TYPE_INTEGER)
    if kind == TYPE_TEXT:
        if not isinstance(value, str):
            raise ValueError(f"moet een tekst zijn, niet {_kind_of(value)}")
        return _valid_text(value)
    if kind == TYPE_BOOLEAN:
        if not isinstance(value, bool):
            raise ValueError(f"moet ja of nee zijn (true/false), niet {_kind_of(value)}")
        return value
    if kind == TYPE_DATE:
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError("moet een datum zijn in de vorm JJJJ-MM-DD")
    # untyped (plain pyDMNrules workbook): normalise numbers, keep the rest as data
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return numbers.checked(value)
    if isinstance(value, str):
        return _valid_text(value)
    return value


def _valid_text(value: str) -> str:
    """Text that can be stored and shown: at most MAX_TEXT_CHARS (it goes into the permanent decision
    log) and no lone UTF-16 surrogates (JSON allows "\\ud800")."""
    if len(value) > MAX_TEXT_CHARS:
        raise ValueError(f"is te lang ({len(value)} tekens); een tekst mag hoogstens {MAX_TEXT_CHARS} tekens hebben")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"bevat een ongeldig teken op positie {exc.start + 1} (een losse "
                         "UTF-16-surrogaat); stuur geldige Unicode-tekst") from None
    return value


def coerce_text(var: Variable, text: str):
    """Turn text from a form field or CSV cell into a typed value (Dutch conventions accepted)."""
    if text is None:
        return None
    text = _valid_text(str(text).strip())
    if text == "":
        return None
    kind = var.type
    if kind in NUMERIC_TYPES:
        return numbers.parse_dutch(text, whole=kind == TYPE_INTEGER)
    if kind == TYPE_ANY and _looks_numeric(text):
        return numbers.parse_dutch(text)
    if kind == TYPE_BOOLEAN:
        lowered = text.lower()
        if lowered in ("ja", "true", "waar", "1", "j", "yes"):
            return True
        if lowered in ("nee", "false", "onwaar", "0", "n", "no"):
            return False
        raise ValueError(f"'{text}' is geen ja/nee-waarde")
    if kind == TYPE_DATE:
        for parse in (_dt.date.fromisoformat, lambda t: _dt.datetime.strptime(t, "%d-%m-%Y").date()):
            try:
                return parse(text)
            except ValueError:
                continue
        raise ValueError(f"'{text}' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)")
    return text


def _looks_numeric(text: str) -> bool:
    """Untyped text that reads as a Dutch number (digits, dots, one comma, a sign)."""
    return len(text) <= 80 and numbers._DUTCH.fullmatch(text.translate(numbers._SPACES)) is not None


def _kind_of(value) -> str:
    if isinstance(value, bool):
        return "ja/nee"
    if isinstance(value, (int, float, Decimal)):
        return f"het getal {value}"
    if isinstance(value, str):
        return f'de tekst "{value}"'
    if isinstance(value, (list, tuple)):
        return "een lijst"
    if isinstance(value, dict):
        return "een object"
    return type(value).__name__


_MISSING = object()
_BIG = 10 ** numbers.MAX_DIGITS
_FAST_CLASSES = {TYPE_NUMBER: (int,), TYPE_INTEGER: (int,), TYPE_MONEY: (int,), TYPE_TEXT: (str,), TYPE_BOOLEAN: (bool,), TYPE_DATE: (_dt.date,)}


def _input_plan(model: RuleSetModel, input_names: list[str]) -> tuple:
    """Per input: (name, variable, classes accepted as they are, allowed test); cached on the model."""
    cached = model.__dict__.get("_input_plan")
    if cached is not None and (cached[0] is input_names or cached[1] == tuple(input_names)):
        return cached[2]
    key = tuple(input_names)
    plan = tuple((name, model.variables[name], _fast_classes(model.variables[name]),
                  _fast_allowed(model.variables[name])) for name in input_names)
    model.__dict__["_input_plan"] = (input_names, key, plan)
    return plan


def _fast_classes(var: Variable) -> tuple:
    """Classes taken as they are; free text is always checked (lone surrogates), a list of texts is not."""
    if var.type == TYPE_TEXT and not var.allowed_values:
        return ()
    return _FAST_CLASSES.get(var.type, ())


def _fast_allowed(var: Variable):
    """The allowed-values test; a plain list of texts becomes a set lookup (same answers)."""
    allowed = var.allowed
    values = var.allowed_values
    if allowed is None or not values or not all(isinstance(v, str) for v in values):
        return allowed
    texts = frozenset(values)

    def in_list(value, context):
        if value.__class__ is str and value in texts:
            return True
        return allowed(value, context)
    return in_list


def prepare_inputs(model: RuleSetModel, inputs: dict, input_names: list[str]) -> dict:
    """Validate a case and fill in defaults. Raises InputError listing every problem at once.

    The fast path handles a clean case in one pass; at the first sign of trouble the case goes
    through ``_prepare_inputs_checked``, which collects every problem with its Dutch message.
    """
    if inputs.__class__ is not dict:
        return _prepare_inputs_checked(model, inputs, input_names)
    context: dict = {}
    present = 0
    for name, var, classes, allowed in _input_plan(model, input_names):
        value = inputs.get(name, _MISSING)
        if value is _MISSING or value is None:
            if value is None:
                present += 1
            if not var.has_default:
                return _prepare_inputs_checked(model, inputs, input_names)
            context[name] = var.default
            continue
        present += 1
        if value.__class__ not in classes or (value.__class__ is int and not -_BIG < value < _BIG):
            try:
                value = coerce_typed(var, value)
            except ValueError:
                return _prepare_inputs_checked(model, inputs, input_names)
        if allowed is not None and allowed(value, context) is not True:
            return _prepare_inputs_checked(model, inputs, input_names)
        context[name] = value
    if present != len(inputs):  # a name that is not an input
        return _prepare_inputs_checked(model, inputs, input_names)
    return context


def _prepare_inputs_checked(model: RuleSetModel, inputs: dict, input_names: list[str]) -> dict:
    """Validate a case and fill in defaults. Raises InputError listing every problem at once."""
    if not isinstance(inputs, dict):
        raise InputError([_problem("", "De invoer moet een object zijn met per invoer een naam en een waarde.")])
    problems: list[dict] = []
    context: dict = {}
    known = set(input_names)
    for name in inputs:
        if name not in known:
            allowed = ", ".join(input_names)
            problems.append(_problem(name, f"Onbekende invoer '{name}'. Bekende invoer: {allowed}.", allowed))
    for name in input_names:
        var = model.variables[name]
        value = inputs.get(name)
        if value is None:
            if var.has_default:
                context[name] = var.default
            else:
                problems.append(_problem(name, f"De invoer '{name}' ontbreekt; verwacht {describe_allowed(var)}.",
                                         describe_allowed(var)))
            continue
        try:
            value = coerce_typed(var, value)
        except ValueError as exc:
            problems.append(_problem(name, f"De invoer '{name}' {exc}.", TYPE_DESCRIPTIONS.get(var.type)))
            continue
        if var.allowed is not None and var.allowed(value, context) is not True:
            allowed = describe_allowed(var)
            problems.append(_problem(name, f"De waarde {feel.format_value(value)} is niet toegestaan voor '{name}'. "
                                           f"Toegestaan: {allowed}.", allowed))
            continue
        context[name] = value
    if problems:
        raise InputError(problems)
    return context
