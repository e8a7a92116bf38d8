"""Pain-flare, silence and score-alert rules at their thresholds (hand-built diaries and scores)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from painmind.core.alert_rules import (
    ScorePoint,
    Worsening,
    find_flare,
    find_worsening,
    is_silent,
    severe_band_passed,
    worsening_passed,
)

TODAY = date(2026, 3, 31)


def diary(baseline: float, last3: tuple[float, ...], *, baseline_days: int = 28, end: date = TODAY):
    days = {}
    start = end - timedelta(days=len(last3) - 1)
    for i in range(1, baseline_days + 1):
        days[start - timedelta(days=i)] = baseline
    for i, pain in enumerate(last3):
        days[start + timedelta(days=i)] = pain
    return days


@pytest.mark.parametrize(
    ("last3", "flare"),
    [
        ((6, 6, 6), True),  # median 4 + 2 = 6: exactly at the threshold
        ((6, 6, 5.9), False),  # one day just below
        ((7, 8, 9), True),
        ((6, 6), False),  # two days are not three
    ],
)
def test_flare_threshold(last3, flare):
    found = find_flare(diary(4, last3), TODAY)
    assert (found is not None) == flare
    if found:
        assert found.baseline_median == 4
        assert found.pains == tuple(float(p) for p in last3)


def test_flare_ending_yesterday_counts_but_not_three_days_ago():
    assert find_flare(diary(4, (6, 6, 6), end=TODAY - timedelta(days=1)), TODAY) is not None
    # No check-in yesterday or today: the four days to yesterday still hold the three flare days.
    assert find_flare(diary(4, (6, 6, 6), end=TODAY - timedelta(days=2)), TODAY) is not None
    # Ending three days ago: only two of them fall in the four days to yesterday.
    assert find_flare(diary(4, (6, 6, 6), end=TODAY - timedelta(days=3)), TODAY) is None


def gap_diary(baseline: float, last4: tuple[float | None, ...], *, end: date = TODAY, baseline_days: int = 28):
    """`last4` ends on `end`; None = no check-in that day. The baseline fills the days before."""
    days = {}
    start = end - timedelta(days=len(last4) - 1)
    for i in range(1, baseline_days + 1):
        days[start - timedelta(days=i)] = baseline
    for i, pain in enumerate(last4):
        if pain is not None:
            days[start + timedelta(days=i)] = pain
    return days


@pytest.mark.parametrize(
    ("last4", "flare"),
    [
        ((9, None, 9, 9), True),  # a day without a check-in neither counts nor breaks the run
        ((6, None, 6, 6), True),  # median 4 + 2 = 6: at the threshold
        ((9, None, 9, 5.9), False),  # just below on one of the three days
        ((None, 9, None, 9), False),  # two flare days in four are not three
        ((9, 3, 9, 9), False),  # a recorded day below the threshold breaks the run
        ((3, 9, 9, 9), True),  # the newest three recorded days are flare days
        ((9, 9, 9, 3), False),  # today is back at baseline: the flare has passed
    ],
)
def test_three_flare_days_within_four_calendar_days(last4, flare):
    found = find_flare(gap_diary(4, last4), TODAY)
    assert (found is not None) == flare
    if found:
        assert found.threshold == 6
        assert found.baseline_median == 4


def test_flare_with_a_gap_ending_yesterday_then_todays_low_entry_closes_it():
    days = gap_diary(4, (9, None, 9, 9), end=TODAY - timedelta(days=1))
    assert find_flare(days, TODAY) is not None  # today not recorded yet: the span ends yesterday
    days[TODAY] = 4
    assert find_flare(days, TODAY) is None


def high_baseline(median_low: float, median_high: float) -> dict[date, float]:
    """Fourteen days at each of two values: the median is their mean (28 days, even count)."""
    start = TODAY - timedelta(days=2)
    return {start - timedelta(days=i): (median_low if i % 2 else median_high) for i in range(1, 29)}


@pytest.mark.parametrize(
    ("low", "high", "last3", "flare", "threshold"),
    [
        (8, 9, (10, 10, 10), True, 10),  # median 8.5: 8.5 + 2 = 10.5, capped at 10 (the top of the scale)
        (8, 9, (10, 10, 9.9), False, None),  # just below the cap
        (8, 8, (10, 10, 10), True, 10),  # median 8: 8 + 2 = 10 exactly
        (7.5, 8.3, (9.9, 9.9, 9.9), True, 9.9),  # median 7.9: 7.9 + 2 = 9.9, under the cap
        (7.5, 8.3, (9.9, 9.9, 9.8), False, None),
        (10, 10, (10, 10, 10), True, 10),  # someone always at 10 is at the threshold (project rule)
    ],
)
def test_flare_threshold_is_capped_at_ten(low, high, last3, flare, threshold):
    days = high_baseline(low, high)
    for i, pain in enumerate(last3):
        days[TODAY - timedelta(days=2 - i)] = pain
    found = find_flare(days, TODAY)
    assert (found is not None) == flare
    if found:
        assert found.threshold == pytest.approx(threshold)


def test_todays_entry_back_at_baseline_ends_the_flare():
    days = diary(4, (6, 6, 6), end=TODAY - timedelta(days=1))
    days[TODAY] = 4
    assert find_flare(days, TODAY) is None


def test_flare_needs_fourteen_baseline_days():
    assert find_flare(diary(4, (8, 8, 8), baseline_days=13), TODAY) is None
    assert find_flare(diary(4, (8, 8, 8), baseline_days=14), TODAY) is not None


def test_flare_baseline_is_the_median_not_the_mean():
    days = diary(3, (6, 6, 6))
    first = min(days)
    for i in range(5):  # five very painful baseline days move the mean, not the median
        days[first + timedelta(days=i)] = 10
    found = find_flare(days, TODAY)
    assert found is not None
    assert found.baseline_median == 3


def regular(until: date, n: int) -> set[date]:
    return {until - timedelta(days=i) for i in range(n)}


@pytest.mark.parametrize(("gap", "silent"), [(6, False), (7, True), (20, True)])
def test_silence_after_seven_days(gap, silent):
    assert is_silent(regular(TODAY - timedelta(days=gap), 10), TODAY) is silent


@pytest.mark.parametrize(("active", "silent"), [(6, False), (7, True)])
def test_silence_only_for_people_who_had_been_checking_in(active, silent):
    assert is_silent(regular(TODAY - timedelta(days=8), active), TODAY) is silent


def test_no_checkins_is_not_silence():
    assert is_silent(set(), TODAY) is False


# --- which alerts a scored response implies (hand-scored answers; clinical-reference §1.1, §1.3, §3)


def _phq9(answers):
    from painmind.core.instruments import get_instrument, score

    return score(get_instrument("phq9"), answers)


def _specs(answers, worsening=None, instrument_id="phq9"):
    from painmind.core.alert_rules import response_alerts

    return [
        (s.kind, s.severity, s.key)
        for s in response_alerts(_phq9(answers), worsening, instrument_id=instrument_id, name="PHQ-9")
    ]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # total 8, item 9 = 0: nothing
        ([1, 1, 1, 1, 1, 1, 1, 1, 0], []),
        # item 9 = 1 fires whatever the total (here 1)
        ([0, 0, 0, 0, 0, 0, 0, 0, 1], [("self_harm", "critical", "self_harm")]),
        # item 9 left blank: risk unknown, also critical
        ([0, 0, 0, 0, 0, 0, 0, 0, None], [("self_harm", "critical", "self_harm")]),
        # total 20 = severe band (>= 20), item 9 = 0
        ([3, 3, 3, 3, 2, 2, 2, 2, 0], [("severe_band", "warning", "phq9")]),
        # total 19: moderately severe, no alert
        ([3, 3, 3, 3, 2, 2, 2, 1, 0], []),
        # both: the self-harm alert comes first
        ([3, 3, 3, 3, 2, 2, 2, 2, 1], [("self_harm", "critical", "self_harm"), ("severe_band", "warning", "phq9")]),
    ],
)
def test_response_alerts(answers, expected):
    assert _specs(answers) == expected


def test_reliable_worsening_alerts_only_on_the_listed_instruments():
    from painmind.core.alert_rules import response_alerts

    worse = find_worsening("phq9", 14, previous=point(1, 2), baseline=point(1, 2))
    assert worse is not None  # +12 on PHQ-9: reliably worse (clinical-reference §3)
    answers = [2, 2, 2, 2, 2, 2, 1, 1, 0]  # 14
    assert _specs(answers, worse) == [("reliable_worsening", "warning", "phq9")]
    assert _specs(answers, worse, instrument_id="phq4") == []
    assert find_worsening("phq9", 2, previous=point(1, 14), baseline=point(1, 14)) is None  # reliably better
    spec = response_alerts(_phq9(answers), worse, instrument_id="phq9", name="PHQ-9")[0]
    assert spec.data == {"against": "baseline", "response_id": 1, "total": 2.0, "on": "2026-03-01"}
    assert spec.title.startswith("PHQ-9: 14, reliably worse than the first score in 90 days (2 on 1 Mar): up 12")


# --- reliable worsening against the previous score and the 90-day baseline (§3; PHQ-9 SEM 2.5 →
# threshold 1.96·√2·2.5 = 6.93 points: +7 is reliable, +6 is not; GAD-7 SD 3.5, α 0.89 →
# SEM 3.5·√0.11 = 1.161, threshold 3.22: +4 is reliable, +3 is not)


def point(rid: int, total: float, day: int = 1) -> ScorePoint:
    return ScorePoint(rid, float(total), date(2026, 3, day))


def worse(instrument_id: str, total: float, *, previous: ScorePoint | None, baseline: ScorePoint | None) -> Worsening:
    found = find_worsening(instrument_id, total, previous=previous, baseline=baseline)
    assert found is not None
    return found


def test_two_then_fourteen_raises_and_fifteen_keeps_it_open():
    first = point(1, 2)
    raised = find_worsening("phq9", 14, previous=first, baseline=first)
    assert raised is not None
    assert (raised.reference.total, raised.change.delta) == (2, 12)
    # 14 → 15 is no reliable change on its own; against the 2 it was raised on it still is.
    again = worse("phq9", 15, previous=point(2, 14, 15), baseline=first)
    assert (again.against, again.reference.response_id) == ("baseline", 1)
    assert worsening_passed("phq9", 2, 15) is False


def test_a_slow_decline_raises_against_the_baseline():
    # 2, 7, 12, 17: each step is +5, under the 6.93-point threshold; against the first score it is not.
    baseline = point(1, 2)
    assert find_worsening("phq9", 7, previous=baseline, baseline=baseline) is None
    at_12 = find_worsening("phq9", 12, previous=point(2, 7, 15), baseline=baseline)
    assert at_12 is not None
    assert (at_12.against, at_12.reference.total, at_12.change.delta) == ("baseline", 2, 10)
    at_17 = worse("phq9", 17, previous=point(3, 12, 29), baseline=baseline)
    assert (at_17.against, at_17.change.delta) == ("baseline", 15)


@pytest.mark.parametrize(("latest", "worse"), [(9, True), (8, False)])
def test_worsening_at_and_just_below_the_phq9_threshold(latest, worse):
    # +7 is more than 6.93; +6 is not.
    found = find_worsening("phq9", latest, previous=point(2, 2, 10), baseline=point(1, 2))
    assert (found is not None) == worse
    assert worsening_passed("phq9", 2, latest) is (not worse)


@pytest.mark.parametrize(("latest", "worse"), [(9, True), (8, False)])
def test_worsening_at_and_just_below_the_gad7_threshold(latest, worse):
    # GAD-7: +4 is more than 3.22; +3 is not.
    assert (find_worsening("gad7", latest, previous=point(2, 5, 10), baseline=None) is not None) == worse


def test_worse_than_both_is_judged_against_the_better_score():
    # Baseline 3, previous 5, now 14: +11 and +9, both reliable; the alert keeps the 3.
    found = worse("phq9", 14, previous=point(2, 5, 10), baseline=point(1, 3))
    assert (found.against, found.reference.total) == ("baseline", 3)
    # Baseline 5, previous 3: the previous score is the better one.
    found = worse("phq9", 14, previous=point(2, 3, 10), baseline=point(1, 5))
    assert (found.against, found.reference.total) == ("previous", 3)
    # Worse than the previous score only (baseline 10 → 13 is +3): raised against the previous.
    found = worse("phq9", 13, previous=point(2, 5, 10), baseline=point(1, 10))
    assert (found.against, found.reference.total) == ("previous", 5)


@pytest.mark.parametrize(
    ("reference", "latest", "passed"),
    [(2, 9, False), (2, 8, True), (2, 3, True)],  # recovery to within 6.93 points of the 2 closes it
)
def test_a_worsening_closes_only_within_the_threshold_of_its_reference(reference, latest, passed):
    assert worsening_passed("phq9", reference, latest) is passed


@pytest.mark.parametrize(
    ("total", "flags", "passed"),
    [
        (None, ["insufficient_items"], False),  # too incomplete to score: keeps it open
        (20, ["severe_band"], False),  # PHQ-9 20: still severe
        (19, [], True),  # PHQ-9 19: moderately severe, below the band
        (14.0, ["prorated"], True),  # a prorated score is a score
    ],
)
def test_severe_band_closes_only_on_a_scored_response_below_it(total, flags, passed):
    assert severe_band_passed(total, flags) is passed


def test_silence_text():
    from painmind.core.alert_rules import silence_text

    text = silence_text(date(2026, 3, 3), date(2026, 3, 12))
    assert text == "No check-in since 3 Mar (9 days) after regular check-ins"
