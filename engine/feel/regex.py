"""XML Schema / XPath regular expressions (as used by FEEL matches, replace and split),
translated to Python ``re``.

Handled: flags s, m, i, x, q; ``.`` not matching CR/LF without s; ``$`` only at the very end
without m; character class subtraction ``[A-Z-[OI]]``; ``\\i \\I \\c \\C``; ``\\p{..}`` and
``\\P{..}`` for general categories and the common ``Is<Block>`` names; back-references that must
refer to an earlier group; XPath replacement strings (``$0``..``$9``, ``\\$``, ``\\\\``).
Invalid patterns raise RegexError (a FeelEvaluationError with a Dutch message).
"""
from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

from .errors import FeelEvaluationError


class RegexError(FeelEvaluationError):
    def __init__(self, message: str):
        super().__init__(message, "regex.invalid")


_NAME_START = "A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D" \
              "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
_NAME_CHAR = _NAME_START + "\\-.0-9\u00B7\u0300-\u036F\u203F-\u2040"

_BLOCKS = {
    "BasicLatin": (0x0000, 0x007F), "Latin-1Supplement": (0x0080, 0x00FF), "LatinExtended-A": (0x0100, 0x017F),
    "LatinExtended-B": (0x0180, 0x024F), "IPAExtensions": (0x0250, 0x02AF), "Greek": (0x0370, 0x03FF),
    "GreekandCoptic": (0x0370, 0x03FF), "Cyrillic": (0x0400, 0x04FF), "Hebrew": (0x0590, 0x05FF),
    "Arabic": (0x0600, 0x06FF), "GeneralPunctuation": (0x2000, 0x206F), "CurrencySymbols": (0x20A0, 0x20CF),
    "LetterlikeSymbols": (0x2100, 0x214F), "NumberForms": (0x2150, 0x218F), "Arrows": (0x2190, 0x21FF),
    "MathematicalOperators": (0x2200, 0x22FF), "BoxDrawing": (0x2500, 0x257F), "Hiragana": (0x3040, 0x309F),
    "Katakana": (0x30A0, 0x30FF), "CJKUnifiedIdeographs": (0x4E00, 0x9FFF), "Thai": (0x0E00, 0x0E7F),
    "HalfwidthandFullwidthForms": (0xFF00, 0xFFEF), "Specials": (0xFFF0, 0xFFFF),
}


def _esc(cp: int) -> str:
    return f"\\U{cp:08x}"


@lru_cache(maxsize=64)
def _category_class(cat: str) -> str:
    """Ranges (inside a character class) of the code points of a general category (L, Lu, ...)."""
    ranges, start, prev = [], None, None
    for cp in range(sys.maxunicode + 1):
        c = unicodedata.category(chr(cp))
        if c == cat or (len(cat) == 1 and c[0] == cat):
            if start is None:
                start = cp
            prev = cp
        elif start is not None:
            ranges.append((start, prev))
            start = None
    if start is not None:
        ranges.append((start, prev))
    return "".join(_esc(a) if a == b else f"{_esc(a)}-{_esc(b)}" for a, b in ranges)


_CATEGORIES = {"L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd",
               "Ps", "Pe", "Pi", "Pf", "Po", "Z", "Zs", "Zl", "Zp", "S", "Sm", "Sc", "Sk", "So", "C", "Cc", "Cf",
               "Co", "Cn"}


def _property_class(name: str) -> str:
    """The inside of a character class for \\p{name}."""
    if name.startswith("Is"):
        block = _BLOCKS.get(name[2:])
        if block is None:
            raise RegexError(f"Onbekend Unicode-blok '{name}' in het patroon.")
        return f"{_esc(block[0])}-{_esc(block[1])}"
    if name not in _CATEGORIES:
        raise RegexError(f"Onbekende Unicode-categorie '{name}' in het patroon.")
    return _category_class(name)


def _strip_whitespace(pattern: str) -> str:
    """The x flag: whitespace outside character classes is removed before parsing."""
    out, depth, i = [], 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern) and depth:
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif c == "]" and depth:
            depth -= 1
        if depth or c not in " \t\n\r":
            out.append(c)
        i += 1
    return "".join(out)


_SINGLE_ESCAPES = set("nrt\\|.?*+(){}-[]^$")


