"""The DMN element model: a ``<definitions>`` read and compiled once into a ``DmnModel``.

Each element is compiled on its own: an element that cannot load (bad FEEL, a Java function,
an unknown hit policy) becomes a finding with its id and name, and the rest of the model loads.
Decisions are keyed by name (``id`` is optional in practice: TCK 1111 has none).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..findings import ERROR, WARNING, Finding
from . import camunda
from .boxed import BOXED_KINDS, Compiler, LoadError
from .itemtypes import ANY, DmnType, TypeRegistry
from .reader import DMN_NAMESPACES, RefusedModel, dmn_version, local, parse

MAX_IMPORT_DEPTH = 8


@dataclass
class InputData:
    name: str
    id: str
    type: DmnType
    description: str = ""
    implicit: bool = False           # a free name of a Camunda-style model, not declared as inputData


@dataclass
class Decision:
    name: str
    id: str
    type: DmnType
    evaluator: object = None         # ev(scope, run), or None when it could not load
    error: str | None = None         # why it could not load (Dutch)
    kind: str = ""                   # the boxed expression kind of its logic
    requires: list = field(default_factory=list)   # names of required decisions
    mentions: list = field(default_factory=list)   # other decisions its expressions name
    imports: list = field(default_factory=list)    # import prefixes its expressions name
    outputs: list = field(default_factory=list)    # component names of a multi-output table
    description: str = ""


@dataclass
class Invocable:
    """A BKM or a decision service: a function value at run time."""
    name: str
    id: str
    kind: str                        # "bkm" | "service"
    params: list
    evaluator: object = None         # BKM: body ev(scope, run)
    param_types: dict = field(default_factory=dict)
    result_type: DmnType | None = None
    error: str | None = None
    outputs: list = field(default_factory=list)        # service: output decision names
    input_decisions: list = field(default_factory=list)
    input_data: list = field(default_factory=list)


class DmnModel:
    """One compiled DMN model (and the models it imports, by prefix)."""

    def __init__(self, root, name: str, resolver=None, depth: int = 0, seen=()):
        self.root = root
        self.source_name = name
        self.ns = root.tag[1:].split("}")[0]
        self.version = dmn_version(self.ns) or ""
        self.namespace = root.get("namespace") or ""
        self.name = root.get("name") or name
        self.camunda = camunda.is_camunda(root)
        self.findings: list[Finding] = []
        self.inputs: dict[str, InputData] = {}
        self.decisions: dict[str, Decision] = {}
        self.invocables: dict[str, Invocable] = {}
        self.imports: dict[str, DmnModel] = {}
        self.types = TypeRegistry(self.ns, self._type_finding)
        self.types.register(root)
        self._ids: dict[str, str] = {}            # element id -> name
        self._read_imports(resolver, depth, tuple(seen) + (self.namespace,))
        self._declare()
        self.juel = "juel" in (root.get("expressionLanguage") or "").lower()
        self.compiler = Compiler(self.types, None, self._type_finding, self.camunda, self.juel)
        self._compile()

    # ---------------------------------------------------------------- findings
    def add(self, severity, code, message, element=None):
        where = None
        if element is not None:
            where = element.get("name") or element.get("id") or local(element.tag)
        cell = element.get("id") if element is not None else None
        self.findings.append(Finding(severity, code, message, where, cell))

    def _type_finding(self, code, message):
        severity = WARNING if code in ("dmn-type-unknown", "dmn-juel") else ERROR
        self.findings.append(Finding(severity, code, message))

    @staticmethod
    def _element_label(element) -> str:
        kind = {"decision": "Beslissing", "businessKnowledgeModel": "Kennismodel", "decisionService": "Beslisdienst",
                "inputData": "Invoer"}.get(local(element.tag), local(element.tag))
        ident = f" (id {element.get('id')})" if element.get("id") else " (zonder id)"
        return f"{kind} '{element.get('name') or '?'}'{ident}"

    # ---------------------------------------------------------------- helpers
    def children(self, element, tag):
        return [c for c in element if local(c.tag) == tag]

    def child(self, element, tag):
        return next((c for c in element if local(c.tag) == tag), None)

    def _href_name(self, node):
        """The element name an href (``#id`` or ``namespace#id``) points at, prefixed for imports."""
        href = (node.get("href") or "") if node is not None else ""
        ns, _, ident = href.rpartition("#")
        if ns and ns != self.namespace:
            for prefix, model in self.imports.items():
                if model.namespace == ns:
                    name = model._ids.get(ident)
                    return f"{prefix}.{name}" if name else None
            return None
        return self._ids.get(ident)

    # ---------------------------------------------------------------- imports
    def _read_imports(self, resolver, depth, seen):
        for node in self.children(self.root, "import"):
            prefix = node.get("name") or ""
            ns = node.get("namespace") or ""
            import_type = node.get("importType") or ""
            if import_type and dmn_version(import_type) is None and "DMN" not in import_type:
                self.add(WARNING, "dmn-import", f"Import '{prefix}' van soort {import_type} wordt niet ondersteund "
                                                "(alleen DMN-modellen).", node)
                continue
            if ns in seen or depth >= MAX_IMPORT_DEPTH:
                self.add(ERROR, "dmn-import", f"Import '{prefix}' ({ns}) vormt een kring of is te diep genest.", node)
                continue
            content = resolver(ns, node.get("locationURI")) if resolver else None
            if content is None:
                self.add(ERROR, "dmn-import", f"Het geïmporteerde model '{prefix}' (namespace {ns}) is niet gevonden.",
                         node)
                continue
            try:
                model = DmnModel(parse(content), prefix, resolver, depth + 1, seen)
            except RefusedModel as exc:
                self.add(ERROR, "dmn-import", f"Import '{prefix}': {exc}", node)
                continue
            self.findings.extend(Finding(f.severity, f.code, f"Import '{prefix}': {f.message}", f.sheet, f.cell)
                                 for f in model.findings)
            key = prefix
            if not prefix:      # an unnamed import merges the imported names into this model
                key = f"__import{len(self.imports)}"
            self.imports[key] = model
            self.types.imported[prefix or key] = model.types
        for key, model in self.imports.items():
            if key.startswith("__import"):
                self.types.elements.update({k: v for k, v in model.types.elements.items()
                                            if k not in self.types.elements})

    # ---------------------------------------------------------------- declarations
    def _declare(self):
        for element in self.root:
            tag = local(element.tag)
            if tag not in ("inputData", "decision", "businessKnowledgeModel", "decisionService"):
                continue
            name = (element.get("name") or "").strip()
            if not name:
                self.add(ERROR, "dmn-name", f"Een <{tag}> (id {element.get('id') or '?'}) heeft geen naam en "
                                            "wordt overgeslagen.", element)
                continue
            if tag in ("decision", "businessKnowledgeModel") and \
                    (name in self.decisions and tag == "businessKnowledgeModel"
                     or name in self.invocables and self.invocables[name].kind == "bkm" and tag == "decision"):
                # a BKM and a decision of the same name (camunda/dmn-scala models do this): the
                # decision's value is bound once computed; an invocation of the name before that
                # finds the BKM
                self.add(WARNING, "dmn-name-shared", f"{self._element_label(element)}: een kennismodel en een "
                                                     f"beslissing heten beide '{name}'.", element)
            elif name in self.inputs or name in self.decisions or name in self.invocables:
                self.add(ERROR, "dmn-name-duplicate", f"{self._element_label(element)}: de naam '{name}' komt al voor; "
                                                      "dit element wordt overgeslagen.", element)
                continue
            if element.get("id"):
                self._ids[element.get("id")] = name
            variable = self.child(element, "variable")
            type_ref = variable.get("typeRef") if variable is not None else None
            if tag == "inputData":
                self.inputs[name] = InputData(name, element.get("id") or "", self.types.resolve(type_ref, name),
                                              _text(self.child(element, "description")))
            elif tag == "decision":
                logic = next((c for c in element if local(c.tag) in BOXED_KINDS), None)
                self.decisions[name] = Decision(name, element.get("id") or "", self.types.resolve(type_ref, name),
                                                kind=local(logic.tag) if logic is not None else "",
                                                description=_text(self.child(element, "description")))
            else:
                kind = "bkm" if tag == "businessKnowledgeModel" else "service"
                self.invocables[name] = Invocable(name, element.get("id") or "", kind, [])

    def names(self) -> tuple:
        """Every name visible at model level (for the FEEL parser: names with spaces and dots)."""
        names = list(self.inputs) + list(self.decisions) + list(self.invocables)
        for prefix, model in self.imports.items():
            if prefix.startswith("__import"):
                names.extend(model.names())
            else:
                names.append(prefix)
                names.extend(f"{prefix}.{n}" for n in model.names())
        for data in self.inputs.values():
            names.extend(_component_paths(data.name, data.type))
        for decision in self.decisions.values():
            names.extend(_component_paths(decision.name, decision.type))
        return tuple(dict.fromkeys(names))

    # ---------------------------------------------------------------- compile
    def _compile(self):
        camunda.declare_free_inputs(self)
        names = self.names()
        for element in self.root:
            tag = local(element.tag)
            name = (element.get("name") or "").strip()
            try:
                if tag == "decision" and name in self.decisions and self.decisions[name].evaluator is None:
                    self._compile_decision(element, self.decisions[name], names)
                elif tag == "businessKnowledgeModel" and name in self.invocables:
                    self._compile_bkm(element, self.invocables[name], names)
                elif tag == "decisionService" and name in self.invocables:
                    self._compile_service(element, self.invocables[name])
            except LoadError as exc:
                self._failed(element, str(exc))
            except RecursionError:
                self._failed(element, "de expressies zijn te diep genest.")
        self._check_cycles()

    def _failed(self, element, message: str):
        name = (element.get("name") or "").strip()
        label = self._element_label(element)
        text = message if message.startswith(label) else f"{label}: {message}"
        self.add(ERROR, "dmn-element", f"{text} Dit element wordt niet uitgevoerd; de rest van het model wel.", element)
        if name in self.decisions:
            self.decisions[name].error = text
            self.decisions[name].evaluator = None
        elif name in self.invocables:
            self.invocables[name].error = text

    def _compile_decision(self, element, decision: Decision, names):
        label = self._element_label(element)
        for req in self.children(element, "informationRequirement"):
            required = self.child(req, "requiredDecision")
            if required is not None:
                rname = self._href_name(required)
                if rname:
                    decision.requires.append(rname)
        logic = next((c for c in element if local(c.tag) in BOXED_KINDS), None)
        if logic is None:
            decision.error = f"{label} heeft geen beslislogica."
            self.add(WARNING, "dmn-no-logic", f"{decision.error} De uitkomst is null.", element)
            return
        self._mentions(element, decision)
        names = names + tuple(camunda.required_output_names(self, decision))
        decision.evaluator = self.compiler.compile(logic, names, label)
        if local(logic.tag) == "literalExpression":
            decision.evaluator = _traced(decision.evaluator, decision)
        if local(logic.tag) == "decisionTable":
            outputs = getattr(decision.evaluator, "table_outputs", [])
            decision.outputs = outputs if len(outputs) > 1 else []

    def _mentions(self, element, decision: Decision) -> None:
        """Decisions and imports the decision's expressions name (besides its requirements)."""
        text = "\n".join(node.text or "" for node in element.iter() if local(node.tag) == "text")
        aliases = getattr(self, "output_aliases", {})
        if getattr(self, "_mention_index", None) is None:
            owners = {n: n for n in self.decisions}
            owners.update({a: owner for a, (owner, _c) in aliases.items() if a not in owners})
            self._mention_owners = owners
            from .boxed import NameIndex
            self._mention_index = NameIndex(list(owners))
        candidates = [(w, self._mention_owners[w]) for w in self._mention_index.candidates(text)
                      if self._mention_owners[w] != decision.name]
        for word, owner in candidates:
            if word in text and owner not in decision.mentions and owner not in decision.requires and \
                    re.search(r"(?<![\w])" + re.escape(word) + r"(?![\w])", text):
                decision.mentions.append(owner)
        for prefix, model in self.imports.items():
            if prefix.startswith("__import"):
                if any(n in text for n in model.names()):
                    decision.imports.append(prefix)
            elif prefix in text:
                decision.imports.append(prefix)
        for required in decision.requires:
            if "." in required and required.split(".")[0] in self.imports and \
                    required.split(".")[0] not in decision.imports:
                decision.imports.append(required.split(".")[0])

    def _compile_bkm(self, element, bkm: Invocable, names):
        label = self._element_label(element)
        logic = self.child(element, "encapsulatedLogic")
        variable = self.child(element, "variable")
        if logic is None:
            raise LoadError(f"{label} heeft geen logica (<encapsulatedLogic>).")
        kind = (logic.get("kind") or "FEEL").upper()
        params = [(p.get("name"), p.get("typeRef")) for p in self.children(logic, "formalParameter")]
        bkm.params = [p for p, _ in params]
        if kind == "JAVA":
            definition = self.compiler._java(logic, bkm.params, label)
            bkm.evaluator = lambda scope, run: definition(scope, run).invoke([scope[p] for p in bkm.params])
            return
        if kind != "FEEL":
            raise LoadError(f"{label}: een functie van soort {kind} (PMML) wordt niet ondersteund; alleen FEEL en "
                            "een vaste lijst Java-methoden.")
        bkm.param_types = self.compiler.param_types(params, label)
        body = next((c for c in logic if local(c.tag) in BOXED_KINDS), None)
        bkm.evaluator = self.compiler.compile(body, names + tuple(bkm.params), label)
        result_ref = logic.get("typeRef")
        if result_ref:
            t = self.types.resolve(result_ref, label)
            bkm.result_type = t if t.known and t.base != "Any" and not t.function else None
        elif variable is not None and variable.get("typeRef"):
            bkm.result_type = _result_type(self.types.resolve(variable.get("typeRef"), label))

    def _compile_service(self, element, service: Invocable):
        def refs(tag):
            out = []
            for node in self.children(element, tag):
                name = self._href_name(node)
                if name is None:
                    raise LoadError(f"{self._element_label(element)}: <{tag}> verwijst naar "
                                    f"'{node.get('href')}', dat niet bestaat.")
                out.append(name)
            return out
        service.outputs = refs("outputDecision")
        refs("encapsulatedDecision")
        service.input_decisions = refs("inputDecision")
        service.input_data = refs("inputData")
        service.params = service.input_data + service.input_decisions
        for pname in service.params:
            owner = self.inputs.get(pname) or self.decisions.get(pname)
            if owner is not None and owner.type.known and owner.type.base != "Any":
                service.param_types[pname] = owner.type
        variable = self.child(element, "variable")
        if variable is not None and variable.get("typeRef"):
            service.result_type = _result_type(self.types.resolve(variable.get("typeRef"), service.name))

    def _prune_mentions(self) -> None:
        """A decision name found in another decision's text (a soft dependency, evaluated first)
        must not close a cycle: ``ymDuration2`` mentions the word ``years`` while the decision
        ``years`` requires ``ymDuration2``. Mentions between decisions of one strongly connected
        component (requirements and mentions together) are dropped."""
        decisions = self.decisions
        if not any(d.mentions for d in decisions.values()):
            return
        component = _components({n: list(d.requires) + list(d.mentions) for n, d in decisions.items()})
        for decision in decisions.values():
            decision.mentions = [m for m in decision.mentions if component.get(m) != component[decision.name]]

    def _check_cycles(self):
        self._prune_mentions()
        state: dict = {}

        def visit(name, path):
            if state.get(name) == "done" or name not in self.decisions:
                return
            if state.get(name) == "busy":
                cycle = path[path.index(name):] + [name]
                self.findings.append(Finding(ERROR, "dmn-cycle", "De beslissingen zijn in een kring van elkaar "
                                                                 "afhankelijk: " + " -> ".join(cycle) +
                                             ". Deze beslissingen geven null.", name))
                for n in cycle:
                    self.decisions[n].error = "kring van afhankelijkheden: " + " -> ".join(cycle)
                return
            state[name] = "busy"
            for required in self.decisions[name].requires:
                visit(required, path + [name])
            state[name] = "done"
        for name in list(self.decisions):
            visit(name, [])
        for decision in self.decisions.values():
            if decision.error and decision.error.startswith("kring"):
                decision.evaluator = None


def _components(graph: dict) -> dict:
    """Strongly connected components (Kosaraju, iterative): node -> component number."""
    order, seen = [], set()
    for start in graph:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(graph[start]))]
        while stack:
            node, it = stack[-1]
            for nxt in it:
                if nxt in graph and nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, iter(graph[nxt])))
                    break
            else:
                stack.pop()
                order.append(node)
    reverse: dict = {n: [] for n in graph}
    for node, targets in graph.items():
        for t in targets:
            if t in reverse:
                reverse[t].append(node)
    component: dict = {}
    for number, start in enumerate(reversed(order)):
        if start in component:
            continue
        component[start] = number
        stack = [start]
        while stack:
            node = stack.pop()
            for prev in reverse[node]:
                if prev not in component:
                    component[prev] = number
                    stack.append(prev)
    return component


