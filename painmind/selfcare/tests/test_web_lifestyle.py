"""Lifestyle pages without JavaScript: none chosen by default, only the chosen fields shown,
one entry a day, bad input naming the field with nothing stored, and the saved-check-in link."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from painmind.selfcare.models import LifestyleChoice, LifestyleEntry


def test_no_fields_by_default_and_no_link_after_a_check_in(client, pat):
    client.force_login(pat)
    html = client.get("/me/tools/lifestyle/").content.decode()
    assert "You have not chosen any lifestyle fields yet." in html
    assert 'name="exercise_minutes"' not in html
    r = client.post("/me/", {"pain": "5", "mood": "5"}, follow=True)
    assert "Add lifestyle notes" not in r.content.decode()  # the check-in stays as it was


def test_chosen_fields_only_saved_once_a_day(client, pat):
    client.force_login(pat)
    client.post("/me/tools/lifestyle/fields/", {"exercise": "on", "role": "on"})
    assert LifestyleChoice.objects.get(patient=pat).groups == ["exercise", "role"]
    html = client.get("/me/tools/lifestyle/").content.decode()
    assert 'name="exercise_minutes"' in html
    assert 'name="role_done"' in html
    assert 'name="alcohol_drinks"' not in html
    form = {"exercise_kind": "swimming", "exercise_minutes": "25", "role_done": "all"}
    assert client.post("/me/tools/lifestyle/", form).status_code == 302
    assert client.post("/me/tools/lifestyle/", {**form, "exercise_minutes": "40"}).status_code == 302
    row = LifestyleEntry.objects.get(patient=pat)
    assert (row.local_on, row.exercise_kind, row.exercise_minutes, row.role_done) == (
        timezone.localdate(timezone=pat.tzinfo),
        "swimming",
        40,
        "all",
    )
    assert 'value="40"' in client.get("/me/tools/lifestyle/").content.decode()


def test_bad_input_names_the_field_and_stores_nothing(client, pat):
    client.force_login(pat)
    client.post("/me/tools/lifestyle/fields/", {"exercise": "on"})
    r = client.post("/me/tools/lifestyle/", {"exercise_minutes": "2000"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Exercise_minutes: must be between 0 and 1440" in html
    assert 'aria-invalid="true"' in html
    assert LifestyleEntry.objects.count() == 0


def test_saved_check_in_links_to_that_days_fields_once_chosen(client, pat):
    client.force_login(pat)
    client.post("/me/tools/lifestyle/fields/", {"social": "on"})
    r = client.post("/me/", {"pain": "5", "mood": "5"}, follow=True)
    today = timezone.localdate(timezone=pat.tzinfo)
    assert f"/me/tools/lifestyle/?day={today.isoformat()}" in r.content.decode()
    yesterday = (today - timedelta(days=1)).isoformat()
    client.post(f"/me/tools/lifestyle/?day={yesterday}", {"loneliness": "7", "with_others_minutes": ""})
    row = LifestyleEntry.objects.get(patient=pat)
    assert (row.local_on.isoformat(), row.loneliness, row.with_others_minutes) == (yesterday, 7, None)


def test_clinician_cannot_open_the_patient_pages(client, cara):
    client.force_login(cara)
    assert client.get("/me/tools/lifestyle/").status_code in (403, 404)
