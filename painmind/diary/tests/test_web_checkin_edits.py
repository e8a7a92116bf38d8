"""Editing and deleting a check-in on the web (no JavaScript), and what the clinician sees."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from painmind.accounts.models import AuditEvent
from painmind.diary.models import CheckIn, CheckInRevision


def saved(client, pat, **values):
    client.force_login(pat)
    data = {"pain": "6", "mood": "4", "client_id": str(uuid.uuid4()), **values}
    assert client.post("/me/", data).status_code == 302
    return CheckIn.objects.order_by("-id").first()


def test_history_links_to_edit_and_delete_for_the_patient_only(client, pat, cara):
    entry = saved(client, pat)
    home = client.get("/me/").content.decode()
    assert f'href="/me/checkins/{entry.pk}/edit/"' in home
    assert f'href="/me/checkins/{entry.pk}/delete/"' in home
    client.force_login(cara)
    diary = client.get(f"/clinician/patients/{pat.pk}/diary/").content.decode()
    assert "/edit/" not in diary
    assert "/delete/" not in diary


def test_edit_form_is_the_check_in_form_filled_in(client, pat):
    entry = saved(client, pat, sleep_hours="7.5", tags="walk, physio", note="ok day", pain_locations=["neck"])
    html = client.get(f"/me/checkins/{entry.pk}/edit/").content.decode()
    assert f'action="/me/checkins/{entry.pk}/edit/"' in html
    assert 'name="client_id"' not in html  # an entry keeps its key
    assert 'value="7.5"' in html
    assert 'value="physio, walk"' in html  # stored sorted
    assert ">ok day</textarea>" in html
    assert 'value="neck" checked' in html
    assert "Save changes" in html


def test_edit_changes_the_values_and_keeps_a_revision(client, pat, cara):
    entry = saved(client, pat, note="first")
    r = client.post(f"/me/checkins/{entry.pk}/edit/", {"pain": "3", "mood": "4", "note": "second"})
    assert r.status_code == 302
    assert r["Location"] == "/me/"
    entry.refresh_from_db()
    assert (entry.pain, entry.note) == (3, "second")
    assert entry.edited_at is not None
    revision = CheckInRevision.objects.get()
    assert (revision.kind, revision.content["pain"], revision.content["note"]) == ("edit", 6, "first")
    assert "Check-in changed." in client.get("/me/").content.decode()
    assert not AuditEvent.objects.exists()  # the patient's own write, as their check-ins
    # The clinician sees "edited" beside it and, on request, what it said before: audited.
    client.force_login(cara)
    diary = client.get(f"/clinician/patients/{pat.pk}/diary/").content.decode()
    assert "edited<br>" in diary
    link = f"/clinician/patients/{pat.pk}/diary/{entry.pk}/"
    assert f'href="{link}"' in diary
    page = client.get(link).content.decode()
    assert "Before the edit of" in page
    assert "<td>first</td>" in page
    assert "<td>second</td>" in page
    assert AuditEvent.objects.filter(actor=cara, object_type="checkin_list", object_id=str(entry.pk)).exists()


def test_the_edit_moment_is_written_day_month_year_time(client, pat, cara):
    """One format for a moment on every page (docs/care.md, docs/sharing.md): "4 Mar 2025, 09:30"."""
    entry = saved(client, pat)
    client.post(f"/me/checkins/{entry.pk}/edit/", {"pain": "3", "mood": "4"})
    # Pinned: 09:30 UTC on 4 Mar 2025 is 09:30 in London (GMT in March before the clocks change).
    at = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    CheckIn.objects.filter(pk=entry.pk).update(edited_at=at)
    CheckInRevision.objects.update(changed_at=at)
    for user, url in ((pat, "/me/"), (cara, f"/clinician/patients/{pat.pk}/diary/")):
        client.force_login(user)
        assert "edited<br>4 Mar 2025, 09:30" in client.get(url).content.decode()
    page = client.get(f"/clinician/patients/{pat.pk}/diary/{entry.pk}/").content.decode()
    assert "Before the edit of 4 Mar 2025, 09:30" in page


def test_bad_edit_names_the_field_and_changes_nothing(client, pat):
    entry = saved(client, pat)
    r = client.post(f"/me/checkins/{entry.pk}/edit/", {"pain": "11", "mood": "4"})
    assert r.status_code == 400
    assert "Pain must be between 0 and 10" in r.content.decode()
    entry.refresh_from_db()
    assert (entry.pain, entry.edited_at) == (6, None)
    assert not CheckInRevision.objects.exists()


def test_delete_asks_first_then_removes_it_from_the_history(client, pat):
    entry = saved(client, pat, note="mistake")
    confirm = client.get(f"/me/checkins/{entry.pk}/delete/")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert f'<form method="post" action="/me/checkins/{entry.pk}/delete/">' in html
    assert CheckIn.objects.filter(pk=entry.pk).exists()  # asking deletes nothing
    r = client.post(f"/me/checkins/{entry.pk}/delete/")
    assert r.status_code == 302
    assert not CheckIn.objects.exists()
    home = client.get("/me/").content.decode()
    assert "Check-in deleted." in home
    assert "mistake" not in home
    assert CheckInRevision.objects.get().kind == "delete"


def test_nobody_else_can_edit_or_delete(client, pat, cara, olga):
    entry = saved(client, pat)
    for user in (cara, olga):
        client.force_login(user)
        for path in (f"/me/checkins/{entry.pk}/edit/", f"/me/checkins/{entry.pk}/delete/"):
            assert client.get(path).status_code == 404
            assert client.post(path, {"pain": "0", "mood": "0"}).status_code == 404
    client.logout()
    assert client.post(f"/me/checkins/{entry.pk}/delete/").status_code == 302  # to sign in
    entry.refresh_from_db()
    assert entry.pain == 6
    assert not CheckInRevision.objects.exists()


def test_olga_cannot_read_the_earlier_values(client, pat, olga):
    entry = saved(client, pat)
    client.post(f"/me/checkins/{entry.pk}/edit/", {"pain": "1", "mood": "4"})
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/diary/{entry.pk}/").status_code == 404
