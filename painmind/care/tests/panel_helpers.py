"""Small builders shared by the panel and patient-page tests (real rows, no mocks)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from painmind.accounts.actions import do_create_user, do_grant_consent
from painmind.accounts.audit import Actor
from painmind.diary.actions import do_record_response
from painmind.diary.models import CheckIn

PASSWORD = "correct-horse-battery-staple"


def make_patient(email: str, name: str, clinician: Any, *, time_zone: str = "Europe/London") -> Any:
    patient = do_create_user(
        email, PASSWORD, role="patient", display_name=name, time_zone=time_zone, check_password=False
    )
    if clinician is not None:
        do_grant_consent(Actor(user=patient, via="web"), clinician.email)
    return patient


def local_today(user: Any) -> date:
    return timezone.localdate(timezone=user.tzinfo)


def checkin(patient: Any, days_ago: int, pain: int, mood: int, **extra: Any) -> CheckIn:
    """A check-in on the patient's local date `days_ago` days before today (at noon there)."""
    day = local_today(patient) - timedelta(days=days_ago)
    at = datetime.combine(day, time(12, 0), tzinfo=patient.tzinfo)
    return CheckIn.objects.create(patient=patient, recorded_at=at, local_on=day, pain=pain, mood=mood, **extra)


def respond(patient: Any, instrument: str, answers: Sequence[int | None], days_ago: int) -> Any:
    """A questionnaire response scored by the real scorer, completed `days_ago` days back."""
    at = timezone.now() - timedelta(days=days_ago, hours=1)
    response, _ = do_record_response(Actor(user=patient, via="web"), patient, instrument, answers, completed_at=at)
    return response


def row_html(html: str, patient: Any) -> str:
    """The panel's table row for one patient."""
    match = re.search(rf'<tr id="patient-{patient.pk}"[^>]*>(.*?)</tr>', html, re.S)
    assert match is not None, f"no row for {patient}"
    return match.group(1)


def row_order(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="patient-(\d+)"', html)]
