"""Scoring against hand-computed totals, bands and cut-offs from clinical-reference §1.1–§1.7."""

from __future__ import annotations

import json

import pytest

from painmind.core.instruments import (
    GAD7_PRORATE_MAX_MISSING,
    PCS_TOTAL_COMPARISON,
    ScoringOptions,
    get_instrument,
    score,
)

# (instrument, answers, total, band label or None, screen_positive)
EDGES = [
    # PHQ-9 §1.1: bands 0–4 / 5–9 / 10–14 / 15–19 / 20–27; screen ≥10.
    ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0], 0.0, "none_minimal", False),
    ("phq9", [1, 1, 1, 1, 0, 0, 0, 0, 0], 4.0, "none_minimal", False),
    ("phq9", [1, 1, 1, 1, 1, 0, 0, 0, 0], 5.0, "mild", False),
    ("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1], 9.0, "mild", False),
    ("phq9", [2, 1, 1, 1, 1, 1, 1, 1, 1], 10.0, "moderate", True),
    ("phq9", [2, 2, 2, 2, 2, 1, 1, 1, 1], 14.0, "moderate", True),
    ("phq9", [2, 2, 2, 2, 2, 2, 1, 1, 1], 15.0, "moderately_severe", True),
    ("phq9", [3, 3, 3, 2, 2, 2, 2, 1, 1], 19.0, "moderately_severe", True),
    ("phq9", [3, 3, 3, 3, 2, 2, 2, 1, 1], 20.0, "severe", True),
    ("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 3], 27.0, "severe", True),
    # PHQ-2 §1.2: 0–6, screen ≥3, no bands.
    ("phq2", [0, 0], 0.0, None, False),
    ("phq2", [1, 1], 2.0, None, False),
    ("phq2", [2, 1], 3.0, None, True),
    ("phq2", [3, 3], 6.0, None, True),
    # GAD-7 §1.3: 5 / 10 / 15 = mild / moderate / severe; cut point 10 (◐).
    ("gad7", [0, 0, 0, 0, 0, 0, 0], 0.0, "below_mild", False),
    ("gad7", [1, 1, 1, 1, 0, 0, 0], 4.0, "below_mild", False),
    ("gad7", [1, 1, 1, 1, 1, 0, 0], 5.0, "mild", False),
    ("gad7", [2, 2, 2, 1, 1, 1, 0], 9.0, "mild", False),
    ("gad7", [2, 2, 2, 1, 1, 1, 1], 10.0, "moderate", True),
    ("gad7", [2, 2, 2, 2, 2, 2, 2], 14.0, "moderate", True),
    ("gad7", [3, 2, 2, 2, 2, 2, 2], 15.0, "severe", True),
    ("gad7", [3, 3, 3, 3, 3, 3, 3], 21.0, "severe", True),
    # GAD-2 §1.4: 0–6, screen ≥3.
    ("gad2", [0, 0], 0.0, None, False),
    ("gad2", [0, 2], 2.0, None, False),
    ("gad2", [1, 2], 3.0, None, True),
    ("gad2", [3, 3], 6.0, None, True),
    # PHQ-4 §1.4: 0–2 / 3–5 / 6–8 / 9–12; no total cut-off.
    ("phq4", [0, 0, 0, 0], 0.0, "none", None),
    ("phq4", [1, 1, 0, 0], 2.0, "none", None),
    ("phq4", [0, 0, 2, 1], 3.0, "mild", None),
    ("phq4", [1, 1, 2, 1], 5.0, "mild", None),
    ("phq4", [2, 1, 2, 1], 6.0, "moderate", None),
    ("phq4", [2, 2, 2, 2], 8.0, "moderate", None),
    ("phq4", [3, 2, 2, 2], 9.0, "severe", None),
    ("phq4", [3, 3, 3, 3], 12.0, "severe", None),
    # PEG §1.5: mean of 3 items, no bands, no cut-off.
    ("peg", [0, 0, 0], 0.0, None, None),
    ("peg", [5, 6, 7], 6.0, None, None),
    ("peg", [1, 1, 2], 4 / 3, None, None),
    ("peg", [10, 10, 10], 10.0, None, None),
    # PCS §1.6: total "above 30" (default ">").
    ("pcs", [0] * 13, 0.0, None, False),
    ("pcs", [3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2], 30.0, None, False),
    ("pcs", [3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2], 31.0, None, True),
    ("pcs", [4] * 13, 52.0, None, True),
    # PSEQ §1.7 (ePPOC ◐): severe 0–19, moderate 20–30, mild 31–40, minimal 41–60.
    ("pseq", [0] * 10, 0.0, "severe", None),
    ("pseq", [2, 2, 2, 2, 2, 2, 2, 2, 2, 1], 19.0, "severe", None),
    ("pseq", [2] * 10, 20.0, "moderate", None),
    ("pseq", [3] * 10, 30.0, "moderate", None),
    ("pseq", [4, 3, 3, 3, 3, 3, 3, 3, 3, 3], 31.0, "mild", None),
    ("pseq", [4] * 10, 40.0, "mild", None),
    ("pseq", [5, 4, 4, 4, 4, 4, 4, 4, 4, 4], 41.0, "minimal", None),
    ("pseq", [6] * 10, 60.0, "minimal", None),
]


@pytest.mark.parametrize(("instrument_id", "answers", "total", "band", "screen"), EDGES)
def test_band_and_cutoff_edges(instrument_id, answers, total, band, screen):
    result = score(instrument_id, answers)
    assert result.total == pytest.approx(total, abs=1e-12)
    assert (result.band.label if result.band else None) == band
    assert result.screen_positive is screen
    assert (result.status, result.prorated, result.n_missing) == ("complete", False, 0)
    assert "prorated" not in result.flags
    assert "insufficient_items" not in result.flags


@pytest.mark.parametrize(
    ("instrument_id", "answers", "severe"),
    [("phq9", [3, 3, 3, 2, 2, 2, 2, 1, 0], False), ("phq9", [3, 3, 3, 3, 2, 2, 2, 2, 0], True),
     ("gad7", [2, 2, 2, 2, 2, 2, 2], False), ("gad7", [3, 2, 2, 2, 2, 2, 2], True),
     # The flag is specified for the PHQ-9 and GAD-7 only; other "severe" bands are in result.band.
     ("phq4", [3, 3, 3, 3], False), ("pseq", [0] * 10, False)],
)  # fmt: skip
def test_severe_band_flag(instrument_id, answers, severe):
    assert ("severe_band" in score(instrument_id, answers).flags) is severe


def test_scoring_accepts_an_instrument_object_and_mapping():
    inst = get_instrument("gad2")
    assert score(inst, {"gad2-1": 2, "gad2-2": 1}).total == 3.0
    assert score("GAD-2", {"gad2-1": 2}).status == "insufficient", "a linkId left out is blank"


# ---------------------------------------------------------------- PHQ-9 missing items (§1.1 [S7])


@pytest.mark.parametrize(
    ("answers", "total", "band", "status", "n_missing"),
    [
        ([1, 2, 0, 0, 1, 2, 3, 0, 1], 10.0, "moderate", "complete", 0),
        # 8 answered, all 3: mean 3 → 27 (not 24).
        ([3, 3, 3, 3, 3, 3, 3, 3, None], 27.0, "severe", "prorated", 1),
        # answered sum 10 over 8 items: mean 1.25 → 1.25 × 9 = 11.25.
        ([1, 2, None, 0, 1, 2, 3, 0, 1], 11.25, "moderate", "prorated", 1),
        # answered sum 9 over 7 items → 9 × 9 / 7 = 81 / 7 ≈ 11.571.
        ([1, 2, None, None, 1, 2, 3, 0, 0], 81 / 7, "moderate", "prorated", 2),
        # 4 over 8 → 4.5: below the lower bound 5, so still none/minimal (no rounding).
        ([1, 1, 1, 1, 0, 0, 0, None, 0], 4.5, "none_minimal", "prorated", 1),
        # 13 over 8 → 14.625: moderate; 17 over 8 → 19.125: moderately severe.
        ([2, 2, 2, 2, 2, 1, 1, 1, None], 14.625, "moderate", "prorated", 1),
        ([3, 3, 3, 2, 2, 2, 1, 1, None], 19.125, "moderately_severe", "prorated", 1),
    ],
)
def test_phq9_proration(answers, total, band, status, n_missing):
    result = score("phq9", answers)
    assert result.total == pytest.approx(total, abs=1e-12)
    assert result.band is not None
    assert result.band.label == band
    assert (result.status, result.n_missing, result.prorated) == (status, n_missing, status == "prorated")
    assert ("prorated" in result.flags) is (status == "prorated")


def test_phq9_prorated_screen_uses_the_exact_value():
    # 9 over 8 → 10.125 ≥ 10.
    assert score("phq9", [1, 1, 1, 1, 1, 1, 1, 2, None]).screen_positive is True
    assert score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, None]).screen_positive is False  # 8 over 8 → 9.0


