"""The nightly site priors: pooled over consenting patients only, and only with enough of them."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from django.core.management import call_command

from painmind.accounts.actions import do_create_user, do_grant_consent, do_revoke_consent
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, User
from painmind.core.synth import generate_cohort
from painmind.diary.actions import do_import_checkins
from painmind.insights.models import CohortPrior

DAYS = 70  # 69 pairs each: above the 50 a finding needs


def people(n: int, clinician: User | None) -> list[User]:
    start = datetime.now(UTC).date() - timedelta(days=DAYS)
    cohort = generate_cohort(n, DAYS, start=start, missing_day_rate=0.0, rng=11)
    out: list[User] = []
    for i, (_, frame) in enumerate(cohort.data.groupby("patient_id", sort=True)):
        patient = do_create_user(f"p{i:02d}@example.org", "not-a-secret-0", role="patient", check_password=False)
        rows = [
            (at, {"pain": int(p), "mood": int(m)})
            for at, p, m in zip(frame["recorded_at"].dt.to_pydatetime(), frame["pain"], frame["mood"], strict=True)
        ]
        do_import_checkins(Actor(user=patient, via="cli"), patient, rows)
        if clinician is not None and i < n - 1:  # the last one shares with nobody
            do_grant_consent(Actor(user=patient, via="web"), clinician.email)
        out.append(patient)
    return out


def refresh() -> str:
    out = io.StringIO()
    call_command("refresh_cycles", stdout=out)
    return out.getvalue()


def test_priors_pool_consenting_patients_only_and_need_twenty(db, cara):
    patients = people(23, cara)  # 22 share with cara (pat, from the fixture, has no diary)
    assert "Site priors: 2 findings" in refresh()  # pain->mood and mood->pain
    priors = {p.key: p for p in CohortPrior.objects.all()}
    assert set(priors) == {"pain->mood", "mood->pain"}
    assert {p.n_patients for p in priors.values()} == {22}  # not the one who shares with nobody
    assert all(p.sd >= 0.1 for p in priors.values())  # the floor: no sentence from others' data alone
    # Fewer than 20 consenting patients with enough days: no site prior, the sceptical default.
    for patient in patients[:3]:
        consent = Consent.objects.get(patient=patient, clinician=cara)
        do_revoke_consent(Actor(user=patient, via="web"), consent.pk)
    assert "Site priors: 0 findings" in refresh()
    assert not CohortPrior.objects.exists()


def test_the_pages_say_when_findings_lean_on_the_site_cohort(db, client, cara):
    patients = people(23, cara)
    call_command("refresh_cycles", "--force", stdout=io.StringIO())
    assert CohortPrior.objects.exists()
    client.force_login(patients[0])
    typical = "read alongside what is typical for people at this service"
    assert typical in client.get("/me/cycle/").content.decode()
    assert "toward what is typical for the people using this service" in client.get("/me/cycle/how/").content.decode()
    CohortPrior.objects.all().delete()  # no site prior: the sceptical default, and the pages do not claim one
    assert typical not in client.get("/me/cycle/").content.decode()
    assert "toward what is typical for the people" not in client.get("/me/cycle/how/").content.decode()
