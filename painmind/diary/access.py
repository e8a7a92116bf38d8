"""The only way to read diary entries for a user; reads by anyone but the patient are audited."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.diary.models import CheckIn


def _window(qs: QuerySet[CheckIn], since: datetime | None, until: datetime | None) -> QuerySet[CheckIn]:
    if since is not None:
        qs = qs.filter(recorded_at__gte=since)
    if until is not None:
        qs = qs.filter(recorded_at__lt=until)
    return qs


def get_checkins_for_user(
    actor: Actor,
    patient_id: int | str | None = None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> tuple[User, list[CheckIn]]:
    """A patient's check-ins, newest first, in [since, until).

    `patient_id=None` means the actor's own diary. Http404 when the actor may not see the
    patient. A clinician's read is stored as one audit event naming how many entries it showed.
    """
    patient = get_own_patient(actor) if patient_id is None else get_patient_for_user(actor, patient_id)
    qs = _window(CheckIn.objects.filter(patient=patient), since, until)
    entries = list(qs[:limit] if limit is not None else qs)
    window = " ".join(
        part
        for part in (f"since {since:%Y-%m-%d %H:%M}" if since else "", f"until {until:%Y-%m-%d %H:%M}" if until else "")
        if part
    )
    record(actor, patient, AuditAction.VIEW, "checkin_list", detail=f"{len(entries)} check-ins {window}".strip())
    return patient, entries
