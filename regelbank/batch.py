"""Batch evaluation: a caseload (CSV or xlsx) in, one row per case out, with outputs, fired rule ids
and a per-case error column. A bad row is reported in its row, never fatal for the batch.

    regelbank batch kampen/autoaanpassing clienten.csv --out uitkomsten.xlsx [--as-of 2026-01-01]

Input: the first row names the columns; columns named after an input of the rule set are read
as that input (text as a policy officer types it: ``ja``/``nee``, ``1.234,56``, ``2026-01-31``;
an empty cell means "not given", so the Glossary default applies). Other columns (a client
number, a name) are copied to the output unchanged. Batch runs are what-if/re-check runs: they are
not written to the decision log.

CSV to CSV runs on every core (``--processes N``, default one per CPU): the file is cut at line ends
into chunks of BLOCK bytes; forked worker processes and this one each read, evaluate and write whole
chunks to CSV text, and this process writes them in file order, a few chunks in flight (memory stays
constant). The bytes and the summary are those of one process; row numbers are the file's. A quoted
cell with a line break in it is found in the chunk that holds it, and from there this process reads
on alone with the csv module.
"""
from __future__ import annotations

import codecs
import csv
import datetime as _dt
import gc
import io
import operator
import os
import re
import sys
from collections import Counter
from decimal import Decimal
from itertools import compress, islice, repeat
from pathlib import Path

import click

from engine import RuleSet
from engine.inputs import coerce_text, describe_allowed
from engine.vectorized import MISSING, evaluate_columns

from .cases import EMPTY_ROW, CasesFileError, read_cases

CHUNK = 20_000                    # rows per evaluate_many call (progress bar steps; memory stays per chunk)
ERROR_COLUMN = "Fout"
RULES_COLUMN = "Regels"
ROW_COLUMN = "Rij"
_FORMULA_START = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)*\Z")


def formula_safe(value):
    """A text cell that a spreadsheet could read as a formula (it starts with = + - @, a tab or a
    carriage return; OWASP's CSV-injection guidance) gets a leading apostrophe, so it stays text.
    Plain numbers such as -12,50 are left alone: they cannot be formulas."""
    if value.__class__ is str and value and value[0] in _FORMULA_START and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class _Memo(dict):
    """value -> f(value), computed once per distinct value (a caseload repeats its values)."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        value = self[key] = self.fn(key)
        return value


class _Coercer:
    """Typed inputs from cell text, column by column, each distinct text coerced once. Per column, the
    texts that are not valid and the empty ones are remembered, so rows are looked at in C."""

    MEMO = 100_000     # distinct texts kept per column (then forgotten: memory stays bounded)

    def __init__(self, rules: RuleSet, header: list[str]):
        names = {v.name for v in rules.inputs}
        self.rules, self.columns = rules, []
        for i, h in enumerate(header):
            if h in names:
                var = rules.model.variables[h]
                bad, empty = set(), set()
                memo = _Memo(lambda text, h=h, var=var, bad=bad, empty=empty: _coerce(h, var, text, bad, empty))
                self.columns.append((i, h, var, memo, bad, empty))

    def typed(self, columns: list[list]) -> tuple[dict, list]:
        """(input name -> typed values, MISSING where a cell is empty and there is no Glossary default;
        error text or None per row); a row's errors name each bad input, in column order."""
        n = len(columns[0]) if columns else 0
        typed, problems = {}, {}
        for i, name, var, memo, bad, empty in self.columns:
            if len(memo) > self.MEMO:
                memo.clear(), bad.clear(), empty.clear()
            column = columns[i]
            values = typed[name] = list(map(memo.__getitem__, column))
            if bad:
                for r in compress(range(n), map(bad.__contains__, column)):
                    problems.setdefault(r, []).append(values[r])
        errors = [None] * n
        for r, found in problems.items():    # str(InputError(found)), without building one per row
            errors[r] = found[0]["message"] if len(found) == 1 else " ".join(p["message"] for p in found)
        for r in _empty_rows(columns):
            errors[r] = EMPTY_ROW     # reported in its row, never dropped
        return typed, errors

    def evaluate(self, columns: list[list]):
        """(the chunk's Columns from evaluate_many over the rows without an input error, the error text or
        None per row, the rows left out); errors found by evaluation are put in their rows too."""
        typed, errors = self.typed(columns)
        n = len(errors)
        failed, where = [], None
        if errors.count(None) != n:
            ok = list(map(operator.is_, errors, repeat(None)))
            where = list(compress(range(n), ok))
            failed = list(compress(range(n), map(operator.not_, ok)))
            typed = {name: list(compress(values, ok)) for name, values in typed.items()}
        cols = evaluate_columns(self.rules, typed, n - len(failed), on_error="return").columnar()
        if cols.errors.count(None) != len(cols.errors):   # rules that could not decide, inputs refused
            for k, e in enumerate(cols.errors):
                if e is not None:
                    errors[where[k] if where is not None else k] = str(e)
        return cols, errors, failed


