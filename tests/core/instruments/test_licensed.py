"""Licensed instruments (PCS §1.6, PSEQ §1.7): no shipped wording, site-supplied wording."""

from __future__ import annotations

import json
from typing import Any

import pytest

from painmind.core.instruments import get_instrument, list_instruments, score

ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def write(tmp_path, instrument_id, data):
    path = tmp_path / f"{instrument_id}.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def wording(n_items, n_labels, **extra):
    return {"items": [f"Site item {n}" for n in range(1, n_items + 1)],
            "answer_labels": [f"Label {v}" for v in range(n_labels)], **extra}  # fmt: skip


@pytest.mark.parametrize(
    ("instrument_id", "phrases"),
    [("pcs", ["Mapi Research Trust", "§1.6", "pcs.json"]), ("pseq", ["unverified", "§1.7", "pseq.json"])],
)
def test_unavailable_without_site_wording(tmp_path, instrument_id, phrases):
    for inst in (get_instrument(instrument_id), get_instrument(instrument_id, licensed_dir=tmp_path)):
        assert inst.available is False
        for phrase in phrases:
            assert phrase in inst.unavailable_reason
        assert all(item.text is None for item in inst.items)


def test_unavailable_instruments_still_score():
    assert score("pcs", [2] * 13).total == 26.0
    assert score("pseq", [3] * 10).total == 30.0


@pytest.mark.parametrize(("instrument_id", "n_items", "n_labels"), [("pcs", 13, 5), ("pseq", 10, 7)])
def test_site_wording_makes_the_instrument_available(tmp_path, instrument_id, n_items, n_labels):
    write(tmp_path, instrument_id, wording(n_items, n_labels, stem="Site instructions", recall="site recall"))
    inst = get_instrument(instrument_id, licensed_dir=tmp_path)
    assert (inst.available, inst.unavailable_reason) == (True, "")
    assert [i.text for i in inst.items] == [f"Site item {n}" for n in range(1, n_items + 1)]
    assert [(o.value, o.display) for o in inst.items[0].options] == [(v, f"Label {v}") for v in range(n_labels)]
    assert (inst.stem, inst.recall) == ("Site instructions", "site recall")
    assert inst.copyright == get_instrument(instrument_id).copyright
    q: Any = inst.questionnaire()
    first = next(i for i in q["item"] if i["linkId"] == f"{instrument_id}-1")
    assert first["text"] == "Site item 1"
    assert first["answerOption"][1] == {
        "valueCoding": {"display": "Label 1"},
        "extension": [{"url": ORDINAL, "valueDecimal": 1}],
    }
    # Scoring rules are unchanged by the wording.
    assert score(inst, [1] * n_items).total == float(n_items)
    assert inst.bands == get_instrument(instrument_id).bands


def test_site_copyright_and_minimal_file(tmp_path):
    write(tmp_path, "pcs", wording(13, 5, copyright="Used under licence no. 123"))
    inst = get_instrument("pcs", licensed_dir=tmp_path)
    assert inst.copyright == "Used under licence no. 123"
    assert (inst.stem, inst.recall) == (None, "")


def test_list_instruments_passes_the_folder(tmp_path):
    write(tmp_path, "pseq", wording(10, 7))
    available = {i.id: i.available for i in list_instruments(licensed_dir=tmp_path)}
    assert available == {"phq9": True, "phq2": True, "gad7": True, "gad2": True, "phq4": True, "peg": True,
                         "pcs": False, "pseq": True}  # fmt: skip


def test_free_instruments_ignore_the_folder(tmp_path):
    write(tmp_path, "phq9", wording(9, 4))
    assert get_instrument("phq9", licensed_dir=tmp_path) == get_instrument("phq9")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ("{broken", "cannot read JSON"),
        ('["a list"]', "expected a JSON object"),
        (wording(12, 5), "'items' must be a list of 13 texts, got 12 entries"),
        (wording(13, 4), "'answer_labels' must be a list of 5 texts, got 4 entries"),
        ({"items": "text", "answer_labels": []}, "'items' must be a list of 13 texts, got str"),
        ({**wording(13, 5), "items": ["x"] * 12 + [""]}, "'items' entry 13 must be a non-empty text"),
        ({**wording(13, 5), "answer_labels": [0, 1, 2, 3, 4]}, "'answer_labels' entry 1 must be a non-empty text"),
        (wording(13, 5, itmes=[]), r"unknown key\(s\) itmes"),
        (wording(13, 5, stem=""), "'stem' must not be empty"),
        (wording(13, 5, recall=3), "'recall' must be a string"),
    ],
)
def test_malformed_site_file_names_the_file(tmp_path, data, match):
    path = write(tmp_path, "pcs", data)
    with pytest.raises(ValueError, match=match) as info:
        get_instrument("pcs", licensed_dir=tmp_path)
    assert str(path) in str(info.value)
