"""'What helps me': bivariate models against statsmodels, BH across a patient's tests, plain words."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

from painmind.core.cycle import CycleInputError, build_pairs, pairs_from_dense, what_helps
from painmind.core.synth import generate_cohort

ALL = ["pain", "mood", "stress", "sleep_quality", "activity_minutes", "social", "sleep_hours"]
PER = {"sleep_quality": 1.0, "sleep_hours": 1.0, "activity_minutes": 30.0, "social": 1.0, "stress": 1.0}


def oracle_pairs(frame, outcome, factor):
    """Previous-day pairs complete for outcome and factor, by plain pandas on one patient's rows."""
    day = frame.set_index(frame["local_date"])[[outcome, factor]]
    before = day.shift(1, freq="D").rename(columns=lambda c: f"{c}_lag")
    both = day.join(before, how="inner").dropna()
    return both[[f"{outcome}_lag", f"{factor}_lag"]].to_numpy(), both[outcome].to_numpy()


def test_matches_statsmodels_and_bh_per_patient():
    data = generate_cohort(12, 70, missing_day_rate=0.1, missing_value_rate=0.1, realistic=False, rng=11).data
    data = data.drop(columns="anxiety")
    panel = build_pairs(data, id_col="patient_id", variables=ALL, time_col="local_date")
    found = what_helps(panel)
    assert sum(len(f) for f in found) > 0
    for pid, findings in zip(panel.patient_ids, found, strict=True):
        rows = data[data["patient_id"] == pid]
        expect = {}
        for outcome in ("pain", "mood"):
            for factor in PER:
                x, y = oracle_pairs(rows, outcome, factor)
                if len(y) >= 20:
                    res = sm.OLS(y, sm.add_constant(x)).fit()
                    lo, hi = res.conf_int()[2]
                    expect[factor, outcome] = (res.params[2], lo, hi, res.pvalues[2], len(y))
        assert {(f.factor, f.outcome) for f in findings} == set(expect)
        q = dict(zip(expect, multipletests([v[3] for v in expect.values()], method="fdr_bh")[1], strict=True))
        for f in findings:
            coef, lo, hi, p, n = expect[f.factor, f.outcome]
            assert f.per == PER[f.factor]
            np.testing.assert_allclose(
                [f.coef, f.ci_low, f.ci_high], np.array([coef, lo, hi]) * f.per, rtol=1e-8, atol=1e-10
            )
            np.testing.assert_allclose([f.p, f.q], [p, q[f.factor, f.outcome]], rtol=1e-8, atol=1e-10)
            assert f.n_pairs == n
        keys = [(f.q, -abs(f.coef)) for f in findings]
        assert keys == sorted(keys)


def one_patient(effects, days=80, steps=1, seed=3):
    """pain and mood at t driven by yesterday's factors; effects: {(factor, outcome): raw coefficient}."""
    rng = np.random.default_rng(seed)
    n = days * steps
    factors = {
        "sleep_hours": rng.normal(7, 1, n),
        "activity_minutes": rng.normal(60, 30, n),
        "stress": rng.normal(5, 1.5, n),
    }
    out = {}
    for outcome in ("pain", "mood"):
        series = np.full(n, 5.0) + rng.normal(0, 0.1, n)
        for (factor, target), b in effects.items():
            if target == outcome:
                series[1:] += b * (factors[factor][:-1] - factors[factor].mean())
        out[outcome] = series
    names = ["pain", "mood", *factors]
    values = np.column_stack([out["pain"], out["mood"], *factors.values()])[None]
    return pairs_from_dense(values, patient_ids=["pat"], variables=names, steps_per_day=steps)


def test_direction_words_for_pain_and_mood():
    effects = {("sleep_hours", "pain"): -0.8, ("sleep_hours", "mood"): 0.6, ("stress", "pain"): 0.5,
               ("activity_minutes", "mood"): -0.01}  # fmt: skip
    found = {(f.factor, f.outcome): f for f in what_helps(one_patient(effects))[0]}
    sleep_pain = found["sleep_hours", "pain"]
    assert sleep_pain.coef < 0
    assert sleep_pain.ci_high < 0
    match = re.fullmatch(
        r"On days after you slept 1 hour more, your pain was on average (\d\.\d) points lower the next day, which is "
        r"better \(likely between (\d\.\d) and (\d\.\d) lower\), from 79 pairs of days\.",
        sleep_pain.text,
    )
    assert match, sleep_pain.text
    shown = [float(w) for w in match.groups()]
    np.testing.assert_allclose(shown, np.abs([sleep_pain.coef, sleep_pain.ci_high, sleep_pain.ci_low]), atol=0.05)
    for key, words in [
        (
            ("sleep_hours", "mood"),
            r"you slept 1 hour more, your mood was on average \d\.\d points higher .*, which is better",
        ),
        (
            ("stress", "pain"),
            r"your stress was 1 point higher, your pain was on average \d\.\d points higher .*, which is worse",
        ),
        (
            ("activity_minutes", "mood"),
            r"active for 30 minutes more, your mood was on average 0\.\d points lower .*, which is worse",
        ),
    ]:
        assert re.search(words, found[key].text), found[key].text
    active = found["activity_minutes", "mood"]
    assert active.per == 30
    assert active.unit == "minute"
    np.testing.assert_allclose(active.coef, -0.3, atol=0.1)  # -0.01 per minute, reported per 30 minutes
    assert found["sleep_hours", "pain"].q < 0.001
    unclear = [f for f in found.values() if f.ci_low < 0 < f.ci_high]
    assert unclear
    assert all("the direction is not yet clear" in f.text for f in unclear)


def test_several_prompts_a_day_say_check_ins():
    findings = what_helps(one_patient({("sleep_hours", "pain"): -0.8}, days=20, steps=4))[0]
    assert findings[0].text.startswith("At check-ins after you slept 1 hour more")
    assert "at the next check-in" in findings[0].text
    assert findings[0].text.endswith("pairs of check-ins.")


def test_below_the_guard_gets_nothing():
    panel = one_patient({("sleep_hours", "pain"): -0.8}, days=17)
    assert what_helps(panel) == [[]]
    assert len(what_helps(panel, min_pairs=10)[0]) == 6  # 3 factors x 2 outcomes; 3 regressors need 15


def test_only_names_in_the_panel_and_never_a_factor_on_itself():
    panel = one_patient({("stress", "pain"): 0.5})
    found = what_helps(panel, outcomes=["pain", "missing"], factors=["stress", "pain", "social"])[0]
    assert [(f.factor, f.outcome) for f in found] == [("stress", "pain")]
    assert what_helps(panel, outcomes=[], factors=["stress"]) == [[]]
    with pytest.raises(CycleInputError, match="factors"):
        what_helps(panel, factors="stress")


def test_a_constant_factor_is_left_out():
    values = np.random.default_rng(0).normal(size=(1, 40, 2))
    values[0, :, 1] = 7.0
    panel = pairs_from_dense(values, patient_ids=["a"], variables=["pain", "sleep_hours"])
    assert what_helps(panel) == [[]]
    assert isinstance(pd.DataFrame([vars(f) for f in what_helps(one_patient({}))[0]]), pd.DataFrame)