_EMPTY = MISSING   # not given (an empty cell) and no Glossary default


def _coerce(name, var, text: str, bad: set, empty: set):
    stripped = text.strip()
    if stripped == "":
        if var.has_default:
            return var.default       # an empty cell: the Glossary default applies
        empty.add(text)
        return _EMPTY
    try:
        return coerce_text(var, stripped)
    except ValueError as exc:
        bad.add(text)
        return _Problem({"input": name, "message": f"De invoer '{name}': {exc}; verwacht {describe_allowed(var)}.",
                         "allowed": describe_allowed(var)})


class _Problem(dict):
    """Why one cell's text is not a valid input (as InputError.problems holds it)."""


class _Tally:
    """The summary, accumulated chunk by chunk (constant memory, counting in C)."""

    def __init__(self, rules: RuleSet):
        self.outputs = [v.name for v in rules.outputs]
        self.cases = self.errors = self.unmatched = 0
        self.error_rows: list[int] = []
        self.outcomes = {name: Counter() for name in self.outputs}
        self.fired: Counter = Counter()

    def add(self, outputs: dict, combos: Counter, errors: list, numbers: list[int]) -> None:
        bad = len(errors) - errors.count(None)
        self.cases += len(errors)
        self.errors += bad
        if bad and len(self.error_rows) < 50:
            self.error_rows += [number for number, e in zip(numbers, errors) if e is not None][:50 - len(self.error_rows)]
        for name in self.outputs:
            counts = Counter(outputs[name])
            counts[None] -= bad            # failed rows have no outputs; they are not outcomes
            for value, count in counts.items():
                if count > 0:
                    self.outcomes[name][_label(value)] += count
        for combo, count in combos.items():
            if all(hit is None for hit in combo):
                count -= bad               # the failed rows are among these
            if count <= 0:
                continue
            if any(hit is None for hit in combo):
                self.unmatched += count
            for hit in combo:
                if hit.__class__ is tuple:
                    for rule in hit:
                        self.fired[rule] += count
                elif hit is not None:
                    self.fired[hit] += count

    def merge(self, other: "_Tally") -> None:
        """Add the tally of the next chunk (as a worker process counted it)."""
        self.cases += other.cases
        self.errors += other.errors
        self.unmatched += other.unmatched
        self.error_rows += other.error_rows[:50 - len(self.error_rows)]
        for name, counts in other.outcomes.items():
            self.outcomes[name].update(counts)
        self.fired.update(other.fired)

    def add_blank(self, numbers: list[int]) -> None:
        """Blank rows (reported "Lege rij"): each a case with an error, no outcome, no rule."""
        self.cases += len(numbers)
        self.errors += len(numbers)
        self.error_rows += numbers[:50 - len(self.error_rows)]

    def summary(self) -> dict:
        return {"cases": self.cases, "evaluated": self.cases - self.errors, "errors": self.errors,
                "error_rows": self.error_rows, "unmatched": self.unmatched,
                "outcomes": {name: _most_common(c) for name, c in self.outcomes.items() if len(c) <= 20},
                "fired": _most_common(self.fired)}


