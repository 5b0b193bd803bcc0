"""Export rule sets as DMN 1.3 XML.

    regelbank export kampen/autoaanpassing --format dmn [--out path]
    regelbank export spreadsheets/kampen/autoaanpassing.xlsx --format dmn
    python -m regelbank.export --all          # what `make dmn` runs: regenerate dmn/ from spreadsheets/

``gemeente/naam`` means spreadsheets/<gemeente>/<naam>.xlsx of this project. Without --out the
XML goes to standard output.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

import engine
from engine.dmn_export import export_dmn

PROJECT = Path(__file__).resolve().parent.parent
SPREADSHEETS = PROJECT / "spreadsheets"
DMN_DIR = PROJECT / "dmn"


def resolve_source(source: str, spreadsheets_dir: Path = SPREADSHEETS) -> Path:
    """A path to a workbook, or gemeente/naam -> spreadsheets/<gemeente>/<naam>.xlsx."""
    path = Path(source)
    if path.suffix.lower() in (".xlsx", ".dmn", ".xml") or path.exists():
        return path
    parts = source.strip("/").split("/")
    if len(parts) == 2:
        return Path(spreadsheets_dir) / parts[0] / f"{parts[1]}.xlsx"
    return path


def export_file(path: Path) -> bytes:
    """DMN XML for one workbook; raises engine.WorkbookError when it does not load."""
    return export_dmn(engine.load(path).model)


def bundled_workbooks(spreadsheets_dir: Path = SPREADSHEETS) -> list[Path]:
    return sorted(Path(spreadsheets_dir).glob("*/*.xlsx"))


def dmn_path_for(workbook: Path, spreadsheets_dir: Path = SPREADSHEETS, dmn_dir: Path = DMN_DIR) -> Path:
    relative = Path(workbook).relative_to(spreadsheets_dir)
    return Path(dmn_dir) / relative.with_suffix(".dmn")


def export_all(spreadsheets_dir=SPREADSHEETS, dmn_dir=DMN_DIR) -> tuple[list[Path], list[str]]:
    """Regenerate <dmn_dir>/<gemeente>/<naam>.dmn for every workbook; remove exports whose workbook is gone.

    Returns (written paths, problems). A workbook that does not load is a problem, not a crash.
    """
    spreadsheets_dir, dmn_dir = Path(spreadsheets_dir), Path(dmn_dir)
    written, problems = [], []
    wanted = set()
    for workbook in bundled_workbooks(spreadsheets_dir):
        target = dmn_path_for(workbook, spreadsheets_dir, dmn_dir)
        wanted.add(target)
        try:
            data = export_file(workbook)
        except engine.WorkbookError as exc:
            problems.append(f"{workbook}: {exc}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
        written.append(target)
    for stale in sorted(dmn_dir.glob("*/*.dmn")) if dmn_dir.exists() else []:
        if stale not in wanted:
            stale.unlink()
    return written, problems


@click.command("export")
@click.argument("source", required=False)
@click.option("--format", "fmt", type=click.Choice(["dmn"]), default="dmn", show_default=True,
              help="Export format (DMN 1.3 XML).")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write to this file instead of standard output.")
@click.option("--all", "all_", is_flag=True, help="Regenerate dmn/<gemeente>/<naam>.dmn for every bundled workbook.")
def export(source, fmt, out, all_):
    """Export a rule set (a .xlsx path, or gemeente/naam from spreadsheets/) as DMN XML."""
    if all_:
        written, problems = export_all()
        for path in written:
            click.echo(f"{path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path}")
        for problem in problems:
            click.echo(f"fout: {problem}", err=True)
        sys.exit(1 if problems else 0)
    if not source:
        raise click.UsageError("Geef een werkmap (.xlsx) of gemeente/naam, of --all.")
    path = resolve_source(source)
    if not path.exists():
        click.echo(f"fout: '{source}' niet gevonden (gezocht: {path}).", err=True)
        sys.exit(2)
    try:
        data = export_file(path)
    except engine.WorkbookError as exc:
        click.echo(f"fout: {exc}", err=True)
        sys.exit(1)
    if out:
        Path(out).write_bytes(data)
        click.echo(f"{out}: DMN 1.3 geschreven ({len(data)} bytes)", err=True)
    else:
        sys.stdout.buffer.write(data)


if __name__ == "__main__":
    export()
