"""FEEL lexer: text to tokens (numbers, strings, ``@"..."`` temporal literals, operators, names).

Names with spaces and special characters (``Applicant Age``, ``Full-Name``) are not single
tokens: the parser matches them against the names in scope, on the raw text (see parser.py).
Comments (``// ...`` and ``/* ... */``) are skipped like whitespace.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import FeelSyntaxError

_NAME_START = r"(?:[^\W\d]|\?|[^\x00-\x7F\s])"
_NAME_PART = r"(?:[\w?']|[^\x00-\x7F\s])"

_TOKEN = re.compile(rf"""
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<number>(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<temporal>@"(?:[^"\\]|\\.)*")
  | (?P<op>\.\.|<=|>=|!=|\*\*|->|[<>=+\-*/(),\[\]{{}}\.:])
  | (?P<name>{_NAME_START}{_NAME_PART}*)
""", re.VERBOSE | re.UNICODE | re.DOTALL)

NAME_RE = re.compile(rf"{_NAME_START}{_NAME_PART}*")

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "'": "'", "b": "\b", "f": "\f"}


@dataclass(frozen=True)
class Token:
    kind: str      # number, string, temporal, op, name, end
    text: str
    pos: int       # 0-based offset in the text
    end: int = 0


def _suggest(text: str, pos: int) -> str:
    ch = text[pos]
    if ch in "!" and text[pos:pos + 2] != "!=":
        return ' Bedoelde u "!=" (ongelijk) of not(...)?'
    if ch == "'":
        return ' Tekst staat in FEEL tussen dubbele aanhalingstekens: "tekst".'
    if ch in "&|":
        return ' Gebruik "and" / "or".'
    return ""


def tokenize(text: str) -> list[Token]:
    tokens, pos, n = [], 0, len(text)
    match = _TOKEN.match
    while pos < n:
        m = match(text, pos)
        if not m:
            ch = text[pos]
            if ch == '"' or text.startswith('@"', pos):
                raise FeelSyntaxError(f'Een tekst is niet afgesloten: er ontbreekt een " aan het eind '
                                      f'(begint op positie {pos + 1}).', "unterminated-string", pos)
            if text.startswith("/*", pos):
                raise FeelSyntaxError(f"Een commentaar op positie {pos + 1} is niet afgesloten met */.",
                                      "unterminated-comment", pos)
            raise FeelSyntaxError(f'Onverwacht teken "{ch}" op positie {pos + 1}.{_suggest(text, pos)}',
                                  "unexpected-character", pos)
        kind = m.lastgroup
        if kind == "op" and text.startswith("/*", pos):
            raise FeelSyntaxError(f"Een commentaar op positie {pos + 1} is niet afgesloten met */.",
                                  "unterminated-comment", pos)
        if kind != "ws":
            tokens.append(Token(kind, m.group(), pos, m.end()))
        pos = m.end()
    tokens.append(Token("end", "", n, n))
    return tokens


def unescape(literal: str) -> str:
    """The value of a string literal (with its quotes): ``\\n``, ``\\"``, ``\\uXXXX`` (surrogate
    pairs joined), ``\\UXXXXXX``."""
    body = literal[1:-1]
    if "\\" not in body:
        return body
    out, i, n = [], 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "\\" and i + 1 < n:
            nxt = body[i + 1]
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2:i + 6]):
                code = int(body[i + 2:i + 6], 16)
                i += 6
                if 0xD800 <= code < 0xDC00 and body[i:i + 2] == "\\u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2:i + 6]):
                    low = int(body[i + 2:i + 6], 16)
                    if 0xDC00 <= low < 0xE000:
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                out.append(chr(code) if not 0xD800 <= code < 0xE000 else "\ufffd")
                continue
            if nxt == "U" and re.fullmatch(r"[0-9a-fA-F]{6}", body[i + 2:i + 8]):
                code = int(body[i + 2:i + 8], 16)
                out.append(chr(code) if code <= 0x10FFFF and not 0xD800 <= code < 0xE000 else "\ufffd")
                i += 8
                continue
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)
