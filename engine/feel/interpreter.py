"""FEEL interpreter: compiles an AST once into Python closures ``f(ctx) -> value``.

``ctx`` is a plain dict of the variables in scope (name -> FEEL value). Every operator goes
through ops.py (VALUES' operator tables: strict typing, null propagation); a built-in's
FeelEvaluationError becomes null plus a Diagnostic in the current evaluation's diagnostics
(scope.py keeps them per thread). No exception escapes a compiled expression's top level.

Unary tests compile to ``f(value, ctx) -> True | False | None``; the common decision-table
cells (comparisons and intervals with number constants, string/boolean/null constants) keep
their dedicated fast closures.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Callable

from . import ast as A
from . import ops
from .errors import FeelEvaluationError, FeelSyntaxError
from .scope import STATE, report
from .values import Function, Range, is_number

_IDENTITY = lambda n: n  # noqa: E731


# ---------------------------------------------------------------- constants at compile time

def temporal_value(text: str):
    """The value of ``@"..."`` (VALUES' temporal parser), or None when the text is not valid."""
    from .temporal import parse_temporal
    try:
        return parse_temporal(text)
    except (ValueError, ArithmeticError, OverflowError):
        return None


def constant_call(name: str, text: str):
    """``date("2021-01-01")`` and friends with a constant text: the value, or None (left to run time)."""
    from . import temporal
    parse = {"date": temporal.parse_date, "time": temporal.parse_time, "duration": temporal.parse_duration,
             "date and time": temporal.parse_datetime}[name]
    try:
        value = parse(text)
    except (ValueError, ArithmeticError, OverflowError):
        return None
    if name == "date and time" and "T" not in text:
        return None                      # date and time("2021-01-01"): leave to the built-in
    return value


# ---------------------------------------------------------------- functions

def builtins_table() -> dict:
    from .builtins import BUILTINS
    return BUILTINS


class UserFunction(Function):
    """A function defined in FEEL: ``function(a, b) a + b`` (a closure over its scope)."""

    def __init__(self, params, types, body, scope: dict, external: bool = False, name: str = "anonymous",
                 resolve_type=None):
        self.name = name
        self.resolve_type = resolve_type
        self.params = tuple(params)
        self.types = tuple(types)
        self.body = body
        self.scope = scope
        self.external = external

    def invoke(self, args, named=None, ctx=None):
        local = dict(self.scope)
        if named:
            unknown = [k for k in named if k not in self.params]
            if unknown or args:
                raise FeelEvaluationError(
                    f"Onbekende parameter(s) {', '.join(unknown)}; deze functie kent {', '.join(self.params)}."
                    if unknown else "Gebruik óf alleen namen óf alleen posities voor de argumenten.",
                    "function.unknown_parameter")
            for p in self.params:
                local[p] = named.get(p)
        else:
            if len(args) != len(self.params):
                raise FeelEvaluationError(f"Deze functie verwacht {len(self.params)} argument(en), niet {len(args)}.",
                                          "function.arity")
            local.update(zip(self.params, args))
        if any(t is not None for t in self.types):
            from .types import conforms
            for p, t in zip(self.params, self.types):
                if t is not None and local[p] is not None and not conforms(local[p], t, self.resolve_type, True):
                    raise FeelEvaluationError(f"Het argument {p} heeft niet het verwachte type.", "function.type")
        if self.external:
            return call_external(self.body(local), [local[p] for p in self.params])
        return self.body(local)


# ---------------------------------------------------------------- external functions

def _java_number(kind):
    def convert(v):
        from .values import number
        if isinstance(v, str):
            try:
                v = Decimal(v.strip())
            except ArithmeticError:
                raise FeelEvaluationError(f'"{v}" is geen getal.', "function.external") from None
        if not is_number(v):
            raise FeelEvaluationError("Verwacht een getal.", "function.external")
        if kind in ("int", "long", "short", "byte"):
            if v != int(v):
                raise FeelEvaluationError("Verwacht een geheel getal.", "function.external")
            return int(v)
        return number(Decimal(v))
    return convert


def _java_char(v):
    if not isinstance(v, str) or len(v) != 1:
        raise FeelEvaluationError("Verwacht één teken.", "function.external")
    return v


def _java_format(fmt, *args):
    import re as _re
    if not isinstance(fmt, str):
        raise FeelEvaluationError("Verwacht een tekst als opmaak.", "function.external")
    values = list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)
    it = iter(values)
    try:
        return _re.sub(r"%[sd]", lambda m: str(next(it)), fmt)
    except StopIteration:
        raise FeelEvaluationError("Te weinig waarden voor de opmaak.", "function.external") from None


