"""DMN types: FEEL built-in types, ``itemDefinition`` (nested components, collections, allowed
values, function items) and the typeRef check on inputs and decision results.

``DmnType.check(value, diagnostics, where)`` returns the value when it conforms (after the
spec's singleton-list conversions), otherwise null plus a diagnostic. Unknown typeRefs are
reported at load and check nothing.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from .. import feel
from ..feel import temporal
from . import feelbridge
from .reader import local

# FEEL base type names as they appear in typeRef (DMN 1.1 xsd-style names and DMN 1.2+ FEEL names).
BASE_TYPES = {
    "number": "number", "string": "string", "boolean": "boolean", "date": "date", "time": "time",
    "dateTime": "date and time", "date and time": "date and time",
    "dayTimeDuration": "days and time duration", "days and time duration": "days and time duration",
    "yearMonthDuration": "years and months duration", "years and months duration": "years and months duration",
    "duration": "duration", "Any": "Any", "any": "Any", "context": "context", "list": "list",
    "function": "function", "range": "range", "Null": "Null",
    # Camunda Modeler's typeRefs (camunda-engine-dmn data type transformers): numbers, whole for
    # integer and long.
    "integer": "integer", "long": "integer", "double": "number", "int": "integer", "decimal": "number",
}
DUTCH = {"number": "getal", "integer": "geheel getal", "string": "tekst", "boolean": "waar/onwaar", "date": "datum",
         "time": "tijd", "date and time": "datum en tijd", "days and time duration": "duur (dagen/tijd)",
         "years and months duration": "duur (jaren/maanden)", "duration": "duur", "context": "context",
         "list": "lijst", "function": "functie", "range": "bereik"}


def strip_prefix(type_ref: str | None) -> str | None:
    if not type_ref:
        return None
    type_ref = type_ref.strip()
    for prefix in ("feel:", "FEEL:", "xsd:", "xs:"):
        if type_ref.startswith(prefix):
            return type_ref[len(prefix):]
    return type_ref


def _is_time(value) -> bool:
    try:
        from ..feel.temporal import Time
        if isinstance(value, Time):
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(value, _dt.time)


def base_conforms(base: str, value) -> bool:
    """True when a non-null value is of the FEEL base type."""
    if base == "Any":
        return True
    if base == "number":
        return feel.is_number(value)
    if base == "integer":
        # to_integral_value, not int(): 1E+5000 is a decimal128 number and int() of it is a 5,000-digit int
        return feel.is_number(value) and (isinstance(value, int) or value == value.to_integral_value())
    if base == "string":
        return isinstance(value, str)
    if base == "boolean":
        return isinstance(value, bool)
    if base == "date and time":
        return temporal.is_datetime(value)      # also years outside 1..9999 (FarDateTime)
    if base == "date":
        return temporal.is_date(value)
    if base == "time":
        return _is_time(value)
    if base == "days and time duration":
        return isinstance(value, _dt.timedelta)
    if base == "years and months duration":
        return isinstance(value, feel.YearsMonths)
    if base == "duration":
        return isinstance(value, (_dt.timedelta, feel.YearsMonths))
    if base == "context":
        return isinstance(value, dict)
    if base == "list":
        return isinstance(value, list)
    if base == "function":
        return callable(value) or hasattr(value, "invoke")
    if base == "range":
        return type(value).__name__ == "Range"
    return True


@dataclass
class DmnType:
    name: str
    base: str | None = None                  # FEEL base type; None for a structure or unknown
    components: dict | None = None           # name -> DmnType, for a structure
    collection: bool = False
    item: "DmnType | None" = None            # the element type of a collection
    allowed: object = None                   # compiled unary tests (per element for a collection)
    allowed_text: str | None = None
    constraint: object = None                # DMN 1.5 typeConstraint (on the whole value)
    function: bool = False
    known: bool = True
    feel: object = None                      # (feel.types, parsed type, resolver) for FEEL type syntax

    def describe(self) -> str:
        if self.collection:
            return f"lijst van {self.item.describe() if self.item else 'waarden'}"
        if self.components is not None:
            return f"structuur {self.name}"
        text = DUTCH.get(self.base or "", self.name)
        return f"{text} uit {self.allowed_text}" if self.allowed_text else text

    def conforms(self, value, diagnostics=None, lenient: bool = False) -> bool:
        """True when the value is of this type. ``lenient`` (input data): a structure's missing
        components read as null, as Drools/Kogito read JSON input; decision results, context entries
        and function arguments must have every component (the TCK checks this)."""
        if value is None:
            return True
        if self.feel is not None:
            feel_types, parsed, resolve = self.feel
            try:
                return bool(feel_types.conforms(value, parsed, resolve, unknown=True))
            except Exception:  # noqa: BLE001 - the check must never raise
                return True
        if self.function:
            return base_conforms("function", value)
        if self.collection:
            if not isinstance(value, list):
                return False
            element = self.item or DmnType("Any", "Any")
            if not all(element.conforms(v, diagnostics, lenient) for v in value):
                return False
            if self.allowed is not None and not all(v is None or self.allowed.matches(v, {}, diagnostics) is True
                                                    for v in value):
                return False
        else:
            if self.components is not None:
                if not isinstance(value, dict):
                    return False
                for name, component in self.components.items():
                    if name not in value:
                        if lenient:
                            continue
                        return False
                    if not component.conforms(value[name], diagnostics, lenient):
                        return False
            elif self.base is not None and not base_conforms(self.base, value):
                return False
            if self.allowed is not None and self.allowed.matches(value, {}, diagnostics) is not True:
                return False
        if self.constraint is not None and self.constraint.matches(value, {}, diagnostics) is not True:
            return False
        return True

    def coerce_text(self, value, depth: int = 0):
        """Input data from JSON: ISO text where the type is a date, time, date and time or
        duration becomes that value (as Kogito reads its REST input); numbers given as floats
        become decimals. Anything else is left for the conformance check."""
        if depth > 20:
            return value
        if isinstance(value, float):
            return feel.number(value)
        if isinstance(value, str) and self.base in _TEXT_TEMPORALS:
            parsed = _parse_temporal(self.base, value)
            return value if parsed is None else parsed
        if isinstance(value, dict) and self.components:
            return {k: (self.components[k].coerce_text(v, depth + 1) if k in self.components else v)
                    for k, v in value.items()}
        if isinstance(value, list) and self.collection and self.item is not None:
            return [self.item.coerce_text(v, depth + 1) for v in value]
        return value

    def check(self, value, diagnostics: list, where: str, lenient: bool = False):
        """The value converted to this type (singleton lists), or null plus a diagnostic."""
        if value is None or not self.known:
            return value
        if not self.collection and isinstance(value, list) and len(value) == 1 and \
                (self.base not in ("list", "Any") or self.components is not None):
            value = value[0]
        elif self.collection and not isinstance(value, list):
            value = [value]
        if self.base == "integer" and feel.is_number(value) and value == int(value):
            value = int(value)
        if lenient:
            value = self.coerce_text(value)
        if self.conforms(value, None, lenient):
            return value
        diagnostics.append(feelbridge.diagnostic(
            "type-mismatch", f"{where}: de waarde {_show(value)} past niet bij het type {self.describe()}; "
                             "de uitkomst is null."))
        return None


def _show(value) -> str:
    try:
        text = feel.format_value(value)
    except Exception:  # noqa: BLE001
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


ANY = DmnType("Any", "Any")
_TEXT_TEMPORALS = {"date": "date", "time": "time", "date and time": "date and time",
                   "days and time duration": "duration", "years and months duration": "duration",
                   "duration": "duration"}


def _parse_temporal(base: str, text: str):
    try:
        from ..feel.builtins import BUILTINS
        value = BUILTINS[_TEXT_TEMPORALS[base]].invoke([text])
    except Exception:  # noqa: BLE001 - text that is no such value stays text (and fails the type)
        return None
    if value is None or not base_conforms(base, value):
        if base == "date" and isinstance(value, _dt.datetime):
            return value.date()
        return None
    return value


class TypeRegistry:
    """The itemDefinitions of one model (and of its imports, by prefix)."""

    def __init__(self, ns: str, findings_add):
        self.ns = ns
        self.elements: dict[str, object] = {}
        self.types: dict[str, DmnType] = {}
        self.imported: dict[str, "TypeRegistry"] = {}
        self._add = findings_add

    def register(self, root) -> None:
        for item in root:
            if local(item.tag) == "itemDefinition" and item.get("name"):
                self.elements[item.get("name")] = item

    def resolve(self, type_ref: str | None, where: str = "") -> DmnType:
        name = strip_prefix(type_ref)
        if not name:
            return ANY
        if name in self.types:
            return self.types[name]
        if name in self.elements:
            self.types[name] = DmnType(name, known=False)     # guards recursive definitions
            self.types[name] = self._build(self.elements[name], name)
            return self.types[name]
        if name in BASE_TYPES:
            return DmnType(name, BASE_TYPES[name])
        if "." in name:
            prefix, rest = name.split(".", 1)
            if prefix in self.imported:
                return self.imported[prefix].resolve(rest, where)
        if name.startswith(("list<", "context<", "function<", "range<")) or name.endswith(">"):
            return self._feel_type(name, where)
        self._add("dmn-type-unknown", f"{where}: het type '{type_ref}' is onbekend; de waarde wordt niet gecontroleerd.")
        return DmnType(name, known=False)

    def _feel_type(self, text: str, where: str) -> DmnType:
        """A typeRef in FEEL type syntax (``list<number>``, ``context<a: string>``), checked with
        the FEEL package's ``types.conforms``; item definitions inside resolve through this registry."""
        try:
            from ..feel import types as feel_types
            parsed = feel_types.parse_type(text)
        except Exception:  # noqa: BLE001 - bad type syntax: reported, not checked
            self._add("dmn-type-unknown", f"{where}: het type '{text}' is onleesbaar; de waarde wordt niet "
                                          "gecontroleerd.")
            return DmnType(text, known=False)
        registry = self

        class _Resolved:
            def __init__(self, name):
                self.t = registry.resolve(name, where)

            def conforms(self, value):
                return self.t.conforms(value)
        dmn_type = DmnType(text, text.split("<")[0].strip())
        dmn_type.feel = (feel_types, parsed, lambda n: _Resolved(n))
        return dmn_type

    def _child(self, element, tag):
        return next((c for c in element if local(c.tag) == tag), None)

    def _tests(self, element, tag, where):
        node = self._child(element, tag)
        if node is None:
            return None, None
        text_node = self._child(node, "text")
        text = (text_node.text or "").strip() if text_node is not None else ""
        if not text:
            return None, None
        try:
            return feelbridge.compile_tests(text), text
        except feelbridge.FeelSyntaxError as exc:
            self._add("dmn-allowed-values", f"{where}: de toegestane waarden '{text}' zijn ongeldig: {exc}")
            return None, None

    def _build(self, element, name: str) -> DmnType:
        where = f"Type '{name}'"
        collection = element.get("isCollection") == "true"
        allowed, allowed_text = self._tests(element, "allowedValues", where)
        constraint, _ = self._tests(element, "typeConstraint", where)
        function_item = self._child(element, "functionItem")
        if function_item is not None:
            output = function_item.get("outputTypeRef")
            result = self.resolve(output, where) if output else None
            return DmnType(name, "function", function=True, item=result)
        components = [c for c in element if local(c.tag) == "itemComponent"]
        ref_node = self._child(element, "typeRef")
        if components:
            inner = DmnType(name, None, components={c.get("name"): self._build(c, f"{name}.{c.get('name')}")
                                                    for c in components})
        elif ref_node is not None and (ref_node.text or "").strip():
            inner = self.resolve(ref_node.text.strip(), where)
        else:
            inner = ANY
        if collection and inner.collection and allowed is None and constraint is None and \
                local(element.tag) == "itemComponent":
            return inner   # a component marked isCollection that refers to a collection type (Kogito)
        if collection:
            return DmnType(name, "list", collection=True, item=inner, allowed=allowed, allowed_text=allowed_text,
                           constraint=constraint)
        if allowed is None and constraint is None:
            return inner if inner.name == name or components else DmnType(
                name, inner.base, inner.components, inner.collection, inner.item, inner.allowed, inner.allowed_text,
                inner.constraint, inner.function, inner.known)
        return DmnType(name, inner.base, inner.components, inner.collection, inner.item, allowed or inner.allowed,
                       allowed_text or inner.allowed_text, constraint, inner.function, inner.known)
