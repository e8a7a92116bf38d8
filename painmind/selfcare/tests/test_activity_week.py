"""The weekly activities review through the stored diary: this week's activities counted by
hand, a seeded walk → lower next-day pain found as "linked with better days", a bad ?week named,
the page the patient's own."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import numpy as np
import pytest
from django.utils import timezone

from painmind.diary.models import CheckIn
from painmind.selfcare.models import Activity

pytestmark = pytest.mark.django_db


def diary(pat, rng, *, n_days=120, effect=1.0):
    """Check-ins for the `n_days` before today; a walk on 40 % of days lowers the next day's pain
    by `effect` points; reading (40 % of days) does nothing."""
    today = timezone.localdate(timezone=pat.tzinfo)
    pain = mood = 5.0
    walked = False
    checkins, acts = [], []
    for i in range(n_days, 0, -1):
        day = today - timedelta(days=i)
        pain = 5 + 0.3 * (pain - 5) - (effect if walked else 0.0) + rng.normal(0, 1)
        mood = 5 + 0.3 * (mood - 5) + rng.normal(0, 1)
        checkins.append(CheckIn(patient=pat, recorded_at=datetime.combine(day, time(20), tzinfo=UTC), local_on=day,
                                pain=round(min(max(pain, 0), 10)), mood=round(min(max(mood, 0), 10))))  # fmt: skip
        walked = bool(rng.random() < 0.4)
        if walked:
            acts.append(Activity(patient=pat, name="Walk", life_area="health", done_on=day, mastery=6, pleasure=5))
        if rng.random() < 0.4:
            acts.append(Activity(patient=pat, name="Read", life_area="leisure", done_on=day))
    CheckIn.objects.bulk_create(checkins)
    Activity.objects.bulk_create(acts)


def test_a_real_walk_link_is_linked_with_better_days(client, pat):
    diary(pat, np.random.default_rng(13))
    client.force_login(pat)
    page = client.get("/me/tools/activities/week/").content.decode()
    assert "Linked with better days" in page
    assert "On days when you did “Walk”, your pain the next day tended to be lower" in page
    assert "Linked with harder days" not in page
    assert "not proof that an activity causes" in page


def test_this_weeks_activities_are_counted_by_hand(client, pat):
    today = timezone.localdate(timezone=pat.tzinfo)
    monday = today - timedelta(days=today.weekday())
    Activity.objects.bulk_create([
        Activity(patient=pat, name="Swim", life_area="health", done_on=monday, mastery=4, pleasure=8),
        Activity(patient=pat, name="swim ", life_area="health", done_on=today, mastery=7, pleasure=None),
        Activity(patient=pat, name="Swim", life_area="health", done_on=monday - timedelta(days=1), mastery=1),
        Activity(patient=pat, name="Call Mum", life_area="relationships", planned_on=monday),
    ])  # fmt: skip
    client.force_login(pat)
    r = client.get("/me/tools/activities/week/")
    page = r.content.decode()
    # Monday and today this week (Sunday's swim was last week): 2 times, achievement (4 + 7) / 2.
    assert "<td>swim</td><td>2</td><td>5.5</td><td>8.0</td>" in page
    assert "1 planned activity not done yet" in page
    assert "Log activities as done, and check in most days" in page  # no diary: nothing to compare
    last = client.get(f"/me/tools/activities/week/?week={(monday - timedelta(days=1)).isoformat()}")
    assert "<td>Swim</td><td>1</td><td>1.0</td><td>–</td>" in last.content.decode()


def test_a_bad_week_is_named_and_this_week_shown(client, pat):
    client.force_login(pat)
    r = client.get("/me/tools/activities/week/?week=last-tuesday")
    assert r.status_code == 400
    assert "week: must be a date (YYYY-MM-DD)" in r.content.decode()


def test_the_review_is_the_patients_own(client, pat, cara):
    client.force_login(cara)
    assert client.get("/me/tools/activities/week/").status_code == 404
