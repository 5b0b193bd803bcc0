"""`regelbank batch` on several cores (issue 14): a CSV cut at line ends into chunks that forked worker
processes read, evaluate and write, the parent writing them in file order. The result must be the
same bytes and the same summary as one process gives; row numbers stay the file's; a quoted line
break makes the parent read on itself; a worker that dies gives a clear Dutch error, not a hang."""
from __future__ import annotations

import csv
import io
import json
import os

import pytest
from click.testing import CliRunner

from engine import load
from regelbank import batch as B

from .conftest import workbook

GROUPS = ["VG", "LG", "NAH", "GGZ", "V&V", "ZG"]
PROBLEMS = ["geen", "PG", "", '"somatisch"']


@pytest.fixture(scope="module")
def rules():
    return load(workbook("kampen/dagbesteding"))


def _caseload(n: int, quoted_newline_at: int | None = None, crlf: bool = False) -> str:
    """Bad rows, blank rows (also runs of them), quoted cells, Dutch numbers, blank lines at the end."""
    lines = ["Client;Doelgroep;Groepsgrootte;Problematiek;Rolstoel"]
    for i in range(n):
        size = ("veel" if i % 37 == 5 else f"{i % 15 + 1},5" if i % 3 == 0 else
                "1.234" if i % 41 == 7 else f" {i % 16 + 1} ")
        client = f'"C;{i}"' if i % 11 == 0 else f'"say ""{i}"""' if i % 13 == 0 else f"Cé{i}" if i % 17 == 0 else f"C{i}"
        if i % 29 == 1:
            client = ["=1+1", " @SOM(A1)", "-3", "+31 6"][i % 4]     # made formula-safe, except the number
        if i == quoted_newline_at:
            client = '"C\nmet een regeleinde"'
        lines.append(f"{client};{GROUPS[i % 6]};{size};{PROBLEMS[i % 4]};"
                     f"{['ja', 'nee', ''][i % 3]}")
        if i % 50 == 20:
            lines += [";;;;"] * (1 + i % 4)          # runs of blank rows, some across chunk ends
        if i % 70 == 3:
            lines.append("")
    text = "\n".join(lines) + "\n;;;;\n\n"
    return text.replace("\n", "\r\n") if crlf else text


def _run(rules, path, processes):
    sink = io.BytesIO()
    summary = B.stream_batch(rules, path, sink, "csv", processes=processes)
    return sink.getvalue(), summary


@pytest.mark.parametrize("crlf, processes", [(False, 2), (True, 2), (False, 3)])
def test_parallel_output_is_byte_identical(rules, tmp_path, monkeypatch, crlf, processes):
    monkeypatch.setattr(B, "BLOCK", 2048)              # ~17 chunks: boundaries everywhere
    path = tmp_path / "c.csv"
    text = _caseload(1500, crlf=crlf)
    path.write_bytes(text.encode("utf-8"))
    assert len(B._parallel_plan(path, 2)[2]) > 15
    one, summary_one = _run(rules, path, 1)
    two, summary_two = _run(rules, path, processes)
    assert two == one
    assert json.dumps(summary_two) == json.dumps(summary_one)   # the same counts, in the same order
    rows = _rows(one)
    assert summary_two["errors"] > 100 and summary_two["cases"] == len(rows)
    assert {r[1] for r in rows} >= {"'=1+1", "'@SOM(A1)", "-3", "'+31 6", "C;0", 'say "13"', "Cé17"}


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))[1:]


