"""DMN models: read, check and run DMN XML (DMN 1.1 to 1.5).

- Regelbank's own exports (``engine.dmn_export``, recognised by the ``rb:ruleset`` extension)
  load back into the workbook model and run on the fast table engine (``legacy.py``).
- Every other DMN model is compiled into a decision graph over FEEL values (``model.py``,
  ``boxed.py``, ``tables.py``, ``evaluate.py``): boxed expressions, BKMs, decision services,
  imports, item definitions, Camunda Modeler conventions (``camunda.py``).

``load_dmn_bytes(content, name, resolver)`` returns a RuleSet; ``validate_dmn`` every finding.
A hostile file (XXE, entity expansion, too large, too many decisions) is refused by
``reader.py`` with a Dutch finding.
"""
from __future__ import annotations

from pathlib import Path

from ..findings import ERROR, Finding, has_errors
from .legacy import RB_NS, read_dmn
from .reader import DMN_NAMESPACES, RefusedModel, parse

__all__ = ["DMN_NAMESPACES", "read_dmn", "load_dmn_bytes", "validate_dmn", "is_regelbank_export",
           "directory_resolver", "RefusedModel"]


def is_regelbank_export(content: bytes) -> bool:
    """True for a DMN file written by Regelbank (it carries the glossary in ``rb:ruleset``)."""
    return RB_NS.encode() in content[:200_000] and b"ruleset" in content


def directory_resolver(folder):
    """Find imported models among the ``.dmn`` files of a folder, by namespace (or locationURI)."""
    folder = Path(folder)
    cache: dict = {}

    def resolve(namespace: str, location: str | None):
        if location and (folder / location).is_file():
            return (folder / location).read_bytes()
        if not cache:
            for path in sorted(folder.glob("*.dmn")):
                try:
                    content = path.read_bytes()
                    root = parse(content)
                except (OSError, RefusedModel):
                    continue
                cache.setdefault(root.get("namespace") or "", content)
        return cache.get(namespace)
    return resolve


def load_dmn(content: bytes, name: str = "", resolver=None):
    """(RuleSet or None, findings) for DMN XML; never raises on bad content."""
    if is_regelbank_export(content):
        from .. import RuleSet
        model, findings = read_dmn(content, name)
        if model is None or has_errors(findings):
            return None, findings
        return RuleSet(model, content, findings), findings
    from ..limits import check_dmn
    from .model import DmnModel
    from .ruleset import DmnRuleSet
    if too_large := check_dmn(content):   # the same size limits as every model, streamed, before parsing
        return None, too_large
    try:
        root = parse(content)
        dmn = DmnModel(root, name, resolver)
    except RefusedModel as exc:
        return None, [exc.finding]
    except RecursionError:
        return None, [Finding(ERROR, "dmn-too-deep", "Het DMN-model is te diep genest om te lezen.")]
    findings = list(dmn.findings)
    if not dmn.decisions:
        findings.append(Finding(ERROR, "dmn-empty", "Het DMN-model bevat geen beslissing die kan worden uitgevoerd."))
        return None, findings
    # Even when no decision could load, the model loads: each decision then evaluates to null
    # with the reason as its diagnostic (the findings say the same at load).
    return DmnRuleSet(dmn, content, findings), findings


def load_dmn_bytes(content: bytes, name: str = "", resolver=None):
    """A RuleSet for DMN XML; raises WorkbookError when nothing of the model can run."""
    from .. import WorkbookError
    rules, findings = load_dmn(content, name, resolver)
    if rules is None:
        raise WorkbookError(findings, name)
    return rules


def validate_dmn(content: bytes, name: str = "", resolver=None) -> list[Finding]:
    """Every finding for a DMN file: refusals, elements that cannot load, unknown types, cycles."""
    return load_dmn(content, name, resolver)[1]
