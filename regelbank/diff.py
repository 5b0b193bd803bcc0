"""What changed between two versions of a rule set, in a policy officer's terms: rows by rule id, cell by cell."""
from __future__ import annotations

from engine import RuleSet


def _rows(rules: RuleSet) -> dict:
    rows = {}
    for table in rules.tables:
        for rule in table.rules:
            cells = {name: text for name, text in zip(table.inputs, rule.input_texts)}
            cells.update({name: text for name, text in zip(table.outputs, rule.output_texts)})
            cells["Toelichting"] = rule.annotation
            cells["Bron"] = rule.source
            rows[(table.name, rule.id)] = cells
    return rows


def _glossary(rules: RuleSet) -> dict:
    return {name: {"Type": v.type, "Toegestane waarden": v.allowed_text or "", "Standaard": v.default_text or ""}
            for name, v in rules.model.variables.items()}


def diff_rulesets(old: RuleSet, new: RuleSet) -> dict:
    """Compare two loaded rule sets. Rows are matched by (table, rule id), so re-ordering is not a change."""
    old_rows, new_rows = _rows(old), _rows(new)
    added = [{"table": t, "rule": r, "cells": new_rows[(t, r)]} for (t, r) in new_rows if (t, r) not in old_rows]
    removed = [{"table": t, "rule": r, "cells": old_rows[(t, r)]} for (t, r) in old_rows if (t, r) not in new_rows]
    changed = []
    for key in old_rows.keys() & new_rows.keys():
        before, after = old_rows[key], new_rows[key]
        cells = [{"column": col, "old": before.get(col), "new": after.get(col)}
                 for col in dict.fromkeys([*before, *after]) if before.get(col) != after.get(col)]
        if cells:
            changed.append({"table": key[0], "rule": key[1], "cells": cells})
    changed.sort(key=lambda c: (c["table"], c["rule"]))
    old_tables = {t.name: t for t in old.tables}
    new_tables = {t.name: t for t in new.tables}
    tables = []
    for name in dict.fromkeys([*old_tables, *new_tables]):
        a, b = old_tables.get(name), new_tables.get(name)
        if a is None or b is None:
            tables.append({"table": name, "change": "toegevoegd" if a is None else "verwijderd"})
        elif (a.hit_policy, a.inputs, a.outputs) != (b.hit_policy, b.inputs, b.outputs):
            tables.append({"table": name, "change": "gewijzigd",
                           "old": {"hit_policy": a.hit_policy, "inputs": a.inputs, "outputs": a.outputs},
                           "new": {"hit_policy": b.hit_policy, "inputs": b.inputs, "outputs": b.outputs}})
    og, ng = _glossary(old), _glossary(new)
    glossary = [{"variable": n, "old": og.get(n), "new": ng.get(n)} for n in dict.fromkeys([*og, *ng])
                if og.get(n) != ng.get(n)]
    summary = (f"{len(added)} regel(s) toegevoegd, {len(removed)} verwijderd, {len(changed)} gewijzigd"
               + (f", {len(tables)} tabel(len) anders" if tables else "")
               + (f", {len(glossary)} Glossary-wijziging(en)" if glossary else "") + ".")
    return {"summary": summary, "added": added, "removed": removed, "changed": changed, "tables": tables,
            "glossary": glossary}


def diff_versions(service, ruleset: str, from_ref: str, to_ref: str) -> dict:
    old_v = service.store.get_version(ruleset, from_ref)
    new_v = service.store.get_version(ruleset, to_ref)
    report = diff_rulesets(service.load_version(old_v), service.load_version(new_v))
    return {"ruleset": ruleset, "from": old_v.hash, "to": new_v.hash,
            "from_valid_from": old_v.valid_from.isoformat(), "to_valid_from": new_v.valid_from.isoformat(), **report}
