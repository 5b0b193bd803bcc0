"""DMNDI: the diagram (DRD) of an export, laid out in layers by dependency.

Input data sit at the bottom, each decision one row above the highest of the decisions it
requires; an input data sits one row below the lowest decision that uses it, so inputs appear
near their use. Within a row nodes are ordered by the mean position of what they connect to
(two sweeps), which keeps most requirement arrows short and uncrossed. Arrows point upwards
from the required element to the decision, as in Camunda Modeler.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

DMNDI = "https://www.omg.org/spec/DMN/20191111/DMNDI/"
DC = "http://www.omg.org/spec/DMN/20180521/DC/"
DI = "http://www.omg.org/spec/DMN/20180521/DI/"

SIZES = {"decision": (180, 80), "inputData": (150, 50), "businessKnowledgeModel": (150, 60)}
GAP_X, GAP_Y, MARGIN = 40, 100, 60
TOP = 140        # below the name box dmn-js draws over the top-left corner


@dataclass
class Node:
    id: str
    kind: str                                   # decision | inputData | businessKnowledgeModel
    requires: list = field(default_factory=list)  # [(requirement id, required node id)]
    layer: int = 0
    x: float = 0.0
    y: float = 0.0

    @property
    def size(self):
        return SIZES[self.kind]


def layout(nodes: list[Node]) -> None:
    """Give every node its layer and x/y (top-left corner)."""
    by_id = {n.id: n for n in nodes}
    decisions = [n for n in nodes if n.kind == "decision"]
    memo: dict[str, int] = {}

    def decision_layer(node: Node, path=()) -> int:
        if node.id in memo:
            return memo[node.id]
        if node.id in path:                     # a cycle: stop climbing
            return 1
        below = [decision_layer(by_id[r], path + (node.id,)) for _, r in node.requires
                 if r in by_id and by_id[r].kind == "decision"]
        memo[node.id] = 1 + max(below, default=0)
        return memo[node.id]

    for node in decisions:
        node.layer = decision_layer(node)
    users: dict[str, list[Node]] = {}
    for node in nodes:
        for _, required in node.requires:
            users.setdefault(required, []).append(node)
    for node in nodes:
        if node.kind != "decision":
            using = [u.layer for u in users.get(node.id, []) if u.kind == "decision"]
            node.layer = max(min(using, default=1) - 1, 0)
    top = max((n.layer for n in nodes), default=0)
    rows: dict[int, list[Node]] = {}
    for node in nodes:
        rows.setdefault(node.layer, []).append(node)

    def place(row: list[Node], targets=None):
        """Left to right in row order, each as near its target centre as the nodes before allow."""
        right = MARGIN - GAP_X
        for node in row:
            want = targets[node.id] - node.size[0] / 2 if targets and node.id in targets else right + GAP_X
            node.x = max(want, right + GAP_X)
            right = node.x + node.size[0]

    def centre(node: Node) -> float:
        return node.x + node.size[0] / 2

    def sweep(layers, linked_of):
        for layer in layers:
            row = rows[layer]
            keyed, targets = [], {}
            for index, node in enumerate(row):
                linked = linked_of(node, layer)
                if linked:
                    targets[node.id] = sum(linked) / len(linked)
                keyed.append((targets.get(node.id, centre(node)), index, node))
            rows[layer] = [n for _, _, n in sorted(keyed, key=lambda k: (k[0], k[1]))]
            place(rows[layer], targets)

    for layer in sorted(rows):
        place(rows[layer])
    for _ in range(2):
        # upwards: each decision above what it requires; then downwards: inputs under their users
        sweep(sorted(rows), lambda node, layer: [centre(by_id[r]) for _, r in node.requires
                                                 if r in by_id and by_id[r].layer < layer])
        sweep(sorted(rows, reverse=True), lambda node, layer: [centre(u) for u in users.get(node.id, [])
                                                               if u.layer > layer])
    sweep(sorted(rows), lambda node, layer: [centre(by_id[r]) for _, r in node.requires
                                             if r in by_id and by_id[r].layer < layer])
    height = max(s[1] for s in SIZES.values()) + GAP_Y
    for layer, row in rows.items():
        for node in row:
            node.x = round(node.x)
            node.y = TOP + (top - layer) * height


def write(root, nodes: list[Node], name: str) -> None:
    """Append the ``dmndi:DMNDI`` element (shapes and edges) to ``definitions``."""
    ET.register_namespace("dmndi", DMNDI)
    ET.register_namespace("dc", DC)
    ET.register_namespace("di", DI)
    layout(nodes)
    by_id = {n.id: n for n in nodes}
    dmndi = ET.SubElement(root, f"{{{DMNDI}}}DMNDI")
    diagram = ET.SubElement(dmndi, f"{{{DMNDI}}}DMNDiagram", {"id": "DMNDiagram_1", "name": name})
    for node in nodes:
        shape = ET.SubElement(diagram, f"{{{DMNDI}}}DMNShape", {"id": f"DMNShape_{node.id}", "dmnElementRef": node.id})
        width, height = node.size
        ET.SubElement(shape, f"{{{DC}}}Bounds", {"height": str(height), "width": str(width),
                                                 "x": str(int(node.x)), "y": str(int(node.y))})
    for node in nodes:
        width, height = node.size
        for requirement, required in node.requires:
            source = by_id.get(required)
            if source is None:
                continue
            edge = ET.SubElement(diagram, f"{{{DMNDI}}}DMNEdge", {"id": f"DMNEdge_{requirement}",
                                                                  "dmnElementRef": requirement})
            sw, sh = source.size
            start = (source.x + sw / 2, source.y) if source.y > node.y else (source.x + sw / 2, source.y + sh)
            end = (node.x + width / 2, node.y + height) if source.y > node.y else (node.x + width / 2, node.y)
            for x, y in (start, end):
                ET.SubElement(edge, f"{{{DI}}}waypoint", {"x": str(int(x)), "y": str(int(y))})
