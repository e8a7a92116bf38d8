"""painmind demo — load a fictional demo cohort once, print the logins, optionally serve.

Everyone in it is invented: names from a short list, diaries from `core.synth` (seeded), so
the demo is the same on every machine. Loading is one transaction and happens only once:
running it again finds the demo clinician and leaves the data alone.

What it holds (see painmind.ops.demo: stories and team): a team of four clinicians (pain medicine,
psychology, psychiatry, general practice); alerts of every kind, raised by the real write
path and alert pass from shaped diaries; care plans across the four strategies with a
history of edits; and, for the demo patient, a reminder, an invitation, a share link and
the team's views in "Who viewed my data". While loading, email goes to Django's in-memory
backend: the mail the load queued is sent there by the task worker's code (so the critical
alert is marked as sent) rather than printed over the logins.

Each action runs at its moment in the story (ops/demo/clock.py, docs/demo.md), so the history
is dated across the demo period; only the loader's own blocks move the clock.
"""

from __future__ import annotations

import os
import zoneinfo
from argparse import ArgumentParser
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from painmind.accounts.actions import do_create_user, do_grant_consent, do_mark_welcomed
from painmind.accounts.audit import Actor
from painmind.accounts.models import Role, User
from painmind.core.synth import generate_cohort
from painmind.diary.actions import do_import_checkins
from painmind.diary.actions.alerts import do_evaluate_alerts
from painmind.insights.actions import do_refresh_cycles
from painmind.insights.cohort import do_refresh_cohort_priors
from painmind.lib.tasks import drain
from painmind.ops.demo.clock import StoryClock
from painmind.ops.demo.measures import load_demo_measures
from painmind.ops.demo.meds import load_demo_meds
from painmind.ops.demo.plans import load_care_plans
from painmind.ops.demo.selfcare import load_demo_selfcare
from painmind.ops.demo.stories import STORIES, shape_diary
from painmind.ops.demo.team import (
    TEAM,
    acknowledge_next_morning,
    create_team,
    disciplines_for,
    load_demo_patient_extras,
)
from painmind.ops.demo.where import add_where
from painmind.safety.models import AlertNotice

PASSWORD = "painmind-demo"
CLINICIAN = TEAM[0].email
PATIENT = "patient@demo.example.org"
DEMO_PATIENT_NAME = "Alex Demo"
TIME_ZONE = "Europe/London"
# The demo's fictional people live in the UK (their time zone): they see the UK's crisis services,
# and a demo site with no PAINMIND_DEFAULT_COUNTRY of its own serves the UK by default.
COUNTRY = "GB"
FIRST = ["Alex", "Sam", "Robin", "Jo", "Kim", "Chris", "Lee", "Pat", "Max", "Noor", "Ari", "Dev", "Mira",
         "Tess", "Ola", "Yusuf", "Ines", "Hana", "Luca", "Bea", "Ravi", "Sol"]  # fmt: skip
TAGS = ["walk", "physio", "bad night", "work", "family visit", "heat pad", "stretching", "rain"]


