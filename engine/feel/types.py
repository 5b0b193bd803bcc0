"""FEEL types: the type syntax of ``instance of`` and of typeRef, and conformance of values.

    parse_type("list<number>")            -> ListType(Named("number"))
    conforms([1, 2], parse_type("list<number>"))  -> True

Type syntax (DMN 1.5 §10.3.2.9): a qualified name (``number``, ``date and time``,
``days and time duration``, ``years and months duration``, ``Any``, ``Null``, ``ns.tPerson``),
``list<T>``, ``range<T>``, ``context<name: T, ...>``, ``function<T, ...> -> T``.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable

from .errors import FeelSyntaxError


@dataclass(frozen=True)
class Named:
    name: str


@dataclass(frozen=True)
class ListType:
    element: object


@dataclass(frozen=True)
class RangeType:
    element: object


@dataclass(frozen=True)
class ContextType:
    fields: tuple               # ((name, type), ...)


@dataclass(frozen=True)
class FunctionType:
    params: tuple
    result: object


ANY = Named("Any")
NULL = Named("Null")

MULTIWORD = ("date and time", "days and time duration", "years and months duration")
BUILTIN_TYPES = {"Any", "Null", "number", "string", "boolean", "date", "time", "date and time",
                 "days and time duration", "years and months duration", "list", "context", "range", "function"}
# Older typeRef spellings found in models (DMN 1.1 / XML Schema style).
ALIASES = {"dayTimeDuration": "days and time duration", "yearMonthDuration": "years and months duration",
           "dateTime": "date and time", "feel:number": "number", "feel:string": "string",
           "feel:boolean": "boolean", "feel:date": "date", "feel:time": "time",
           "feel:dateTime": "date and time", "feel:date and time": "date and time",
           "feel:days and time duration": "days and time duration",
           "feel:years and months duration": "years and months duration",
           "feel:dayTimeDuration": "days and time duration", "feel:yearMonthDuration": "years and months duration",
           "feel:context": "context", "feel:Any": "Any", "decimal": "number", "integer": "number",
           "double": "number", "int": "number", "long": "number"}


def parse_type(text: str):
    """Parse a type written as text. Raises FeelSyntaxError (Dutch) for bad syntax."""
    from .lexer import tokenize
    stripped = (text or "").strip()
    if not stripped:
        raise FeelSyntaxError("Er ontbreekt een type.", "type", 0)
    if stripped in ALIASES:
        return Named(ALIASES[stripped])
    reader = TypeReader(tokenize(stripped), stripped)
    result = reader.read()
    tok = reader.tokens[reader.i]
    if tok.kind != "end":
        raise FeelSyntaxError(f'Onverwacht "{tok.text}" in het type op positie {tok.pos + 1}.', "type", tok.pos)
    return result


class TypeReader:
    """Reads a type from a token list (shared with the expression parser for ``instance of``)."""

    def __init__(self, tokens, text, i: int = 0):
        self.tokens, self.text, self.i = tokens, text, i

    def _tok(self):
        return self.tokens[self.i]

    def _expect(self, text):
        tok = self._tok()
        if tok.text != text:
            got = f'"{tok.text}"' if tok.text else "het einde"
            raise FeelSyntaxError(f'In een type verwacht "{text}", maar vond {got} op positie {tok.pos + 1}.',
                                  "type", tok.pos)
        self.i += 1

    def read(self):
        tok = self._tok()
        if tok.kind != "name":
            got = f'"{tok.text}"' if tok.text else "het einde"
            raise FeelSyntaxError(f"Verwacht een type (zoals number, string, list<number>), maar vond {got} "
                                  f"op positie {tok.pos + 1}.", "type", tok.pos)
        for multi in MULTIWORD:
            words = multi.split(" ")
            if all(self.tokens[self.i + k].kind == "name" and self.tokens[self.i + k].text == w
                   for k, w in enumerate(words) if self.i + k < len(self.tokens)) \
                    and self.i + len(words) <= len(self.tokens):
                self.i += len(words)
                return Named(multi)
        name = tok.text
        self.i += 1
        nxt = self._tok()
        if nxt.text == "<" and name in ("list", "range", "context", "function"):
            self.i += 1
            if name in ("list", "range"):
                inner = self.read()
                self._expect(">")
                return ListType(inner) if name == "list" else RangeType(inner)
            if name == "context":
                fields = []
                while self._tok().text != ">":
                    key_tok = self._tok()
                    if key_tok.kind not in ("name", "string"):
                        raise FeelSyntaxError(f"Verwacht een naam in context<...> op positie {key_tok.pos + 1}.",
                                              "type", key_tok.pos)
                    parts = []
                    while self._tok().kind in ("name", "string") and self._tok().text != ":":
                        parts.append(self._tok().text.strip('"'))
                        self.i += 1
                    self._expect(":")
                    fields.append((" ".join(parts), self.read()))
                    if self._tok().text == ",":
                        self.i += 1
                        continue
                    break
                self._expect(">")
                return ContextType(tuple(fields))
            params = []
            if self._tok().text != ">":
                params.append(self.read())
                while self._tok().text == ",":
                    self.i += 1
                    params.append(self.read())
            self._expect(">")
            self._expect("->")
            return FunctionType(tuple(params), self.read())
        while nxt.text == "." and self.tokens[self.i + 1].kind == "name":   # qualified name ns.tType
            name += "." + self.tokens[self.i + 1].text
            self.i += 2
            nxt = self._tok()
        return Named(ALIASES.get(name, name))


def type_text(t) -> str:
    if isinstance(t, Named):
        return t.name
    if isinstance(t, ListType):
        return f"list<{type_text(t.element)}>"
    if isinstance(t, RangeType):
        return f"range<{type_text(t.element)}>"
    if isinstance(t, ContextType):
        return "context<" + ", ".join(f"{k}: {type_text(v)}" for k, v in t.fields) + ">"
    if isinstance(t, FunctionType):
        return "function<" + ", ".join(type_text(p) for p in t.params) + "> -> " + type_text(t.result)
    return str(t)


def _values():
    from . import values
    return values


def _temporal():
    try:
        from . import temporal
        return temporal
    except ImportError:          # pragma: no cover - VALUES' module not there yet
        return None


def _named_check(name: str):
    """A predicate for a built-in type name, or None when the name is not built in."""
    values = _values()
    temporal = _temporal()
    is_number = values.is_number
    if name == "Any":
        return lambda v: v is not None
    if name == "Null":
        return lambda v: v is None
    if name == "number":
        return is_number
    if name == "string":
        return lambda v: isinstance(v, str)
    if name == "boolean":
        return lambda v: isinstance(v, bool)
    if name == "date":
        if temporal is not None and hasattr(temporal, "is_date"):
            return lambda v: temporal.is_date(v) and not temporal.is_datetime(v)
        return lambda v: isinstance(v, _dt.date) and not isinstance(v, _dt.datetime)
    if name == "date and time":
        if temporal is not None and hasattr(temporal, "is_datetime"):
            return temporal.is_datetime
        return lambda v: isinstance(v, _dt.datetime)
    if name == "time":
        time_class = getattr(temporal, "Time", _dt.time) if temporal is not None else _dt.time
        return lambda v: isinstance(v, (time_class, _dt.time))
    if name == "days and time duration":
        return lambda v: isinstance(v, _dt.timedelta)
    if name == "years and months duration":
        return lambda v: isinstance(v, values.YearsMonths)
    if name == "list":
        return lambda v: isinstance(v, list)
    if name == "context":
        return lambda v: isinstance(v, dict)
    if name == "range":
        return lambda v: isinstance(v, values.Range)
    if name == "function":
        return lambda v: isinstance(v, values.Function) or callable(v)
    return None


def conforms(value, t, resolve: Callable[[str], object] | None = None, unknown: bool = False) -> bool:
    """True when ``value`` is an instance of type ``t`` (DMN 1.5 §10.3.2.9.1).

    ``null`` conforms only to ``Null`` (``null instance of number`` is false), but a null element
    of a list or entry of a context conforms to any element type. ``resolve`` maps a type name
    that is not built in (an item definition) to a type of this module or to any object with a
    ``conforms(value)`` method (the DMN model's item types); a name it does not know gives
    ``unknown``.
    """
    if isinstance(t, str):
        t = parse_type(t)
    values = _values()
    if isinstance(t, Named):
        check = _named_check(t.name)
        if check is not None:
            return bool(check(value))
        target = resolve(t.name) if resolve is not None else None
        if target is None or target == t:
            return unknown
        if not isinstance(target, (Named, ListType, RangeType, ContextType, FunctionType)) \
                and hasattr(target, "conforms"):
            return bool(target.conforms(value))      # the DMN model's own item-definition type
        return conforms(value, target, resolve, unknown)
    if isinstance(t, ListType):
        return isinstance(value, list) and all(v is None or conforms(v, t.element, resolve, unknown) for v in value)
    if isinstance(t, RangeType):
        return isinstance(value, values.Range) and all(
            v is None or conforms(v, t.element, resolve, unknown) for v in (value.start, value.end))
    if isinstance(t, ContextType):
        return isinstance(value, dict) and all(
            k in value and (value[k] is None or conforms(value[k], ft, resolve, unknown)) for k, ft in t.fields)
    if isinstance(t, FunctionType):
        if not isinstance(value, values.Function):
            return False
        params = getattr(value, "params", None)
        return params is None or len(params) == len(t.params) or getattr(value, "variadic", False)
    return unknown
