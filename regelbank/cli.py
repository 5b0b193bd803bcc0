"""The `regelbank` console: every operation a user needs, CLI-first (as Datasette does).

Output meant for programs is one JSON object on stdout; messages for people go to stderr in Dutch.
Exit status: 0 success, 1 the rules or workbook refuse (findings, no version in force), 2 bad usage
or bad input.
"""
from __future__ import annotations

import datetime as _dt
import getpass
import sys
from pathlib import Path

import click

import engine
from engine.findings import has_errors
from store import Conflict, NoVersionInForce, NotFound, StoreError

from . import config
from .jsonout import dumps, loads, read_object

EXIT_REFUSED, EXIT_BAD_INPUT = 1, 2


def _service(seed: bool = True):
    from .service import open_service
    service = open_service(config.database_url(), config.spreadsheets_dir(), seed=seed)
    config.secure_sqlite(config.database_url())
    return service


def _fail(message: str, code: int = EXIT_BAD_INPUT):
    click.echo(f"Fout: {message}", err=True)
    sys.exit(code)


def _date(value: str | None, option: str):
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} moet een datum zijn in de vorm JJJJ-MM-DD, niet '{value}'.")


def _editor(store, name: str | None, option: str, always: bool = False) -> str:
    """The editor a console action is recorded under: an existing, enabled user with the editor role.

    Four-eyes compares people, so ``approve`` always needs a real user. Publishing and withdrawing
    fall back to the login name only on an installation without any users yet."""
    if name is None and not always and not store.list_users():
        return getpass.getuser()
    name = name or getpass.getuser()
    user = store.get_user(name)
    if user is None:
        _fail(f"{option} {name}: er is geen gebruiker met die naam. Maak de gebruiker aan met "
              f"'regelbank user create' of geef een bestaande redacteur op met {option}.", EXIT_REFUSED)
    if not user.active:
        _fail(f"{option} {name}: deze gebruiker is uitgeschakeld.", EXIT_REFUSED)
    if user.role != "editor":
        _fail(f"{option} {name}: deze gebruiker heeft de rol {user.role}; alleen een redacteur (editor) mag dit.",
              EXIT_REFUSED)
    return user.username


def _print_json(obj):
    click.echo(dumps(obj, indent=2))


def _print_findings(findings, stream_err=True):
    for f in findings:
        click.echo(f"  {f}", err=stream_err)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(engine.ENGINE_VERSION, prog_name="regelbank")
def main():
    """Regelbank: beslistabellen voor Wmo-beleid, uit Excel, met versies en een auditspoor.

    Evaluate cases, validate and publish workbooks, inspect versions and the decision log.
    The database is SQLite in the instance folder unless REGELBANK_DATABASE_URL is set.
    """


# ---------------------------------------------------------------- evaluate / validate

@main.command()
@click.argument("ruleset")
@click.option("--input", "input_json", required=True, metavar="JSON",
              help="The case as a JSON object, e.g. '{\"AutoJaar\": 5}'; or @file.json.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Peildatum: use the version in force then (default today).")