class _Translator:
    def __init__(self, pattern: str, flags: str):
        self.original = pattern
        if "x" in flags:
            pattern = _strip_whitespace(pattern)
        self.p = pattern
        self.i = 0
        self.dotall = "s" in flags
        self.multiline = "m" in flags
        self.extended = "x" in flags
        self.groups = 0
        self.closed_groups: set[int] = set()
        self.open_groups: list[int] = []

    def error(self, what: str):
        raise RegexError(f"Ongeldig patroon '{self.original}': {what}.")

    def peek(self):
        return self.p[self.i] if self.i < len(self.p) else None

    def translate(self) -> str:
        out = []
        while self.i < len(self.p):
            c = self.p[self.i]
            if c == "\\":
                out.append(self.escape(in_class=False))
            elif c == "[":
                out.append(self.char_class())
            elif c == ".":
                self.i += 1
                out.append("(?s:.)" if self.dotall else "[^\\n\\r]")
            elif c == "$":
                self.i += 1
                out.append("(?m:$)" if self.multiline else "(?![\\s\\S])")
            elif c == "^":
                self.i += 1
                out.append("(?m:^)" if self.multiline else "(?<![\\s\\S])")
            elif c == "(":
                self.i += 1
                if self.p.startswith("?:", self.i):
                    self.i += 2
                    out.append("(?:")
                    self.open_groups.append(0)
                elif self.peek() == "?":
                    self.error("'(?' wordt niet ondersteund")
                else:
                    self.groups += 1
                    self.open_groups.append(self.groups)
                    out.append("(")
            elif c == ")":
                self.i += 1
                if not self.open_groups:
                    self.error("')' zonder '('")
                g = self.open_groups.pop()
                if g:
                    self.closed_groups.add(g)
                out.append(")")
            elif c == "{":
                m = re.compile(r"\{(\d+)(,(\d*))?\}").match(self.p, self.i)
                if not m:
                    self.error("ongeldige herhaling met '{'")
                self.i = m.end()
                out.append(m.group(0))
            elif c == "]" or c == "}":
                self.error(f"'{c}' op een onverwachte plaats")
            else:
                self.i += 1
                out.append(c)
        if self.open_groups:
            self.error("'(' zonder ')'")
        return "".join(out)

    def escape(self, in_class: bool) -> str:
        """Translate an escape starting at a backslash; returns regex text (or class content)."""
        self.i += 1
        if self.i >= len(self.p):
            self.error("'\\' aan het einde")
        c = self.p[self.i]
        self.i += 1
        if c in _SINGLE_ESCAPES:
            return {"n": "\\n", "r": "\\r", "t": "\\t"}.get(c, "\\" + c)
        if c in "sS":
            inner = " \\t\\n\\r"
            return (f"[{inner}]" if c == "s" else f"[^{inner}]") if not in_class else \
                (inner if c == "s" else self.error("'\\S' binnen [] wordt niet ondersteund"))
        if c in "dDwW":
            return "\\" + c
        if c in "iIcC":
            inner = _NAME_START if c in "iI" else _NAME_CHAR
            if in_class:
                if c.isupper():
                    self.error(f"'\\{c}' binnen [] wordt niet ondersteund")
                return inner
            return f"[{inner}]" if c.islower() else f"[^{inner}]"
        if c in "pP":
            if self.peek() != "{":
                self.error("'\\p' zonder '{...}'")
            end = self.p.find("}", self.i)
            if end < 0:
                self.error("'\\p{' zonder '}'")
            name = self.p[self.i + 1:end]
            if self.extended:
                name = re.sub(r"\s+", "", name)
            self.i = end + 1
            inner = _property_class(name)
            if in_class:
                if c == "P":
                    self.error("'\\P' binnen [] wordt niet ondersteund")
                return inner
            return f"[{inner}]" if c == "p" else f"[^{inner}]"
        if c.isdigit():
            if in_class or c == "0":
                self.error("een terugverwijzing (\\" + c + ") kan hier niet")
            num = c
            # XPath: as many digits as still name an existing group
            while self.peek() is not None and self.peek().isdigit() and int(num + self.peek()) <= self.groups:
                num += self.p[self.i]
                self.i += 1
            if int(num) not in self.closed_groups:
                self.error(f"terugverwijzing \\{num} naar een groep die (nog) niet bestaat")
            return f"(?:\\{num})"
        self.error(f"onbekende escape '\\{c}'")

    def char_class(self) -> str:
        """Translate a character class at '[' (with subtraction) into Python regex text."""
        self.i += 1
        negated = False
        if self.peek() == "^":
            negated = True
            self.i += 1
        parts = []
        first = True
        while True:
            c = self.peek()
            if c is None:
                self.error("'[' zonder ']'")
            if c == "]" and not first:
                self.i += 1
                base = f"[{'^' if negated else ''}{''.join(parts)}]"
                return base
            if c == "-" and self.p.startswith("-[", self.i) and not first:
                self.i += 1
                sub = self.char_class()
                if self.peek() != "]":
                    self.error("na een aftrekking '-[...]' moet ']' volgen")
                self.i += 1
                base = f"[{'^' if negated else ''}{''.join(parts)}]"
                return f"(?:(?!{sub}){base})"
            if c == "\\":
                parts.append(self.escape(in_class=True))
            elif c == "[":
                self.error("'[' binnen een tekenklasse")
            else:
                self.i += 1
                parts.append("\\" + c if c in "\\]^[" else c)
            first = False


