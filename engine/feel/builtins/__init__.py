"""Every built-in function of DMN 1.5 §10.3.4, by category.

``BUILTINS`` maps the spec's names (with spaces, e.g. "string length") to ``Builtin`` function
values; call ``BUILTINS[name].invoke(args, named)``. Invalid arguments raise
FeelEvaluationError (Dutch message, stable code), which the interpreter turns into null plus a
diagnostic.
"""
from ._core import BUILTINS, Builtin, NextSignature, Signature, builtin  # noqa: F401
from . import boolean, context, conversion, list, misc, numeric, range, string, temporal  # noqa: F401,E402

__all__ = ["BUILTINS", "Builtin", "Signature", "builtin"]
