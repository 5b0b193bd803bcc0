"""Simple JUEL expressions (Camunda 7's default language for input expressions, output entries
and literal expressions in older models) rewritten as FEEL.

Only what has one obvious FEEL meaning is rewritten: names and paths, literals ('text' and
"text"), arithmetic, comparisons (== != < <= > >= and eq ne lt le gt ge), && || ! (and or not),
the conditional ``c ? a : b`` and parentheses; a ``${...}`` or ``#{...}`` wrapper is dropped.
Anything else (method calls, ``empty``, ``%``, assignments) gives None: the element is then
refused with a finding, as before.
"""
from __future__ import annotations

import re

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<op>==|!=|<=|>=|&&|\|\||[<>+\-*/?:!(),\[\]])
  | (?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)
""", re.VERBOSE)
_WORDS = {"eq": "=", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=", "and": "and", "or": "or",
          "not": "not", "div": "/"}
_OPS = {"==": "=", "!=": "!=", "&&": "and", "||": "or"}
_REFUSED = {"empty", "mod", "instanceof", "new"}


def _tokens(text: str):
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            return None
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        out.append((kind, m.group()))
    return out


def to_feel(text: str) -> str | None:
    """FEEL for a simple JUEL expression, or None."""
    text = (text or "").strip()
    if len(text) >= 3 and text[0] in "$#" and text[1] == "{" and text[-1] == "}":
        text = text[2:-1].strip()
    tokens = _tokens(text)
    if not tokens:
        return None
    try:
        feel, rest = _conditional(tokens, 0)
    except ValueError:
        return None
    return feel if rest == len(tokens) else None


def _conditional(tokens, i):
    cond, i = _sequence(tokens, i)
    if i < len(tokens) and tokens[i] == ("op", "?"):
        then, i = _conditional(tokens, i + 1)
        if i >= len(tokens) or tokens[i] != ("op", ":"):
            raise ValueError("':' expected")
        other, i = _conditional(tokens, i + 1)
        return f"if {cond} then {then} else {other}", i
    return cond, i


def _sequence(tokens, i):
    """Operands and binary operators up to ``?``, ``:``, ``)``, ``,`` or the end."""
    parts = []
    expect_operand = True
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "op" and value in ("?", ":", ")", ",", "]"):
            break
        if expect_operand:
            operand, i = _operand(tokens, i)
            parts.append(operand)
            expect_operand = False
            continue
        if kind == "op" and value in ("==", "!=", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*", "/"):
            parts.append(_OPS.get(value, value))
        elif kind == "name" and value in _WORDS and value != "not":
            parts.append(_WORDS[value])
        else:
            raise ValueError(f"operator expected at {value}")
        expect_operand = True
        i += 1
    if expect_operand:
        raise ValueError("operand expected")
    return " ".join(parts), i


def _operand(tokens, i):
    kind, value = tokens[i]
    if kind == "op" and value == "!" or kind == "name" and value == "not":
        inner, i = _operand(tokens, i + 1)
        return f"not({inner})", i
    if kind == "op" and value == "-":
        inner, i = _operand(tokens, i + 1)
        return f"-{inner}", i
    if kind == "op" and value == "(":
        inner, i = _conditional(tokens, i + 1)
        if i >= len(tokens) or tokens[i] != ("op", ")"):
            raise ValueError("')' expected")
        return f"({inner})", i + 1
    if kind == "str":
        body = value[1:-1]
        if value[0] == "'":
            body = body.replace("\\'", "'").replace('"', '\\"')
        return f'"{body}"', i + 1
    if kind == "num":
        return value, i + 1
    if kind == "name":
        if value in _REFUSED or value in _WORDS:
            raise ValueError(value)
        if i + 1 < len(tokens) and tokens[i + 1] == ("op", "("):
            raise ValueError("method calls are not rewritten")
        return value, i + 1
    raise ValueError(value)
