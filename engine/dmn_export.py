"""Write a rule-set model as DMN 1.3 XML that Camunda Modeler and other DMN tools open.

- one ``decision`` with a ``decisionTable`` per table, in execution order; a table that uses the
  outputs of earlier tables gets ``informationRequirement``/``requiredDecision`` on them;
- every input of the rule set is an ``inputData`` (typeRef from the glossary type; allowed values
  as an ``itemDefinition`` with ``allowedValues``, and as ``inputValues`` on table columns);
- outputs carry ``outputValues`` (the priority order for hit policies P and O);
- each rule keeps its id as the ``rule`` element's ``id`` (a valid XML id, i.e. an NCName, such as
  ``AA-01``); an id that is not an NCName gets a prefix, and the original in the ``label``;
- the Toelichting and Bron columns become DMN annotation columns (``annotationEntry``);
- the glossary details DMN has no place for (bedrag vs getal, defaults, units), the Metadata
  sheet and the Voorbeelden sheet are kept in ``extensionElements`` (namespace ``urn:regelbank:dmn:1``),
  so ``engine.load("x.dmn")`` rebuilds the same rule set, metadata and examples.

Chained tables refer to earlier outputs by output name, as Camunda's engine does (it makes the
outputs of required decisions available under their output names).
The output is deterministic (same model, same bytes), so checked-in exports can be compared.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from . import feel
from .model import (TYPE_BOOLEAN, TYPE_DATE, TYPE_INTEGER, TYPE_MONEY, TYPE_NUMBER, TYPE_TEXT, RuleSetModel, Table)

DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"
RB_NS = "urn:regelbank:dmn:1"
TYPE_REFS = {TYPE_NUMBER: "number", TYPE_INTEGER: "number", TYPE_MONEY: "number", TYPE_TEXT: "string", TYPE_BOOLEAN: "boolean",
             TYPE_DATE: "date"}
HIT_POLICIES = {"U": ("UNIQUE", None), "A": ("ANY", None), "P": ("PRIORITY", None), "F": ("FIRST", None),
                "R": ("RULE ORDER", None), "O": ("OUTPUT ORDER", None), "C": ("COLLECT", None),
                "C+": ("COLLECT", "SUM"), "C<": ("COLLECT", "MIN"), "C>": ("COLLECT", "MAX"),
                "C#": ("COLLECT", "COUNT")}
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


def _sub(parent, tag: str, text: str | None = None, **attrs):
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def _text(parent, tag: str, text: str, **attrs):
    element = _sub(parent, tag, **attrs)
    _sub(element, _d("text"), text)
    return element


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
            "exporter": "Regelbank", "exporterVersion": "1"})
        description = ". ".join(p for p in [meta.title, meta.source_document and f"Bron: {meta.source_document}"] if p)
        if description:
            _sub(root, _d("description"), description)
        self.extension(root)

        inputs = model.input_names
        input_ids = {name: self.new_id("input_" + _slug(name)) for name in inputs}
        decision_ids = [self.new_id("decision_" + _slug(t.name)) for t in model.tables]

        for name in inputs:
            var = model.variables[name]
            if var.allowed_text and TYPE_REFS.get(var.type):
                item = _sub(root, _d("itemDefinition"), id=self.new_id("type_" + _slug(name)), name=f"t{name}")
                _sub(item, _d("typeRef"), TYPE_REFS[var.type])
                _text(item, _d("allowedValues"), var.allowed_text)

        produced_by: dict[str, list[int]] = {}
        for index, table in enumerate(model.tables):
            self.decision(root, index, table, decision_ids, input_ids, produced_by)
            for name in table.outputs:
                produced_by.setdefault(name, []).append(index)

        for name in inputs:
            var = model.variables[name]
            node = _sub(root, _d("inputData"), id=input_ids[name], name=name)
            if var.description:
                _sub(node, _d("description"), var.description)
            type_ref = f"t{name}" if var.allowed_text and TYPE_REFS.get(var.type) else TYPE_REFS.get(var.type)
            _sub(node, _d("variable"), id=self.new_id("var_" + _slug(name)), name=name, typeRef=type_ref)

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

    def decision(self, root, index, table: Table, decision_ids, input_ids, produced_by):
        node = _sub(root, _d("decision"), id=decision_ids[index], name=table.name)
        if table.description:
            _sub(node, _d("description"), table.description)
        single = len(table.outputs) == 1
        _sub(node, _d("variable"), id=self.new_id("var_" + _slug(table.name)), name=table.name,
             typeRef=self.type_ref(table.outputs[0]) if single else None)
        required_decisions, required_inputs = [], []
        for name in self.names_used(table):
            earlier = [i for i in produced_by.get(name, []) if i < index]
            for i in earlier:
                if i not in required_decisions:
                    required_decisions.append(i)
            if not earlier and name in input_ids and name not in required_inputs:
                required_inputs.append(name)
        for i in sorted(required_decisions):
            req = _sub(node, _d("informationRequirement"), id=self.new_id(f"{decision_ids[index]}_req_{decision_ids[i]}"))
            _sub(req, _d("requiredDecision"), href="#" + decision_ids[i])
        for name in required_inputs:
            req = _sub(node, _d("informationRequirement"), id=self.new_id(f"{decision_ids[index]}_req_{input_ids[name]}"))
            _sub(req, _d("requiredInput"), href="#" + input_ids[name])

        policy, aggregation = HIT_POLICIES[table.hit_policy]
        dt = _sub(node, _d("decisionTable"), id=self.new_id(decision_ids[index] + "_table"), hitPolicy=policy,
                  aggregation=aggregation, outputLabel=table.name)
        for i, name in enumerate(table.inputs):
            column = _sub(dt, _d("input"), id=self.new_id(f"{decision_ids[index]}_in{i + 1}"), label=name)
            _text(column, _d("inputExpression"), name, id=self.new_id(f"{decision_ids[index]}_in{i + 1}_expr"),
                  typeRef=self.type_ref(name))
            var = self.model.variables.get(name)
            if var is not None and var.allowed_text:
                _text(column, _d("inputValues"), var.allowed_text)
        for i, name in enumerate(table.outputs):
            column = _sub(dt, _d("output"), id=self.new_id(f"{decision_ids[index]}_out{i + 1}"), label=name, name=name,
                          typeRef=self.type_ref(name))
            values = table.output_priorities.get(name) if table.hit_policy in ("P", "O") else None
            var = self.model.variables.get(name)
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
            for i, text in enumerate(rule.input_texts):
                _text(row, _d("inputEntry"), text or "-", id=self.new_id(f"{rule_id}_in{i + 1}"))
            for i, text in enumerate(rule.output_texts):
                _text(row, _d("outputEntry"), text or "null", id=self.new_id(f"{rule_id}_out{i + 1}"))
            _text(row, _d("annotationEntry"), rule.annotation or "")
            _text(row, _d("annotationEntry"), rule.source or "")
            if with_files:
                _text(row, _d("annotationEntry"), rule.source_file or "")


def export_dmn(model: RuleSetModel) -> bytes:
    """The model as DMN 1.3 XML (UTF-8 bytes)."""
    return _Exporter(model).export()
