"""`regelbank batch` streams a CSV in chunks (issue 14): the same rows as the whole-file path,
bad rows reported in their row, Windows-1252 files, blank lines skipped."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from engine import load
from regelbank import batch as B

from .conftest import workbook


def _caseload(path: Path, n: int, encoding="utf-8") -> str:
    lines = ["Client;Doelgroep;Groepsgrootte;Problematiek;Rolstoel"]
    for i in range(n):
        size = "veel" if i % 97 == 5 else (f"{i % 15 + 1},5" if i % 3 == 0 else str(i % 16 + 1))
        lines.append(f"C{i};{['VG', 'LG', 'NAH', 'GGZ', 'V&V', 'ZG'][i % 6]};{size};{['geen', 'PG', ''][i % 3]};"
                     f"{['ja', 'nee', ''][i % 3]}")
        if i % 1000 == 10:
            lines.append(";;;;")                      # a blank line in the middle
    lines.append("Cé;XYZ;3;;")                        # a value that is not allowed, and a non-ASCII name
    text = "\n".join(lines) + "\n"
    path.write_bytes(text.encode(encoding))
    return text


def test_streamed_csv_equals_whole_file_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(B, "CHUNK", 700)               # several chunks, with errors in many of them
    rules = load(workbook("kampen/dagbesteding"))
    path = tmp_path / "caseload.csv"
    text = _caseload(path, 5000, "cp1252")
    whole = B.run_batch(rules, text.encode("utf-8"), "c.csv")
    sink = io.BytesIO()
    header, chunks, _ = B.stream_csv(path, chunk=700)
    tally = B._Tally(rules)
    writer = B.TableWriter(sink, "csv", B.result_columns(rules, header))
    for columns, _ in B._process(rules, header, chunks, tally):
        writer.write(columns)
    writer.close()
    streamed = list(csv.reader(io.StringIO(sink.getvalue().decode("utf-8-sig")), delimiter=";"))
    expected = list(csv.reader(io.StringIO(B.write_table(whole["columns"], whole["table"], "csv")
                                           .decode("utf-8-sig")), delimiter=";"))
    assert streamed == expected
    assert tally.summary()["errors"] == whole["summary"]["errors"] > 50
    last = streamed[-1]
    assert last[1] == "Cé" and "XYZ" in last[-1] and "niet toegestaan" in last[-1]
    bad = next(r for r in streamed[1:] if r[3] == "veel")
    assert "Groepsgrootte" in bad[-1] and "geen getal" in bad[-1]
    assert int(bad[0]) == next(i for i, line in enumerate(   # its line in the file (a blank line is a row too)
        text.splitlines(), start=1) if ";veel;" in line)
    blank = [r for r in streamed[1:] if r[-1] == B.EMPTY_ROW]     # the ";;;;" lines, each in its row
    assert len(blank) == text.count("\n;;;;\n") > 0
