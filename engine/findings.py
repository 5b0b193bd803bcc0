"""Validation findings: what is wrong, where (sheet and cell), and what to change, in Dutch."""
from __future__ import annotations

from dataclasses import dataclass, asdict

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_LABELS = {ERROR: "fout", WARNING: "waarschuwing", INFO: "info"}


@dataclass(frozen=True)
class Finding:
    severity: str            # error | warning | info; errors block publishing
    code: str                # stable machine-readable kind, e.g. "feel-syntax"
    message: str             # Dutch: what is wrong and what to change
    sheet: str | None = None
    cell: str | None = None
    rule: str | None = None  # the rule id, where the finding concerns one rule

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def as_dict(self) -> dict:
        return {**asdict(self), "label": self.label}

    def __str__(self) -> str:
        where = f"[{self.location}] " if self.location else ""
        rule = f"regel {self.rule}: " if self.rule else ""
        return f"{self.label}: {where}{rule}{self.message}"


def has_errors(findings) -> bool:
    return any(f.severity == ERROR for f in findings)
