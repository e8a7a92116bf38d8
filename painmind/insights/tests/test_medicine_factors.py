"""Medicines as "what helps me" factors (issue 12): the per-day rules by hand, and seeded
simulated patients through the stored analysis and the judge — a true adherence → next-day pain
link is shown, with the prescriber line; with no link, next to nothing is (false-positive count)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pytest

from painmind.accounts.actions import do_create_user
from painmind.accounts.audit import Actor
from painmind.diary.models import CheckIn
from painmind.insights.analysis import analyze_patients
from painmind.insights.factors import MEDICINE_NOTE
from painmind.insights.phrasing import Voice
from painmind.insights.presenters import statements
from painmind.meds.actions import do_add_regimen
from painmind.meds.models import DoseLog, Regimen
from painmind.meds.summary import DayFactors, daily_factors

DAYS = 120
START = date(2026, 1, 1)
TWICE = {"name": "Sertraline", "dose": "50", "dose_unit": "mg", "schedule": "times_a_day", "times_per_day": 2,
         "reason": "mood", "started_on": START.isoformat()}  # fmt: skip
PRN = {"name": "Paracetamol", "dose": "500", "dose_unit": "mg", "schedule": "as_needed", "max_per_day": 4,
       "reason": "pain", "started_on": START.isoformat()}  # fmt: skip


def tick(regimen, day, slot, status):
    return DoseLog(patient_id=regimen.patient_id, regimen=regimen, taken_on=day, slot=slot, status=status)


def test_daily_factors_by_hand(pat):
    actor = Actor(user=pat, via="web")
    twice = do_add_regimen(actor, pat, TWICE)
    once = do_add_regimen(actor, pat, {**TWICE, "name": "Amitriptyline", "times_per_day": 1, "reason": "pain"})
    prn = do_add_regimen(actor, pat, PRN)
    d1, d2, d3, d4 = (START + timedelta(days=i) for i in (1, 2, 3, 4))
    ticks = [
        tick(twice, d1, 1, "taken"), tick(twice, d1, 2, "skipped"), tick(once, d1, 1, "taken"),  # 2 of 3
        tick(prn, d1, 0, "extra"), tick(prn, d1, 0, "extra"),
        tick(twice, d2, 1, "taken"),  # 1 of 3: the two unticked doses count as not taken
        tick(prn, d3, 0, "extra"),  # no scheduled tick: adherence missing, 1 as-needed dose
        tick(twice, d4, 1, "skipped"), tick(twice, d4, 2, "skipped"), tick(once, d4, 1, "skipped"),
    ]  # fmt: skip
    got = daily_factors([twice, once, prn], ticks)
    assert got == {
        d1: DayFactors(2 / 3, 2),
        d2: DayFactors(1 / 3, 0),  # the dose list was used that day, no as-needed dose ticked
        d3: DayFactors(None, 1),
        d4: DayFactors(0.0, 0),
    }  # a day without any tick (START) is missing altogether
    # Without an as-needed medicine being taken, as-needed use is missing, not 0.
    assert daily_factors([twice], [tick(twice, d1, 1, "taken")]) == {d1: DayFactors(0.5, None)}


def simulate(patient, rng, *, effect):
    """A daily diary where yesterday's adherence (2 doses a day, each taken with p = 0.7; 1 day in
    10 unticked) moves today's pain by `effect` points per "all rather than none"; as-needed doses
    (Poisson 1 on ticked days) and mood are unrelated to anything but their own past."""
    actor = Actor(user=patient, via="web")
    twice = do_add_regimen(actor, patient, TWICE)
    prn = do_add_regimen(actor, patient, PRN)
    pain, mood, adherence = 5.0, 5.0, np.nan
    checkins, ticks = [], []
    for i in range(DAYS):
        day = START + timedelta(days=i)
        shift = 0.0 if np.isnan(adherence) else -effect * (adherence - 0.7)
        pain = 5 + 0.3 * (pain - 5) + shift + rng.normal(0, 1)
        mood = 5 + 0.3 * (mood - 5) + rng.normal(0, 1)
        at = datetime.combine(day, time(20, 0), tzinfo=UTC)
        checkins.append(
            CheckIn(patient=patient, recorded_at=at, local_on=day, pain=round(min(max(pain, 0), 10)),
                    mood=round(min(max(mood, 0), 10)))
        )  # fmt: skip
        adherence = np.nan
        if rng.random() < 0.9:
            taken = rng.random(2) < 0.7
            adherence = taken.mean()
            ticks += [tick(twice, day, s + 1, "taken" if t else "skipped") for s, t in enumerate(taken)]
            ticks += [tick(prn, day, 0, "extra") for _ in range(rng.poisson(1.0))]
    CheckIn.objects.bulk_create(checkins)
    DoseLog.objects.bulk_create(ticks)


def medicine_statements(result, voice):
    _, helps = statements(result, voice)
    return [s for s in helps if s.source in ("adherence", "as_needed_doses")]


@pytest.mark.django_db
def test_a_true_adherence_link_is_shown_with_the_prescriber_line():
    rng = np.random.default_rng(12)
    patients = [do_create_user(f"sim{i}@example.org", "pw", role="patient", check_password=False) for i in range(4)]
    for p in patients:
        simulate(p, rng, effect=3.0)
    results = analyze_patients([p.pk for p in patients])
    for p in patients:
        found = medicine_statements(results[p.pk], Voice.you())
        keys = {s.key for s in found}
        assert "adherence->pain" in keys
        s = next(s for s in found if s.key == "adherence->pain")
        assert s.better is True
        assert s.text.startswith(
            "On days when you took your regular medicines as planned (all scheduled doses rather than none), "
            "your pain the next day tended to be lower"
        )
        assert s.note == MEDICINE_NOTE
        them = next(s for s in medicine_statements(results[p.pk], Voice.them("Sim")) if s.key == "adherence->pain")
        assert them.text.startswith("On days when they took their regular medicines as planned")
        row = next(h for h in results[p.pk]["helps"] if h["factor"] == "adherence" and h["outcome"] == "pain")
        assert row["unit"] == "fraction of scheduled doses taken"
        assert row["text"].endswith(MEDICINE_NOTE)
        # The true effect is -3 points per "all rather than none": the raw estimate is near it.
        assert -4.5 < row["coef"] < -1.5
    assert Regimen.objects.count() == 8


@pytest.mark.django_db
def test_no_link_means_next_to_no_medicine_findings():
    # 40 people with no link: each person's "what helps" family is Holm at 0.01, so the chance a
    # person gets any clear medicine finding is at most 1 %; 3 or more of 40 would have
    # probability < 1 % under that bound.
    rng = np.random.default_rng(2026)
    patients = [do_create_user(f"null{i}@example.org", "pw", role="patient", check_password=False) for i in range(40)]
    for p in patients:
        simulate(p, rng, effect=0.0)
    results = analyze_patients([p.pk for p in patients])
    assert all(any(h["factor"] == "adherence" for h in results[p.pk]["helps"]) for p in patients)
    false_positives = sum(bool(medicine_statements(results[p.pk], Voice.you())) for p in patients)
    assert false_positives <= 2
