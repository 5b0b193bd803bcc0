"""DMN decision tables with FEEL semantics, as boxed expressions (in decisions, BKMs, contexts).

Input entries are full FEEL unary tests (``?`` is the input value; Camunda's ``cellInput`` and
``camunda:inputVariable`` name it too); inputValues and outputValues constrain values; all hit
policies and aggregations; defaultOutputEntry when no rule matches; several outputs give a
context per rule. A hit-policy violation (several rules under UNIQUE, different outputs under
ANY) is null plus a diagnostic naming the rules; the rest of the model still evaluates.
"""
from __future__ import annotations

import re
from collections import ChainMap
from decimal import Decimal

from .. import feel
from ..evaluate import Fired
from .reader import CAMUNDA_NS, local
from .runtime import Run

HIT_POLICIES = {"UNIQUE": "U", "ANY": "A", "PRIORITY": "P", "FIRST": "F", "RULE ORDER": "R",
                "OUTPUT ORDER": "O", "COLLECT": "C", "U": "U", "A": "A", "P": "P", "F": "F", "R": "R", "O": "O",
                "C": "C"}
AGGREGATIONS = {"SUM": "+", "MIN": "<", "MAX": ">", "COUNT": "#"}


ANNOTATION_TEXT, ANNOTATION_SOURCE = "Toelichting", "Bron"
_JUEL_NAME = re.compile(r"^\$\{\s*([^\W\d][\w.]*)\s*\}$")


class _Rule:
    __slots__ = ("id", "index", "tests", "outputs", "annotation", "source", "fired")

    def __init__(self, rule_id, index, tests, outputs, annotation, source, table_name):
        self.id, self.index, self.tests, self.outputs = rule_id, index, tests, outputs
        self.annotation, self.source = annotation, source
        text = f"{annotation} ({source})" if annotation and source else annotation or source
        self.fired = Fired(table_name, rule_id, text, source, index, "")


def _literal_list(compiler, text, names, where):
    """The values of an outputValues list ("a", "b", 3), for PRIORITY and OUTPUT ORDER."""
    values = []
    for part in _split_top(text):
        ev = compiler.expression(part, names, where)
        values.append(ev.evaluate({}, []))
    return values


