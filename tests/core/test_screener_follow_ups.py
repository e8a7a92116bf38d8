"""A positive screener makes its full questionnaire due at once (clinical-reference §1.2, §1.4).

Cut-offs by hand: PHQ-2 total >= 3 (§1.2), GAD-2 total >= 3 (§1.4), PHQ-4 anxiety = items 1+2
>= 3 and depression = items 3+4 >= 3 (§1.4).
"""

from __future__ import annotations

from datetime import date

import pytest

from painmind.core.instruments import score
from painmind.core.schedule import DueStatus, due_after_screener, due_status, screener_follow_ups

DEP = "your PHQ-2 was positive"


def follow_ups(instrument_id: str, answers: list[int | None]) -> dict[str, str]:
    return screener_follow_ups(instrument_id, score(instrument_id, answers).to_dict())


@pytest.mark.parametrize(
    ("instrument_id", "answers", "expected"),
    [
        ("phq2", [1, 2], {"phq9": "your PHQ-2 was positive"}),  # 3: at the cut-off
        ("phq2", [1, 1], {}),  # 2: just below
        ("phq2", [3, None], {}),  # not scored (every item is required): no verdict
        ("gad2", [2, 1], {"gad7": "your GAD-2 was positive"}),
        ("gad2", [0, 2], {}),
        ("phq4", [0, 0, 1, 2], {"phq9": "the depression questions of your PHQ-4 were positive"}),
        ("phq4", [2, 1, 0, 0], {"gad7": "the anxiety questions of your PHQ-4 were positive"}),
        (
            "phq4",
            [3, 0, 0, 3],
            {
                "phq9": "the depression questions of your PHQ-4 were positive",
                "gad7": "the anxiety questions of your PHQ-4 were positive",
            },
        ),
        ("phq4", [1, 1, 1, 1], {}),  # total 4 (mild) but each subscale 2: neither is positive
        ("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0], {}),  # not a screener
    ],
)
def test_which_screener_results_make_a_questionnaire_due(instrument_id, answers, expected):
    assert follow_ups(instrument_id, answers) == expected


TODAY = date(2026, 3, 10)


def test_due_now_from_the_screeners_day_whatever_the_interval_says():
    upcoming = due_status(date(2026, 3, 5), 14, TODAY)  # next due 19 Mar
    assert upcoming.state == "upcoming"
    now = due_after_screener(upcoming, TODAY, DEP, TODAY)
    assert now == DueStatus("due", TODAY, 0, "your PHQ-2 was positive (10 Mar)")
    assert now.text == "due now: your PHQ-2 was positive (10 Mar)"
    # Not scheduled at all (no plan): still due.
    assert due_after_screener(None, TODAY, DEP, TODAY).state == "due"
    # Two days on and not done: overdue by two days.
    late = due_after_screener(None, date(2026, 3, 8), DEP, TODAY)
    assert (late.state, late.days_overdue, late.text) == (
        "overdue",
        2,
        "overdue by 2 days: your PHQ-2 was positive (8 Mar)",
    )


def test_an_already_overdue_questionnaire_keeps_its_earlier_date():
    overdue = due_status(date(2026, 2, 1), 14, TODAY)  # due 15 Feb
    status = due_after_screener(overdue, date(2026, 3, 9), DEP, TODAY)
    assert (status.state, status.due_on, status.days_overdue) == ("overdue", date(2026, 2, 15), 23)
    assert status.reason == "your PHQ-2 was positive (9 Mar)"
