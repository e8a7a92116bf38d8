"""Boom-and-bust days (project rules, docs/selfcare.md) and the hard-day offer, by hand."""

from __future__ import annotations

from datetime import date, timedelta

from painmind.core.selfcare.boom_bust import find_boom_bust, is_boom
from painmind.core.selfcare.hard_day import hard_day, window_median

BOOM = date(2027, 3, 1)


def _before(day: date, value: float, n: int) -> dict[date, float]:
    return {day - timedelta(days=i): value for i in range(1, n + 1)}


def test_well_above_is_one_and_a_half_times_and_thirty_minutes_more():
    assert is_boom(60, 30)  # 60 ≥ 45 and 60 ≥ 60
    assert not is_boom(59, 30)  # 59 < 30 + 30
    assert not is_boom(39, 10)  # 39 ≥ 15 but < 10 + 30
    assert is_boom(45, 10)  # 45 ≥ 15 and ≥ 40
    assert not is_boom(140, 100)  # 140 ≥ 130 but < 150


def test_a_boom_followed_by_a_flare_day_with_less_activity():
    activity = {**_before(BOOM, 30, 20), BOOM: 60, BOOM + timedelta(days=1): 10}
    pain = {**_before(BOOM, 4, 20), BOOM: 4, BOOM + timedelta(days=1): 6}  # threshold 4 + 2 = 6
    found = find_boom_bust(activity, pain, since=BOOM - timedelta(days=5), until=BOOM + timedelta(days=3))
    assert [(f.boom_on, f.bust_on, f.usual_minutes, f.usual_pain) for f in found] == [
        (BOOM, BOOM + timedelta(days=1), 30.0, 4.0)
    ]


def test_the_bust_may_come_on_the_second_day_not_the_third():
    two = {**_before(BOOM, 30, 20), BOOM: 60, BOOM + timedelta(days=2): 0}
    three = {**_before(BOOM, 30, 20), BOOM: 60, BOOM + timedelta(days=3): 0}
    pain2 = {**_before(BOOM, 4, 20), BOOM + timedelta(days=2): 7}
    pain3 = {**_before(BOOM, 4, 20), BOOM + timedelta(days=3): 7}
    assert len(find_boom_bust(two, pain2, since=BOOM, until=BOOM)) == 1
    assert find_boom_bust(three, pain3, since=BOOM, until=BOOM) == []


def test_no_bust_without_the_flare_pain_or_with_usual_activity():
    activity = {**_before(BOOM, 30, 20), BOOM: 60, BOOM + timedelta(days=1): 10}
    pain = {**_before(BOOM, 4, 20), BOOM + timedelta(days=1): 5.9}
    assert find_boom_bust(activity, pain, since=BOOM, until=BOOM) == []
    busy = {**activity, BOOM + timedelta(days=1): 30}  # not below the usual 30
    assert find_boom_bust(busy, {**pain, BOOM + timedelta(days=1): 8}, since=BOOM, until=BOOM) == []


def test_no_note_with_fewer_than_fourteen_days_of_history():
    activity = {**_before(BOOM, 30, 13), BOOM: 90, BOOM + timedelta(days=1): 0}
    pain = {**_before(BOOM, 4, 20), BOOM + timedelta(days=1): 9}
    assert find_boom_bust(activity, pain, since=BOOM, until=BOOM) == []


def test_hard_day_is_two_above_the_pain_median_or_two_below_the_mood_median():
    day = date(2027, 3, 10)
    # 7 days before: pain 3, 4, 4, 5, 5, 6, 6 → median 5; mood 5, 6, 6, 7, 7, 8, 8 → median 7.
    pains = {day - timedelta(days=i + 1): v for i, v in enumerate([3, 4, 4, 5, 5, 6, 6])}
    moods = {day - timedelta(days=i + 1): v for i, v in enumerate([5, 6, 6, 7, 7, 8, 8])}
    pains[day - timedelta(days=29)] = 10  # outside the 28-day window: ignored
    assert window_median(pains, day) == 5
    assert hard_day(on=day, pain=7, mood=7, daily_pain=pains, daily_mood=moods).pain_high
    assert not hard_day(on=day, pain=6.5, mood=7, daily_pain=pains, daily_mood=moods).is_hard
    assert hard_day(on=day, pain=2, mood=5, daily_pain=pains, daily_mood=moods).mood_low
    assert not hard_day(on=day, pain=2, mood=5.5, daily_pain=pains, daily_mood=moods).is_hard
    # Six days of history: the rule says nothing.
    six = dict(list(pains.items())[:6])
    assert window_median(six, day) is None
    assert not hard_day(on=day, pain=10, mood=None, daily_pain=six, daily_mood={}).is_hard