def _most_common(counts: Counter) -> dict:
    """Most frequent first; equal counts by name, so that the order does not depend on how the file was cut."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _safe_column(column: list) -> list:
    """formula_safe over a column of texts; a few C-speed scans when (as usual) nothing needs it."""
    try:
        joined = "\n" + "\n".join(column)
    except TypeError:            # not all text (row numbers): check one by one
        return list(map(formula_safe, column))
    if any(start in joined for start in _FORMULA_STARTS):
        return list(map(formula_safe, column))
    return column


_FORMULA_STARTS = ["\n" + c for c in _FORMULA_START]


def _cell_column(values: list) -> list:
    """Output values as cells (ja/nee, numbers, joined lists), formula-safe, each distinct value once."""
    classes = set(map(type, values))
    if bool in classes and classes & {int, Decimal}:      # False == 0: do not let them share a cell
        return [formula_safe(_cell(v)) for v in values]
    try:
        return list(map(_Memo(lambda v: formula_safe(_cell(v))).__getitem__, values))
    except TypeError:                                    # unhashable values (lists)
        return [formula_safe(_cell(v)) for v in values]


def _scatter(values: list, n: int, positions: list[int], fill=None) -> list:
    """A column over the evaluated rows, widened to all ``n`` rows with ``fill`` where a row failed early."""
    if len(values) == n:
        return values
    out, start = [], 0
    for i, j in enumerate(positions):   # ascending: copy the run of evaluated rows before each gap
        stop = j - i
        out += values[start:stop]
        out.append(fill)
        start = stop
    out += values[start:]
    return out


def _process(rules: RuleSet, header: list[str], chunks, tally: _Tally, progress=None, keep_evaluated=False,
             coercer: _Coercer | None = None, formula_free: bool = False):
    """Per chunk (row numbers, columns of cell text in header order): yield the result columns (row
    number, the cells as given, outputs, rule ids, error; typed cells, formula-safe) and, when asked,
    the per-row dicts {outputs, fired, error, unmatched} for the JSON API. ``formula_free``: the
    caller knows that no cell starts with = + - or @ (so there is nothing to make formula-safe)."""
    coercer = coercer or _Coercer(rules, header)
    outputs = [v.name for v in rules.outputs]
    extra = [o for o in outputs if o not in header]

    def rules_text(combo):
        fired = [rule for hit in combo for rule in (hit if hit.__class__ is tuple else (hit,)) if rule is not None]
        unmatched = [table for table, hit in zip(tables, combo) if hit is None]
        text = ", ".join(fired)
        if unmatched:
            text += ("; " if text else "") + "geen regel in: " + ", ".join(unmatched)
        return formula_safe(text)
    tables = [t.name for t in rules.model.tables]
    texts = _Memo(rules_text)
    for numbers, columns in chunks:
        n = len(numbers)
        cols, errors, failed = coercer.evaluate(columns)
        values = {name: _scatter(cols.outputs[name], n, failed) for name in outputs}
        combos = _scatter(list(zip(*[cols.fired[t] for t in tables])), n, failed, (None,) * len(tables)) \
            if tables else [()] * n
        rule_texts = list(map(texts.__getitem__, combos))
        if errors.count(None) != n:
            for j in compress(range(n), errors):
                rule_texts[j] = ""
        result = [numbers] + (columns if formula_free else [_safe_column(c) for c in columns]) \
            + [_cell_column(values[o]) for o in extra] \
            + [rule_texts, _texts(errors)]
        tally.add(values, Counter(combos), errors, numbers)
        evaluated = []
        if keep_evaluated:
            for j in range(n):
                if errors[j] is not None:
                    evaluated.append({"outputs": {}, "fired": [], "error": errors[j]})
                else:
                    combo = combos[j]
                    evaluated.append({"outputs": {o: values[o][j] for o in outputs},
                                      "fired": [r for hit in combo for r in (hit if hit.__class__ is tuple else (hit,))
                                                if r is not None],
                                      "error": None, "unmatched": [t for t, hit in zip(tables, combo) if hit is None]})
        if progress is not None:
            progress(n)
        yield result, evaluated


def _texts(errors: list) -> list[str]:
    """The error column: the text, or "" where a row has none."""
    out = [""] * len(errors)
    for j in compress(range(len(errors)), errors):
        out[j] = errors[j]
    return out


def _in_chunks(header: list[str], rows: list[dict]):
    for start in range(0, len(rows), CHUNK):
        part = rows[start:start + CHUNK]
        yield list(range(start + 2, start + 2 + len(part))), [[row.get(h, "") for row in part] for h in header]


def _cell(value):
    """An output value for a CSV/xlsx cell (Dutch ja/nee; lists joined)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        # exact: a whole number as int, a fraction as the Decimal it is (never a float, never a huge int)
        return int(value) if value == value.to_integral_value() and value.adjusted() < 34 else value
    if isinstance(value, list):
        return "; ".join(str(_cell(v)) for v in value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def result_columns(rules: RuleSet, header: list[str]) -> list[str]:
    outputs = [v.name for v in rules.outputs]
    return [ROW_COLUMN] + header + [o for o in outputs if o not in header] + [RULES_COLUMN, ERROR_COLUMN]


def _csv_cell(v):
    return "" if v is None else (str(v).replace(".", ",") if isinstance(v, (float, Decimal)) else formula_safe(v))


def _csv_column(column: list) -> list:
    """Cells as CSV text: the Dutch decimal comma for fractions; texts are formula-safe already."""
    if {float, Decimal} & set(map(type, column)):
        return [_csv_cell(v) for v in column]
    return column


def _quoted(text: str) -> str:
    """A cell as the csv module writes it (semicolons, minimal quoting)."""
    if ";" in text or '"' in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _plain_lines(columns: list[list]) -> str | None:
    """The CSV text of a chunk joined in C, when every cell is text or an integer; cells that need
    quoting (a delimiter, quote or line break) are quoted once per distinct text. The same bytes as
    csv.writer(delimiter=";"); None for other cells (the csv module writes those)."""
    if len(columns) < 2 or not columns[0]:
        return None
    texts = []
    for column in columns:
        try:
            joined = "\0".join(column)       # all text (as most columns are), else a TypeError
        except TypeError:
            classes = set(map(type, column))
            if float in classes or type(None) in classes:
                column = [_csv_cell(v) for v in column]
                classes = set(map(type, column))
            if classes <= {str, int} and int in classes:
                column = list(map(str, column))
            elif not classes <= {str}:
                return None
            joined = "\0".join(column)
        if ";" in joined or '"' in joined or "\r" in joined or "\n" in joined:
            column = list(map(_Memo(_quoted).__getitem__, column))
        texts.append(column)
    return "\r\n".join(map(";".join, zip(*texts))) + "\r\n"


def csv_text(columns: list[list]) -> str:
    """A chunk (as columns) as CSV lines: what csv.writer(delimiter=";") writes, joined in C when it can."""
    text = _plain_lines(columns)
    if text is None:
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=";").writerows(zip(*[_csv_column(c) for c in columns]))
        text = buffer.getvalue()
    return text


