"""Workbooks for the page tests, made from the bundled kampen/autoaanpassing with openpyxl."""
from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path

import openpyxl

AUTO = Path(__file__).resolve().parents[2] / "spreadsheets" / "kampen" / "autoaanpassing.xlsx"
NEW_VALID_FROM = _dt.date(2030, 1, 1)


def _save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def broken_autoaanpassing() -> bytes:
    """An unfinished input test in AA-02 ('[4..'): a finding on 'Afschrijving naar autojaar'!B4."""
    wb = openpyxl.load_workbook(AUTO)
    wb["Afschrijving naar autojaar"]["B4"] = "[4.."
    return _save(wb)


def changed_autoaanpassing() -> bytes:
    """Policy change: the fourth year of the car pays 90% instead of 80% (AA-02, AA-24, examples V-04 and V-11)."""
    wb = openpyxl.load_workbook(AUTO)
    wb["Afschrijving naar autojaar"]["C4"] = "90"
    besluit = wb["Besluit autoaanpassing"]
    besluit["B7"] = "90"
    besluit["F7"] = besluit["F7"].value.replace("80%", "90%")
    examples = wb["Voorbeelden"]
    examples["G5"], examples["H5"] = 90, 3800        # 90% of 4000 + 200 RDW
    examples["J5"] = examples["J5"].value.replace("80%", "90%")
    examples["G12"], examples["H12"] = 90, 2250      # 90% of 2500
    examples["J12"] = examples["J12"].value.replace("80%", "90%")
    wb["Metadata"]["B6"] = _dt.datetime.combine(NEW_VALID_FROM, _dt.time())
    return _save(wb)
