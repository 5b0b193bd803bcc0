"""Boxed expressions compiled once into evaluators ``ev(scope, run) -> value``.

Literal expression, context (entries see earlier entries; with or without a final result),
relation, list, invocation, function definition (FEEL kind; Java and PMML are refused with a
finding naming the element), decision table (``tables.py``), and DMN 1.5's conditional, filter
and iterators (for, some, every). ``scope`` is a Mapping of names to FEEL values; ``run`` the
current evaluation (diagnostics, trace, call depth).
"""
from __future__ import annotations

import re
from collections import ChainMap

from . import feelbridge
from .juel import to_feel
from .reader import local
from .runtime import MAX_ITERATIONS, DmnFunction, Run, invoke

BOXED_KINDS = ("literalExpression", "context", "relation", "list", "invocation", "functionDefinition",
               "decisionTable", "conditional", "filter", "for", "some", "every")


_WORD = re.compile(r"\w+")


class NameIndex:
    """Names by their first word, so that the FEEL parser is given only the names a text can
    contain (a model with 2,000 decisions stays quick to load)."""

    def __init__(self, names):
        self.by_word: dict = {}
        self.always: list = []
        for name in names:
            m = _WORD.match(name)
            if m:
                self.by_word.setdefault(m.group(), []).append(name)
            else:
                self.always.append(name)

    def candidates(self, text: str) -> list:
        found = list(self.always)
        for word in set(_WORD.findall(text)):
            found.extend(self.by_word.get(word, ()))
        return found


class LoadError(Exception):
    """An element that cannot be compiled; the message (Dutch) names it."""


