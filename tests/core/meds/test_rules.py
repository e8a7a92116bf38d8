"""Rules R1–R7 (clinical-reference §2.5), each just inside and just outside its condition."""

from __future__ import annotations

from datetime import timedelta

import pytest

from painmind.core.meds.check import SEVERITY_RANK, check, parse_items
from tests.core.meds.conftest import ON, item


def hits(*raw: dict[str, object], include_unverified: bool = True):
    result = check(parse_items(list(raw)), ON, include_unverified=include_unverified)
    return {h.rule_id: h for h in result.rules}


def days_ago(n: int) -> str:
    return (ON - timedelta(days=n)).isoformat()


OXY = item("oxycodone", 5, times_per_day=2)  # 15 MME: below every threshold
MORPHINE = item("morphine", 10, times_per_day=1)  # 10 MME, not serotonergic


# --- R1 opioid + benzodiazepine ---------------------------------------------------------------
def test_r1_opioid_plus_benzodiazepine():
    found = hits(OXY, item("Ativan", 1, times_per_day=2))
    hit = found["R1_opioid_plus_benzo"]
    assert (hit.severity, hit.drugs, hit.unverified) == ("high", ("oxycodone", "lorazepam"), False)
    assert hit.basis == "FDA boxed warning 2016-08-31; CDC 2022 Rec 11"
    assert hit.action == "alert prescriber; offer naloxone (CDC Rec 8)"


def test_r1_not_without_an_opioid_or_with_a_stopped_one():
    assert "R1_opioid_plus_benzo" not in hits(item("lorazepam", 1, times_per_day=2))
    stopped = {**OXY, "stopped_on": days_ago(1)}
    assert "R1_opioid_plus_benzo" not in hits(stopped, item("lorazepam", 1, times_per_day=2))


def test_r1_with_an_unverified_benzodiazepine_is_flagged_and_can_be_excluded():
    # triazolam is a ⚠ member of the benzodiazepine list (§2.5).
    assert hits(OXY, item("triazolam", 0.25, times_per_day=1))["R1_opioid_plus_benzo"].unverified is True
    assert "R1_opioid_plus_benzo" not in hits(OXY, item("triazolam", 0.25, times_per_day=1), include_unverified=False)
    # With a verified member present the hit stands verified.
    both = hits(OXY, item("triazolam", 0.25, times_per_day=1), item("diazepam", 5, times_per_day=1))
    assert both["R1_opioid_plus_benzo"].unverified is False
    assert both["R1_opioid_plus_benzo"].drugs == ("oxycodone", "triazolam", "diazepam")


# --- R2 opioid + gabapentinoid ----------------------------------------------------------------
def test_r2_opioid_plus_gabapentinoid():
    hit = hits(MORPHINE, item("Lyrica CR", 165, times_per_day=1))["R2_opioid_plus_gabapentinoid"]
    assert (hit.severity, hit.drugs) == ("high", ("morphine", "pregabalin"))
    assert hit.basis == "FDA DSC 2019-12-19 (respiratory depression)"


def test_r2_not_for_a_gabapentinoid_alone():
    assert hits(item("gabapentin", 300, times_per_day=3)) == {}


# --- R3 opioid + other CNS depressant ---------------------------------------------------------
def test_r3_opioid_plus_other_cns_depressant_is_moderate_and_unverified():
    hit = hits(MORPHINE, item("zolpidem", 5, times_per_day=1))["R3_opioid_plus_other_cns"]
    # every individual name in cns_depressant_other is ⚠ in the reference
    assert (hit.severity, hit.unverified) == ("moderate", True)
    assert hits(MORPHINE, item("zolpidem", 5, times_per_day=1), include_unverified=False) == {}


def test_r3_not_without_an_opioid():
    assert hits(item("zolpidem", 5, times_per_day=1)) == {}


# --- R4 / R4b MME thresholds ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("morphine_mg", "expected"),
    [
        (49.9, set()),
        (50, {"R4_mme_50"}),
        (89.9, {"R4_mme_50"}),
        (90, {"R4_mme_50", "R4b_mme_90"}),
    ],
)
def test_r4_and_r4b_thresholds(morphine_mg, expected):
    # morphine factor 1.0: MME/day = mg/day.
    assert set(hits(item("morphine", morphine_mg, times_per_day=1))) == expected


def test_r4_from_a_sum_of_opioids_is_a_review_prompt():
    # codeine 100 mg × 0.15 = 15, tramadol 50 × 0.2 = 10, oxycodone 10 × 1.5 = 15, morphine 10:
    # exactly 50, from factors (0.15, 0.2) that are not exact in binary.
    found = hits(
        item("codeine", 100, times_per_day=1),
        item("tramadol", 50, times_per_day=1),
        item("oxycodone", 10, times_per_day=1),
        item("morphine", 10, times_per_day=1),
    )
    hit = found["R4_mme_50"]
    assert hit.severity == "moderate"
    assert hit.action == "prompt reassessment + naloxone offer; NOT a block"
    assert "taper" not in (hit.action or "").lower()
    assert hit.drugs == ("codeine", "tramadol", "oxycodone", "morphine")


