"""The demo's medicines: realistic regimens whose rule hits come from the real actions.

Nothing here writes an alert or a tick directly: each regimen goes through `do_add_regimen`
(which runs the rules of clinical-reference §2.5 and raises the `medication` alerts), each
tick through `do_log_dose`, each side effect through `do_record_side_effect`.

| patient | regimen | what the team sees |
|---|---|---|
| 0, Alex Demo | duloxetine 60 mg daily (§2.4), ibuprofen as needed | dual-use note by item 9; ibuprofen not checked |
| 1 | oxycodone 10 mg twice a day + diazepam 5 mg at night | R1 (30 MME/day, §2.1 worked example) |
| 2 | morphine 30 mg twice a day + pregabalin 75 mg twice a day | R2 and R4 (60 MME/day ≥ 50) |
| 3 | tramadol 50 mg as needed (up to 4) + sertraline 100 mg daily | R5 (tramadol is serotonergic) |
| 4 | buprenorphine patch 10 mcg/hr + amitriptyline 25 mg at night | R6 (no MME, §2.1), R5 |
| 5 | meperidine 50 mg as needed (up to 4) | R7: MME unknown, never 0 |

Each at its time in the story (ops/demo/clock.py): a regimen entered on the morning it started (or
the person's first day in PainMind),
each dose ticked at its slot's hour (`SLOT_HOURS`), a side effect in the evening it was noted.

No tramadol with an MAOI: R5b is critical, and the demo keeps one critical alert (the demo
patient's self-harm answer) so the panel's first row is the one the tour explains.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import numpy as np

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.meds.actions import do_add_regimen, do_log_dose, do_record_side_effect
from painmind.meds.models import Regimen, Schedule
from painmind.ops.demo.clock import StoryClock

STARTED_DAYS_AGO = 60
LOGGED_DAYS = 7  # the dose log's back-fill window (meds.actions.doses.BACKFILL_DAYS)
SLOT_HOURS = (8, 20, 14, 23)  # when dose slot 1, 2, … is ticked; as-needed doses through the day
PRN_HOURS = (10, 15, 19, 22)


def _daily(name: str, dose: str, times: int, reason: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "dose": dose, "dose_unit": "mg", "schedule": "times_a_day", "times_per_day": times,
            "reason": reason, "form": "tablet", "route": "oral", **extra}  # fmt: skip


def _prn(name: str, dose: str, most: int, reason: str) -> dict[str, Any]:
    return {"name": name, "dose": dose, "dose_unit": "mg", "schedule": "as_needed", "max_per_day": most,
            "reason": reason, "form": "tablet", "route": "oral"}  # fmt: skip


BUPRENORPHINE_PATCH = {"name": "Buprenorphine patch", "dose": "10", "dose_unit": "mcg/hr", "schedule": "times_a_day",
                       "times_per_day": 1, "reason": "pain", "form": "patch", "route": "transdermal"}  # fmt: skip

REGIMENS: dict[int, list[dict[str, Any]]] = {
    0: [_daily("Duloxetine", "60", 1, "mood"), _prn("Ibuprofen", "400", 3, "pain")],
    1: [
        _daily("Oxycodone ER", "10", 2, "pain"),
        _daily("Diazepam", "5", 1, "anxiety", prescriber_name="Dr Ahmed (GP)"),
    ],
    2: [_daily("Morphine sulfate ER", "30", 2, "pain"), _daily("Pregabalin", "75", 2, "pain")],
    3: [_prn("Tramadol", "50", 4, "pain"), _daily("Sertraline", "100", 1, "mood")],
    4: [BUPRENORPHINE_PATCH, _daily("Amitriptyline", "25", 1, "sleep")],
    5: [_prn("Meperidine", "50", 4, "pain")],
}
SIDE_EFFECTS: dict[int, list[dict[str, Any]]] = {
    0: [{"kind": "nausea", "severity": 3, "medicine": "Duloxetine"}],
    1: [{"kind": "drowsiness", "severity": 6, "medicine": "Diazepam"}, {"kind": "constipation", "severity": 4}],
    2: [{"kind": "dizziness", "severity": 5, "medicine": "Pregabalin"}],
    3: [{"kind": "other", "text": "sweating at night", "severity": 4}],
    4: [{"kind": "dry_mouth", "severity": 3, "medicine": "Amitriptyline"}],
}


def load_demo_meds(
    patients: list[User],
    team: dict[str, User],
    today: date,
    rng: np.random.Generator,
    *,
    clock: StoryClock,
    start: date,
) -> None:
    """Regimens, a week of ticks and a few side effects for the story patients that exist."""
    pain_clinician = next(iter(team.values()))
    for i, patient in enumerate(patients):
        if i not in REGIMENS:
            continue
        me = Actor(user=patient, via="cli")
        started_on = today - timedelta(days=STARTED_DAYS_AGO)
        started = str(started_on)
        added: list[Regimen] = []
        for n, data in enumerate(REGIMENS[i]):
            # The pain clinician enters the first opioid for patients 1 and 2 (kept in its history).
            by_team = n == 0 and i in (1, 2)
            actor = Actor(user=pain_clinician, via="cli") if by_team else me
            extra = {"prescriber": pain_clinician.pk} if by_team else {}
            # Entered the morning it started, or on the first day in PainMind if it started before.
            with clock.at(clock.on(max(started_on, start), 11, 5 * n)):
                added.append(do_add_regimen(actor, patient, {**data, **extra, "started_on": started}))
        for regimen in added:
            _tick_a_week(me, regimen, today, rng, clock)
        names = {r.name: r.pk for r in added}
        for k, effect in enumerate(SIDE_EFFECTS.get(i, [])):
            data = {key: v for key, v in effect.items() if key != "medicine"}
            if "medicine" in effect:
                data["regimen"] = names[effect["medicine"]]
            data["noted_on"] = today - timedelta(days=int(rng.integers(0, 10)))
            with clock.at(clock.on(data["noted_on"], 21, k)):
                do_record_side_effect(me, patient, data, client_id=uuid.uuid4())


def _tick_a_week(me: Actor, regimen: Regimen, today: date, rng: np.random.Generator, clock: StoryClock) -> None:
    for back in range(LOGGED_DAYS, -1, -1):
        day = today - timedelta(days=back)
        if regimen.schedule == Schedule.AS_NEEDED:
            most = regimen.max_per_day or 1
            for k in range(int(rng.integers(0, most + 1))):
                with clock.at(clock.on(day, PRN_HOURS[k % len(PRN_HOURS)])):
                    do_log_dose(me, regimen, status="extra", taken_on=day, client_id=uuid.uuid4())
            continue
        for slot in range(1, regimen.doses_per_day + 1):
            draw = rng.random()
            if back == 0 and slot > 1:
                continue  # later today's doses are not due yet
            if draw < 0.08:
                continue  # not recorded
            status = "skipped" if draw < 0.16 else "taken"
            with clock.at(clock.on(day, SLOT_HOURS[(slot - 1) % len(SLOT_HOURS)], 5)):
                do_log_dose(me, regimen, status=status, slot=slot, taken_on=day, client_id=uuid.uuid4())