def test_row_numbers_are_the_files_lines(rules, tmp_path, monkeypatch):
    monkeypatch.setattr(B, "BLOCK", 1024)
    path = tmp_path / "c.csv"
    text = _caseload(1200)
    path.write_bytes(text.encode("cp1252"))          # Windows-1252 read by the workers too
    data, summary = _run(rules, path, 2)
    lines = text.split("\n")
    rows = _rows(data)
    bad = [r for r in rows if r[3] == "veel"]
    assert len(bad) == 1200 // 37 + 1
    for r in bad:
        assert "Groepsgrootte" in r[-1] and "geen getal" in r[-1]
        assert next(csv.reader([lines[int(r[0]) - 1]], delimiter=";"))[2] == "veel"   # its own line in the file
    blank = [int(r[0]) for r in rows if r[-1] == B.EMPTY_ROW]
    assert blank == [k for k, line in enumerate(lines[:-3], start=1) if k > 1 and line in ("", ";;;;")]
    assert int(rows[-1][0]) == len(lines) - 3                          # blank lines at the end go
    assert [int(r[0]) for r in rows] == sorted(int(r[0]) for r in rows)
    assert summary["error_rows"] == sorted(summary["error_rows"]) and len(summary["error_rows"]) == 50
    assert rows[0][1] == "C;0" and next(r for r in rows if r[1] == 'say "13"')


def test_quoted_line_break_still_read_right(rules, tmp_path, monkeypatch):
    monkeypatch.setattr(B, "BLOCK", 2048)
    path = tmp_path / "c.csv"
    path.write_bytes(_caseload(1500, quoted_newline_at=901).encode("utf-8"))
    one, summary_one = _run(rules, path, 1)
    two, summary_two = _run(rules, path, 2)
    assert two == one and summary_two == summary_one
    cell = next(r for r in _rows(two) if r[1].startswith("C\n"))
    assert cell[1] == "C\nmet een regeleinde" and cell[-1] == ""


def _die_on(client: str, how: str):
    """B._empty_rows (called on every chunk) failing: "exit" kills every worker process at its first
    chunk (this process, which does a share of the chunks itself, goes on); "raise" raises on the
    chunk holding ``client``, wherever it is done."""
    real, parent = B._empty_rows, os.getpid()

    def empty_rows(columns):
        if how == "exit" and os.getpid() != parent:
            os._exit(3)                # a worker killed (out of memory, a signal): nothing comes back
        if how == "raise" and client in columns[0]:
            raise ValueError("kapotte chunk")
        return real(columns)
    return empty_rows


@pytest.mark.parametrize("how", ["exit", "raise"])
def test_a_failing_worker_gives_a_clear_error(rules, tmp_path, monkeypatch, how):
    monkeypatch.setattr(B, "BLOCK", 4096)
    lines = ["Client;Doelgroep;Groepsgrootte"] + [f"C{i};VG;{i % 9 + 1}" for i in range(3000)]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(B, "_empty_rows", _die_on("C2000", how))   # inherited by the forked workers
    with pytest.raises(B.BatchError) as failed:
        _run(rules, path, 2)
    message = str(failed.value)
    assert "Er zijn geen uitkomsten geschreven" in message
    if how == "exit":
        assert "onverwacht gestopt" in message and "--processes 1" in message
    else:
        assert "kapotte chunk" in message and "vanaf rij" in message