@pytest.mark.parametrize(
    "answers",
    [[1, 1, 1, None, None, None, 1, 1, 0], [None] * 9, [None, None, None, 3, 3, 3, 3, 3, 3]],
)
def test_phq9_more_than_two_missing_is_insufficient(answers):
    result = score("phq9", answers)
    assert (result.total, result.band, result.screen_positive, result.status) == (None, None, None, "insufficient")
    assert result.n_missing == answers.count(None)
    assert "insufficient_items" in result.flags
    assert "prorated" not in result.flags


# ---------------------------------------------------------------- item 9 (§1.1)


@pytest.mark.parametrize(
    ("answers", "total", "item9", "value", "flag"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0.0, "negative", 0, None),
        ([3, 3, 3, 3, 3, 3, 3, 3, 0], 24.0, "negative", 0, None),
        ([0, 0, 0, 0, 0, 0, 0, 0, 1], 1.0, "positive", 1, "item9_positive"),
        ([2, 2, 2, 2, 2, 2, 2, 2, 1], 17.0, "positive", 1, "item9_positive"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 3], 3.0, "positive", 3, "item9_positive"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27.0, "positive", 3, "item9_positive"),
        # Blank item 9: total prorated, but safety stays unknown, never imputed as 0 or 3.
        ([0, 0, 0, 0, 0, 0, 0, 0, None], 0.0, "unknown", None, "item9_unknown"),
        ([3, 3, 3, 3, 3, 3, 3, 3, None], 27.0, "unknown", None, "item9_unknown"),
        ([3, 3, 3, None, 3, 3, 3, 3, None], 27.0, "unknown", None, "item9_unknown"),
        ([None, None, None, 0, 0, 0, 0, 0, None], None, "unknown", None, "item9_unknown"),
        ([None, None, None, 0, 0, 0, 0, 0, 2], None, "positive", 2, "item9_positive"),
    ],
)
def test_item9_safety(answers, total, item9, value, flag):
    result = score("phq9", answers)
    assert result.total == total
    assert result.safety is not None
    assert (result.safety.item9, result.safety.value) == (item9, value)
    safety_flags = {"item9_positive", "item9_unknown"} & set(result.flags)
    assert safety_flags == ({flag} if flag else set())