def _java_math(name):
    import math

    def apply(*args):
        from .values import number
        xs = [Decimal(a) if is_number(a) else None for a in args]
        if any(x is None for x in xs):
            raise FeelEvaluationError("Verwacht getallen.", "function.external")
        if name == "max":
            return number(max(xs))
        if name == "min":
            return number(min(xs))
        if name == "abs":
            return number(abs(xs[0]))
        return number(Decimal(repr(getattr(math, name)(float(xs[0])))))
    return apply


_NUMERIC = {"double", "float", "int", "long", "short", "byte"}
# A small, safe whitelist of the Java static methods DMN models call (no JVM, no reflection).
JAVA_METHODS = {
    ("java.lang.Math", "max"): _java_math("max"), ("java.lang.Math", "min"): _java_math("min"),
    ("java.lang.Math", "abs"): _java_math("abs"), ("java.lang.Math", "cos"): _java_math("cos"),
    ("java.lang.Math", "sin"): _java_math("sin"), ("java.lang.Math", "tan"): _java_math("tan"),
    ("java.lang.Math", "sqrt"): _java_math("sqrt"), ("java.lang.Math", "exp"): _java_math("exp"),
    ("java.lang.Math", "log"): _java_math("log"),
    ("java.lang.String", "format"): _java_format,
}


def java_function(class_name: str, signature: str):
    """A Python callable for a whitelisted Java static method, or None (``external {java: ...}``)."""
    import re as _re
    m = _re.fullmatch(r"\s*([\w$]+)\s*\((.*)\)\s*", signature or "")
    if not m or not isinstance(class_name, str):
        return None
    method, params = m.group(1), [p.strip() for p in m.group(2).split(",") if p.strip()]
    if method == "valueOf" and len(params) == 1:
        target = class_name.rsplit(".", 1)[-1].lower()
        target = {"integer": "int", "character": "char"}.get(target, target)
        if target in _NUMERIC and (params[0] == "java.lang.String" or params[0] in _NUMERIC):
            return _java_number(target)
        if class_name == "java.lang.String" and params[0] == "char":
            return _java_char
        return None
    fn = JAVA_METHODS.get((class_name, method))
    if fn is None:
        return None
    if method in ("max", "min", "abs", "cos", "sin", "tan", "sqrt", "exp", "log") and \
            not all(p in _NUMERIC for p in params):
        return None
    return fn


def call_external(spec, args):
    java = spec.get("java") if isinstance(spec, dict) else None
    if not isinstance(java, dict):
        raise FeelEvaluationError("Externe functies anders dan Java (zoals PMML) worden niet ondersteund.",
                                  "function.external")
    fn = java_function(java.get("class"), java.get("method signature"))
    if fn is None:
        raise FeelEvaluationError(f"De Java-methode {java.get('class')}.{java.get('method signature')} is niet "
                                  "beschikbaar.", "function.external")
    return fn(*args)


def _unwrap_singletons(args, named):
    def one(v):
        return v[0] if isinstance(v, list) and len(v) == 1 else v
    new_args = [one(a) for a in args]
    new_named = {k: one(v) for k, v in named.items()} if named else named
    if new_args == args and new_named == named:
        return None
    return new_args, new_named


