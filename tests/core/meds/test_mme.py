"""MME/day against hand-computed values: every CDC 2022 factor (clinical-reference §2.1), the
worked examples, fentanyl patches, buprenorphine, opioids without a factor, as-needed use."""

from __future__ import annotations

from datetime import timedelta

import pytest

from painmind.core.meds.check import check, parse_items
from tests.core.meds.conftest import ON, item


def run(*raw: dict[str, object]):
    return check(parse_items(list(raw)), ON)


# (item, daily dose in the row's unit, MME/day), each worked by hand from §2.1's table.
FACTORS = [
    (item("codeine", 30, times_per_day=4), 120.0, 18.0),  # 120 mg × 0.15
    (item("fentanyl transdermal", 25, "mcg/hr"), 25.0, 60.0),  # 25 mcg/hr × 2.4
    (item("hydrocodone", 10, times_per_day=3), 30.0, 30.0),  # 30 mg × 1.0
    (item("hydromorphone", 2, times_per_day=4), 8.0, 40.0),  # 8 mg × 5.0 (not the stale 4)
    (item("methadone", 10, times_per_day=3), 30.0, 141.0),  # 30 mg × 4.7 flat (tiered would say ×8)
    (item("morphine", 15, times_per_day=2), 30.0, 30.0),  # 30 mg × 1.0
    (item("oxycodone", 5, times_per_day=4), 20.0, 30.0),  # 20 mg × 1.5
    (item("oxymorphone", 5, times_per_day=2), 10.0, 30.0),  # 10 mg × 3.0
    (item("tapentadol", 50, times_per_day=4), 200.0, 80.0),  # 200 mg × 0.4
    (item("tramadol", 50, times_per_day=4), 200.0, 40.0),  # 200 mg × 0.2 (not the stale 0.1)
]


@pytest.mark.parametrize(("raw", "daily", "mme"), FACTORS, ids=[str(f[0]["drug"]) for f in FACTORS])
def test_every_factor(raw, daily, mme):
    result = run(raw)
    row = result.rows[0]
    assert row.daily_dose == pytest.approx(daily)
    assert row.mme == pytest.approx(mme)
    assert result.mme_per_day == pytest.approx(mme)
    assert result.mme_complete is True


def test_worked_examples_from_the_cdc_footnote():
    # §2.1: "hydrocodone 5 mg four times a day = 20 MME/day; oxycodone ER 10 mg twice a day = 30".
    assert run(item("hydrocodone", 5, times_per_day=4)).mme_per_day == pytest.approx(20.0)
    assert run(item("oxycodone ER", 10, times_per_day=2)).mme_per_day == pytest.approx(30.0)
    both = run(item("hydrocodone", 5, times_per_day=4), item("oxycodone ER", 10, times_per_day=2))
    assert both.mme_per_day == pytest.approx(50.0)
    assert both.mme_text == "50 MME/day"


def test_fentanyl_patch_is_mcg_per_hour_times_2_4_not_via_mg():
    # 12 mcg/hr × 2.4 = 28.8; via mg/day it would be 0.288 mg/day, a different (wrong) number.
    result = run(item("Fentanyl 12 mcg/hr patch", 12, "mcg/h"))
    assert result.rows[0].generic == "fentanyl transdermal"
    assert result.rows[0].unit == "mcg/hr"
    assert result.mme_per_day == pytest.approx(28.8)


def test_plain_fentanyl_in_mcg_per_hour_is_a_patch():
    assert run(item("fentanyl", 25, "mcg/hr")).mme_per_day == pytest.approx(60.0)


def test_mass_units_convert_to_mg():
    # 5000 mcg = 5 mg; 0.03 g = 30 mg.
    assert run(item("morphine", 5000, "mcg", times_per_day=2)).mme_per_day == pytest.approx(10.0)
    assert run(item("morphine", 0.03, "g", times_per_day=1)).mme_per_day == pytest.approx(30.0)


def test_every_hours_gives_24_over_n_doses():
    # morphine 10 mg every 6 hours = 4 doses = 40 mg.
    assert run(item("morphine", 10, every_hours=6)).mme_per_day == pytest.approx(40.0)


