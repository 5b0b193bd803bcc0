"""Regelbank's embeddable engine: load, validate, evaluate, trace. No Flask, no database.

    from engine import load
    rules = load("spreadsheets/kampen/autoaanpassing.xlsx")
    result = rules.evaluate({"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150})
    result.outputs, result.fired, result.explanation

A loaded RuleSet is immutable and thread-safe: one instance serves many threads.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import feel
from .evaluate import EvaluationError, EvaluationListener, Fired, Result, evaluate_model, model_plans
from .explain import explain, format_nl
from .limits import check_model, formula_findings
from .findings import ERROR, Finding, has_errors
from .inputs import InputError, coerce_text, describe_allowed, prepare_inputs
from .model import RuleSetModel, Table, Variable
from .analysis import analyse as _analyse

__all__ = ["load", "load_bytes", "validate", "RuleSet", "Result", "Fired", "Finding", "InputError",
           "EvaluationError", "EvaluationListener", "WorkbookError", "ENGINE_VERSION", "format_nl"]

ENGINE_VERSION = "regelbank-engine 0.1.0"


class WorkbookError(ValueError):
    """The workbook cannot be used; ``findings`` say where and what to change."""

    def __init__(self, findings: list[Finding], name: str = ""):
        self.findings = findings
        errors = [f for f in findings if f.severity == ERROR]
        head = f"{name}: " if name else ""
        super().__init__(head + f"{len(errors)} fout(en) in de werkmap:\n" + "\n".join(f"  {f}" for f in errors))


@dataclass
class ExampleOutcome:
    example_id: str
    row: int
    passed: bool
    expected: dict
    actual: dict
    message: str = ""
    description: str = ""


class RuleSet:
    """A loaded, validated rule set: evaluate cases against it."""

    def __init__(self, model: RuleSetModel, content: bytes, findings: list[Finding]):
        self.model = model
        self.content = content
        self.version = hashlib.sha256(content).hexdigest()
        self.findings = findings
        self._input_names = model.input_names
        self._plans = model_plans(model)  # compile each table's match index now, not on the first case

    # -- description ----------------------------------------------------
    @property
    def metadata(self):
        return self.model.metadata

    @property
    def name(self) -> str | None:
        return self.model.metadata.ruleset

    @property
    def title(self) -> str:
        return self.model.metadata.title or self.name or self.model.source_name

    @property
    def inputs(self) -> list[Variable]:
        return [self.model.variables[n] for n in self._input_names]

    @property
    def outputs(self) -> list[Variable]:
        return [self.model.variables[n] for n in self.model.output_names if n in self.model.variables]

    @property
    def tables(self) -> list[Table]:
        return self.model.tables

    def variable(self, name: str) -> Variable:
        return self.model.variables[name]

    def coerce_text_inputs(self, texts: dict) -> dict:
        """Typed inputs from form or CSV text; raises InputError naming each bad field."""
        values, problems = {}, []
        for name, text in texts.items():
            var = self.model.variables.get(name)
            if var is None or name not in self._input_names:
                values[name] = text  # reported as unknown by evaluate()
                continue
            try:
                values[name] = coerce_text(var, text)
            except ValueError as exc:
                problems.append({"input": name, "message": f"De invoer '{name}': {exc}; verwacht "
                                                           f"{describe_allowed(var)}.", "allowed": describe_allowed(var)})
        if problems:
            raise InputError(problems)
        return values

    # -- evaluation -----------------------------------------------------
    def evaluate(self, inputs: dict, listeners: Iterable[EvaluationListener] = ()) -> Result:
        """Evaluate one case. Raises InputError (bad inputs) or EvaluationError (rules cannot decide)."""
        model = self.model
        context = prepare_inputs(model, inputs, self._input_names)
        used = dict(context)
        if listeners:
            listeners = tuple(listeners)
        outputs, trace, unmatched = evaluate_model(model, context, listeners, self._plans)
        result = Result(outputs, trace, None, used, unmatched, lambda: explain(model, outputs, trace, unmatched, used))
        for listener in listeners:
            listener.decision_evaluated(result)
        return result

    def evaluate_many(self, cases: Iterable[dict], on_error: str = "raise"):
        """Evaluate many cases, vectorised over columns where the tables allow (engine.vectorized).

        Returns a sequence of Result, one per case, in order (a ``BatchResult``: it also holds the
        output columns). With on_error="return", a failing case yields its exception instead of a
        Result; otherwise the first failing case raises, as a loop over evaluate() would.
        """
        from .vectorized import evaluate_many
        return evaluate_many(self, cases, on_error)

    def run_examples(self) -> list[ExampleOutcome]:
        """Run the workbook's Voorbeelden sheet; each outcome says whether the rules give what was expected."""
        outcomes = []
        for example in self.model.examples:
            try:
                result = self.evaluate(example.inputs)
            except (InputError, EvaluationError) as exc:
                outcomes.append(ExampleOutcome(example.id, example.row, False, example.expected, {}, str(exc),
                                               example.description))
                continue
            wrong = [name for name, want in example.expected.items() if not _same(result.outputs.get(name), want)]
            message = "; ".join(f"{n}: verwacht {format_nl(example.expected[n])}, uitkomst {format_nl(result.outputs.get(n))}"
                                for n in wrong)
            outcomes.append(ExampleOutcome(example.id, example.row, not wrong, example.expected,
                                           {n: result.outputs.get(n) for n in example.expected}, message,
                                           example.description))
        return outcomes

    def __repr__(self) -> str:
        return f"<RuleSet {self.name or self.model.source_name} {self.version[:12]}>"


