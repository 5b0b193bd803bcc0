"""The rule-set lifecycle on the pages: a new rule set by upload, four-eyes per gemeente, and the
"te beoordelen" list where editors approve each other's versions (never their own)."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from store import Conflict, StoreError

from . import views_data as vd
from .auth import login_required, session_principal
from .db import get_service
from .uploads import UploadRefused, read_upload

bp = Blueprint("lifecycle", __name__)
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def _slug(text: str) -> str:
    """'Midden-Holland' -> 'midden-holland', 'Hulp bij het huishouden' -> 'hulp-bij-het-huishouden'."""
    text = (text or "").strip().lower()
    for a, b in (("é", "e"), ("ë", "e"), ("ï", "i"), ("ö", "o"), ("ü", "u"), ("á", "a"), ("è", "e")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9._-]+", "-", text).strip("-")


def gemeenten() -> list[str]:
    return sorted({r.split("/", 1)[0] for r in get_service().store.rulesets()})


@bp.route("/regelsets/nieuw", methods=["GET", "POST"])
@login_required("publish")
def new_ruleset():
    service = get_service()
    form = {"gemeente": (request.values.get("gemeente") or "").strip(),
            "naam": (request.values.get("naam") or "").strip(), "titel": (request.form.get("titel") or "").strip()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        gemeente, naam = _slug(form["gemeente"]), _slug(form["naam"])
        if not gemeente or not SLUG.match(gemeente):
            errors["gemeente"] = "Vul de gemeente in, bijvoorbeeld kampen of midden-holland."
        if not naam or not SLUG.match(naam):
            errors["naam"] = "Vul een korte naam in (kleine letters, cijfers en '-'), bijvoorbeeld hulpmiddelen."
        if not form["titel"]:
            errors["titel"] = "Vul een titel in zoals een consulent hem leest, bijvoorbeeld 'Rolstoelvoorziening'."
        if not errors and service.store.versions(f"{gemeente}/{naam}"):
            errors["naam"] = (f"De regelset {gemeente}/{naam} bestaat al. Upload een nieuwe versie via de "
                              "versiegeschiedenis van die regelset.")
        content = filename = None
        if not errors:
            try:
                content, filename = read_upload(request)
            except UploadRefused as exc:
                errors["file"] = str(exc)
        if not errors:
            name = f"{gemeente}/{naam}"
            report = vd.draft_report(service, name, content, filename)
            digest = vd.save_draft(current_app.instance_path, name, content, filename, session_principal().name,
                                   report, extra={"new_ruleset": True, "title": form["titel"]})
            return redirect(url_for("pages.draft", gemeente=gemeente, naam=naam, digest=digest))
    return render_template("new_ruleset.html", form=form, errors=errors, gemeenten=gemeenten()), \
        (400 if errors else 200)


def _pending() -> list[dict]:
    store = get_service().store
    items = []
    for ruleset in store.rulesets():
        versions = store.versions(ruleset)
        active = next((v.hash for v in versions if v.status == "active"), None)
        for v in versions:
            if v.status == "pending":
                items.append({**v.to_dict(), "title": (v.metadata or {}).get("title") or ruleset, "in_force": active})
    return sorted(items, key=lambda v: v["published_at"])


@bp.get("/te-beoordelen")
@login_required("publish")
def review():
    me = session_principal().name
    items = _pending()
    for item in items:
        item["own"] = item["author"].strip().casefold() == me.strip().casefold()
    return render_template("review.html", items=items)


@bp.route("/gemeenten", methods=["GET", "POST"])
@login_required("publish")
def four_eyes():
    store = get_service().store
    if request.method == "POST":
        gemeente = (request.form.get("gemeente") or "").strip()
        enabled = request.form.get("vier_ogen") == "aan"
        try:
            store.set_four_eyes(gemeente, enabled)
        except StoreError as exc:
            flash(str(exc), "fout")
        else:
            flash(f"Vier-ogenprincipe voor {vd.gemeente_name(gemeente)} staat nu "
                  f"{'aan: een nieuwe versie wacht op goedkeuring door een andere redacteur' if enabled else 'uit'}.",
                  "ok")
        return redirect(url_for("lifecycle.four_eyes"))
    rows = [{"gemeente": g, "four_eyes": store.four_eyes(g),
             "rulesets": sum(r.startswith(g + "/") for r in store.rulesets())} for g in gemeenten()]
    return render_template("gemeenten.html", rows=rows)


def pending_count() -> int:
    try:
        return len(_pending())
    except (Conflict, StoreError):
        return 0
