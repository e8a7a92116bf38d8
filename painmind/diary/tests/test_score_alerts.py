"""Severe-band and reliable-worsening alerts open and close only when it is true (issue 10).

Hand-computed expectations (clinical-reference §1.1, §3): PHQ-9 severe band is 20–27; the PHQ-9
reliable-change threshold is 1.96·√2·2.5 = 6.93 points, so +7 is a reliable worsening and +6 is
not. The baseline is the first scored response in the 90 days before (project rule).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.diary.actions import do_record_response
from painmind.diary.actions.alerts import do_evaluate_alerts
from painmind.safety.models import Alert

# Answer patterns with hand-summed totals (item 9 always 0: no self-harm alert).
PHQ9 = {
    2: [1, 1, 0, 0, 0, 0, 0, 0, 0],
    3: [1, 1, 1, 0, 0, 0, 0, 0, 0],
    7: [1, 1, 1, 1, 1, 1, 1, 0, 0],
    8: [1, 1, 1, 1, 1, 1, 1, 1, 0],
    9: [2, 1, 1, 1, 1, 1, 1, 1, 0],
    12: [2, 2, 2, 2, 1, 1, 1, 1, 0],
    14: [2, 2, 2, 2, 2, 2, 1, 1, 0],
    15: [2, 2, 2, 2, 2, 2, 2, 1, 0],
    17: [3, 3, 2, 2, 2, 2, 2, 1, 0],
    19: [3, 3, 3, 3, 2, 2, 2, 1, 0],
    20: [3, 3, 3, 3, 2, 2, 2, 2, 0],
}
# Six blanks: more than the two the PHQ-9 may prorate (§1.1 [S7]) → not scored.
INSUFFICIENT = [3, 3, 3, None, None, None, None, None, 0]


def answer(pat, total_or_answers, days_ago=0.0):
    answers = PHQ9[total_or_answers] if isinstance(total_or_answers, int) else total_or_answers
    at = timezone.now() - timedelta(days=days_ago)
    response, _ = do_record_response(Actor(user=pat, via="api"), pat, "phq9", answers, completed_at=at)
    return response


def open_alerts(kind):
    return list(Alert.objects.open().filter(kind=kind))


def test_severe_band_stays_open_after_an_unscored_response_and_closes_below_it(pat):
    answer(pat, 20, days_ago=3)
    assert len(open_alerts("severe_band")) == 1
    unscored = answer(pat, INSUFFICIENT, days_ago=2)
    assert unscored.total is None
    assert len(open_alerts("severe_band")) == 1  # too incomplete to say anything
    do_evaluate_alerts()
    assert len(open_alerts("severe_band")) == 1  # nor does the periodic pass close it
    answer(pat, 20, days_ago=1)  # still severe, at the band's edge
    assert len(open_alerts("severe_band")) == 1
    answer(pat, 19)  # just below the band: scored and not severe
    assert open_alerts("severe_band") == []


def test_two_then_fourteen_raises_fifteen_keeps_it_open_and_recovery_closes_it(pat, client, token_for):
    first = answer(pat, 2, days_ago=30)
    answer(pat, 14, days_ago=20)
    [alert] = open_alerts("reliable_worsening")
    assert alert.data["total"] == 2
    assert alert.data["response_id"] == first.pk
    assert alert.data["on"] == first.local_on.isoformat()
    fifteen = answer(pat, 15, days_ago=10)
    assert fifteen.change["reliable"] == "no_reliable_change"  # versus 14, as the patient is shown
    assert fifteen.change["baseline"]["reliable"] == "reliable_worsening"  # versus 2
    assert fifteen.change["baseline"]["response_id"] == first.pk
    assert [a.pk for a in open_alerts("reliable_worsening")] == [alert.pk]
    do_evaluate_alerts()
    assert len(open_alerts("reliable_worsening")) == 1
    answer(pat, 9, days_ago=5)  # 2 → 9: +7, still reliably worse than the baseline
    assert len(open_alerts("reliable_worsening")) == 1
    answer(pat, 8)  # 2 → 8: +6, within measurement error of the baseline: closes
    assert open_alerts("reliable_worsening") == []
    # The API shows both comparisons (additive: "change" keeps its fields).
    latest = client.get("/api/v1/responses?instrument=phq9", headers=token_for(pat)).json()[0]
    assert latest["change"]["delta"] == -1  # 9 → 8
    assert latest["change"]["baseline"]["delta"] == 6  # 2 → 8


def test_a_slow_decline_raises_against_the_ninety_day_baseline(pat):
    first = answer(pat, 2, days_ago=45)
    answer(pat, 7, days_ago=30)  # +5
    assert open_alerts("reliable_worsening") == []
    answer(pat, 12, days_ago=15)  # +5 on the last, +10 on the baseline
    [alert] = open_alerts("reliable_worsening")
    assert (alert.data["against"], alert.data["response_id"], alert.data["total"]) == ("baseline", first.pk, 2)
    assert "first score in 90 days" in alert.title
    answer(pat, 17)  # +5 again: the same alert stays open, its reference unchanged
    assert [a.data["total"] for a in open_alerts("reliable_worsening")] == [2]


@pytest.mark.parametrize(("first_days_ago", "raised"), [(89, True), (91, False)])
def test_the_baseline_is_the_first_score_within_ninety_days(pat, first_days_ago, raised):
    answer(pat, 2, days_ago=first_days_ago)
    answer(pat, 7, days_ago=30)
    answer(pat, 12)  # +10 on a baseline of 2 (when it is inside 90 days); +5 on 7 otherwise
    assert len(open_alerts("reliable_worsening")) == (1 if raised else 0)


def test_an_alert_without_a_stored_reference_closes_on_the_newest_scores_own_comparisons(pat):
    answer(pat, 2, days_ago=20)
    answer(pat, 14, days_ago=10)
    Alert.objects.filter(kind="reliable_worsening").update(data={})  # as raised before issue 10
    answer(pat, 15, days_ago=5)  # still reliably worse than the baseline
    assert len(open_alerts("reliable_worsening")) == 1
    answer(pat, 3)  # 15 → 3 is an improvement and 2 → 3 is +1: no longer reliably worse
    assert open_alerts("reliable_worsening") == []
