"""is(value1, value2) (DMN 1.5 §10.3.4.7): same type and same value, including zones."""
from __future__ import annotations

from .. import ops
from ._core import builtin


@builtin("is", "value1, value2")
def is_(value1, value2=None):
    return ops.is_same(value1, value2)
