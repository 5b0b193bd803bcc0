"""Read DMN XML (DMN 1.1 to 1.5) into a RuleSetModel, keeping rule ids and annotations.

What becomes what:
- ``inputData`` -> an input variable (typeRef -> glossary type, allowedValues -> allowed values);
- a decision with a ``decisionTable`` -> a table (hit policy and aggregation -> U, A, P, F, R, O,
  C, C+, C<, C>, C#; outputValues -> priorities for P and O; rule ``id`` -> the rule id, or the
  rule's ``label`` when the exporter had to change the id to make it a valid XML id);
- a decision with a ``literalExpression`` -> a table with one rule that computes the value;
- a ``businessKnowledgeModel`` whose logic is a literal expression -> a function decisions may call;
- ``defaultOutputEntry`` -> a one-rule table after the decision that fills in the default when no
  rule applied.
Decisions run after the decisions they require (topological order). Anything else (boxed
contexts, relations, invocations, imports, ...) gives a finding with code "unsupported": the
loader never crashes on a model it cannot run.

A DMN file written by ``engine.dmn_export`` also carries the Regelbank glossary, metadata and
examples in ``extensionElements``; such a file loads back into the same model, with the
workbook's semantics (required inputs, division by zero is an error). Other DMN files follow
DMN's semantics: inputs are optional (null) and a failing expression gives null.

Names in DMN often contain spaces ("Applicant Age"); the FEEL parser is given the known names
so it reads them as one name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import defusedxml.ElementTree as ET

from .. import feel
from ..dmn_export import default_form
from ..dmn_export.names import workbook_text
from ..limits import check_dmn, check_dmn_texts
from ..findings import ERROR, WARNING, Finding
from ..model import (TYPE_ANY, TYPE_BOOLEAN, TYPE_DATE, TYPE_NUMBER, TYPE_TEXT, TYPES, Example,
                    Metadata, Position, Rule, RuleSetModel, Table, Variable)

from .reader import DMN_NAMESPACES  # noqa: E402 - one list of DMN namespaces
RB_NS = "urn:regelbank:dmn:1"          # our extension elements (glossary, metadata, examples)

HIT_POLICY_CODES = {"UNIQUE": "U", "ANY": "A", "PRIORITY": "P", "FIRST": "F", "RULE ORDER": "R",
                    "OUTPUT ORDER": "O", "COLLECT": "C"}
AGGREGATION_CODES = {"SUM": "C+", "MIN": "C<", "MAX": "C>", "COUNT": "C#"}
TYPEREF_TYPES = {"number": TYPE_NUMBER, "string": TYPE_TEXT, "boolean": TYPE_BOOLEAN, "date": TYPE_DATE}
METADATA_FIELDS = ("gemeente", "name", "title", "valid_from", "source_document", "owner")
ANNOTATION_TEXT, ANNOTATION_SOURCE, ANNOTATION_FILE = "Toelichting", "Bron", "Bronbestand"
LOGIC_KINDS = ("decisionTable", "literalExpression", "context", "invocation", "relation", "list",
               "functionDefinition", "conditional", "filter", "for", "some", "every")


@dataclass
class DecisionInfo:
    """How a DMN decision maps onto the model: which variables hold its value."""
    name: str
    id: str
    kind: str                     # "table" | "literal"
    variables: list[str]          # output variables; more than one: the decision's value is a context
    components: list[str] = field(default_factory=list)   # component names for a multi-output table
    hit_policy: str = "U"

    def value(self, outputs: dict):
        """The decision's value as DMN defines it, from the model's flat outputs."""
        if len(self.variables) == 1 and not self.components:
            return outputs.get(self.variables[0])
        values = {c: outputs.get(v) for c, v in zip(self.components, self.variables)}
        if self.hit_policy in ("R", "O", "C") and all(isinstance(v, list) for v in values.values()):
            length = max((len(v) for v in values.values()), default=0)
            return [{c: values[c][i] if i < len(values[c]) else None for c in self.components} for i in range(length)]
        return values


class _Unsupported(Exception):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _base_type(type_ref: str | None) -> str | None:
    if not type_ref:
        return None
    return type_ref.split(":", 1)[1] if type_ref.startswith(("feel:", "FEEL:")) else type_ref


class _Reader:
    def __init__(self, root, name: str):
        self.root = root
        self.name = name
        self.ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        self.findings: list[Finding] = []
        self.variables: dict[str, Variable] = {}
        self.aliases: dict[str, str] = {}            # decision name / Decision.component / Concept.Name -> variable
        self.item_definitions: dict[str, object] = {}
        self.functions: dict[str, object] = {}       # BKM name -> callable
        self.function_impls: dict[str, object] = {}
        self.decisions: dict[str, DecisionInfo] = {}
        self.regelbank = None                        # the rb:ruleset element, for our own exports
        self.input_names: set[str] = set()
        self._names, self._names_key = frozenset(), None
        self.default_forms: dict[str, str] = {}      # "if X = null then d else X" -> X (glossary default applies)

    # -------------------------------------------------------------- helpers
    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}" if self.ns else tag

    def children(self, element, tag: str):
        return element.findall(self.q(tag))

    def child(self, element, tag: str):
        return element.find(self.q(tag))

    def text_of(self, element, tag: str = "text") -> str | None:
        node = self.child(element, tag) if element is not None else None
        return node.text if node is not None and node.text is not None else (None if node is None else "")

    def add(self, severity, code, message, sheet=None, cell=None, rule=None):
        self.findings.append(Finding(severity, code, message, sheet, cell, rule))

    def resolve(self, name: str) -> str:
        return self.aliases.get(name, name)

    @property
    def names(self) -> frozenset:
        key = (len(self.variables), len(self.aliases), len(self.functions))
        if self._names_key != key:
            self._names = frozenset(self.variables) | frozenset(self.aliases) | frozenset(self.functions)
            self._names_key = key
        return self._names

    def known(self, name: str) -> bool:
        if self.resolve(name) in self.variables:
            return True
        head = name.split(".")[0]
        return self.resolve(head) in self.variables or any(name.startswith(v + ".") for v in self.variables)

    # -------------------------------------------------------------- types
    def type_of(self, type_ref: str | None) -> str:
        seen = set()
        ref = _base_type(type_ref)
        while ref and ref not in TYPEREF_TYPES and ref in self.item_definitions and ref not in seen:
            seen.add(ref)
            item = self.item_definitions[ref]
            if self.child(item, "itemComponent") is not None or item.get("isCollection") == "true":
                return TYPE_ANY
            ref = _base_type(self.text_of(item, "typeRef"))
        return TYPEREF_TYPES.get(ref, TYPE_ANY)

    def allowed_of(self, type_ref: str | None) -> str | None:
        ref = _base_type(type_ref)
        seen = set()
        while ref and ref in self.item_definitions and ref not in seen:
            seen.add(ref)
            item = self.item_definitions[ref]
            allowed = self.child(item, "allowedValues")
            if allowed is not None:
                return self.text_of(allowed)
            ref = _base_type(self.text_of(item, "typeRef"))
        return None

    def set_allowed(self, var: Variable, text: str | None, where: str):
        if not text or not text.strip():
            return
        try:
            ast = feel.parse_unary_tests(text, self.names)
            var.allowed = feel.compile_unary_tests(ast, self.resolve)
        except feel.FeelSyntaxError as exc:
            self.add(ERROR, "feel-syntax", f"Toegestane waarden van '{var.name}' zijn ongeldig: {exc}", where)
            return
        var.allowed_text = text.strip()
        if isinstance(ast, feel.AnyOf) and ast.tests and all(
                isinstance(t, feel.Compare) and t.op == "=" and isinstance(t.operand, feel.Literal) for t in ast.tests):
            var.allowed_values = tuple(t.operand.value for t in ast.tests)

    # -------------------------------------------------------------- regelbank extension
    def read_extension(self):
        ext = self.child(self.root, "extensionElements")
        if ext is None:
            return
        self.regelbank = ext.find(f"{{{RB_NS}}}ruleset")

    def extension_variable(self, name: str):
        if self.regelbank is None:
            return None
        for node in self.regelbank.findall(f"{{{RB_NS}}}variable"):
            if node.get("name") == name:
                return node
        return None

    def apply_glossary(self, var: Variable, where: str):
        """Our own export: the glossary entry as the workbook had it."""
        node = self.extension_variable(var.name)
        if node is None:
            return
        if node.get("type") in TYPES:
            var.type = node.get("type")
        for attr in ("unit", "description", "concept"):
            if node.get(attr) is not None:
                setattr(var, attr, node.get(attr))
        if var.concept:
            self.aliases[f"{var.concept}.{var.name}"] = var.name
        if node.get("allowed") is not None:
            var.allowed = None
            var.allowed_values = ()
            var.allowed_text = None
            self.set_allowed(var, node.get("allowed"), where)
        var.has_default = False
        var.default = None
        if node.get("default") not in (None, "null"):   # our export writes the default as FEEL for other engines
            self.default_forms[default_form(var.name, node.get("default"))] = var.name
        if node.get("default") is not None:
            try:
                var.default = feel.literal_value(feel.parse_expression(node.get("default")))
                var.default_text = node.get("default")
                var.has_default = True
            except feel.FeelSyntaxError as exc:
                self.add(ERROR, "glossary-default", f"De standaardwaarde van '{var.name}' is ongeldig: {exc}", where)

    def read_metadata(self) -> Metadata:
        if self.regelbank is None:
            return Metadata(title=self.root.get("name"))
        meta = Metadata()
        for node in self.regelbank.findall(f"{{{RB_NS}}}metadata"):
            key, value = node.get("key"), node.text or ""
            if key == "valid_from":
                try:
                    meta.valid_from = feel.parse_date(value.strip())
                except feel.FeelSyntaxError:
                    self.add(ERROR, "metadata-date", f"'Geldig vanaf' moet een datum zijn (JJJJ-MM-DD), niet '{value}'.")
            elif key in METADATA_FIELDS:
                setattr(meta, key, value)
            elif key:
                meta.extra[key] = value
        return meta

    def read_examples(self) -> list[Example]:
        if self.regelbank is None:
            return []
        examples = []
        for node in self.regelbank.findall(f"{{{RB_NS}}}example"):
            example = Example(id=node.get("id", ""), row=int(node.get("row", "0") or 0), inputs={}, expected={},
                              description=node.get("description", ""),
                              position=Position(node.get("sheet", "Voorbeelden"), node.get("cell", "")))
            for part, target in (("input", example.inputs), ("expected", example.expected)):
                for value_node in node.findall(f"{{{RB_NS}}}{part}"):
                    try:
                        target[value_node.get("name")] = feel.literal_value(feel.parse_expression(value_node.text or "null"))
                    except feel.FeelSyntaxError as exc:
                        self.add(ERROR, "examples-value", f"Voorbeeld {example.id}: waarde van '{value_node.get('name')}' "
                                                          f"is ongeldig: {exc}")
            examples.append(example)
        return examples

    # -------------------------------------------------------------- drg
    def read(self) -> RuleSetModel | None:
        self.read_extension()
        for item in self.children(self.root, "itemDefinition"):
            if item.get("name"):
                self.item_definitions[item.get("name")] = item
        if self.children(self.root, "import"):
            self.add(ERROR, "unsupported", "Dit DMN-model importeert andere modellen (<import>); dat wordt niet ondersteund.")
        if self.children(self.root, "decisionService"):
            self.add(WARNING, "unsupported", "Beslisdiensten (<decisionService>) worden genegeerd; alle beslissingen worden uitgevoerd.")
        for node in self.children(self.root, "inputData"):
            self.read_input(node)
        decisions = self.children(self.root, "decision")
        bkms = self.children(self.root, "businessKnowledgeModel")
        for bkm in bkms:
            name = bkm.get("name")
            self.functions[name] = self._late_function(name)
        self.declare_decisions(decisions)
        for bkm in bkms:
            self.read_bkm(bkm)
        tables: list[Table] = []
        for decision in self.order(decisions):
            try:
                tables.extend(self.read_decision(decision))
            except _Unsupported as exc:
                self.add(ERROR, "unsupported", str(exc), decision.get("name"))
        metadata = self.read_metadata()
        examples = self.read_examples()
        model = RuleSetModel(variables=self.variables, tables=tables, metadata=metadata, examples=examples,
                             source_name=self.name, format="dmn")
        model.decisions = self.decisions
        return model

    def read_input(self, node):
        name = node.get("name")
        if not name:
            self.add(ERROR, "dmn-name", "Een <inputData> heeft geen naam.")
            return
        variable = self.child(node, "variable")
        type_ref = variable.get("typeRef") if variable is not None else None
        var = Variable(name=name, type=self.type_of(type_ref), has_default=True, default=None,
                       description=self.text_of(node, "description") or None, position=Position(name, node.get("id", "")))
        self.variables[name] = var
        self.input_names.add(name)
        self.set_allowed(var, self.allowed_of(type_ref), name)
        self.apply_glossary(var, name)

    def _late_function(self, name: str):
        def call(*args):
            return self.function_impls[name](*args)
        return call

    def read_bkm(self, bkm):
        name = bkm.get("name")
        logic = self.child(bkm, "encapsulatedLogic")
        body = None if logic is None else self.child(logic, "literalExpression")
        if body is None:
            self.add(ERROR, "unsupported", f"Kennismodel '{name}': alleen een letterlijke expressie als logica wordt "
                                           "ondersteund.", name)
            self.function_impls[name] = lambda *args: None
            return
        params = [p.get("name") for p in self.children(logic, "formalParameter")]
        text = self.text_of(body) or ""
        try:
            ast = feel.parse_expression(text, self.names | set(params), set(self.functions))
            compiled = feel.compile_expression(ast, lambda n: n if n in params else self.resolve(n), self.functions)
        except feel.FeelSyntaxError as exc:
            self.add(ERROR, "unsupported", f"Kennismodel '{name}': '{text}' wordt niet ondersteund: {exc}", name)
            self.function_impls[name] = lambda *args: None
            return
        strict = self.regelbank is not None

        def function(*args):
            if len(args) != len(params):
                return None
            try:
                return compiled(dict(zip(params, args)))
            except feel.FeelEvaluationError:
                if strict:
                    raise
                return None
        self.function_impls[name] = function

    def declare_decisions(self, decisions):
        """Register every decision's output variables first, so any decision may refer to any other."""
        for decision in decisions:
            name = decision.get("name")
            if not name:
                self.add(ERROR, "dmn-name", "Een <decision> heeft geen naam.")
                continue
            logic = next((c for c in decision if _local(c.tag) in LOGIC_KINDS), None)
            variable = self.child(decision, "variable")
            type_ref = variable.get("typeRef") if variable is not None else None
            if logic is not None and _local(logic.tag) == "decisionTable":
                outputs = self.children(logic, "output")
                if len(outputs) == 1:
                    out_name = outputs[0].get("name")
                    var_name = out_name if out_name and not self.is_input(out_name) else name
                    self.declare_output(var_name, outputs[0].get("typeRef") or type_ref, name)
                    if var_name != name:
                        self.aliases[name] = var_name
                    self.decisions[name] = DecisionInfo(name, decision.get("id", ""), "table", [var_name])
                else:
                    var_names, components = [], []
                    for index, output in enumerate(outputs):
                        component = output.get("name") or f"output{index + 1}"
                        var_name = component if not self.is_input(component) else f"{name}.{component}"
                        self.declare_output(var_name, output.get("typeRef"), name)
                        self.aliases.setdefault(f"{name}.{component}", var_name)
                        var_names.append(var_name)
                        components.append(component)
                    self.decisions[name] = DecisionInfo(name, decision.get("id", ""), "table", var_names, components)
            else:
                self.declare_output(name, type_ref, name)
                self.decisions[name] = DecisionInfo(name, decision.get("id", ""), "literal", [name])

    def is_input(self, name: str) -> bool:
        return name in self.input_names

    def declare_output(self, var_name: str, type_ref: str | None, decision: str):
        if var_name in self.variables:       # a second table producing the same output
            return
        var = Variable(name=var_name, type=self.type_of(type_ref), position=Position(decision, ""))
        self.variables[var_name] = var
        self.apply_glossary(var, decision)

    def order(self, decisions):
        """Decisions after the decisions they require (by href), otherwise in document order."""
        by_id = {d.get("id"): d for d in decisions}
        deps = {}
        for d in decisions:
            required = set()
            for req in self.children(d, "informationRequirement"):
                rd = self.child(req, "requiredDecision")
                if rd is not None:
                    href = (rd.get("href") or "").split("#")[-1]
                    if href in by_id:
                        required.add(by_id[href].get("id"))
            deps[d.get("id")] = required
        hrefs = {i: set(r) for i, r in deps.items()}
        # decisions referred to by name in expressions count as requirements too
        for d in decisions if self.regelbank is None else ():
            texts = " ".join(t.text or "" for tag in ("inputExpression", "inputEntry", "outputEntry", "literalExpression")
                             for node in d.iter(self.q(tag)) for t in node.findall(self.q("text")))
            for other in decisions:
                if other is not d and other.get("name") and other.get("name") in texts and \
                        re.search(r"(?<![\w])" + re.escape(other.get("name")) + r"(?![\w])", texts):
                    if d.get("id") not in deps.get(other.get("id"), set()):
                        deps[d.get("id")].add(other.get("id"))
        try:
            return self._topological(decisions, by_id, deps)
        except _Unsupported:
            pass                         # a name match made a false cycle: use the requirements only
        href_deps = {i: {r for r in d if r in hrefs.get(i, set())} for i, d in deps.items()}
        try:
            return self._topological(decisions, by_id, href_deps)
        except _Unsupported as exc:
            self.add(ERROR, "dmn-cycle", str(exc))
            return decisions

    @staticmethod
    def _topological(decisions, by_id, deps):
        ordered, state = [], {}

        def visit(node_id, path):
            if state.get(node_id) == "done":
                return
            if state.get(node_id) == "busy":
                raise _Unsupported("De beslissingen zijn van elkaar afhankelijk in een kring: " + " -> ".join(path))
            state[node_id] = "busy"
            for dep in sorted(deps.get(node_id, ()), key=lambda i: decisions.index(by_id[i])):
                visit(dep, path + [by_id[dep].get("name")])
            state[node_id] = "done"
            ordered.append(by_id[node_id])
        for d in decisions:
            visit(d.get("id"), [d.get("name")])
        return ordered

    # -------------------------------------------------------------- decisions
    def own_text(self, text: str) -> str:
        """Our own export: the cell as the workbook had it (engine.dmn_export writes standard references)."""
        if self.regelbank is None:
            return text
        references = {a: v for a, v in self.aliases.items() if a in self.decisions or a.split(".")[0] in self.decisions}
        return workbook_text(text, references, self.default_forms)

    def parse(self, text: str, unary: bool, where: str, rule_id: str | None, extra_names=()):
        text = self.own_text(text)
        try:
            if unary:
                ast = feel.parse_unary_tests(text, self.names | frozenset(extra_names) if extra_names else self.names,
                                             self.functions.keys())
            else:
                ast = feel.parse_expression(text, self.names | frozenset(extra_names) if extra_names else self.names,
                                           self.functions.keys())
        except feel.FeelSyntaxError as exc:
            kind = "invoertest" if unary else "expressie"
            raise _Unsupported(f"'{text}' is geen ondersteunde {kind}: {exc}") from None
        for name in feel.names_in(ast):
            if name not in extra_names and not self.known(name):
                raise _Unsupported(f"'{name}' in '{text}' is geen bekende invoer, beslissing of functie.")
        return ast

    def compile_expression(self, ast):
        compiled = feel.compile_expression(ast, self.resolve, self.functions)
        if self.regelbank is not None:
            return compiled

        def dmn_semantics(ctx):          # DMN: an expression that cannot be computed is null
            try:
                return compiled(ctx)
            except feel.FeelEvaluationError:
                return None
        return dmn_semantics

    def read_decision(self, decision) -> list[Table]:
        name = decision.get("name")
        info = self.decisions.get(name)
        if info is None:
            return []
        logic = next((c for c in decision if _local(c.tag) in LOGIC_KINDS), None)
        description = self.text_of(decision, "description") or ""
        if logic is None:
            raise _Unsupported(f"Beslissing '{name}' heeft geen beslislogica.")
        kind = _local(logic.tag)
        if kind == "literalExpression":
            text = self.text_of(logic) or ""
            try:
                ast = self.parse(text, False, name, None)
            except _Unsupported as exc:
                raise _Unsupported(f"Beslissing '{name}': {exc}") from None
            rule = Rule(id=decision.get("id") or name, index=0, input_texts=[], output_texts=[text],
                        annotation="", source="", position=Position(name, decision.get("id", "")),
                        output_asts=[ast], outputs=[self.compile_expression(ast)])
            return [Table(name=name, hit_policy="U", inputs=[], outputs=[info.variables[0]], rules=[rule],
                          position=Position(name, decision.get("id", "")), description=description)]
        if kind != "decisionTable":
            raise _Unsupported(f"Beslissing '{name}': beslislogica <{kind}> wordt niet ondersteund "
                               "(alleen beslistabellen en letterlijke expressies).")
        return self.read_table(decision, logic, info, description)

    def read_table(self, decision, dt, info: DecisionInfo, description: str) -> list[Table]:
        name = decision.get("name")
        if self.regelbank is not None:
            for node in self.regelbank.findall(f"{{{RB_NS}}}table"):
                if node.get("name") == name:
                    description = node.get("description", description)
        hit = HIT_POLICY_CODES.get((dt.get("hitPolicy") or "UNIQUE").upper())
        if hit is None:
            raise _Unsupported(f"Beslissing '{name}': hit policy '{dt.get('hitPolicy')}' wordt niet ondersteund.")
        if dt.get("aggregation"):
            if hit != "C" or dt.get("aggregation").upper() not in AGGREGATION_CODES:
                raise _Unsupported(f"Beslissing '{name}': aggregatie '{dt.get('aggregation')}' wordt niet ondersteund.")
            hit = AGGREGATION_CODES[dt.get("aggregation").upper()]
        if (dt.get("preferredOrientation") or "Rule-as-Row") not in ("Rule-as-Row",):
            raise _Unsupported(f"Beslissing '{name}': alleen tabellen met regels als rijen worden ondersteund.")
        inputs, computed = [], {}
        for index, column in enumerate(self.children(dt, "input")):
            expression = self.child(column, "inputExpression")
            text = self.own_text((self.text_of(expression) or "").strip() if expression is not None else "")
            if text in self.variables or (self.resolve(text) in self.variables and text in self.aliases):
                inputs.append(self.resolve(text))
                continue
            ast = self.parse(text, False, name, None)
            inputs.append(text or column.get("label") or f"invoer {index + 1}")
            computed[index] = self.compile_expression(ast)
        outputs = info.variables
        output_nodes = self.children(dt, "output")
        table = Table(name=name, hit_policy=hit, inputs=inputs, outputs=list(outputs), rules=[],
                      position=Position(name, dt.get("id", "")), description=description,
                      input_positions=[Position(name, c.get("id", "")) for c in self.children(dt, "input")],
                      output_positions=[Position(name, c.get("id", "")) for c in output_nodes])
        for var_name, node in zip(outputs, output_nodes):
            values = self.child(node, "outputValues")
            text = self.text_of(values) if values is not None else self.allowed_of(node.get("typeRef") or
                                                                                  self._decision_type_ref(decision))
            if text:
                try:
                    ast = feel.parse_unary_tests(text, self.names)
                    table.output_priorities[var_name] = tuple(feel.literal_value(t.operand) for t in ast.tests)
                except (feel.FeelSyntaxError, AttributeError):
                    if hit in ("P", "O"):
                        raise _Unsupported(f"Beslissing '{name}': de uitkomstwaarden '{text}' zijn geen lijst van vaste "
                                           "waarden, nodig voor de prioriteit.") from None
        if hit in ("P", "O") and not any(v in table.output_priorities for v in outputs):
            raise _Unsupported(f"Beslissing '{name}': hit policy {hit} vraagt om outputValues bij elke uitkomst.")
        annotations = [a.get("name") or "" for a in self.children(dt, "annotation")]
        table.annotation_headings = annotations
        seen_ids = set()
        for index, rule_node in enumerate(self.children(dt, "rule")):
            table.rules.append(self.read_rule(table, rule_node, index, annotations, computed, seen_ids))
        info.hit_policy = hit
        tables = [table]
        defaults = [(v, self.text_of(self.child(n, "defaultOutputEntry"))) for v, n in zip(outputs, output_nodes)
                    if self.child(n, "defaultOutputEntry") is not None]
        if defaults:
            tables.append(self.default_table(name, defaults))
        return tables

    def _decision_type_ref(self, decision):
        variable = self.child(decision, "variable")
        return variable.get("typeRef") if variable is not None else None

    def read_rule(self, table: Table, node, index: int, annotations, computed, seen_ids) -> Rule:
        name = table.name
        rule_id = node.get("label") or node.get("id") or f"{name}.{index + 1}"
        if rule_id in seen_ids:
            self.add(ERROR, "rule-id-duplicate", f"Regel-id '{rule_id}' komt twee keer voor in beslissing '{name}'.",
                     name, rule_id, rule_id)
        seen_ids.add(rule_id)
        texts = {ANNOTATION_TEXT: "", ANNOTATION_SOURCE: "", ANNOTATION_FILE: ""}
        extra = []
        for heading, entry in zip(annotations, self.children(node, "annotationEntry")):
            value = (self.text_of(entry) or "").strip()
            if not value:
                continue
            if heading in texts and not texts[heading]:
                texts[heading] = value
            else:
                extra.append(value)
        if not annotations:
            description = (self.text_of(node, "description") or "").strip()
            if description:
                extra.append(description)
        rule = Rule(id=rule_id, index=index, input_texts=[], output_texts=[],
                    annotation="; ".join(t for t in [texts[ANNOTATION_TEXT], *extra] if t),
                    source=texts[ANNOTATION_SOURCE], position=Position(name, rule_id),
                    source_file=texts[ANNOTATION_FILE])
        entries = self.children(node, "inputEntry")
        if len(entries) != len(table.inputs):
            raise _Unsupported(f"Beslissing '{name}', regel {rule_id}: {len(entries)} invoercellen voor "
                               f"{len(table.inputs)} invoerkolommen.")
        for i, entry in enumerate(entries):
            text = self.own_text((self.text_of(entry) or "").strip() or "-")
            rule.input_texts.append(text)
            rule.input_positions.append(Position(name, entry.get("id", rule_id)))
            try:
                ast = self.parse(text, True, name, rule_id)
            except _Unsupported as exc:
                raise _Unsupported(f"Beslissing '{name}', regel {rule_id}: {exc}") from None
            rule.test_asts.append(ast)
            if ast is feel.DONT_CARE:
                continue
            test = feel.compile_unary_tests(ast, self.resolve, self.functions)
            if i in computed:
                expression = computed[i]
                rule.tests.append((i, lambda value, ctx, t=test, e=expression: t(e(ctx), ctx)))
            else:
                rule.tests.append((i, test))
        outputs = self.children(node, "outputEntry")
        if len(outputs) != len(table.outputs):
            raise _Unsupported(f"Beslissing '{name}', regel {rule_id}: {len(outputs)} uitkomstcellen voor "
                               f"{len(table.outputs)} uitkomsten.")
        for entry in outputs:
            text = self.own_text((self.text_of(entry) or "").strip() or "null")
            rule.output_texts.append(text)
            rule.output_positions.append(Position(name, entry.get("id", rule_id)))
            try:
                ast = self.parse(text, False, name, rule_id)
            except _Unsupported as exc:
                raise _Unsupported(f"Beslissing '{name}', regel {rule_id}: {exc}") from None
            rule.output_asts.append(ast)
            rule.outputs.append(self.compile_expression(ast))
        return rule

    def default_table(self, decision: str, defaults) -> Table:
        """The defaultOutputEntry values: a one-rule table that fills in an output left without a value."""
        computes, texts, names = [], [], []
        for var_name, text in defaults:
            ast = self.parse(text or "null", False, decision, None)
            default = self.compile_expression(ast)
            computes.append(lambda ctx, v=var_name, d=default: d(ctx) if ctx.get(v) is None else ctx.get(v))
            texts.append(text or "null")
            names.append(var_name)
        rule = Rule(id=f"{decision} (standaard)", index=0, input_texts=[], output_texts=texts,
                    annotation="Standaarduitkomst als geen regel van toepassing is", source="",
                    position=Position(decision, "defaultOutputEntry"), outputs=computes)
        return Table(name=f"{decision} (standaard)", hit_policy="U", inputs=[], outputs=names, rules=[rule],
                     position=Position(decision, "defaultOutputEntry"))


