"""'What helps me': bivariate models against statsmodels, BH across a patient's tests, plain words."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

from painmind.core.cycle import CycleInputError, analyze, build_pairs, pairs_from_dense, what_helps
from painmind.core.cycle.judge import Evidence, judge
from painmind.core.cycle.lags.nights import cross_night_pairs
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


# ------------------------------------------- day-level factors in experience sampling (cross-night)
ESM = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "esm-kossakowski-2017" / "ESMdata.csv"
ESM_VARS = ["mood_down", "phy_tired", "mor_qualsleep"]  # mor_qualsleep: one value per day, on every prompt


def esm_frame():
    raw = pd.read_csv(ESM)
    return raw.assign(id="k", day=pd.to_datetime(raw["date"], format="%d/%m/%y")).sort_values(["day", "beepno"])


def hand_night_pairs(raw, outcome, factor):
    """(outcome, factor) at the last prompt of day d with any value -> outcome at the first prompt of day d+1
    with any value, consecutive dates only, both complete on both sides (as every "what helps" pair); by a
    plain loop over the days."""
    seen = raw[raw[ESM_VARS].notna().any(axis=1)]
    days = dict(list(seen.groupby("day")))
    x, y = [], []
    for d, rows in days.items():
        after = days.get(d + pd.Timedelta(days=1))
        if after is None:
            continue
        eve, mor = rows.iloc[-1], after.iloc[0]
        vals = [eve[outcome], eve[factor], mor[outcome], mor[factor]]
        if not any(pd.isna(v) for v in vals):
            x.append(vals[:2])
            y.append(vals[2])  # the factor's own equation is not a "what helps" finding
    return np.array(x, dtype=float), np.array(y, dtype=float)


def test_esm_day_level_factor_enters_across_the_night_and_matches_statsmodels():
    raw = esm_frame()
    kw: dict[str, Any] = {"id_col": "id", "day_col": "day", "beep_col": "beepno", "variables": ESM_VARS}
    within = build_pairs(raw, **kw)
    nights = cross_night_pairs(raw, **kw)
    before = what_helps(within, outcomes=["mood_down", "phy_tired"], factors=ESM_VARS)[0]
    assert not [f for f in before if f.factor == "mor_qualsleep"]  # the old way: the within-day test is void
    found = what_helps(
        within, outcomes=["mood_down", "phy_tired"], factors=ESM_VARS, day_level=["mor_qualsleep"], nights=nights
    )[0]
    by = {(f.factor, f.outcome): f for f in found}
    assert set(by) == {("mor_qualsleep", "mood_down"), ("mor_qualsleep", "phy_tired"), ("phy_tired", "mood_down"),
                       ("mood_down", "phy_tired")}  # fmt: skip
    for outcome in ("mood_down", "phy_tired"):
        x, y = hand_night_pairs(raw, outcome, "mor_qualsleep")
        res = sm.OLS(y, sm.add_constant(x)).fit()
        f = by["mor_qualsleep", outcome]
        assert f.n_pairs == len(y) > 50
        lo, hi = res.conf_int()[2]
        np.testing.assert_allclose([f.coef, f.se, f.ci_low, f.ci_high, f.p], [res.params[2], res.bse[2], lo, hi,
                                   res.pvalues[2]], rtol=1e-8, atol=1e-10)  # fmt: skip
        assert f.df == res.df_resid
        assert "at the first check-in of the next day" in f.text
        assert f.text.endswith("evenings each with the next morning.")
    # A test without a day-level variable stays within the day, as before (its q is now among four tests).
    old = {(g.factor, g.outcome): g for g in before}["phy_tired", "mood_down"]
    assert replace(by["phy_tired", "mood_down"], q=old.q) == old
    # The research path finds the day-level variable itself and gives the same findings.
    result = analyze(raw, id_col="id", variables=["mood_down", "phy_tired"], day_col="day", beep_col="beepno",
                     helps=True, helps_outcomes=["mood_down", "phy_tired"], helps_factors=["mor_qualsleep"],
                     cohort=False)  # fmt: skip
    assert result.helps is not None
    engine = {(f.factor, f.outcome): f for f in result.helps[0]}
    for key in (("mor_qualsleep", "mood_down"), ("mor_qualsleep", "phy_tired")):
        np.testing.assert_allclose(engine[key].coef, by[key].coef, rtol=1e-10)
    with pytest.raises(CycleInputError, match="cross-night"):
        what_helps(within, outcomes=["mood_down"], factors=ESM_VARS, day_level=["mor_qualsleep"])


def simulate_esm_day_level(n=150, days=60, prompts=6, effect=-0.4, seed=20261207):
    """Mood at each prompt: 0.3 x the prompt before (within the day, and from the evening to the next
    morning) + noise; the day's sleep quality (one value per day) moves the next morning's mood by `effect`."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        sleep = rng.integers(1, 8, days).astype(float)
        mood = 5.0
        for d in range(days):
            for b in range(prompts):
                shock = rng.normal(0, 1)
                push = effect * (sleep[d - 1] - 4) if b == 0 and d > 0 else 0.0
                mood = 5 + 0.3 * (mood - 5) + push + shock
                if b in (0, prompts - 1) or rng.random() > 0.1:  # 10 % of the prompts in between missed
                    rows.append((f"p{i:03d}", d, b + 1, mood, sleep[d]))
    return pd.DataFrame(rows, columns=["id", "day", "beep", "mood", "sleep_quality"])