def test_r4b_wording_is_review_not_taper():
    hit = hits(item("morphine", 90, times_per_day=1))["R4b_mme_90"]
    assert hit.severity == "moderate-high"
    assert hit.action == "prompt justification/review; NOT a block"
    assert hit.basis == "CDC 2016 Rec 5 verbatim; 2022 no hard limit"


# --- R5 serotonergic opioid + serotonergic drug -----------------------------------------------
@pytest.mark.parametrize("other", ["sertraline", "Cymbalta", "amitriptyline", "sumatriptan", "mirtazapine"])
def test_r5_serotonergic_opioid_with_each_listed_class(other):
    hit = hits(OXY, item(other, 10, times_per_day=1))["R5_serotonin"]
    assert hit.severity == "moderate"
    assert hit.basis == "FDA DSC 2016-03-22; opioid labels"


def test_r5_not_for_a_non_serotonergic_opioid_or_a_stopped_antidepressant():
    assert "R5_serotonin" not in hits(MORPHINE, item("sertraline", 50, times_per_day=1))
    assert "R5_serotonin" not in hits(OXY, item("sertraline", 50, times_per_day=1, stopped_on=days_ago(2)))


def test_tramadol_alone_is_not_r5():
    assert "R5_serotonin" not in hits(item("tramadol", 50, times_per_day=1))


# --- R5b tramadol + MAOI, 14-day window -------------------------------------------------------
TRAMADOL = item("tramadol", 50, times_per_day=2)


def test_r5b_current_maoi_is_contraindicated():
    hit = hits(TRAMADOL, item("phenelzine", 15, times_per_day=3))["R5b_maoi_contraindicated"]
    assert (hit.severity, hit.drugs) == ("contraindicated", ("tramadol", "phenelzine"))
    assert hit.unverified is True
    assert "US label" in (hit.note or "")


@pytest.mark.parametrize(("stopped_days_ago", "fires"), [(0, True), (1, True), (14, True), (15, False)])
def test_r5b_maoi_stopped_within_14_days_counts(stopped_days_ago, fires):
    maoi = item("phenelzine", 15, times_per_day=3, stopped_on=days_ago(stopped_days_ago))
    assert ("R5b_maoi_contraindicated" in hits(TRAMADOL, maoi)) is fires


def test_r5b_needs_tramadol_current_and_not_another_opioid():
    maoi = item("phenelzine", 15, times_per_day=3)
    assert "R5b_maoi_contraindicated" not in hits({**TRAMADOL, "stopped_on": days_ago(3)}, maoi)
    # tapentadol/meperidine + MAOI: ⚠ not retrieved (§2.3), so not part of R5b; R5 still fires.
    found = hits(item("tapentadol", 50, times_per_day=2), maoi)
    assert "R5b_maoi_contraindicated" not in found
    assert "R5_serotonin" in found


def test_r5b_not_from_an_maoi_that_has_not_started():
    later = (ON + timedelta(days=1)).isoformat()
    assert hits(TRAMADOL, item("phenelzine", 15, times_per_day=3, started_on=later)) == {}


def test_r5b_is_excluded_with_unverified_rules():
    assert "R5b_maoi_contraindicated" not in hits(
        TRAMADOL, item("phenelzine", 15, times_per_day=3), include_unverified=False
    )


# --- R6 / R7 ----------------------------------------------------------------------------------
def test_r6_buprenorphine():
    hit = hits(item("buprenorphine", 8, times_per_day=1))["R6_buprenorphine"]
    assert (hit.severity, hit.drugs, hit.action) == ("info", ("buprenorphine",), "exclude from MME sum; display note")


def test_r6_not_for_stopped_buprenorphine():
    assert hits(item("buprenorphine", 8, times_per_day=1, stopped_on=days_ago(1))) == {}


@pytest.mark.parametrize(
    ("drug", "unverified"), [("meperidine", False), ("levorphanol", True), ("fentanyl buccal", False)]
)
def test_r7_unknown_factor(drug, unverified):
    # meperidine and transmucosal fentanyl are opioids through a verified class (opioid_serotonergic);
    # levorphanol only through the ⚠ list of opioids without a 2022 factor.
    hit = hits(item(drug, 2, times_per_day=2))["R7_unknown_factor"]
    assert hit.action == "MME = unknown (never 0)"
    assert hit.unverified is unverified


def test_r7_not_for_opioids_with_a_factor():
    assert "R7_unknown_factor" not in hits(OXY)


# --- ordering and the example ----------------------------------------------------------
def test_severity_rank_order():
    assert sorted(SEVERITY_RANK, key=SEVERITY_RANK.__getitem__, reverse=True) == [
        "contraindicated",
        "high",
        "moderate-high",
        "moderate",
        "info",
    ]


def test_hits_are_sorted_most_severe_first():
    result = check(
        parse_items(
            [
                TRAMADOL,
                item("phenelzine", 15, times_per_day=3),
                item("lorazepam", 1, times_per_day=1),
                item("morphine", 60, times_per_day=1),
            ]
        ),
        ON,
    )
    assert [h.rule_id for h in result.rules] == [
        "R5b_maoi_contraindicated",
        "R1_opioid_plus_benzo",
        "R4_mme_50",
        "R5_serotonin",
    ]
