"""Impact analysis: evaluate one caseload against two versions of a rule set, before publishing.

Reports how many outcomes change and from what to what, how often each row fired before and
after, and a chart (a small inline SVG, generated here; no plotting library) of each output's
distribution before and after.

    regelbank impact kampen/autoaanpassing --from 1a2b3c --to 4d5e6f --cases clienten.csv [--svg impact.svg] [--out wijzigingen.csv]
"""
from __future__ import annotations

import sys
from collections import Counter
from html import escape
from pathlib import Path

import click

from engine import RuleSet

from .batch import TableWriter, _Coercer, _Memo, _cell, _in_chunks, _safe_column, _scatter, stream_csv
from .cases import CasesFileError, read_cases, text_value

MAX_LISTED_CHANGES = 50


def _label(value) -> str:
    v = _cell(value)
    return "(geen)" if v in (None, "") else str(v)


class _Side:
    """One version's outcomes for a chunk, as columns (labels per output, fired rules, errors)."""

    def __init__(self, rules: RuleSet, header: list[str], outputs: list[str]):
        self.rules, self.coercer, self.outputs = rules, _Coercer(rules, header), outputs
        self.has = {v.name for v in rules.outputs}
        self.tables = [t.name for t in rules.model.tables]
        self.labels = _Memo(_label)

    def run(self, columns: list[list], n: int):
        cols, errors, failed = self.coercer.evaluate(columns)
        labels = {name: list(map(self.labels.__getitem__, _scatter(cols.outputs[name], n, failed)))
                  if name in self.has else ["(geen)"] * n for name in self.outputs}
        fired = [_scatter(cols.fired[t], n, failed) for t in self.tables]
        return labels, fired, errors

    def fired_rules(self, fired: list, j: int) -> list[str]:
        return [rule for hit in (col[j] for col in fired)
                for rule in (hit if hit.__class__ is tuple else (hit,)) if rule is not None]


def analyse_impact(old: RuleSet, new: RuleSet, rows: list[dict], row_numbers: list | None = None) -> dict:
    """Compare the outcomes of ``rows`` (text per column, as read from a caseload file) under two versions."""
    header = list(dict.fromkeys(k for row in rows for k in row))
    chunks = ((numbers, columns) for numbers, columns in _in_chunks(header, rows))
    if row_numbers is not None:
        chunks = ((row_numbers[numbers[0] - 2:numbers[-1] - 1], columns) for numbers, columns in chunks)
    return analyse_impact_chunks(old, new, header, chunks)


def impact_columns(old: RuleSet, new: RuleSet, header: list[str]) -> list[str]:
    """Columns of the changed-cases export: row, the caseload's columns, each output before and after."""
    outputs = list(dict.fromkeys([v.name for v in old.outputs] + [v.name for v in new.outputs]))
    return ["Rij"] + header + [f"{name} ({when})" for name in outputs for when in ("voor", "na")]


