"""My cycle, the clinician's technical view, the API and the refresh command, on stored diaries."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise

import numpy as np
import pytest
import statsmodels.api as sm
from django.core.management import call_command

from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.core.synth import generate_cohort
from painmind.diary.actions import do_import_checkins
from painmind.insights.models import CycleAnalysis


def load_diary(patient, days, seed=7, skip=()):
    """`days` daily check-ins ending yesterday, from a seeded synthetic patient."""
    start = datetime.now(UTC).date() - timedelta(days=days)  # the last day is yesterday
    cohort = generate_cohort(1, days, start=start, missing_day_rate=0.0, rng=seed)
    frame = cohort.data
    rows = []
    for i, (at, pain, mood, sleep) in enumerate(
        zip(frame["recorded_at"].dt.to_pydatetime(), frame["pain"], frame["mood"], frame["sleep_quality"], strict=True)
    ):
        if i not in skip:
            rows.append((at, {"pain": int(pain), "mood": int(mood), "sleep_quality": int(sleep)}))
    do_import_checkins(Actor(user=patient, via="cli"), patient, rows)
    return cohort


def oracle(patient):
    """statsmodels OLS of pain_t and mood_t on (pain, mood)_{t−1} and a linear trend in days
    (the app detrends: analytics-reference §1 item 4) over consecutive local days."""
    entries = sorted(patient.checkins.values_list("local_on", "pain", "mood"))
    first = entries[0][0]
    now, before = [], []
    for (d0, p0, m0), (d1, p1, m1) in pairwise(entries):
        if d1 - d0 == timedelta(days=1):
            now.append((p1, m1))
            before.append((p0, m0, (d1 - first).days))
    y, x = np.array(now, float), sm.add_constant(np.array(before, float))
    return {out: sm.OLS(y[:, j], x).fit() for j, out in enumerate(("pain", "mood"))}, len(y)


def edge(fit, source, target):
    return next(e for e in fit["edges"] if e["from"] == source and e["to"] == target)


def test_my_cycle_matches_statsmodels_on_the_stored_diary(client, pat, token_for):
    load_diary(pat, 80, skip={10, 11, 40})
    r = client.get("/api/v1/cycle", headers=token_for(pat))
    assert r.status_code == 200
    fit = r.json()["fit"]
    models, n_pairs = oracle(pat)
    assert fit["status"] == "ok"
    assert fit["n_pairs"] == n_pairs
    for source, column in (("pain", 1), ("mood", 2)):
        for target in ("pain", "mood"):
            got = edge(fit, source, target)
            want = models[target]
            assert got["coef"] == pytest.approx(want.params[column], rel=1e-8, abs=1e-10)
            assert got["se"] == pytest.approx(want.bse[column], rel=1e-8, abs=1e-10)
            assert got["p"] == pytest.approx(want.pvalues[column], rel=1e-6, abs=1e-12)


def test_my_cycle_page_in_plain_words(client, pat):
    load_diary(pat, 80)
    client.force_login(pat)
    html = client.get("/me/cycle/").content.decode()
    assert "Pain and the next day's mood." in html
    assert "pairs of days" in html
    assert "<svg" in html
    assert 'href="/me/cycle/how/"' in html
    # Associations, not causes; no jargon; one date format (issue 11).
    for banned in ("leads into", "changes your", "the effect of", "habits", "false discovery", "FDR"):
        assert banned not in html
    assert re.search(r"\b20\d\d-\d\d-\d\d\b", html) is None
    assert client.get("/me/cycle/how/").status_code == 200


def test_not_enough_data_says_how_many_more_pairs(client, pat):
    load_diary(pat, 12)
    client.force_login(pat)
    html = client.get("/me/cycle/").content.decode()
    assert "Not enough days yet." in html
    # 12 consecutive days give 11 pairs; a sentence needs 50 (core.cycle.judge.MIN_PAIRS): 39 more.
    assert "39 more pairs of check-ins on consecutive days are needed" in html


def test_clinician_view_has_the_technical_table_and_is_audited(client, pat, cara, olga):
    load_diary(pat, 60)
    client.force_login(cara)
    html = client.get(f"/clinician/patients/{pat.pk}/cycle/").content.decode()
    assert "Lag-1 model (technical)" in html
    assert "Cycle gain" in html
    assert AuditEvent.objects.filter(actor=cara, patient=pat, object_type="cycle_analysis").count() == 1
    client.force_login(olga)
    assert client.get(f"/clinician/patients/{pat.pk}/cycle/").status_code == 404


def test_api_404_without_consent(client, pat, olga, token_for):
    load_diary(pat, 30)
    assert client.get(f"/api/v1/patients/{pat.pk}/cycle", headers=token_for(olga)).status_code == 404


def test_cache_follows_the_diary_and_refresh_is_idempotent(client, pat, token_for):
    load_diary(pat, 40)
    out = io.StringIO()
    call_command("refresh_cycles", stdout=out)
    assert "Recomputed 1 cycle analysis." in out.getvalue()
    first = CycleAnalysis.objects.get(patient=pat)
    again = io.StringIO()
    call_command("refresh_cycles", stdout=again)
    assert "Recomputed 0 cycle analyses." in again.getvalue()
    before = first.result["fit"]["n_pairs"]
    today = datetime.combine(datetime.now(UTC).date(), time(0, 30), tzinfo=UTC)
    do_import_checkins(Actor(user=pat, via="cli"), pat, [(today, {"pain": 5, "mood": 5})])
    fit = client.get("/api/v1/cycle", headers=token_for(pat)).json()["fit"]
    assert fit["n_pairs"] == before + 1  # yesterday's entry now pairs with today's


def diary_with_known_links(patient, days=90, seed=3):
    """Known truth: last night's sleep quality lifts that day's mood by 0.8 per point; a day's
    activity raises the next day's pain by 1 point per 60 minutes; social contact is unrelated."""
    rng = np.random.default_rng(seed)
    start = datetime.now(UTC).date() - timedelta(days=days)
    sleep = rng.integers(2, 9, days)
    activity = rng.integers(0, 121, days)
    social = rng.integers(0, 11, days)
    rows = []
    for i in range(days):
        mood = 5 + 0.8 * (sleep[i] - 5) + rng.normal(0, 0.7)
        pain = 4 + (activity[i - 1] / 60 if i else 1) + rng.normal(0, 0.7)
        at = datetime.combine(start + timedelta(days=i), time(19, 0), tzinfo=UTC)
        values = {
            "pain": int(np.clip(round(pain), 0, 10)),
            "mood": int(np.clip(round(mood), 0, 10)),
            "sleep_quality": int(sleep[i]),
            "activity_minutes": int(activity[i]),
            "social": int(social[i]),
        }
        rows.append((at, values))
    do_import_checkins(Actor(user=patient, via="cli"), patient, rows)


