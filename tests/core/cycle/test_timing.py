"""Timing: last night's sleep pairs with today's outcomes (hand-built frames, a seeded simulation)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from painmind.core.checkin import LAST_NIGHT, SCALE_BY_NAME
from painmind.core.cycle import CycleInputError, analyze, build_pairs, fit_patients, pairs_from_dense, what_helps
from painmind.core.cycle.lags.nights import day_level, fit_with_day_level


def test_the_check_in_declares_what_each_field_refers_to():
    assert LAST_NIGHT == ("sleep_hours", "sleep_quality")
    assert {s.refers_to for n, s in SCALE_BY_NAME.items() if n not in LAST_NIGHT} == {"today"}


def diary(days, pain, sleep):
    return pd.DataFrame({"id": "a", "on": pd.to_datetime(days), "pain": pain, "sleep_hours": sleep})


def test_last_night_pairs_with_the_same_day_by_hand():
    # Day:        1st   2nd   3rd   4th
    # pain        1     2     3     4
    # sleep       10    20    30    40   (recorded that morning: the night before the day)
    df = diary(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"], [1.0, 2, 3, 4], [10.0, 20, 30, 40])
    p = build_pairs(df, id_col="id", variables=["pain", "sleep_hours"], time_col="on", same_day=["sleep_hours"])
    # Lagged side: yesterday's pain with last night's sleep (the night before the outcome's day).
    assert p.x.tolist() == [[1.0, 20.0], [2.0, 30.0]]
    # Outcome side: today's pain, and the sleep of the night after today (its own equation).
    assert p.y.tolist() == [[2.0, 30.0], [3.0, 40.0]]
    # The 4th has no following night yet, the night before the 1st no pain: both are incomplete pairs.
    assert p.dropped == {"night_or_gap": 0, "skipped_prompt": 0, "missing_value": 2}
    assert p.n_obs.tolist() == [4]
    old = build_pairs(df, id_col="id", variables=["pain", "sleep_hours"], time_col="on")
    assert old.x[:, 1].tolist() == [10.0, 20.0, 30.0]  # t-1: the night before yesterday


def test_a_missed_day_breaks_the_night_too():
    # No check-in on the 3rd: the night before the 3rd is unknown, so the 2nd -> 3rd slot pair is gone,
    # and the 2nd's own slot lacks its night (recorded on the 3rd): 1st -> 2nd is incomplete as well.
    df = diary(["2026-01-01", "2026-01-02", "2026-01-04", "2026-01-05", "2026-01-06"],
               [1.0, 2, 4, 5, 6], [10.0, 20, 40, 50, 60])  # fmt: skip
    p = build_pairs(df, id_col="id", variables=["pain", "sleep_hours"], time_col="on", same_day=["sleep_hours"])
    assert p.x.tolist() == [[4.0, 50.0]]
    assert p.y.tolist() == [[5.0, 60.0]]
    # A missing sleep value only costs the pairs it is in; the bivariate selection revives the rest.
    assert build_pairs(df, id_col="id", variables=["pain"], time_col="on").x[:, 0].tolist() == [1.0, 4.0, 5.0]


def test_dense_equals_long_with_same_day():
    rng = np.random.default_rng(4)
    values = rng.normal(size=(3, 30, 3))
    values[rng.random(values.shape) < 0.1] = np.nan
    values[1, 7] = np.nan  # a day with no check-in
    names = ["pain", "mood", "sleep_quality"]
    dense = pairs_from_dense(values, patient_ids=["a", "b", "c"], variables=names, same_day=["sleep_quality"])
    n, t, k = values.shape
    long = pd.DataFrame(values.reshape(-1, k), columns=names).assign(
        id=np.repeat(["a", "b", "c"], t), day=np.tile(np.arange(t), n)
    )
    frame = build_pairs(long, id_col="id", variables=names, day_col="day", same_day=["sleep_quality"])
    for attr in ("x", "y", "patient"):
        np.testing.assert_array_equal(getattr(dense, attr), getattr(frame, attr))


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda df: build_pairs(df, id_col="id", variables=["pain"], time_col="on", same_day=["sleep"]), "not among"),
        (lambda df: build_pairs(df, id_col="id", variables=["pain"], time_col="on", same_day="pain"), "sequence"),
        (
            lambda df: build_pairs(
                df.assign(b=1), id_col="id", variables=["pain"], day_col="on", beep_col="b", same_day=["pain"]
            ),
            "daily diary",
        ),
        (lambda df: analyze(df, id_col="id", variables=["pain"], time_col="on", same_day=["mood"]), "not among"),
    ],
)
def test_same_day_bad_input_gets_one_clear_line(call, words):
    df = diary(["2026-01-01", "2026-01-02"], [1.0, 2], [7.0, 8])
    with pytest.raises(CycleInputError, match=words) as err:
        call(df)
    assert "\n" not in str(err.value)


def test_dense_same_day_needs_a_daily_grid():
    with pytest.raises(CycleInputError, match="daily grid"):
        pairs_from_dense(np.zeros((1, 4, 1)), patient_ids=["a"], variables=["x"], steps_per_day=2, same_day=["x"])


# ------------------------------------------------------------------ simulation with a known truth
def simulate(n=300, days=90, effect=-0.5, missed=0.0, seed=20260411):
    """Daily diaries in which last night's sleep (hours) lowers today's pain by `effect` per hour.

    Sizes within analytics-reference §2: person means pain N(5, 1.5), mood N(5, 1.5); within-person
    pain innovations SD U(0.9, 1.5) with AR 0.3, so pain's daily SD is ~1.2-1.7 points; sleep
    N(6.8, 0.7) h person means and a within-person SD U(0.7, 1.2) h, so the effect is about -0.3 to
    -0.4 within-person SD of pain (the literature's -0.1 ... -0.4).  Pain and mood are whole numbers
    0-10, sleep is rounded to 0.25 h; a share `missed` of days has no check-in.
    """
    rng = np.random.default_rng(seed)
    t = days + 1  # the night before the first day is slept too
    sleep = rng.normal(6.8, 0.7, (n, 1)) + rng.uniform(0.7, 1.2, (n, 1)) * rng.standard_normal((n, t))
    sleep = np.clip(np.round(sleep * 4) / 4, 0, 24)
    mu, sd = rng.normal(5, 1.5, (n, 1)), rng.uniform(0.9, 1.5, (n, 1))
    pain = np.empty((n, t))
    pain[:, 0] = mu[:, 0]
    for d in range(1, t):  # sleep[:, d] is the night before day d
        shock = effect * (sleep[:, d] - sleep.mean(axis=1)) + sd[:, 0] * rng.standard_normal(n)
        pain[:, d] = mu[:, 0] + 0.3 * (pain[:, d - 1] - mu[:, 0]) + shock
    mood = rng.normal(5, 1.5, (n, 1)) - 0.3 * (pain - mu) + rng.normal(0, 1.2, (n, t))
    keep = rng.random((n, days)) >= missed
    pid, day = np.nonzero(keep)
    clip = lambda a: np.clip(np.round(a[:, 1:][keep]), 0, 10)  # noqa: E731
    return pd.DataFrame({
        "id": [f"p{i:03d}" for i in pid], "on": pd.Timestamp("2026-01-01") + pd.to_timedelta(day, unit="D"),
        "pain": clip(pain), "mood": clip(mood), "sleep_hours": sleep[:, 1:][keep],
    })  # fmt: skip


@pytest.fixture(scope="module")
def cohort():
    return simulate()


def test_last_nights_sleep_is_recovered_with_the_right_alignment(cohort):
    result = analyze(
        cohort,
        id_col="id",
        variables=["pain", "mood", "sleep_hours"],
        time_col="on",
        helps=True,
        helps_factors=["sleep_hours"],
        cohort=False,
    )  # default timing: the check-in declarations
    fits = result.fits
    assert fits.ok.mean() > 0.99
    pain, sleep = fits.variables.index("pain"), fits.variables.index("sleep_hours")
    clear = fits.ci_high[:, pain, sleep] < 0  # 95 % CI below zero: less pain after more sleep
    assert clear.mean() >= 0.80
    assert (fits.ci_low[:, pain, sleep] > 0).mean() < 0.01
    found = [next(f for f in row if (f.factor, f.outcome) == ("sleep_hours", "pain")) for row in result.helps or []]
    assert len(found) == 300
    assert np.mean([f.ci_high < 0 for f in found]) >= 0.80
    assert np.mean([f.q <= 0.05 and f.coef < 0 for f in found]) >= 0.80
    assert np.median([f.coef for f in found]) == pytest.approx(-0.5, abs=0.05)
    assert found[0].text.startswith("After nights when you slept 1 hour more, your pain was on average")


def test_the_old_day_before_alignment_rarely_finds_it(cohort):
    result = analyze(cohort, id_col="id", variables=["pain", "mood", "sleep_hours"], time_col="on", same_day=[],
                     cohort=False)  # fmt: skip
    fits = result.fits
    pain, sleep = fits.variables.index("pain"), fits.variables.index("sleep_hours")
    assert (fits.ci_high[:, pain, sleep] < 0).mean() < 0.10


def test_helps_words_follow_the_alignment():
    rng = np.random.default_rng(1)
    sleep = rng.normal(7, 1, 60)
    pain = 5 - 0.8 * (sleep - 7) + rng.normal(0, 0.3, 60)
    values = np.c_[pain, sleep][None]
    panel = pairs_from_dense(values, patient_ids=["a"], variables=["pain", "sleep_hours"], same_day=["sleep_hours"])
    with pytest.raises(CycleInputError, match="describe last night"):
        what_helps(panel, outcomes=["pain", "sleep_hours"], same_day=["sleep_hours"])
    text = what_helps(panel, same_day=["sleep_hours"])[0][0].text
    assert text.endswith("from 58 nights each with the day after.")


# ------------------------------------------------------------------ day-level variables in ESM data
ESM = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "esm-kossakowski-2017" / "ESMdata.csv"
ESM_VARS = ["mood_down", "phy_tired", "mor_qualsleep"]  # mor_qualsleep: this morning's sleep quality, all day


def ols(y, x):
    res = sm.OLS(y, sm.add_constant(x)).fit()
    return res.params[1:], res.bse[1:]


def test_esm_day_level_variable_enters_across_the_night_and_matches_statsmodels():
    raw = pd.read_csv(ESM)
    raw = raw.assign(id="k", day=pd.to_datetime(raw["date"], format="%d/%m/%y")).sort_values(["day", "beepno"])
    assert day_level(raw, id_col="id", day_col="day", variables=ESM_VARS) == ("mor_qualsleep",)
    within_only = fit_patients(build_pairs(raw, id_col="id", variables=ESM_VARS, day_col="day", beep_col="beepno"))
    assert within_only.status.tolist() == ["not_estimable"]  # the old way: the day-level outcome is exact
    fits = fit_with_day_level(raw, id_col="id", day_col="day", beep_col="beepno", variables=ESM_VARS)
    assert fits.status.tolist() == ["ok"]

    # Independent construction.  Within the day: beep b-1 -> b of one date, complete on both sides.
    v = raw[ESM_VARS].to_numpy(dtype=float)
    prev = np.r_[[[np.nan] * 3], v[:-1]]
    same = (raw["day"].eq(raw["day"].shift(1)) & raw["beepno"].eq(raw["beepno"].shift(1) + 1)).to_numpy()
    ok = same & ~np.isnan(v).any(axis=1) & ~np.isnan(prev).any(axis=1)
    assert fits.n_pairs[0] == ok.sum()
    for j, name in enumerate(ESM_VARS[:2]):
        coef, se = ols(v[ok, j], prev[ok])
        np.testing.assert_allclose(fits.coef[0, j], coef, rtol=1e-8, atol=1e-10, err_msg=name)
        np.testing.assert_allclose(fits.se[0, j], se, rtol=1e-8, atol=1e-10, err_msg=name)
    # Across the night: the last prompt with any value on day d -> the first on day d+1.
    seen = raw[raw[ESM_VARS].notna().any(axis=1)]
    last = seen.groupby("day").tail(1).set_index("day")[ESM_VARS]
    first = seen.groupby("day").head(1).set_index("day")[ESM_VARS]
    last.index = last.index + pd.Timedelta(days=1)  # evening of d, filed under the morning of d+1
    both = first.join(last.add_suffix("_eve"), how="inner").dropna()
    coef, se = ols(both["mor_qualsleep"].to_numpy(), both[[f"{c}_eve" for c in ESM_VARS]].to_numpy())
    np.testing.assert_allclose(fits.coef[0, 2], coef, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(fits.se[0, 2], se, rtol=1e-8, atol=1e-10)
    assert len(both) > 50
    assert np.isfinite(fits.q).all()
    assert np.isfinite(fits.resid_corr).all()
