"""Quota pacing (clinical-reference §9.2) against hand-computed vectors."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from painmind.core.selfcare import pacing as p

D = Decimal


def test_the_issue_vector_baseline_20_minutes_step_10_percent():
    # start 0.8 × 20 = 16; rise 10 % of 20 = 2 a week; goal 30 reached in week 8.
    assert p.quotas(20, 10, 30) == [D(x) for x in ("16", "18", "20", "22", "24", "26", "28", "30")]


def test_the_last_week_is_capped_at_the_goal():
    assert p.quotas(20, 10, 25) == [D(x) for x in ("16", "18", "20", "22", "24", "25")]
    assert p.quota(20, 10, 25, 40) == D("25")


def test_step_of_20_percent_and_rounding_half_up():
    # 17 × 0.8 = 13.6; rise 17 × 0.15 = 2.55: 16.15 → 16.2, 18.70, 21.25 capped by goal 21.
    assert p.quotas(17, 15, 21) == [D("13.6"), D("16.2"), D("18.7"), D("21.0")]
    assert p.quotas(10, 20, 14) == [D("8"), D("10"), D("12"), D("14")]


def test_baseline_from_the_last_three_to_five_sessions():
    assert p.baseline_from_sessions([10, 20]) is None
    assert p.baseline_from_sessions([10, 20, 30]) == D(20)
    assert p.baseline_from_sessions([10, 20, 30, 40]) == D(25)
    assert p.baseline_from_sessions([5, 10, 20, 30, 40, 50]) == D(30)  # the last five only


@pytest.mark.parametrize(("planned", "needed"), [(7, 4), (6, 4), (4, 3), (3, 2), (2, 2), (1, 1)])
def test_most_of_the_planned_sessions(planned, needed):
    assert p.sessions_needed(planned) == needed


def test_plan_checks_name_the_field():
    ok: dict[str, Any] = {"unit": "minutes", "baseline": 20, "step_percent": 10, "goal": 30, "sessions_per_week": 7}
    assert p.check_plan(**ok) == {}
    assert p.check_plan(**{**ok, "unit": "miles"}).keys() == {"unit"}
    assert p.check_plan(**{**ok, "step_percent": 9}).keys() == {"step_percent"}
    assert p.check_plan(**{**ok, "step_percent": 21}).keys() == {"step_percent"}
    assert p.check_plan(**{**ok, "sessions_per_week": 0}).keys() == {"sessions_per_week"}
    assert p.check_plan(**{**ok, "goal": 16})["goal"][0].startswith("must be above the start quota (16.0")
    assert p.check_plan(**{**ok, "baseline": 0}).keys() == {"baseline"}
    assert p.check_plan(**{**ok, "goal": 1441}).keys() == {"goal"}
    # baseline 10, rise 1 a week from 8: goal 60 is 52 rises away, 61 is 53.
    assert p.check_plan(**{**ok, "baseline": 10, "goal": 60}) == {}
    assert "weekly steps away" in p.check_plan(**{**ok, "baseline": 10, "goal": 61})["goal"][0]
    assert p.check_plan(**{**ok, "baseline": None}) == {}


MONDAY = date(2027, 1, 4)


def _days(start: date, amounts: list[float]) -> dict[date, list[float]]:
    return {start + timedelta(days=i): [a] for i, a in enumerate(amounts)}


def test_a_held_week_repeats_its_quota_and_shifts_the_rest():
    done = {
        **_days(MONDAY, [16, 16, 0, 16, 16]),  # week 1, quota 16: 4 of 7 days → met
        **_days(MONDAY + timedelta(days=7), [18, 18, 18, 17, 17]),  # week 2, quota 18: 3 days → held
    }
    weeks = p.schedule(
        baseline=20,
        step_percent=10,
        goal=24,
        start_on=MONDAY,
        sessions_per_week=7,
        done_by_day=done,
        today=date(2027, 1, 20),
    )
    got = [(w.week, w.starts_on, w.quota, w.done, w.state) for w in weeks]
    assert got == [
        (1, date(2027, 1, 4), D(16), 4, "met"),
        (2, date(2027, 1, 11), D(18), 3, "held"),
        (3, date(2027, 1, 18), D(18), 0, "current"),
        (4, date(2027, 1, 25), D(20), 0, "planned"),
        (5, date(2027, 2, 1), D(22), 0, "planned"),
        (6, date(2027, 2, 8), D(24), 0, "planned"),
    ]
    current = p.current_week(weeks, date(2027, 1, 20))
    assert current is not None
    assert current.week == 3
    assert p.current_week(weeks, date(2027, 1, 3)) is None


def test_fewer_planned_sessions_and_two_sessions_one_day_count_once():
    # 3 a week: 2 needed. Two sessions on one day are one day done.
    done = {MONDAY: [16, 16], MONDAY + timedelta(days=2): [15]}
    weeks = p.schedule(
        baseline=20,
        step_percent=10,
        goal=18,
        start_on=MONDAY,
        sessions_per_week=3,
        done_by_day=done,
        today=MONDAY + timedelta(days=7),
    )
    assert [(w.quota, w.state) for w in weeks] == [(D(16), "held"), (D(16), "current"), (D(18), "planned")]


def test_before_the_start_every_week_is_planned_and_the_list_ends_at_the_goal():
    weeks = p.schedule(
        baseline=20,
        step_percent=10,
        goal=30,
        start_on=MONDAY,
        sessions_per_week=7,
        done_by_day={},
        today=MONDAY - timedelta(days=1),
    )
    assert [w.quota for w in weeks] == p.quotas(20, 10, 30)
    assert {w.state for w in weeks} == {"planned"}