def test_what_helps_splits_better_and_harder_days_with_pacing_context(client, pat, cara):
    diary_with_known_links(pat)
    client.force_login(pat)
    html = client.get("/me/cycle/").content.decode()
    better = html[html.index("Linked with better days") :]
    harder = html[html.index("Linked with harder days") :]
    assert "After nights when your sleep was 1 point better, your mood that day tended to be higher" in better
    assert "On days when you were active for 30 minutes more, your pain the next day tended to be higher" in harder
    assert "Pacing" in harder  # clinical-reference §9.2: never a reason to rest
    assert "contact with people, your" not in html  # no link was made for social contact
    # The clinician reads the same findings in the third person.
    client.force_login(cara)
    third = client.get(f"/clinician/patients/{pat.pk}/cycle/").content.decode()
    assert "After nights when their sleep was 1 point better, their mood that day tended to be higher" in third
    assert "your mood" not in third


def test_the_analysis_days_equal_the_one_definition(pat):
    """The cycle analysis averages each day in pandas (for many patients at once): it must give
    what `core.daily.daily_means` gives on the same rows, blanks left out."""
    from painmind.core.daily import daily_means
    from painmind.diary.models import CheckIn
    from painmind.insights.analysis import FACTOR_COLUMNS, diary_frame

    actor = Actor(user=pat, via="cli")
    day = datetime(2026, 3, 2, 9, tzinfo=UTC)
    rows: list[tuple[datetime, dict[str, object]]] = [
        (day, {"pain": 3, "mood": 7, "sleep_hours": 6.5}),
        (day + timedelta(hours=8), {"pain": 8, "mood": 2}),  # no sleep answer: left out, not 0
        (day + timedelta(days=1), {"pain": 4, "mood": 4, "sleep_hours": 7.25, "stress": 6}),
    ]
    do_import_checkins(actor, pat, rows)
    frame = diary_frame([pat.pk]).set_index("local_on")
    stored = list(CheckIn.objects.filter(patient=pat).values("local_on", "pain", "mood", *FACTOR_COLUMNS))
    for column in ("pain", "mood", *FACTOR_COLUMNS):
        expected = daily_means((r["local_on"], r[column]) for r in stored)
        got = {d.date(): v for d, v in zip(frame.index, frame[column], strict=True) if not np.isnan(v)}
        assert got == pytest.approx(expected), column
    assert frame.loc["2026-03-02", "sleep_hours"] == 6.5


def test_reading_a_cycle_never_computes_it(pat, cara):
    """get_* only reads (audited); do_refresh_cycle_for_user computes (checked, not audited)."""
    from painmind.insights.access import get_cycle_for_user
    from painmind.insights.actions import do_refresh_cycle_for_user

    load_diary(pat, 30)
    clinician = Actor(user=cara, via="web")
    with pytest.raises(CycleAnalysis.DoesNotExist):
        get_cycle_for_user(clinician, pat.pk)
    assert not CycleAnalysis.objects.exists()
    assert do_refresh_cycle_for_user(clinician, pat.pk) == pat
    assert not AuditEvent.objects.filter(object_type="cycle_analysis").exists()
    _, analysis = get_cycle_for_user(clinician, pat.pk)
    assert analysis.n_checkins == 30
    assert AuditEvent.objects.filter(object_type="cycle_analysis", actor=cara).count() == 1
