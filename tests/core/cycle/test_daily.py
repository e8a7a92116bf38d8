"""The daily grid of a diary file as written (each person's rows together, days rising) equals build_pairs'."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from painmind.core.cycle import analyze, daily
from painmind.core.cycle.daily import daily_grid
from painmind.core.cycle.research import analyze_table
from painmind.core.synth import generate_cohort

VARS = ["pain", "mood", "stress"]


@pytest.fixture(scope="module")
def sorted_frame():
    data = generate_cohort(30, 45, missing_day_rate=0.2, missing_value_rate=0.05, realistic=False, rng=8).data
    data = data.drop(columns=["recorded_at"])
    # Integer ids in numeric order: grouped, but not in the string order ("14" before "7") of the grid.
    data["patient_id"] = data["patient_id"].str[1:].astype(int) * 7
    data = data.sort_values(["patient_id", "local_date"], ignore_index=True)
    data.loc[[5, 200], VARS] = np.nan  # rows with no value: no observation
    return data


@pytest.fixture(autouse=True, params=["one thread", "two threads"])
def fill_threads(request, monkeypatch):
    """Every test with the grid filled on one thread and on two (as for 100k people)."""
    monkeypatch.setattr(daily, "_THREADED_FROM", 10**12 if request.param == "one thread" else 0)


def _grid_pairs(frame):
    table = pa.Table.from_pandas(frame, preserve_index=False)
    return table, daily_grid(table, id_col="patient_id", time_col="local_date", variables=VARS)


def test_a_grouped_sorted_file_gives_build_pairs_fits(sorted_frame):
    table, grid = _grid_pairs(sorted_frame)
    assert grid is not None
    assert list(grid.patient_ids) == sorted(str(i) for i in sorted_frame["patient_id"].unique())
    # Each person's observed rows sit at (their day - their first day); everything else is NaN.
    for pid, rows in sorted_frame.groupby("patient_id"):
        seen = rows[rows[VARS].notna().any(axis=1)]
        slot = (seen["local_date"] - seen["local_date"].min()).dt.days.to_numpy()
        person = grid.values[grid.patient_ids.index(str(pid))]
        np.testing.assert_array_equal(person[slot], seen[VARS].to_numpy())
        assert np.isnan(np.delete(person, slot, axis=0)).all()
    fast = analyze_table(table, id_col="patient_id", variables=VARS, time_col="local_date").fits
    slow = analyze(sorted_frame, id_col="patient_id", variables=VARS, time_col="local_date").fits
    assert fast.patient_ids == slow.patient_ids
    np.testing.assert_array_equal(fast.n_pairs, slow.n_pairs)
    np.testing.assert_allclose(fast.coef, slow.coef, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("change", ["same_day_twice", "person_split"])
def test_a_day_twice_or_a_person_in_two_runs_is_still_read_right(sorted_frame, change):
    frame = sorted_frame
    if change == "same_day_twice":  # two rows on one day, next to each other: build_pairs' to name
        frame = pd.concat([frame.iloc[:11], frame.iloc[[10]], frame.iloc[11:]], ignore_index=True)
        assert _grid_pairs(frame)[1] is None
        return
    first = frame["patient_id"].iloc[0]  # the first person's rows at both ends of the file
    mine = frame[frame["patient_id"] == first]
    rest = frame[frame["patient_id"] != first]
    frame = pd.concat([mine.iloc[20:], rest, mine.iloc[:20]], ignore_index=True)
    table, grid = _grid_pairs(frame)
    assert grid is not None
    fast = analyze_table(table, id_col="patient_id", variables=VARS, time_col="local_date").fits
    slow = analyze(frame, id_col="patient_id", variables=VARS, time_col="local_date").fits
    np.testing.assert_array_equal(fast.n_pairs, slow.n_pairs)
    np.testing.assert_allclose(fast.coef, slow.coef, rtol=1e-9, atol=1e-12)


def test_ids_read_as_a_dictionary_give_the_same_grid_whatever_the_dictionary_holds(sorted_frame):
    frame = sorted_frame.assign(patient_id=sorted_frame["patient_id"].astype(str))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    plain = daily_grid(table, id_col="patient_id", time_col="local_date", variables=VARS)
    ids = table.column("patient_id").combine_chunks()
    names = sorted(set(ids.to_pylist()))
    # A dictionary with an unused entry and a repeated one (Arrow allows both; Parquet writes neither).
    dictionary = pa.array(["unused", *names, names[0]])
    index = {name: i + 1 for i, name in enumerate(names)}
    codes = np.array([index[v] for v in ids.to_pylist()], dtype=np.int32)
    codes[:3] = len(dictionary) - 1  # the first person's first rows point at the repeat
    coded = pa.DictionaryArray.from_arrays(pa.array(codes), dictionary)
    grid = daily_grid(
        table.set_column(0, "patient_id", coded), id_col="patient_id", time_col="local_date", variables=VARS
    )
    assert plain is not None
    assert grid is not None
    assert grid.patient_ids == plain.patient_ids
    np.testing.assert_array_equal(grid.values, plain.values)
