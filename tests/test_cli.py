"""The `regelbank` console, run as a user runs it: a subprocess against a temporary instance folder."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import workbook

REGELBANK = str(Path(sys.executable).parent / "regelbank")
CASE = '{"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150}'


def run(env, *args, input_text=None):
    return subprocess.run([REGELBANK, *args], env=env, capture_output=True, text=True, timeout=120, input=input_text)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    import os
    env = dict(os.environ)
    env["REGELBANK_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("cli") / "instance")
    env.pop("REGELBANK_DATABASE_URL", None)
    return env


def test_evaluate_prints_the_contract_object(env):
    done = run(env, "evaluate", "kampen/autoaanpassing", "--input", CASE)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["ruleset"] == "kampen/autoaanpassing"
    assert len(answer["version"]) == 64
    assert answer["outputs"]["VergoedingsPercentage"] == 60
    assert answer["outputs"]["Vergoeding"] == 3150
    assert answer["outputs"]["Toegekend"] is True
    assert answer["fired"] and {"table", "rule", "annotation"} <= set(answer["fired"][0])
    assert "Beleidsregels Wmo Kampen 2015" in answer["explanation"]
    import hashlib
    assert answer["version"] == hashlib.sha256(workbook("kampen/autoaanpassing").read_bytes()).hexdigest()


def test_evaluate_bad_input_exits_non_zero_with_the_input_named(env):
    done = run(env, "evaluate", "kampen/autoaanpassing", "--input", '{"AutoJaar": "vijf", "Aanpassingskosten": 1}')
    assert done.returncode == 2
    assert "AutoJaar" in done.stderr and "getal" in done.stderr
    assert done.stdout == ""


def test_evaluate_unknown_input_lists_the_known_ones(env):
    done = run(env, "evaluate", "kampen/dagbesteding", "--input", '{"Doelgroep": "VG", "Groepsgrootte": 5, "Kleur": 1}')
    assert done.returncode == 2
    assert "Kleur" in done.stderr and "Groepsgrootte" in done.stderr


def test_evaluate_unknown_ruleset(env):
    done = run(env, "evaluate", "kampen/bestaat-niet", "--input", "{}")
    assert done.returncode != 0
    assert "kampen/bestaat-niet" in done.stderr and "kampen/autoaanpassing" in done.stderr


def test_evaluate_invalid_json(env):
    done = run(env, "evaluate", "kampen/autoaanpassing", "--input", "{AutoJaar: 5}")
    assert done.returncode == 2 and "geen geldige JSON" in done.stderr


def test_validate_reports_findings_with_sheet_and_cell(tmp_path, simple_workbook, env):
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(simple_workbook(rows=[("R-1", ">>5", '"a"'), ("R-2", ">= 5", '"b"')]))
    done = run(env, "validate", str(broken))
    assert done.returncode == 1
    assert "Tabel!B3" in done.stdout and "R-1" in done.stdout
    good = run(env, "validate", str(workbook("kampen/autoaanpassing")))
    assert good.returncode == 0, good.stdout


def test_every_command_has_help(env):
    for command in (["--help"], ["evaluate", "--help"], ["validate", "--help"], ["serve", "--help"],
                    ["publish", "--help"], ["token", "create", "--help"], ["audit", "verify", "--help"]):
        done = run(env, *command)
        assert done.returncode == 0 and "Usage" in done.stdout, command