_FLAG_CHARS = set("smixq")


@lru_cache(maxsize=256)
def compile_xsd(pattern: str, flags: str = "") -> re.Pattern:
    """Compile an XML Schema regular expression with XPath flags into a Python pattern."""
    if not set(flags) <= _FLAG_CHARS:
        bad = "".join(sorted(set(flags) - _FLAG_CHARS))
        raise RegexError(f"Onbekende vlag(gen) '{bad}'; toegestaan zijn s, m, i, x en q.")
    py_flags = re.UNICODE
    if "i" in flags:
        py_flags |= re.IGNORECASE
    if "q" in flags:
        return re.compile(re.escape(pattern), py_flags)
    text = _Translator(pattern, flags).translate()
    try:
        return re.compile(text, py_flags)
    except (re.error, OverflowError, RecursionError) as exc:
        raise RegexError(f"Ongeldig patroon '{pattern}': {exc}.") from None


def matches(text: str, pattern: str, flags: str = "") -> bool:
    return compile_xsd(pattern, flags).search(text) is not None


def _replacement(template: str, groups: int, literal: bool):
    """A function building the XPath replacement for a match."""
    if literal:
        return lambda m: template
    pieces = []  # str or int (group number)
    i = 0
    buf = ""
    while i < len(template):
        c = template[i]
        if c == "\\":
            if i + 1 < len(template) and template[i + 1] in "\\$":
                buf += template[i + 1]
                i += 2
                continue
            raise RegexError(f"Ongeldige vervanging '{template}': '\\' moet gevolgd worden door '\\' of '$'.")
        if c == "$":
            j = i + 1
            if j >= len(template) or not template[j].isdigit():
                raise RegexError(f"Ongeldige vervanging '{template}': '$' moet gevolgd worden door een cijfer.")
            num = template[j]
            j += 1
            while j < len(template) and template[j].isdigit() and int(num + template[j]) <= groups:
                num += template[j]
                j += 1
            if buf:
                pieces.append(buf)
                buf = ""
            pieces.append(int(num))
            i = j
            continue
        buf += c
        i += 1
    if buf:
        pieces.append(buf)

    def build(m):
        out = []
        for p in pieces:
            if isinstance(p, int):
                if p <= groups:
                    out.append(m.group(p) or "")
            else:
                out.append(p)
        return "".join(out)
    return build


def replace(text: str, pattern: str, replacement: str, flags: str = "") -> str:
    rx = compile_xsd(pattern, flags)
    if rx.search("") is not None and rx.fullmatch("") is not None:
        raise RegexError(f"Het patroon '{pattern}' past op een lege tekst; vervangen kan dan niet.")
    return rx.sub(_replacement(replacement, rx.groups, "q" in flags), text)


def split(text: str, pattern: str, flags: str = "") -> list:
    rx = compile_xsd(pattern, flags)
    if rx.fullmatch("") is not None:
        raise RegexError(f"Het scheidingspatroon '{pattern}' past op een lege tekst.")
    return rx.split(text) if rx.groups == 0 else _split_no_groups(rx, text)


def _split_no_groups(rx, text):
    out, last = [], 0
    for m in rx.finditer(text):
        out.append(text[last:m.start()])
        last = m.end()
    out.append(text[last:])
    return out
