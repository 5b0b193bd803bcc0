"""Impact analysis: evaluate one caseload against two versions of a rule set, before publishing.

Reports how many outcomes change and from what to what, how often each row fired before and
after, and a chart (a small inline SVG, generated here; no plotting library) of each output's
distribution before and after.

    regelbank impact kampen/autoaanpassing --from 1a2b3c --to 4d5e6f --cases clienten.csv [--svg impact.svg]
"""
from __future__ import annotations

import sys
from collections import Counter
from html import escape
from pathlib import Path

import click

from engine import RuleSet

from .batch import _cell
from .cases import CasesFileError, cases_from_rows, read_cases, text_value

MAX_LISTED_CHANGES = 50


def _label(value) -> str:
    v = _cell(value)
    return "(geen)" if v in (None, "") else str(v)


def _evaluate(rules: RuleSet, rows: list[dict]):
    cases, errors = cases_from_rows(rules, rows)
    idx = [i for i, c in enumerate(cases) if c is not None]
    results = [None] * len(rows)
    for i, item in zip(idx, rules.evaluate_many([cases[i] for i in idx], on_error="return")):
        results[i] = str(item) if isinstance(item, Exception) else item
    for i, error in enumerate(errors):
        if error is not None:
            results[i] = error
    return results


def _tally(result, outputs, fired: Counter, distribution: dict) -> int:
    """Count one case's fired rows and output values; returns 1 when the case failed (an error text)."""
    if isinstance(result, str):
        return 1
    fired.update(f"{f.table}: {f.rule}" for f in result.fired)
    for name in outputs:
        if name in result.outputs:
            distribution[name][_label(result.outputs[name])] += 1
    return 0


def analyse_impact(old: RuleSet, new: RuleSet, rows: list[dict], row_numbers: list | None = None) -> dict:
    """Compare the outcomes of ``rows`` (text per column, as read from a caseload file) under two versions."""
    before, after = _evaluate(old, rows), _evaluate(new, rows)
    row_numbers = row_numbers or list(range(2, len(rows) + 2))
    outputs = list(dict.fromkeys([v.name for v in old.outputs] + [v.name for v in new.outputs]))
    changed_cases, transitions = [], {name: Counter() for name in outputs}
    dist_before = {name: Counter() for name in outputs}
    dist_after = {name: Counter() for name in outputs}
    fired_before, fired_after = Counter(), Counter()
    errors_before = errors_after = 0
    for number, row, a, b in zip(row_numbers, rows, before, after):
        errors_before += _tally(a, outputs, fired_before, dist_before)
        errors_after += _tally(b, outputs, fired_after, dist_after)
        old_out = {"fout": a} if isinstance(a, str) else {n: _label(a.outputs.get(n)) for n in outputs}
        new_out = {"fout": b} if isinstance(b, str) else {n: _label(b.outputs.get(n)) for n in outputs}
        if old_out != new_out:
            diffs = {}
            for name in outputs:
                x = old_out.get(name, old_out.get("fout", "(geen)"))
                y = new_out.get(name, new_out.get("fout", "(geen)"))
                if x != y:
                    diffs[name] = {"from": x, "to": y}
                    transitions[name][(x, y)] += 1
            changed_cases.append({"row": number, "inputs": row, "changes": diffs,
                                  "fired_before": [] if isinstance(a, str) else [f.rule for f in a.fired],
                                  "fired_after": [] if isinstance(b, str) else [f.rule for f in b.fired]})
    rules_all = sorted(set(fired_before) | set(fired_after))
    total = len(rows)
    report = {
        "cases": total,
        "changed": len(changed_cases),
        "unchanged": total - len(changed_cases),
        "errors_before": errors_before,
        "errors_after": errors_after,
        "transitions": {name: [{"from": x, "to": y, "count": n} for (x, y), n in counts.most_common()]
                        for name, counts in transitions.items() if counts},
        "distribution": {name: {"before": dict(dist_before[name].most_common()),
                                "after": dict(dist_after[name].most_common())} for name in outputs},
        "fired": [{"rule": r, "before": fired_before.get(r, 0), "after": fired_after.get(r, 0)} for r in rules_all],
        "changed_cases": changed_cases[:MAX_LISTED_CHANGES],
    }
    report["summary"] = (f"{len(changed_cases)} van de {total} gevallen krijgen een andere uitkomst"
                         + (f"; fouten voor/na: {errors_before}/{errors_after}" if errors_before or errors_after else "")
                         + ".")
    return report


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
def impact(ruleset, from_version, to_version, cases, svg):
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
    if cases:
        path = Path(cases)
        try:
            _, rows = read_cases(path.read_bytes(), path.name)
        except CasesFileError as exc:
            click.echo(f"Fout: {exc}", err=True)
            sys.exit(2)
    else:
        rows = example_rows(old, new)
    report = {"ruleset": ruleset, "from": old_v.hash, "to": new_v.hash,
              "from_valid_from": old_v.valid_from.isoformat(), "to_valid_from": new_v.valid_from.isoformat(),
              **analyse_impact(old, new, rows)}
    if svg:
        Path(svg).write_text(svg_chart(report), encoding="utf-8")
        report["svg"] = svg
    click.echo(dumps(report, indent=2))
    click.echo(report["summary"], err=True)