class Compiler:
    """Compiles the boxed expressions of one model. ``names``: the names visible at model level."""

    def __init__(self, types, functions, findings_add, camunda: bool = False, juel: bool = False):
        self.juel = juel                     # Camunda 7 model with expressionLanguage="juel"
        self.types = types
        self.functions = functions           # unused: function values live in the variables
        self.add = findings_add
        self.camunda = camunda
        self._indexes: dict = {}

    def relevant(self, names, text: str):
        """The names of ``names`` that may occur in ``text``."""
        if len(names) < 64:
            return names
        key = names if isinstance(names, tuple) else tuple(names)
        index = self._indexes.get(key)
        if index is None:
            if len(self._indexes) > 256:
                self._indexes.clear()
            index = self._indexes[key] = NameIndex(key)
        return index.candidates(text)

    # ---------------------------------------------------------------- helpers
    @staticmethod
    def child(element, tag):
        return next((c for c in element if local(c.tag) == tag), None)

    @staticmethod
    def children(element, tag):
        return [c for c in element if local(c.tag) == tag]

    def text(self, element) -> str:
        node = self.child(element, "text")
        return (node.text or "").strip() if node is not None else ""

    def expression(self, text: str, names, where: str, juel: bool = False):
        """A compiled FEEL expression (simple JUEL in a Camunda model is read as FEEL), or LoadError."""
        return self._compile(lambda t, n, f: feelbridge.compile_expression(t, n, f, types=self.item_type),
                             "FEEL-expressie", text, names, where, juel or self.camunda)

    def item_type(self, name: str):
        """The model's item definition called ``name`` (``x instance of tPerson``), or None."""
        registry = self.types
        prefix = name.split(".", 1)[0]
        if name in registry.types or name in registry.elements or (
                "." in name and prefix in registry.imported):
            return registry.resolve(name)
        return None

    def tests(self, text: str, names, where: str):
        """Compiled unary tests; a JUEL condition (Camunda 7) matches when it is true. Or LoadError."""
        return self._compile(feelbridge.compile_tests, "invoertest", text, names, where,
                             self.juel or text.startswith(("${", "#{")))

    def _compile(self, compile_fn, kind: str, text: str, names, where: str, juel: bool):
        try:
            return compile_fn(text, self.relevant(names, text), self.functions)
        except feelbridge.FeelSyntaxError as exc:
            rewritten = to_feel(text) if juel else None
            if rewritten is not None and rewritten != text:
                try:
                    compiled = compile_fn(rewritten, self.relevant(names, rewritten), self.functions)
                except Exception:  # noqa: BLE001 - the JUEL reading does not parse either
                    compiled = None
                if compiled is not None:
                    self.add("dmn-juel", f"{where}: de JUEL-tekst '{_short(text)}' is gelezen als FEEL "
                                         f"'{_short(rewritten)}'.")
                    return compiled
            raise LoadError(f"{where}: '{_short(text)}' is geen geldige {kind}: {exc}") from None
        except RecursionError:
            raise LoadError(f"{where}: de {kind} is te diep genest.") from None
        except Exception as exc:  # noqa: BLE001 - a parser fault must not sink the whole model
            raise LoadError(f"{where}: '{_short(text)}' kan niet worden gelezen ({exc.__class__.__name__}).") from None

    def param_types(self, params, where: str) -> dict:
        """parameter name -> DmnType for the typed parameters of a function (BKM or boxed)."""
        types = {}
        for pname, ptype in params:
            if ptype:
                t = self.types.resolve(ptype, f"{where}, parameter '{pname}'")
                if t.known and t.base != "Any":
                    types[pname] = t
        return types

    @staticmethod
    def check_language(element, text: str, where: str) -> None:
        """Only FEEL runs; a JUEL ``${name}`` (Camunda 7) reads the variable and is allowed."""
        language = element.get("expressionLanguage") if element is not None else None
        if not language or "feel" in language.lower():
            return
        if "juel" in language.lower():
            return                     # simple JUEL is rewritten as FEEL (juel.py), else refused
        raise LoadError(f"{where}: expressietaal '{language}' wordt niet ondersteund (alleen FEEL).")

    def boxed_child(self, element):
        return next((c for c in element if local(c.tag) in BOXED_KINDS), None)

    # ---------------------------------------------------------------- dispatch
    def compile(self, element, names: tuple, where: str):
        """An evaluator for a boxed expression element (None element: always null)."""
        if element is None:
            return lambda scope, run: None
        kind = local(element.tag)
        method = getattr(self, "_" + kind, None)
        if method is None:
            raise LoadError(f"{where}: de expressiesoort <{kind}> wordt niet ondersteund.")
        ev = method(element, names, where)
        type_ref = element.get("typeRef")
        if type_ref and kind not in ("functionDefinition", "decisionTable"):
            dmn_type = self.types.resolve(type_ref, where)
            if dmn_type.known and dmn_type.base != "Any":
                return lambda scope, run, ev=ev: dmn_type.check(ev(scope, run), run.diagnostics, where)
        return ev

    def _literalExpression(self, element, names, where):
        text = self.text(element)
        if not text:
            return lambda scope, run: None
        self.check_language(element, text, where)
        expr = self.expression(text, names, where, juel="juel" in (element.get("expressionLanguage") or "").lower())

        def literal(scope, run):
            return expr.evaluate(scope, run.diagnostics)
        return literal

    def _context(self, element, names, where):
        entries, final = [], None
        names = tuple(names)
        for entry in self.children(element, "contextEntry"):
            variable = self.child(entry, "variable")
            value = self.boxed_child(entry)
            if variable is None:
                final = self.compile(value, names, f"{where}, eindresultaat")
                continue
            name = variable.get("name") or ""
            entry_where = f"{where}, context-item '{name}'"
            dmn_type = self.types.resolve(variable.get("typeRef"), entry_where) if variable.get("typeRef") else None
            if value is not None and local(value.tag) == "functionDefinition":
                names = names + (name,)          # a function entry may call itself
                ev = self.compile(value, names, entry_where)
            else:
                ev = self.compile(value, names, entry_where)
                names = names + (name,)
            entries.append((name, ev, dmn_type, entry_where))

        def context(scope, run):
            values: dict = {}
            inner = ChainMap(values, scope)
            for name, ev, dmn_type, entry_where in entries:
                value = ev(inner, run)
                if dmn_type is not None and dmn_type.known:
                    value = dmn_type.check(value, run.diagnostics, entry_where)
                values[name] = value
            if final is not None:
                return final(inner, run)
            return values
        return context

    def _relation(self, element, names, where):
        columns = [c.get("name") for c in self.children(element, "column")]
        rows = []
        for r, row in enumerate(self.children(element, "row")):
            cells = [c for c in row if local(c.tag) in BOXED_KINDS]
            if len(cells) != len(columns):
                raise LoadError(f"{where}: rij {r + 1} van de relatie heeft {len(cells)} cellen voor "
                                f"{len(columns)} kolommen.")
            rows.append([self.compile(c, names, f"{where}, rij {r + 1}") for c in cells])

        def relation(scope, run):
            return [{name: ev(scope, run) for name, ev in zip(columns, row)} for row in rows]
        return relation

    def _list(self, element, names, where):
        items = [self.compile(c, names, f"{where}, item {i + 1}")
                 for i, c in enumerate(c for c in element if local(c.tag) in BOXED_KINDS)]
        return lambda scope, run: [ev(scope, run) for ev in items]

    def _invocation(self, element, names, where):
        callee_node = self.boxed_child(element)
        callee = self.compile(callee_node, names, f"{where}, aangeroepen functie")
        callee_text = self.text(callee_node) if callee_node is not None else "?"
        bindings = []
        for binding in self.children(element, "binding"):
            parameter = self.child(binding, "parameter")
            pname = parameter.get("name") if parameter is not None else None
            bindings.append((pname, self.compile(self.boxed_child(binding), names, f"{where}, parameter '{pname}'")))

        def invocation(scope, run):
            function = callee(scope, run)
            named = {p: ev(scope, run) for p, ev in bindings}
            missing = [p for p in getattr(function, "params", ()) if p not in named]
            if missing and isinstance(function, DmnFunction):
                run.report("invocation", f"{where}: aanroep van '{callee_text}' zonder parameter(s) "
                                         f"{', '.join(missing)}; de uitkomst is null.")
                return None
            return invoke(function, [], named, run, f"{where}: aanroep van '{callee_text}'")
        return invocation

    def _functionDefinition(self, element, names, where):
        kind = (element.get("kind") or "FEEL").upper()
        params = [(p.get("name"), p.get("typeRef")) for p in self.children(element, "formalParameter")]
        if kind == "JAVA":
            return self._java(element, [p for p, _ in params], where)
        if kind != "FEEL":
            raise LoadError(f"{where}: een functiedefinitie van soort {kind} (PMML) wordt niet ondersteund; "
                            "alleen FEEL en een vaste lijst Java-methoden (java.lang.Math e.d.).")
        param_types = self.param_types(params, where)
        body = self.compile(self.boxed_child(element), tuple(names) + tuple(p for p, _ in params), where)
        result_type = None
        if element.get("typeRef"):
            t = self.types.resolve(element.get("typeRef"), where)
            result_type = t if t.known and t.base != "Any" and not t.function else None
        pnames = [p for p, _ in params]

        def definition(scope, run):
            return DmnFunction(where, pnames, body, scope, param_types, result_type, kind="Functie")
        return definition

    def _java(self, element, params, where):
        """kind="Java": a context with ``class`` and ``method signature``; only the FEEL package's
        whitelist of side-effect-free static methods (java.lang.Math, valueOf, ...) runs."""
        body = self.boxed_child(element)
        entries = {}
        if body is not None and local(body.tag) == "context":
            for entry in self.children(body, "contextEntry"):
                variable = self.child(entry, "variable")
                value = self.boxed_child(entry)
                if variable is not None and value is not None and local(value.tag) == "literalExpression":
                    text = self.text(value)
                    entries[variable.get("name")] = text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text
        class_name, signature = entries.get("class"), entries.get("method signature")
        try:
            from ..feel.interpreter import java_function
        except ImportError:  # pragma: no cover
            java_function = None
        fn = java_function(class_name, signature) if java_function and class_name and signature else None
        if fn is None:
            raise LoadError(f"{where}: de Java-functie {class_name or '?'}.{signature or '?'} wordt niet ondersteund "
                            "(alleen een vaste lijst methoden zonder bijwerkingen, zoals java.lang.Math).")

        def call(bound, run):
            try:
                return fn(*[bound[p] for p in params])
            except Exception as exc:  # noqa: BLE001 - a Java method refusing its arguments
                run.report("function.external", f"{where}: {getattr(exc, 'message', None) or exc}")
                return None

        def definition(scope, run):
            return DmnFunction(where, params, call, scope, {}, None, kind="Java-functie")
        return definition

    def _decisionTable(self, element, names, where):
        from .tables import compile_table
        return compile_table(self, element, names, where)

    def _conditional(self, element, names, where):
        parts = {}
        for tag in ("if", "then", "else"):
            node = self.child(element, tag)
            parts[tag] = self.compile(self.boxed_child(node) if node is not None else None, names, f"{where}, {tag}")
        cond, then, other = parts["if"], parts["then"], parts["else"]

        def conditional(scope, run):
            test = cond(scope, run)
            if test is not None and not isinstance(test, bool):
                run.report("conditional", f"{where}: de voorwaarde geeft {_kind(test)}, geen waar/onwaar; "
                                          "de uitkomst is null.")
                return None
            return then(scope, run) if test is True else other(scope, run)
        return conditional

    def _filter(self, element, names, where):
        source = self.compile(self.boxed_child(self.child(element, "in")), names, f"{where}, in")
        match_node = self.child(element, "match")
        match = self.compile(self.boxed_child(match_node) if match_node is not None else None,
                             tuple(names) + ("item",), f"{where}, match")

        def filter_(scope, run):
            items = source(scope, run)
            if items is None:
                return None
            if not isinstance(items, list):
                items = [items]
            kept = []
            for item in items:
                bound = dict(item) if isinstance(item, dict) else {}
                bound["item"] = item
                verdict = match(ChainMap(bound, scope), run)
                if verdict is True:
                    kept.append(item)
                elif verdict is not None and verdict is not False:
                    run.report("filter", f"{where}: 'match' geeft {_kind(verdict)}, geen waar/onwaar; "
                                         "de uitkomst is null.")
                    return None
            return kept
        return filter_

    def _iterator(self, element, names, where, kind):
        variable = element.get("iteratorVariable") or "item"
        source = self.compile(self.boxed_child(self.child(element, "in")), names, f"{where}, in")
        tag = "return" if kind == "for" else "satisfies"
        body_node = self.child(element, tag)
        body = self.compile(self.boxed_child(body_node) if body_node is not None else None,
                            tuple(names) + (variable, "partial"), f"{where}, {tag}")

        def iterate(scope, run):
            items = source(scope, run)
            if items is None:
                return None
            if not isinstance(items, list):
                if hasattr(items, "start") and hasattr(items, "end") and isinstance(items.start, int) \
                        and isinstance(items.end, int):
                    step = 1 if items.end >= items.start else -1
                    if abs(items.end - items.start) > MAX_ITERATIONS:
                        run.report("iteration-limit", f"{where}: meer dan {MAX_ITERATIONS} herhalingen.")
                        return None
                    items = list(range(items.start, items.end + step, step))
                else:
                    items = [items]
            results, unknown = [], False
            for item in items:
                value = body(ChainMap({variable: item, "partial": results}, scope), run)
                if kind != "for" and value is not None and not isinstance(value, bool):
                    run.report("iterator", f"{where}: 'satisfies' geeft {_kind(value)}, geen waar/onwaar; "
                                           "de uitkomst is null.")
                    return None
                if kind == "for":
                    results.append(value)
                elif kind == "some" and value is True:
                    return True
                elif kind == "every" and value is False:
                    return False
                elif value is not (kind == "every"):
                    unknown = unknown or value is not False
            if kind == "for":
                return results
            return None if unknown else kind == "every"
        return iterate

    def _for(self, element, names, where):
        return self._iterator(element, names, where, "for")

    def _some(self, element, names, where):
        return self._iterator(element, names, where, "some")

    def _every(self, element, names, where):
        return self._iterator(element, names, where, "every")


def _kind(value) -> str:
    try:
        from ..feel.values import dutch_type
        return dutch_type(value)
    except ImportError:  # pragma: no cover
        return type(value).__name__


def _short(text: str) -> str:
    return text if len(text) <= 120 else text[:117] + "..."


def evaluate_guarded(ev, scope, run: Run, where: str):
    """Evaluate; any exception becomes null plus a diagnostic (nothing escapes a decision)."""
    try:
        return ev(scope, run)
    except RecursionError:
        run.report("recursion-limit", f"{where}: de berekening is te diep genest en is gestopt.")
    except Exception as exc:  # noqa: BLE001
        run.report("evaluation", f"{where}: {exc.__class__.__name__}: {exc}")
    return None
