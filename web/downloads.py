"""Download headers: any file name (€, accents, Chinese) as an attachment, never a header error.

HTTP headers are Latin-1; a stored file name may hold anything. The header carries an ASCII
fallback in ``filename`` and the real name in ``filename*`` (RFC 6266 / RFC 5987), as browsers expect.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import quote

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(filename: str, fallback: str = "download") -> dict:
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(c for c in ascii_name if c.isalnum() or c in "._- ").strip() or fallback
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return {"Content-Disposition": header}


def mimetype_for(filename: str) -> str:
    return "application/xml" if filename.lower().endswith((".dmn", ".xml")) else XLSX