class TableWriter:
    """Writes result lines to CSV (semicolons, UTF-8 with BOM, Dutch decimal comma) or xlsx, streaming."""

    def __init__(self, sink, fmt: str, columns: list[str]):
        self.fmt, self.sink = fmt, sink
        if fmt == "csv":
            sink.write(codecs.BOM_UTF8)   # Excel reads UTF-8 by its byte order mark (utf-8-sig encodes per write)
            self._text = io.TextIOWrapper(sink, encoding="utf-8", newline="", write_through=False)
            self._writer = csv.writer(self._text, delimiter=";")
            self._writer.writerow([formula_safe(c) for c in columns])
        else:
            import openpyxl
            from openpyxl.cell import WriteOnlyCell
            from openpyxl.styles import Font
            self._wb = openpyxl.Workbook(write_only=True)   # streams rows to a temporary file
            self._ws = self._wb.create_sheet("Uitkomsten")
            self._ws.freeze_panes = "B2"
            bold = Font(bold=True)
            header = []
            for name in columns:
                cell = WriteOnlyCell(self._ws, value=formula_safe(name))
                cell.font = bold
                header.append(cell)
            self._ws.append(header)

    def write(self, columns: list[list]) -> None:
        """One chunk, as columns: row numbers, texts (formula-safe already) and typed output cells."""
        if self.fmt == "csv":
            self._text.write(csv_text(columns))
        else:
            for line in zip(*columns):
                self._ws.append(line)

    def write_bytes(self, data: bytes) -> None:
        """CSV lines made elsewhere (by csv_text, encoded as UTF-8): a worker process's chunk."""
        self._text.flush()
        self.sink.write(data)

    def close(self) -> None:
        if self.fmt == "csv":
            self._text.flush()
            self._text.detach()
        else:
            self._wb.save(self.sink)


def write_table(columns: list, table: list, fmt: str) -> bytes:
    """A whole result table (rows as lists) as CSV or xlsx bytes; every text cell formula-safe."""
    buffer = io.BytesIO()
    writer = TableWriter(buffer, fmt, columns)
    if table:
        writer.write([[formula_safe(v) for v in column] for column in zip(*table)])
    writer.close()
    return buffer.getvalue()


def _label(value) -> str:
    v = _cell(value)
    return "" if v is None else str(v)


def run_batch(rules: RuleSet, content: bytes, filename: str, progress=None) -> dict:
    """Read, evaluate and tabulate a caseload file. Raises CasesFileError for an unreadable file."""
    header, rows = read_cases(content, filename)
    return {"header": header, "rows": rows, **_run_rows(rules, header, rows, filename, progress)}


# ---------------------------------------------------------------- streaming CSV (the console)

def _check_columns(rules: RuleSet, header: list[str], filename: str) -> None:
    inputs = [v.name for v in rules.inputs]
    if not set(header) & set(inputs):
        raise CasesFileError(f"Geen enkele kolom van '{filename}' is een invoer van deze regelset. "
                             f"Verwacht kolommen als: {', '.join(inputs)}.")


def _csv_encoding(path: Path) -> tuple[str, int, bool]:
    """UTF-8 (with or without BOM) or Windows-1252, decided over the whole file; its line count; and
    whether it is plain (no quote character, no NUL), so that splitting lines at the delimiter reads it
    exactly as the csv module would."""
    scan = _scan(path)
    return scan.encoding, scan.lines, scan.plain


class _Scan:
    """One pass over a CSV file's bytes: encoding, line count, plainness, and where it can be cut."""
    encoding: str
    lines: int
    plain: bool
    lone_cr: bool           # a line ends in \r alone (old Mac): lines cannot be counted by \n
    cuts: list              # (byte offset just after a \n, the 1-based line number starting there)
    size: int


