"""Instrument definitions: FHIR shape, wording, codes and licence lines against clinical-reference."""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any

import pytest

from painmind.core.instruments import INSTRUMENT_IDS, get_instrument, list_instruments

ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
PFIZER = (
    "Copyright © Pfizer Inc. All rights reserved. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, "
    "Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to "
    "reproduce, translate, display or distribute."
)
# clinical-reference §1.1 table, typed from the reference.
PHQ9 = [
    ("44250-9", "Little interest or pleasure in doing things?"),
    ("44255-8", "Feeling down, depressed, or hopeless?"),
    ("44259-0", "Trouble falling or staying asleep, or sleeping too much"),
    ("44254-1", "Feeling tired or having little energy"),
    ("44251-7", "Poor appetite or overeating"),
    ("44258-2", "Feeling bad about yourself-or that you are a failure or have let yourself or your family down"),
    ("44252-5", "Trouble concentrating on things, such as reading the newspaper or watching television"),
    (
        "44253-3",
        "Moving or speaking so slowly that other people could have noticed. Or the opposite-being so fidgety or "
        "restless that you have been moving around a lot more than usual",
    ),
    ("44260-8", "Thoughts that you would be better off dead, or of hurting yourself in some way"),
]
# clinical-reference §1.3 table.
GAD7 = [
    ("69725-0", "Feeling nervous, anxious, or on edge"),
    ("68509-9", "Not being able to stop or control worrying"),
    ("69733-4", "Worrying too much about different things"),
    ("69734-2", "Trouble relaxing"),
    ("69735-9", "Being so restless that it is hard to sit still"),
    ("69689-8", "Becoming easily annoyed or irritable"),
    ("69736-7", "Feeling afraid as if something awful might happen"),
]
FREQUENCY = [(0, "LA6568-5", "Not at all"), (1, "LA6569-3", "Several days"),
             (2, "LA6570-1", "More than half the days"), (3, "LA6571-9", "Nearly every day")]  # fmt: skip
PHQ_STEM = "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
GAD_STEM = "Over the last 2 weeks, how often have you been bothered by the following problems?"


def scored(instrument_id):
    return [(i.code, i.text) for i in get_instrument(instrument_id).scored_items]


def test_ids_and_order():
    assert INSTRUMENT_IDS == ("phq9", "phq2", "gad7", "gad2", "phq4", "peg", "pcs", "pseq")
    assert [i.id for i in list_instruments()] == list(INSTRUMENT_IDS)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("PHQ-9", "phq9"), ("phq9", "phq9"), ("Phq_9", "phq9"), ("GAD7", "gad7"), ("gad-2", "gad2"), ("PSEQ", "pseq")],
)
def test_ids_are_case_and_punctuation_insensitive(given, expected):
    assert get_instrument(given).id == expected


def test_unknown_instrument_lists_known_ones():
    with pytest.raises(
        ValueError, match=r"^unknown instrument 'xyz'; known: phq9, phq2, gad7, gad2, phq4, peg, pcs, pseq$"
    ):
        get_instrument("xyz")


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_questionnaire_is_fhir_shaped(instrument_id):
    inst = get_instrument(instrument_id)
    q: Any = inst.questionnaire()
    assert q["resourceType"] == "Questionnaire"
    assert q["id"] == instrument_id
    assert q["url"] == f"https://painmind.example.org/fhir/Questionnaire/{instrument_id}"
    assert q["version"] == inst.version == "1"
    assert q["status"] == "active"
    assert q["title"] == inst.title
    assert q["copyright"] == inst.copyright
    assert "loinc.org" not in q["url"]
    questions = [i for i in q["item"] if i["type"] != "display" and not i.get("readOnly")]
    assert [i["linkId"] for i in questions] == [i.link_id for i in inst.items]
    assert all(i.required for i in inst.scored_items)


def test_questionnaire_returns_a_copy():
    inst = get_instrument("phq9")
    q: Any = inst.questionnaire()
    before = copy.deepcopy(q)
    q["item"].clear()
    q["title"] = "changed"
    assert inst.questionnaire() == before


