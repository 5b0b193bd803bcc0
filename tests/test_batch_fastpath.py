"""`regelbank batch` reads plain CSV by splitting lines and writes CSV chunks by joining text (issue 14,
speed): both must give exactly what the csv module gives, on every shape of file and cell."""
from __future__ import annotations

import csv
import io

import pytest

from regelbank import batch as B


def _reference(text: str, delimiter: str) -> tuple[list[str], list[list[str]]]:
    """What the csv module reads: header, and the rows padded or cut to the header's width, every cell
    stripped, columns with an empty name left out; blank rows at the end dropped (those in between stay)."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    names = [h.strip() for h in rows[0]]
    keep = [i for i, h in enumerate(names) if h]
    out = []
    for values in rows[1:]:
        if not "".join(values).strip():
            values = []
        values = (values + [""] * len(names))[:len(names)]
        out.append([values[i].strip() for i in keep])
    while out and not "".join(out[-1]):
        out.pop()
    return [names[i] for i in keep], out


def _streamed(path, chunk):
    header, chunks, _ = B.stream_csv(path, chunk=chunk)
    rows, numbers = [], []
    for nums, columns in chunks:
        numbers += nums
        rows += [list(r) for r in zip(*columns)]
    return header, rows, numbers


FILES = {
    "plain": "Client;A;B\nC1;1;ja\nC2; 2 ;nee\n",
    "crlf": "Client;A;B\r\nC1;1;ja\r\n;;\r\nC2;2,5;nee\r\n",
    "cr only": "Client;A;B\rC1;1;ja\rC2;2;nee",
    "ragged": "Client;A;B\nC1;1\nC2;2;nee;extra;more\n\nC3\n;;;;\nC4;4;ja\n",
    "quoted": 'Client;A;B\n"C;1";1;"ja"\n"C\n2";"2";nee\n"say ""hi""";3;ja\n',
    "unnamed column": "Client;;B\nC1;x;ja\n;only here;\nC2;;nee\n",
    "comma": "Client,A,B\nC1,1,ja\nC2,2,nee\n",
    "tab": "Client\tA\tB\nC1\t1\tja\nC2\t2\tnee\n",
    "no final newline": "Client;A;B\nC1;1;ja\nC2;2;nee",
    "whitespace only line": "Client;A;B\nC1;1;ja\n \t ; ;\nC2;2;nee\n",
    "blank lines at the end": "Client;A;B\nC1;1;ja\n\n;;\nC2;2;nee\n;;\n\n \n",
}


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("chunk", [1, 2, 700])
def test_stream_csv_reads_what_the_csv_module_reads(tmp_path, name, chunk):
    text = FILES[name]
    delimiter = "," if name == "comma" else "\t" if name == "tab" else ";"
    path = tmp_path / "c.csv"
    path.write_bytes(text.encode("utf-8"))
    header, rows, numbers = _streamed(path, chunk)
    expected_header, expected = _reference(text, delimiter)
    assert header == expected_header
    assert rows == expected
    assert numbers == list(range(2, 2 + len(expected)))   # a blank line between cases is a row too


def test_stream_csv_large_plain_file_in_many_blocks(tmp_path):
    lines = ["Client;Groepsgrootte;Doelgroep"]
    for i in range(3000):
        lines.append(f"C{i};{i % 17},5;VG" if i % 5 else f"C{i}; {i} ;LG")
        if i % 400 == 7:
            lines.append(";;")
        if i % 900 == 3:
            lines.append(f"C{i}x;short")                  # a short row inside a plain block
    text = "\r\n".join(lines) + "\r\n"
    path = tmp_path / "c.csv"
    path.write_bytes(text.encode("cp1252"))
    header, rows, numbers = _streamed(path, 50)         # blocks of 1,600 characters: \r\n cut in two too
    assert (header, rows) == _reference(text, ";")
    assert numbers == list(range(2, 2 + len(rows)))


CELLS = ["", "plain", "a;b", 'say "hi"', "line\nbreak", "cr\rhere", "'=1+1", " spaced ", "x\x00y", "é", "12,5"]


@pytest.mark.parametrize("extra", [[], [1.5], [None], [True]])
def test_csv_chunk_bytes_equal_csv_writer(extra):
    n = len(CELLS)
    columns = [list(range(2, 2 + n)), CELLS, list(reversed(CELLS)), [7] * n, [CELLS[0]] * n]
    if extra:
        columns.append(extra * n)
    sink = io.BytesIO()
    writer = B.TableWriter(sink, "csv", ["Rij", "a", "b", "c", "d", "e"][:len(columns)])
    writer.write(columns)
    writer.write([c[:1] for c in columns])
    writer.close()
    expected = io.StringIO(newline="")
    reference = csv.writer(expected, delimiter=";")
    reference.writerow(["Rij", "a", "b", "c", "d", "e"][:len(columns)])
    reference.writerows(zip(*[B._csv_column(c) for c in columns]))
    reference.writerows(zip(*[B._csv_column(c[:1]) for c in columns]))
    assert sink.getvalue() == b"\xef\xbb\xbf" + expected.getvalue().encode("utf-8")