def _scan(path: Path, block: int = 1 << 20) -> _Scan:
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, lines, plain, lone, cuts, pos, last = True, 0, True, 0, [], 0, b""
    with open(path, "rb") as f:
        while data := f.read(block):
            lines += data.count(b"\n")
            plain = plain and b'"' not in data and b"\0" not in data
            if b"\r" in data:
                lone += data.count(b"\r") - data.count(b"\r\n")
            lone -= last == b"\r" and data[:1] == b"\n"
            if utf8 and (not data.isascii() or decoder.getstate()[0]):   # ASCII is UTF-8
                try:
                    decoder.decode(data)
                except UnicodeDecodeError:
                    utf8 = False
            at = data.rfind(b"\n")
            if at >= 0:
                cuts.append((pos + at + 1, lines + 1))
            pos += len(data)
            last = data[-1:]
    if utf8:
        try:
            decoder.decode(b"", final=True)     # a character cut off at the end
        except UnicodeDecodeError:
            utf8 = False
    scan = _Scan()
    scan.encoding, scan.lines, scan.plain = ("utf-8-sig" if utf8 else "cp1252"), lines, plain
    scan.lone_cr, scan.cuts, scan.size = lone > 0, cuts, pos
    return scan


def _plain_texts(f, size: int):
    """A plain CSV (no quotes) in blocks of whole lines, line breaks as \\n (universal newlines, as
    the csv module reads them), without the block's last line break."""
    rest = ""
    while block := f.read(size):
        block, held = rest + block, ""
        if block.endswith("\r"):
            block, held = block[:-1], "\r"          # perhaps the first half of a \r\n: wait for the next block
        block = _newlines(block)
        cut = block.rfind("\n")
        if cut < 0:
            rest = block + held
            continue
        rest = block[cut + 1:] + held
        yield block[:cut]
    rest = _newlines(rest)
    if rest:
        yield rest[:-1] if rest.endswith("\n") else rest


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _flat_columns(text: str, delimiter: str, width: int) -> list[list] | None:
    """Every column of a block of plain lines, split in C, when each line has ``width`` fields; else None."""
    flat = text.replace("\n", delimiter + "\n").split(delimiter)   # a line's first field starts with \n
    n = len(flat) // width
    if len(flat) != n * width or text.count("\n") != n - 1 \
            or ("\x01" + "\x01".join(flat[width::width])).count("\x01\n") != n - 1:
        return None
    return [list(map(str.strip, flat[i::width])) for i in range(width)]


def _row_columns(rows: list[list], width: int) -> list[list]:
    """Rows to stripped columns, each row padded or cut to ``width`` fields."""
    if set(map(len, rows)) != {width}:
        rows = [values if len(values) == width else (values + [""] * width)[:width] for values in rows]
    return [list(map(str.strip, column)) for column in zip(*rows)]


def _empty_rows(columns: list[list]) -> list[int]:
    """The rows in which every column is empty text."""
    if not columns:
        return []
    empty = list(compress(range(len(columns[0])), map(operator.not_, columns[0])))
    for column in columns[1:]:
        if not empty:
            break
        empty = [r for r in empty if not column[r]]
    return empty


def _header(first: str, name: str) -> tuple[list[str], list[int], str]:
    """(column names, the columns kept (named ones), delimiter) from a CSV file's first line."""
    delimiter = max(";,\t", key=first.count) if any(d in first for d in ";,\t") else ","
    header_row = next(csv.reader([first], delimiter=delimiter), None)
    if not header_row or not any(h.strip() for h in header_row):
        raise CasesFileError(f"'{name}' is leeg: de eerste regel moet de kolomnamen bevatten.")
    names = [h.strip() for h in header_row]
    return names, [i for i, h in enumerate(names) if h], delimiter


def stream_csv(path: Path, chunk: int = CHUNK):
    """(header, chunks of (row numbers, rows as lists of text)) from a CSV file, read as it goes."""
    encoding, lines, plain = _csv_encoding(path)
    f = open(path, encoding=encoding, newline="")
    first = f.readline()
    try:
        names, keep, delimiter = _header(first, path.name)
    except CasesFileError:
        f.close()
        raise
    return [names[i] for i in keep], _text_chunks(f, plain, delimiter, len(names), keep, 1, chunk), lines


def _text_chunks(f, plain: bool, delimiter: str, width: int, keep: list[int], number: int, chunk: int):
    """Chunks of (row numbers, kept columns) from an open text file, the first row numbered number + 1."""
    with f:
        if plain:
            blocks = ((_flat_columns(text, delimiter, width)
                       or _row_columns(list(map(str.split, text.split("\n"), repeat(delimiter))), width))
                      for text in _plain_texts(f, chunk * 32))
        else:
            reader = csv.reader(f, delimiter=delimiter)
            blocks = map(_row_columns, iter(lambda: list(islice(reader, chunk)), []), repeat(width))
        pending = 0
        for columns in blocks:
            # an empty line (also ";;;;") between cases stays a row (reported "Lege rij" in its row,
            # as read_cases does); empty lines at the end of the file go
            n = len(columns[0])
            blank = _empty_rows(columns)
            if len(blank) == n:
                pending += n
                continue
            tail = _tail(blank, n)
            if tail:
                columns = [column[:n - tail] for column in columns]
            if pending:
                columns = [[""] * pending + column for column in columns]
            n += pending - tail
            pending = tail
            yield list(range(number + 1, number + 1 + n)), [columns[i] for i in keep]
            number += n


