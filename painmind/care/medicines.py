"""The medicines section of a clinician's patient page: the current list with total MME/day
("at least N" when an opioid has no factor), the rule hits with their basis, adherence, side
effects and as-needed use (`painmind.meds`), and — for a medicine that serves both pain and
mood (clinical-reference §2.4) — its antidepressant suicidality warning beside the patient's
PHQ-9 item-9 history (`painmind.diary`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.diary.models import QuestionnaireResponse
from painmind.meds import safety
from painmind.meds.access import get_medicines_overview_for_user, open_medication_alerts
from painmind.meds.models import Regimen, SideEffect
from painmind.meds.summary import WeekAdherence, as_needed_per_day, weekly_adherence
from painmind.safety.models import Alert

ADHERENCE_WEEKS = 4
AS_NEEDED_DAYS = 7
SIDE_EFFECT_DAYS = 30


@dataclass(frozen=True)
class MedicineRow:
    regimen: Regimen
    dual_use: str
    weeks: list[WeekAdherence]  # empty for as-needed medicines
    as_needed: list[tuple[date, int]]  # (day, doses), empty for scheduled medicines

    @property
    def as_needed_total(self) -> int:
        return sum(n for _, n in self.as_needed)


@dataclass(frozen=True)
class MedicinesSection:
    rows: list[MedicineRow]
    mme_text: str  # "30 MME/day", "at least 30 MME/day (no factor: meperidine)", "" without opioids
    hits: list[Any]  # core.meds Hit
    error: str
    side_effects: list[SideEffect]
    item9: list[QuestionnaireResponse]  # positive or blank item-9 answers, newest first
    # Open critical alerts whose combination is gone (waiting for a note): (alert, since which day).
    no_longer_present: list[tuple[Alert, date]]


def _mme_text(result: safety.Check | None) -> str:
    if result is None:
        return ""
    total = f"{result.mme_per_day:.1f}".removesuffix(".0")
    if not result.mme_complete:
        missing = ", ".join(result.missing_factor)
        return f"at least {total} MME/day (no 2022 factor: {missing})"
    return f"{total} MME/day" if result.mme_per_day else ""


def medicines_section(actor: Actor, patient: User, today: date) -> MedicinesSection:
    """Everything the section shows, read through `meds.access` (one audit event, "medicines")."""
    _, regimens, ticks, effects = get_medicines_overview_for_user(
        actor,
        patient.pk,
        since=today - timedelta(weeks=ADHERENCE_WEEKS),
        until=today,
        side_effect_days=SIDE_EFFECT_DAYS,
    )
    error = ""
    result = None
    try:
        result = safety.check_regimens(regimens, today)
    except safety.MedsInputError as exc:
        error = f"The check could not read this list: {exc}"
    rows = []
    for r in regimens:
        if not r.is_current(today):
            continue
        scheduled = r.doses_per_day > 0
        rows.append(
            MedicineRow(
                regimen=r,
                dual_use=safety.dual_use_note(r),
                weeks=weekly_adherence(r, ticks, today=today, weeks=ADHERENCE_WEEKS) if scheduled else [],
                as_needed=[] if scheduled else as_needed_per_day(r, ticks, today=today, days=AS_NEEDED_DAYS),
            )
        )
    item9: list[QuestionnaireResponse] = []
    if any(row.dual_use for row in rows):
        item9 = list(
            QuestionnaireResponse.objects.filter(patient=patient, instrument="phq9", item9__in=["positive", "unknown"])[
                :10
            ]
        )
    return MedicinesSection(
        rows=rows,
        mme_text=_mme_text(result),
        hits=list(result.rules) if result is not None else [],
        error=error,
        side_effects=effects,
        item9=item9,
        no_longer_present=[
            (a, since) for a in open_medication_alerts(patient) if (since := safety.absent_since(a)) is not None
        ],
    )