def invoke(fn, args: list, named: dict | None, where: str = ""):
    """Call a FEEL function value (or a plain Python callable); errors become null + diagnostic."""
    try:
        if isinstance(fn, Function):
            try:
                return fn.invoke(args, named or None, STATE)
            except FeelEvaluationError:
                # DMN 1.5 §10.3.2.9.4: a singleton list is its element where a list is not expected
                # (upper case(people[name = "Bob"].name)); built-ins do not declare parameter types,
                # so try again with singleton lists unwrapped before reporting the error.
                unwrapped = _unwrap_singletons(args, named)
                if unwrapped is None:
                    raise
                return fn.invoke(unwrapped[0], unwrapped[1] or None, STATE)
        if callable(fn):
            if named:
                return fn(**named)
            return fn(*args)
    except FeelEvaluationError as exc:
        report(exc.code or "evaluation", exc.message or str(exc), where)
        return None
    except RecursionError:
        report("recursion", "De functie roept zichzelf te vaak aan.", where)
        return None
    except Exception as exc:          # a built-in must never crash evaluation
        report("function.failed", f"De functie kon niet worden uitgevoerd: {type(exc).__name__}.", where)
        return None
    report("not-a-function", "Dit is geen functie en kan niet worden aangeroepen.", where)
    return None


# ---------------------------------------------------------------- compiler

