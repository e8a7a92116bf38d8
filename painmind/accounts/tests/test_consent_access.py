"""Consent grants access; revocation ends it on the very next request; outsiders get 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from painmind.accounts.models import AuditEvent, Consent
from painmind.diary.models import CheckIn

API_PATIENT = "/api/v1/patients/{}/checkins"
WEB_PATIENT = "/clinician/patients/{}/diary/"


@pytest.fixture
def entry(pat):
    return CheckIn.objects.create(
        patient=pat, recorded_at=timezone.now(), local_on=timezone.now().date(), pain=6, mood=3, note="private note"
    )


def test_clinician_with_consent_reads_checkins_over_api(client, pat, cara, entry, token_for):
    r = client.get(API_PATIENT.format(pat.pk), headers=token_for(cara))
    assert r.status_code == 200
    assert [(e["pain"], e["mood"], e["note"]) for e in r.json()] == [(6, 3, "private note")]


def test_clinician_with_consent_reads_checkins_on_the_web(client, pat, cara, entry):
    client.force_login(cara)
    r = client.get(WEB_PATIENT.format(pat.pk))
    assert r.status_code == 200
    assert "private note" in r.content.decode()


def test_revoke_ends_access_on_the_next_api_request(client, pat, cara, entry, token_for):
    clinician = token_for(cara)
    assert client.get(API_PATIENT.format(pat.pk), headers=clinician).status_code == 200
    consent = Consent.objects.get(patient=pat, clinician=cara)
    r = client.delete(f"/api/v1/consents/{consent.pk}", headers=token_for(pat))
    assert r.status_code == 200
    assert r.json()["active"] is False
    r = client.get(API_PATIENT.format(pat.pk), headers=clinician)
    assert r.status_code == 404
    assert r.json() == {"detail": "Not found.", "errors": []}
    assert client.get("/api/v1/patients", headers=clinician).json() == []


def test_revoke_ends_access_on_the_next_web_request(client, pat, cara, entry):
    consent = Consent.objects.get(patient=pat, clinician=cara)
    client.force_login(cara)
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 200
    client.force_login(pat)
    r = client.post(f"/me/sharing/{consent.pk}/revoke/")
    assert r.status_code == 302
    client.force_login(cara)
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 404
    assert "Pat Example" not in client.get("/clinician/").content.decode()
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert consent.revoked_by == pat


def test_grant_through_web_then_access(client, pat, olga, entry):
    client.force_login(olga)
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 404
    client.force_login(pat)
    r = client.post("/me/sharing/", {"clinician_email": "OLGA@example.org"})
    assert r.status_code == 302
    consent = Consent.objects.get(patient=pat, clinician=olga)
    assert consent.granted_by == pat
    assert consent.revoked_at is None
    client.force_login(olga)
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 200


def test_grant_over_api_is_idempotent_and_lists(client, pat, olga, token_for):
    headers = token_for(pat)
    r1 = client.post(
        "/api/v1/consents", {"clinician_email": olga.email}, content_type="application/json", headers=headers
    )
    r2 = client.post(
        "/api/v1/consents", {"clinician_email": olga.email}, content_type="application/json", headers=headers
    )
    assert (r1.status_code, r2.status_code) == (201, 200)
    assert r1.json()["id"] == r2.json()["id"]
    assert Consent.objects.filter(patient=pat, clinician=olga).count() == 1
    listed = client.get("/api/v1/consents", headers=headers).json()
    assert [(c["clinician_email"], c["active"]) for c in listed] == [("olga@example.org", True)]


def test_regrant_after_revoke_creates_a_new_grant_and_keeps_history(client, pat, cara, token_for):
    headers = token_for(pat)
    old = Consent.objects.get(patient=pat, clinician=cara)
    client.delete(f"/api/v1/consents/{old.pk}", headers=headers)
    r = client.post(
        "/api/v1/consents", {"clinician_email": cara.email}, content_type="application/json", headers=headers
    )
    assert r.status_code == 201
    assert Consent.objects.filter(patient=pat, clinician=cara).count() == 2
    assert Consent.objects.active().filter(patient=pat, clinician=cara).count() == 1


@pytest.mark.parametrize("email", ["nobody@example.org", "rex@example.org", "pat@example.org", "not-an-email"])
def test_grant_to_a_non_clinician_is_refused_with_the_field(client, pat, rex, token_for, email):
    r = client.post(
        "/api/v1/consents", {"clinician_email": email}, content_type="application/json", headers=token_for(pat)
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["clinician_email"]
    assert Consent.objects.count() == 0


def test_web_grant_error_is_shown_next_to_the_field(client, pat):
    client.force_login(pat)
    r = client.post("/me/sharing/", {"clinician_email": "nobody@example.org"})
    assert r.status_code == 400
    assert "no active clinician has this email address" in r.content.decode()
    assert Consent.objects.count() == 0


def test_only_the_patient_can_revoke_their_consent(client, pat, cara, olga, token_for):
    consent = Consent.objects.get(patient=pat, clinician=cara)
    for intruder in (cara, olga):
        assert client.delete(f"/api/v1/consents/{consent.pk}", headers=token_for(intruder)).status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_outsider_gets_404_everywhere(client, pat, cara, olga, rex, ada, entry, token_for):
    """olga (no consent), rex (researcher) and ada (admin) never see pat, nor learn pat exists."""
    missing_id = pat.pk + 1000
    for outsider in (olga, rex, ada):
        headers = token_for(outsider)
        for pid in (pat.pk, missing_id):
            r = client.get(API_PATIENT.format(pid), headers=headers)
            assert r.status_code == 404
            assert r.json() == {"detail": "Not found.", "errors": []}
        client.force_login(outsider)
        for pid in (pat.pk, missing_id):
            r = client.get(WEB_PATIENT.format(pid))
            assert r.status_code == 404
            assert "Pat Example" not in r.content.decode()
        consent = Consent.objects.get(patient=pat, clinician=cara)
        assert client.post(f"/me/sharing/{consent.pk}/revoke/").status_code == 404
    assert client.get("/api/v1/patients", headers=token_for(olga)).json() == []
    assert AuditEvent.objects.filter(patient=pat).exclude(actor=cara).count() == 0


def test_anonymous_requests_are_refused(client, pat, entry):
    assert client.get(API_PATIENT.format(pat.pk)).status_code == 401
    r = client.get(WEB_PATIENT.format(pat.pk))
    assert r.status_code == 302
    assert r["Location"].startswith("/login/")


def test_deactivated_patient_is_hidden_from_clinicians(client, pat, cara, entry, token_for):
    pat.is_active = False
    pat.save()
    assert client.get(API_PATIENT.format(pat.pk), headers=token_for(cara)).status_code == 404


def test_settings_change_time_zone_and_country(client, pat):
    client.force_login(pat)
    r = client.post("/settings/", {"display_name": "Pat E.", "time_zone": "America/New_York", "country": "US"})
    assert r.status_code == 302
    pat.refresh_from_db()
    assert (pat.display_name, pat.time_zone, pat.country) == ("Pat E.", "America/New_York", "US")
    r = client.post("/settings/", {"display_name": "", "time_zone": "Mars/Base", "country": "U1"})
    assert r.status_code == 400
    pat.refresh_from_db()
    assert (pat.time_zone, pat.country) == ("America/New_York", "US")
