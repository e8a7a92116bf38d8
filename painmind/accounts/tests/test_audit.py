"""Every read or write of a patient's data by someone else leaves an append-only audit event."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.utils import timezone

from painmind.accounts.models import AuditAction, AuditEvent
from painmind.diary.models import CheckIn


def test_clinician_api_read_is_audited_with_ip(client, pat, cara, token_for):
    CheckIn.objects.create(patient=pat, recorded_at=timezone.now(), local_on=timezone.now().date(), pain=1, mood=2)
    r = client.get(f"/api/v1/patients/{pat.pk}/checkins", headers=token_for(cara), REMOTE_ADDR="203.0.113.7")
    assert r.status_code == 200
    event = AuditEvent.objects.get(object_type="checkin_list")
    assert (event.actor, event.patient, event.action, event.via) == (cara, pat, "view", "api")
    assert event.ip == "203.0.113.7"
    assert event.actor_label == "cara@example.org"
    assert event.actor_role == "clinician"
    assert event.detail == "1 check-ins"


def test_clinician_web_read_and_patient_list_are_audited(client, pat, cara):
    client.force_login(cara)
    assert client.get("/clinician/").status_code == 200
    assert client.get(f"/clinician/patients/{pat.pk}/").status_code == 200
    assert client.get(f"/clinician/patients/{pat.pk}/diary/").status_code == 200
    kinds = sorted(AuditEvent.objects.filter(actor=cara, patient=pat).values_list("object_type", "via"))
    # The patient page shows the care-plan summary, the medicines, the self-management tools'
    # usage and where it hurt (a read of the check-ins' locations), so it records those views too;
    # the diary page is the second check-in read.
    assert kinds == [
        ("care_plan", "web"),
        ("checkin_list", "web"),
        ("checkin_list", "web"),
        ("medicines", "web"),
        ("panel", "web"),
        ("patient_detail", "web"),
        ("selfcare_usage", "web"),
    ]


def test_patient_reading_own_data_is_not_an_audit_event(client, pat, token_for):
    client.get("/api/v1/checkins", headers=token_for(pat))
    client.force_login(pat)
    client.get("/me/")
    assert AuditEvent.objects.count() == 0


def test_forwarded_for_is_ignored_unless_trusted(client, pat, cara, token_for, settings):
    headers = {**token_for(cara), "X-Forwarded-For": "198.51.100.9"}
    client.get(f"/api/v1/patients/{pat.pk}/checkins", headers=headers, REMOTE_ADDR="10.0.0.1")
    settings.TRUST_X_FORWARDED_FOR = True
    client.get(f"/api/v1/patients/{pat.pk}/checkins", headers=headers, REMOTE_ADDR="10.0.0.1")
    assert list(AuditEvent.objects.order_by("id").values_list("ip", flat=True)) == ["10.0.0.1", "198.51.100.9"]


def test_audit_ip_is_the_address_our_proxy_appended_not_one_the_client_wrote(client, pat, cara, token_for, settings):
    # The client sends "X-Forwarded-For: 192.0.2.66"; our proxy appends the address it saw.
    # Only that last entry is trusted, as for sign-in lockouts (lockout.client_address).
    settings.TRUST_X_FORWARDED_FOR = True
    headers = {**token_for(cara), "X-Forwarded-For": "192.0.2.66, 198.51.100.9"}
    client.get(f"/api/v1/patients/{pat.pk}/checkins", headers=headers, REMOTE_ADDR="10.0.0.1")
    client.force_login(cara)
    client.get(f"/clinician/patients/{pat.pk}/diary/", headers={"X-Forwarded-For": "192.0.2.66,  198.51.100.9 "})
    assert list(AuditEvent.objects.order_by("id").values_list("ip", flat=True)) == ["198.51.100.9", "198.51.100.9"]


def test_audit_events_cannot_be_changed_or_deleted(client, pat, cara, token_for):
    client.get(f"/api/v1/patients/{pat.pk}/checkins", headers=token_for(cara))
    event = AuditEvent.objects.get()
    event.detail = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().detail == "0 check-ins"


def test_database_guard_matches_the_vendor(pat, cara):
    """PostgreSQL refuses raw UPDATE/DELETE by trigger; SQLite (dev default) relies on the model."""
    from painmind.accounts.audit import Actor, record

    event = record(Actor(user=cara, via="api"), pat, AuditAction.VIEW, "checkin_list")
    assert event is not None
    if connection.vendor == "postgresql":
        for sql in ("UPDATE accounts_auditevent SET detail = 'x'", "DELETE FROM accounts_auditevent"):
            with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql)
    else:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
            assert cur.fetchone() == (0,)
    assert AuditEvent.objects.count() == 1
