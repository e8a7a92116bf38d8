"""`painmind analyze` tidy outputs: long and per-person tables as Parquet, CSV and JSON; bad input."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import statsmodels.api as sm
from django.core.management import CommandError, call_command

from painmind.core.cycle import CohortFit, analyze
from painmind.core.synth import generate_cohort

VARS = ["pain", "mood", "sleep_quality"]
EDGE = ["coef", "se", "t", "p", "q", "ci_low", "ci_high", "std_coef"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("analyze", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def diary(tmp_path):
    cohort = generate_cohort(7, 60, missing_day_rate=0.15, missing_value_rate=0.05, realistic=False, rng=5)
    frame = cohort.data.assign(day=cohort.data["local_date"].dt.strftime("%Y-%m-%d"))
    frame = frame.drop(columns=["recorded_at", "local_date"])
    # One person with too few days: rows with null estimates and a status saying why.
    short = frame[frame["patient_id"] == "p00006"].head(12)
    frame = pd.concat([frame[frame["patient_id"] != "p00006"], short], ignore_index=True)
    csv_path, pq_path = tmp_path / "diary.csv", tmp_path / "diary.parquet"
    frame.to_csv(csv_path, index=False)
    frame.to_parquet(pq_path, index=False)
    return frame, csv_path, pq_path


def args(path, *more):
    return ("--data", str(path), "--id-col", "patient_id", "--time-col", "day", "--vars", ",".join(VARS), *more)


def test_long_and_summary_tables_equal_the_engine_and_statsmodels(diary, tmp_path):
    frame, _, pq_path = diary
    out, people = tmp_path / "long.parquet", tmp_path / "people.parquet"
    run(*args(pq_path, "--out", str(out), "--summary", str(people)))
    long, summary = pd.read_parquet(out), pd.read_parquet(people)
    fits = analyze(frame, id_col="patient_id", variables=VARS, time_col="day", same_day=()).fits
    n, k = len(fits.patient_ids), len(VARS)
    assert len(long) == n * k * k
    assert list(summary["id"]) == list(fits.patient_ids)
    assert list(long["id"].astype(str)) == [i for i in fits.patient_ids for _ in range(k * k)]
    assert list(long["equation"].astype(str)[: k * k]) == [v for v in VARS for _ in VARS]
    assert list(long["predictor"].astype(str)[: k * k]) == VARS * k
    for name in EDGE:
        expected = getattr(fits, name).reshape(-1)
        got = long[name].to_numpy(dtype=float, na_value=np.nan)
        np.testing.assert_array_equal(np.isnan(got), ~np.isfinite(expected))
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14, equal_nan=True)
    assert list(summary["status"].astype(str)) == list(fits.status)
    assert list(summary["n_pairs"]) == list(fits.n_pairs)
    assert list(summary["n_obs"]) == list(fits.n_obs)
    short = summary.set_index("id").loc["p00006"]
    assert short["status"] == "insufficient_data"
    assert "more days" in short["message"]
    assert long.loc[long["id"] == "p00006", "coef"].isna().all()
    assert long.loc[long["status"] == "ok", "shrunk"].notna().all()  # the cohort's per-person estimates
    # An independent per-equation OLS for one person (previous calendar day only).
    one = frame[frame["patient_id"] == "p00002"].assign(day=lambda f: pd.to_datetime(f["day"])).set_index("day")
    both = pd.concat([one[VARS], one[VARS].shift(1, freq="D").reindex(one.index).add_suffix("_lag")], axis=1)
    both = both.dropna()
    x = sm.add_constant(both[[f"{v}_lag" for v in VARS]].to_numpy())
    rows = long[long["id"] == "p00002"]
    for a, to in enumerate(VARS):
        fit = sm.OLS(both[to].to_numpy(), x).fit()
        eq = rows[rows["equation"] == to]
        np.testing.assert_allclose(eq["coef"], fit.params[1:], rtol=1e-8)
        np.testing.assert_allclose(eq["se"], fit.bse[1:], rtol=1e-8)
        np.testing.assert_allclose(eq["p"], fit.pvalues[1:], rtol=1e-6)
        assert (eq["n_pairs"] == len(both)).all(), a


def test_csv_and_parquet_round_trip_to_the_same_tables(diary, tmp_path):
    _, csv_path, pq_path = diary
    run(*args(csv_path, "--out", str(tmp_path / "a.csv"), "--summary", str(tmp_path / "a_people.csv")))
    run(*args(pq_path, "--out", str(tmp_path / "b.parquet"), "--summary", str(tmp_path / "b_people.parquet")))
    for csv_name, pq_name in (("a.csv", "b.parquet"), ("a_people.csv", "b_people.parquet")):
        from_csv = pd.read_csv(tmp_path / csv_name, keep_default_na=False, na_values=[""])
        from_pq = pd.read_parquet(tmp_path / pq_name)
        assert list(from_csv.columns) == list(from_pq.columns)
        for col in from_pq.columns:
            a, b = from_csv[col], from_pq[col]
            if pd.api.types.is_numeric_dtype(b.dtype):
                np.testing.assert_array_equal(a.to_numpy(float), b.to_numpy(float, na_value=np.nan), err_msg=col)
            else:
                assert list(a.fillna("").astype(str)) == list(b.astype(str)), col


def test_json_is_asked_for_parses_and_matches_the_tables(diary, tmp_path):
    _, _, pq_path = diary
    run(*args(pq_path, "--out", str(tmp_path / "long.parquet"), "--summary", str(tmp_path / "p.parquet")))
    text = run(*args(pq_path, "--format", "json"))
    assert "\n  " not in text  # not an indented document
    data = json.loads(text)
    long, summary = pd.read_parquet(tmp_path / "long.parquet"), pd.read_parquet(tmp_path / "p.parquet")
    assert data["variables"] == VARS
    assert data["cohort"]["n_patients"] == 6
    assert [p["id"] for p in data["patients"]] == list(summary["id"])
    for person, (_, row) in zip(data["patients"], summary.iterrows(), strict=True):
        assert person["status"] == row["status"]
        assert person["n_pairs"] == row["n_pairs"]
        rows = long[long["id"] == person["id"]]
        assert [e["predictor"] for e in person["edges"]] == list(rows["predictor"].astype(str))
        got = [np.nan if e["coef"] is None else e["coef"] for e in person["edges"]]
        np.testing.assert_array_equal(got, rows["coef"].to_numpy(float, na_value=np.nan))
    # The same document in a file (.json); the default standard output is the long table as CSV.
    run(*args(pq_path, "--out", str(tmp_path / "all.json")))
    assert json.loads((tmp_path / "all.json").read_text()) == data
    assert pd.read_csv(io.StringIO(run(*args(pq_path)))).shape[0] == len(long)


def test_cohort_table_has_one_row_per_edge(diary, tmp_path):
    frame, _, pq_path = diary
    run(*args(pq_path, "--out", str(tmp_path / "l.parquet"), "--cohort-out", str(tmp_path / "c.csv")))
    cohort = pd.read_csv(tmp_path / "c.csv")
    pooled = analyze(frame, id_col="patient_id", variables=VARS, time_col="day", same_day=()).cohort
    assert isinstance(pooled, CohortFit)
    assert len(cohort) == len(VARS) ** 2
    np.testing.assert_allclose(cohort["estimate"], pooled.estimate.reshape(-1), rtol=1e-12)


def _blank_ids(frame, path):
    frame = frame.copy()
    frame.loc[frame.index[5], "patient_id"] = "  "
    frame.to_parquet(path, index=False)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing_file", "no such file or directory"),
        ("blank_id_parquet", "id column 'patient_id' has a missing or blank value (row 5)"),
        ("blank_id_csv", "id column 'patient_id' has a missing or blank value (row 5)"),
        ("missing_folder", "--out: no such directory"),
        ("unknown_format", "--out: unknown format '.xlsx'"),
        ("unknown_summary_format", "--summary: unknown format '.txt'"),
        ("parquet_to_stdout", "--format parquet needs --out FILE"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(diary, tmp_path, case, message):
    frame, _csv_path, pq_path = diary
    outdir = tmp_path / "out"
    outdir.mkdir()
    source, extra = pq_path, ["--out", str(outdir / "long.parquet"), "--summary", str(outdir / "people.csv")]
    if case == "missing_file":
        source = tmp_path / "nope.parquet"
    elif case == "blank_id_parquet":
        source = tmp_path / "blank.parquet"
        _blank_ids(frame, source)
    elif case == "blank_id_csv":
        source = tmp_path / "blank.csv"
        frame.assign(patient_id=frame["patient_id"].where(frame.index != 5, None)).to_csv(source, index=False)
    elif case == "missing_folder":
        extra = ["--out", str(tmp_path / "no" / "long.parquet")]
    elif case == "unknown_format":
        extra = ["--out", str(outdir / "long.xlsx")]
    elif case == "unknown_summary_format":
        extra = ["--out", str(outdir / "long.parquet"), "--summary", str(outdir / "people.txt")]
    elif case == "parquet_to_stdout":
        extra = ["--format", "parquet"]
    with pytest.raises(CommandError, match=re.escape(message)) as caught:
        run(*args(source, *extra))
    assert "\n" not in str(caught.value)
    assert list(outdir.iterdir()) == []


def test_a_column_that_is_not_numeric_in_parquet_is_named(diary, tmp_path):
    frame, _, _ = diary
    path = tmp_path / "text.parquet"
    text = frame.astype({"mood": str})
    text.loc[text.index[3], "mood"] = "very low"
    pq.write_table(pa.Table.from_pandas(text, preserve_index=False), path)
    with pytest.raises(CommandError, match="column 'mood' has a non-numeric value 'very low'"):
        run(*args(path, "--out", str(tmp_path / "x.parquet")))
    assert not (tmp_path / "x.parquet").exists()
