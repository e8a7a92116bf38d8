"""What follows an edit or a deletion: flare alerts re-evaluated (and kept, with a note), the
cycle cache dropped, and a deleted entry gone from every reader (pages, share link, cycle input)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from painmind.accounts.actions import do_create_share_link
from painmind.accounts.audit import Actor
from painmind.diary.actions import do_delete_checkin, do_edit_checkin, do_import_checkins
from painmind.diary.models import CheckIn
from painmind.insights.actions import do_refresh_cycles
from painmind.insights.analysis import diary_frame
from painmind.insights.models import CycleAnalysis
from painmind.safety.models import Alert


def days_ago(patient, n, hour=19):
    day = timezone.localdate(timezone=patient.tzinfo) - timedelta(days=n)
    return datetime.combine(day, time(hour, 0), tzinfo=patient.tzinfo)


def record_days(patient, pains_by_days_ago):
    rows = [(days_ago(patient, n), {"pain": p, "mood": 5}) for n, p in pains_by_days_ago.items()]
    do_import_checkins(Actor(user=patient, via="cli"), patient, rows)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def written(day):
    """A calendar date as the clinician's pages write it (docs/care.md: "3 Mar 2025")."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def entry_on(patient, n):
    return CheckIn.objects.get(patient=patient, local_on=days_ago(patient, n).date())


# Twenty days at pain 3: a 28-day median of 3, so a flare day is pain >= 3 + 2 = 5 on three days
# (core.alert_rules FLARE_RISE; as in test_alert_pass). Callers add the last three days.
BASELINE = dict.fromkeys(range(4, 24), 3)


def test_an_edit_that_makes_a_flare_raises_the_alert(pat, cara):
    record_days(pat, {**BASELINE, 3: 5, 2: 5, 1: 3})
    assert not Alert.objects.filter(kind="flare").exists()
    do_edit_checkin(Actor(user=pat, via="web"), entry_on(pat, 1), {"pain": 5})
    alert = Alert.objects.get(kind="flare")
    assert alert.is_open
    assert "5, 5, 5" in alert.title


def test_an_alert_whose_value_is_edited_away_is_kept_closed_with_a_note(pat, cara, client):
    record_days(pat, {**BASELINE, 3: 5, 2: 5, 1: 5})
    alert = Alert.objects.get(kind="flare")
    edited = entry_on(pat, 1)
    do_edit_checkin(Actor(user=pat, via="web"), edited, {"pain": 2})
    alert.refresh_from_db()
    assert Alert.objects.filter(kind="flare").count() == 1  # kept: a safety record
    assert alert.resolved_at is not None  # the flare has passed, as when new check-ins end one
    [note] = alert.data["entry_changes"]
    assert (note["checkin_id"], note["change"], note["on"]) == (edited.pk, "edited", str(edited.local_on))
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/measures/").content.decode()
    assert f"A check-in of {written(edited.local_on)} that this alert may have counted was later edited" in page
    assert f'what it said<span class="sr-only"> on {written(edited.local_on)}</span>' in page
    assert edited.local_on.isoformat() not in page  # the stored ISO text never reaches the page


def test_an_edit_that_leaves_the_pain_alone_notes_nothing(pat, cara):
    record_days(pat, {**BASELINE, 3: 5, 2: 5, 1: 5})
    do_edit_checkin(Actor(user=pat, via="web"), entry_on(pat, 1), {"mood": 1, "note": "typo"})
    alert = Alert.objects.get(kind="flare")
    assert alert.is_open
    assert "entry_changes" not in alert.data


def test_deleting_a_flare_day_closes_the_alert_and_notes_it(pat, cara, client):
    record_days(pat, {**BASELINE, 3: 5, 2: 5, 1: 5})
    gone = entry_on(pat, 2)
    do_delete_checkin(Actor(user=pat, via="web"), gone)
    alert = Alert.objects.get(kind="flare")
    assert alert.resolved_at is not None
    assert alert.data["entry_changes"][0]["change"] == "deleted"
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/measures/").content.decode()
    assert f"A check-in of {written(gone.local_on)} that this alert may have counted was later deleted" in page
    # The clinician's diary lists the deleted entry by its day in the same format.
    diary = client.get(f"/clinician/patients/{pat.pk}/diary/").content.decode()
    assert f"The check-in of {written(gone.local_on)} (pain 5, mood 5), deleted " in diary
    assert gone.local_on.isoformat() not in diary


