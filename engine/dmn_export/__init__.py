"""Write a rule-set model as DMN 1.3 XML that Camunda Modeler and other DMN engines read as Regelbank does.

- one ``decision`` with a ``decisionTable`` per table, in execution order; every input of the rule
  set is an ``inputData`` (typeRef from the glossary type; allowed values as an ``itemDefinition``
  with ``allowedValues``, and as ``inputValues`` on table columns); outputs carry ``outputValues``
  (the priority order for hit policies P and O);
- references between tables in the form the DMN specification binds: a table that uses an output
  of an earlier table requires that decision (``informationRequirement``) and refers to it by the
  *decision name* (``Afschrijving naar autojaar``), or, when that decision has several outputs, to
  the component (``Besluit autoaanpassing.Vergoeding``). Input columns keep the workbook's name as
  their ``label``;
- an input with a default in the glossary is read as ``if X = null then <default> else X`` wherever
  a table uses it, so an engine without Regelbank's extension fills in the same default;
- each rule keeps its id as the ``rule`` element's ``id`` (an id that is not an NCName gets a
  prefix, and the original in the ``label``); the Toelichting and Bron become the rule's
  ``description`` (what Camunda Modeler shows) and also DMN annotation columns (``annotationEntry``);
- DMNDI: a diagram with a shape for every decision and input data and an edge for every
  requirement, laid out in layers by dependency (``dmndi.py``);
- the glossary details DMN has no place for (bedrag vs getal, defaults, units), the Metadata sheet
  and the Voorbeelden sheet are kept in ``extensionElements`` (namespace ``urn:regelbank:dmn:1``),
  so ``engine.load("x.dmn")`` rebuilds the same rule set, metadata and examples.

The output is deterministic (same model, same bytes), so checked-in exports can be compared.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .. import feel
from ..model import (TYPE_BOOLEAN, TYPE_DATE, TYPE_INTEGER, TYPE_MONEY, TYPE_NUMBER, TYPE_TEXT, RuleSetModel,
                     Table)
from . import dmndi
from .names import feel_name, is_feel_name, rewrite

DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"
RB_NS = "urn:regelbank:dmn:1"
TYPE_REFS = {TYPE_NUMBER: "number", TYPE_INTEGER: "number", TYPE_MONEY: "number", TYPE_TEXT: "string", TYPE_BOOLEAN: "boolean",
             TYPE_DATE: "date"}
HIT_POLICIES = {"U": ("UNIQUE", None), "A": ("ANY", None), "P": ("PRIORITY", None), "F": ("FIRST", None),
                "R": ("RULE ORDER", None), "O": ("OUTPUT ORDER", None), "C": ("COLLECT", None),
                "C+": ("COLLECT", "SUM"), "C<": ("COLLECT", "MIN"), "C>": ("COLLECT", "MAX"),
                "C#": ("COLLECT", "COUNT")}
_MULTIPLE = ("R", "O", "C")
_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def _d(tag: str) -> str:
    return f"{{{DMN13}}}{tag}"


def _rb(tag: str) -> str:
    return f"{{{RB_NS}}}{tag}"


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "_", text).strip("_")
    return slug or "x"


def is_ncname(text: str) -> bool:
    return bool(_NCNAME.match(text))


def default_form(name: str, default_text: str) -> str:
    """How an export writes input ``name`` with glossary default ``default_text`` for other engines."""
    return f"if {name} = null then {default_text} else {name}"


def _sub(parent, tag: str, text: str | None = None, **attrs):
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _text(parent, tag: str, text: str, **attrs):
    element = _sub(parent, tag, **attrs)
    _sub(element, _d("text"), text)
    return element


def rule_description(annotation: str, source: str) -> str:
    """The rule's DMN description: the Toelichting, then the Bron on its own line."""
    return "\n".join(p for p in [annotation, source and f"Bron: {source}"] if p)