@pytest.mark.parametrize("instrument_id", ["phq2", "gad7", "gad2", "phq4", "peg", "pcs", "pseq"])
def test_no_safety_result_outside_phq9(instrument_id):
    inst = get_instrument(instrument_id)
    assert score(inst, [inst.scored_items[0].max_value] * len(inst.scored_items)).safety is None


def test_difficulty_item_is_never_summed():
    assert score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 0, 3]).total == 0.0
    result = score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1, 2])
    assert (result.total, result.answers[-1]) == (9.0, 2)
    assert score("phq9", [1] * 9).answers == (1, 1, 1, 1, 1, 1, 1, 1, 1, None)
    assert score("phq9", {f"phq9-{n}": 1 for n in range(1, 10)} | {"phq9-difficulty": None}).total == 9.0
    assert score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1, None]).n_missing == 0


# ---------------------------------------------------------------- GAD-7 missing items (project option)


def test_gad7_project_option_default():
    assert GAD7_PRORATE_MAX_MISSING == 1


@pytest.mark.parametrize(
    ("answers", "max_missing", "total", "status"),
    [
        ([3, 3, 3, 3, 3, 3, None], None, 21.0, "prorated"),  # 18 over 6 → 21
        ([1, 2, None, 0, 1, 2, 3], None, 10.5, "prorated"),  # 9 over 6 → 9 × 7 / 6 = 10.5
        ([1, 2, None, None, 1, 2, 3], None, None, "insufficient"),
        ([1, 2, None, 0, 1, 2, 3], 0, None, "insufficient"),
        ([1, 1, None, None, 1, 1, 1], 2, 7.0, "prorated"),  # 5 over 5 → 7
    ],
)
def test_gad7_proration(answers, max_missing, total, status):
    result = score("gad7", answers, options=ScoringOptions(gad7_prorate_max_missing=max_missing))
    assert (result.total, result.status) == (total, status)


def test_gad7_prorated_band_uses_exact_value():
    result = score("gad7", [1, 2, None, 0, 1, 2, 3])
    assert result.band is not None
    assert (result.band.label, result.screen_positive) == ("moderate", True)


def test_gad7_option_is_checked():
    with pytest.raises(ValueError, match="gad7_prorate_max_missing"):
        score("gad7", [1] * 7, options=ScoringOptions(gad7_prorate_max_missing=7))


