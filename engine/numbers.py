"""Numbers at the edge: what a person types, and what a caller passes, bounded to decimal128.

FEEL numbers are decimal128: at most 34 significant digits, exponents from -6143 to 6144. A
number outside that is refused here, before anything expensive happens to it (turning
``1e999999`` into a Python int takes minutes while holding the GIL).

Text typed in a form, a CSV cell or on the console follows Dutch conventions: ``,`` is the
decimal mark and ``.`` groups thousands (``5.000`` is five thousand, ``1.234,56``). Text that
could be read two ways (``5.5``, ``1.2345``) or is malformed is refused with a message that
names an accepted example. Errors are ValueError with a Dutch message (no field name: the
caller adds it).
"""
from __future__ import annotations

import re
from decimal import Context, Decimal

MAX_DIGITS = 34          # significant digits of decimal128
MAX_EXPONENT = 6144      # adjusted exponent range of decimal128
MIN_EXPONENT = -6143
_DECIMAL128 = Context(prec=MAX_DIGITS, Emax=MAX_EXPONENT, Emin=MIN_EXPONENT)
_MAX_TEXT = 80           # longer text cannot be a number within those bounds

# 1234  1.234  1.234.567  1234,5  1.234,56  -5  +5  ,5 (a leading comma is refused below)
_DUTCH = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009€")
EXAMPLE = "bijvoorbeeld 5000, 5.000 of 1.234,56"


def parse_dutch(text: str, whole: bool = False):
    """Read a number typed the Dutch way; int when whole, else an exact Decimal.

    ``whole`` refuses fractions (a glossary type "geheel getal").
    """
    raw = str(text).strip()
    cleaned = raw.translate(_SPACES)
    if len(cleaned) > _MAX_TEXT:
        raise ValueError(f"is te lang voor een getal (hoogstens {MAX_DIGITS} cijfers)")
    if not _DUTCH.fullmatch(cleaned):
        raise ValueError(_why_not_a_number(raw, cleaned))
    value = Decimal(cleaned.replace(".", "").replace(",", "."))
    return checked(value, whole=whole, shown=raw)


def _why_not_a_number(raw: str, cleaned: str) -> str:
    if re.fullmatch(r"[+-]?\d+\.\d+", cleaned):
        # 5.5 or 1234.56: a decimal point, or thousands written wrongly; we cannot tell which
        return (f"'{raw}' is niet eenduidig: gebruik een komma voor decimalen en een punt alleen "
                f"tussen groepen van drie cijfers ({EXAMPLE})")
    if re.fullmatch(r"[+-]?\d*[.,]?\d*[eE][+-]?\d+", cleaned):
        return f"'{raw}' is geen getal zoals wij het lezen: schrijf het getal voluit ({EXAMPLE})"
    return f"'{raw}' is geen getal ({EXAMPLE})"


def checked(value, whole: bool = False, shown=None):
    """A typed number (int, Decimal, float) within decimal128, normalised; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("is ja/nee, geen getal")
    if isinstance(value, int):
        if abs(value) >= 10 ** MAX_DIGITS:
            raise ValueError(f"is te groot: hoogstens {MAX_DIGITS} cijfers")
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("moet een eindig getal zijn")
        value = Decimal(repr(value))
    if not isinstance(value, Decimal):
        raise ValueError("is geen getal")
    if not value.is_finite():
        raise ValueError("moet een eindig getal zijn")
    shown = shown if shown is not None else value
    if value.is_zero():
        return 0
    if not MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        raise ValueError(f"'{shown}' ligt buiten het bereik van getallen (hoogstens {MAX_DIGITS} cijfers)")
    significant = "".join(map(str, value.as_tuple().digits)).strip("0")
    if len(significant) > MAX_DIGITS:
        raise ValueError(f"'{shown}' heeft te veel cijfers (hoogstens {MAX_DIGITS})")
    if value == value.to_integral_value():
        if value.adjusted() >= MAX_DIGITS:
            raise ValueError(f"is te groot: hoogstens {MAX_DIGITS} cijfers")
        return int(value)
    if whole:
        raise ValueError(f"moet een geheel getal zijn, zonder decimalen; '{shown}' is dat niet")
    return value.normalize(_DECIMAL128) if value.as_tuple().exponent < -MAX_DIGITS else value