def _tail(blank: list[int], n: int) -> int:
    """How many of the last rows of a chunk of ``n`` are blank (``blank``: the blank rows, ascending)."""
    tail = 0
    while tail < len(blank) and blank[-1 - tail] == n - 1 - tail:
        tail += 1
    return tail


# ---------------------------------------------------------------- parallel CSV (the console, several cores)

BLOCK = 1 << 19          # bytes per chunk a worker process reads, evaluates and writes (~23,000 rows)


class BatchError(Exception):
    """A batch could not be completed (a worker process failed); the message is for the user (Dutch)."""


class _Job:
    """What every worker process needs, set in the parent before the pool forks (never pickled)."""

    def __init__(self, rules, path, encoding, plain, delimiter, names, keep):
        self.rules, self.path, self.encoding, self.plain = rules, path, encoding, plain
        self.delimiter, self.width, self.keep = delimiter, len(names), keep
        self.header = [names[i] for i in keep]
        self.coercer = None


_JOB: _Job | None = None


def _parallel_plan(path: Path, processes: int):
    """(job, header line's end, chunks as (start, end, first row number)) when the file can be cut at
    line ends into more than one chunk; None when one process must read it (an old-Mac file)."""
    scan = _scan(path, BLOCK)
    if scan.lone_cr:
        return None
    with open(path, "rb") as f:
        first = f.readline()
    encoding = "utf-8" if scan.encoding == "utf-8-sig" else scan.encoding
    start = len(first)
    if first.startswith(codecs.BOM_UTF8) and scan.encoding == "utf-8-sig":
        first = first[len(codecs.BOM_UTF8):]
    names, keep, delimiter = _header(_newlines(first.decode(encoding)), path.name)
    bounds = [(start, 2)] + [(offset, line) for offset, line in scan.cuts if start < offset < scan.size]
    if len(bounds) < 2:
        return None
    ends = [offset for offset, _ in bounds[1:]] + [scan.size]
    chunks = [(offset, end, number) for (offset, number), end in zip(bounds, ends)]
    return _Job(None, path, encoding, scan.plain, delimiter, names, keep), scan.lines, chunks


class _SpansLines(Exception):
    """A quoted cell in this chunk holds a line break (or a quote the strict reader refuses): the
    parent reads on from here in one process, as the csv module reads the file."""


def _work(start: int, end: int, number: int):
    """In a worker: read, evaluate and write one chunk. Returns (CSV bytes, tally, rows, the trailing
    blank rows' count) -- those blank rows are left to the parent (they go if nothing follows)."""
    job = _JOB
    with open(job.path, "rb") as f:
        f.seek(start)
        text = _newlines(f.read(end - start).decode(job.encoding))
    if text.endswith("\n"):
        text = text[:-1]
    if job.plain:
        columns = _flat_columns(text, job.delimiter, job.width) \
            or _row_columns(list(map(str.split, text.split("\n"), repeat(job.delimiter))), job.width)
    else:
        lines = text.split("\n")
        try:   # strict: a quote left open at the chunk's end is an error, not a cell cut short
            rows = list(csv.reader(lines, delimiter=job.delimiter, strict=True))
        except csv.Error:                # that, or a stray quote the lenient reader reads its own way
            raise _SpansLines() from None
        if len(rows) != len(lines):      # a record spans lines
            raise _SpansLines()
        columns = _row_columns(rows, job.width)
    n = len(columns[0])
    blank = _empty_rows(columns)
    tail = _tail(blank, n)
    tally = _Tally(job.rules)
    if tail == n:
        return b"", tally, n, tail
    if job.coercer is None:
        job.coercer = _Coercer(job.rules, job.header)
    kept = [columns[i][:n - tail] for i in job.keep]
    numbers = list(range(number, number + n - tail))
    formula_free = not any(c in text for c in "=+-@")     # cells are stripped: \t and \r cannot start one
    result, _ = next(_process(job.rules, job.header, [(numbers, kept)], tally, coercer=job.coercer,
                              formula_free=formula_free))
    return csv_text(result).encode("utf-8"), tally, n, tail


