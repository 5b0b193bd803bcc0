"""Camunda Modeler conventions, applied to every DMN model where they do not contradict the spec.

- A name used as a decision table's input expression that no ``inputData``, decision, BKM or
  import declares becomes an input of the model (Camunda takes such variables from the process).
- An empty input expression with ``camunda:inputVariable`` takes the value of the variable of that
  name; input entries may refer to the input value as ``cellInput`` or by the inputVariable name.
- A decision may refer to a required decision table's *output name* (Camunda binds the outputs
  of required decisions by output name; the spec binds the decision's value by decision name).
  Regelbank binds both; the decision name wins when the two are different names for one value.
- A JUEL input expression that names a variable (``${age}``, Camunda 7) reads that variable.
- typeRefs ``integer``, ``long``, ``double`` are numbers (``integer``/``long`` must be whole).
- In a model written by Camunda Modeler, the typeRef of a decision table's input and output
  columns is not enforced (Camunda models often declare "string" for numbers, and Camunda's
  engines do not reject them); the typeRef of a decision's variable is.
- A missing ``hitPolicy`` is UNIQUE (both agree); several matching rules under UNIQUE give null
  plus a diagnostic naming the rules (Camunda raises for the whole evaluation; Regelbank keeps the
  other decisions running, as the spec's error semantics allow).

``is_camunda`` says whether the model was written by Camunda Modeler (``exporter`` or a Camunda
attribute); docs/dmn.md lists where Regelbank follows the spec and how such a model differs.
"""
from __future__ import annotations

import re

from .reader import CAMUNDA_NS, local

_SIMPLE_PATH = re.compile(r"^[^\W\d][\w]*(?:\.[^\W\d][\w]*)*$")
_CAMUNDA_URIS = ("http://camunda.org/schema/1.0/dmn", "http://camunda.org/schema/zeebe")


def is_camunda(root) -> bool:
    exporter = (root.get("exporter") or "").lower()
    if "camunda" in exporter:
        return True
    if (root.get("namespace") or "").startswith(_CAMUNDA_URIS):
        return True
    for element in root.iter():
        if any(key.startswith(f"{{{CAMUNDA_NS}}}") for key in element.attrib):
            return True
    return False


def table_output_names(model) -> dict:
    """output name -> (decision name, component or None) for every decision table output."""
    found: dict = {}
    for element in model.root:
        if local(element.tag) != "decision" or not element.get("name"):
            continue
        table = next((c for c in element if local(c.tag) == "decisionTable"), None)
        if table is None:
            continue
        outputs = [o for o in table if local(o.tag) == "output"]
        for output in outputs:
            name = output.get("name")
            if name and name != element.get("name"):
                found.setdefault(name, (element.get("name"), name if len(outputs) > 1 else None))
    return found


def declare_free_inputs(model) -> None:
    """Free names in decision table input expressions become inputs of the model."""
    from .itemtypes import ANY
    from .model import InputData
    model.output_aliases = table_output_names(model)
    known = set(model.inputs) | set(model.decisions) | set(model.invocables) | set(model.imports) | \
        set(model.output_aliases)
    for element in model.root.iter():
        if local(element.tag) != "input":
            continue
        expression = next((c for c in element if local(c.tag) == "inputExpression"), None)
        text_node = next((c for c in expression if local(c.tag) == "text"), None) if expression is not None else None
        text = (text_node.text or "").strip() if text_node is not None else ""
        variable = element.get(f"{{{CAMUNDA_NS}}}inputVariable")
        if not text and variable:
            text = variable
        if text.startswith("${") and text.endswith("}"):
            text = text[2:-1].strip()
        if not text or not _SIMPLE_PATH.match(text):
            continue
        head = text.split(".")[0]
        if head in known or text in known:
            continue
        # The inputExpression's typeRef describes the column, and Camunda models often say
        # "string" for numbers: a free name is an input of any type.
        model.inputs[head] = InputData(head, "", ANY, implicit=True)
        known.add(head)


def required_output_names(model, decision) -> list[str]:
    """Output names of the decisions this one requires (Camunda binds them by output name)."""
    aliases = getattr(model, "output_aliases", {})
    return [name for name, (owner, _c) in aliases.items() if owner in decision.requires or not decision.requires]
