"""Behavioural-activation rules (clinical-reference §9.3), against hand-computed values."""

from __future__ import annotations

from datetime import date

import pytest

from painmind.core.selfcare.activation import ActivityError, clean_activity, planned_vs_done

TODAY = date(2026, 3, 10)


def test_planned_vs_done_counts_by_hand():
    items = [
        (date(2026, 3, 8), date(2026, 3, 8)),  # planned and done: due, done
        (date(2026, 3, 9), None),  # planned, day passed, not done: due
        (date(2026, 3, 10), None),  # today, not yet done: due
        (date(2026, 3, 12), date(2026, 3, 10)),  # done early: due, done
        (date(2026, 3, 14), None),  # ahead
        (None, date(2026, 3, 9)),  # done without a plan
    ]
    c = planned_vs_done(items, TODAY)
    assert (c.due, c.done_as_planned, c.ahead, c.unplanned_done) == (4, 2, 1, 1)


def test_clean_activity_needs_a_day_and_rates_only_once_done():
    with pytest.raises(ActivityError) as exc:
        clean_activity({"name": "Walk", "life_area": "health", "mastery": 5}, TODAY)
    assert set(exc.value.errors) == {"mastery", "planned_on"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"planned_on": "2026-03-09"}, "planned_on"),  # a plan in the past
        ({"planned_on": "2026-04-08"}, "planned_on"),  # 29 days ahead
        ({"done_on": "2026-03-11"}, "done_on"),  # done tomorrow
        ({"done_on": "2026-03-10", "pleasure": 11}, "pleasure"),
        ({"done_on": "2026-03-10", "life_area": "money"}, "life_area"),
    ],
)
def test_bad_activity_names_the_field(data, field):
    with pytest.raises(ActivityError) as exc:
        clean_activity({"name": "Call Sam", "life_area": "relationships", **data}, TODAY)
    assert field in exc.value.errors


def test_plan_28_days_ahead_is_fine():
    v = clean_activity({"name": "Swim", "life_area": "health", "planned_on": "2026-04-07"}, TODAY)
    assert v["planned_on"] == date(2026, 4, 7)
