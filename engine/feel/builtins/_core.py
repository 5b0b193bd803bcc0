"""The machinery of built-in functions: signatures, argument binding, errors.

Every built-in is registered with its DMN 1.5 name and one or more signatures (parameter names
exactly as the spec gives them), so that named arguments bind by name and unknown names are an
error. Invalid arguments raise FeelEvaluationError (Dutch message, stable code); the interpreter
turns that into null plus a diagnostic.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ..errors import FeelEvaluationError
from ..values import Function, dutch_type

BUILTINS: dict[str, "Builtin"] = {}


class NextSignature(Exception):
    """Raised by an implementation whose positional arguments belong to a later overload."""
_MISSING = object()


@dataclass(frozen=True)
class Signature:
    params: tuple          # parameter names, as in the spec
    required: int          # how many leading parameters are required
    fn: Callable
    varargs: bool = False  # the last parameter takes any number of positional arguments
    needs_ctx: bool = False


class Builtin(Function):
    """A built-in FEEL function with one or more signatures."""

    def __init__(self, name: str, signatures: list[Signature]):
        self.name = name
        self.signatures = signatures
        self.params = signatures[0].params

    def invoke(self, args, named=None, ctx=None):
        if named:
            if args:
                raise error(f"{self.name}: gebruik óf alleen namen óf alleen posities voor de argumenten.",
                            "builtin.mixed_arguments")
            return self._invoke_named(named, ctx)
        n = len(args)
        for sig in self.signatures:
            if n >= sig.required and (sig.varargs or n <= len(sig.params)):
                try:
                    return self._call(sig, list(args), ctx)
                except NextSignature:
                    continue
        raise error(f"{self.name} verwacht {self._arity_text()} argument(en), niet {n}.", "builtin.arity")

    def _invoke_named(self, named: dict, ctx):
        candidates = [s for s in self.signatures if set(named) <= set(s.params)]
        complete = [s for s in candidates if all(p in named for p in s.params[:s.required])]
        if candidates:
            sig = (complete or candidates)[0]
            # a required parameter that is not named is null; optional ones keep their default
            last = max([sig.params.index(k) for k in named] + [sig.required - 1])
            args = [named.get(p) for p in sig.params[:last + 1]]
            try:
                return self._call(sig, args, ctx)
            except NextSignature:
                raise error(f"{self.name}: deze argumenten passen niet bij ({', '.join(sig.params)}).",
                            "builtin.invalid_argument") from None
        names = ", ".join(sorted(named))
        expected = " of ".join("(" + ", ".join(s.params) + ")" for s in self.signatures)
        raise error(f"{self.name} kent de parameter(s) {names} niet in deze combinatie; verwacht {expected}.",
                    "builtin.unknown_parameter")

    def _call(self, sig: Signature, args, ctx):
        if sig.needs_ctx:
            return sig.fn(ctx, *args)
        return sig.fn(*args)

    def _arity_text(self) -> str:
        counts = []
        for s in self.signatures:
            if s.varargs:
                counts.append(f"{s.required} of meer")
            elif s.required == len(s.params):
                counts.append(str(s.required))
            else:
                counts.append(f"{s.required} tot {len(s.params)}")
        return " of ".join(dict.fromkeys(counts))


def _parse_params(text: str):
    """'string, start position, length?' -> (('string', 'start position', 'length'), 2, False)."""
    params, required, varargs = [], None, False
    for raw in [p.strip() for p in text.split(",")] if text.strip() else []:
        if raw.endswith("..."):
            raw, varargs = raw[:-3].strip(), True
            if required is None:
                required = len(params)
        if raw.endswith("?"):
            raw = raw[:-1].strip()
            if required is None:
                required = len(params)
        params.append(raw)
    return tuple(params), (len(params) if required is None else required), varargs


def builtin(name: str, *signatures: str, needs_ctx: bool = False):
    """Register the decorated function under ``name`` for each signature text
    (e.g. ``"string, start position, length?"``; ``"list..."`` for varargs)."""
    def register(fn):
        sigs = []
        for text in signatures:
            params, required, varargs = _parse_params(text)
            sigs.append(Signature(params, required, fn, varargs, needs_ctx))
        if name in BUILTINS:
            BUILTINS[name].signatures.extend(sigs)
        else:
            BUILTINS[name] = Builtin(name, sigs)
        return fn
    return register


# ------------------------------------------------------------------ helpers for implementations

def error(message: str, code: str) -> FeelEvaluationError:
    return FeelEvaluationError(message, code)


def is_num(v) -> bool:
    t = type(v)
    return t is int or t is Decimal


def is_list(v) -> bool:
    return isinstance(v, list)


def need(cond: bool, fname: str, param: str, value, what: str):
    """Raise a Dutch error unless cond: '<fname>: <param> moet <what> zijn, niet <type>'."""
    if not cond:
        got = "leeg (null)" if value is None else dutch_type(value)
        raise error(f"{fname}: '{param}' moet {what} zijn, niet {got}.", "builtin.invalid_argument")


def need_num(v, fname, param="n"):
    need(is_num(v), fname, param, v, "een getal")
    return v


def need_str(v, fname, param="string"):
    need(isinstance(v, str), fname, param, v, "een tekst")
    return v


def need_list(v, fname, param="list"):
    need(isinstance(v, list), fname, param, v, "een lijst")
    return v


def need_int(v, fname, param):
    """A number argument used as a whole number (truncated toward zero)."""
    need(is_num(v), fname, param, v, "een getal")
    if not -10 ** 15 < v < 10 ** 15:
        raise error(f"{fname}: '{param}' is veel te groot ({v}).", "builtin.out_of_range")
    return int(v)


def items_of(args, fname: str, allow_empty_call=False):
    """The items of a list-or-varargs function: f(list) or f(c1, ..., cN)."""
    if not args:
        raise error(f"{fname} verwacht een lijst of ten minste één argument.", "builtin.arity")
    if len(args) == 1:
        x = args[0]
        if isinstance(x, list):
            return x
        if x is None:
            raise error(f"{fname}: de lijst is leeg (null).", "builtin.invalid_argument")
        return [x]
    return list(args)