@pytest.mark.parametrize(
    ("instrument_id", "answers"),
    [("phq2", [None, 3]), ("gad2", [3, None]), ("phq4", [3, 3, 3, None]), ("peg", [5, None, 5]),
     ("pcs", [4] * 12 + [None]), ("pseq", [None] + [6] * 9)],
)  # fmt: skip
def test_all_items_required(instrument_id, answers):
    result = score(instrument_id, answers)
    assert (result.total, result.status, result.n_missing, result.screen_positive) == (None, "insufficient", 1, None)
    assert result.band is None
    assert result.flags == ("insufficient_items",)


# ---------------------------------------------------------------- subscales


@pytest.mark.parametrize(
    ("answers", "anxiety", "depression"),
    [
        ([2, 1, 1, 1], (3.0, True), (2.0, False)),
        ([1, 1, 2, 1], (2.0, False), (3.0, True)),
        ([0, 0, 0, 0], (0.0, False), (0.0, False)),
        ([3, 3, 3, 3], (6.0, True), (6.0, True)),
    ],
)
def test_phq4_subscales(answers, anxiety, depression):
    result = score("phq4", answers)
    assert [(s.name, s.total, s.positive, s.cutoff) for s in result.subscales] == [
        ("anxiety", *anxiety, 3.0),
        ("depression", *depression, 3.0),
    ]


def test_phq4_subscale_text_and_blank():
    result = score("phq4", [2, 1, 1, 1])
    assert result.subscales[0].text == "Anxiety score 3: positive (cut-off 3 or more)"
    blank = score("phq4", [2, None, 1, 1]).subscales
    assert (blank[0].total, blank[0].positive) == (None, None)
    assert blank[1].total == 2.0


@pytest.mark.parametrize(
    ("answers", "helplessness", "magnification", "rumination"),
    [
        ([2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 2, 0], (12.0, False), (0.0, False), 0.0),
        ([3, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 2, 0], (13.0, True), (0.0, False), 0.0),
        ([0, 0, 0, 0, 0, 2, 2, 1, 1, 1, 1, 0, 0], (0.0, False), (4.0, False), 4.0),
        ([0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 1], (0.0, False), (5.0, True), 0.0),
        ([4] * 13, (24.0, True), (12.0, True), 16.0),
    ],
)
def test_pcs_subscales(answers, helplessness, magnification, rumination):
    subs = {s.name: s for s in score("pcs", answers).subscales}
    assert (subs["helplessness"].total, subs["helplessness"].positive) == helplessness
    assert (subs["magnification"].total, subs["magnification"].positive) == magnification
    assert (subs["rumination"].total, subs["rumination"].positive, subs["rumination"].cutoff) == (
        rumination,
        None,
        None,
    )
    assert (subs["helplessness"].cutoff, subs["magnification"].cutoff) == (13.0, 5.0)


def test_pcs_total_comparison_is_configurable():
    thirty = [3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2]
    assert PCS_TOTAL_COMPARISON == ">"
    assert score("pcs", thirty).screen_positive is False
    assert score("pcs", thirty, options=ScoringOptions(pcs_total_comparison=">=")).screen_positive is True
    assert score("pcs", thirty, options=ScoringOptions(pcs_total_comparison=">")).screen_positive is False
    # The option touches only the PCS.
    assert score("phq2", [1, 1], options=ScoringOptions(pcs_total_comparison=">=")).screen_positive is False


def test_to_dict_is_json_serialisable():
    result = score("phq9", [1, 2, None, 0, 1, 2, 3, 0, 1])
    data = json.loads(json.dumps(result.to_dict()))
    assert data == {
        "instrument": "phq9",
        "version": "1",
        "answers": [1, 2, None, 0, 1, 2, 3, 0, 1, None],
        "total": 11.25,
        "band": {"label": "moderate", "text": "Moderate symptoms of depression", "lo": 10.0, "hi": 14.0},
        "screen_positive": True,
        "subscales": [],
        "prorated": True,
        "n_missing": 1,
        "status": "prorated",
        "safety": {"item9": "positive", "value": 1},
        "flags": ["prorated", "item9_positive"],
    }
    pcs = json.loads(json.dumps(score("pcs", [1] * 13).to_dict()))
    assert pcs["subscales"][0] == {
        "name": "helplessness",
        "total": 6.0,
        "positive": False,
        "cutoff": 13.0,
        "text": "Helplessness score 6: not positive (cut-off 13 or more)",
    }
