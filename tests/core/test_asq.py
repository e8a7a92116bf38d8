"""ASQ scoring (clinical-reference §1.8 [S25c]) for every answer pattern, refusals included."""

from __future__ import annotations

import itertools

import pytest

from painmind.core.asq import AsqError, is_positive, score_asq

ONE_TO_FOUR = ("yes", "no", "refused", None)  # None: left blank, which counts as a refusal
FIVE = ("yes", "no", "refused", None)


@pytest.mark.parametrize("q1_4", list(itertools.product(ONE_TO_FOUR, repeat=4)))
@pytest.mark.parametrize("q5", FIVE)
def test_every_answer_pattern(q1_4, q5):
    answers: dict[int, str | None] = dict(zip((1, 2, 3, 4), q1_4, strict=True))
    answers[5] = q5
    result = score_asq(answers)
    # §1.8: "No" to all of 1-4 is negative; any yes or refusal is positive; question 5 "yes" is
    # acute, "no" non-acute. Project rule: a blank on 1-4 is a refusal; a refused or blank
    # question 5 on a positive screen counts as acute.
    if all(a == "no" for a in q1_4):
        assert result.result == "negative"
        assert "5" not in result.answers
        assert not is_positive(answers)
    else:
        assert is_positive(answers)
        assert result.result == ("non_acute" if q5 == "no" else "acute")
        assert result.answers["5"] == (q5 or "refused")
    assert [result.answers[str(n)] for n in (1, 2, 3, 4)] == [a or "refused" for a in q1_4]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({1: "no", 2: "no", 3: "no", 4: "no"}, "negative"),
        ({1: "no", 2: "no", 3: "no", 4: "no", 5: "yes"}, "negative"),  # 5 is not asked after a negative
        ({1: "yes", 2: "no", 3: "no", 4: "no", 5: "no"}, "non_acute"),
        ({1: "no", 2: "no", 3: "no", 4: "yes", 5: "no"}, "non_acute"),  # an attempt ever: positive
        ({1: "no", 2: "refused", 3: "no", 4: "no", 5: "no"}, "non_acute"),  # refusal: positive
        ({1: "no", 2: "no", 3: "yes", 4: "no", 5: "yes"}, "acute"),
        ({"1": "yes", "2": "yes", "3": "yes", "4": "yes", "5": "refused"}, "acute"),
        ({1: "no", 2: "no", 3: "no"}, "acute"),  # 4 blank = refused, 5 never answered
    ],
)
def test_hand_worked_examples(answers, expected):
    assert score_asq(answers).result == expected


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({6: "yes"}, "question 6 does not exist"),
        ({"x": "yes"}, "question 'x' does not exist"),
        ({1: "maybe"}, "question 1: answer must be yes, no or refused"),
    ],
)
def test_bad_answers_are_refused_by_name(answers, message):
    with pytest.raises(AsqError, match=message):
        score_asq(answers)
