"""Every uploaded file goes through here: size-limited, a real xlsx where it claims to be one, and
refused if it would expand far beyond its size (zip bomb) or its sheets far beyond their content
(engine.xlsx_guard). Workbooks (publish, validate, upload page) use ``read_upload``; caseloads (batch,
impact, compare) use ``read_cases_upload``."""
from __future__ import annotations

import io
import zipfile

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024   # what the workbook's parts may expand to in total
MAX_RATIO = 200                              # expansion beyond this is a zip bomb, not a spreadsheet
MAX_CASES_BYTES = 5 * 1024 * 1024            # a caseload upload (batch, impact, compare)
MAX_CASES_EXPANDED_BYTES = 100 * 1024 * 1024


class UploadRefused(ValueError):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def check_workbook_bytes(content: bytes, filename: str, max_expanded: int = MAX_UNCOMPRESSED_BYTES) -> None:
    if not content:
        raise UploadRefused("Het bestand is leeg.")
    if filename.lower().endswith((".dmn", ".xml")):
        return
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise UploadRefused(f"'{filename}' is geen Excel-werkmap (.xlsx). Sla het bestand op als 'Excel-werkmap' en probeer opnieuw.",
                            415)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise UploadRefused(f"'{filename}' is een zip-bestand maar geen Excel-werkmap.", 415)
        expanded = sum(info.file_size for info in archive.infolist())
    if expanded > max_expanded or expanded > MAX_RATIO * max(len(content), 1) and expanded > 5 * 1024 * 1024:
        raise UploadRefused(f"'{filename}' pakt uit tot {expanded // (1024 * 1024)} MB; dat is geen gewone werkmap "
                            "(mogelijk een zip-bom). Het bestand is geweigerd.", 413)


def read_upload(request) -> tuple[bytes, str]:
    """The uploaded file from a multipart form field 'file' (size already capped by MAX_CONTENT_LENGTH)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise UploadRefused("Stuur de werkmap mee als bestand in het formulierveld 'file' (multipart/form-data).")
    content = upload.read()
    filename = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
    check_workbook_bytes(content, filename)
    return content, filename


def read_cases_upload(request, field: str = "file") -> tuple[bytes, str]:
    """A caseload (CSV or xlsx) from multipart field ``field``: at most MAX_CASES_BYTES, zip-bomb checked."""
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        raise UploadRefused(f"Stuur de gevallen mee als bestand (CSV of xlsx) in het formulierveld '{field}' "
                            "(multipart/form-data).")
    content = upload.read(MAX_CASES_BYTES + 1)
    if len(content) > MAX_CASES_BYTES:
        raise UploadRefused(f"Het bestand is te groot (maximaal {MAX_CASES_BYTES // (1024 * 1024)} MB). "
                            "Splits het bestand.", 413)
    filename = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
    if not content:
        raise UploadRefused("Het bestand is leeg.")
    if content[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        check_workbook_bytes(content, filename, MAX_CASES_EXPANDED_BYTES)
    return content, filename
