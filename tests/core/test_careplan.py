"""Goal progress from hand-computed vectors (core.careplan): baseline, current, met, fraction."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from painmind.core.careplan import (
    checkin_measures,
    checkin_progress,
    fraction_of_way,
    instrument_progress,
    target_met,
)

TODAY = date(2027, 1, 28)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2027, 1, day, hour, tzinfo=UTC)


def peg(scores, *, set_day=5, comparator="le", target=4.0, target_on=date(2027, 3, 1)):
    return instrument_progress(
        [(at(d), v) for d, v in scores],
        set_at=at(set_day),
        comparator=comparator,
        target=target,
        target_on=target_on,
        today=TODAY,
        label="PEG",
    )


@pytest.mark.parametrize(
    ("value", "comparator", "target", "expected"),
    [
        (9.9, "lt", 10, True),
        (10, "lt", 10, False),
        (10, "le", 10, True),
        (10.1, "le", 10, False),
        (6, "ge", 6, True),
        (5.9, "ge", 6, False),
        (6, "gt", 6, False),
        (6.1, "gt", 6, True),
    ],
)
def test_target_met_at_and_either_side_of_the_target(value, comparator, target, expected):
    assert target_met(value, comparator, target) is expected


def test_unknown_comparator_is_refused():
    with pytest.raises(ValueError, match="unknown comparator"):
        target_met(1, "eq", 1)


@pytest.mark.parametrize(
    ("baseline", "current", "target", "comparator", "expected"),
    [
        (7.0, 5.5, 4.0, "le", 0.5),  # (7 - 5.5) / (7 - 4) = 1.5 / 3
        (16, 13, 10, "lt", 0.5),  # (16 - 13) / (16 - 10) = 3 / 6
        (2, 5, 6, "ge", 0.75),  # (5 - 2) / (6 - 2) = 3 / 4
        (20, 35, 40, "gt", 0.75),  # (35 - 20) / (40 - 20)
        (7, 8, 4, "le", 0.0),  # worse than the baseline: clipped to 0
        (7, 3, 4, "le", 1.0),  # beyond the target: clipped to 1
        (2, 1, 6, "ge", 0.0),
        (3, 5, 4, "le", 0.0),  # baseline already met it, now not met
        (3, 2, 4, "le", 1.0),  # baseline already met it, still met
        (10, 10, 10, "lt", 0.0),  # strict target, baseline on it: nothing covered
        (10, 9, 10, "lt", 1.0),
    ],
)
def test_fraction_of_the_way_with_direction_from_the_comparator(baseline, current, target, comparator, expected):
    assert fraction_of_way(baseline, current, target, comparator) == pytest.approx(expected)


def test_instrument_goal_not_met_reports_the_share_of_the_way_in_a_sentence():
    # Baseline: the last score on or before 5 Jan (7.0 on 2 Jan), current: the latest (5.3).
    # (7.0 - 5.3) / (7.0 - 4) = 1.7 / 3 = 0.5667 -> 57 %; 28 Jan to 1 Mar 2027 is 32 days.
    p = peg([(1, 8.0), (2, 7.0), (10, 6.0), (20, 5.3)])
    assert (p.baseline, p.current, p.met) == (7.0, 5.3, False)
    assert p.fraction == pytest.approx(1.7 / 3)
    assert p.percent == 57
    assert p.days_left == 32
    assert p.as_of == date(2027, 1, 20)
    assert p.text == "PEG 5.3 now, target ≤ 4 by 1 Mar 2027: 57 % of the way from 7"
    assert p.days_left_text == "32 days left"


def test_instrument_goal_met_now():
    p = peg([(2, 7.0), (20, 3.5)])
    assert (p.met, p.fraction, p.percent) == (True, 1.0, 100)
    assert p.text == "PEG 3.5 now, target ≤ 4 by 1 Mar 2027: target met"


def test_score_taken_exactly_when_the_goal_was_set_is_the_baseline():
    p = peg([(5, 6.0), (20, 5.0)], set_day=5)
    assert p.baseline == 6.0  # (6 - 5) / (6 - 4) = 0.5
    assert p.fraction == pytest.approx(0.5)


def test_without_a_score_before_the_goal_the_first_one_after_is_the_baseline():
    # Scores given out of order on purpose: 9 Jan (8), 25 Jan (6), 15 Jan (7).
    p = peg([(25, 6.0), (9, 8.0), (15, 7.0)], set_day=5)
    assert (p.baseline, p.current) == (8.0, 6.0)  # (8 - 6) / (8 - 4) = 0.5
    assert p.percent == 50


def test_single_score_is_both_baseline_and_current():
    p = peg([(2, 7.0)])
    assert (p.baseline, p.current, p.fraction, p.met) == (7.0, 7.0, 0.0, False)
    assert p.text.endswith(": the same as at the start (7)")


# Issue 16: "0 % of the way" for a goal that moved the wrong way was not a true sentence.
@pytest.mark.parametrize(
    ("scores", "comparator", "target", "ending"),
    [
        (
            [(6, 7.0), (20, 8.0)],
            "le",
            4.0,
            "PEG 8 now, target ≤ 4 by 1 Mar 2027: further from the target than at the start (7)",
        ),
        (
            [(6, 30.0), (20, 25.0)],
            "ge",
            40.0,
            "PEG 25 now, target ≥ 40 by 1 Mar 2027: further from the target than at the start (30)",
        ),
        (
            [(6, 3.0), (20, 5.0)],
            "le",
            4.0,
            "PEG 5 now, target ≤ 4 by 1 Mar 2027: no longer met (it was at the start: 3)",
        ),
        # (7 - 6.99) / (7 - 4) = 0.0033: 0.33 % rounds to 0 %, but it did move the right way
        # (6.99 is shown with one decimal, "7").
        ([(6, 7.0), (20, 6.99)], "le", 4.0, "PEG 7 now, target ≤ 4 by 1 Mar 2027: less than 1 % of the way from 7"),
    ],
)
def test_progress_sentences_stay_true_when_not_moving_forward(scores, comparator, target, ending):
    p = peg(scores, comparator=comparator, target=target)
    assert p.fraction == 0.0 or p.percent == 0
    assert p.text == ending


def test_no_data_yet():
    p = peg([], comparator="lt", target=10, target_on=None)
    assert not p.has_data
    assert (p.current, p.baseline, p.met, p.fraction, p.percent, p.days_left) == (None, None, None, None, None, None)
    assert p.text == "PEG: no data yet (target < 10)"


@pytest.mark.parametrize(
    ("target_on", "days_left", "words"),
    [
        (date(2027, 1, 29), 1, "1 day left"),
        (date(2027, 1, 28), 0, "target date is today"),
        (date(2027, 1, 27), -1, "target date passed 1 day ago"),
        (date(2027, 1, 18), -10, "target date passed 10 days ago"),
    ],
)
def test_days_left_to_the_target_date(target_on, days_left, words):
    p = peg([(2, 7.0)], target_on=target_on)
    assert (p.days_left, p.days_left_text) == (days_left, words)


def test_rising_goal_from_a_lower_baseline():
    # "PSEQ ≥ 40": 20 before the goal, 35 now -> (35 - 20) / (40 - 20) = 0.75.
    p = instrument_progress(
        [(at(3), 20.0), (at(27), 35.0)],
        set_at=at(4),
        comparator="ge",
        target=40,
        target_on=None,
        today=TODAY,
        label="PSEQ",
    )
    assert (p.met, p.percent) == (False, 75)
    assert p.text == "PSEQ 35 now, target ≥ 40: 75 % of the way from 20"


# Pain by local date; 3 Jan has two check-ins (6 and 8 -> 7); 4, 11 and 14 Jan have none.
PAIN = [
    (1, 8),
    (2, 8),
    (3, 6),
    (3, 8),
    (5, 7),
    (6, 9),
    (7, 6),
    (8, 7),
    (9, 5),
    (10, 4),
    (12, 3),
    (13, 5),
    (15, 4),
    (16, 3),
]


def pain_progress(rows, *, set_day=9, comparator="le", target=4.0):
    return checkin_progress(
        [(date(2027, 1, d), v) for d, v in rows],
        set_on=date(2027, 1, set_day),
        comparator=comparator,
        target=target,
        target_on=None,
        today=TODAY,
        label="Pain",
    )


def test_checkin_goal_uses_the_last_seven_days_with_data_and_the_seven_before_the_goal():
    # Baseline: the 7 days with data before 9 Jan: 1, 2, 3, 5, 6, 7, 8 -> 8+8+7+7+9+6+7 = 52 / 7.
    # Current: the last 7 days with data: 8, 9, 10, 12, 13, 15, 16 -> 7+5+4+3+5+4+3 = 31 / 7.
    # Fraction: (52/7 - 31/7) / (52/7 - 4) = 3 / (24/7) = 21/24 = 0.875 -> 88 % (half up).
    p = pain_progress(PAIN)
    assert p.baseline == pytest.approx(52 / 7)
    assert p.current == pytest.approx(31 / 7)
    assert p.n_current == 7
    assert p.as_of == date(2027, 1, 16)
    assert p.fraction == pytest.approx(0.875)
    assert (p.met, p.percent) == (False, 88)
    assert p.text == "Pain 4.4 now, target ≤ 4: 88 % of the way from 7.4"


def test_checkin_goal_met_on_a_rising_variable():
    # Mood ≥ 6 set on 9 Jan; before: 3, 4 (2 days) -> 3.5; current: all 4 days -> (3+4+6+7)/4 = 5.
    rows = [(7, 3), (8, 4), (12, 6), (13, 7)]
    p = pain_progress(rows, comparator="ge", target=6)
    assert (p.baseline, p.current, p.n_current, p.met) == (3.5, 5.0, 4, False)
    assert p.fraction == pytest.approx((5 - 3.5) / (6 - 3.5))  # 0.6
    met = pain_progress(rows, comparator="ge", target=5)
    assert (met.met, met.fraction) == (True, 1.0)


def test_checkin_goal_without_data_before_it_starts_from_its_first_seven_days():
    # Set on 1 Jan before any data: baseline = first 7 days with data (2, 3, 5, 6, 7, 8, 9):
    # 8+7+7+9+6+7+5 = 49 / 7 = 7.0.
    p = pain_progress(PAIN[1:], set_day=1)
    assert p.baseline == pytest.approx(7.0)
    assert p.current == pytest.approx(31 / 7)


def test_checkin_goal_with_no_check_ins():
    p = pain_progress([])
    assert not p.has_data
    assert p.text == "Pain: no data yet (target ≤ 4)"


def test_checkin_measures_carry_the_check_in_bounds():
    by_id = {m.id: m for m in checkin_measures()}
    # Pain NRS 0-10 (clinical-reference §1.10); sleep 0-24 h; active time 0-1440 minutes a day.
    assert (by_id["pain"].lo, by_id["pain"].hi) == (0, 10)
    assert (by_id["sleep_hours"].lo, by_id["sleep_hours"].hi, by_id["sleep_hours"].unit) == (0, 24, "hours")
    assert by_id["activity_minutes"].hi == 1440
    assert by_id["pain"].choice_label == "Pain, daily check-in (0–10)"
