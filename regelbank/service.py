"""The operations users perform, over engine + store: publish, evaluate, replay, overview.

The console and the web app are thin views of this module, so they behave the same. The decision
log is an evaluation listener (as in Camunda's history): the engine reports the finished result and
the listener appends it to the store's hash-chained log.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import threading
from decimal import Decimal
from collections import OrderedDict
from pathlib import Path

import engine
from engine import ENGINE_VERSION, EvaluationListener, Finding, RuleSet
from engine.findings import ERROR, has_errors
from store import NoVersionInForce, NotFound, Store, StoreError, Version

from .jsonout import jsonable
from .retroactive import Retroaction, nl, retroaction

log = logging.getLogger(__name__)
BUNDLED_AUTHOR = "Regelbank (meegeleverde werkmap)"


class NeedsConfirmation(ValueError):
    """Publishing would change past answers (or replace a version with the same date); confirm explicitly."""

    def __init__(self, effect: Retroaction):
        self.effect = effect
        super().__init__(effect.message())


class AlreadyPublished(ValueError):
    """The same bytes were published before; a withdrawn version does not come back by re-publishing."""

    def __init__(self, version: Version):
        self.version = version
        super().__init__(
            f"Deze werkmap is al eerder gepubliceerd als versie {version.short} en die versie is op "
            f"{nl(version.withdrawn_at.date()) if version.withdrawn_at else 'een eerdere datum'} ingetrokken"
            f"{f' ({version.withdraw_reason})' if version.withdraw_reason else ''}. Een ingetrokken versie wordt niet "
            "stilzwijgend weer van kracht. Wilt u deze regels opnieuw laten gelden, pas dan de werkmap aan (bijvoorbeeld "
            "de Toelichting op het blad Metadata) en publiceer hem als nieuwe versie.")


class PublishRejected(ValueError):
    """The workbook has findings that block publishing; nothing was stored."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = [f for f in findings if f.severity == ERROR]
        super().__init__(f"Niet gepubliceerd: {len(errors)} fout(en) in de werkmap.\n" + "\n".join(f"  {f}" for f in errors))


def diagnostics_of(result) -> dict:
    """{"diagnostics": [...]} when a decision of a DMN model failed (null plus why), else nothing.

    Each entry names the decision, a stable code for developers and the Dutch message; the answer,
    the decision log and the pages carry them, so a null is never unexplained."""
    found = getattr(result, "diagnostics", None)
    if not found:
        return {}
    return {"diagnostics": [{"decision": name, "code": getattr(d, "code", "error"),
                             "message": getattr(d, "message", str(d)), "expression": getattr(d, "expression", None)}
                            for name, items in found.items() for d in items]}


class DecisionLog(EvaluationListener):
    """Appends each finished decision to the store's decision log; remembers the stored record."""

    def __init__(self, store: Store, caller: str, ruleset: str, version: Version, as_of: _dt.date):
        self.store, self.caller, self.ruleset, self.version, self.as_of = store, caller, ruleset, version, as_of
        self.record: dict | None = None
        self.receipt: dict | None = None

    def decision_evaluated(self, result) -> None:
        self.record, self.receipt = self.store.log_decision_with_receipt({
            "caller": self.caller,
            "ruleset": self.ruleset,
            "version": self.version.hash,
            "valid_from": self.version.valid_from.isoformat(),
            "engine_version": ENGINE_VERSION,
            "as_of": self.as_of.isoformat(),
            "inputs": jsonable(result.inputs),
            "outputs": jsonable(result.outputs),
            "fired": [f.as_dict() for f in result.fired],
            "explanation": result.explanation,
            "decided": result.decided,
            **diagnostics_of(result),
        })


class RuleSetCache:
    """Loaded rule sets by content hash. Versions are immutable, so a hash never goes stale."""

    def __init__(self, size: int = 64):
        self._items: OrderedDict[str, RuleSet] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: str, load) -> RuleSet:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        rules = load()  # outside the lock: loading may take a while, a duplicate load is harmless
        with self._lock:
            self._items[key] = rules
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return rules


