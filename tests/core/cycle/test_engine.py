"""analyze(): grouping, progress, input errors, and the Dask engine equal to the local one."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from painmind.core.cycle import CohortFit, CycleInputError, analyze
from painmind.core.synth import generate_cohort

VARS = ["pain", "mood", "sleep_quality"]


@pytest.fixture(scope="module")
def cohort():
    data = generate_cohort(30, 60, variables=VARS, missing_day_rate=0.1, missing_value_rate=0.03, rng=5).data
    # A patient with too few days and one whose sleep never varies: statuses, never NaN.
    short = data[data["patient_id"] == "p00000"].head(8).assign(patient_id="short")
    flat = data[data["patient_id"] == "p00001"].assign(patient_id="flat", sleep_quality=5.0)
    return pd.concat([data, short, flat], ignore_index=True)


def fields(result):
    f = result.fits
    return f.patient_ids, f.status, f.coef, f.se, f.p, f.q, f.gain, f.gain_ci_low


def assert_same(a, b, rtol=1e-12):
    ids_a, status_a, *arrays_a = fields(a)
    ids_b, status_b, *arrays_b = fields(b)
    assert ids_a == ids_b
    assert list(status_a) == list(status_b)
    for x, y in zip(arrays_a, arrays_b, strict=True):
        np.testing.assert_allclose(x, y, rtol=rtol, atol=1e-14, equal_nan=True)


def test_groups_of_any_size_give_the_same_fits(cohort):
    whole = analyze(cohort, id_col="patient_id", variables=VARS, time_col="local_date")
    seen = []
    grouped = analyze(
        cohort, id_col="patient_id", variables=VARS, time_col="local_date", group_patients=7,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert_same(whole, grouped)
    assert seen[-1] == (32, 32)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert isinstance(whole.cohort, CohortFit)
    assert isinstance(grouped.cohort, CohortFit)
    np.testing.assert_allclose(whole.cohort.estimate, grouped.cohort.estimate, rtol=1e-12, equal_nan=True)


def test_statuses_and_json_without_nan(cohort):
    result = analyze(cohort, id_col="patient_id", variables=VARS, time_col="local_date")
    patients: list[dict[str, object]] = result.to_json()["patients"]  # type: ignore[assignment]
    by_id = {p["id"]: p for p in patients}
    assert by_id["short"]["status"] == "insufficient_data"
    assert "more days needed" in str(by_id["short"]["message"])
    assert by_id["flat"]["status"] == "not_estimable"
    assert "sleep_quality" in str(by_id["flat"]["message"])
    json.dumps(result.to_json(), allow_nan=False)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"variables": ["pain", "nope"]}, "nope"),
        ({"time_col": "when"}, "when"),
        ({"engine": "spark"}, "engine"),
    ],
)
def test_input_errors(cohort, kwargs, message):
    base = {"id_col": "patient_id", "variables": VARS, "time_col": "local_date"}
    with pytest.raises(CycleInputError, match=message):
        analyze(cohort, **{**base, **kwargs})


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_dask_engine_equals_local_engine(cohort):
    local = analyze(cohort, id_col="patient_id", variables=VARS, time_col="local_date", helps=True)
    distributed = analyze(
        cohort, id_col="patient_id", variables=VARS, time_col="local_date", helps=True,
        engine="dask", group_patients=8,
    )  # fmt: skip
    assert_same(local, distributed)
    assert local.to_json() == distributed.to_json()
