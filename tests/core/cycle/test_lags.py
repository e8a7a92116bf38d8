"""Lag construction: hand-built frames with known pairs, DST days, bad input, dense == long."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import pandas as pd
import pytest

from painmind.core.cycle import CycleInputError, build_pairs, pairs_from_dense
from painmind.core.synth import generate_cohort

VARS = ["pain", "mood", "anxiety", "stress", "sleep_quality", "activity_minutes"]
LONDON = "Europe/London"


def pairs_of(panel, var="pain"):
    """(patient id, x, y) triples of one variable, for readable assertions."""
    j = panel.variables.index(var)
    return [(panel.patient_ids[p], x, y) for p, x, y in zip(panel.patient, panel.x[:, j], panel.y[:, j], strict=True)]


def assert_counts_add_up(panel):
    assert panel.n_naive_pairs == len(panel.y) + sum(panel.dropped.values())


def ema(rows):
    """Frame from (id, day, beep, pain) rows; mood = pain + 10 so both variables are present."""
    df = pd.DataFrame(rows, columns=["id", "day", "beep", "pain"])
    return df.assign(mood=df["pain"] + 10.0)


# ------------------------------------------------------------------ several prompts a day
def test_night_breaks_and_skipped_prompts():
    df = ema(
        [("a", 1, 1, 1.0), ("a", 1, 2, 2.0), ("a", 1, 3, 3.0), ("a", 1, 5, 5.0), ("a", 2, 1, 6.0), ("a", 2, 2, 7.0)]
    )
    panel = build_pairs(df, id_col="id", variables=["pain", "mood"], day_col="day", beep_col="beep")
    # beep 3 -> 5 skips a prompt; day 1 beep 5 -> day 2 beep 1 crosses a night
    assert pairs_of(panel) == [("a", 1.0, 2.0), ("a", 2.0, 3.0), ("a", 6.0, 7.0)]
    assert panel.multi_prompt
    assert dict(panel.dropped) == {"night_or_gap": 1, "skipped_prompt": 1, "missing_value": 0}
    assert panel.n_naive_pairs == 5
    np.testing.assert_allclose(panel.time, [1 / 5, 2 / 5, 1 + 1 / 5])  # days; B = 5 beep slots in the data
    np.testing.assert_array_equal(panel.n_obs, [6])


def test_last_prompt_never_pairs_with_next_morning_even_when_beeps_look_consecutive():
    df = ema([("a", 1, 1, 1.0), ("a", 1, 2, 2.0), ("a", 2, 3, 3.0), ("a", 2, 4, 4.0)])
    panel = build_pairs(df, id_col="id", variables=["pain"], day_col="day", beep_col="beep")
    assert pairs_of(panel) == [("a", 1.0, 2.0), ("a", 3.0, 4.0)]
    assert panel.dropped["night_or_gap"] == 1


def test_two_patients_back_to_back_never_pair_and_first_day_has_no_pair():
    df = ema([("a", 1, 1, 1.0), ("a", 1, 2, 2.0), ("b", 1, 3, 3.0), ("b", 1, 4, 4.0)])
    panel = build_pairs(df, id_col="id", variables=["pain"], day_col="day", beep_col="beep")
    assert pairs_of(panel) == [("a", 1.0, 2.0), ("b", 3.0, 4.0)]
    assert panel.n_naive_pairs == 2
    np.testing.assert_array_equal(panel.time, [0.25, 0.25])  # from each one's first prompt; B = 4 slots

    daily = pd.DataFrame({"id": ["b", "b", "a", "a"], "on": pd.to_datetime(["2026-01-03", "2026-01-04"] * 2),
                          "pain": [3.0, 4.0, 1.0, 2.0]})  # fmt: skip
    panel = build_pairs(daily, id_col="id", variables=["pain"], time_col="on")
    assert panel.patient_ids == ("a", "b")  # sorted
    assert pairs_of(panel) == [("a", 1.0, 2.0), ("b", 3.0, 4.0)]


def test_timestamps_without_beeps_pair_consecutive_rows_of_a_day():
    at = pd.to_datetime(["2026-01-05 09:00", "2026-01-05 13:00", "2026-01-05 21:00", "2026-01-06 09:00"])
    df = pd.DataFrame({"id": "a", "at": at, "pain": [1.0, 2.0, 3.0, 4.0]})
    panel = build_pairs(df, id_col="id", variables=["pain"], time_col="at")
    assert panel.multi_prompt
    assert pairs_of(panel) == [("a", 1.0, 2.0), ("a", 2.0, 3.0)]
    np.testing.assert_allclose(panel.time, [4 / 24, 12 / 24])  # elapsed days


# ------------------------------------------------------------------ daylight saving
@pytest.mark.parametrize(
    ("days", "hour"),
    [(("2026-03-28", "2026-03-29", "2026-03-30"), 20), (("2026-10-24", "2026-10-25", "2026-10-26"), 20)],
)
def test_dst_days_pair_with_the_previous_calendar_day(days, hour):
    at = pd.DatetimeIndex([pd.Timestamp(f"{d} {hour}:00") for d in days]).tz_localize(LONDON)
    df = pd.DataFrame({"id": "a", "at": at, "pain": [1.0, 2.0, 3.0]})
    panel = build_pairs(df, id_col="id", variables=["pain"], time_col="at")
    assert not panel.multi_prompt
    assert pairs_of(panel) == [("a", 1.0, 2.0), ("a", 2.0, 3.0)]
    np.testing.assert_array_equal(panel.time, [1.0, 2.0])


@pytest.mark.parametrize("late", ["2026-03-28 23:30", "2026-10-24 23:30"])
def test_late_and_early_entries_share_a_day_with_the_0400_boundary(late):
    early = (pd.Timestamp(late) + pd.Timedelta(hours=4)).strftime("%Y-%m-%d 03:30")
    evening = (pd.Timestamp(late) + pd.Timedelta(days=1)).strftime("%Y-%m-%d 20:00")
    at = pd.DatetimeIndex([late, early, evening]).tz_localize(LONDON)
    df = pd.DataFrame({"id": "a", "at": at, "pain": [1.0, 2.0, 3.0]})
    panel = build_pairs(df, id_col="id", variables=["pain"], time_col="at")
    # 23:30 and 03:30 are one day (prompts of that day); the next evening is a new day
    assert panel.multi_prompt
    assert pairs_of(panel) == [("a", 1.0, 2.0)]
    assert panel.dropped["night_or_gap"] == 1
    hours = (at[1] - at[0]).total_seconds() / 3600  # 3 h on the spring day, 5 h on the autumn one
    np.testing.assert_allclose(panel.time, [hours / 24])
    # naive timestamps are local wall-clock times: same days
    naive = build_pairs(df.assign(at=at.tz_localize(None)), id_col="id", variables=["pain"], time_col="at")
    assert pairs_of(naive) == pairs_of(panel)


def test_utc_timestamps_read_in_a_zone():
    # 04:30 BST on 29 March is 03:30 UTC: after the boundary in London, before it in UTC.
    at = pd.DatetimeIndex(["2026-03-28 12:00", "2026-03-29 03:30"]).tz_localize("UTC")
    df = pd.DataFrame({"id": "a", "at": at, "pain": [1.0, 2.0]})
    assert build_pairs(df, id_col="id", variables=["pain"], time_col="at", tz=LONDON).dropped["night_or_gap"] == 0
    assert not build_pairs(df, id_col="id", variables=["pain"], time_col="at", tz=LONDON).multi_prompt
    assert build_pairs(df, id_col="id", variables=["pain"], time_col="at").multi_prompt  # same UTC day
    mixed = pd.DataFrame({"id": "a", "at": ["2026-03-28T20:00+00:00", "2026-03-29T20:00+01:00"], "pain": [1.0, 2.0]})
    assert len(build_pairs(mixed, id_col="id", variables=["pain"], time_col="at", tz=LONDON).y) == 1


# ------------------------------------------------------------------ daily diary, missing values
def test_daily_diary_missed_day_and_missing_values():
    on = pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-05", "2026-01-06", "2026-01-07",
                         "2026-01-08", "2026-01-09"])  # fmt: skip
    pain = [1.0, 2.0, 3.0, 5.0, 6.0, np.nan, 8.0, np.nan]
    mood = [1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0, np.nan]  # Jan 9 is blank: no observation
    df = pd.DataFrame({"id": "a", "on": on, "pain": pain, "mood": mood})
    panel = build_pairs(df, id_col="id", variables=["pain", "mood"], time_col="on")
    assert pairs_of(panel) == [("a", 1.0, 2.0), ("a", 2.0, 3.0), ("a", 5.0, 6.0)]
    assert dict(panel.dropped) == {"night_or_gap": 1, "skipped_prompt": 0, "missing_value": 2}
    np.testing.assert_array_equal(panel.n_obs, [7])
    np.testing.assert_array_equal(panel.time, [1, 2, 5])
    # pairs missing only pain come back for mood alone
    mood_only = panel.select(["mood"])
    assert [(x, y) for _, x, y in pairs_of(mood_only, "mood")] == [(1, 2), (2, 3), (5, 6), (6, 7), (7, 8)]
    assert mood_only.dropped["missing_value"] == 0


def test_select_equals_building_with_fewer_variables():
    data = generate_cohort(6, 30, prompts_per_day=3, missing_prompt_rate=0.2, missing_value_rate=0.2,
                           realistic=False, rng=4).data  # fmt: skip
    kw: dict[str, Any] = {"id_col": "patient_id", "day_col": "local_date", "beep_col": "beep"}
    full = build_pairs(data, variables=VARS, **kw)
    for subset in (["pain", "mood"], ["pain", "sleep_quality"], ["activity_minutes", "mood", "stress"]):
        direct, picked = build_pairs(data, variables=subset, **kw), full.select(subset)
        for name in ("x", "y", "time", "patient"):
            np.testing.assert_array_equal(getattr(picked, name), getattr(direct, name), err_msg=name)
        # pain and mood are never missing in synthetic data, so the rows observed are the same
        assert picked.dropped == direct.dropped
        np.testing.assert_array_equal(picked.n_obs, direct.n_obs)


def reference_pairs(data, variables, multi):
    """Independent pairing by a plain loop over the synthetic frame (its local_date and beep)."""
    pairs = set()
    rows = data.sort_values(["patient_id", "local_date", "beep"]).to_dict("records")
    for prev, cur in itertools.pairwise(rows):
        same = prev["patient_id"] == cur["patient_id"]
        gap = (cur["local_date"] - prev["local_date"]).days
        step = (gap == 0 and cur["beep"] == prev["beep"] + 1) if multi else gap == 1
        if same and step and not any(np.isnan(prev[v]) or np.isnan(cur[v]) for v in variables):
            pairs.add((cur["patient_id"], tuple(prev[v] for v in variables), tuple(cur[v] for v in variables)))
    return pairs


@pytest.mark.parametrize("prompts", [1, 4])
def test_synthetic_cohort_against_a_plain_loop(prompts):
    data = generate_cohort(8, 25, prompts_per_day=prompts, missing_day_rate=0.15, missing_prompt_rate=0.15,
                           missing_value_rate=0.05, realistic=False, rng=prompts).data  # fmt: skip
    kw: dict[str, Any] = {"day_col": "local_date", "beep_col": "beep"}
    if prompts == 1:
        kw = {"time_col": "recorded_at", "tz": LONDON}
    panel = build_pairs(data, id_col="patient_id", variables=VARS, **kw)
    got = {(panel.patient_ids[p], tuple(x), tuple(y)) for p, x, y in zip(panel.patient, panel.x, panel.y, strict=True)}
    assert got == reference_pairs(data, VARS, prompts > 1)
    assert len(got) == len(panel.y)
    assert_counts_add_up(panel)
    assert panel.dropped["missing_value"] > 0
    assert panel.dropped["night_or_gap"] > 0
    assert (panel.dropped["skipped_prompt"] > 0) == (prompts > 1)
    assert np.all(np.diff(panel.patient) >= 0)


# ------------------------------------------------------------------ dense grid == long frame
@pytest.mark.parametrize("steps", [1, 3])
def test_pairs_from_dense_equals_build_pairs(steps):
    rng = np.random.default_rng(steps)
    n, days, k = 7, 12, 3
    values = rng.normal(size=(n, days * steps, k))
    values[rng.random((n, days * steps)) < 0.2] = np.nan  # missed prompts / days
    values[rng.random(values.shape) < 0.05] = np.nan  # missing values
    values[:, -1, :] = 1.0  # every patient answers the last prompt of the last day (so B = steps)
    values[2] = np.nan  # a patient with no observation at all
    ids = [f"p{i}" for i in range(n)]
    dense = pairs_from_dense(values, patient_ids=ids, variables=["pain", "mood", "stress"], steps_per_day=steps)
    pid, slot = np.nonzero(~np.isnan(values).all(axis=2))
    pid, slot = np.r_[pid, 2], np.r_[slot, 5]  # p2's only row is blank: a patient without observations
    long = pd.DataFrame(values[pid, slot], columns=["pain", "mood", "stress"])
    long.insert(0, "id", np.array(ids)[pid])
    long.insert(1, "day", [str(dt.date(2026, 3, 1) + dt.timedelta(days=int(d))) for d in slot // steps])
    long.insert(2, "beep", slot % steps + 1)
    kw: dict[str, Any] = {"day_col": "day", "beep_col": "beep"} if steps > 1 else {"time_col": "day"}
    built = build_pairs(long, id_col="id", variables=["pain", "mood", "stress"], **kw)
    assert dense.patient_ids == built.patient_ids
    for name in ("x", "y", "patient", "n_obs"):
        np.testing.assert_array_equal(getattr(dense, name), getattr(built, name), err_msg=name)
    np.testing.assert_allclose(dense.time, built.time, rtol=1e-14)  # slots / steps vs days + beeps / B
    assert dense.dropped == built.dropped
    assert dense.n_naive_pairs == built.n_naive_pairs
    assert dense.multi_prompt == built.multi_prompt == (steps > 1)
    assert dense.n_obs[2] == 0


def test_esm_style_day_strings_and_integer_days():
    iso = ema([("a", "2012-08-13", 1, 1.0), ("a", "2012-08-13", 2, 2.0), ("a", "2012-08-14", 1, 3.0)])
    esm = iso.assign(day=["13/08/12", "13/08/12", "14/08/12"])
    numbered = iso.assign(day=[226, 226, 227])
    kw: dict[str, Any] = {"id_col": "id", "variables": ["pain"], "day_col": "day", "beep_col": "beep"}
    expect = pairs_of(build_pairs(iso, **kw))
    assert pairs_of(build_pairs(esm, day_format="%d/%m/%y", **kw)) == expect == [("a", 1.0, 2.0)]
    assert pairs_of(build_pairs(numbered, **kw)) == expect


# ------------------------------------------------------------------ bad input
def good():
    return pd.DataFrame({"id": ["a"] * 3, "on": ["2026-01-01", "2026-01-02", "2026-01-03"], "pain": [1.0, 2.0, 3.0]})


@pytest.mark.parametrize(
    ("frame", "kw", "words"),
    [
        (good(), {"variables": ["pain", "mood"]}, ["'mood'", "not in the data"]),
        (good().assign(pain=[1, "high", 3]), {}, ["'pain'", "'high'"]),
        (good().assign(pain=[1.0, np.inf, 3.0]), {}, ["'pain'", "inf"]),
        (good().assign(on=["2026-01-01", "2026-01-01", "2026-01-02"]), {}, ["'a'", "2026-01-01", "--day-col"]),
        (good().assign(on=["2026-01-01", "2026-01-03", "2026-01-05"]), {}, ["no valid lag pairs", "2 across a night"]),
        (good().iloc[:0], {}, ["no rows"]),
        (good().assign(on=["2026-01-01", "soon", "2026-01-03"]), {}, ["'on'", "'soon'"]),
        (good().assign(on=[None, "2026-01-02", "2026-01-03"]), {}, ["'on'", "missing"]),
        (good(), {"time_col": None}, ["time_col"]),
        (good().assign(on=1), {"time_col": None, "day_col": "on", "beep_col": "on"}, ["two rows", "'on'"]),
        (good().assign(b=[1, 1.5, 2]), {"time_col": None, "day_col": "on", "beep_col": "b"}, ["'b'", "1.5"]),
        (good(), {"variables": "pain"}, ["variables"]),
        (good(), {"variables": ["pain", "id"]}, ["id_col"]),
        (good(), {"day_boundary": "04:00"}, ["day_boundary"]),
    ],
)
def test_bad_input_gets_one_clear_line(frame, kw, words):
    with pytest.raises(CycleInputError) as err:
        build_pairs(frame, **{"id_col": "id", "variables": ["pain"], "time_col": "on", **kw})
    message = str(err.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_a_duplicate_prompt_is_an_error():
    df = ema([("a", 1, 1, 1.0), ("a", 1, 2, 2.0), ("a", 1, 2, 3.0)])
    with pytest.raises(CycleInputError, match="patient 'a' has two rows on day 1 with the same 'beep'"):
        build_pairs(df, id_col="id", variables=["pain"], day_col="day", beep_col="beep")


@pytest.mark.parametrize(
    ("values", "kw"),
    [
        (np.ones((2, 4)), {}),
        (np.ones((1, 4, 1)), {"steps_per_day": 3}),
        (np.full((1, 4, 1), np.inf), {}),
        (np.ones((1, 4, 1)), {"patient_ids": ["a", "a"]}),
        (np.full((1, 4, 1), np.nan), {}),
    ],
)
def test_bad_dense_input(values, kw):
    with pytest.raises(CycleInputError):
        pairs_from_dense(values, **{"patient_ids": ["a"], "variables": ["pain"], **kw})


def test_panel_arrays_are_read_only():
    panel = build_pairs(good(), id_col="id", variables=["pain"], time_col="on")
    with pytest.raises(ValueError, match="read-only"):
        panel.x[0, 0] = 9.0