def evaluate(ruleset, input_json, as_of):
    """Evaluate a case against RULESET (gemeente/naam) and print the decision as JSON."""
    if input_json.startswith("@"):
        try:
            input_json = Path(input_json[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            _fail(f"kan {input_json[1:]} niet lezen: {exc.strerror}.")
    try:
        inputs = read_object(input_json, "--input moet een JSON-object zijn, bijvoorbeeld '{\"AutoJaar\": 5}'.")
    except ValueError as exc:
        _fail(str(exc))
    service = _service()
    try:
        answer = service.evaluate(ruleset, inputs, _date(as_of, "--as-of"), caller=f"console:{getpass.getuser()}")
    except engine.InputError as exc:
        for problem in exc.problems:
            click.echo(f"Fout: {problem['message']}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except (NotFound, StoreError) as exc:
        known = ", ".join(sorted(service.store.rulesets()))
        _fail(f"{exc} Bekende regelsets: {known}." if isinstance(exc, NotFound) else str(exc), EXIT_BAD_INPUT)
    except NoVersionInForce as exc:
        _fail(str(exc), EXIT_REFUSED)
    except engine.EvaluationError as exc:
        _fail(str(exc), EXIT_REFUSED)
    _print_json(answer)


@main.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def validate(workbook, as_json):
    """Check WORKBOOK (.xlsx or .dmn): structure, every cell, overlaps and gaps, and its examples."""
    path = Path(workbook)
    from engine.dmn import directory_resolver    # a DMN model's imports: the .dmn files beside it
    findings = engine.validate(path.read_bytes(), path.name, directory_resolver(path.parent))
    if as_json:
        _print_json({"file": path.name, "valid": not has_errors(findings), "findings": [f.as_dict() for f in findings]})
    else:
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        for f in findings:
            click.echo(str(f))
        verdict = "ongeldig: niet publiceerbaar" if errors else "geldig"
        click.echo(f"{path.name}: {verdict} ({errors} fout(en), {warnings} waarschuwing(en)).")
    sys.exit(EXIT_REFUSED if has_errors(findings) else 0)


# ---------------------------------------------------------------- versions

@main.command()
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False))
@click.option("--ruleset", required=True, metavar="GEMEENTE/NAAM", help="The rule set this workbook is a version of.")
@click.option("--valid-from", "valid_from", metavar="YYYY-MM-DD", help="Date of entry into force (default: Metadata sheet).")
@click.option("--comment", default="", help="What changed and why.")
@click.option("--author", default=None, help="Who publishes (default: your user name).")
@click.option("--council-decision", default=None, help="The council or college decision this version implements.")
@click.option("--retroactive", is_flag=True,
              help="Confirm a valid-from date before today (or one an existing version has): past answers change.")
def publish(workbook, ruleset, valid_from, comment, author, council_decision, retroactive):
    """Validate WORKBOOK and store it as a new version of a rule set (nothing is stored on any finding)."""
    from .service import AlreadyPublished, NeedsConfirmation, PublishRejected
    path = Path(workbook)
    service = _service()
    try:
        known = {v.hash for v in service.store.versions(ruleset)}
        version = service.publish(path.read_bytes(), path.name, ruleset, _date(valid_from, "--valid-from"),
                                  _editor(service.store, author, "--author"), comment, council_decision,
                                  retroactive=retroactive)
    except PublishRejected as exc:
        click.echo(f"Niet gepubliceerd: {path.name} bevat fouten. Er is niets opgeslagen.", err=True)
        _print_findings([f for f in exc.findings if f.severity == "error"])
        sys.exit(EXIT_REFUSED)
    except NeedsConfirmation as exc:
        _fail(f"Niet gepubliceerd. {exc} Bevestig met --retroactive.", EXIT_REFUSED)
    except AlreadyPublished as exc:
        _fail(f"Niet gepubliceerd. {exc}", EXIT_REFUSED)
    except StoreError as exc:
        _fail(str(exc))
    _print_json(version.to_dict() | {"metadata": None})
    state = "wacht op goedkeuring door een tweede redacteur" if version.status == "pending" else "gepubliceerd"
    if version.hash in known:   # the same bytes: nothing new stored, also not a new valid-from date
        state = f"was al {state}; er is niets nieuws opgeslagen"
    click.echo(f"{ruleset} versie {version.short} geldig vanaf {version.valid_from.isoformat()}: {state}.", err=True)


@main.command()
@click.argument("ruleset", required=False)
def versions(ruleset):
    """List rule sets, or the versions of RULESET."""
    service = _service()
    if not ruleset:
        _print_json(service.overview())
        return
    try:
        _print_json([v.to_dict() for v in service.store.versions(ruleset)])
    except (NotFound, StoreError) as exc:
        _fail(str(exc))


@main.command()
@click.argument("ruleset")
@click.argument("version")
@click.option("--reason", required=True, help="Why the version is withdrawn.")
@click.option("--by", default=None, help="Who withdraws (default: your user name).")
def withdraw(ruleset, version, reason, by):
    """Withdraw VERSION of RULESET (recorded; nothing is deleted)."""
    try:
        store = _service().store
        v = store.withdraw(ruleset, version, _editor(store, by, "--by"), reason)
    except (NotFound, Conflict, StoreError) as exc:
        _fail(str(exc), EXIT_REFUSED)
    _print_json(v.to_dict())


@main.command()
@click.argument("ruleset")
@click.argument("version")
@click.option("--by", default=None, help="The approving editor (must differ from the publisher).")
def approve(ruleset, version, by):
    """Approve a pending VERSION of RULESET (four-eyes publishing)."""
    try:
        store = _service().store
        v = store.approve(ruleset, version, _editor(store, by, "--by", always=True))
    except (NotFound, Conflict, StoreError) as exc:
        _fail(str(exc), EXIT_REFUSED)
    _print_json(v.to_dict())


@main.command("four-eyes")
@click.argument("gemeente")
@click.argument("state", type=click.Choice(["aan", "uit", "on", "off"]))
def four_eyes(gemeente, state):
    """Turn four-eyes publishing on or off for GEMEENTE."""
    _service().store.set_four_eyes(gemeente, state in ("aan", "on"))
    click.echo(f"Vier-ogen-publicatie voor {gemeente}: {'aan' if state in ('aan', 'on') else 'uit'}.")


@main.command()
@click.argument("ruleset")
@click.option("--from", "from_version", required=True, help="Old version (hash or prefix).")
@click.option("--to", "to_version", required=True, help="New version (hash or prefix).")
def diff(ruleset, from_version, to_version):
    """Rows added, removed and changed between two versions of RULESET, cell by cell."""
    from .diff import diff_versions
    try:
        _print_json(diff_versions(_service(), ruleset, from_version, to_version))
    except (NotFound, StoreError) as exc:
        _fail(str(exc))


@main.command()
@click.argument("ruleset_a")
@click.argument("ruleset_b")
@click.option("--cases", required=True, type=click.Path(exists=True, dir_okay=False),
              help="CSV or xlsx: a header row of input names, one case per row.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Peildatum for both rule sets (default today).")
@click.option("--all", "show_all", is_flag=True, help="List every case, not only those that differ.")
def compare(ruleset_a, ruleset_b, cases, as_of, show_all):
    """Evaluate the same cases against two rule sets (e.g. two gemeenten) and list where they differ."""
    from .cases import CasesFileError, read_cases_file
    from .compare import compare as run_compare
    try:
        _, rows = read_cases_file(cases)
        report = run_compare(_service(), ruleset_a, ruleset_b, rows, _date(as_of, "--as-of"))
    except (CasesFileError, NotFound, StoreError) as exc:
        _fail(str(exc))
    except NoVersionInForce as exc:
        _fail(str(exc), EXIT_REFUSED)
    if not show_all:
        report["rows"] = [row for row in report["rows"] if row["differs"]]
    _print_json(report)
    click.echo(report["summary"], err=True)


# ---------------------------------------------------------------- audit

@main.group()
def audit():
    """Inspect and verify the decision log."""


@audit.command("verify")
def audit_verify():
    """Check that no logged decision was changed, deleted or inserted out of order, and that every
    record is covered by a valid signature of the log head (truncation, rewriting, re-chaining)."""
    result = _service(seed=False).store.verify_log()
    _print_json(result.to_dict())
    sys.exit(0 if result.ok else EXIT_REFUSED)


@audit.command("verify-receipt")
@click.argument("receipt", type=click.File("r"))
def audit_verify_receipt(receipt):
    """Check a receipt from an evaluate answer (a JSON file, or - for stdin; the whole answer is fine):
    its signature, and that the log still holds the decision unchanged under the signed head."""
    try:
        data = loads(receipt.read())
    except ValueError:
        _fail("Het ontvangstbewijs is geen geldige JSON.")
    if isinstance(data, dict) and isinstance(data.get("receipt"), dict):
        data = data["receipt"]
    report = _service(seed=False).store.verify_receipt(data)
    _print_json(report)
    sys.exit(0 if report["ok"] else EXIT_REFUSED)


@audit.command("sign-head")
def audit_sign_head():
    """Sign the current log head once after upgrading a log that was written without a signing key."""
    signed = _service(seed=False).store.sign_head()
    click.echo("De kop was al ondertekend." if signed is None else f"Kop #{signed['seq']} ondertekend.")


@audit.command("rotate-key")
def audit_rotate_key():
    """Start signing with a new key; the old public key stays trusted for older signatures."""
    from store.signing import SigningKeyError, rotate_key
    try:
        old, new = rotate_key(config.instance_path())
    except SigningKeyError as exc:
        _fail(str(exc))
    click.echo(f"Nieuwe ondertekeningssleutel {new} in gebruik; de oude ({old}) blijft vertrouwd voor oudere "
               "handtekeningen. Herstart de app-servers.")


@audit.command("public-key")
def audit_public_key():
    """Print the public key(s) that verify the log's signatures (give a copy to your auditor)."""
    from store.signing import PUBLIC_KEYS_FILE, LogSigner
    LogSigner.for_instance(config.instance_path())
    click.echo((config.instance_path() / PUBLIC_KEYS_FILE).read_text().rstrip())


@audit.command("replay")
@click.argument("decision_id")
def audit_replay(decision_id):
    """Re-evaluate a logged decision against its version and report whether the result is identical."""
    try:
        report = _service(seed=False).replay(decision_id)
    except NotFound as exc:
        _fail(str(exc))
    _print_json(report)
    sys.exit(0 if report["identical"] else EXIT_REFUSED)


@audit.command("show")
@click.argument("decision_id")
def audit_show(decision_id):
    """Print one logged decision with its trace."""
    try:
        _print_json(_service(seed=False).store.get_decision(decision_id))
    except NotFound as exc:
        _fail(str(exc))


# ---------------------------------------------------------------- tokens, users, serving

@main.group()
def token():
    """API tokens (stored hashed)."""


@token.command("create")
@click.option("--role", required=True, type=click.Choice(["editor", "auditor", "evaluator"]))
@click.option("--name", required=True, help="What uses the token (a program, a case system).")
@click.option("--user", "owner", required=True,
              help="The person responsible for the token; it acts as this user (four-eyes, disabling).")
def token_create(role, name, owner):
    """Create a bearer token for USER and print it (it is shown only once)."""
    try:
        click.echo(_service(seed=False).store.create_token(role=role, name=name, user=owner))
    except (Conflict, NotFound, StoreError) as exc:
        _fail(str(exc))


@token.command("disable")
@click.argument("name")
def token_disable(name):
    """Disable the token called NAME at once (it can be re-enabled; `revoke` is final)."""
    _set_state(lambda s: s.set_token_disabled(name, True), f"Token '{name}' uitgeschakeld.")


@token.command("enable")
@click.argument("name")
def token_enable(name):
    """Re-enable a disabled token."""
    _set_state(lambda s: s.set_token_disabled(name, False), f"Token '{name}' weer ingeschakeld.")


def _set_state(action, message: str):
    try:
        action(_service(seed=False).store)
    except (NotFound, StoreError) as exc:
        _fail(str(exc))
    click.echo(message)


@token.command("list")
def token_list():
    """List tokens (names and roles, never the tokens themselves)."""
    _print_json([t.to_dict() for t in _service(seed=False).store.list_tokens()])


@token.command("revoke")
@click.argument("name")
def token_revoke(name):
    """Revoke the token called NAME."""
    try:
        _service(seed=False).store.revoke_token(name)
    except NotFound as exc:
        _fail(str(exc))
    click.echo(f"Token '{name}' ingetrokken.")


@main.group()
def user():
    """People who log in to the web pages."""


@user.command("create")
@click.option("--username", required=True)
@click.option("--role", required=True, type=click.Choice(["editor", "auditor", "evaluator"]))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def user_create(username, role, password):
    """Create a user who can log in to the web pages."""
    try:
        _service(seed=False).store.create_user(username, password, role, enforce_policy=True)
    except (Conflict, StoreError) as exc:
        _fail(str(exc))
    click.echo(f"Gebruiker '{username}' aangemaakt met rol {role}.")


@user.command("password")
@click.argument("username")
@click.option("--password", prompt="Nieuw wachtwoord", hide_input=True, confirmation_prompt=True)
def user_password(username, password):
    """Set a new password for USERNAME (at least 12 characters, not a common one); their sessions end."""
    _set_state(lambda s: s.set_password(username, password),
               f"Wachtwoord van '{username}' gewijzigd; de sessies van deze gebruiker zijn beëindigd.")


@user.command("disable")
@click.argument("username")
def user_disable(username):
    """Disable USERNAME at once: sessions end, login and the user's tokens stop working."""
    _set_state(lambda s: s.set_user_disabled(username, True),
               f"Gebruiker '{username}' uitgeschakeld; sessies en tokens werken niet meer.")


@user.command("enable")
@click.argument("username")
def user_enable(username):
    """Re-enable a disabled user (their tokens work again unless disabled or revoked themselves)."""
    _set_state(lambda s: s.set_user_disabled(username, False), f"Gebruiker '{username}' weer ingeschakeld.")


@user.command("list")
def user_list():
    """List users (never their passwords)."""
    _print_json([u.to_dict() for u in _service(seed=False).store.list_users()])


@main.command("init-db")
def init_db():
    """Create or upgrade the database and publish the bundled workbooks (first start)."""
    from .service import open_service
    service = open_service(config.database_url(), config.spreadsheets_dir(), seed=False)
    published = service.seed_bundled()
    click.echo(f"Database klaar ({config.database_url()}); {len(published)} meegeleverde regelset(s) gepubliceerd.")


@main.command()
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--workers", default=None, type=int,
              help="gunicorn worker processes [default: 1 on SQLite, 2 on PostgreSQL].")
