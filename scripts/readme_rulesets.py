"""Print the README's table of rule sets from spreadsheets/ (titles, dates and counts from the workbooks).

    .venv/bin/python scripts/readme_rulesets.py
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import engine  # noqa: E402

SOURCES = {  # file and sections, for the reader of the README
    "almere/arrangementen": "001 art. 10, art. 2, art. 15; 000 §4, §4.9",
    "almere/beschermd-wonen": "001 art. 2; 000 §4.9",
    "almere/kortdurend-verblijf": "000 §4.8",
    "almere/pgb": "001 art. 14",
    "almere/vervanging": "001 art. 2 c",
    "almere/vervoer": "000 §4.6; 001 art. 8 lid 1 a, art. 13 lid 6",
    "almere/vrijstelling-eigen-bijdrage": "001 art. 2",
    "almere/woningaanpassing": "001 art. 8",
    "kampen/autoaanpassing": "003 §3.2.12 i.4",
    "kampen/begeleiding": "003 §10",
    "kampen/dagbesteding": "003 §10, §11",
    "kampen/gebruikelijke-zorg": "003 §9, §2.3.6; 004 bijlage 2",
    "kampen/huishoudelijke-hulp": "003 §12, §3.2.8",
    "kampen/huishoudelijke-hulp-bijstand": "003 §3.2.8 j",
    "kampen/pgb": "003 §5",
    "kampen/toegang": "003 §2.3, §3.2.3, §3.2.6, §3.2.12, §10; 004 bijlage 2",
    "kampen/vervoer": "003 §3.2.12 h, i",
    "kampen/woningaanpassing": "003 §13, §3.2.3",
    "midden-holland/begeleiding": "004 §2.1, §2.2, bijlage 1, bijlage 4",
    "midden-holland/dagbesteding": "004 §3.1, §3.2, bijlage 2 (Participatiewet)",
    "midden-holland/gebruikelijke-hulp": "004 bijlage 2 §1",
    "midden-holland/kortdurend-verblijf": "004 §4.1, §4.2",
    "midden-holland/toegang": "004 bijlage 2, §2",
}

print("| rule set | title | source (file, sections) | valid from | tables / rows | examples |")
print("|---|---|---|---|---|---|")
for path in sorted((ROOT / "spreadsheets").glob("*/*.xlsx"), key=lambda p: (p.parent.name, p.stem)):
    name = f"{path.parent.name}/{path.stem}"
    rules = engine.load(path)
    meta = rules.metadata
    rows = sum(len(t.rules) for t in rules.tables)
    examples = len(rules.run_examples())
    print(f"| `{name}` | {meta.title} | {SOURCES.get(name, '?')} | {meta.valid_from:%d-%m-%Y} | "
          f"{len(rules.tables)} / {rows} | {examples} |")