def _same(actual, expected) -> bool:
    if feel.is_number(actual) and feel.is_number(expected):
        return actual == expected
    if actual is None or expected is None:
        return actual is expected
    return type(actual) is type(expected) and actual == expected


def _is_dmn(content: bytes, name: str) -> bool:
    return name.lower().endswith((".dmn", ".xml")) or content.lstrip()[:1] == b"<"


def _read(content: bytes, name: str):
    if _is_dmn(content, name):
        from .dmn import read_dmn
        return read_dmn(content, name)
    from .workbook import read_workbook
    return read_workbook(content, name)


def load_bytes(content: bytes, name: str = "", resolver=None) -> RuleSet:
    """Load a workbook (or DMN file) from bytes. Raises WorkbookError with findings when it has errors.

    A DMN model loads when at least one decision can run: the decisions that cannot load are
    findings on ``rules.findings`` and evaluate to null (``engine.dmn``). ``resolver(namespace,
    location)`` gives the bytes of an imported DMN model."""
    if _is_dmn(content, name):
        from .dmn import load_dmn_bytes
        return load_dmn_bytes(content, name, resolver)
    model, findings = _read(content, name)
    if model is None or has_errors(findings):
        raise WorkbookError(findings, name)
    return RuleSet(model, content, findings)


def load(source) -> RuleSet:
    """Load a ``.xlsx`` workbook or a ``.dmn`` file from a path."""
    path = Path(source)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise WorkbookError([Finding(ERROR, "file", f"Het bestand '{path}' kan niet worden gelezen: {exc.strerror}.")],
                            path.name) from None
    if _is_dmn(content, path.name):
        from .dmn import directory_resolver
        return load_bytes(content, path.name, directory_resolver(path.parent))
    return load_bytes(content, path.name)


def validate(content: bytes, name: str = "", resolver=None) -> list[Finding]:
    """Every finding for a workbook: structure, cells, overlaps and gaps, and its examples sheet.

    Errors block publishing. The table analysis runs even when some cells have errors (it skips
    those cells), so a policy officer sees every problem in one report; the examples need a
    workbook without errors and run only then. A DMN model that is not Regelbank's own export
    gets every finding of ``engine.dmn.validate_dmn`` (``resolver`` finds its imported models, e.g.
    ``engine.dmn.directory_resolver(folder)``)."""
    if _is_dmn(content, name):
        from .dmn import is_regelbank_export, validate_dmn
        if not is_regelbank_export(content):
            return validate_dmn(content, name, resolver)
    model, findings = _read(content, name)
    if model is None or not model.variables:
        return findings
    if too_large := check_model(model):  # the overlap analysis is pairwise: bound it first
        return findings + too_large
    findings = findings + formula_findings(model)
    if has_errors(findings):
        try:
            return findings + _analyse(model)
        except TypeError:  # a column mixing types (already an error finding) cannot be partitioned
            return findings
    findings = findings + _analyse(model)
    rules = RuleSet(model, content, findings)
    for outcome in rules.run_examples():
        if not outcome.passed:
            example = next(e for e in model.examples if e.id == outcome.example_id and e.row == outcome.row)
            findings.append(Finding(ERROR, "example-failed",
                                    f"Voorbeeld {outcome.example_id} klopt niet: {outcome.message}",
                                    example.position.sheet, example.position.cell))
    return findings