@click.option("--threads", default=None, type=int, help="Threads per worker [default: 16 on SQLite, 8 on PostgreSQL]: "
              "threads waiting for the disk share one commit, so more threads make larger commit batches.")
@click.option("--dev", is_flag=True, help="Flask's development server (auto-reload) instead of gunicorn.")
def serve(port, host, workers, threads, dev):
    """Serve the web app and JSON API (gunicorn; on 127.0.0.1 unless --host says otherwise).

    Decisions are logged by group commit: the threads of a worker that wait for the disk share one
    transaction. SQLite has one writer at a time: one process with many threads makes the largest
    batches (workers would queue on a file lock, store/locks.py); PostgreSQL gets two processes
    (see docs/performance.md)."""
    from web import create_app

    from .firstrun import banner, has_users
    service = _service(seed=False)  # migrate and publish the bundled workbooks once, before workers start
    published = service.seed_bundled()
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    click.echo(banner(f"http://{shown_host}:{port}/", len(service.store.rulesets()), published,
                      has_users(service.store)), err=True)
    if dev:
        create_app().run(host=host, port=port, debug=True)
        return
    from .serving import run_gunicorn
    sqlite = config.database_url().startswith("sqlite")
    run_gunicorn(host, port, workers or (1 if sqlite else 2), threads or (16 if sqlite else 8))


@main.command("log-writer", hidden=True)
@click.option("--socket", "path", required=True, help="Unix socket to listen on.")
@click.option("--parent", type=int, required=True, help="Stop when this process (the server's master) is gone.")
def log_writer(path, parent):
    """(internal) The decision-log writer process that `regelbank serve` starts (store/log_process.py)."""
    import signal

    from store.log_process import serve as serve_log
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C reaches the whole group; the master stops us
    serve_log(_service(seed=False).store, path, parent)


def _register_commands():
    """Commands that live in their own modules, next to their logic."""
    from .batch import batch
    from .export import export
    from .impact import impact
    from .tck import tck
    for command in (batch, impact, export, tck):
        main.add_command(command)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