class _Exporter:
    def __init__(self, model: RuleSetModel):
        self.model = model
        self.ids: set[str] = set()
        self.qualified = {f"{v.concept}.{v.name}": v.name for v in model.variables.values() if v.concept}

    def new_id(self, wanted: str) -> str:
        base = wanted if is_ncname(wanted) else "id_" + _slug(wanted)
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}_{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def type_ref(self, name: str) -> str | None:
        var = self.model.variables.get(name)
        return TYPE_REFS.get(var.type) if var is not None else None

    def names_used(self, table: Table) -> list[str]:
        used = list(table.inputs)
        for rule in table.rules:
            for ast in list(rule.test_asts) + list(rule.output_asts):
                if ast is not None:
                    used.extend(sorted(feel.names_in(ast)))
        seen, out = set(), []
        for name in used:
            name = self.qualified.get(name, name)
            if name not in seen:
                seen.add(name)
                out.append(name)
        return out

    # ---------------------------------------------------------------- names and references
    def plan(self):
        """Decision names, which earlier decision each table reads each output from, and the references."""
        model = self.model
        self.inputs = model.input_names
        taken = set(self.inputs)
        self.decision_names = []
        for table in model.tables:
            name = table.name if is_feel_name(table.name) else feel_name(table.name)
            while name in taken:
                name = f"{name} tabel"
            taken.add(name)
            self.decision_names.append(name)
        self.defaults = {}
        for name in self.inputs:
            var = model.variables[name]
            if var.has_default and var.default is not None:
                self.defaults[name] = default_form(name, feel.format_value(var.default))

    def references(self, index: int) -> tuple[dict[str, str], list[int], list[str]]:
        """For table ``index``: name -> FEEL expression, required decisions, required inputs."""
        table = self.model.tables[index]
        replace: dict[str, str] = {}
        decisions: list[int] = []
        inputs: list[str] = []
        for name in self.names_used(table):
            producers = [i for i, t in enumerate(self.model.tables[:index]) if name in t.outputs]
            if producers:
                producer = producers[-1]
                outputs = self.model.tables[producer].outputs
                decision = self.decision_names[producer]
                replace[name] = decision if len(outputs) == 1 else f"{decision}.{name}"
                if producer not in decisions:
                    decisions.append(producer)
            elif name in self.inputs:
                if name in self.defaults:
                    replace[name] = f"({self.defaults[name]})"
                elif name != name.strip():
                    replace[name] = name
                inputs.append(name)
            elif name in self.model.variables:
                replace[name] = "null"          # an output no earlier table gives: empty, as in Regelbank
        for qualified, name in self.qualified.items():
            if name in replace:
                replace[qualified] = replace[name]
            elif name in self.inputs:
                replace[qualified] = name
        return replace, sorted(decisions), inputs

    @staticmethod
    def column_expression(expression: str) -> str:
        """An input column's expression without the brackets a default gets inside a larger text."""
        if expression.startswith("(if ") and expression.endswith(")"):
            return expression[1:-1]
        return expression

    # ---------------------------------------------------------------- document
    def export(self) -> bytes:
        model = self.model
        meta = model.metadata
        ET.register_namespace("", DMN13)
        ET.register_namespace("rb", RB_NS)
        key = meta.ruleset or model.source_name or "regelset"
        title = meta.title or meta.ruleset or model.source_name or "Regelset"
        root = ET.Element(_d("definitions"), {
            "id": self.new_id("definitions_" + _slug(key)), "name": title,
            "namespace": "urn:regelbank:" + _slug(key.replace("/", ":")).replace("_", "-"),
            "exporter": "Regelbank", "exporterVersion": "2"})
        description = ". ".join(p for p in [meta.title, meta.source_document and f"Bron: {meta.source_document}"] if p)
        if description:
            _sub(root, _d("description"), description)
        self.extension(root)
        self.plan()

        inputs = self.inputs
        input_ids = {name: self.new_id("input_" + _slug(name)) for name in inputs}
        decision_ids = [self.new_id("decision_" + _slug(t.name)) for t in model.tables]
        nodes: list[dmndi.Node] = []

        for name in inputs:
            var = model.variables[name]
            if var.allowed_text and TYPE_REFS.get(var.type):
                item = _sub(root, _d("itemDefinition"), id=self.new_id("type_" + _slug(name)), name=f"t{name}")
                _sub(item, _d("typeRef"), TYPE_REFS[var.type])
                _text(item, _d("allowedValues"), var.allowed_text)
        self.result_types = {}
        for index, table in enumerate(model.tables):
            if len(table.outputs) > 1:
                type_name = f"t{_slug(self.decision_names[index])}"
                item = _sub(root, _d("itemDefinition"), id=self.new_id("type_" + _slug(table.name)), name=type_name,
                            isCollection="true" if table.hit_policy in _MULTIPLE else None)
                for output in table.outputs:
                    component = _sub(item, _d("itemComponent"), id=self.new_id(f"type_{_slug(table.name)}_{_slug(output)}"),
                                     name=output)
                    if self.type_ref(output):
                        _sub(component, _d("typeRef"), self.type_ref(output))
                self.result_types[index] = type_name

        for index, table in enumerate(model.tables):
            nodes.append(self.decision(root, index, table, decision_ids, input_ids))

        for name in inputs:
            var = model.variables[name]
            node = _sub(root, _d("inputData"), id=input_ids[name], name=name)
            if var.description:
                _sub(node, _d("description"), var.description)
            type_ref = f"t{name}" if var.allowed_text and TYPE_REFS.get(var.type) else TYPE_REFS.get(var.type)
            _sub(node, _d("variable"), id=self.new_id("var_" + _slug(name)), name=name, typeRef=type_ref)
            nodes.append(dmndi.Node(input_ids[name], "inputData"))

        dmndi.write(root, nodes, title)
        ET.indent(root, space="  ")
        return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"

    def extension(self, root):
        model, meta = self.model, self.model.metadata
        ext = _sub(_sub(root, _d("extensionElements")), _rb("ruleset"))
        for key, value in meta.as_dict().items():
            if value is not None:
                _sub(ext, _rb("metadata"), str(value), key=key)
        for var in model.variables.values():
            _sub(ext, _rb("variable"), name=var.name, type=var.type, allowed=var.allowed_text,
                 default=feel.format_value(var.default) if var.has_default else None,
                 unit=var.unit, description=var.description, concept=var.concept)
        for example in model.examples:
            node = _sub(ext, _rb("example"), id=example.id, row=str(example.row), description=example.description or None,
                        sheet=example.position.sheet, cell=example.position.cell)
            for name, value in example.inputs.items():
                _sub(node, _rb("input"), feel.format_value(value), name=name)
            for name, value in example.expected.items():
                _sub(node, _rb("expected"), feel.format_value(value), name=name)

    def decision(self, root, index, table: Table, decision_ids, input_ids) -> dmndi.Node:
        name = self.decision_names[index]
        node = _sub(root, _d("decision"), id=decision_ids[index], name=name,
                    label=table.name if name != table.name else None)
        diagram_node = dmndi.Node(decision_ids[index], "decision")
        if table.description:
            _sub(node, _d("description"), table.description)
        single = len(table.outputs) == 1
        _sub(node, _d("variable"), id=self.new_id("var_" + _slug(table.name)), name=name,
             typeRef=self.type_ref(table.outputs[0]) if single else self.result_types.get(index))
        replace, required_decisions, required_inputs = self.references(index)
        for i in required_decisions:
            req_id = self.new_id(f"{decision_ids[index]}_req_{decision_ids[i]}")
            req = _sub(node, _d("informationRequirement"), id=req_id)
            _sub(req, _d("requiredDecision"), href="#" + decision_ids[i])
            diagram_node.requires.append((req_id, decision_ids[i]))
        for input_name in required_inputs:
            req_id = self.new_id(f"{decision_ids[index]}_req_{input_ids[input_name]}")
            req = _sub(node, _d("informationRequirement"), id=req_id)
            _sub(req, _d("requiredInput"), href="#" + input_ids[input_name])
            diagram_node.requires.append((req_id, input_ids[input_name]))

        policy, aggregation = HIT_POLICIES[table.hit_policy]
        dt = _sub(node, _d("decisionTable"), id=self.new_id(decision_ids[index] + "_table"), hitPolicy=policy,
                  aggregation=aggregation, outputLabel=table.name)
        for i, input_name in enumerate(table.inputs):
            column = _sub(dt, _d("input"), id=self.new_id(f"{decision_ids[index]}_in{i + 1}"), label=input_name)
            expression = self.column_expression(replace.get(input_name, input_name))
            _text(column, _d("inputExpression"), expression, id=self.new_id(f"{decision_ids[index]}_in{i + 1}_expr"),
                  typeRef=self.type_ref(input_name))
            var = self.model.variables.get(input_name)
            if var is not None and var.allowed_text:
                _text(column, _d("inputValues"), var.allowed_text)
        for i, output_name in enumerate(table.outputs):
            column = _sub(dt, _d("output"), id=self.new_id(f"{decision_ids[index]}_out{i + 1}"), label=output_name,
                          name=output_name, typeRef=self.type_ref(output_name))
            values = table.output_priorities.get(output_name) if table.hit_policy in ("P", "O") else None
            var = self.model.variables.get(output_name)
            if values:
                _text(column, _d("outputValues"), ",".join(feel.format_value(v) for v in values))
            elif var is not None and var.allowed_text:
                _text(column, _d("outputValues"), var.allowed_text)
        _sub(dt, _d("annotation"), name="Toelichting")
        _sub(dt, _d("annotation"), name="Bron")
        with_files = any(rule.source_file for rule in table.rules)
        if with_files:
            _sub(dt, _d("annotation"), name="Bronbestand")
        for rule in table.rules:
            rule_id = self.new_id(rule.id if is_ncname(rule.id) else "rule_" + _slug(rule.id))
            row = _sub(dt, _d("rule"), id=rule_id, label=rule.id if rule_id != rule.id else None)
            description = rule_description(rule.annotation, rule.source)
            if description:
                _sub(row, _d("description"), description)
            for i, text in enumerate(rule.input_texts):
                _text(row, _d("inputEntry"), rewrite(text, replace) if text else "-", id=self.new_id(f"{rule_id}_in{i + 1}"))
            for i, text in enumerate(rule.output_texts):
                _text(row, _d("outputEntry"), rewrite(text, replace) if text else "null",
                      id=self.new_id(f"{rule_id}_out{i + 1}"))
            _text(row, _d("annotationEntry"), rule.annotation or "")
            _text(row, _d("annotationEntry"), rule.source or "")
            if with_files:
                _text(row, _d("annotationEntry"), rule.source_file or "")
        return diagram_node


def export_dmn(model: RuleSetModel) -> bytes:
    """The model as DMN 1.3 XML (UTF-8 bytes)."""
    return _Exporter(model).export()
