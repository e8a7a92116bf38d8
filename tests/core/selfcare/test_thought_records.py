"""Thought records (clinical-reference §9.1): validation and the history summaries, by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from painmind.core.selfcare.thought_records import (
    CATASTROPHIZING_FACETS,
    DISTORTIONS,
    RecordError,
    clean_record,
    most_tagged,
    record_change,
    weekly_changes,
)

RECORD: dict[str, Any] = {
    "situation": "Woke at 4 with back pain",
    "emotions": [{"name": "Anxious", "before": 80, "after": 50}, {"name": "Sad", "before": 60, "after": 55}],
    "thoughts": [
        {"text": "This will never get better", "belief": 90, "hot": True},
        {"text": "I'm useless", "belief": 40},
    ],
    "evidence_for": "It hurt all week",
    "evidence_against": "Last month was easier",
    "balanced_thought": "Bad nights pass; last month was easier",
    "balanced_belief": 60,
    "distortions": ["magnification", "all_or_nothing"],
    "facets": ["helplessness"],
}


def test_ten_distortions_and_three_facets():
    assert len(DISTORTIONS) == 10
    assert list(CATASTROPHIZING_FACETS) == ["rumination", "magnification", "helplessness"]


def test_a_full_record_is_cleaned_in_canonical_order():
    clean = clean_record(RECORD)
    assert clean["form"] == "seven"
    assert clean["distortions"] == ["all_or_nothing", "magnification"]
    assert [t["hot"] for t in clean["thoughts"]] == [True, False]


def test_a_single_thought_is_the_hot_one_and_after_may_wait():
    clean = clean_record(
        {
            "form": "five",
            "situation": "x",
            "emotions": [{"name": "Low", "before": 70}],
            "thoughts": [{"text": "t", "belief": 50}],
        }
    )
    assert clean["thoughts"][0]["hot"] is True
    assert clean["emotions"][0]["after"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"situation": " "}, "situation"),
        ({"emotions": []}, "emotions"),
        ({"emotions": [{"name": "Sad", "before": 101}]}, "emotions.0.before"),
        ({"emotions": [{"name": "Sad", "before": 50, "after": 12.5}]}, "emotions.0.after"),
        ({"emotions": [{"name": "", "before": 50}]}, "emotions.0.name"),
        ({"thoughts": [{"text": "a", "belief": 50}, {"text": "b", "belief": 50}]}, "thoughts"),
        ({"thoughts": [{"text": "a", "belief": -1, "hot": True}]}, "thoughts.0.belief"),
        ({"balanced_belief": None}, "balanced_belief"),
        ({"distortions": ["doom"]}, "distortions"),
        ({"facets": ["despair"]}, "facets"),
        ({"form": "six"}, "form"),
        ({"form": "five"}, "evidence_for"),
    ],
)
def test_bad_input_names_the_field(change, field):
    with pytest.raises(RecordError) as exc:
        clean_record({**RECORD, **change})
    assert field in exc.value.errors


def test_change_per_record_and_per_week():
    # Record 1: anxious 80 → 50 (−30), sad 60 → 55 (−5): mean −17.5.
    assert record_change(RECORD["emotions"]) == -17.5
    assert record_change([{"name": "x", "before": 50, "after": None}]) is None
    weeks = weekly_changes(
        [
            (date(2027, 1, 4), RECORD["emotions"]),  # Monday
            (date(2027, 1, 10), [{"name": "Angry", "before": 70, "after": 40}]),  # Sunday, same week
            (date(2027, 1, 11), [{"name": "Low", "before": 60, "after": None}]),  # next week, not re-rated
        ]
    )
    # Week of 4 Jan: −30, −5, −30 → mean −65/3.
    assert [(w.week_of, w.records) for w in weeks] == [(date(2027, 1, 4), 2), (date(2027, 1, 11), 1)]
    assert weeks[0].mean_change == pytest.approx(-65 / 3)
    assert weeks[1].mean_change is None


def test_most_tagged_distortions_ties_in_burns_order():
    tags = [["labeling", "magnification"], ["magnification"], ["labeling", "all_or_nothing"], ["mental_filter"]]
    assert most_tagged(tags) == [("magnification", 2), ("labeling", 2), ("all_or_nothing", 1)]
    assert most_tagged([]) == []