def test_a_true_day_level_effect_is_recovered_across_the_night():
    data = simulate_esm_day_level()
    result = analyze(data, id_col="id", variables=["mood"], day_col="day", beep_col="beep", helps=True,
                     helps_outcomes=["mood"], helps_factors=["sleep_quality"], cohort=False)  # fmt: skip
    assert result.helps is not None
    found = [f for person in result.helps for f in person if f.factor == "sleep_quality"]
    assert len(found) == 150  # every person gets the test (it used to be void)
    coef = np.array([f.coef for f in found])
    covered = np.mean([f.ci_low <= -0.4 <= f.ci_high for f in found])
    # ~50 nights a person: SE about 0.09, so the mean is near the truth and the 95 % intervals cover.
    assert abs(coef.mean() + 0.4) < 0.02
    assert 0.90 <= covered <= 0.99
    assert np.mean([f.ci_high < 0 for f in found]) > 0.9  # nearly everyone sees the direction


# ------------------------------------------------------------------ binary habits (0/1)
def habit_diaries(n=120, days=90, effect=-1.0, rate=0.3, seed=20261208):
    """pain(t) = 5 + 0.3 (pain(t-1) - 5) + effect x walk(t-1) + N(0, 1); walk is 0/1, 1 on `rate` of days."""
    rng = np.random.default_rng(seed)
    walk = (rng.random((n, days)) < rate).astype(float)
    pain = np.empty((n, days))
    pain[:, 0] = 5 + rng.normal(size=n)
    for t in range(1, days):
        pain[:, t] = 5 + 0.3 * (pain[:, t - 1] - 5) + effect * walk[:, t - 1] + rng.normal(size=n)
    ids = [f"p{i:03d}" for i in range(n)]
    return pairs_from_dense(np.stack([pain, walk], axis=2), patient_ids=ids, variables=["pain", "outdoor_walk"])


def test_a_binary_habit_with_a_true_effect_reaches_what_helps_and_the_judge():
    found = what_helps(habit_diaries(), outcomes=["pain"], factors=["outdoor_walk"], trend=True)
    assert all(len(person) == 1 for person in found)  # 0/1 on ~30 % of days: not near-constant any more
    rows = [person[0] for person in found]
    coef = np.array([f.coef for f in rows])
    assert abs(coef.mean() + 1.0) < 0.05
    assert 0.90 <= np.mean([f.ci_low <= -1.0 <= f.ci_high for f in rows]) <= 0.99
    f = rows[0]
    assert (f.per, f.unit) == (1.0, "unit")
    assert f.text.startswith("On days after your outdoor walk was 1 unit higher, your pain was on average ")
    assert "lower the next day, which is better" in f.text
    # Judged with the person's other findings (as insights.presenters builds the evidence): a 0.45 SD
    # effect at 89 pairs is clear for most people, never in the wrong direction.
    verdicts = [judge([Evidence("walk->pain", False, f.coef / f.per, f.se, f.df, f.scale, f.n_pairs)])[0] for f in rows]
    assert all(np.isfinite(f.scale) and f.scale > 0 for f in rows)
    clear = [v for v in verdicts if v.clear]
    assert len(clear) > 0.8 * len(rows)
    assert all(v.estimate is not None and v.estimate < 0 for v in clear)


def test_a_rare_binary_habit_is_left_out():
    """Walks on ~4 % of days: the rarer value is under 10 % of the days, so near-constant (project rule)."""
    found = what_helps(habit_diaries(n=40, rate=0.04), outcomes=["pain"], factors=["outdoor_walk"])
    pairs = habit_diaries(n=40, rate=0.04)  # every day recorded: the pairs' current side is days 2..90
    ones = np.array([pairs.y[pairs.patient == i, 1].mean() for i in range(40)])
    assert (ones < 0.1).sum() > 20  # most people walk on under 10 % of their days
    for share, person in zip(ones, found, strict=True):
        assert (len(person) == 0) == (share < 0.1)
