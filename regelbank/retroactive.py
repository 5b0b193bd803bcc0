"""Publishing with retroactive effect: which past answers a new version would change.

A version is in force from its valid-from date until the next version's. Publishing one whose
date lies before today changes the answer for every peildatum from that date on that some other
version used to decide; publishing one on the same date as an existing version replaces that
version for its whole period. Neither may happen by one careless click: the publisher confirms
explicitly (page checkbox, API field ``retroactive``, console flag ``--retroactive``), and the
confirmed effect is kept in the version's metadata, so the version history shows it.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from store import Version

ONE_DAY = _dt.timedelta(days=1)


def nl(day: _dt.date) -> str:
    return day.strftime("%d-%m-%Y")


@dataclass(frozen=True)
class Retroaction:
    valid_from: _dt.date
    first_day: _dt.date                 # first peildatum whose answer changes
    last_day: _dt.date | None           # last one (None: open-ended, into the future)
    replaced: tuple[Version, ...]       # versions that decided those peildata until now
    same_date: bool                     # an existing version has this very date

    def period(self) -> str:
        end = f"t/m {nl(self.last_day)}" if self.last_day else "en later"
        return f"van {nl(self.first_day)} {end}"

    def message(self) -> str:
        replaced = ", ".join(f"versie {v.short} (geldig vanaf {nl(v.valid_from)})" for v in self.replaced)
        why = (f"er is al een versie geldig vanaf {nl(self.valid_from)}; de nieuwe versie vervangt die"
               if self.same_date else f"{nl(self.valid_from)} ligt in het verleden")
        return (f"Let op: {why}. De antwoorden voor peildata {self.period()} veranderen; die vielen tot nu toe onder "
                f"{replaced}. Beslissingen die al zijn genomen blijven in het beslissingenlogboek staan met de versie "
                "die toen gold. Bevestig uitdrukkelijk dat deze versie met terugwerkende kracht geldt.")

    def as_dict(self) -> dict:
        return {"valid_from": self.valid_from.isoformat(), "first_day": self.first_day.isoformat(),
                "last_day": self.last_day.isoformat() if self.last_day else None,
                "replaces": [v.hash for v in self.replaced], "same_date": self.same_date,
                "summary": f"Met terugwerkende kracht: antwoorden voor peildata {self.period()} veranderen."}


def retroaction(existing: list[Version], valid_from: _dt.date, today: _dt.date) -> Retroaction | None:
    """What publishing a version valid from ``valid_from`` would change, or None when nothing past changes."""
    active = [v for v in existing if v.status == "active"]
    later = [v.valid_from for v in active if v.valid_from > valid_from]
    end = min(later) - ONE_DAY if later else None          # the new version's own period ends here
    same = tuple(v for v in active if v.valid_from == valid_from)
    if same:
        return Retroaction(valid_from, valid_from, end, same, True)
    if valid_from >= today:
        return None
    last = min(end, today - ONE_DAY) if end else today - ONE_DAY
    # the new version covers [valid_from, end]; before it, the latest earlier version decided those dates
    before = [v for v in active if v.valid_from < valid_from]
    if not before:
        return None        # no version was in force then: no answer given for those dates changes
    return Retroaction(valid_from, valid_from, last, (max(before, key=lambda v: v.valid_from),), False)
