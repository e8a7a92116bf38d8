"""Stopping sharing (or its expiry) does not hide an open critical alert from a clinician who was told."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from painmind.accounts.actions import do_grant_consent
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent
from painmind.safety.models import Alert

from .test_safety import phq9_stored


def positive_phq9(client, pat, token_for, item9=2):
    return phq9_stored(client, token_for(pat), item9)["id"]


def test_the_patient_is_told_before_stopping_and_the_told_clinician_keeps_only_the_alert(
    client, pat, cara, olga, token_for
):
    rid = positive_phq9(client, pat, token_for)
    do_grant_consent(Actor(user=pat, via="web"), olga.email)  # joins after the alert: not told
    consent = Consent.objects.get(patient=pat, clinician=cara)
    client.force_login(pat)
    confirm = client.get(f"/me/sharing/{consent.pk}/revoke/")
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "You have an open alert about your answers that Dr Cara Lee was told about" in text
    assert Consent.objects.get(pk=consent.pk).revoked_at is None  # the GET changes nothing
    olga_consent = Consent.objects.get(patient=pat, clinician=olga)
    assert "was told about" not in client.get(f"/me/sharing/{olga_consent.pk}/revoke/").content.decode()
    api = client.get("/api/v1/consents", headers=token_for(pat)).json()
    notes = {c["clinician_email"]: c["revoke_notes"] for c in api}
    assert len(notes["cara@example.org"]) == 1
    assert notes["olga@example.org"] == []

    assert client.post(f"/me/sharing/{consent.pk}/revoke/").status_code == 302
    client.post(f"/me/sharing/{olga_consent.pk}/revoke/")
    alert = Alert.objects.get(kind="self_harm")

    client.force_login(cara)
    listing = client.get("/clinician/alerts/").content.decode()
    assert "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered 2" in listing
    assert "no longer shares their diary with you" in listing
    assert f"/clinician/patients/{pat.pk}/" not in listing  # no way into the diary
    assert client.get(f"/clinician/patients/{pat.pk}/").status_code == 404
    assert client.get(f"/clinician/patients/{pat.pk}/responses/{rid}/").status_code == 404
    api_alerts = client.get("/api/v1/alerts", headers=token_for(cara)).json()
    assert [(a["id"], a["restricted"]) for a in api_alerts] == [(alert.pk, True)]

    client.force_login(olga)  # never told: nothing
    assert "answered 2" not in client.get("/clinician/alerts/").content.decode()
    assert client.get("/api/v1/alerts", headers=token_for(olga)).json() == []
    url = f"/api/v1/alerts/{alert.pk}/acknowledge"
    no = client.post(url, {"note": "x"}, content_type="application/json", headers=token_for(olga))
    assert no.status_code == 404

    client.force_login(cara)
    r = client.post(f"/clinician/alerts/{alert.pk}/acknowledge/", {"note": "Phoned; safe; GP informed."})
    assert r.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == cara
    assert "answered 2" not in client.get("/clinician/alerts/").content.decode()  # gone once handled
    assert client.get("/api/v1/alerts?status=all", headers=token_for(cara)).json() == []


def test_an_expired_consent_keeps_the_alert_with_the_clinician_who_was_told(client, pat, cara, token_for):
    positive_phq9(client, pat, token_for, item9=None)
    Consent.objects.filter(patient=pat, clinician=cara).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(cara)
    listing = client.get("/clinician/alerts/").content.decode()
    assert "left blank: risk unknown" in listing
    assert "no longer shares their diary with you" in listing