def analyse_impact_chunks(old: RuleSet, new: RuleSet, header: list[str], chunks, export=None) -> dict:
    """The impact report over chunks of (row numbers, columns of cell text): constant memory.
    ``export``, when given, receives per chunk the changed cases as rows (see impact_columns)."""
    outputs = list(dict.fromkeys([v.name for v in old.outputs] + [v.name for v in new.outputs]))
    sides = (_Side(old, header, outputs), _Side(new, header, outputs))
    changed_cases, transitions = [], {name: Counter() for name in outputs}
    dist = ({name: Counter() for name in outputs}, {name: Counter() for name in outputs})
    fired_counts = (Counter(), Counter())
    errors_seen = [0, 0]
    total = changed = 0
    for numbers, columns in chunks:
        n = len(numbers)
        total += n
        results = [side.run(columns, n) for side in sides]
        keys = []
        for s, (labels, fired, errors) in enumerate(results):
            bad = [j for j, e in enumerate(errors) if e is not None]
            errors_seen[s] += len(bad)
            for name in outputs:
                if name in sides[s].has:
                    counts = Counter(labels[name])
                    for j in bad:
                        counts[labels[name][j]] -= 1
                    dist[s][name].update({k: v for k, v in counts.items() if v > 0})
            for table, col in zip(sides[s].tables, fired):
                counts = Counter(col)
                for j in bad:
                    counts[col[j]] -= 1
                for hit, count in counts.items():
                    for rule in (hit if hit.__class__ is tuple else (hit,)):
                        if rule is not None and count > 0:
                            fired_counts[s][f"{table}: {rule}"] += count
            key = list(zip(*[labels[name] for name in outputs])) if outputs else [()] * n
            for j in bad:
                key[j] = _Failed(errors[j])
            keys.append(key)
        lines = []
        for j in [j for j, (a, b) in enumerate(zip(*keys)) if a != b]:
            changed += 1
            if export is not None:
                lines.append([numbers[j]] + [columns[i][j] for i in range(len(header))]
                             + [_value(keys[s][j], i) for i in range(len(outputs)) for s in (0, 1)])
            diffs = {}
            for i, name in enumerate(outputs):
                x, y = (_value(keys[s][j], i) for s in (0, 1))
                if x != y:
                    diffs[name] = {"from": x, "to": y}
                    transitions[name][(x, y)] += 1
            if len(changed_cases) < MAX_LISTED_CHANGES:
                changed_cases.append({
                    "row": numbers[j], "inputs": {h: columns[i][j] for i, h in enumerate(header)}, "changes": diffs,
                    "fired_before": [] if results[0][2][j] else sides[0].fired_rules(results[0][1], j),
                    "fired_after": [] if results[1][2][j] else sides[1].fired_rules(results[1][1], j)})
        if export is not None and lines:
            export(lines)
    rules_all = sorted(set(fired_counts[0]) | set(fired_counts[1]))
    errors_before, errors_after = errors_seen
    report = {
        "cases": total,
        "changed": changed,
        "unchanged": total - changed,
        "errors_before": errors_before,
        "errors_after": errors_after,
        "transitions": {name: [{"from": x, "to": y, "count": n} for (x, y), n in counts.most_common()]
                        for name, counts in transitions.items() if counts},
        "distribution": {name: {"before": dict(dist[0][name].most_common()),
                                "after": dict(dist[1][name].most_common())} for name in outputs},
        "fired": [{"rule": r, "before": fired_counts[0].get(r, 0), "after": fired_counts[1].get(r, 0)}
                  for r in rules_all],
        "changed_cases": changed_cases,
    }
    report["summary"] = (f"{changed} van de {total} gevallen krijgen een andere uitkomst"
                         + (f"; fouten voor/na: {errors_before}/{errors_after}" if errors_before or errors_after else "")
                         + ".")
    return report


class _Failed(str):
    """A row's outcome key when the row failed: the error text (equal only to the same error)."""


def _value(key, i: int) -> str:
    """An output's label in a row's outcome key, or the error text when the row failed."""
    return str(key) if isinstance(key, _Failed) else key[i]


def impact_versions(service, ruleset: str, from_ref: str, to_ref: str, rows: list[dict]) -> dict:
    old_v = service.store.get_version(ruleset, from_ref)
    new_v = service.store.get_version(ruleset, to_ref)
    report = analyse_impact(service.load_version(old_v), service.load_version(new_v), rows)
    return {"ruleset": ruleset, "from": old_v.hash, "to": new_v.hash,
            "from_valid_from": old_v.valid_from.isoformat(), "to_valid_from": new_v.valid_from.isoformat(), **report}


def example_rows(*rulesets: RuleSet) -> list[dict]:
    """A caseload from the examples sheets of the given versions (used when no caseload is uploaded)."""
    rows, seen = [], set()
    for rules in rulesets:
        for example in rules.model.examples:
            row = {k: text_value(v) for k, v in example.inputs.items()}
            key = tuple(sorted(row.items()))
            if key not in seen:
                seen.add(key)
                rows.append(row)
    return rows


# ---------------------------------------------------------------- chart