class Command(BaseCommand):
    help = "Load the fictional demo cohort (once) and print the demo logins; --serve then serves it."
    # Checked in `handle`, once the demo's default country is in place (painmind.E003 otherwise).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--patients", type=int, default=20, help="further patients besides the demo patient")
        parser.add_argument("--days", type=int, default=120)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--serve", action="store_true", help="then run `painmind serve`")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **opts: Any) -> None:
        if settings.DEFAULT_COUNTRY:
            self._handle(**opts)
            return
        # A production site must choose its default country (system check painmind.E003); the
        # demo chooses the UK, for as long as it runs: the server it starts included, and the
        # worker process `serve` starts beside it (which reads the environment).
        os.environ["PAINMIND_DEFAULT_COUNTRY"] = COUNTRY
        try:
            with override_settings(DEFAULT_COUNTRY=COUNTRY):
                self._handle(**opts)
        finally:
            del os.environ["PAINMIND_DEFAULT_COUNTRY"]

    def _handle(self, **opts: Any) -> None:
        if not opts.get("skip_checks"):
            self.check()
        call_command("migrate", interactive=False, verbosity=0)
        if User.objects.filter(email=CLINICIAN).exists():
            self.stdout.write("Demo cohort already loaded; leaving it as it is.")
        else:
            # In-memory email while loading: the mail the load queued (the critical alert's notices
            # to the care team, the invitation) is sent there by the real worker code, as the
            # worker would after the commit, instead of spilling over the logins.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                n, clock = self._load(opts["patients"], opts["days"], opts["seed"])
                if not connection.in_atomic_block:  # inside one (a test's) nothing is queued before its commit
                    # Sent a minute after the last notice was queued, as a running worker would
                    # have: the notices and the alert say when the team was told in the story.
                    last = AlertNotice.objects.aggregate(at=Max("queued_at"))["at"] or clock.now
                    with clock.at(last + timedelta(minutes=1)):
                        drain(worker_id="demo")
            # As the worker's nightly pass does (`painmind refresh_cycles`): the analyses, so the first
            # "My cycle" page needs no computing, then the site priors every finding is shrunk toward,
            # so what the demo shows at once is what it shows once the worker has run.
            do_refresh_cycles()
            do_refresh_cohort_priors()
            self.stdout.write(
                f"Loaded the demo cohort: {len(TEAM)} clinicians, {n} patients, {opts['days']} days each."
            )
        team = "".join(f"\n  {m.role_text + ':':15} {m.email}  ({m.name})" for m in TEAM)
        self.stdout.write(
            f"\nDemo logins (fictional people; password for all: {PASSWORD})\n"
            f"  {'patient:':15} {PATIENT}  (Alex Demo){team}\n"
            f"  API: curl -X POST http://{opts['host']}:{opts['port']}/api/v1/auth/token "
            f'-H \'Content-Type: application/json\' -d \'{{"email": "{PATIENT}", "password": "{PASSWORD}"}}\'\n'
        )
        if opts["serve"] and "PAINMIND_MFA_REQUIRED_ROLES" not in os.environ:
            # A newcomer signs in as the demo clinician with the password alone: the demo server
            # does not require two-step sign-in (a real site does, for clinicians and admins:
            # docs/accounts.md). Anyone may still set it up under Settings.
            self.stdout.write(
                "Two-step sign-in: optional in this demo (a real site requires it of clinicians and admins).\n"
            )
            self.stdout.flush()
            os.environ["PAINMIND_MFA_REQUIRED_ROLES"] = "none"
            try:
                with override_settings(PAINMIND_MFA_REQUIRED_ROLES=[]):
                    call_command("serve", host=opts["host"], port=opts["port"], no_migrate=True)
            finally:
                del os.environ["PAINMIND_MFA_REQUIRED_ROLES"]
            return
        self.stdout.flush()
        if opts["serve"]:
            call_command("serve", host=opts["host"], port=opts["port"], no_migrate=True)

    @transaction.atomic
    def _load(self, n_others: int, n_days: int, seed: int) -> tuple[int, StoryClock]:
        rng = np.random.default_rng(seed)
        tz = zoneinfo.ZoneInfo(TIME_ZONE)
        # Every record is written at its moment in the story, never after this one (ops/demo/clock.py).
        clock = StoryClock(now=timezone.now(), tz=tz)
        today = timezone.localdate(clock.now, timezone=tz)
        start = today - timedelta(days=n_days)
        team = create_team(PASSWORD, TIME_ZONE, COUNTRY, clock, start)
        # Alex Demo first, from their own seed: the same diary whatever --patients says, and a
        # regular diarist (3 % of days missed), so that the one link built into it (ops/demo/stories.py)
        # shows on My cycle; the others as the synthetic cohort makes them.
        alex = generate_cohort(
            1, n_days, start=start, tz=TIME_ZONE, missing_day_rate=0.03, missing_value_rate=0.02, id_prefix="a",
            rng=np.random.default_rng(seed + 1),
        )  # fmt: skip
        diaries = [alex.data]
        if n_others:
            others = generate_cohort(n_others, n_days, start=start, tz=TIME_ZONE, missing_value_rate=0.05, rng=rng)
            diaries += [d for _, d in others.data.groupby("patient_id", sort=True)]
        patients = []
        for i, generated in enumerate(diaries):
            # Plain names: pages add the role themselves ("Alex Demo (patient)"); a "(demo patient)"
            # in the name read "Alex Demo (demo patient) (patient)" (issue 16). The e-mail
            # addresses (@demo.example.org) still say these are demo accounts.
            if i == 0:
                email, name = PATIENT, DEMO_PATIENT_NAME
            else:
                first = FIRST[i % len(FIRST)]
                email, name = f"{first.lower()}.{i:02d}@demo.example.org", f"{first} {chr(64 + i % 26 or 26)}."
            # Project rule (demo story): each person signs up the afternoon before their diary's first
            # day, is walked through the app, and shares with their team at once.
            joined = clock.on(start - timedelta(days=1), 14, 0) + timedelta(minutes=7 * i)
            with clock.at(joined):
                patient = do_create_user(
                    email, PASSWORD, role=Role.PATIENT, display_name=name, time_zone=TIME_ZONE, country=COUNTRY
                )
            with clock.at(joined + timedelta(minutes=1)):
                do_mark_welcomed(Actor(user=patient, via="web"))
            for k, discipline in enumerate(disciplines_for(i)):
                with clock.at(joined + timedelta(minutes=3 + k)):
                    do_grant_consent(Actor(user=patient, via="web"), team[discipline].email)
            story = STORIES.get(i)
            rows = shape_diary(generated, story, today)
            checkins = self._rows(rows, rng)
            # Where it hurts and how much it got in the way, from a generator of its own (ops/demo/where.py).
            add_where([values for _, values in checkins], np.random.default_rng([seed, 3, i]))
            # Each check-in saved when it was made: the alert pass that follows a save sees the
            # diary as it stood that day (a flare months ago was raised, then closed).
            me = Actor(user=patient, via="web")
            for at, values in checkins:
                with clock.at(at):
                    do_import_checkins(me, patient, [(at, values)])
            # Severe, worsening and self-harm answers raise their alerts as they are recorded; the
            # team looks and acknowledges earlier ones the next morning (ops/demo/team.py).
            load_demo_measures(
                patient, rows, rng, story=story, clock=clock, after=partial(acknowledge_next_morning, team, clock)
            )
            patients.append(patient)
        # The periodic pass (the flare and the silence in the shaped diaries) ran this morning.
        with clock.at(clock.days_ago(0, 6)):
            do_evaluate_alerts()
        load_care_plans(patients, team, today, clock, start)
        load_demo_patient_extras(patients[0], team, clock, start)
        # Regimens that raise medication alerts through the real actions (ops/demo/meds.py).
        load_demo_meds(patients, team, today, np.random.default_rng(seed + 2), clock=clock, start=start)
        # Alex Demo's thought records, pacing plan, relaxation and activities (ops/demo/selfcare.py).
        load_demo_selfcare(patients[0], today, start, clock=clock)
        return len(patients), clock

    @staticmethod
    def _rows(frame: pd.DataFrame, rng: np.random.Generator) -> list[tuple[datetime, dict[str, object]]]:
        columns = ["pain", "mood", "anxiety", "stress", "sleep_quality", "activity_minutes", "social", "sleep_hours"]
        rows = []
        times = frame["recorded_at"].dt.to_pydatetime()
        for at, values in zip(times, frame[columns].to_numpy(), strict=True):
            data: dict[str, object] = {
                col: None if np.isnan(v) else (float(v) if col == "sleep_hours" else int(v))
                for col, v in zip(columns, values, strict=True)
            }
            if rng.random() < 0.15:
                data["tags"] = [str(t) for t in rng.choice(TAGS, size=int(rng.integers(1, 3)), replace=False)]
            rows.append((at, data))
        return rows
