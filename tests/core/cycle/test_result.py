"""CycleResult: the JSON document and the CSV rows, never NaN or inf."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import numpy as np
import pytest

from painmind.core.cycle import CycleResult, fit_patients, pairs_from_dense

COLUMNS = ["id", "status", "reason", "message", "n_obs", "n_pairs", "from", "to", "coef", "se", "t", "p", "q", "ci_low",
           "ci_high", "std_coef"]  # fmt: skip


class Pooled:
    """Stands in for the cohort pooling result: anything with to_json()."""

    def to_json(self):
        return {
            "n_patients": 2,
            "edges": [{"from": "pain", "to": "mood", "estimate": 0.1, "se": 0.05, "p": 0.04, "tau": 0.0}],
        }


@pytest.fixture
def fits():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(4, 40, 3))
    values[1, 10:] = np.nan  # too few days
    values[2, :, 2] = 3.0  # a constant variable
    values[3, 5, 0] = np.nan  # one missing value
    return fit_patients(
        pairs_from_dense(values, patient_ids=["a", "b", "c", "d"], variables=["pain", "mood", "stress"])
    )


def test_to_json_has_exactly_the_documented_shape(fits):
    result = CycleResult(variables=fits.variables, fits=fits, cohort=Pooled(), helps=None)
    doc: dict[str, Any] = result.to_json()
    assert list(doc) == ["variables", "patients", "cohort"]
    assert doc["variables"] == ["pain", "mood", "stress"]
    assert doc["cohort"] == Pooled().to_json()
    assert [p["status"] for p in doc["patients"]] == ["ok", "insufficient_data", "not_estimable", "ok"]
    for patient in doc["patients"]:
        assert list(patient) == ["id", "status", "reason", "message", "n_obs", "n_pairs", "edges", "cycle_gain",
                                 "flags", "diagnostics"]  # fmt: skip
        assert list(patient["diagnostics"]) == ["spectral_radius", "ljung_box", "distinct_values", "top_share"]
    assert [p["reason"] for p in doc["patients"]] == ["ok", "more_days_needed", "constant", "ok"]
    ok = doc["patients"][0]
    assert len(ok["edges"]) == 9
    assert list(ok["edges"][0]) == ["from", "to", "coef", "se", "t", "p", "q", "ci_low", "ci_high", "std_coef"]
    assert set(ok["cycle_gain"]) == {"value", "ci_low", "ci_high"}
    assert doc["patients"][1]["message"] == "11 more days needed"
    assert doc["patients"][1]["edges"] == []
    assert doc["patients"][1]["cycle_gain"] is None
    assert doc["patients"][2]["message"] == "stress is constant in the lag pairs"
    assert doc["patients"][3]["n_pairs"] == 37
    json.dumps(doc, allow_nan=False)
    assert CycleResult(fits.variables, fits, None, None).to_json()["cohort"] is None


def test_json_values_are_the_fitted_numbers(fits):
    doc: dict[str, Any] = CycleResult(fits.variables, fits, None, None).to_json()
    edge = doc["patients"][3]["edges"][5]
    assert (edge["from"], edge["to"]) == ("stress", "mood")
    assert edge["coef"] == fits.coef[3, 1, 2]
    assert edge["q"] == fits.q[3, 1, 2]
    assert type(edge["coef"]) is float


def test_to_rows_one_per_patient_and_edge_or_one_per_patient(fits):
    rows = CycleResult(fits.variables, fits, None, None).to_rows()
    assert len(rows) == 9 + 1 + 1 + 9
    assert all(list(r) == COLUMNS for r in rows)
    short = [r for r in rows if r["id"] == "b"]
    assert len(short) == 1
    assert short[0]["status"] == "insufficient_data"
    assert short[0]["coef"] is None
    assert short[0]["from"] is None
    assert {(r["from"], r["to"]) for r in rows if r["id"] == "a"} == {
        (f, t) for f in fits.variables for t in fits.variables
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    assert "nan" not in out.getvalue().lower()


def test_a_cohort_without_to_json_is_refused(fits):
    with pytest.raises(TypeError, match="to_json"):
        CycleResult(fits.variables, fits, cohort=object(), helps=None).to_json()