def _split_top(text: str) -> list[str]:
    parts, depth, quote, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == '"' and (i == 0 or text[i - 1] != "\\"):
            quote = not quote
        elif not quote and ch in "([{":
            depth += 1
        elif not quote and ch in ")]}":
            depth -= 1
        elif not quote and depth == 0 and ch == ",":
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def compile_table(compiler, element, names, where):
    from .boxed import LoadError
    names = tuple(names)
    hit_text = (element.get("hitPolicy") or "UNIQUE").strip().upper()
    hit = HIT_POLICIES.get(hit_text)
    if hit is None:
        raise LoadError(f"{where}: hit policy '{element.get('hitPolicy')}' bestaat niet.")
    aggregation = (element.get("aggregation") or "").strip().upper()
    if aggregation:
        if hit != "C" or aggregation not in AGGREGATIONS:
            raise LoadError(f"{where}: aggregatie '{element.get('aggregation')}' past niet bij hit policy {hit_text}.")
        aggregation = AGGREGATIONS[aggregation]
    if (element.get("preferredOrientation") or "Rule-as-Row") not in ("Rule-as-Row", "RuleAsRow"):
        compiler.add("dmn-orientation", f"{where}: de tabel wordt gelezen met regels als rijen.")

    # ---- inputs
    inputs = []        # (label, expression evaluator or None, input value tests, bound variable name)
    for index, column in enumerate(compiler.children(element, "input")):
        label = column.get("label") or ""
        expression = compiler.child(column, "inputExpression")
        text = compiler.text(expression) if expression is not None else ""
        col_where0 = f"{where}, invoer {index + 1}"
        compiler.check_language(expression, text, col_where0)
        juel = _JUEL_NAME.match(text)
        if juel:                       # Camunda 7's JUEL input expression ${name}: the variable name
            text = juel.group(1)
        variable = column.get(f"{{{CAMUNDA_NS}}}inputVariable")
        col_where = f"{where}, invoer {index + 1}" + (f" ('{label or text}')" if (label or text) else "")
        if text:
            ev = compiler.expression(text, names, col_where)
        elif variable:
            ev = None                      # Camunda: the value is the variable named by inputVariable
        elif compiler.juel:
            ev = None                      # Camunda 7 (JUEL model): an empty input expression is null
        else:
            raise LoadError(f"{col_where}: de invoerexpressie is leeg.")
        values_node = compiler.child(column, "inputValues")
        allowed = None
        if values_node is not None and compiler.text(values_node):
            allowed = compiler.tests(compiler.text(values_node), names, f"{col_where}, inputValues")
        inputs.append((label or text or variable, ev, allowed, variable, text or variable, col_where))
    cell_names = names + tuple(v for *_, v, _t, _w in inputs if v) + ("cellInput",)

    # ---- outputs
    output_nodes = compiler.children(element, "output")
    if not output_nodes:
        raise LoadError(f"{where}: de beslistabel heeft geen uitkomstkolom.")
    outputs = []       # (name, priority values or None, output value tests, default evaluator, type)
    for index, node in enumerate(output_nodes):
        oname = node.get("name") or (node.get("label") if len(output_nodes) > 1 else None) or f"uitkomst{index + 1}"
        out_where = f"{where}, uitkomst '{oname}'"
        values_node = compiler.child(node, "outputValues")
        priorities, allowed = None, None
        values_text = compiler.text(values_node) if values_node is not None else ""
        if values_text:
            allowed = compiler.tests(values_text, names, f"{out_where}, outputValues")
            try:
                priorities = _literal_list(compiler, values_text, names, out_where)
            except LoadError:
                priorities = None
        elif node.get("typeRef"):
            t = compiler.types.resolve(node.get("typeRef"), out_where)
            if t.allowed_text:
                try:
                    priorities = _literal_list(compiler, t.allowed_text, names, out_where)
                except LoadError:
                    priorities = None
        default_node = compiler.child(node, "defaultOutputEntry")
        default = None
        if default_node is not None and compiler.text(default_node):
            default = compiler.expression(compiler.text(default_node), names, f"{out_where}, standaarduitkomst")
        dmn_type = compiler.types.resolve(node.get("typeRef"), out_where) \
            if node.get("typeRef") and not compiler.camunda else None
        if dmn_type is not None and (not dmn_type.known or dmn_type.base == "Any"):
            dmn_type = None
        outputs.append((oname, priorities, allowed, default, dmn_type, out_where))
    if hit in ("P", "O") and not any(o[1] for o in outputs):
        raise LoadError(f"{where}: hit policy {hit_text} vraagt om outputValues (de volgorde van de uitkomsten).")

    # ---- rules
    annotations = [a.get("name") or "" for a in compiler.children(element, "annotation")]
    table_name = where.split("'")[1] if where.count("'") >= 2 else where
    rules, display = [], []
    for index, rule_node in enumerate(compiler.children(element, "rule")):
        rule_id = rule_node.get("id") or f"{index + 1}"
        rule_where = f"{where}, regel {rule_id}"
        entries = compiler.children(rule_node, "inputEntry")
        if len(entries) != len(inputs):
            raise LoadError(f"{rule_where}: {len(entries)} invoercellen voor {len(inputs)} invoerkolommen.")
        tests = []
        for i, entry in enumerate(entries):
            text = compiler.text(entry)
            compiler.check_language(entry, text, f"{rule_where}, invoer {i + 1}")
            if text in ("", "-"):
                continue
            tests.append((i, compiler.tests(text, cell_names, f"{rule_where}, invoer {i + 1}")))
        out_entries = compiler.children(rule_node, "outputEntry")
        if len(out_entries) != len(outputs):
            raise LoadError(f"{rule_where}: {len(out_entries)} uitkomstcellen voor {len(outputs)} uitkomsten.")
        rule_outputs = []
        for i, entry in enumerate(out_entries):
            text = compiler.text(entry)
            compiler.check_language(entry, text, f"{rule_where}, uitkomst {i + 1}")
            rule_outputs.append(compiler.expression(text, cell_names, f"{rule_where}, uitkomst {i + 1}")
                                if text and text != "-" else None)
        texts = [compiler.text(a) for a in compiler.children(rule_node, "annotationEntry")]
        source = next((t for h, t in zip(annotations, texts) if h == ANNOTATION_SOURCE and t), "")
        notes = [t for h, t in zip(annotations, texts) if t and h != ANNOTATION_SOURCE] + texts[len(annotations):]
        description = compiler.child(rule_node, "description")
        if description is not None and (description.text or "").strip():
            notes.append(description.text.strip())
        annotation = "; ".join(dict.fromkeys(t for t in notes if t))
        rules.append(_Rule(rule_id, index, tests, rule_outputs, annotation, source, table_name))
        display.append((rule_id, [compiler.text(e) or "-" for e in entries],
                        [compiler.text(e) for e in out_entries], annotation, source))

    single = len(outputs) == 1

    def evaluate_table(scope, run: Run):
        diagnostics = run.diagnostics
        values = []
        for label, ev, allowed, variable, text, col_where in inputs:
            if ev is None:
                value = scope.get(variable) if hasattr(scope, "get") else None
            else:
                value = ev.evaluate(scope, diagnostics)
            if allowed is not None and value is not None and allowed.matches(value, scope, diagnostics) is not True:
                run.report("input-values", f"{col_where}: de waarde {_show(value)} valt buiten de toegestane "
                                           "invoerwaarden; de uitkomst is null.")
                return None
            values.append(value)
        matched = []
        for rule in rules:
            ok = True
            for i, test in rule.tests:
                variable = inputs[i][3]
                bound = {"cellInput": values[i]}
                if variable:
                    bound[variable] = values[i]
                if test.matches(values[i], ChainMap(bound, scope), diagnostics) is not True:
                    ok = False
                    break
            if ok:
                matched.append(rule)
                if hit == "F":
                    break
        if not matched:
            if any(o[3] is not None for o in outputs):
                result = {o[0]: (o[3].evaluate(scope, diagnostics) if o[3] is not None else None) for o in outputs}
                return result[outputs[0][0]] if single else result
            if hit == "C" and aggregation == "#":
                return 0
            return [] if hit in ("C", "R", "O") and not aggregation else None
        if hit == "U" and len(matched) > 1:
            run.report("hit-policy", f"{where}: hit policy UNIQUE, maar de regels "
                                     f"{', '.join(r.id for r in matched)} zijn alle van toepassing; de uitkomst is null.")
            return None
        cell_scopes = ChainMap({"cellInput": None}, scope)
        results = []
        for rule in matched:
            row = {}
            for (oname, _p, allowed, _d, dmn_type, out_where), ev in zip(outputs, rule.outputs):
                value = ev.evaluate(cell_scopes, diagnostics) if ev is not None else None
                if dmn_type is not None and value is not None:
                    value = dmn_type.check(value, diagnostics, out_where)
                if allowed is not None and value is not None and \
                        allowed.matches(value, cell_scopes, diagnostics) is not True:
                    run.report("output-values", f"{out_where}, regel {rule.id}: de uitkomst {_show(value)} valt "
                                                "buiten de uitkomstwaarden (outputValues); de uitkomst is null.")
                    return None
                row[oname] = value
            results.append(row)
        if hit == "A":
            first = results[0]
            if any(not _equal(r, first) for r in results[1:]):
                run.report("hit-policy", f"{where}: hit policy ANY, maar de regels "
                                         f"{', '.join(r.id for r in matched)} geven verschillende uitkomsten; "
                                         "de uitkomst is null.")
                return None
            results = [first]
        elif hit in ("P", "O"):
            keyed = sorted(zip(results, matched), key=lambda pair: _priority(pair[0], outputs))
            results = [r for r, _ in keyed]
            matched = [m for _, m in keyed]
            if hit == "P":
                results, matched = results[:1], matched[:1]
        run.fired.extend(rule.fired for rule in matched)
        if hit in ("U", "A", "P", "F"):
            row = results[0]
            return row[outputs[0][0]] if single else row
        if aggregation:
            if not single:
                return {o[0]: _aggregate(aggregation, [r[o[0]] for r in results], run, where) for o in outputs}
            return _aggregate(aggregation, [r[outputs[0][0]] for r in results], run, where)
        return [r[outputs[0][0]] for r in results] if single else results

    evaluate_table.table_outputs = [o[0] for o in outputs]
    evaluate_table.hit_policy = hit + aggregation
    evaluate_table.display = ([i[0] for i in inputs], [o[0] for o in outputs], display)
    return evaluate_table


def _priority(row: dict, outputs) -> tuple:
    key = []
    for oname, priorities, *_ in outputs:
        if not priorities:
            continue
        value = row.get(oname)
        position = next((i for i, p in enumerate(priorities) if _equal(p, value)), len(priorities))
        key.append(position)
    return tuple(key)


def _equal(a, b) -> bool:
    if feel.is_number(a) and feel.is_number(b):
        return Decimal(a) == Decimal(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _aggregate(op: str, values: list, run: Run, where: str):
    if op == "#":
        return len(values)
    values = [v for v in values if v is not None]
    if not values:
        return None
    if op == "+":
        if not all(feel.is_number(v) for v in values):
            run.report("aggregation", f"{where}: SUM over waarden die geen getal zijn; de uitkomst is null.")
            return None
        total = sum(Decimal(v) for v in values)
        return feel.number(total)
    try:
        return min(values) if op == "<" else max(values)
    except TypeError:
        run.report("aggregation", f"{where}: MIN/MAX over waarden die niet te vergelijken zijn; de uitkomst is null.")
        return None


def _show(value) -> str:
    try:
        return feel.format_value(value)
    except Exception:  # noqa: BLE001
        return repr(value)