def test_console_processes_option_and_worker_failure(app, tmp_path, monkeypatch):
    from regelbank.batch import batch
    monkeypatch.setenv("REGELBANK_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setattr(B, "BLOCK", 4096)
    path = tmp_path / "c.csv"
    path.write_bytes(_caseload(1000).encode("utf-8"))
    outputs = {}
    for processes in ("1", "2"):
        out = tmp_path / f"u{processes}.csv"
        result = CliRunner().invoke(batch, ["kampen/dagbesteding", str(path), "--out", str(out),
                                            "--as-of", "2026-01-01", "--processes", processes])
        assert result.exit_code == 0, result.stderr
        outputs[processes] = out.read_bytes(), json.loads(result.stdout)
    assert outputs["2"][0] == outputs["1"][0]
    assert {k: v for k, v in outputs["2"][1].items() if k != "out"} == \
        {k: v for k, v in outputs["1"][1].items() if k != "out"}
    monkeypatch.setattr(B, "_empty_rows", _die_on("C800", "exit"))
    out = tmp_path / "kapot.csv"
    result = CliRunner().invoke(batch, ["kampen/dagbesteding", str(path), "--out", str(out), "--processes", "2"])
    assert result.exit_code == 2
    assert "Fout: Een rekenproces van de batch is onverwacht gestopt" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout and not out.exists()
    zero = CliRunner().invoke(batch, ["kampen/dagbesteding", str(path), "--out", str(out), "--processes", "0"])
    assert zero.exit_code == 2


@pytest.mark.parametrize("delimiter", [";", ","])
def test_plain_files_ragged_rows_and_unnamed_columns(rules, tmp_path, monkeypatch, delimiter):
    """No quote in the file: workers split lines themselves (short and long rows, a column without a
    name, spaces around cells, a ; inside a cell of a comma file): still the bytes one process writes."""
    monkeypatch.setattr(B, "BLOCK", 1024)
    d = delimiter
    shapes = [f"C{{i}}{d}VG{d} {{size}} {d}geen{d}ja{d}x", f"C{{i}}{d}LG", f"{d}{d}{d}{d}{d}",
              f"C{{i}}{d}NAH{d}{{size}}{d}PG{d}nee{d}y{d}extra{d}more", f"C{{i}} a;b{d}ZG{d}{{size}}{d}{d}{d}"]
    lines = [d.join(["Client", "Doelgroep", "Groepsgrootte", "Problematiek", "Rolstoel", ""])]
    for i in range(2500):
        lines.append(shapes[i % 5].format(i=i, size=["3", "veel", "1.234", "12"][i % 4]))
    path = tmp_path / "c.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert B._scan(path).plain and len(B._parallel_plan(path, 2)[2]) > 30
    one, summary_one = _run(rules, path, 1)
    two, summary_two = _run(rules, path, 2)
    assert two == one and json.dumps(summary_two) == json.dumps(summary_one)
    rows = _rows(one)
    assert len(rows) == 2500 and [int(r[0]) for r in rows] == list(range(2, 2502))
    assert summary_one["errors"] > 600


def test_quoted_line_break_exactly_at_a_cut(rules, tmp_path, monkeypatch):
    """The file cut right after the line break inside a quoted cell: the first chunk ends inside the
    cell. Caught there (its quote never closes), and read on by the parent from that chunk."""
    text = _caseload(600, quoted_newline_at=301)
    data = text.encode("utf-8")
    at = data.index(b'"C\nmet') + 2                      # the line break inside the quoted cell
    monkeypatch.setattr(B, "BLOCK", at + 1)               # the first block ends right after it
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    plan = B._parallel_plan(path, 2)
    assert plan[2][0][1] == at + 1 and len(plan[2]) >= 2  # a cut inside the quoted cell
    one, summary_one = _run(rules, path, 1)
    two, summary_two = _run(rules, path, 2)
    assert two == one and summary_two == summary_one
    assert any(r[1] == "C\nmet een regeleinde" for r in _rows(two))


def test_stray_quotes_read_as_the_csv_module_reads_them(rules, tmp_path, monkeypatch):
    """Quotes where a strict reader would refuse them ("a"b) or inside a cell (x"y): the lenient csv
    module's reading, whichever process reads the chunk."""
    monkeypatch.setattr(B, "BLOCK", 1024)
    lines = ["Client;Doelgroep;Groepsgrootte"]
    for i in range(1500):
        client = '"C"x' if i == 900 else f'x"{i}' if i % 10 == 3 else f"C{i}"
        lines.append(f"{client};VG;{i % 9 + 1}")
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one, summary_one = _run(rules, path, 1)
    two, summary_two = _run(rules, path, 2)
    assert two == one and summary_two == summary_one
    clients = [r[1] for r in _rows(two)]
    assert "Cx" in clients and 'x"3' in clients and len(clients) == 1500
