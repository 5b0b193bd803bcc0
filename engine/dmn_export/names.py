"""Rewrite the names in a cell so that a standard DMN engine binds them.

A workbook cell refers to variables by name: inputs, and outputs of earlier tables. In DMN a
decision sees its required input data by name and its required decisions by *decision* name
(a multi-output decision as a context: ``Decision.Output``). ``rewrite`` replaces each name in
a FEEL text by the expression the exporter gives for it, leaving strings, keywords, function
names and everything else exactly as written.
"""
from __future__ import annotations

import re

# names are matched longest first at a word start; this only skips what is not a name
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?')
_WORD = re.compile(r"[^\W\d][\w?']*", re.UNICODE)
_NAME_START = re.compile(r"[^\W\d]", re.UNICODE)

# what may follow a FEEL name in a DMN name (spec: additional name symbols) besides letters, digits, spaces
_FEEL_NAME = re.compile(r"^[^\W\d][\w ./\-+*']*$", re.UNICODE)
_KEYWORDS = {"true", "false", "null", "not", "and", "or", "in", "between", "if", "then", "else", "for", "some",
             "every", "function", "instance", "of", "satisfies", "return", "date", "time", "duration"}


def is_feel_name(name: str) -> bool:
    """A name another engine can use in an expression as it is (no brackets, colons, quotes ...)."""
    if not name or name != name.strip() or "  " in name or not _FEEL_NAME.match(name):
        return False
    words = name.replace(".", " ").split()
    return words[0] not in _KEYWORDS and words[-1] not in _KEYWORDS


def feel_name(name: str) -> str:
    """``name`` made into a FEEL name: other characters become spaces."""
    cleaned = re.sub(r"[^\w ./\-+*']+", " ", name, flags=re.UNICODE)
    cleaned = " ".join(cleaned.split())
    if not cleaned or not _NAME_START.match(cleaned):
        cleaned = "Beslissing " + cleaned
    while not is_feel_name(cleaned):
        cleaned = cleaned + " x" if cleaned.split()[-1] in _KEYWORDS else "Beslissing " + cleaned
    return cleaned


def rewrite(text: str, replacements: dict[str, str]) -> str:
    """``text`` with every name in ``replacements`` (longest match first) replaced by its expression.

    A name directly after a ``.`` is a component of something else and is left alone; so is a
    name followed by ``(`` (a function call).
    """
    if not replacements or not text:
        return text
    names = sorted(replacements, key=len, reverse=True)
    out, pos, n = [], 0, len(text)
    while pos < n:
        ch = text[pos]
        if ch == '"':
            m = _STRING.match(text, pos)
            out.append(m.group())
            pos = m.end()
            continue
        if not _NAME_START.match(ch):
            out.append(ch)
            pos += 1
            continue
        before = "".join(out).rstrip()
        after_dot = before.endswith(".") and not before.endswith("..")
        found = None
        if not after_dot:
            for name in names:
                if text.startswith(name, pos):
                    end = pos + len(name)
                    if end < n and (text[end].isalnum() or text[end] in "_?'"):
                        continue
                    rest = text[end:].lstrip()
                    if rest.startswith("("):
                        continue
                    found = name
                    break
        if found is not None:
            out.append(replacements[found])
            pos += len(found)
        else:
            m = _WORD.match(text, pos)
            out.append(m.group())
            pos = m.end()
    return "".join(out)


def workbook_text(text: str, references: dict[str, str], default_forms: dict[str, str]) -> str:
    """A Regelbank export's FEEL text in the workbook's own words again (for re-import).

    ``default_forms``: ``if X = null then d else X`` -> ``X`` (the glossary default applies);
    ``references``: decision name or ``Decision.Output`` -> the output's variable name.
    """
    for form, name in default_forms.items():
        text = text.replace(f"({form})", name).replace(form, name)
    return rewrite(text, references)
