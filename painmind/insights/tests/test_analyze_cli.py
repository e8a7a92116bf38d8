"""`painmind analyze` on CSV files: outputs, errors, and the real ESM data set."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from django.core.management import CommandError, call_command

from painmind.core.synth import generate_cohort

ESM = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "esm-kossakowski-2017" / "ESMdata.csv"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("analyze", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def diary_csv(tmp_path):
    cohort = generate_cohort(6, 70, missing_day_rate=0.15, missing_value_rate=0.05, realistic=False, rng=11)
    frame = cohort.data.assign(day=cohort.data["local_date"].dt.strftime("%Y-%m-%d")).drop(columns=["recorded_at"])
    path = tmp_path / "diary.csv"
    frame.to_csv(path, index=False)
    return path, frame


def oracle_daily(frame, pid, variables):
    one = frame[frame["patient_id"] == pid].assign(day=lambda f: pd.to_datetime(f["day"])).set_index("day")
    prev = one[variables].shift(1, freq="D").reindex(one.index)
    both = pd.concat([one[variables], prev.add_suffix("_lag")], axis=1).dropna()
    x = sm.add_constant(both[[f"{v}_lag" for v in variables]].to_numpy())
    return {v: sm.OLS(both[v].to_numpy(), x).fit() for v in variables}, len(both)


def test_json_matches_statsmodels_per_patient(diary_csv):
    path, frame = diary_csv
    variables = ["pain", "mood", "sleep_quality"]
    out = json.loads(
        run(
            "--csv", str(path), "--id-col", "patient_id", "--time-col", "day", "--vars", ",".join(variables),
            "--format", "json",
        )
    )  # fmt: skip
    assert out["variables"] == variables
    assert out["cohort"]["n_patients"] == 6
    for patient in out["patients"]:
        models, n = oracle_daily(frame, patient["id"], variables)
        assert patient["status"] == "ok"
        assert patient["n_pairs"] == n
        for e in patient["edges"]:
            fit = models[e["equation"]]
            j = 1 + variables.index(e["predictor"])
            assert e["coef"] == pytest.approx(fit.params[j], rel=1e-8, abs=1e-10)
            assert e["se"] == pytest.approx(fit.bse[j], rel=1e-8, abs=1e-10)
            assert e["p"] == pytest.approx(fit.pvalues[j], rel=1e-6, abs=1e-12)


def test_csv_and_table_formats_and_out_file(diary_csv, tmp_path):
    path, _ = diary_csv
    common = ["--csv", str(path), "--id-col", "patient_id", "--time-col", "day", "--vars", "pain,mood"]
    rows = list(pd.read_csv(io.StringIO(run(*common)))["equation"])  # the long table as CSV by default
    assert len(rows) == 6 * 4
    assert "->" in run(*common, "--format", "table")
    target = tmp_path / "out.json"
    run(*common, "--out", str(target))
    assert json.loads(target.read_text())["variables"] == ["pain", "mood"]


@pytest.mark.parametrize(
    ("change", "args", "message"),
    [
        (None, ["--vars", "pain,nope"], "nope"),
        ("text", ["--vars", "pain,mood"], "mood"),
        (None, ["--id-col", "who"], "who"),
    ],
)
def test_bad_input_is_one_clear_error(diary_csv, tmp_path, change, args, message):
    path, frame = diary_csv
    if change == "text":
        frame = frame.astype({"mood": "object"})
        frame.loc[frame.index[3], "mood"] = "very low"
        path = tmp_path / "bad.csv"
        frame.to_csv(path, index=False)
    base = {"--id-col": "patient_id", "--time-col": "day", "--vars": "pain,mood"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        base[key] = value
    flat = [item for pair in base.items() for item in pair]
    with pytest.raises(CommandError, match=re.escape(message)):
        run("--csv", str(path), *flat)


@pytest.mark.slow
def test_missing_file_exits_non_zero_with_one_line(tmp_path):
    env = {**os.environ, "PAINMIND_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "painmind", "analyze", "--csv", str(tmp_path / "nope.csv"), "--time-col", "day"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [f"CommandError: --csv: no such file: {tmp_path / 'nope.csv'}"]


ESM_VARS = ["mood_down", "pat_worry", "phy_tired"]


def test_real_esm_data_pairs_only_within_days_and_matches_the_oracle():
    if not ESM.exists():
        pytest.skip(f"the ESM data set is not at {ESM} (shared/data/esm-kossakowski-2017); it is not in the repo")
    out = json.loads(
        run(
            "--csv", str(ESM), "--day-col", "date", "--beep-col", "beepno", "--day-format", "%d/%m/%y",
            "--vars", ",".join(ESM_VARS), "--min-pairs", "20", "--format", "json",
        )
    )  # fmt: skip
    (patient,) = out["patients"]
    raw = pd.read_csv(ESM)
    raw["day"] = pd.to_datetime(raw["date"], format="%d/%m/%y")
    same_day = raw["day"].eq(raw["day"].shift(1))
    next_beep = raw["beepno"].eq(raw["beepno"].shift(1) + 1)
    # The README: of 1,475 naive consecutive-row pairs, 237 cross a night and 362 follow a skipped beep.
    assert int((~same_day).sum()) - 1 == 237
    assert int((same_day & ~next_beep).sum()) == 362
    valid = same_day & next_beep
    lagged = raw[ESM_VARS].shift(1)
    keep = valid & raw[ESM_VARS].notna().all(axis=1) & lagged.notna().all(axis=1)
    assert patient["n_pairs"] == int(keep.sum())
    x = sm.add_constant(lagged[keep].to_numpy(dtype=float))
    for e in patient["edges"]:
        fit = sm.OLS(raw.loc[keep, e["equation"]].to_numpy(dtype=float), x).fit()
        j = 1 + ESM_VARS.index(e["predictor"])
        assert e["coef"] == pytest.approx(fit.params[j], rel=1e-8, abs=1e-10)
        assert e["se"] == pytest.approx(fit.bse[j], rel=1e-8, abs=1e-10)
        assert np.isfinite(e["p"])