class Compiler:
    """Compiles nodes; ``resolve`` maps a name as written to its variable key, ``functions`` maps
    names of user functions (DMN business knowledge models) to callables or Function values."""

    def __init__(self, resolve: Callable[[str], str] | None = None, functions: dict | None = None, text: str = "",
                 types: Callable[[str], Any] | None = None):
        self.resolve = resolve or _IDENTITY
        self.functions = functions or {}
        self.text = text
        self.types = types          # type name (item definition) -> types.FeelType, for instance of

    # expressions ---------------------------------------------------------
    def expr(self, node, local: frozenset = frozenset()) -> Callable[[dict], Any]:
        method = getattr(self, "c_" + type(node).__name__, None)
        if method is None:
            raise FeelSyntaxError("Deze expressie wordt niet ondersteund.", "unsupported")
        return method(node, local)

    def c_Literal(self, node, local):
        value = node.value
        return lambda ctx: value

    def c_Temporal(self, node, local):
        text, where = node.text, self.text

        def bad(ctx):
            report("temporal.invalid", f'"@{text}" is geen geldige datum, tijd of duur.', where)
            return None
        return bad

    def c_Name(self, node, local):
        name = node.name
        if name in local:
            return lambda ctx: ctx.get(name)
        key = self.resolve(name)
        if "." not in key:
            default = self.functions.get(name) or builtins_table().get(name)   # abs, sqrt as values
            return lambda ctx: ctx.get(key, default)
        parts = key.split(".")
        heads = [(".".join(parts[:cut]), parts[cut:]) for cut in range(len(parts) - 1, 0, -1)]
        path = ops.path

        where = self.text

        def dotted(ctx):
            if key in ctx:
                return ctx[key]
            for head, rest in heads:
                if head in ctx:
                    value = ctx[head]
                    for attr in rest:
                        base = value
                        value = path(value, attr)
                        if value is None:
                            _path_diag(base, attr, where)
                            return None
                    return value
            return None
        return dotted

    def c_Path(self, node, local):
        base, name, path, where = self.expr(node.base, local), node.name, ops.path, self.text

        def get(ctx):
            value = base(ctx)
            r = path(value, name)
            if r is None:
                _path_diag(value, name, where)
            return r
        return get

    def c_Unary(self, node, local):
        inner, neg, where = self.expr(node.operand, local), ops.neg, self.text

        def negate(ctx):
            v = inner(ctx)
            r = neg(v)
            if r is None:
                _arith_diag("neg", v, None, where)
            return r
        return negate

    def c_Binary(self, node, local):
        op = node.op
        left, right = self.expr(node.left, local), self.expr(node.right, local)
        if op == "and":
            def conj(ctx):
                a = left(ctx)
                if a is False:
                    return False
                b = right(ctx)
                if b is False:
                    return False
                return True if (a is True and b is True) else None
            return conj
        if op == "or":
            def disj(ctx):
                a = left(ctx)
                if a is True:
                    return True
                b = right(ctx)
                if b is True:
                    return True
                return False if (a is False and b is False) else None
            return disj
        fn = _BINARY[op]
        if op in _ARITHMETIC:
            where = self.text

            def arithmetic(ctx):
                a, b = left(ctx), right(ctx)
                r = fn(a, b)
                if r is None:                     # the TCK expects an error for null operands too
                    _arith_diag(op, a, b, where)
                return r
            return arithmetic
        where = self.text

        def compare(ctx):
            a, b = left(ctx), right(ctx)
            r = fn(a, b)
            if r is None:
                _arith_diag(op, a, b, where)
            return r
        return compare

    def c_ListNode(self, node, local):
        items = [self.expr(i, local) for i in node.items]
        return lambda ctx: [f(ctx) for f in items]

    def c_ContextNode(self, node, local):
        entries = []
        inner = set(local)
        for key, value in node.entries:
            entries.append((key, self.expr(value, frozenset(inner))))
            inner.add(key)

        def context(ctx):
            scope = dict(ctx)
            result = {}
            for key, f in entries:
                v = f(scope)
                result[key] = v
                scope[key] = v
            return result
        return context

    def c_RangeNode(self, node, local):
        low = self.expr(node.low, local) if node.low is not None else None
        high = self.expr(node.high, local) if node.high is not None else None
        lc, hc, where = node.low_closed, node.high_closed, self.text

        def make(ctx):
            a = low(ctx) if low is not None else None
            b = high(ctx) if high is not None else None
            if low is not None and high is not None:
                if a is None or b is None:
                    # an end that is null is unknown, not open: (null..10) is not < 10 (TCK 0068)
                    report("range.null_end", "Een grens van het bereik is leeg (null); gebruik < of > voor een "
                                             "open bereik.", where)
                    return None
                if ops.le(a, b) is None:
                    report("range.mixed", "De grenzen van een bereik hebben verschillende typen.", where)
                    return None
            elif (a if low is not None else b) is None:
                return None
            return Range(a, b, lc, hc)
        return make

    def c_Filter(self, node, local):
        base = self.expr(node.base, local)
        cond_node = node.condition
        cond = self.expr(cond_node, local | {"item"})
        where = self.text
        constant_index = isinstance(_fold_number(cond_node), A.Literal)

        def filt(ctx):
            items = base(ctx)
            if items is None:
                return None
            if not isinstance(items, list):
                items = [items]
            if constant_index:
                return _index(items, cond(ctx))
            if not items:
                r = cond(ctx)
                return None if is_number(r) else []
            out = []
            for item in items:
                scope = dict(ctx)
                scope["item"] = item
                if isinstance(item, dict):
                    scope.update(item)
                r = cond(scope)
                if r is True:
                    out.append(item)
                elif is_number(r):
                    return _index(items, r)
                elif r is not False and r is not None:
                    report("filter.not_boolean", "Een filter moet waar of onwaar opleveren (of een positie).", where)
                    return None
            return out
        return filt

    def _callee_args(self, node, local):
        args = [self.expr(a, local) for a in node.args]
        named = [(k, self.expr(v, local)) for k, v in node.named]
        return args, named

    def c_Call(self, node, local):
        name, where = node.function, self.text
        args, named = self._callee_args(node, local)
        if name in local:
            def lookup(ctx):
                return ctx.get(name)
        elif name in self.functions:
            fn = self.functions[name]

            def lookup(ctx):
                return fn
        else:
            key = self.resolve(name)
            table = builtins_table()
            builtin = table.get(name)
            if builtin is None and name == "not":
                builtin = _not

            def lookup(ctx):
                v = ctx.get(key)
                if v is not None and (isinstance(v, Function) or callable(v)):
                    return v
                if builtin is not None:
                    return builtin
                return v
        if not named:
            def call(ctx):
                return invoke(lookup(ctx), [a(ctx) for a in args], None, where)
            return call

        def call_named(ctx):
            return invoke(lookup(ctx), [a(ctx) for a in args], {k: v(ctx) for k, v in named}, where)
        return call_named

    def c_Invoke(self, node, local):
        callee, where = self.expr(node.callee, local), self.text
        args, named = self._callee_args(node, local)

        def call(ctx):
            fn = callee(ctx)
            return invoke(fn, [a(ctx) for a in args], {k: v(ctx) for k, v in named} if named else None, where)
        return call

    def c_If(self, node, local):
        cond, then, other = (self.expr(node.condition, local), self.expr(node.then, local),
                             self.expr(node.otherwise, local))
        return lambda ctx: then(ctx) if cond(ctx) is True else other(ctx)

    def _iterations(self, iterations, local):
        compiled = []
        inner = set(local)
        for name, domain, upper in iterations:
            compiled.append((name, self.expr(domain, frozenset(inner)),
                             self.expr(upper, frozenset(inner)) if upper is not None else None))
            inner.add(name)
        return compiled, frozenset(inner)

    def c_ForNode(self, node, local):
        its, inner = self._iterations(node.iterations, local)
        body = self.expr(node.body, inner | {"partial"})
        where = self.text

        def loop(ctx):
            results: list = []
            scope = dict(ctx)
            scope["partial"] = results

            def walk(level, scope):
                if level == len(its):
                    results.append(body(dict(scope)))
                    return True
                name, domain, upper = its[level]
                values = _domain(domain, upper, scope, where)
                if values is None:
                    return False
                for v in values:
                    scope[name] = v
                    if not walk(level + 1, scope):
                        return False
                return True
            if not walk(0, scope):
                return None
            return results
        return loop

    def c_Quantified(self, node, local):
        its, inner = self._iterations(node.iterations, local)
        cond = self.expr(node.condition, inner)
        some, where = node.kind == "some", self.text

        def quantify(ctx):
            outcomes = []

            def walk(level, scope):
                if level == len(its):
                    r = cond(scope)
                    outcomes.append(r)
                    return (r is True) if some else (r is False)   # stop early
                name, domain, upper = its[level]
                values = _domain(domain, upper, scope, where)
                if values is None:
                    outcomes.append(None)
                    return False
                for v in values:
                    scope[name] = v
                    if walk(level + 1, scope):
                        return True
                return False
            walk(0, dict(ctx))
            if any(r is not None and not isinstance(r, bool) for r in outcomes):
                report("quantified.not_boolean", "De voorwaarde na satisfies moet waar of onwaar opleveren.", where)
                return None
            if some:
                if any(r is True for r in outcomes):
                    return True
                return False if all(r is False for r in outcomes) else None
            if any(r is False for r in outcomes):
                return False
            return True if all(r is True for r in outcomes) else None
        return quantify

    def c_FunctionDef(self, node, local):
        names = [p for p, _ in node.params]
        types = [t for _, t in node.params]
        body = self.expr(node.body, local | frozenset(names))
        external, resolve_type = node.external, self.types
        return lambda ctx: UserFunction(names, types, body, ctx, external, resolve_type=resolve_type)

    def c_In(self, node, local):
        value = self.expr(node.value, local)
        tests, where = self.unary(node.tests, local), self.text

        def contained(ctx):
            v = value(ctx)
            r = tests(v, ctx)
            if r is None:
                report("in.unknown", "Of de waarde erin valt is onbekend (een lege waarde of verschillende typen).",
                       where)
            return r
        return contained

    def c_Between(self, node, local):
        value, low, high = self.expr(node.value, local), self.expr(node.low, local), self.expr(node.high, local)
        ge, le, where = ops.ge, ops.le, self.text

        def between(ctx):
            v = value(ctx)
            lo, hi = low(ctx), high(ctx)
            a, b = ge(v, lo), le(v, hi)
            if a is None or b is None:
                _arith_diag(">=" if a is None else "<=", v, lo if a is None else hi, where)
            if a is False or b is False:
                return False
            return True if (a is True and b is True) else None
        return between

    def c_InstanceOf(self, node, local):
        from .types import conforms
        value, t, resolve = self.expr(node.value, local), node.type, self.types
        return lambda ctx: conforms(value(ctx), t, resolve)

    # unary tests -----------------------------------------------------------
    def unary(self, node, local: frozenset = frozenset()) -> Callable[[Any, dict], Any]:
        if isinstance(node, A.AnyOf):
            if not node.tests:
                return lambda value, ctx: True
            parts = [self.positive(t, local) for t in node.tests]
            if len(parts) == 1:
                return parts[0]

            def any_of(value, ctx):
                unknown = False
                for part in parts:
                    r = part(value, ctx)
                    if r is True:
                        return True
                    if r is None:
                        unknown = True
                return None if unknown else False
            return any_of
        if isinstance(node, A.Negation):
            positive = self.unary(A.AnyOf(node.tests), local)

            def negation(value, ctx):
                r = positive(value, ctx)
                return None if r is None else not r
            return negation
        raise FeelSyntaxError("Dit is geen geldige invoertest.", "unsupported")

    def positive(self, test, local):
        if isinstance(test, A.Compare):
            op = test.op
            if isinstance(test.operand, A.Literal):
                constant = test.operand.value
                if op == "=" and constant is None:
                    return lambda value, ctx: value is None
                if op == "=" and isinstance(constant, bool):
                    return lambda value, ctx: None if value is None else value is constant
                if op == "=" and isinstance(constant, str):
                    return lambda value, ctx: None if value is None else (value == constant if isinstance(value, str) else False)
                if is_number(constant):
                    return _numeric_compare(op, constant)
                if op == "=":
                    return lambda value, ctx: _test_match(value, constant, False)
                fn = _BINARY[op]
                return lambda value, ctx: fn(value, constant)
            uses_q = _uses_question(test.operand)
            operand = self.expr(test.operand, local | {"?"} if uses_q else local)
            if op == "=":
                if uses_q:
                    def question(value, ctx):
                        scope = dict(ctx)
                        scope["?"] = value
                        return _test_match(value, operand(scope), True)
                    return question
                return lambda value, ctx: _test_match(value, operand(ctx), False)
            fn = _BINARY[op]
            if uses_q:
                def question_cmp(value, ctx):
                    scope = dict(ctx)
                    scope["?"] = value
                    return fn(value, operand(scope))
                return question_cmp
            return lambda value, ctx: fn(value, operand(ctx))
        if isinstance(test, A.Interval):
            low, high = test.low, test.high
            if isinstance(low, A.Literal) and isinstance(high, A.Literal) and is_number(low.value) and is_number(high.value):
                return _numeric_interval(low.value, high.value, test.low_closed, test.high_closed)
            low_fn, high_fn = self.expr(low, local), self.expr(high, local)
            low_op = ops.ge if test.low_closed else ops.gt
            high_op = ops.le if test.high_closed else ops.lt
            where = self.text

            def interval(value, ctx):
                lo = low_fn(ctx)
                a = low_op(value, lo)
                if a is None:
                    _arith_diag(">=", value, lo, where)
                elif a is False:
                    return False
                hi = high_fn(ctx)
                b = high_op(value, hi)
                if b is None:
                    _arith_diag("<=", value, hi, where)
                elif b is False:
                    return False
                return True if (a and b) else None
            return interval
        raise FeelSyntaxError("Dit is geen geldige invoertest.", "unsupported")


