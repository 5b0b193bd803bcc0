"""Read DMN XML safely: no DTDs, entities or external references, and bounded in size.

Limits (a hostile or broken file is refused with a Dutch finding, never parsed without end):
the file size, the number of XML elements, their nesting depth, the number of decisions, rules
and table cells, and the length of one expression.
"""
from __future__ import annotations

import re

import defusedxml.ElementTree as ET

from ..findings import ERROR, Finding

DMN_NAMESPACES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "1.1",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "1.2",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "1.3",
    "https://www.omg.org/spec/DMN/20211108/MODEL/": "1.4",
    "https://www.omg.org/spec/DMN/20230324/MODEL/": "1.5",
    "http://www.omg.org/spec/DMN/20151101/dmn11.xsd": "1.1",        # Camunda 7's DMN 1.1 files
    "https://www.omg.org/spec/DMN/20240513/MODEL/": "1.6",
}
_DMN_NAMESPACE = re.compile(r"^https?://www\.omg\.org/spec/DMN/\d{8}/(MODEL/?|dmn\d*\.xsd)$")


def dmn_version(ns: str) -> str | None:
    """The DMN version of a namespace (http or https, any dated DMN model namespace)."""
    if ns in DMN_NAMESPACES:
        return DMN_NAMESPACES[ns]
    return "?" if _DMN_NAMESPACE.match(ns or "") else None
FEEL_NAMESPACES = {
    "http://www.omg.org/spec/FEEL/20140401", "http://www.omg.org/spec/DMN/20180521/FEEL/",
    "https://www.omg.org/spec/DMN/20191111/FEEL/", "https://www.omg.org/spec/DMN/20211108/FEEL/",
    "https://www.omg.org/spec/DMN/20230324/FEEL/",
}
CAMUNDA_NS = "http://camunda.org/schema/1.0/dmn"

MAX_BYTES = 20 * 1024 * 1024          # a DMN file of more than 20 MB is refused unread
MAX_ELEMENTS = 400_000                # XML elements in one file
MAX_DEPTH = 200                       # nesting of XML elements (boxed expressions nest)
MAX_DECISIONS = 2_000                 # decisions + BKMs + decision services
MAX_RULES = 20_000                    # rules in one decision table
MAX_CELLS = 500_000                   # table cells in the whole model
MAX_EXPRESSION = 100_000              # characters of one FEEL text


class RefusedModel(Exception):
    """The file is refused as a whole; ``finding`` says why (in Dutch)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.finding = Finding(ERROR, code, message)


def local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag) -> str:
    return tag[1:].split("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def parse(content: bytes):
    """The root ``<definitions>`` element of a DMN file, or RefusedModel."""
    if len(content) > MAX_BYTES:
        raise RefusedModel("dmn-too-large", f"Het DMN-bestand is {len(content) // (1024 * 1024)} MB; meer dan "
                                            f"{MAX_BYTES // (1024 * 1024)} MB wordt niet gelezen.")
    try:
        root = ET.fromstring(content, forbid_dtd=True)
    except ET.ParseError as exc:
        raise RefusedModel("dmn-xml", f"Het DMN-bestand is geen geldige XML: {exc}.") from None
    except Exception as exc:  # noqa: BLE001 - defusedxml: DTDForbidden, EntitiesForbidden, ...
        raise RefusedModel("dmn-xml", f"Het DMN-bestand is geweigerd ({exc.__class__.__name__}): DTD's, "
                                      "entiteiten en externe verwijzingen zijn niet toegestaan.") from None
    ns = namespace(root.tag)
    if local(root.tag) != "definitions" or dmn_version(ns) is None:
        raise RefusedModel("dmn-namespace", f"Dit is geen DMN-model: het hoofdelement is '{root.tag}'. Verwacht "
                                            f"<definitions> in een DMN-namespace "
                                            f"({', '.join('DMN ' + v for v in sorted(set(DMN_NAMESPACES.values())))}).")
    _check_shape(root)
    return root


def _check_shape(root) -> None:
    count = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if count > MAX_ELEMENTS:
            raise RefusedModel("dmn-too-large", f"Het DMN-model heeft meer dan {MAX_ELEMENTS} XML-elementen; "
                                                "dat wordt niet gelezen.")
        if depth > MAX_DEPTH:
            raise RefusedModel("dmn-too-deep", f"Het DMN-model is dieper dan {MAX_DEPTH} niveaus genest; "
                                               "dat wordt niet gelezen.")
        text = element.text
        if text is not None and len(text) > MAX_EXPRESSION:
            raise RefusedModel("dmn-expression-too-long",
                               f"Een expressie in <{local(element.tag)}> is {len(text)} tekens lang; meer dan "
                               f"{MAX_EXPRESSION} wordt niet gelezen.")
        stack.extend((child, depth + 1) for child in element)
    drg = sum(1 for c in root if local(c.tag) in ("decision", "businessKnowledgeModel", "decisionService"))
    if drg > MAX_DECISIONS:
        raise RefusedModel("dmn-too-many-decisions", f"Het DMN-model heeft {drg} beslissingen en kennismodellen; "
                                                     f"meer dan {MAX_DECISIONS} wordt niet gelezen.")
    cells = 0
    for table in root.iter(f"{{{namespace(root.tag)}}}decisionTable"):
        rules = [r for r in table if local(r.tag) == "rule"]
        if len(rules) > MAX_RULES:
            raise RefusedModel("dmn-too-many-rules", f"Een beslistabel heeft {len(rules)} regels; meer dan "
                                                     f"{MAX_RULES} wordt niet gelezen.")
        cells += sum(len(r) for r in rules)
    if cells > MAX_CELLS:
        raise RefusedModel("dmn-too-many-cells", f"Het DMN-model heeft {cells} tabelcellen; meer dan {MAX_CELLS} "
                                                 "wordt niet gelezen.")
