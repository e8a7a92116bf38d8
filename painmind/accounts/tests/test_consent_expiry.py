"""A grant's expiry ends access at the very next request, as revocation does; regranting works."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from painmind.accounts.access import can_access_patient, get_patients_for_user
from painmind.accounts.actions import do_grant_consent
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, active_consent_q
from painmind.diary.models import CheckIn
from painmind.lib.errors import ActionError
from painmind.safety.access import get_alerts_for_user
from painmind.safety.models import Alert

API_PATIENT = "/api/v1/patients/{}/checkins"
WEB_PATIENT = "/clinician/patients/{}/diary/"


@pytest.fixture
def entry(pat):
    now = timezone.now()
    return CheckIn.objects.create(patient=pat, recorded_at=now, local_on=now.date(), pain=6, mood=3, note="n")


def _expire(consent: Consent) -> None:
    now = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(
        granted_at=now - timedelta(days=3), expires_at=now - timedelta(seconds=1)
    )


def test_expiry_ends_web_access_at_the_next_request(client, pat, cara, entry):
    consent = Consent.objects.get(patient=pat, clinician=cara)
    Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() + timedelta(hours=1))
    client.force_login(cara)
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 200
    assert "Pat Example" in client.get("/clinician/").content.decode()
    _expire(consent)
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 404
    assert client.get(f"/clinician/patients/{pat.pk}/measures/").status_code == 404
    assert client.get(f"/clinician/patients/{pat.pk}/cycle/").status_code == 404
    assert "Pat Example" not in client.get("/clinician/").content.decode()


def test_expiry_ends_api_access_at_the_next_request(client, pat, cara, entry, token_for):
    headers = token_for(cara)
    assert client.get(API_PATIENT.format(pat.pk), headers=headers).status_code == 200
    _expire(Consent.objects.get(patient=pat, clinician=cara))
    r = client.get(API_PATIENT.format(pat.pk), headers=headers)
    assert (r.status_code, r.json()) == (404, {"detail": "Not found.", "errors": []})
    assert client.get("/api/v1/patients", headers=headers).json() == []
    listed = client.get("/api/v1/consents", headers=token_for(pat)).json()
    assert [c["active"] for c in listed] == [False]


def test_revocation_ends_web_and_api_access_at_the_next_request(client, pat, cara, entry, token_for):
    headers = token_for(cara)
    client.force_login(cara)
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 200
    assert client.get(API_PATIENT.format(pat.pk), headers=headers).status_code == 200
    consent = Consent.objects.get(patient=pat, clinician=cara)
    assert client.delete(f"/api/v1/consents/{consent.pk}", headers=token_for(pat)).status_code == 200
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 404
    assert client.get(API_PATIENT.format(pat.pk), headers=headers).status_code == 404


def test_alert_list_follows_expiry(pat, cara):
    Alert.objects.create(patient=pat, kind="silence", severity="warning", key="silence:1", title="No check-in")
    actor = Actor(user=cara, via="web")
    assert [a.patient_id for a in get_alerts_for_user(actor)] == [pat.pk]
    _expire(Consent.objects.get(patient=pat, clinician=cara))
    assert get_alerts_for_user(actor) == []
    assert get_patients_for_user(actor) == []


def test_active_means_expiry_strictly_after_now(pat, cara):
    consent = Consent.objects.get(patient=pat, clinician=cara)
    at = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    Consent.objects.filter(pk=consent.pk).update(expires_at=at)
    in_force = Consent.objects.filter(active_consent_q(now=at - timedelta(microseconds=1)))
    assert list(in_force) == [consent]
    assert not Consent.objects.filter(active_consent_q(now=at)).exists()
    Consent.objects.filter(pk=consent.pk).update(revoked_at=timezone.now(), revoked_by=pat)
    assert not Consent.objects.filter(active_consent_q(now=at - timedelta(days=1))).exists()


def test_regrant_after_expiry_closes_the_expired_grant_at_its_expiry(client, pat, cara):
    old = Consent.objects.get(patient=pat, clinician=cara)
    _expire(old)
    old.refresh_from_db()
    assert not can_access_patient(Actor(user=cara, via="web"), pat.pk)
    client.force_login(pat)
    page = client.get("/me/sharing/").content.decode()
    assert "expired" in page
    assert "You are not sharing with anyone." in page

    new, created = do_grant_consent(Actor(user=pat, via="web"), cara.email)
    assert created
    closed = Consent.objects.get(pk=old.pk)
    assert (closed.revoked_at, closed.revoked_by) == (old.expires_at, None)
    assert closed.has_expired
    assert list(Consent.objects.active().filter(patient=pat, clinician=cara)) == [new]
    assert can_access_patient(Actor(user=cara, via="web"), pat.pk)


def test_grant_with_expiry_over_the_api(client, pat, olga, token_for):
    headers = token_for(pat)
    until = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    r = client.post(
        "/api/v1/consents",
        {"clinician_email": olga.email, "expires_at": until.isoformat()},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 201
    assert Consent.objects.get(patient=pat, clinician=olga).expires_at == until
    r = client.post(
        "/api/v1/consents",
        {"clinician_email": olga.email, "expires_at": "2020-01-01T00:00:00Z"},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "expires_at", "message": "must be in the future"}]


def test_grant_refuses_a_past_expiry(pat, olga):
    with pytest.raises(ActionError) as exc:
        do_grant_consent(Actor(user=pat, via="web"), olga.email, expires_at=timezone.now() - timedelta(minutes=1))
    assert exc.value.errors == {"expires_at": ["must be in the future"]}
    assert not Consent.objects.filter(clinician=olga).exists()


def test_sharing_page_shows_the_end_of_each_grant(client, pat, cara, olga):
    # 3 Jan 2040 00:00 in London (GMT) is the end of 2 Jan: "until 2 Jan 2040".
    Consent.objects.filter(clinician=cara).update(expires_at=datetime(2040, 1, 3, 0, 0, tzinfo=UTC))
    # 1 Jul 2040 09:30 UTC is 10:30 BST. Stored directly: a grant may end at most a year ahead
    # (painmind.lib.dates), and this one was made before that rule.
    consent, _ = do_grant_consent(Actor(user=pat, via="web"), olga.email)
    Consent.objects.filter(pk=consent.pk).update(expires_at=datetime(2040, 7, 1, 9, 30, tzinfo=UTC))
    client.force_login(pat)
    page = client.get("/me/sharing/").content.decode()
    assert "until 2 Jan 2040" in page
    assert "until 1 Jul 2040, 10:30" in page