def _fold_number(node):
    """A number literal (also ``-1``) as a Literal, else the node."""
    if isinstance(node, A.Unary) and node.op == "-" and isinstance(node.operand, A.Literal) and is_number(node.operand.value):
        return A.Literal(-node.operand.value)
    if isinstance(node, A.Literal) and is_number(node.value):
        return node
    return None


def _not(value):
    return (not value) if isinstance(value, bool) else None


def _index(items: list, index):
    if not is_number(index):
        return None
    if index != int(index):
        return None
    i = int(index)
    if i > 0 and i <= len(items):
        return items[i - 1]
    if i < 0 and -i <= len(items):
        return items[i]
    return None


def _domain(domain, upper, scope, where):
    """The values a ``for``/``some``/``every`` variable runs over (None: not iterable)."""
    start = domain(scope)
    if upper is None:
        if isinstance(start, list):
            return list(start)
        if isinstance(start, Range):
            if start.start is None or start.end is None or ops.gt(start.start, start.end) is not False:
                report("range.not_iterable", "Dit bereik kan niet worden doorlopen (open of aflopend).", where)
                return None
            return _range_values(start.start, start.end, start.start_included, start.end_included, where)
        if start is None:
            return None
        return [start]
    return _range_values(start, upper(scope), True, True, where)


