"""The clinician's lifestyle page (issue 13): the patient's days in a period, only the fields with
a value as columns, audited; 404 while the patient keeps lifestyle private, without consent, or
for anyone but a clinician."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.selfcare.actions import do_set_sharing
from painmind.selfcare.models import LifestyleEntry

pytestmark = pytest.mark.django_db


def entries(pat):
    today = timezone.localdate(timezone=pat.tzinfo)
    LifestyleEntry.objects.create(patient=pat, local_on=today, exercise_kind="swim", exercise_minutes=30)
    LifestyleEntry.objects.create(patient=pat, local_on=today - timedelta(days=3), alcohol_drinks=0, role_done="some")
    LifestyleEntry.objects.create(patient=pat, local_on=today - timedelta(days=40), caffeine_drinks=4)
    return today


def test_the_days_of_the_period_with_only_the_filled_fields(client, pat, cara):
    today = entries(pat)
    client.force_login(cara)
    r = client.get(f"/clinician/patients/{pat.pk}/lifestyle/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "2 days with an entry in the last 28 days" in page
    for label in ("Kind of exercise", "Exercise (minutes)", "Alcohol drinks", "Work or usual role done"):
        assert f'<th scope="col">{label}</th>' in page
    assert "Caffeine drinks" not in page  # only 40 days ago: outside the period
    # The clinician's date format (docs/care.md): day month year, no weekday.
    assert f'<th scope="row">{today.day} {today:%b %Y}</th><td>swim</td><td>30</td>' in page
    assert "<td>0</td><td>some</td>" in page  # 0 drinks is a value, shown as 0
    read = AuditEvent.objects.get(patient=pat, actor=cara, object_type="lifestyle_list")
    assert read.detail == "2 lifestyle days"
    wider = client.get(f"/clinician/patients/{pat.pk}/lifestyle/?days=90").content.decode()
    assert "3 days with an entry in the last 90 days" in wider
    assert '<th scope="col">Caffeine drinks</th>' in wider


def test_a_bad_period_is_named(client, pat, cara):
    client.force_login(cara)
    r = client.get(f"/clinician/patients/{pat.pk}/lifestyle/?days=7")
    assert r.status_code == 400
    assert "days: must be one of 28, 90, 365" in r.content.decode()


def test_private_lifestyle_is_404_and_the_link_goes(client, pat, cara):
    entries(pat)
    client.force_login(cara)
    assert "Lifestyle fields by day" in client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    do_set_sharing(Actor(user=pat, via="web"), "lifestyle", False)
    assert client.get(f"/clinician/patients/{pat.pk}/lifestyle/").status_code == 404
    assert "Lifestyle fields by day" not in client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert not AuditEvent.objects.filter(object_type="lifestyle_list").exists()


def test_without_consent_or_as_a_patient_it_is_404(client, pat, olga):
    entries(pat)
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/lifestyle/").status_code == 404
    client.force_login(pat)
    assert client.get(f"/clinician/patients/{pat.pk}/lifestyle/").status_code == 404
    assert not AuditEvent.objects.filter(object_type="lifestyle_list").exists()