def _traced(evaluator, decision: Decision):
    """A literal-expression decision appears in the trace as one rule (its id, or its name), as
    the table engine shows it, so that every decision that computed a value is in ``fired``."""
    from ..evaluate import Fired
    fired = Fired(decision.name, decision.id or decision.name, decision.description, "", 0, "")

    def literal_decision(scope, run):
        value = evaluator(scope, run)
        run.fired.append(fired)
        return value
    return literal_decision


def _result_type(t: DmnType) -> DmnType | None:
    """The type a BKM's or service's result must have: a function type's output type, else the type."""
    if t.function:
        t = t.item
    if t is None or not t.known or t.base in ("Any", "function"):
        return None
    return t


def _text(node) -> str:
    if node is None:
        return ""
    return (node.text or "").strip()


def _component_paths(prefix: str, dmn_type: DmnType, depth: int = 0) -> list[str]:
    """``Violation.Actual Speed`` style names, so the FEEL parser reads components with spaces."""
    if depth > 5 or dmn_type is None:
        return []
    target = dmn_type.item if dmn_type.collection and dmn_type.item is not None else dmn_type
    if not target.components:
        return []
    out = []
    for name, component in target.components.items():
        path = f"{prefix}.{name}"
        out.append(path)
        out.extend(_component_paths(path, component, depth + 1))
    return out


SIMPLE_PATH = re.compile(r"^[^\W\d][\w]*(?:\.[^\W\d][\w]*)*$")


def load_model(content: bytes, name: str = "", resolver=None) -> DmnModel:
    """Parse and compile a DMN file. Raises RefusedModel when the file as a whole is refused."""
    root = parse(content)
    return DmnModel(root, name, resolver)


__all__ = ["DmnModel", "InputData", "Decision", "Invocable", "load_model", "ANY", "RefusedModel", "SIMPLE_PATH"]
