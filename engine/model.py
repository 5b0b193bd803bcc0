"""The rule-set model: what a workbook (or DMN file) becomes after loading.

Plain immutable data with the source position of every cell, so that validation findings and
the trace can point at sheet and cell. Compiled callables hang off the model objects; the
evaluator only reads them, so one model is safely shared by many threads.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Callable

HIT_POLICIES = ("U", "A", "P", "F", "R", "O", "C", "C+", "C<", "C>", "C#")

# Glossary types, in the Dutch a policy officer writes in the Type column.
TYPE_NUMBER = "getal"
TYPE_INTEGER = "geheel getal"   # whole numbers only: ages, years, counts
TYPE_MONEY = "bedrag"
TYPE_TEXT = "tekst"
TYPE_BOOLEAN = "ja/nee"
TYPE_DATE = "datum"
TYPE_ANY = "willekeurig"  # a plain pyDMNrules workbook without a Type column
TYPES = (TYPE_NUMBER, TYPE_INTEGER, TYPE_MONEY, TYPE_TEXT, TYPE_BOOLEAN, TYPE_DATE)
NUMERIC_TYPES = (TYPE_NUMBER, TYPE_INTEGER, TYPE_MONEY)
TYPE_ALIASES = {
    "getal": TYPE_NUMBER, "number": TYPE_NUMBER, "geheel getal": TYPE_INTEGER, "integer": TYPE_INTEGER,
    "geheel": TYPE_INTEGER, "long": TYPE_INTEGER,
    "bedrag": TYPE_MONEY, "money": TYPE_MONEY, "euro": TYPE_MONEY,
    "tekst": TYPE_TEXT, "string": TYPE_TEXT, "text": TYPE_TEXT,
    "ja/nee": TYPE_BOOLEAN, "boolean": TYPE_BOOLEAN, "bool": TYPE_BOOLEAN, "janee": TYPE_BOOLEAN,
    "datum": TYPE_DATE, "date": TYPE_DATE,
}


@dataclass(frozen=True)
class Position:
    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


@dataclass
class Variable:
    name: str
    type: str = TYPE_ANY
    allowed_text: str | None = None          # the Toegestane waarden cell, as written
    allowed: Callable | None = None          # compiled unary test, or None
    allowed_values: tuple = ()               # the literal list, when the test is a plain list
    default_text: str | None = None
    default: Any = None
    has_default: bool = False
    unit: str | None = None
    description: str | None = None
    concept: str | None = None
    position: Position | None = None


@dataclass
class Rule:
    id: str
    index: int                               # 0-based position in the table
    input_texts: list[str]                   # cell text per input column ('-' for blank)
    output_texts: list[str]
    annotation: str                          # the Toelichting
    source: str                              # the Bron (citation)
    position: Position                       # the rule-id cell
    input_positions: list[Position] = field(default_factory=list)
    output_positions: list[Position] = field(default_factory=list)
    tests: list = field(default_factory=list)      # [(input index, compiled test)] excluding don't-cares
    outputs: list = field(default_factory=list)    # [compiled output expression] per output column
    test_asts: list = field(default_factory=list)  # AST per input column
    output_asts: list = field(default_factory=list)
    source_file: str = ""                    # the Bronbestand (source file name), not shown to readers

    @property
    def annotation_with_source(self) -> str:
        if self.annotation and self.source:
            return f"{self.annotation} ({self.source})"
        return self.annotation or self.source


@dataclass
class Table:
    name: str
    hit_policy: str
    inputs: list[str]                        # variable names, in column order
    outputs: list[str]
    rules: list[Rule]
    position: Position                       # the table-name cell
    description: str = ""                    # the Decision sheet's text for this table
    input_positions: list[Position] = field(default_factory=list)
    output_positions: list[Position] = field(default_factory=list)
    annotation_headings: list[str] = field(default_factory=list)
    output_priorities: dict = field(default_factory=dict)  # output name -> tuple of values (P, O)


@dataclass
class Example:
    id: str
    row: int
    inputs: dict
    expected: dict
    description: str
    position: Position


@dataclass
class Metadata:
    gemeente: str | None = None
    name: str | None = None
    title: str | None = None
    valid_from: _dt.date | None = None
    source_document: str | None = None
    owner: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def ruleset(self) -> str | None:
        if self.gemeente and self.name:
            return f"{self.gemeente}/{self.name}"
        return None

    def as_dict(self) -> dict:
        return {
            "gemeente": self.gemeente, "name": self.name, "title": self.title,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "source_document": self.source_document, "owner": self.owner, **self.extra,
        }


@dataclass
class RuleSetModel:
    variables: dict[str, Variable]
    tables: list[Table]                      # in execution order
    metadata: Metadata
    examples: list[Example]
    source_name: str = ""
    format: str = "xlsx"

    @property
    def output_names(self) -> list[str]:
        seen: list[str] = []
        for table in self.tables:
            for name in table.outputs:
                if name not in seen:
                    seen.append(name)
        return seen

    @property
    def input_names(self) -> list[str]:
        """Variables no table produces, in glossary order (what a case must or may supply)."""
        produced = set(self.output_names)
        return [name for name in self.variables if name not in produced]
