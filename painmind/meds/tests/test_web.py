"""The medicines pages with the Django test client: patient and clinician entry, ticks, 404s."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.utils import timezone

from painmind.meds.models import DoseLog, Regimen, SideEffect
from painmind.safety.models import Alert

OXY = {
    "name": "Oxycodone",
    "dose": "10",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": "2",
    "reason": "pain",
}
DIAZ = {
    "name": "Diazepam",
    "dose": "5",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": "1",
    "reason": "anxiety",
}


def test_patient_adds_a_medicine_ticks_a_dose_and_sees_the_calm_note(client, pat):
    client.force_login(pat)
    r = client.post("/me/meds/add/", OXY)
    assert r.status_code == 302
    client.post("/me/meds/add/", DIAZ)
    page = client.get("/me/meds/").content.decode()
    assert "Some of your medicines can add to each other&#x27;s drowsiness." in page
    assert "mg/day" not in page
    assert "MME" not in page
    oxy = Regimen.objects.get(name="Oxycodone")
    key = str(uuid.uuid4())
    for _ in range(2):  # a double tap
        client.post("/me/meds/tick/", {"regimen": oxy.pk, "slot": "1", "status": "taken", "client_id": key})
    assert list(DoseLog.objects.values_list("slot", "status")) == [(1, "taken")]
    assert Alert.objects.open().get().key == "R1_opioid_plus_benzo"


def test_bad_form_names_fields_and_stores_nothing(client, pat):
    client.force_login(pat)
    r = client.post("/me/meds/add/", {**OXY, "dose": "lots", "times_per_day": ""})
    assert r.status_code == 400
    body = r.content.decode()
    assert "dose: must be a number" in body
    assert "times_per_day: is required" in body
    assert not Regimen.objects.exists()


def test_clinician_adds_and_edits_for_a_consenting_patient(client, pat, cara):
    client.force_login(cara)
    r = client.post(f"/clinician/patients/{pat.pk}/meds/add/", {**OXY, "prescriber": str(cara.pk)})
    assert r.status_code == 302, r.content
    oxy = Regimen.objects.get()
    r = client.post(f"/meds/{oxy.pk}/edit/", {**OXY, "dose": "20", "prescriber": str(cara.pk)})
    assert r.status_code == 302
    page = client.get(f"/meds/{oxy.pk}/edit/").content.decode()
    assert "Dr Cara Lee · update" in page
    assert "dose 10 → 20" in page


def test_outsider_gets_404_everywhere(client, pat, olga):
    client.force_login(pat)
    client.post("/me/meds/add/", OXY)
    oxy = Regimen.objects.get()
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/meds/add/").status_code == 404
    assert client.post(f"/clinician/patients/{pat.pk}/meds/add/", OXY).status_code == 404
    assert client.get(f"/meds/{oxy.pk}/edit/").status_code == 404
    assert client.post(f"/meds/{oxy.pk}/stop/").status_code == 404
    assert client.post("/me/meds/tick/", {"regimen": oxy.pk, "slot": "1", "status": "taken"}).status_code == 404
    oxy.refresh_from_db()
    assert oxy.stopped_on is None
    assert not DoseLog.objects.exists()


def test_side_effect_form(client, pat):
    client.force_login(pat)
    client.post("/me/meds/side-effects/", {"kind": "nausea", "severity": "4", "client_id": str(uuid.uuid4())})
    client.post("/me/meds/side-effects/", {"kind": "other", "severity": "4"})  # no text: refused
    assert list(SideEffect.objects.values_list("kind", "severity")) == [("nausea", 4)]


def test_dates_on_the_medicines_page_are_day_month_year(client, pat):
    """One format for a calendar date (docs/sharing.md, "Dates"): "4 Mar 2025", not Django's default."""
    client.force_login(pat)
    client.post("/me/meds/add/", OXY)
    client.post("/me/meds/side-effects/", {"kind": "nausea", "severity": "4", "client_id": str(uuid.uuid4())})
    Regimen.objects.update(started_on=date(2025, 3, 1), stopped_on=date(2025, 3, 4))
    # The side-effect list covers the last 30 days: one noted yesterday, written by hand.
    noted = timezone.localdate(timezone=pat.tzinfo) - timedelta(days=1)
    SideEffect.objects.update(noted_on=noted)
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    expected = f"<li>{noted.day} {months[noted.month - 1]} {noted.year} · Nausea"
    page = client.get("/me/meds/").content.decode()
    assert "stopped 4 Mar 2025" in page
    assert expected in page