def test_phq9_items_codes_and_answers():
    inst = get_instrument("phq9")
    assert scored("phq9") == PHQ9
    assert [i.number for i in inst.items] == list(range(1, 11))
    assert (inst.code, inst.score_code) == ("44249-1", "44261-6")
    assert inst.stem == PHQ_STEM
    assert inst.recall == "last 2 weeks"
    assert inst.copyright == PFIZER
    assert inst.safety_item == "phq9-9"
    assert inst.item("phq9-9").code == "44260-8"
    for item in inst.scored_items:
        assert [(o.value, o.code, o.display) for o in item.options] == FREQUENCY
        assert (item.min_value, item.max_value) == (0, 3)
    q: Any = inst.questionnaire()
    for item in q["item"]:
        for option in item.get("answerOption", []) if item["linkId"] != "phq9-difficulty" else []:
            assert option["valueCoding"]["system"] == "http://loinc.org"
            ordinals = [e["valueDecimal"] for e in option["extension"] if e["url"] == ORDINAL]
            assert len(ordinals) == 1
    total = [i for i in q["item"] if i.get("readOnly")]
    assert [c["code"] for c in total[0]["code"]] == ["44261-6"]


def test_phq9_difficulty_item_is_unscored_with_its_four_answers():
    item = get_instrument("phq9").items[-1]
    assert (item.code, item.scored, item.required, item.number) == ("69722-7", False, False, 10)
    assert item.text == (
        "How difficult have these problems made it for you to do your work, take care of things at home, "
        "or get along with other people?"
    )
    assert [(o.code, o.display) for o in item.options] == [
        ("LA6572-7", "Not difficult at all"),
        ("LA6573-5", "Somewhat difficult"),
        ("LA6575-0", "Very difficult"),
        ("LA6574-3", "Extremely difficult"),
    ]
    items: Any = get_instrument("phq9").questionnaire()["item"]
    fhir = next(i for i in items if i["linkId"] == item.link_id)
    assert all("extension" not in o for o in fhir["answerOption"]), "no numeric score (§1.1 [S2])"


def test_phq2_gad2_gad7():
    assert scored("phq2") == PHQ9[:2]
    assert scored("gad7") == GAD7
    assert scored("gad2") == GAD7[:2]
    assert (get_instrument("phq2").code, get_instrument("phq2").score_code) == ("55757-9", "55758-7")
    assert (get_instrument("gad7").code, get_instrument("gad7").score_code) == ("69737-5", "70274-6")
    assert (get_instrument("gad2").code, get_instrument("gad2").score_code) == (None, None)
    assert len(get_instrument("gad7").items) == 7, "no GAD-7 difficulty item (⚠ unverified)"
    assert get_instrument("gad7").stem == GAD_STEM
    assert get_instrument("phq2").stem == PHQ_STEM
    for instrument_id in ("phq2", "gad7", "gad2", "phq4"):
        for item in get_instrument(instrument_id).items:
            assert [(o.value, o.code, o.display) for o in item.options] == FREQUENCY


def test_phq4_puts_anxiety_items_first_and_has_no_code():
    inst = get_instrument("phq4")
    assert scored("phq4") == [*GAD7[:2], *PHQ9[:2]]
    assert (inst.code, inst.score_code) == (None, None)
    assert inst.safety_item is None


def test_peg_items():
    inst = get_instrument("peg")
    assert scored("peg") == [
        ("75893-8", "What number best describes your pain on average in the past week?"),
        (
            "91145-3",
            "What number best describes how, during the past week, pain has interfered with your enjoyment of life?",
        ),
        (
            "91146-1",
            "What number best describes how, during the past week, pain has interfered with your general activity?",
        ),
    ]
    assert (inst.code, inst.score_code, inst.aggregate, inst.recall) == ("91148-7", "91147-9", "mean", "past week")
    assert inst.bands == ()
    assert "No explicit terms of use were found" in inst.copyright
    for item in inst.items:
        assert (item.min_value, item.max_value) == (0, 10)
        assert [o.value for o in item.options] == list(range(11))
    assert inst.items[0].options[0].display == "0 = No pain"
    assert inst.items[0].options[10].display == "10 = Pain as bad as you can imagine"
    assert inst.items[1].options[0].display == "0 = Does not interfere"
    assert inst.items[2].options[10].display == "10 = Completely interferes"
    items: Any = inst.questionnaire()["item"]
    fhir = items[0]
    assert fhir["type"] == "integer"
    bounds = {e["url"]: e["valueInteger"] for e in fhir["extension"] if "valueInteger" in e}
    assert bounds == {
        "http://hl7.org/fhir/StructureDefinition/minValue": 0,
        "http://hl7.org/fhir/StructureDefinition/maxValue": 10,
    }


