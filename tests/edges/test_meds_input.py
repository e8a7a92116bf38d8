"""Issue 14, "No 500 from any input", for the medicines API: its request bodies follow the same
input rules as every other app's (docs/api.md "Input rules"): text without NUL or other control
characters, dates within the years 1900–2100, a number is a JSON number, unknown fields refused.
Each bad input is a 422 naming the field, and nothing is stored (SQLite here; PostgreSQL with
DATABASE_URL set, where a NUL would otherwise reach the database and fail there)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from painmind.meds.models import DoseLog, Regimen, RegimenChange, SideEffect

# A regimen every check accepts (oxycodone 10 mg twice a day for pain).
OXY = {
    "name": "Oxycodone",
    "dose": 10,
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 2,
    "reason": "pain",
}


def send(client: Any, url: str, headers: dict[str, str], body: Any, method: str = "post") -> Any:
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "Oxy\x00codone"}, "name"),
        ({"notes": "fine\x07"}, "notes"),
        ({"prescriber_name": "Dr\x1bX"}, "prescriber_name"),
        ({"started_on": "9999-01-01"}, "started_on"),
        ({"started_on": "0001-01-01"}, "started_on"),
        ({"stopped_on": "9999-12-31"}, "stopped_on"),
        ({"dose": True}, "dose"),
        ({"dose": "10"}, "dose"),
        ({"strength": False, "strength_unit": "mg"}, "strength"),
        ({"times_per_day": True}, "times_per_day"),
        ({"prescriber": True}, "prescriber"),
        ({"dosage": 10}, "dosage"),  # a misspelt field
    ],
)
def test_bad_regimen_input_is_refused_with_the_field_named(client, pat, cara, token_for, change, field):
    for who, url in ((pat, "/api/v1/meds/regimens"), (cara, f"/api/v1/patients/{pat.pk}/meds/regimens")):
        r = send(client, url, token_for(who), {**OXY, **change})
        assert r.status_code == 422, r.content
        assert fields(r) == {field}
    assert Regimen.objects.count() == 0
    assert RegimenChange.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "\x00"}, "name"),
        ({"started_on": "9999-01-01"}, "started_on"),
        ({"dose": True}, "dose"),
        ({"every_hours": "8"}, "every_hours"),
        ({"stoped_on": "2024-01-01"}, "stoped_on"),
    ],
)
def test_bad_regimen_change_is_refused_and_changes_nothing(client, pat, token_for, change, field):
    h = token_for(pat)
    created = send(client, "/api/v1/meds/regimens", h, OXY).json()
    r = send(client, f"/api/v1/meds/regimens/{created['id']}", h, change, method="patch")
    assert r.status_code == 422, r.content
    assert fields(r) == {field}
    regimen = Regimen.objects.get()
    assert (regimen.name, regimen.dose, regimen.started_on.isoformat()) == (
        "Oxycodone",
        Decimal(10),
        created["started_on"],
    )
    assert RegimenChange.objects.count() == 1  # the creation only


@pytest.mark.parametrize("body", [{"stopped_on": "9999-12-31"}, {"stopped_on": "1899-12-31"}, []])
def test_bad_stop_is_refused(client, pat, token_for, body):
    h = token_for(pat)
    created = send(client, "/api/v1/meds/regimens", h, OXY).json()
    r = send(client, f"/api/v1/meds/regimens/{created['id']}/stop", h, body)
    assert r.status_code == 422, r.content
    assert Regimen.objects.get().stopped_on is None


@pytest.mark.parametrize(
    ("change", "field"),
    [({"taken_on": "9999-12-31"}, "taken_on"), ({"slot": True}, "slot"), ({"status": "taken\x00"}, "status")],
)
def test_bad_dose_is_refused(client, pat, token_for, change, field):
    h = token_for(pat)
    created = send(client, "/api/v1/meds/regimens", h, OXY).json()
    r = send(client, f"/api/v1/meds/regimens/{created['id']}/doses", h, {"status": "taken", "slot": 1, **change})
    assert r.status_code == 422, r.content
    assert fields(r) == {field}
    assert DoseLog.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "dizzy\x00"}, "text"),
        ({"kind": "nau\x00sea"}, "kind"),
        ({"noted_on": "9999-12-31"}, "noted_on"),
        ({"severity": True}, "severity"),
        ({"severity": 4.5}, "severity"),
        ({"regimen": False}, "regimen"),
    ],
)
def test_bad_side_effect_is_refused(client, pat, token_for, change, field):
    r = send(client, "/api/v1/meds/side-effects", token_for(pat), {"kind": "nausea", "severity": 4, **change})
    assert r.status_code == 422, r.content
    assert fields(r) == {field}
    assert SideEffect.objects.count() == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dose_list_window_outside_the_range_is_refused(client, pat, cara, token_for, day):
    for who, url in ((pat, "/api/v1/meds/doses"), (cara, f"/api/v1/patients/{pat.pk}/meds/doses")):
        for name in ("since", "until"):
            r = client.get(url, {name: day}, headers=token_for(who))
            assert r.status_code == 422, r.content
            assert fields(r) == {name}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"started_on": "0001-01-01"}, "started_on: must be between the years 1900 and 2100"),
        ({"name": "Oxy\x00codone"}, "name: must not contain NUL or other control characters"),
        ({"notes": "a\x1bb"}, "notes: must not contain NUL or other control characters"),
    ],
)
def test_the_medicine_form_follows_the_same_rules(client, pat, change, message):
    # The pages read regimens through the same cleaning as the API's actions (meds.cleaning).
    client.force_login(pat)
    form = {k: str(v) for k, v in {**OXY, **change}.items()}
    r = client.post("/me/meds/add/", form)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Regimen.objects.exists()
