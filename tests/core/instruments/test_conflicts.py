"""clinical-reference §7 conflicts, kept as regression tests."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from painmind.core.instruments import get_instrument, score

PACKAGE = Path(str(resources.files("painmind.core.instruments")))


def shipped_text() -> str:
    files = sorted(PACKAGE.rglob("*.json")) + sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def test_gad7_item_codes_are_the_right_sequence():
    # §7.1: 69725-0 / 68509-9 / 69733-4 / 69734-2 / 69735-9 / 69689-8 / 69736-7.
    codes = [i.code for i in get_instrument("gad7").scored_items]
    assert codes == ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]


@pytest.mark.parametrize("wrong", ["69726-8", "69727-6", "69728-4", "69729-2", "69730-0", "69731-8"])
def test_wrong_gad7_sequence_appears_nowhere(wrong):
    # §7.1: 69728-4 is the PHQ-15 panel; 69726-8 a discharge-instructions narrative.
    assert wrong not in shipped_text()


def test_phq2_panel_and_total():
    # §7.2: panel 55757-9, total 55758-7; not "panel 55758-7, total 58148-8".
    inst = get_instrument("phq2")
    assert (inst.code, inst.score_code) == ("55757-9", "55758-7")
    assert "58148-8" not in shipped_text()


def test_moca_code_is_not_used():
    # §7.3 / §1.10: 72133-2 is the MoCA panel, not "Emotional state".
    assert "72133-2" not in shipped_text()


def test_pcs_subscales_not_swapped():
    # §7.4: Helplessness 1–5, 12; Magnification 6, 7, 13; Rumination 8–11.
    subscales = {s.name: s.items for s in get_instrument("pcs").rules.subscales}
    assert subscales == {
        "helplessness": (1, 2, 3, 4, 5, 12),
        "magnification": (6, 7, 13),
        "rumination": (8, 9, 10, 11),
    }
    # Helplessness items at 4, magnification items at 1: a swap would report 3 and 24.
    result = score("pcs", [4, 4, 4, 4, 4, 1, 1, 0, 0, 0, 0, 4, 1])
    assert [(s.name, s.total) for s in result.subscales] == [
        ("helplessness", 24.0),
        ("magnification", 3.0),
        ("rumination", 0.0),
    ]


def test_phq9_total_code_is_not_the_bmi_code():
    # §7.6 / §1.1: total 44261-6; the LHC file's linkId /39156-5 is a BMI code.
    assert get_instrument("phq9").score_code == "44261-6"
    assert "39156-5" not in shipped_text()


def test_phq9_item8_has_no_sdc_typo():
    # §1.1: the SDC example says "could gave noticed".
    text = get_instrument("phq9").items[7].text or ""
    assert "gave" not in text
    assert "could have noticed" in text


def test_no_sdc_typos_or_codes():
    text = shipped_text()
    assert "19-14" not in text
    assert "CSPHQ9" not in text


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # §7.7: the right bands are 0–4 / 5–9 / 10–14 / 15–19 / 20–27. A calculator's "0-5, 6-10,
        # 11-15" would call 5 minimal, 10 mild and 15 moderate.
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5.0, "mild"),
        ([2, 1, 1, 1, 1, 1, 1, 1, 1], 10.0, "moderate"),
        ([2, 2, 2, 2, 2, 2, 1, 1, 1], 15.0, "moderately_severe"),
        ([3, 3, 3, 3, 2, 2, 2, 1, 1], 20.0, "severe"),
    ],
)
def test_phq9_bands_are_not_the_wrong_calculator_bands(answers, total, band):
    result = score("phq9", answers)
    assert result.total == total
    assert result.band is not None
    assert result.band.label == band


def test_pcs_and_pseq_wording_not_shipped():
    # §1.6, §1.7, §6: licensed / unverified; the anchors are not shipped either.
    text = shipped_text()
    assert "To a slight degree" not in text
    assert "Completely confident" not in text