def _parallel_batch(rules: RuleSet, plan, writer: "TableWriter", tally: _Tally, processes: int, progress) -> None:
    """Chunks evaluated by this process and ``processes - 1`` forked workers, written in file order (at
    most two chunks per process in flight: memory stays constant). This process takes every
    ``processes``-th chunk itself, between writing the others. A quoted line break makes it read on alone."""
    global _JOB
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    job, _, chunks = plan
    job.rules = rules
    blank_width = len(result_columns(rules, job.header)) - 2
    pending: list[int] = []          # trailing blank rows so far: written only if a case follows

    def flush():
        if pending:
            writer.write_bytes(csv_text([pending] + [[""] * len(pending)] * blank_width
                                        + [[EMPTY_ROW] * len(pending)]).encode("utf-8"))
            tally.add_blank(pending)
            pending.clear()

    def own(chunk) -> Future:
        """A chunk done here (its outcome or its failure, like a worker's)."""
        done = Future()
        try:
            done.set_result(_work(*chunk))
        except Exception as exc:   # noqa: BLE001 -- raised where the chunk's turn comes, as a worker's would
            done.set_exception(exc)
        return done

    _JOB = job
    todo = enumerate(chunks)
    flight: deque = deque()          # [chunk, Future] or [chunk, None]: a chunk this process does itself

    def fill():
        for k, chunk in islice(todo, 2 * processes - len(flight)):
            flight.append([chunk, None if k % processes == processes - 1 else pool.submit(_work, *chunk)])

    gc.freeze()      # the workers' collector leaves the parent's objects alone: their pages stay shared
    pool = ProcessPoolExecutor(max_workers=processes - 1, mp_context=get_context("fork"))
    try:
        fill()
        while flight:
            head = flight[0]
            if head[1] is None:
                head[1] = own(head[0])
            elif not head[1].done():
                mine = next((entry for entry in flight if entry[1] is None), None)
                if mine is not None:             # work on a chunk of our own while the workers do theirs
                    mine[1] = own(mine[0])
                    continue
            (start, end, number), future = flight.popleft()
            try:
                data, part, n, tail = future.result()
            except _SpansLines:
                for _, other in flight:
                    if other is not None:
                        other.cancel()
                flight.clear()
                _serial_rest(job, start, number, writer, tally, pending, progress)
                break
            except BrokenProcessPool:
                raise BatchError("Een rekenproces van de batch is onverwacht gestopt (bijvoorbeeld door te weinig "
                                 "geheugen). Er zijn geen uitkomsten geschreven. Probeer het opnieuw, eventueel met "
                                 "--processes 1.") from None
            except CasesFileError:
                raise
            except Exception as exc:   # noqa: BLE001 -- any failure in a chunk becomes one clear message
                raise BatchError(f"De batch liep vast bij de rijen vanaf rij {number}: {type(exc).__name__}: {exc}. "
                                 "Er zijn geen uitkomsten geschreven.") from None
            fill()
            if n > tail:
                flush()
                writer.write_bytes(data)
                tally.merge(part)
            pending.extend(range(number + n - tail, number + n))
            if progress is not None:
                progress(n)
    finally:
        _JOB = None
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _serial_rest(job, start, number, writer, tally, pending, progress) -> None:
    """The rest of the file from byte ``start`` (row ``number``), read by the csv module in this process;
    the blank rows held back (``pending``) come first if a case follows them."""
    raw = open(job.path, "rb")
    raw.seek(start)
    f = io.TextIOWrapper(raw, encoding=job.encoding, newline="")
    for numbers, columns in _text_chunks(f, False, job.delimiter, job.width, job.keep, number - 1, CHUNK):
        read = len(numbers)
        if pending:
            numbers = pending + numbers
            columns = [[""] * len(pending) + column for column in columns]
            pending.clear()
        for result, _ in _process(job.rules, job.header, [(numbers, columns)], tally, coercer=job.coercer):
            writer.write(result)
        if progress is not None:
            progress(read)
    pending.clear()


# ---------------------------------------------------------------- console

