"""Publishing never rewrites history by accident (issue 10 items 4 and 9).

A valid-from date before today, or one an existing version already has, changes answers that
were given before; it needs an explicit confirmation on every path (service, API, console,
pages), and the confirmed effect is kept with the version.
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import subprocess
import sys

import pytest

from regelbank.service import AlreadyPublished, NeedsConfirmation

from .conftest import workbook
from .test_versions import CASE, changed_autoaanpassing

AUTO = "kampen/autoaanpassing"
TODAY = _dt.date.today()


def test_a_past_date_needs_confirmation_that_names_the_period(service):
    before = service.store.versions(AUTO)
    with pytest.raises(NeedsConfirmation) as info:
        service.publish(changed_autoaanpassing(65), "auto.xlsx", AUTO, _dt.date(2020, 1, 1), "beleid")
    message = str(info.value)
    yesterday = (TODAY - _dt.timedelta(days=1)).strftime("%d-%m-%Y")
    assert f"van 01-01-2020 t/m {yesterday}" in message and before[0].short in message
    assert service.store.versions(AUTO) == before, "nothing is stored without confirmation"
    version = service.publish(changed_autoaanpassing(65), "auto.xlsx", AUTO, _dt.date(2020, 1, 1), "beleid",
                              retroactive=True)
    recorded = version.metadata["retroactive"]
    assert recorded["first_day"] == "2020-01-01" and recorded["confirmed_by"] == "beleid"
    assert recorded["replaces"] == [before[0].hash]
    assert service.evaluate(AUTO, CASE, _dt.date(2021, 6, 1), record=False)["outputs"]["VergoedingsPercentage"] == 65


def test_the_same_date_as_an_existing_version_needs_confirmation_even_in_the_future(service):
    future = TODAY + _dt.timedelta(days=30)
    service.publish(changed_autoaanpassing(65), "a.xlsx", AUTO, future, "beleid")
    with pytest.raises(NeedsConfirmation, match="vervangt die"):
        service.publish(changed_autoaanpassing(70), "b.xlsx", AUTO, future, "beleid")


def test_a_future_date_or_a_first_version_needs_no_confirmation(service):
    service.publish(changed_autoaanpassing(65), "a.xlsx", AUTO, TODAY + _dt.timedelta(days=1), "beleid")
    from .workbooks import make_workbook
    first = service.publish(make_workbook(), "nieuw.xlsx", "test/voorbeeld", _dt.date(2019, 1, 1), "beleid")
    assert "retroactive" not in first.metadata, "no answer existed for those dates"


def test_api_requires_the_retroactive_field(client, token):
    headers = token("editor")
    data = {"file": (io.BytesIO(changed_autoaanpassing(65)), "auto.xlsx"), "valid_from": "2020-01-01"}
    refused = client.post(f"/api/v1/rulesets/{AUTO}/versions", headers=headers, data=data,
                          content_type="multipart/form-data")
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "retroactive-confirmation-required" and error["retroactive"]["first_day"] == "2020-01-01"
    data = {"file": (io.BytesIO(changed_autoaanpassing(65)), "auto.xlsx"), "valid_from": "2020-01-01",
            "retroactive": "true"}
    done = client.post(f"/api/v1/rulesets/{AUTO}/versions", headers=headers, data=data,
                       content_type="multipart/form-data")
    assert done.status_code == 201
    assert done.get_json()["version"]["metadata"]["retroactive"]["confirmed_by"]
    listed = client.get(f"/api/v1/rulesets/{AUTO}/versions", headers=headers).get_json()["versions"]
    assert any(v["metadata"].get("retroactive") for v in listed), "the version history records it"


def test_console_requires_the_retroactive_flag(cli_env, tmp_path):
    path = tmp_path / "auto.xlsx"
    path.write_bytes(changed_autoaanpassing(65))
    command = [sys.executable, "-m", "regelbank.cli", "publish", str(path), "--ruleset", AUTO,
               "--valid-from", "2020-01-01", "--author", "beleid"]
    made = subprocess.run([sys.executable, "-m", "regelbank.cli", "user", "create", "--username", "beleid", "--role",
                           "editor", "--password", "Regelbank-proef-2026"], env=cli_env, capture_output=True,
                          text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    refused = subprocess.run(command, env=cli_env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "--retroactive" in refused.stderr and "01-01-2020" in refused.stderr
    done = subprocess.run(command + ["--retroactive"], env=cli_env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_publish_form_never_prefills_a_past_date_and_asks_to_confirm(client, service):
    service.store.create_user("redacteur", "geheim", "editor")
    client.post("/inloggen", data={"gebruikersnaam": "redacteur", "wachtwoord": "geheim"})
    uploaded = client.post(f"/regelsets/{AUTO}/uploaden", data={"file": (io.BytesIO(changed_autoaanpassing(65)),
                                                                            "auto.xlsx")},
                           content_type="multipart/form-data")
    draft_url = uploaded.headers["Location"]
    page = client.get(draft_url).get_data(as_text=True)
    assert re.search(r'id="geldig_vanaf" name="geldig_vanaf" value=""', page), "the Metadata date 2015 is not offered"
    form = {"geldig_vanaf": "2020-01-01", "toelichting": "Raadsbesluit"}
    asked = client.post(draft_url + "/publiceren", data=form)
    assert asked.status_code == 409
    html = asked.get_data(as_text=True)
    assert 'name="terugwerkend"' in html and "van 01-01-2020 t/m" in html
    assert len(service.store.versions(AUTO)) == 1
    done = client.post(draft_url + "/publiceren", data={**form, "terugwerkend": "ja"})
    assert done.status_code == 302
    assert len(service.store.versions(AUTO)) == 2


def test_republishing_a_withdrawn_version_is_refused_and_an_active_one_is_not_created_again(client, token, service):
    headers = token("editor")
    content = workbook(AUTO).read_bytes()
    again = client.post(f"/api/v1/rulesets/{AUTO}/versions", headers=headers, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(content), "auto.xlsx")})
    assert again.status_code == 200, "the same bytes: the existing version, nothing created"
    changed = changed_autoaanpassing(65)
    new = service.publish(changed, "auto.xlsx", AUTO, TODAY + _dt.timedelta(days=3), "beleid")
    service.store.withdraw(AUTO, new.hash, "beleid", "fout in tabel")
    with pytest.raises(AlreadyPublished, match="ingetrokken"):
        service.publish(changed, "auto.xlsx", AUTO, TODAY + _dt.timedelta(days=3), "beleid")
    refused = client.post(f"/api/v1/rulesets/{AUTO}/versions", headers=headers, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(changed), "auto.xlsx"),
                                "valid_from": (TODAY + _dt.timedelta(days=3)).isoformat()})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "version-withdrawn"


def test_the_bearer_scheme_is_case_insensitive(client, token):
    plain = token()["Authorization"].split(" ", 1)[1]
    for scheme in ("bearer", "BEARER", "Bearer"):
        response = client.post(f"/api/v1/rulesets/{AUTO}/evaluate", json={"inputs": CASE},
                               headers={"Authorization": f"{scheme} {plain}"})
        assert response.status_code == 200, scheme


def test_impact_on_a_pending_version_is_for_editors_only(client, token, service):
    service.store.set_four_eyes("kampen", True)
    pending = service.publish(changed_autoaanpassing(65), "auto.xlsx", AUTO, TODAY + _dt.timedelta(days=5), "beleid")
    assert pending.status == "pending"
    active = service.store.versions(AUTO)[-1].hash
    url = f"/api/v1/rulesets/{AUTO}/impact?from={active}&to={pending.hash}"
    assert client.get(url, headers=token("auditor")).status_code == 403
    assert client.get(url, headers=token("editor")).status_code == 200
