"""Answers that cannot be scored raise InvalidAnswers naming the item."""

from __future__ import annotations

import pytest

from painmind.core.instruments import InvalidAnswers, ScoringOptions, score


def phq9_with(position, value):
    answers: list[object] = [0] * 9
    answers[position - 1] = value
    return answers


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (4, "item 3 (44259-0): 4 is not an allowed answer; allowed 0–3"),
        (-1, "item 3 (44259-0): -1 is not an allowed answer; allowed 0–3"),
        (1.5, "item 3 (44259-0): 1.5 is not an allowed answer; allowed 0–3 (whole numbers only)"),
        (2.0, "item 3 (44259-0): 2.0 is not an allowed answer; allowed 0–3 (whole numbers only)"),
        (True, "item 3 (44259-0): True is not an allowed answer; allowed 0–3 (whole numbers only)"),
        (False, "item 3 (44259-0): False is not an allowed answer; allowed 0–3 (whole numbers only)"),
        ("2", "item 3 (44259-0): '2' is not an allowed answer; allowed 0–3 (whole numbers only)"),
    ],
)
def test_bad_values_name_the_item(value, message):
    with pytest.raises(InvalidAnswers) as info:
        score("phq9", phq9_with(3, value))
    assert info.value.errors == {"phq9-3": message}
    assert str(info.value) == f"phq9: {message}"
    assert isinstance(info.value, ValueError)


def test_several_errors_in_one_line():
    with pytest.raises(InvalidAnswers) as info:
        score("phq9", [4, 0, 0, 0, 0, 0, 0, 0, -1])
    assert set(info.value.errors) == {"phq9-1", "phq9-9"}
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("phq9: 2 invalid answers: item 1 (44250-9): 4 is not")
    assert "item 9 (44260-8): -1 is not an allowed answer" in str(info.value)


@pytest.mark.parametrize(
    ("instrument_id", "answers", "message"),
    [
        ("phq9", [0] * 8, "expected 9 (scored items) or 10 (all items) answers, got 8"),
        ("phq9", [0] * 11, "expected 9 (scored items) or 10 (all items) answers, got 11"),
        ("gad7", [0] * 8, "expected 7 answers, got 8"),
        ("phq2", [], "expected 2 answers, got 0"),
        ("peg", "123", "expected a list of answers or a mapping of linkId to answer, got str"),
        ("peg", 5, "expected a list of answers or a mapping of linkId to answer, got int"),
    ],
)
def test_wrong_shape(instrument_id, answers, message):
    with pytest.raises(InvalidAnswers) as info:
        score(instrument_id, answers)
    assert info.value.errors == {"answers": message}


def test_unknown_link_id():
    with pytest.raises(InvalidAnswers) as info:
        score("phq2", {"phq2-1": 1, "phq2-3": 0, "44250-9": 1})
    assert set(info.value.errors) == {"phq2-3", "44250-9"}
    assert info.value.errors["phq2-3"] == "unknown item 'phq2-3'; known: phq2-1, phq2-2"


@pytest.mark.parametrize(
    ("instrument_id", "answers", "key", "message"),
    [
        ("peg", [11, 0, 0], "peg-1", "item 1 (75893-8): 11 is not an allowed answer; allowed 0–10"),
        ("pcs", [5] + [0] * 12, "pcs-1", "item 1 (pcs-1): 5 is not an allowed answer; allowed 0–4"),
        ("pseq", [0] * 9 + [7], "pseq-10", "item 10 (pseq-10): 7 is not an allowed answer; allowed 0–6"),
        ("phq9", [0] * 9 + [4], "phq9-difficulty", "item 10 (69722-7): 4 is not an allowed answer; allowed 0–3"),
        (
            "phq4",
            {"phq4-2": 3.0},
            "phq4-2",
            "item 2 (68509-9): 3.0 is not an allowed answer; allowed 0–3 (whole numbers only)",
        ),
    ],
)
def test_ranges_of_other_instruments(instrument_id, answers, key, message):
    with pytest.raises(InvalidAnswers) as info:
        score(instrument_id, answers)
    assert info.value.errors == {key: message}


def test_unknown_instrument_is_a_plain_value_error():
    with pytest.raises(ValueError, match="unknown instrument 'phq8'") as info:
        score("phq8", [0] * 8)
    assert not isinstance(info.value, InvalidAnswers)


@pytest.mark.parametrize("kwargs", [{"pcs_total_comparison": "=>"}, {"gad7_prorate_max_missing": -1},
                                    {"gad7_prorate_max_missing": True}])  # fmt: skip
def test_bad_options(kwargs):
    with pytest.raises(ValueError, match="must be"):
        ScoringOptions(**kwargs)
