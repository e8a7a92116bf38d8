"""Share links: only the chosen sections, only while active, at most 30 days, every view audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from painmind.accounts.access import get_patient_for_user, get_share_link_for_token
from painmind.accounts.actions import do_create_share_link
from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent, ShareLink
from painmind.diary.access import (
    get_checkins_for_user,
    get_measurement_plan_for_user,
    get_response_for_user,
    get_responses_for_user,
)
from painmind.diary.actions import do_record_response
from painmind.diary.models import CheckIn
from painmind.insights.access import get_cycle_for_user

LINK = re.compile(r'value="http://testserver/s/([A-Za-z0-9_-]+)/"')
INVALID = "This link is not valid or has expired"
LABEL = "Appointment with Dr X"


@pytest.fixture
def diary(pat):
    now = timezone.now()
    CheckIn.objects.create(patient=pat, recorded_at=now, local_on=now.date(), pain=6, mood=3, note="knee-note")
    # PHQ-9: eight items at 1 and item 9 at 0 → total 8.
    response, _ = do_record_response(Actor(user=pat, via="web"), pat, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0])
    return response


def _make(client, pat, **data) -> tuple[object, str]:
    client.force_login(pat)
    r = client.post("/me/sharing/links/", {"label": LABEL, "days": 7, **data}, follow=True)
    assert r.status_code == 200, r.content.decode()
    match = LINK.search(r.content.decode())
    assert match is not None
    client.logout()
    return r, match.group(1)


def test_checkins_only_link_shows_checkins_and_nothing_else(client, pat, diary):
    before = timezone.now()
    _, token = _make(client, pat, scopes=["checkins"])
    link = ShareLink.objects.get()
    assert (link.label, link.checkins, link.questionnaires, link.cycle) == (LABEL, True, False, False)
    assert before + timedelta(days=7) <= link.expires_at <= timezone.now() + timedelta(days=7)
    assert token not in (link.token_digest, link.token_prefix)

    r = client.get(f"/s/{token}/", REMOTE_ADDR="203.0.113.9")
    assert r.status_code == 200
    page = r.content.decode()
    assert "knee-note" in page
    assert "Questionnaire scores" not in page
    assert "PHQ-9" not in page
    assert "Pain–mood cycle" not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert r["Referrer-Policy"] == "no-referrer"
    assert r["Cache-Control"] == "no-store"

    events = AuditEvent.objects.filter(patient=pat).order_by("id")
    assert [(e.object_type, e.actor_id, e.actor_label, e.via, e.ip) for e in events] == [
        ("checkin_list", None, f'share link "{LABEL}"', "link", "203.0.113.9"),
        ("share_link", None, f'share link "{LABEL}"', "link", "203.0.113.9"),
    ]
    assert events[1].object_id == str(link.pk)
    assert events[1].detail == "showed check-ins"


def test_out_of_scope_sections_are_refused_by_access_not_only_hidden(pat, diary, olga):
    link, _ = do_create_share_link(Actor(user=pat, via="web"), label=LABEL, scopes=["checkins"], days=3)
    actor = Actor(user=None, via="link", share_link=link)
    _, entries = get_checkins_for_user(actor, pat.pk)
    assert [e.note for e in entries] == ["knee-note"]
    for load in (
        lambda: get_responses_for_user(actor, pat.pk),
        lambda: get_response_for_user(actor, diary.pk),
        lambda: get_cycle_for_user(actor, pat.pk),
        lambda: get_measurement_plan_for_user(actor, pat.pk),
        lambda: get_patient_for_user(actor, pat.pk),  # no scope named: refused
        lambda: get_checkins_for_user(actor, olga.pk),  # another person
        lambda: get_checkins_for_user(actor),  # "own" diary: a link has none
    ):
        with pytest.raises(Http404):
            load()
    # Only the one permitted read was audited.
    assert list(AuditEvent.objects.values_list("object_type", flat=True)) == ["checkin_list"]


def test_questionnaires_and_cycle_link(client, pat, diary):
    _, token = _make(client, pat, scopes=["questionnaires", "cycle"])
    page = client.get(f"/s/{token}/").content.decode()
    assert "knee-note" not in page
    assert 'id="checkins-h"' not in page
    assert "PHQ-9" in page
    assert "<td>8</td>" in page
    assert "Mild" in page  # PHQ-9 5–9 (clinical-reference.md, PHQ-9 bands)
    assert 'id="cycle-h"' in page
    assert "Not enough days yet." in page
    assert sorted(AuditEvent.objects.values_list("object_type", flat=True)) == [
        "cycle_analysis",
        "response_list",
        "share_link",
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"days": 31, "scopes": ["checkins"]}, "days", "between 1 and 30 days"),
        ({"days": 0, "scopes": ["checkins"]}, "days", "between 1 and 30 days"),
        ({"days": 7}, "scopes", "choose at least one section to show"),
        ({"days": 7, "scopes": ["checkins"], "label": "  "}, "label", "give the link a name"),
    ],
)
def test_bad_link_input_names_the_field_and_creates_nothing(client, pat, data, field, message):
    client.force_login(pat)
    r = client.post("/me/sharing/links/", {"label": LABEL, **data}, follow=True)
    assert r.status_code == 400
    assert re.search(rf'id="err_{field}">{re.escape(message)}', r.content.decode())
    assert ShareLink.objects.count() == 0


def test_thirty_days_is_allowed(client, pat):
    client.force_login(pat)
    assert (
        client.post("/me/sharing/links/", {"label": LABEL, "days": 30, "scopes": ["cycle"]}, follow=True).status_code
        == 200
    )
    link = ShareLink.objects.get()
    assert timedelta(days=30) - timedelta(seconds=5) < link.expires_at - timezone.now() <= timedelta(days=30)


def test_expired_revoked_and_unknown_links_get_the_same_404_and_no_audit(client, pat, diary):
    _, expired = _make(client, pat, scopes=["checkins"])
    now = timezone.now()
    ShareLink.objects.filter(token_digest=get_share_link_for_token(expired).token_digest).update(
        created_at=now - timedelta(days=2), expires_at=now - timedelta(seconds=1)
    )
    _, revoked = _make(client, pat, scopes=["checkins"])
    revoked_link = ShareLink.objects.get(token_prefix=revoked[:6])
    assert client.get(f"/s/{revoked}/").status_code == 200
    client.force_login(pat)
    assert client.post(f"/me/sharing/links/{revoked_link.pk}/revoke/").status_code == 302
    client.logout()
    n_events = AuditEvent.objects.count()
    for token in (expired, revoked, "x" * 43, revoked[:-1]):
        r = client.get(f"/s/{token}/")
        assert r.status_code == 404
        page = r.content.decode()
        assert INVALID in page
        assert "knee-note" not in page
        assert r["Cache-Control"] == "no-store"
    assert AuditEvent.objects.count() == n_events


def test_a_signed_in_visitor_is_audited_as_the_link_not_as_themselves(client, pat, cara, diary):
    _, token = _make(client, pat, scopes=["checkins"])
    client.force_login(cara)
    assert client.get(f"/s/{token}/").status_code == 200
    events = list(AuditEvent.objects.all())
    assert len(events) == 2
    assert {(e.actor, e.via) for e in events} == {(None, "link")}


def test_links_page_lists_views_status_and_only_the_owner_revokes(client, pat, cara, diary):
    _, token = _make(client, pat, scopes=["checkins", "questionnaires"])
    link = ShareLink.objects.get()
    client.get(f"/s/{token}/")
    client.get(f"/s/{token}/")
    client.force_login(cara)
    assert client.post(f"/me/sharing/links/{link.pk}/revoke/").status_code == 404
    assert client.get("/me/sharing/links/").status_code == 404
    client.force_login(pat)
    page = client.get("/me/sharing/links/").content.decode()
    assert "Check-ins, Questionnaire scores" in page
    assert "opened 2 times" in page
    assert "Switch off" in page
    client.post(f"/me/sharing/links/{link.pk}/revoke/")
    page = client.get("/me/sharing/links/").content.decode()
    assert "switched off" in page
    assert "Switch off</button>" not in page
