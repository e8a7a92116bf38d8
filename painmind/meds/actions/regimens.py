"""Adding, changing and stopping regimens: each change one history row, one audit event for a
non-owner, and a fresh safety check that raises or resolves `medication` alerts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from painmind.accounts.access import care_team
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.lib.errors import ActionError
from painmind.meds import safety
from painmind.meds.cleaning import REGIMEN_FIELDS, clean_regimen, parse_date
from painmind.meds.models import Regimen, RegimenChange


def _today(patient: User) -> date:
    return timezone.localdate(timezone=patient.tzinfo)


def _shown(field: str, value: object) -> str:
    if value is None:
        return ""
    if field == "prescriber" and isinstance(value, User):
        return value.display_name or value.email
    if hasattr(value, "normalize"):
        return f"{value.normalize():f}"  # Decimal: 10.000 → 10
    return str(value)


def _prescriber(patient: User, value: object) -> User | None:
    """A team clinician by id; ActionError naming the field for anyone else."""
    if value in (None, ""):
        return None
    for clinician in care_team(patient.pk):
        if str(clinician.pk) == str(value):
            return clinician
    raise ActionError({"prescriber": ["must be a clinician on the patient's care team (or give prescriber_name)"]})


# core.meds.check.Item's field names → the regimen's.
_CORE_FIELDS = {
    "dose": "dose",
    "unit": "dose_unit",
    "times_per_day": "times_per_day",
    "every_hours": "every_hours",
    "max_per_day": "max_per_day",
    "drug": "name",
    "started_on": "started_on",
    "stopped_on": "stopped_on",
}


def _checked(patient: User, regimen: Regimen) -> None:
    """Refuse a regimen the rules cannot read (e.g. mcg/hr for a tablet), naming the fields."""
    others = [r for r in Regimen.objects.filter(patient=patient) if r.pk != regimen.pk]
    try:
        safety.check_regimens([*others, regimen], max(_today(patient), regimen.started_on))
    except safety.MedsInputError as exc:
        # Only this regimen can be new to the rules: the others passed when they were written.
        field = _CORE_FIELDS.get(exc.field or "", "dose_unit")
        raise ActionError({field: [exc.reason]}) from None


def _log(actor: Actor, regimen: Regimen, action: str, changes: list[dict[str, str]]) -> None:
    user = actor.user
    RegimenChange.objects.create(
        regimen=regimen,
        patient=regimen.patient,
        actor=user,
        actor_label=(user.display_name or user.email) if user is not None else actor.label,
        actor_role=user.role if user is not None else "",
        action=action,
        changes=changes,
    )
    audit = {"create": AuditAction.CREATE}.get(action, AuditAction.UPDATE)
    record(actor, regimen.patient, audit, "regimen", object_id=regimen.pk, detail=f"{action} {regimen.name}")


def do_add_regimen(actor: Actor, patient: User, data: Mapping[str, Any]) -> Regimen:
    """A new regimen for `patient` (already access-checked: `access.get_meds_patient`)."""
    cleaned = clean_regimen(data, today=_today(patient))
    cleaned["prescriber"] = _prescriber(patient, cleaned["prescriber"])
    now = timezone.now()
    regimen = Regimen(
        patient=patient,
        generic=safety.generic_for(cleaned["name"]),
        created_by=actor.user,
        created_at=now,
        updated_at=now,
        **cleaned,
    )
    _checked(patient, regimen)
    with transaction.atomic():
        regimen.save()
        changes = [{"field": f, "old": "", "new": _shown(f, v)} for f, v in cleaned.items() if v not in (None, "")]
        _log(actor, regimen, "create", changes)
        safety.do_recheck_patient(patient)
    return regimen


def do_update_regimen(actor: Actor, regimen: Regimen, data: Mapping[str, Any]) -> Regimen:
    """Change the fields given (the others stay); a change of nothing writes nothing."""
    patient = regimen.patient
    current = {f: getattr(regimen, "prescriber_id" if f == "prescriber" else f) for f in REGIMEN_FIELDS}
    merged = {**current, **data}
    cleaned = clean_regimen(merged, today=max(_today(patient), regimen.started_on))
    if str(cleaned["prescriber"]) == str(regimen.prescriber_id):
        cleaned["prescriber"] = regimen.prescriber  # unchanged: kept even if they left the team
    else:
        cleaned["prescriber"] = _prescriber(patient, cleaned["prescriber"])
    changes = []
    for field, new in cleaned.items():
        old = getattr(regimen, field)
        if old != new:
            changes.append({"field": field, "old": _shown(field, old), "new": _shown(field, new)})
            setattr(regimen, field, new)
    if not changes:
        return regimen
    regimen.generic = safety.generic_for(regimen.name)
    regimen.updated_at = timezone.now()
    _checked(patient, regimen)
    with transaction.atomic():
        regimen.save()
        _log(actor, regimen, "update", changes)
        safety.do_recheck_patient(patient)
    return regimen


def do_stop_regimen(actor: Actor, regimen: Regimen, stopped_on: object = None) -> Regimen:
    """Stop a regimen on a date (today by default); it stays in the list, stopped."""
    errors: dict[str, list[str]] = {}
    today = _today(regimen.patient)
    on = parse_date(stopped_on, "stopped_on", errors) or today
    if not errors and on < regimen.started_on:
        errors["stopped_on"] = ["may not be before the start date"]
    if not errors and on > today:
        errors["stopped_on"] = ["may not be in the future"]
    if errors:
        raise ActionError(errors)
    if regimen.stopped_on == on:
        return regimen
    old = _shown("stopped_on", regimen.stopped_on)
    with transaction.atomic():
        regimen.stopped_on = on
        regimen.updated_at = timezone.now()
        regimen.save(update_fields=["stopped_on", "updated_at"])
        _log(actor, regimen, "stop", [{"field": "stopped_on", "old": old, "new": str(on)}])
        safety.do_recheck_patient(regimen.patient)
    return regimen