@pytest.mark.parametrize(
    ("instrument_id", "n_items", "top", "score_max", "higher_is_worse"),
    [("pcs", 13, 4, 52, True), ("pseq", 10, 6, 60, False)],
)
def test_licensed_instruments_ship_no_wording(instrument_id, n_items, top, score_max, higher_is_worse):
    inst = get_instrument(instrument_id)
    assert len(inst.items) == n_items
    assert all(item.text is None for item in inst.items)
    assert all((item.min_value, item.max_value) == (0, top) for item in inst.items)
    assert [o.display for o in inst.items[0].options] == [str(v) for v in range(top + 1)]
    assert (inst.score_min, inst.score_max, inst.higher_is_worse) == (0, score_max, higher_is_worse)
    assert (inst.code, inst.score_code, inst.stem) == (None, None, None)
    q: Any = inst.questionnaire()
    assert all("text" not in i for i in q["item"] if not i.get("readOnly"))


@pytest.mark.parametrize(
    ("instrument_id", "bands"),
    [
        (
            "phq9",
            [
                ("none_minimal", 0, 4),
                ("mild", 5, 9),
                ("moderate", 10, 14),
                ("moderately_severe", 15, 19),
                ("severe", 20, 27),
            ],
        ),
        ("gad7", [("below_mild", 0, 4), ("mild", 5, 9), ("moderate", 10, 14), ("severe", 15, 21)]),
        ("phq4", [("none", 0, 2), ("mild", 3, 5), ("moderate", 6, 8), ("severe", 9, 12)]),
        ("pseq", [("severe", 0, 19), ("moderate", 20, 30), ("mild", 31, 40), ("minimal", 41, 60)]),
        ("phq2", []),
        ("gad2", []),
        ("peg", []),
        ("pcs", []),
    ],
)
def test_bands(instrument_id, bands):
    assert [(b.label, b.lo, b.hi) for b in get_instrument(instrument_id).bands] == bands


def test_band_texts_for_patients():
    assert get_instrument("phq9").bands[3].text == "Moderately severe symptoms of depression"
    assert get_instrument("gad7").bands[0].text == "Below the mild range"
    assert all("minimal" not in b.text.lower() for b in get_instrument("gad7").bands)


@pytest.mark.parametrize(
    ("instrument_id", "score_range", "aggregate"),
    [("phq9", (0, 27), "sum"), ("phq2", (0, 6), "sum"), ("gad7", (0, 21), "sum"), ("gad2", (0, 6), "sum"),
     ("phq4", (0, 12), "sum"), ("peg", (0, 10), "mean"), ("pcs", (0, 52), "sum"), ("pseq", (0, 60), "sum")],
)  # fmt: skip
def test_score_ranges(instrument_id, score_range, aggregate):
    inst = get_instrument(instrument_id)
    assert (inst.score_min, inst.score_max) == score_range
    assert inst.aggregate == aggregate


@pytest.mark.parametrize("instrument_id", ["phq9", "phq2", "gad7", "gad2", "phq4", "peg"])
def test_free_instruments_are_available(instrument_id):
    inst = get_instrument(instrument_id)
    assert inst.available
    assert inst.unavailable_reason == ""
    assert all(item.text for item in inst.items)


@pytest.mark.parametrize("instrument_id", INSTRUMENT_IDS)
def test_every_rule_cites_the_reference(instrument_id):
    rules = get_instrument(instrument_id).rules
    sources = [rules.source, rules.bands_source, rules.missing.source]
    sources += [s.source for s in rules.subscales]
    sources += [rules.screen.source] if rules.screen else []
    assert all("§" in source for source in sources), sources


def test_package_does_not_import_django():
    code = "import sys, painmind.core.instruments as m; m.score('phq9', [0] * 9); print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
