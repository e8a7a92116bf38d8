"""Tests for painmind.core.synth: structure, ranges, missingness, time zones, truth recovery."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from painmind.core.synth import DEFAULT_VARIABLES, generate_cohort

# Valid ranges straight from the check-in field definitions.
RANGES = {
    "pain": (0, 10),
    "mood": (0, 10),
    "anxiety": (0, 10),
    "stress": (0, 10),
    "sleep_quality": (0, 10),
    "activity_minutes": (0, 1440),
    "social": (0, 10),
    "sleep_hours": (0, 24),
}
META = ["patient_id", "recorded_at", "local_date", "beep"]


def value_columns(variables):
    return [*variables, "sleep_hours"] if "sleep_quality" in variables else list(variables)


def binomial_tolerance(p, n, z=4.0):
    return z * math.sqrt(p * (1 - p) / n)


def assert_realistic(data):
    for col in data.columns[len(META) :]:
        lo, hi = RANGES[col]
        values = data[col].dropna().to_numpy()
        assert ((values >= lo) & (values <= hi)).all(), col
        step = 0.25 if col == "sleep_hours" else 1.0
        np.testing.assert_array_equal(values / step, np.round(values / step), err_msg=col)


def lag_pairs(data, variables, gap_days):
    """(x_t, x_{t+gap}) for one patient, daily diary, paired only by calendar distance."""
    data = data.sort_values("recorded_at")
    x = data[list(variables)].to_numpy()
    days = (data["local_date"] - data["local_date"].iloc[0]).dt.days.to_numpy()
    position = {d: i for i, d in enumerate(days)}
    pairs = [(i, position[d + gap_days]) for i, d in enumerate(days) if d + gap_days in position]
    before, after = np.array(pairs).T
    return x[before], x[after]


# ---------------------------------------------------------------- reproducibility


def test_same_seed_gives_identical_data_and_truth():
    a = generate_cohort(6, 20, prompts_per_day=3, missing_prompt_rate=0.2, missing_value_rate=0.1, rng=42)
    b = generate_cohort(
        6, 20, prompts_per_day=3, missing_prompt_rate=0.2, missing_value_rate=0.1, rng=np.random.default_rng(42)
    )
    pd.testing.assert_frame_equal(a.data, b.data)
    for field in (
        "coef_mean",
        "coef",
        "coef_mean_std",
        "coef_std",
        "person_means",
        "residual_sd",
        "weekday_effect",
        "residual_corr",
    ):
        np.testing.assert_array_equal(getattr(a.truth, field), getattr(b.truth, field))
    assert a.truth.variables == b.truth.variables
    assert a.truth.patient_ids == b.truth.patient_ids


def test_different_seed_gives_different_data_and_truth():
    a = generate_cohort(6, 20, rng=1)
    b = generate_cohort(6, 20, rng=2)
    assert not np.array_equal(a.truth.coef, b.truth.coef)
    assert not np.array_equal(a.data["pain"].to_numpy()[:50], b.data["pain"].to_numpy()[:50])


# ---------------------------------------------------------------- structure


@pytest.mark.parametrize(
    "variables",
    [DEFAULT_VARIABLES, ("mood", "pain"), ("sleep_quality",), ("activity_minutes", "social", "anxiety")],
)
def test_columns_dtypes_and_truth_shapes(variables):
    n, days = 4, 10
    cohort = generate_cohort(n, days, variables=variables, rng=0)
    data, truth = cohort.data, cohort.truth
    assert list(data.columns) == META + value_columns(variables)
    assert pd.api.types.is_string_dtype(data["patient_id"])
    assert isinstance(data["recorded_at"].dtype, pd.DatetimeTZDtype)
    assert str(data["recorded_at"].dt.tz) == "UTC"
    assert data["local_date"].dtype.kind == "M"
    assert (data["local_date"] == data["local_date"].dt.normalize()).all()
    assert pd.api.types.is_integer_dtype(data["beep"])
    for col in value_columns(variables):
        assert data[col].dtype == np.float64
    k = len(variables)
    assert truth.variables == tuple(variables)
    assert truth.coef_mean.shape == truth.coef_mean_std.shape == truth.residual_corr.shape == (k, k)
    assert truth.coef.shape == truth.coef_std.shape == (n, k, k)
    assert truth.person_means.shape == truth.residual_sd.shape == (n, k)
    assert truth.weekday_effect.shape == (7, k)
    assert truth.patient_ids == ("p00000", "p00001", "p00002", "p00003")
    assert set(data["patient_id"]) <= set(truth.patient_ids)


def test_rows_sorted_by_patient_then_time_and_custom_prefix():
    data = generate_cohort(12, 15, prompts_per_day=4, id_prefix="demo-", rng=5).data
    assert data["patient_id"].str.startswith("demo-").all()
    assert data["patient_id"].is_monotonic_increasing
    assert data.groupby("patient_id")["recorded_at"].apply(lambda s: s.is_monotonic_increasing).all()
    assert data.index.equals(pd.RangeIndex(len(data)))


@pytest.mark.parametrize("prompts_per_day", [1, 5])
def test_realistic_values_in_range_and_rounded(prompts_per_day):
    data = generate_cohort(40, 40, prompts_per_day=prompts_per_day, rng=7).data
    assert not data.isna().any().any()
    assert_realistic(data)


def test_non_realistic_values_are_continuous():
    data = generate_cohort(5, 30, realistic=False, rng=7).data
    fractional = data["pain"].to_numpy() % 1
    assert (fractional != 0).mean() > 0.99


# ---------------------------------------------------------------- truth


def test_cohort_mean_signs_are_clinically_plausible():
    truth = generate_cohort(1, 1, rng=0).truth
    v = truth.variables.index
    b = truth.coef_mean_std
    assert np.all((np.diag(b) >= 0.2) & (np.diag(b) <= 0.4))
    assert b[v("mood"), v("pain")] < 0
    assert b[v("pain"), v("mood")] < 0
    assert b[v("pain"), v("sleep_quality")] < 0
    assert b[v("mood"), v("activity_minutes")] > 0
    assert b[v("mood"), v("social")] > 0
    assert b[v("anxiety"), v("stress")] > 0
    assert b[v("stress"), v("anxiety")] > 0
    assert truth.coef_mean[v("mood"), v("pain")] * truth.coef_mean[v("pain"), v("mood")] > 0


@pytest.mark.parametrize("coef_sd", [0.08, 0.4])
def test_every_patient_matrix_is_stable(coef_sd):
    truth = generate_cohort(300, 1, coef_sd=coef_sd, rng=11).truth
    for coef in (truth.coef, truth.coef_std):
        radius = np.abs(np.linalg.eigvals(coef)).max(axis=-1)
        assert (radius < 1).all()


def test_raw_and_standardized_coefficients_differ_by_a_diagonal_scaling():
    truth = generate_cohort(3, 1, rng=2).truth
    ratio = truth.coef[0] / truth.coef_std[0]  # should be D_to / D_from
    scale = ratio[:, 0]  # D / D_0
    np.testing.assert_allclose(ratio, scale[:, None] / scale[None, :], rtol=1e-12)
    np.testing.assert_allclose(truth.coef, truth.coef_std * ratio, rtol=1e-12)
    np.testing.assert_allclose(truth.coef_mean, truth.coef_mean_std * ratio, rtol=1e-12)


def test_subset_truth_is_the_matching_submatrix():
    full = generate_cohort(1, 1, rng=0).truth
    sub = generate_cohort(1, 1, variables=("mood", "pain"), rng=0).truth
    v = full.variables.index
    expected = full.coef_mean[np.ix_([v("mood"), v("pain")], [v("mood"), v("pain")])]
    np.testing.assert_allclose(sub.coef_mean, expected)


def test_edge_and_cycle_gain_follow_to_from_indexing():
    truth = generate_cohort(8, 1, variables=("stress", "mood", "pain"), rng=3).truth
    np.testing.assert_array_equal(truth.edge("pain", "mood"), truth.coef[:, 1, 2])
    np.testing.assert_allclose(truth.cycle_gain(), truth.coef[:, 1, 2] * truth.coef[:, 2, 1])
    with pytest.raises(ValueError, match="source"):
        truth.edge("sleep_quality", "mood")
    only_pain = generate_cohort(2, 1, variables=("pain", "stress"), rng=3).truth
    with pytest.raises(ValueError, match="mood"):
        only_pain.cycle_gain()


def test_weekday_effect_switches_off_and_is_centred():
    assert not generate_cohort(2, 1, weekday_amplitude=0, rng=0).truth.weekday_effect.any()
    effect = generate_cohort(2, 1, weekday_amplitude=0.5, rng=0).truth.weekday_effect
    assert np.abs(effect).max() > 0
    np.testing.assert_allclose(effect.sum(axis=0), 0.0, atol=1e-12)


# ---------------------------------------------------------------- missingness


@pytest.mark.parametrize("rate", [0.0, 0.1, 0.3])
def test_missing_day_fraction(rate):
    n, days, start = 200, 50, date(2026, 2, 2)
    data = generate_cohort(n, days, missing_day_rate=rate, start=start, rng=13).data
    assert not data.duplicated(["patient_id", "local_date"]).any()  # one row per patient-day
    observed = len(data) / (n * days)
    if rate == 0:
        expected_dates = {pd.Timestamp(start + timedelta(days=d)) for d in range(days)}
        assert len(data) == n * days
        assert data.groupby("patient_id")["local_date"].apply(lambda s: set(s) == expected_dates).all()
    assert abs((1 - observed) - rate) <= binomial_tolerance(rate, n * days)


def test_missing_prompt_fraction_with_several_prompts():
    n, days, k, p_day, p_prompt = 150, 40, 3, 0.1, 0.2
    data = generate_cohort(
        n, days, prompts_per_day=k, missing_day_rate=p_day, missing_prompt_rate=p_prompt, rng=17
    ).data
    per_day = data.groupby(["patient_id", "local_date"]).size()
    n_pd = n * days
    # Whole day absent: dropped, or kept but all k prompts dropped.
    p_absent = p_day + (1 - p_day) * p_prompt**k
    assert abs((1 - len(per_day) / n_pd) - p_absent) <= binomial_tolerance(p_absent, n_pd)
    # Fraction f of a day's prompts missing: 1 if dropped, else Binomial(k, p)/k.
    mean_f = p_day + (1 - p_day) * p_prompt
    second = p_day + (1 - p_day) * (p_prompt * (1 - p_prompt) / k + p_prompt**2)
    sd_f = math.sqrt(second - mean_f**2)
    assert abs((1 - len(data) / (n_pd * k)) - mean_f) <= 4 * sd_f / math.sqrt(n_pd)


@pytest.mark.parametrize("k", [1, 3, 6])
def test_beeps_numbered_by_schedule(k):
    full = generate_cohort(10, 8, prompts_per_day=k, missing_day_rate=0, rng=19).data
    beeps = full.groupby(["patient_id", "local_date"])["beep"].apply(list)
    assert all(b == list(range(1, k + 1)) for b in beeps)
    gappy = generate_cohort(10, 8, prompts_per_day=k, missing_prompt_rate=0.5, rng=19).data
    assert gappy["beep"].between(1, k).all()


def test_missing_value_rate_spares_pain_and_mood():
    rate = 0.2
    data = generate_cohort(100, 30, missing_value_rate=rate, rng=23).data
    assert not data[["pain", "mood"]].isna().any().any()
    for col in ["anxiety", "stress", "sleep_quality", "activity_minutes", "social", "sleep_hours"]:
        assert abs(data[col].isna().mean() - rate) <= binomial_tolerance(rate, len(data))


# ---------------------------------------------------------------- time


@pytest.mark.parametrize(
    ("tz", "start"),
    [
        ("Europe/London", date(2026, 3, 20)),  # clocks forward 2026-03-29
        ("Europe/London", date(2026, 10, 18)),  # clocks back 2026-10-25
        ("America/New_York", date(2026, 3, 1)),  # clocks forward 2026-03-08
        ("Australia/Sydney", date(2026, 3, 30)),  # clocks back 2026-04-05
    ],
)
def test_daily_prompt_stays_in_local_evening_across_dst(tz, start):
    days = 20
    data = generate_cohort(6, days, missing_day_rate=0, tz=tz, start=start, rng=29).data
    zone = ZoneInfo(tz)
    offsets = set()
    for ts, local_date in zip(data["recorded_at"], data["local_date"], strict=True):
        local = ts.to_pydatetime().astimezone(zone)
        offsets.add(local.utcoffset())
        assert time(18, 30) <= local.time() <= time(21, 30)
        assert local.date() == local_date.date()
    assert len(offsets) == 2  # both sides of the transition are present
    assert data["local_date"].min().date() == start
    assert data["local_date"].max().date() == start + timedelta(days=days - 1)


def test_several_prompts_spread_over_waking_day():
    tz = "Europe/London"
    data = generate_cohort(5, 12, prompts_per_day=6, start=date(2026, 3, 25), tz=tz, rng=31).data
    local = [ts.to_pydatetime().astimezone(ZoneInfo(tz)) for ts in data["recorded_at"]]
    assert all(time(8) <= t.time() <= time(22) for t in local)
    hours = pd.Series([t.hour + t.minute / 60 for t in local])
    spread = hours.groupby(data["beep"].to_numpy()).mean()
    assert spread.is_monotonic_increasing
    assert spread.iloc[-1] - spread.iloc[0] > 8


# ---------------------------------------------------------------- recovery


def test_single_patient_recovery_against_statsmodels():
    cohort = generate_cohort(1, 3000, realistic=False, missing_day_rate=0, weekday_amplitude=0, rng=37)
    truth, variables = cohort.truth, cohort.truth.variables
    before, after = lag_pairs(cohort.data, variables, gap_days=1)
    assert len(before) == 2999
    design = sm.add_constant(before)
    b, mu = truth.coef[0], truth.person_means[0]
    for i in range(len(variables)):
        fit = sm.OLS(after[:, i], design).fit()
        assert np.all(np.abs(fit.params[1:] - b[i]) <= 4 * fit.bse[1:]), variables[i]
        intercept = mu[i] - b[i] @ mu  # x_t = (I - B) mu + B x_{t-1} + e_t
        assert abs(fit.params[0] - intercept) <= 4 * fit.bse[0], variables[i]
        assert fit.resid.std() == pytest.approx(truth.residual_sd[0, i], rel=0.1)


def test_cohort_mean_recovery():
    n, days = 200, 300
    cohort = generate_cohort(n, days, realistic=False, missing_day_rate=0, weekday_amplitude=0, rng=41)
    variables, k = cohort.truth.variables, len(cohort.truth.variables)
    x = cohort.data[list(variables)].to_numpy().reshape(n, days, k)
    estimates = np.empty((n, k, k))
    for i in range(n):
        design = np.column_stack([np.ones(days - 1), x[i, :-1]])
        estimates[i] = np.linalg.lstsq(design, x[i, 1:], rcond=None)[0][1:].T
    v = variables.index
    for source, target in [("pain", "mood"), ("mood", "pain")]:
        est = estimates[:, v(target), v(source)]
        true = cohort.truth.coef_mean[v(target), v(source)]
        # 4 SE of the cross-patient mean, plus 2/T for the O(1/T) small-sample OLS bias.
        tolerance = 4 * est.std(ddof=1) / math.sqrt(n) + 2 / days
        assert abs(est.mean() - true) <= tolerance, (source, target)


def test_latent_process_runs_through_missed_days():
    variables = ("pain", "mood")
    cohort = generate_cohort(
        1, 6000, variables=variables, missing_day_rate=0.5, realistic=False, weekday_amplitude=0, rng=43
    )
    dates = set(cohort.data["local_date"])
    assert len(dates) < 6000
    # Pairs two days apart with the middle day missing follow B^2, not B:
    # the process kept evolving on the unobserved day.
    before, after = lag_pairs(cohort.data, variables, gap_days=2)
    b = cohort.truth.coef[0]
    two_step = b @ b
    design = sm.add_constant(before)
    rejects_one_step = False
    for i in range(2):
        fit = sm.OLS(after[:, i], design).fit()
        assert np.all(np.abs(fit.params[1:] - two_step[i]) <= 4 * fit.bse[1:])
        rejects_one_step |= bool(np.any(np.abs(fit.params[1:] - b[i]) > 4 * fit.bse[1:]))
    assert rejects_one_step


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_patients": 0}, "n_patients"),
        ({"n_patients": 2.0}, "n_patients"),
        ({"n_patients": True}, "n_patients"),
        ({"n_days": 0}, "n_days"),
        ({"prompts_per_day": 0}, "prompts_per_day"),
        ({"prompts_per_day": 25}, "prompts_per_day"),
        ({"missing_day_rate": 1.0}, "missing_day_rate"),
        ({"missing_day_rate": -0.1}, "missing_day_rate"),
        ({"missing_prompt_rate": 1.0}, "missing_prompt_rate"),
        ({"missing_value_rate": 2}, "missing_value_rate"),
        ({"missing_value_rate": float("nan")}, "missing_value_rate"),
        ({"weekday_amplitude": -0.1}, "weekday_amplitude"),
        ({"coef_sd": float("inf")}, "coef_sd"),
        ({"variables": ("pain", "bogus")}, "variables"),
        ({"variables": ()}, "variables"),
        ({"variables": ("pain", "mood", "pain")}, "variables"),
        ({"variables": "pain"}, "variables"),
        ({"tz": "Mars/Olympus_Mons"}, "tz"),
        ({"tz": ""}, "tz"),
        ({"start": datetime(2026, 1, 5, 12)}, "start"),  # noqa: DTZ001  (naive on purpose: it must be refused)
        ({"start": "2026-01-05"}, "start"),
        ({"burn_in": -1}, "burn_in"),
        ({"id_prefix": 7}, "id_prefix"),
    ],
)
def test_invalid_arguments_raise_value_error(kwargs, match):
    args = {"n_patients": 2, "n_days": 3, **kwargs}
    with pytest.raises(ValueError, match=match):
        generate_cohort(**args)


# ---------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 4),
    days=st.integers(1, 10),
    k=st.integers(1, 4),
    variables=st.lists(st.sampled_from(DEFAULT_VARIABLES), min_size=1, unique=True),
    p_day=st.floats(0, 0.9),
    p_prompt=st.floats(0, 0.9),
    p_value=st.floats(0, 0.9),
    coef_sd=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_output_always_valid(n, days, k, variables, p_day, p_prompt, p_value, coef_sd, seed):
    cohort = generate_cohort(
        n,
        days,
        variables=variables,
        prompts_per_day=k,
        missing_day_rate=p_day,
        missing_prompt_rate=p_prompt,
        missing_value_rate=p_value,
        coef_sd=coef_sd,
        rng=seed,
    )
    data = cohort.data
    assert list(data.columns) == META + value_columns(variables)
    assert len(data) <= n * days * k
    assert_realistic(data)
    assert not data[[c for c in ("pain", "mood") if c in variables]].isna().any().any()
    assert data["beep"].between(1, k).all()
    assert (np.abs(np.linalg.eigvals(cohort.truth.coef)).max(axis=-1) < 1).all()