@click.command("batch")
@click.argument("ruleset")
@click.argument("cases", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Results file: .xlsx or .csv (inputs, outputs, fired rule ids, an error column).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Peildatum: use the version in force then (default today).")
@click.option("--processes", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes for a CSV to CSV batch (default: one per CPU, at most 8; 1 = this process only).")
def batch(ruleset, cases, out, as_of, processes):
    """Evaluate every case in CASES (.csv or .xlsx) against RULESET and write one result row per case."""
    from store import NoVersionInForce, NotFound, StoreError

    from . import config
    from .jsonout import dumps
    from .service import open_service
    out_path = Path(out)
    fmt = out_path.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        _fail("--out moet eindigen op .xlsx of .csv.")
    try:
        day = _dt.date.fromisoformat(as_of) if as_of else _dt.date.today()
    except ValueError:
        _fail(f"--as-of moet een datum zijn in de vorm JJJJ-MM-DD, niet '{as_of}'.")
    service = open_service(config.database_url(), config.spreadsheets_dir())
    try:
        version, rules = service.version_in_force(ruleset, day)
    except NotFound as exc:
        _fail(f"{exc} Bekende regelsets: {', '.join(sorted(service.store.rulesets()))}.")
    except NoVersionInForce as exc:
        _fail(str(exc), 1)
    except StoreError as exc:
        _fail(str(exc))
    path = Path(cases)
    label = f"{ruleset} {version.short}"
    try:
        with open(out_path, "wb") as sink:
            summary = stream_batch(rules, path, sink, fmt, label, processes)
    except (CasesFileError, BatchError) as exc:
        out_path.unlink(missing_ok=True)
        _fail(str(exc))
    summary = {"ruleset": ruleset, "version": version.hash, "valid_from": version.valid_from.isoformat(),
               "as_of": day.isoformat(), "out": str(out_path), **summary}
    click.echo(dumps(summary, indent=2))
    click.echo(f"{summary['cases']} gevallen: {summary['evaluated']} beoordeeld, {summary['errors']} met een fout "
               f"(zie kolom '{ERROR_COLUMN}'). Uitkomsten in {out_path}.", err=True)


def stream_batch(rules: RuleSet, path: Path, sink, fmt: str, label: str = "", processes: int | None = None) -> dict:
    """Evaluate a caseload file chunk by chunk into ``sink``: CSV is read as it goes (constant memory);
    xlsx is read whole (at most MAX_BATCH_ROWS rows) and written as it goes. Returns the summary.
    CSV to CSV uses ``processes`` worker processes (default: one per CPU) when the file is large enough."""
    processes = processes or _cpus()
    csv_in = path.suffix.lower() not in (".xlsx", ".xlsm")
    plan = _parallel_plan(path, processes) if csv_in and fmt == "csv" and processes > 1 else None
    if plan is not None:
        job, total, _ = plan
        header = job.header
        _check_columns(rules, header, path.name)
        tally = _Tally(rules)
        writer = TableWriter(sink, fmt, result_columns(rules, header))
        with click.progressbar(length=max(total, 1), label=label, file=sys.stderr) as bar:
            _parallel_batch(rules, plan, writer, tally, processes, bar.update)
        writer.close()
    else:
        header, tally = _serial_batch(rules, path, sink, fmt, label)
    if not tally.cases:
        raise CasesFileError(f"'{path.name}' bevat geen rijen met gevallen onder de kolomnamen.")
    inputs = [v.name for v in rules.inputs]
    return {**tally.summary(), "ignored_columns": [h for h in header if h not in inputs],
            "missing_columns": [i for i in inputs if i not in header]}


def _cpus() -> int:
    """The CPUs this process may run on (a container's share, not the host's), at most 8: one process
    writes every chunk, so more would mostly wait (and cost memory)."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:          # not on Linux
        count = os.cpu_count() or 1
    return max(1, min(count, 8))


def _serial_batch(rules: RuleSet, path: Path, sink, fmt: str, label: str) -> tuple[list[str], _Tally]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, rows = read_cases(path.read_bytes(), path.name)
        if not rows:
            raise CasesFileError(f"'{path.name}' bevat geen rijen met gevallen onder de kolomnamen.")
        _check_columns(rules, header, path.name)
        total, chunks = len(rows), _in_chunks(header, rows)
    else:
        header, chunks, total = stream_csv(path)
        _check_columns(rules, header, path.name)
    tally = _Tally(rules)
    writer = TableWriter(sink, fmt, result_columns(rules, header))
    with click.progressbar(length=max(total, 1), label=label, file=sys.stderr) as bar:
        for columns, _ in _process(rules, header, chunks, tally, bar.update):
            writer.write(columns)
    writer.close()
    return header, tally


def _run_rows(rules, header, rows, filename, progress):
    if not rows:
        raise CasesFileError(f"'{filename}' bevat geen rijen met gevallen onder de kolomnamen.")
    _check_columns(rules, header, filename)
    inputs = [v.name for v in rules.inputs]
    tally, table, evaluated = _Tally(rules), [], []
    for columns, evs in _process(rules, header, _in_chunks(header, rows), tally, progress, keep_evaluated=True):
        table.extend(list(line) for line in zip(*columns))
        evaluated.extend(evs)
    summary = tally.summary()
    summary["ignored_columns"] = [h for h in header if h not in inputs]
    summary["missing_columns"] = [i for i in inputs if i not in header]
    return {"columns": result_columns(rules, header), "table": table, "summary": summary, "evaluated": evaluated}


def evaluate_table(rules: RuleSet, header: list[str], rows: list[dict], progress=None) -> tuple[list, list, list]:
    """(columns, table, per-row {outputs, fired, error}) for a caseload already read: the pages' view."""
    report = _run_rows(rules, header, rows, "de gevallen", progress)
    return report["columns"], report["table"], report["evaluated"]


def evaluate_rows(rules: RuleSet, rows: list[dict], progress=None) -> list[dict]:
    """Per row: {outputs, fired (rule ids), error}; errors are per row, never raised."""
    return evaluate_table(rules, list(dict.fromkeys(k for r in rows for k in r)), rows, progress)[2]


def _fail(message: str, code: int = 2):
    click.echo(f"Fout: {message}", err=True)
    sys.exit(code)