def test_deleting_the_last_recent_entries_starts_a_silence(pat, cara):
    # Daily check-ins until a week ago, and one yesterday: no silence. Deleting yesterday's leaves
    # the patient silent for longer than SILENCE_DAYS, as an import of that history would say.
    record_days(pat, {**dict.fromkeys(range(8, 30), 3), 1: 3})
    assert not Alert.objects.filter(kind="silence").exists()
    do_delete_checkin(Actor(user=pat, via="web"), entry_on(pat, 1))
    assert Alert.objects.filter(kind="silence", resolved_at__isnull=True).count() == 1


def test_an_edit_drops_the_cycle_cache_and_the_next_refresh_sees_the_new_value(pat):
    record_days(pat, dict.fromkeys(range(1, 11), 4))
    assert do_refresh_cycles([pat.pk]) == 1
    assert do_refresh_cycles([pat.pk]) == 0  # fresh
    do_edit_checkin(Actor(user=pat, via="web"), entry_on(pat, 1), {"pain": 9})
    assert not CycleAnalysis.objects.filter(patient=pat).exists()
    assert do_refresh_cycles([pat.pk]) == 1
    frame = diary_frame([pat.pk])
    assert sorted(frame["pain"]) == [4.0] * 9 + [9.0]


def test_a_deleted_entry_leaves_the_cycle_input_the_pages_and_the_share_link(pat, cara, client):
    record_days(pat, {3: 2, 2: 8, 1: 2})
    gone = entry_on(pat, 2)
    CheckIn.objects.filter(pk=gone.pk).update(note="the mistaken one")
    _, token = do_create_share_link(Actor(user=pat, via="web"), label="physio", scopes=["checkins"], days=7)
    client.force_login(cara)
    assert "the mistaken one" in client.get(f"/clinician/patients/{pat.pk}/diary/").content.decode()
    do_delete_checkin(Actor(user=pat, via="web"), gone)
    assert list(diary_frame([pat.pk])["pain"]) == [2.0, 2.0]
    assert "the mistaken one" not in client.get(f"/s/{token}/").content.decode()
    page = client.get(f"/clinician/patients/{pat.pk}/diary/").content.decode()
    assert "the mistaken one" not in page
    assert "Deleted by the patient" in page  # …but the clinician sees that something was deleted
    client.force_login(pat)
    assert "the mistaken one" not in client.get("/me/").content.decode()


def test_the_check_in_read_finds_only_this_patients_tombstone_of_this_key(pat):
    import uuid

    from painmind.accounts.actions import do_create_user
    from painmind.diary.actions import do_record_checkin
    from painmind.diary.actions.alerts import load_checkin_alert_state

    other = do_create_user("other@example.org", "x" * 12, role="patient", check_password=False)
    key, edited_key = uuid.uuid4(), uuid.uuid4()
    mine, _ = do_record_checkin(Actor(user=pat, via="web"), pat, {"pain": 3, "mood": 5}, client_id=key)
    theirs, _ = do_record_checkin(Actor(user=other, via="web"), other, {"pain": 3, "mood": 5}, client_id=key)
    kept, _ = do_record_checkin(Actor(user=pat, via="web"), pat, {"pain": 3, "mood": 5}, client_id=edited_key)
    do_edit_checkin(Actor(user=pat, via="web"), kept, {"pain": 4})  # an edit is no tombstone
    assert load_checkin_alert_state(pat, key).deleted_id is None
    do_delete_checkin(Actor(user=other, via="web"), theirs)
    assert load_checkin_alert_state(pat, key).deleted_id is None  # another patient's key
    do_delete_checkin(Actor(user=pat, via="web"), mine)
    assert load_checkin_alert_state(pat, key).deleted_id == mine.pk
    assert load_checkin_alert_state(pat, edited_key).deleted_id is None
    assert load_checkin_alert_state(pat).deleted_id is None