def read_dmn(content: bytes, name: str = "") -> tuple[RuleSetModel | None, list[Finding]]:
    """Read DMN XML bytes into a model. Returns (model or None, findings); never raises on bad content."""
    if too_large := check_dmn(content):  # size limits, streamed, before the tree is built
        return None, too_large
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        return None, [Finding(ERROR, "dmn-xml", f"Het DMN-bestand is geen geldige XML: {exc}.")]
    except Exception as exc:  # defusedxml: DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
        return None, [Finding(ERROR, "dmn-xml", f"Het DMN-bestand is geweigerd ({exc.__class__.__name__}): "
                                                "DTD's, entiteiten en externe verwijzingen zijn niet toegestaan.")]
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if _local(root.tag) != "definitions" or ns not in DMN_NAMESPACES:
        return None, [Finding(ERROR, "dmn-namespace",
                              f"Dit is geen DMN-model: het hoofdelement is '{root.tag}'. Verwacht <definitions> in een "
                              f"DMN-namespace ({', '.join('DMN ' + v for v in sorted(set(DMN_NAMESPACES.values())))}).")]
    if too_large := check_dmn_texts(root):  # expression sizes before the reader parses them
        return None, too_large
    reader = _Reader(root, name)
    try:
        model = reader.read()
    except _Unsupported as exc:
        reader.add(ERROR, "unsupported", str(exc))
        return None, reader.findings
    except RecursionError:
        reader.add(ERROR, "unsupported", "Het DMN-model is te diep genest om te lezen.")
        return None, reader.findings
    if not model.tables:
        reader.add(ERROR, "dmn-empty", "Het DMN-model bevat geen beslissing die kan worden uitgevoerd.")
    return model, reader.findings
