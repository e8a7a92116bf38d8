"""Bad medicine items: one line naming the item, the drug when known, the field and the reason."""

from __future__ import annotations

from datetime import date

import pytest

from painmind.core.meds.check import Item, MedsInputError, check, parse_items
from tests.core.meds.conftest import ON, item

GOOD = item("oxycodone", 10, times_per_day=2)

BAD = [
    (
        {"drug": "tramadol", "dose": 0, "unit": "mg", "times_per_day": 1},
        "item 2 (tramadol): dose: must be greater than 0",
    ),
    (
        {"drug": "tramadol", "dose": -50, "unit": "mg", "times_per_day": 1},
        "item 2 (tramadol): dose: must be greater than 0",
    ),
    ({"drug": "tramadol", "dose": "50", "unit": "mg", "times_per_day": 1}, "item 2 (tramadol): dose: must be a number"),
    ({"drug": "tramadol", "dose": True, "unit": "mg", "times_per_day": 1}, "item 2 (tramadol): dose: must be a number"),
    ({"drug": "tramadol", "unit": "mg", "times_per_day": 1}, "item 2 (tramadol): dose: is required"),
    ({"dose": 50, "unit": "mg", "times_per_day": 1}, "item 2: drug: is required"),
    ({"drug": 7, "dose": 50, "unit": "mg", "times_per_day": 1}, "item 2: drug: must be a medicine name"),
    ({"drug": "tramadol", "dose": 50, "times_per_day": 1}, "item 2 (tramadol): unit: is required"),
    (
        {"drug": "tramadol", "dose": 50, "unit": "tablets", "times_per_day": 1},
        "item 2 (tramadol): unit: unknown unit 'tablets'",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "times_per_day": 0},
        "item 2 (tramadol): times_per_day: must be greater than 0",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "every_hours": -6},
        "item 2 (tramadol): every_hours: must be greater than 0",
    ),
    ({"drug": "tramadol", "dose": 50, "unit": "mg"}, "item 2 (tramadol): times_per_day: is required"),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "times_per_day": 4, "every_hours": 6},
        "item 2 (tramadol): every_hours: contradicts times_per_day",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "as_needed": "yes", "max_per_day": 4},
        "item 2 (tramadol): as_needed: must be true or false",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "as_needed": True},
        "item 2 (tramadol): max_per_day: is required for an as-needed medicine",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "as_needed": True, "max_per_day": 4, "times_per_day": 2},
        "item 2 (tramadol): times_per_day: contradicts as_needed",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "times_per_day": 2, "max_per_day": 4},
        "item 2 (tramadol): max_per_day: is only for as-needed medicines",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "times_per_day": 2, "taken_last_7_days": 3},
        "item 2 (tramadol): taken_last_7_days: is only for as-needed medicines",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "as_needed": True, "max_per_day": 4, "taken_last_7_days": -1},
        "item 2 (tramadol): taken_last_7_days: must be 0 or more",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "times_per_day": 2, "started_on": "2026-13-01"},
        "item 2 (tramadol): started_on: must be a date YYYY-MM-DD",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "times_per_day": 2, "stopped_on": "06/12/2026"},
        "item 2 (tramadol): stopped_on: must be a date YYYY-MM-DD",
    ),
    (
        {
            "drug": "tramadol",
            "dose": 50,
            "unit": "mg",
            "times_per_day": 2,
            "started_on": "2026-12-01",
            "stopped_on": "2026-11-01",
        },
        "item 2 (tramadol): stopped_on: is before started_on (2026-12-01)",
    ),
    (
        {"drug": "tramadol", "dose": 50, "unit": "mg", "times_per_day": 2, "frequency": "bd"},
        "item 2 (tramadol): frequency: unknown field",
    ),
    (
        {"drug": "fentanyl patch", "dose": 25, "unit": "mg", "times_per_day": 1},
        "item 2 (fentanyl patch): unit: fentanyl transdermal is counted from the patch strength in mcg/hr, not mg",
    ),
    (
        {"drug": "oxycodone", "dose": 10, "unit": "mcg/hr"},
        "item 2 (oxycodone): unit: mcg/hr is a patch rate; oxycodone is dosed in mg",
    ),
    (
        {"drug": "fentanyl patch", "dose": 25, "unit": "mcg/hr", "times_per_day": 1},
        "item 2 (fentanyl patch): times_per_day: contradicts unit mcg/hr",
    ),
    (
        {"drug": "fentanyl patch", "dose": 25, "unit": "mcg/hr", "as_needed": True},
        "item 2 (fentanyl patch): as_needed: contradicts unit mcg/hr",
    ),
    ({"drug": "morphine", "dose": 1e306, "unit": "g", "times_per_day": 1}, "item 2 (morphine): dose: is too large"),
    ("oxycodone", "item 2: must be a JSON object"),
]


@pytest.mark.parametrize(("bad", "message"), BAD)
def test_bad_item_gives_one_line_naming_item_and_field(bad, message):
    with pytest.raises(MedsInputError) as exc:
        parse_items([GOOD, bad])
    text = str(exc.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_not_a_list():
    with pytest.raises(MedsInputError, match=r"^input: must be a JSON list of medicines$"):
        parse_items({"drug": "oxycodone"})


def test_error_parts_are_attributes():
    with pytest.raises(MedsInputError) as exc:
        parse_items([GOOD, {"drug": "tramadol", "dose": 0, "unit": "mg", "times_per_day": 1}])
    err = exc.value
    assert (err.item, err.drug, err.field, err.reason) == (2, "tramadol", "dose", "must be greater than 0")


def test_good_items_parse_to_canonical_values():
    items = parse_items(
        [
            item(" Oxycodone ER ", 10, "MG", times_per_day=2, started_on="2026-01-02"),
            item("fentanyl patch", 25, "µg/h", every_hours=72),
            item("tramadol", 50, as_needed=True, max_per_day=4, taken_last_7_days=0),
        ]
    )
    assert items[0] == Item(drug="Oxycodone ER", dose=10.0, unit="mg", times_per_day=2.0, started_on=date(2026, 1, 2))
    assert items[1].unit == "mcg/hr"
    assert items[1].every_hours == 72.0
    assert items[2].taken_last_7_days == 0.0


def test_check_validates_items_built_directly():
    with pytest.raises(MedsInputError, match=r"^item 1 \(morphine\): dose: must be greater than 0$"):
        check([Item(drug="morphine", dose=-1, unit="mg", times_per_day=1)], ON)
