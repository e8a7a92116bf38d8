"""'Who viewed my data': plain words, the patient's time zone, filters, pages; only for the patient."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from painmind.accounts.models import AuditEvent
from painmind.accounts.phrasing import PHRASES

ROWS = re.compile(r"<tr>\s*<td>(.*?)<br><span class=\"muted small\">(.*?)</span></td>\s*<td><strong>(.*?)</strong>")


def _event(patient, actor, at, object_type="checkin_list", action="view", **extra):
    return AuditEvent.objects.create(
        at=at,
        actor=actor,
        actor_label=extra.pop("label", actor.email if actor else "operator (command line)"),
        actor_role=actor.role if actor else "",
        patient=patient,
        action=action,
        object_type=object_type,
        via=extra.pop("via", "web"),
        **extra,
    )


def _rows(response) -> list[tuple[str, str, str]]:
    return ROWS.findall(response.content.decode())


def test_a_clinicians_real_view_appears_with_name_role_and_phrase(client, pat, cara):
    client.force_login(cara)
    assert client.get(f"/clinician/patients/{pat.pk}/diary/").status_code == 200
    client.force_login(pat)
    page = client.get("/me/access-log/").content.decode()
    assert '<strong>Dr Cara Lee</strong><br><span class="muted small">Clinician (psychology)</span>' in page
    assert "viewed your check-ins" in page


def test_times_are_shown_in_the_patients_zone(client, pat, cara):
    # 12:30 UTC on 1 July is 13:30 in London (BST); 23:30 UTC on 1 Dec is 23:30 (GMT).
    _event(pat, cara, datetime(2026, 7, 1, 12, 30, tzinfo=UTC))
    _event(pat, cara, datetime(2026, 12, 1, 23, 30, tzinfo=UTC), object_type="alert", action="update")
    client.force_login(pat)
    r = client.get("/me/access-log/")
    assert _rows(r) == [("1 Dec 2026", "23:30", "Dr Cara Lee"), ("1 Jul 2026", "13:30", "Dr Cara Lee")]
    assert "acknowledged an alert" in r.content.decode()


def test_filters_by_who_action_and_local_dates(client, pat, cara, olga):
    _event(pat, cara, datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    # 23:30 UTC on 1 July is 00:30 on 2 July in London: a 2 July event for the patient.
    _event(pat, olga, datetime(2026, 7, 1, 23, 30, tzinfo=UTC), object_type="care_plan", action="update")
    _event(pat, None, datetime(2026, 7, 3, 9, 0, tzinfo=UTC), label='share link "Physio"', via="link")
    client.force_login(pat)
    page = client.get("/me/access-log/").content.decode()
    for option in ('value="cara@example.org">Dr Cara Lee<', 'value="share link &quot;Physio&quot;">Share link'):
        assert option in page
    assert [row[2] for row in _rows(client.get("/me/access-log/", {"who": "cara@example.org"}))] == ["Dr Cara Lee"]
    assert [row[2] for row in _rows(client.get("/me/access-log/", {"action": "update"}))] == ["Dr Olga Novak"]
    r = client.get("/me/access-log/", {"since": "2026-07-02", "until": "2026-07-02"})
    assert [(row[0], row[2]) for row in _rows(r)] == [("2 Jul 2026", "Dr Olga Novak")]
    assert "changed your care plan" in r.content.decode()
    r = client.get("/me/access-log/", {"until": "2026-07-01"})
    assert [row[2] for row in _rows(r)] == ["Dr Cara Lee"]
    r = client.get("/me/access-log/", {"who": 'share link "Physio"'})
    assert [row[2] for row in _rows(r)] == ["Share link &quot;Physio&quot;"]
    assert "opened your share link" not in r.content.decode()  # a checkin_list event through the link
    assert "viewed your check-ins" in r.content.decode()


def test_bad_filters_name_the_field(client, pat, cara):
    _event(pat, cara, datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    client.force_login(pat)
    r = client.get("/me/access-log/", {"since": "2026-07-05", "until": "2026-07-01"})
    assert r.status_code == 400
    assert 'id="err_until">The end date is before the start date.' in r.content.decode()
    assert _rows(r) == []
    r = client.get("/me/access-log/", {"since": "yesterday"})
    assert r.status_code == 400
    assert 'id="err_since">' in r.content.decode()


def test_pages_of_fifty(client, pat, cara):
    for minute in range(55):
        _event(pat, cara, datetime(2026, 7, 1, 12, minute, tzinfo=UTC))
    client.force_login(pat)
    first = _rows(client.get("/me/access-log/", {"who": "cara@example.org"}))
    assert len(first) == 50
    assert first[0][1] == "13:54"  # newest first, BST
    r = client.get("/me/access-log/", {"who": "cara@example.org", "page": 2})
    assert [row[1] for row in _rows(r)] == ["13:04", "13:03", "13:02", "13:01", "13:00"]
    assert "Page 2 of 2" in r.content.decode()


def test_nobody_else_sees_a_patients_log(client, pat, cara, olga, rex, ada, token_for):
    _event(pat, cara, datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    for other in (cara, olga, rex, ada):
        client.force_login(other)
        assert client.get("/me/access-log/").status_code == 404
        assert client.get("/api/v1/access-log", headers=token_for(other)).status_code == 404


def test_api_access_log_with_filters(client, pat, cara, olga, token_for):
    _event(pat, cara, datetime(2026, 7, 1, 12, 0, tzinfo=UTC))
    _event(pat, olga, datetime(2026, 7, 2, 12, 0, tzinfo=UTC), object_type="goal", action="create")
    headers = token_for(pat)
    body = client.get("/api/v1/access-log", headers=headers).json()
    assert (body["count"], body["pages"]) == (2, 1)
    assert [(e["who"], e["role"], e["what"]) for e in body["events"]] == [
        ("Dr Olga Novak", "Clinician (pain medicine)", "added a goal to your care plan"),
        ("Dr Cara Lee", "Clinician (psychology)", "viewed your check-ins"),
    ]
    body = client.get("/api/v1/access-log", {"until": "2026-07-01"}, headers=headers).json()
    assert [e["who"] for e in body["events"]] == ["Dr Cara Lee"]
    r = client.get("/api/v1/access-log", {"action": "peek"}, headers=headers)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["action"]


def test_every_audited_object_type_in_the_code_has_a_phrase():
    root = Path(__file__).resolve().parents[2]
    call = re.compile(r'record(?:_many)?\(\s*[^()]*?AuditAction\.(\w+),\s*"(\w+)"', re.S)
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        found |= {(obj, action.lower()) for action, obj in call.findall(path.read_text())}
    assert ("checkin_list", "view") in found  # the scan itself works
    assert sorted(found - set(PHRASES)) == []


@pytest.mark.parametrize(
    ("object_type", "action", "expected"),
    [("reminder", "update", "changed your reminder"), ("care_plan", "export", "exported your care plan")],
)
def test_unknown_kinds_fall_back_to_generic_words(pat, cara, object_type, action, expected):
    from painmind.accounts.phrasing import describe

    event = _event(pat, cara, datetime(2026, 7, 1, tzinfo=UTC), object_type=object_type, action=action)
    assert describe(event) == expected


def test_one_visit_is_one_row_listing_what_was_looked_at(client, pat, cara, olga, token_for):
    # cara opens pat's page at 12:00:05: four reads within the minute (one of them twice) ...
    for second, kind in ((5, "patient_detail"), (5, "care_plan"), (6, "selfcare_usage"), (40, "care_plan")):
        _event(pat, cara, datetime(2026, 7, 1, 12, 0, second, tzinfo=UTC), object_type=kind)
    # ... olga reads the check-ins in the same minute, and cara comes back at 12:02:05 (a new visit).
    _event(pat, olga, datetime(2026, 7, 1, 12, 0, 30, tzinfo=UTC))
    _event(pat, cara, datetime(2026, 7, 1, 12, 2, 5, tzinfo=UTC))
    client.force_login(pat)
    r = client.get("/me/access-log/")
    assert _rows(r) == [
        ("1 Jul 2026", "13:02", "Dr Cara Lee"),
        ("1 Jul 2026", "13:00", "Dr Cara Lee"),  # 12:00:40: olga's read in between splits cara's
        ("1 Jul 2026", "13:00", "Dr Olga Novak"),
        ("1 Jul 2026", "13:00", "Dr Cara Lee"),
    ]
    lists = re.findall(r'<ul class="visit">(.*?)</ul>', r.content.decode(), re.S)
    assert [re.findall(r"<li>(.*?)</li>", ul) for ul in lists] == [
        [PHRASES[("patient_detail", "view")], PHRASES[("care_plan", "view")], PHRASES[("selfcare_usage", "view")]]
    ]
    # The API keeps one entry per event.
    assert client.get("/api/v1/access-log", headers=token_for(pat)).json()["count"] == 6