def _range_values(a, b, a_in, b_in, where):
    if is_number(a) and is_number(b) and a == int(a) and b == int(b):
        a, b = int(a), int(b)
        if abs(b - a) > 1_000_000:
            report("range.too_long", "Een reeks van meer dan een miljoen waarden wordt niet doorlopen.", where)
            return None
        step = 1 if b >= a else -1
        values = list(range(a, b + step, step))
    elif type(a) is _dt.date and type(b) is _dt.date:
        days = (b - a).days
        step = 1 if days >= 0 else -1
        if abs(days) > 1_000_000:
            return None
        values = [a + _dt.timedelta(days=k) for k in range(0, days + step, step)]
    else:
        report("range.not_iterable", "Alleen een reeks gehele getallen of datums kan worden doorlopen.", where)
        return None
    if not a_in and values:
        values = values[1:]
    if not b_in and values:
        values = values[:-1]
    return values


def _uses_question(node) -> bool:
    if isinstance(node, A.Name):
        return node.name == "?" or node.name.startswith("?.")
    return any(_uses_question(c) for c in A.children(node))


def _test_match(value, expected, question: bool):
    """An expression used as a unary test (DMN 1.5): true when it evaluates to true (with ``?``
    the input value), when the input is in the resulting list or range, or when it equals the input."""
    if isinstance(expected, bool):
        if question or not isinstance(value, bool):
            return expected
        return value is expected
    if isinstance(expected, Range):
        return expected.contains(value)
    if isinstance(expected, list):
        if isinstance(value, list) and ops.eq(value, expected) is True:
            return True
        unknown = False
        for item in expected:
            r = _test_match(value, item, question) if isinstance(item, Range) else ops.eq(value, item)
            if r is True:
                return True
            if r is None:
                unknown = True
        return False
    r = ops.eq(value, expected)
    return False if r is None and value is not None and expected is not None else r


