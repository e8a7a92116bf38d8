"""The research path: the daily-grid fast path and the Dask Parquet path give `analyze`'s numbers."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from painmind.core.cycle import CohortFit, CycleInputError, analyze
from painmind.core.cycle.daily import daily_grid
from painmind.core.cycle.research import analyze_parquet, analyze_table, sort_fits
from painmind.core.synth import generate_cohort

VARS = ["pain", "mood", "stress"]
ARRAYS = ("coef", "se", "p", "q", "ci_low", "ci_high", "std_coef", "resid_corr", "gain", "intercept")


def assert_same_fits(a, b):
    assert a.patient_ids == b.patient_ids
    assert a.message == b.message
    for name in ("status", "n_obs", "n_pairs", "n_more"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for name in (*ARRAYS, *(("trend",) if a.trend is not None else ())):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.fixture(scope="module")
def frame():
    data = generate_cohort(24, 50, missing_day_rate=0.2, missing_value_rate=0.05, realistic=False, rng=3).data
    data = data.drop(columns=["recorded_at"])
    # Integer ids sort as strings ("10" before "9"), as build_pairs sorts them; a row with no value.
    data["patient_id"] = data["patient_id"].str[1:].astype(int) * 7
    empty = data.iloc[[0]].assign(**dict.fromkeys(VARS, np.nan), local_date=data["local_date"].iloc[0])
    return pd.concat([data.iloc[::-1], empty], ignore_index=True)  # unsorted rows, a duplicate empty day


@pytest.mark.parametrize("trend", [False, True])
def test_the_daily_grid_gives_the_pairs_and_fits_of_build_pairs(frame, trend):
    table = pa.Table.from_pandas(frame, preserve_index=False)
    assert daily_grid(table, id_col="patient_id", time_col="local_date", variables=VARS) is not None
    fast = analyze_table(table, id_col="patient_id", variables=VARS, time_col="local_date", trend=trend).fits
    slow = analyze(frame, id_col="patient_id", variables=VARS, time_col="local_date", trend=trend).fits
    assert list(fast.patient_ids) == sorted(str(i) for i in frame["patient_id"].unique())
    assert_same_fits(fast, slow)


def test_dates_as_text_take_the_grid_and_other_input_takes_build_pairs(frame):
    text = frame.assign(local_date=frame["local_date"].dt.strftime("%Y-%m-%d"))
    table = pa.Table.from_pandas(text, preserve_index=False)
    assert daily_grid(table, id_col="patient_id", time_col="local_date", variables=VARS) is not None
    stamped = frame.assign(local_date=frame["local_date"] + pd.Timedelta(hours=20))
    table = pa.Table.from_pandas(stamped, preserve_index=False)
    assert daily_grid(table, id_col="patient_id", time_col="local_date", variables=VARS) is None
    fast = analyze_table(table, id_col="patient_id", variables=VARS, time_col="local_date").fits
    assert_same_fits(fast, analyze(stamped, id_col="patient_id", variables=VARS, time_col="local_date").fits)


def test_two_rows_on_a_day_fall_back_and_get_build_pairs_error(frame):
    twice = pd.concat([frame, frame.iloc[[3]]], ignore_index=True)
    table = pa.Table.from_pandas(twice, preserve_index=False)
    assert daily_grid(table, id_col="patient_id", time_col="local_date", variables=VARS) is None
    with pytest.raises(CycleInputError) as slow:
        analyze(twice, id_col="patient_id", variables=VARS, time_col="local_date")
    with pytest.raises(CycleInputError, match=re.escape(str(slow.value))):
        analyze_table(table, id_col="patient_id", variables=VARS, time_col="local_date")


def test_missing_ids_are_refused_by_both_paths(frame):
    blank = frame.astype({"patient_id": object})
    blank.loc[blank.index[2], "patient_id"] = None
    message = "id column 'patient_id' has a missing or blank value"
    with pytest.raises(CycleInputError, match=message):
        analyze(blank, id_col="patient_id", variables=VARS, time_col="local_date")
    with pytest.raises(CycleInputError, match=message):
        analyze_table(pa.Table.from_pandas(blank, preserve_index=False), id_col="patient_id", variables=VARS,
                      time_col="local_date")  # fmt: skip


def _write_parts(frame, folder, groups):
    folder.mkdir()
    ids = sorted(frame["patient_id"].unique())
    for g, part in enumerate(np.array_split(np.array(ids), groups)):
        frame[frame["patient_id"].isin(part)].to_parquet(folder / f"part-{g}.parquet", index=False)


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:  # fmt: skip
        yield cluster.scheduler_address


def test_dask_workers_read_the_parquet_files_and_equal_the_local_engine(frame, tmp_path, scheduler):
    data = frame.assign(patient_id=frame["patient_id"].astype(str))
    _write_parts(data.iloc[::-1], tmp_path / "parts", 3)  # files in reverse id order: the result is sorted
    local = analyze(data, id_col="patient_id", variables=VARS, time_col="local_date", trend=True)
    kwargs: dict[str, Any] = {"id_col": "patient_id", "variables": VARS, "time_col": "local_date", "trend": True}
    dask = analyze_parquet(tmp_path / "parts", engine="dask", scheduler=scheduler, **kwargs)
    assert_same_fits(dask.fits, local.fits)
    assert isinstance(dask.cohort, CohortFit)
    assert isinstance(local.cohort, CohortFit)
    np.testing.assert_allclose(dask.cohort.estimate, local.cohort.estimate, rtol=1e-9)
    assert_same_fits(analyze_parquet(str(tmp_path / "parts" / "*.parquet"), **kwargs).fits, local.fits)


def test_a_person_in_two_files_is_refused(frame, tmp_path, scheduler):
    folder = tmp_path / "split"
    folder.mkdir()
    early = frame["local_date"] < frame["local_date"].min() + pd.Timedelta(days=25)
    frame[early].to_parquet(folder / "a.parquet", index=False)
    frame[~early].to_parquet(folder / "b.parquet", index=False)
    with pytest.raises(CycleInputError, match="more than one file"):
        analyze_parquet(folder, engine="dask", scheduler=scheduler, id_col="patient_id", variables=VARS,
                        time_col="local_date")  # fmt: skip


def test_sort_fits_orders_people_by_id(frame):
    fits = analyze(frame, id_col="patient_id", variables=VARS, time_col="local_date").fits
    from painmind.core.cycle import concat_fits

    half = len(fits.patient_ids) // 2
    parts = [
        analyze(frame[frame["patient_id"].astype(str).isin(ids)], id_col="patient_id", variables=VARS,
                time_col="local_date", cohort=False).fits
        for ids in (fits.patient_ids[half:], fits.patient_ids[:half])
    ]  # fmt: skip
    assert_same_fits(sort_fits(concat_fits(parts)), fits)
