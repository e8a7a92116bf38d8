"""Pain-flare and silence rules at their thresholds (hand-built diaries)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from painmind.core.alert_rules import find_flare, is_silent

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


def test_flare_ending_yesterday_counts_but_not_two_days_ago():
    assert find_flare(diary(4, (6, 6, 6), end=TODAY - timedelta(days=1)), TODAY) is not None
    assert find_flare(diary(4, (6, 6, 6), end=TODAY - timedelta(days=2)), TODAY) is None


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


def _specs(answers, change=None, instrument_id="phq9"):
    from painmind.core.alert_rules import response_alerts

    return [
        (s.kind, s.severity, s.key)
        for s in response_alerts(_phq9(answers), change, instrument_id=instrument_id, name="PHQ-9", response_id=41)
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
    from painmind.core.instruments import compare

    worse = compare("phq9", 2, 14)  # +12 on PHQ-9: reliably worse (clinical-reference §3)
    assert worse.reliable == "reliable_worsening"
    answers = [1, 1, 1, 1, 1, 1, 1, 1, 0]
    assert _specs(answers, worse) == [("reliable_worsening", "warning", "phq9")]
    assert _specs(answers, worse, instrument_id="phq4") == []
    assert _specs(answers, compare("phq9", 14, 2)) == []  # reliably better: nothing


def test_silence_text():
    from painmind.core.alert_rules import silence_text

    text = silence_text(date(2026, 3, 3), date(2026, 3, 12))
    assert text == "No check-in since 03 Mar (9 days) after regular check-ins"
