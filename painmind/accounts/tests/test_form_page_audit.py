"""A clinician opening a form page about a patient (new goal, new treatment, new or changed
medicine) is a read of that patient, shown in "Who viewed my data"; the patient's own is not."""

from __future__ import annotations

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.meds.actions import do_add_regimen

SERTRALINE = {
    "name": "Sertraline",
    "dose": "50",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 1,
    "reason": "mood",
}


def _access_log(client, pat) -> str:
    client.force_login(pat)
    r = client.get("/me/access-log/")
    assert r.status_code == 200
    page: str = r.content.decode()
    return page


def test_new_goal_and_new_treatment_forms_are_audited_reads(client, pat, cara):
    client.force_login(cara)
    assert client.get(f"/clinician/patients/{pat.pk}/plan/goals/new/").status_code == 200
    assert client.get(f"/clinician/patients/{pat.pk}/plan/interventions/new/").status_code == 200
    events = AuditEvent.objects.filter(actor=cara, patient=pat).order_by("id")
    assert [(e.object_type, e.action, e.via) for e in events] == [
        ("goal_form", "view", "web"),
        ("intervention_form", "view", "web"),
    ]
    page = _access_log(client, pat)
    assert "opened the form to add a goal to your care plan" in page
    assert "opened the form to add a treatment to your care plan" in page
    assert "Dr Cara Lee" in page


def test_a_refused_new_goal_is_still_a_read_of_the_patient(client, pat, cara):
    client.force_login(cara)
    r = client.post(f"/clinician/patients/{pat.pk}/plan/goals/new/", {"description": ""})
    assert r.status_code == 400
    assert list(AuditEvent.objects.filter(actor=cara, patient=pat).values_list("object_type", flat=True)) == [
        "goal_form"
    ]


def test_new_and_change_medicine_forms_are_audited_reads(client, pat, cara):
    regimen = do_add_regimen(Actor(user=pat, via="web"), pat, SERTRALINE)
    client.force_login(cara)
    assert client.get(f"/clinician/patients/{pat.pk}/meds/add/").status_code == 200
    assert client.get(f"/meds/{regimen.pk}/edit/").status_code == 200
    events = AuditEvent.objects.filter(actor=cara, patient=pat).order_by("id")
    assert [(e.object_type, e.action, e.object_id) for e in events] == [
        ("regimen_form", "view", ""),
        ("regimen", "view", str(regimen.pk)),
    ]
    page = _access_log(client, pat)
    assert "opened the form to add a medicine for you" in page
    assert "viewed one of your medicines and its history" in page


def test_the_patients_own_form_pages_are_not_audit_events(client, pat):
    regimen = do_add_regimen(Actor(user=pat, via="web"), pat, SERTRALINE)
    client.force_login(pat)
    assert client.get("/me/plan/goals/new/").status_code == 200
    assert client.get("/me/meds/add/").status_code == 200
    assert client.get(f"/meds/{regimen.pk}/edit/").status_code == 200
    assert AuditEvent.objects.count() == 0


def test_a_clinician_without_consent_gets_404_and_no_event(client, pat, olga):
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/plan/goals/new/").status_code == 404
    assert client.get(f"/clinician/patients/{pat.pk}/meds/add/").status_code == 404
    assert AuditEvent.objects.count() == 0
