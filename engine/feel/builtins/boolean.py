"""Boolean functions (DMN 1.5 §10.3.4.2)."""
from __future__ import annotations

from ._core import builtin, need


@builtin("not", "negand")
def not_(negand):
    if negand is None:
        return None
    need(isinstance(negand, bool), "not", "negand", negand, "true, false of null")
    return not negand