def test_buprenorphine_is_excluded_with_the_reference_note():
    result = run(item("buprenorphine", 8, times_per_day=1), item("morphine", 30, times_per_day=1))
    bup = result.rows[0]
    assert bup.mme is None
    assert bup.factor is None
    assert bup.reason == "not convertible — buprenorphine (partial agonist)"
    assert result.mme_per_day == pytest.approx(30.0)
    assert result.mme_complete is True  # excluded by design (R6), not unknown
    assert result.missing_factor == ()
    assert [h.rule_id for h in result.rules] == ["R6_buprenorphine"]


def test_opioid_without_factor_makes_the_total_at_least_never_zero():
    result = run(item("Demerol", 50, every_hours=6), item("oxycodone", 10, times_per_day=2))
    assert result.rows[0].generic == "meperidine"
    assert result.rows[0].mme is None
    assert "never 0" in (result.rows[0].reason or "")
    assert result.mme_per_day == pytest.approx(30.0)
    assert result.mme_complete is False
    assert result.missing_factor == ("meperidine",)
    assert result.mme_text == "at least 30 MME/day"


def test_meperidine_alone_is_at_least_zero_not_zero():
    result = run(item("meperidine", 50, every_hours=6))
    assert result.mme_complete is False
    assert result.mme_text == "at least 0 MME/day"


def test_as_needed_counts_at_maximum_and_separately_at_logged_use():
    # tramadol 50 mg PRN, max 4 a day: 200 mg × 0.2 = 40. Log: 14 doses in 7 days = 2 a day
    # = 100 mg × 0.2 = 20. oxycodone 10 mg twice a day = 30 both ways.
    result = run(
        item("oxycodone", 10, times_per_day=2),
        item("tramadol", 50, as_needed=True, max_per_day=4, taken_last_7_days=14),
    )
    assert result.mme_per_day == pytest.approx(70.0)
    assert result.mme_logged_per_day == pytest.approx(50.0)
    assert result.rows[1].daily_dose == pytest.approx(200.0)
    assert result.rows[1].mme_logged == pytest.approx(20.0)


def test_as_needed_without_a_log_count_has_no_logged_total():
    result = run(item("tramadol", 50, as_needed=True, max_per_day=4))
    assert result.mme_per_day == pytest.approx(40.0)
    assert result.mme_logged_per_day is None


def test_as_needed_every_hours_and_max_take_the_smaller():
    # every 6 h allows 4 doses; max 3 → 3 × 50 mg = 150 mg × 0.2 = 30.
    assert run(item("tramadol", 50, as_needed=True, every_hours=6, max_per_day=3)).mme_per_day == pytest.approx(30.0)
    # every 8 h alone → 3 doses.
    assert run(item("tramadol", 50, as_needed=True, every_hours=8)).mme_per_day == pytest.approx(30.0)


def test_logged_use_of_a_medicine_started_inside_the_window_is_averaged_over_its_days():
    # Started yesterday: 2 days in the window; 4 doses → 2 a day × 50 mg × 0.2 = 20.
    raw = item(
        "tramadol",
        50,
        as_needed=True,
        max_per_day=4,
        taken_last_7_days=4,
        started_on=(ON - timedelta(days=1)).isoformat(),
    )
    assert run(raw).mme_logged_per_day == pytest.approx(20.0)


def test_stopped_and_not_started_medicines_do_not_count():
    result = run(
        item("morphine", 30, times_per_day=1, stopped_on=ON.isoformat()),
        item("morphine", 60, times_per_day=1, started_on=(ON + timedelta(days=1)).isoformat()),
        item("morphine", 10, times_per_day=1, stopped_on=(ON + timedelta(days=1)).isoformat()),
    )
    assert [r.status for r in result.rows] == ["stopped", "not_started", "current"]
    assert result.mme_per_day == pytest.approx(10.0)


def test_unknown_medicine_is_reported_not_checked():
    result = run(item("OxyContin", 10, times_per_day=2), item("morphine", 10, times_per_day=1))
    assert result.rows[0].generic is None
    assert result.rows[0].reason == "unknown medicine — not checked"
    assert result.not_checked == ("OxyContin",)
    assert result.mme_per_day == pytest.approx(10.0)


def test_empty_list_is_zero_and_complete():
    result = check([], ON)
    assert (result.mme_per_day, result.mme_complete, result.rules) == (0.0, True, ())