def _path_diag(value, name, where):
    if STATE.diagnostics is None:
        return
    if isinstance(value, dict) and name in value:
        return                     # the entry is there and is null
    from .values import dutch_type
    report("path.missing", f'"{name}" bestaat niet voor een waarde van het type {dutch_type(value)}.', where)


def _arith_diag(op, a, b, where):
    diagnostics = STATE.diagnostics
    if diagnostics is None:
        return
    try:
        diagnostics.append(ops.null_diagnostic(op, a, b, where))
    except Exception:  # pragma: no cover - a diagnostic must never break evaluation
        report("arithmetic.undefined", "Deze berekening is niet gedefinieerd voor deze waarden.", where)


_BINARY = {"+": ops.add, "-": ops.sub, "*": ops.mul, "/": ops.div, "**": ops.pow,
           "=": ops.eq, "!=": ops.ne, "<": ops.lt, "<=": ops.le, ">": ops.gt, ">=": ops.ge}
_ARITHMETIC = {"+", "-", "*", "/", "**"}


def _numeric_compare(op, constant):
    # Hot path: a comparison with a number literal. bool is an int subclass, so exclude it.
    if op == "<":
        return lambda v, ctx: (v < constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if not is_number(v) else v < constant)
    if op == "<=":
        return lambda v, ctx: (v <= constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if not is_number(v) else v <= constant)
    if op == ">":
        return lambda v, ctx: (v > constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if not is_number(v) else v > constant)
    if op == ">=":
        return lambda v, ctx: (v >= constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if not is_number(v) else v >= constant)
    if op == "=":
        return lambda v, ctx: (v == constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if v is None else False)
    return lambda v, ctx: (v != constant) if (v.__class__ is int or v.__class__ is Decimal) else (None if v is None else True)


def _numeric_interval(low, high, low_closed, high_closed):
    def interval(v, ctx):
        if not (v.__class__ is int or v.__class__ is Decimal):
            return None
        if low_closed:
            if v < low:
                return False
        elif v <= low:
            return False
        if high_closed:
            return v <= high
        return v < high
    return interval


# ---------------------------------------------------------------- guarded entry points

def guard_expression(fn, where: str):
    """Wrap a compiled expression so that no Python exception escapes (null + diagnostic)."""
    def guarded(ctx):
        try:
            return fn(ctx)
        except RecursionError:
            report("recursion", "De berekening is te diep genest of roept zichzelf te vaak aan.", where)
        except Exception as exc:
            report("internal", f"De expressie kon niet worden berekend ({type(exc).__name__}).", where)
        return None
    return guarded


def guard_tests(fn, where: str):
    def guarded(value, ctx):
        try:
            return fn(value, ctx)
        except RecursionError:
            report("recursion", "De test is te diep genest.", where)
        except Exception as exc:
            report("internal", f"De test kon niet worden uitgevoerd ({type(exc).__name__}).", where)
        return None
    return guarded