def svg_chart(report: dict, max_values: int = 12) -> str:
    """Grouped bars per output: how many cases got each value before (grey) and after (blue)."""
    panels = [(name, d) for name, d in report["distribution"].items()
              if d["before"] or d["after"]]
    panels = [(n, d) for n, d in panels if len(set(d["before"]) | set(d["after"])) <= max_values]
    width, bar, gap, label_w = 640, 14, 6, 220
    y = 40
    parts = []
    for name, d in panels:
        values = list(dict.fromkeys(list(d["before"]) + list(d["after"])))
        top = max([*d["before"].values(), *d["after"].values(), 1])
        parts.append(f'<text x="8" y="{y}" font-weight="bold">{escape(name)}</text>')
        y += 8
        for value in values:
            b, a = d["before"].get(value, 0), d["after"].get(value, 0)
            scale = (width - label_w - 60) / top
            shown = value if len(value) <= 34 else value[:32] + "…"
            parts.append(f'<text x="8" y="{y + bar + 3}" font-size="11">{escape(shown)}<title>{escape(value)}</title></text>')
            parts.append(f'<rect x="{label_w}" y="{y}" width="{b * scale:.1f}" height="{bar}" fill="#9e9e9e">'
                         f'<title>voor: {b}</title></rect>')
            parts.append(f'<text x="{label_w + b * scale + 4:.1f}" y="{y + bar - 3}" font-size="10">{b}</text>')
            parts.append(f'<rect x="{label_w}" y="{y + bar}" width="{a * scale:.1f}" height="{bar}" fill="#1f6fb2">'
                         f'<title>na: {a}</title></rect>')
            parts.append(f'<text x="{label_w + a * scale + 4:.1f}" y="{y + 2 * bar - 3}" font-size="10">{a}</text>')
            y += 2 * bar + gap
        y += 24
    height = y + 10
    legend = ('<rect x="8" y="10" width="12" height="12" fill="#9e9e9e"/><text x="24" y="21">voor (oude versie)</text>'
              '<rect x="170" y="10" width="12" height="12" fill="#1f6fb2"/><text x="186" y="21">na (nieuwe versie)</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="sans-serif" font-size="12" role="img" aria-label="Verdeling van de uitkomsten voor en na">'
            f'<title>{escape(report.get("summary", "Impact"))}</title>{legend}{"".join(parts)}</svg>')


# ---------------------------------------------------------------- console

@click.command("impact")
@click.argument("ruleset")
@click.option("--from", "from_version", required=True, help="Old version (hash or prefix).")
@click.option("--to", "to_version", required=True, help="New version (hash or prefix).")
@click.option("--cases", "cases", type=click.Path(exists=True, dir_okay=False),
              help="Caseload (.csv or .xlsx); default: the examples sheets of both versions.")
@click.option("--svg", "svg", type=click.Path(dir_okay=False), help="Write the before/after chart as SVG here.")
@click.option("--out", "out", type=click.Path(dir_okay=False),
              help="Write every changed case (inputs, each output before and after) to .csv or .xlsx.")
def impact(ruleset, from_version, to_version, cases, svg, out):
    """How a caseload's outcomes change between two versions of RULESET: counts, transitions, rows fired."""
    from store import NotFound, StoreError

    from . import config
    from .jsonout import dumps
    from .service import open_service
    service = open_service(config.database_url(), config.spreadsheets_dir())
    try:
        old_v = service.store.get_version(ruleset, from_version)
        new_v = service.store.get_version(ruleset, to_version)
    except (NotFound, StoreError) as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(2)
    old, new = service.load_version(old_v), service.load_version(new_v)
    out_path = Path(out) if out else None
    if out_path is not None and out_path.suffix.lower() not in (".csv", ".xlsx"):
        click.echo("Fout: --out moet eindigen op .csv of .xlsx.", err=True)
        sys.exit(2)
    try:
        if cases and Path(cases).suffix.lower() not in (".xlsx", ".xlsm"):
            header, chunks, _ = stream_csv(Path(cases))      # read as it goes: constant memory
        else:
            if cases:
                path = Path(cases)
                header, rows = read_cases(path.read_bytes(), path.name)
            else:
                rows = example_rows(old, new)
                header = list(dict.fromkeys(k for row in rows for k in row))
            chunks = _in_chunks(header, rows)
        sink = open(out_path, "wb") if out_path else None
        writer = TableWriter(sink, out_path.suffix.lower().lstrip("."), impact_columns(old, new, header)) \
            if sink else None
        analysis = analyse_impact_chunks(old, new, header, chunks,
                                         (lambda lines: writer.write([_safe_column(list(c)) for c in zip(*lines)])) if writer
                                         else None)
        if writer:
            writer.close()
            sink.close()
    except CasesFileError as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(2)
    report = {"ruleset": ruleset, "from": old_v.hash, "to": new_v.hash,
              "from_valid_from": old_v.valid_from.isoformat(), "to_valid_from": new_v.valid_from.isoformat(),
              **analysis}
    if out_path:
        report["out"] = str(out_path)
    if svg:
        Path(svg).write_text(svg_chart(report), encoding="utf-8")
        report["svg"] = svg
    click.echo(dumps(report, indent=2))
    click.echo(report["summary"], err=True)

