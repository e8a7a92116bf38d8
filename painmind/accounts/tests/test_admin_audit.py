"""Admin pages that show patient-related data (care relationships, the audit log) are audited
and never show the audit log's detail, which may carry clinical text."""

from __future__ import annotations

from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, AuditEvent, Consent


def _admin_views(patient) -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(patient=patient, via="admin").values_list("object_type", "detail"))


def test_the_consent_list_and_page_record_a_view_per_patient(client, ada, pat, cara):
    client.force_login(ada)
    assert client.get("/admin/accounts/consent/").status_code == 200
    assert _admin_views(pat) == [("consent", "admin list")]
    consent = Consent.objects.get(patient=pat)
    assert client.get(f"/admin/accounts/consent/{consent.pk}/change/").status_code == 200
    assert sorted(_admin_views(pat)) == [("consent", "admin list"), ("consent", "admin page")]
    event = AuditEvent.objects.filter(patient=pat, via="admin").latest("id")
    assert (event.actor, event.actor_role, event.action) == (ada, "admin", AuditAction.VIEW)
    # The patient reads it in plain words in "who viewed my data".
    client.force_login(pat)
    page = client.get("/me/access-log/").content.decode()
    assert "viewed who you share with (site administration)" in page


def test_the_audit_log_admin_never_shows_clinical_detail_and_is_audited(client, ada, pat, cara):
    secret_detail = "started oxycodone 10 mg"
    event = record(Actor(user=cara, via="web"), pat, AuditAction.CREATE, "regimen", object_id=7, detail=secret_detail)
    assert event is not None
    client.force_login(ada)
    r = client.get("/admin/accounts/auditevent/")
    assert r.status_code == 200
    assert secret_detail not in r.content.decode()
    r = client.get(f"/admin/accounts/auditevent/{event.pk}/change/")
    assert r.status_code == 200
    assert secret_detail not in r.content.decode()
    assert ("access_log", "admin page") in _admin_views(pat)
    assert ("access_log", "admin list") in _admin_views(pat)


def test_an_empty_admin_list_records_nothing(client, ada, db):
    client.force_login(ada)
    assert client.get("/admin/accounts/consent/").status_code == 200
    assert AuditEvent.objects.count() == 0
