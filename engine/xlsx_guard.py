"""Check an xlsx's sheet XML before openpyxl expands it.

openpyxl turns a merged range into one object per cell (``A1:XFD1048576`` is 17 billion), and in
read-only mode pads every row to the sheet's *declared* dimension. A few kilobytes can therefore
cost gigabytes or minutes. ``check_xlsx`` streams each worksheet's XML once (no tree is built) and
measures what is really there: the number of cells, the box they span, and the cells covered by
merged ranges. Anything beyond the limits is refused with a Dutch message naming the sheet.

Pure Python over the zip; no openpyxl, no Flask. Used by engine.workbook (rule workbooks) and
regelbank.cases (caseloads).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from defusedxml.ElementTree import iterparse

# A rule workbook has at most thousands of rows and tens of columns; a caseload up to 200,000 rows.
MAX_CELLS = 4_000_000            # cells actually present, per workbook
MAX_AREA = 20_000_000            # rows x columns of the box the cells of one sheet span (caseloads: read-only)
WORKBOOK_MAX_AREA = 1_000_000    # the same for rule workbooks, which openpyxl loads cell by cell
MAX_MERGED_CELLS = 100_000       # cells covered by merged ranges, per workbook
MAX_COLUMNS = 1_000              # a column beyond this (e.g. XFD) is not a decision table or a caseload
MAX_ROWS = 1_000_000

_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_SHEET_PATH = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class XlsxTooLarge(ValueError):
    """The workbook would expand far beyond its size; the message (Dutch) names the sheet."""
    code = "xlsx-too-large"

    def __init__(self, message: str, sheet: str | None = None):
        super().__init__(message)
        self.sheet = sheet


@dataclass
class SheetExtent:
    name: str
    cells: int = 0
    max_row: int = 0
    max_column: int = 0
    merged_cells: int = 0
    declared: str | None = None   # the <dimension ref>, as declared (not trusted)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _cell(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref.strip().upper())
    return (int(m.group(2)), _column_number(m.group(1))) if m else None


def _area(ref: str) -> int:
    """Number of cells in a range 'A1:C3' (or one cell 'A1'); unreadable ranges count as huge."""
    parts = ref.split(":")
    first, last = _cell(parts[0]), _cell(parts[-1])
    if first is None or last is None:
        return MAX_MERGED_CELLS + 1
    return (abs(last[0] - first[0]) + 1) * (abs(last[1] - first[1]) + 1)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part path -> the sheet's name as the user sees it (falls back to the path)."""
    names: dict[str, str] = {}
    try:
        rels = {}
        for _, el in iterparse(io.BytesIO(archive.read("xl/_rels/workbook.xml.rels"))):
            if _local(el.tag) == "Relationship":
                target = el.get("Target", "").lstrip("/")
                rels[el.get("Id")] = target if target.startswith("xl/") else "xl/" + target
        for _, el in iterparse(io.BytesIO(archive.read("xl/workbook.xml"))):
            if _local(el.tag) == "sheet":
                rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
                if rid in rels:
                    names[rels[rid]] = el.get("name") or rels[rid]
    except (KeyError, Exception):  # noqa: BLE001 - names are for messages only
        pass
    return names


def measure(content: bytes, only_first: bool = False, max_area: int = MAX_AREA) -> list[SheetExtent]:
    """The real extent of each worksheet, streamed from the XML; raises XlsxTooLarge on the first excess."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        return []  # not a zip: the readers say so in their own words
    with archive:
        names = _sheet_names(archive)
        parts = [n for n in archive.namelist() if _SHEET_PATH.match(n)]
        ordered = [p for p in names if p in parts] + [p for p in parts if p not in names]
        if only_first:
            ordered = ordered[:1]
        total_cells = total_merged = 0
        extents = []
        for part in ordered:
            extent = SheetExtent(names.get(part, part))
            with archive.open(part) as stream:
                for _, el in iterparse(stream):
                    tag = _local(el.tag)
                    if tag == "c":
                        extent.cells += 1
                        total_cells += 1
                        position = _cell(el.get("r", "")) if el.get("r") else None
                        if position:
                            extent.max_row = max(extent.max_row, position[0])
                            extent.max_column = max(extent.max_column, position[1])
                        el.clear()
                        if total_cells > MAX_CELLS:
                            raise XlsxTooLarge(f"Werkblad '{extent.name}' bevat meer dan {MAX_CELLS:,} cellen "
                                               "(in de hele werkmap); dat is te groot om te verwerken.".replace(",", "."),
                                               extent.name)
                    elif tag == "row":
                        r = el.get("r")
                        if r and r.isdigit():
                            extent.max_row = max(extent.max_row, int(r))
                        el.clear()
                    elif tag == "mergeCell":
                        area = _area(el.get("ref", ""))
                        extent.merged_cells += area
                        total_merged += area
                        if total_merged > MAX_MERGED_CELLS:
                            raise XlsxTooLarge(f"Werkblad '{extent.name}' heeft een samengevoegd bereik "
                                               f"'{el.get('ref')}' dat te veel cellen beslaat (samen meer dan "
                                               f"{MAX_MERGED_CELLS:,}). Hef het samenvoegen op of maak het bereik "
                                               "kleiner.".replace(",", "."), extent.name)
                    elif tag == "dimension":
                        extent.declared = el.get("ref")
            if extent.max_column > MAX_COLUMNS:
                raise XlsxTooLarge(f"Werkblad '{extent.name}' gebruikt kolom {extent.max_column} (meer dan "
                                   f"{MAX_COLUMNS}); verwijder de inhoud of opmaak in de verre kolommen.", extent.name)
            if extent.max_row > MAX_ROWS or extent.max_row * max(extent.max_column, 1) > max_area:
                raise XlsxTooLarge(f"Werkblad '{extent.name}' loopt tot rij {extent.max_row} en kolom "
                                   f"{extent.max_column}; dat is te groot om te verwerken. Verwijder lege rijen en "
                                   "kolommen met opmaak aan het eind van het blad.", extent.name)
            extents.append(extent)
        return extents


def check_xlsx(content: bytes, max_area: int = WORKBOOK_MAX_AREA) -> None:
    """Raise XlsxTooLarge if any worksheet of a rule workbook would expand beyond the limits."""
    measure(content, max_area=max_area)