class Regelbank:
    def __init__(self, store: Store, spreadsheets: Path | None = None):
        self.store = store
        self.spreadsheets = spreadsheets
        self.cache = RuleSetCache()
        from .serving import VersionInForceCache
        self.versions_in_force = VersionInForceCache(store)

    # -- versions -------------------------------------------------------
    def load_version(self, version: Version) -> RuleSet:
        return self.cache.get(version.hash, lambda: engine.load_bytes(self.store.content(version.hash), version.filename))

    def version_in_force(self, ruleset: str, as_of: _dt.date | None = None) -> tuple[Version, RuleSet]:
        version = self.versions_in_force.get(ruleset, as_of or _dt.date.today())
        return version, self.load_version(version)

    def dmn(self, ruleset: str, version_hash: str) -> tuple[bytes, str]:
        """A version as DMN 1.3 XML and a file name: a DMN upload as stored, a workbook exported."""
        from engine.dmn_export import export_dmn
        version = self.store.get_version(ruleset, version_hash)
        stem = version.filename.rsplit(".", 1)[0] or ruleset.replace("/", "-")
        if version.filename.lower().endswith((".dmn", ".xml")):
            return self.store.content(version.hash), f"{stem}.dmn"
        return export_dmn(self.load_version(version).model), f"{stem}.dmn"

    def validate(self, content: bytes, filename: str, ruleset: str | None = None) -> list[Finding]:
        findings = engine.validate(content, filename)
        if ruleset and not has_errors(findings):
            try:
                meta = engine.load_bytes(content, filename).metadata
            except engine.WorkbookError as exc:
                return findings + exc.findings
            if meta.ruleset and meta.ruleset != ruleset:
                findings.append(Finding(ERROR, "metadata-ruleset",
                                        f"Het blad Metadata noemt deze werkmap '{meta.ruleset}', maar u publiceert hem als "
                                        f"'{ruleset}'. Pas Gemeente/Regelset op het blad Metadata aan, of kies de juiste regelset.",
                                        "Metadata", "B3"))
        return findings

    def publish(self, content: bytes, filename: str, ruleset: str, valid_from: _dt.date | None, author: str,
                comment: str = "", council_decision: str | None = None, retroactive: bool = False,
                today: _dt.date | None = None, title: str | None = None) -> Version:
        """Validate (structure, cells, examples) and store. Nothing is stored when it raises:

        PublishRejected (findings), NeedsConfirmation (a past valid-from date or one an existing
        version has, without ``retroactive``), AlreadyPublished (these bytes were withdrawn).
        Re-publishing bytes that are already in force returns that version unchanged.
        ``title``: a title given on upload, used when the workbook's Metadata has none.
        """
        findings = self.validate(content, filename, ruleset)
        if has_errors(findings):
            raise PublishRejected(findings)
        rules = engine.load_bytes(content, filename)
        valid_from = valid_from or rules.metadata.valid_from
        if valid_from is None:
            raise PublishRejected([Finding(ERROR, "valid-from-missing",
                                           "Geef een datum 'geldig vanaf' op (of vul 'Geldig vanaf' in op het blad Metadata).",
                                           "Metadata", "B6")])
        metadata = {**rules.metadata.as_dict(), "warnings": len(findings)}
        if title and not metadata.get("title"):  # a title given on upload, for a workbook without one
            metadata["title"] = title
        existing = self.store.versions(ruleset)
        same = next((v for v in existing if v.hash == engine_hash(content)), None)
        if same is not None:
            if same.status == "withdrawn":
                raise AlreadyPublished(same)
            return same
        effect = retroaction(existing, valid_from, today or _dt.date.today())
        if effect is not None:
            if not retroactive:
                raise NeedsConfirmation(effect)
            metadata["retroactive"] = {**effect.as_dict(), "confirmed_by": author}
        return self.store.publish(ruleset=ruleset, content=content, filename=filename, valid_from=valid_from,
                                  author=author, comment=comment, metadata=metadata, council_decision=council_decision)

    def bundled_workbooks(self) -> dict[str, Path]:
        if not self.spreadsheets or not self.spreadsheets.is_dir():
            return {}
        return {f"{p.parent.name}/{p.stem}": p for p in sorted(self.spreadsheets.glob("*/*.xlsx"))}

    def seed_bundled(self) -> list[str]:
        """Publish the bundled workbooks: on first start, and again when a bundled file changed.

        A rule set that a person has published to (any version not by the bundled-workbook author)
        is left alone: from then on its versions are policy staff's decisions, not the repository's."""
        published = []
        for ruleset, path in self.bundled_workbooks().items():
            content = path.read_bytes()
            stored = self.store.versions(ruleset)
            if any(v.author != BUNDLED_AUTHOR for v in stored):
                continue
            if any(v.hash == engine_hash(content) for v in stored):
                continue
            try:
                # the repository's newer copy of its own bundled workbook replaces the older one, dates and all
                self.publish(content, path.name, ruleset, None, BUNDLED_AUTHOR,
                             comment=f"Meegeleverd met Regelbank ({path.relative_to(self.spreadsheets.parent)})",
                             retroactive=True)
                published.append(ruleset)
            except (PublishRejected, AlreadyPublished, StoreError) as exc:
                log.warning("Meegeleverde werkmap %s niet gepubliceerd: %s", path, exc)
        return published

    # -- evaluation -----------------------------------------------------
    def evaluate(self, ruleset: str, inputs: dict, as_of: _dt.date | None = None, caller: str = "anoniem",
                 record: bool = True) -> dict:
        """Evaluate a case against the version in force on ``as_of``; logs it; returns the contract object."""
        as_of = as_of or _dt.date.today()
        version, rules = self.version_in_force(ruleset, as_of)
        listener = DecisionLog(self.store, caller, ruleset, version, as_of) if record else None
        result = rules.evaluate(inputs, listeners=[listener] if listener else ())
        answer = {
            "ruleset": ruleset,
            "version": version.hash,
            "valid_from": version.valid_from.isoformat(),
            "as_of": as_of.isoformat(),
            "outputs": jsonable(result.outputs),
            "fired": [{"table": f.table, "rule": f.rule, "annotation": f.annotation, "source": f.source}
                      for f in result.fired],
            "explanation": result.explanation,
            "decided": result.decided,
            **diagnostics_of(result),
        }
        if listener and listener.record:
            answer["decision_id"] = listener.record["decision_id"]
            if listener.receipt:
                answer["receipt"] = listener.receipt
        return answer

    def replay(self, decision_id: str) -> dict:
        """Re-evaluate a logged decision against the version it used; report whether it is identical."""
        logged = self.store.get_decision(decision_id)
        rules = self.cache.get(logged["version"], lambda: engine.load_bytes(self.store.content(logged["version"]),
                                                                           logged.get("ruleset", "")))
        result = rules.evaluate(logged["inputs"])
        now = {"outputs": jsonable(result.outputs), "fired": [f.as_dict() for f in result.fired]}
        then = {"outputs": jsonable(logged["outputs"]), "fired": logged["fired"]}
        same_outputs = _normalise(now["outputs"]) == _normalise(then["outputs"])
        same_fired = [(f["table"], f["rule"]) for f in now["fired"]] == [(f["table"], f["rule"]) for f in then["fired"]]
        return {"decision_id": decision_id, "ruleset": logged.get("ruleset"), "version": logged["version"],
                "identical": same_outputs and same_fired, "logged": then, "replayed": now,
                "message": ("Opnieuw uitgerekend met dezelfde versie: de uitkomst is identiek."
                            if same_outputs and same_fired else
                            "Opnieuw uitgerekend met dezelfde versie: de uitkomst WIJKT AF van wat is vastgelegd.")}

    # -- overview ---------------------------------------------------------
    def overview(self, as_of: _dt.date | None = None) -> list[dict]:
        as_of = as_of or _dt.date.today()
        rows = []
        for ruleset in sorted(self.store.rulesets()):
            try:
                version = self.store.version_in_force(ruleset, as_of)
            except (NoVersionInForce, NotFound):
                version = None
            versions = self.store.versions(ruleset)
            shown = version or (versions[0] if versions else None)
            meta = (shown.metadata if shown else {}) or {}
            gemeente, name = ruleset.split("/", 1)
            rows.append({"ruleset": ruleset, "gemeente": gemeente, "name": name, "title": meta.get("title") or name,
                         "version": version.hash if version else None,
                         "valid_from": version.valid_from.isoformat() if version else None,
                         "source_document": meta.get("source_document"), "versions": len(versions),
                         "in_force": version is not None})
        return rows


def engine_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _normalise(value):
    """Numbers compare by value whatever their JSON form (3150 == 3150.0 == Decimal('3150'))."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    return value


def open_service(database_url: str, spreadsheets: Path | None, seed: bool = True,
                 instance: Path | None = None) -> Regelbank:
    """The service over a migrated store whose decision log is signed with the instance's key."""
    from store.signing import LogSigner

    from . import config
    store = Store(database_url, signer=LogSigner.for_instance(instance or config.instance_path()))
    store.migrate()
    service = Regelbank(store, spreadsheets)
    if seed:
        service.seed_bundled()
    return service
