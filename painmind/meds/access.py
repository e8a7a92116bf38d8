"""The only way to load a patient's medicines for a user (policy: `painmind.accounts.access`).

A patient reads and writes their own; a clinician with the patient's active consent reads and
writes them too (every such read and write is an audit event the patient can see); anyone
else gets the same 404 as for a patient or regimen that does not exist.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Role, User
from painmind.meds.models import DoseLog, Regimen, RegimenChange, SideEffect
from painmind.safety.models import Alert, AlertKind, Severity


def get_meds_patient(actor: Actor, patient_id: int | str | None = None) -> User:
    """The patient whose medicines the actor may read and change: themselves (`patient_id`
    None or their own id) or, for a clinician, a patient whose consent is active. Http404
    otherwise; the caller records what it then reads or writes."""
    if patient_id is None:
        return get_own_patient(actor)
    patient = get_patient_for_user(actor, patient_id)
    user = actor.user
    if user is None and actor.via == "cli":
        return patient  # the operator at the command line (accounts.access policy), e.g. `export fhir`
    if user is None or (user.pk != patient.pk and user.role != Role.CLINICIAN):
        raise Http404("No such patient.")
    return patient


def get_regimen_for_user(actor: Actor, regimen_id: int | str) -> Regimen:
    """One regimen, if the actor may see its patient; Http404 otherwise (the caller audits)."""
    try:
        rid = int(regimen_id)
    except (TypeError, ValueError):
        raise Http404("No such medicine.") from None
    regimen = Regimen.objects.select_related("patient", "prescriber").filter(pk=rid).first()
    if regimen is None:
        raise Http404("No such medicine.")
    user = actor.user
    own = user is not None and user.pk == regimen.patient_id
    get_meds_patient(actor, None if own else regimen.patient_id)
    return regimen


def current_regimens(patient: User, on: date) -> list[Regimen]:
    """The regimens a patient takes on `on` (started, not yet stopped). A system read."""
    return [r for r in Regimen.objects.filter(patient=patient).select_related("prescriber") if r.is_current(on)]


def get_regimens_for_user(
    actor: Actor, patient_id: int | str | None = None, *, include_stopped: bool = True
) -> tuple[User, list[Regimen]]:
    """A patient's regimens, current first then stopped (newest stop first). Audited."""
    patient = get_meds_patient(actor, patient_id)
    regimens = list(Regimen.objects.filter(patient=patient).select_related("prescriber"))
    if not include_stopped:
        regimens = [r for r in regimens if r.stopped_on is None]
    regimens.sort(key=lambda r: (r.stopped_on is not None, -(r.stopped_on.toordinal() if r.stopped_on else 0)))
    record(actor, patient, AuditAction.VIEW, "regimen_list", detail=f"{len(regimens)} regimens")
    return patient, regimens


def get_regimen_changes_for_user(actor: Actor, patient_id: int | str | None = None) -> tuple[User, list[RegimenChange]]:
    """Every change to a patient's medicines (who, when, field by field), newest first. Audited."""
    patient = get_meds_patient(actor, patient_id)
    changes = list(RegimenChange.objects.filter(patient=patient))
    record(actor, patient, AuditAction.VIEW, "regimen_list", detail=f"{len(changes)} medicine changes")
    return patient, changes


def get_doses_for_user(
    actor: Actor, patient_id: int | str | None, *, since: date, until: date
) -> tuple[User, list[DoseLog]]:
    """Dose ticks in [since, until] (local dates), oldest first. Audited."""
    patient = get_meds_patient(actor, patient_id)
    doses = list(
        DoseLog.objects.filter(patient=patient, taken_on__gte=since, taken_on__lte=until).order_by(
            "taken_on", "slot", "id"
        )
    )
    record(actor, patient, AuditAction.VIEW, "dose_log", detail=f"{since} to {until}")
    return patient, doses


def get_side_effects_for_user(
    actor: Actor, patient_id: int | str | None = None, *, days: int = 90, today: date | None = None
) -> tuple[User, list[SideEffect]]:
    """Side effects noted in the last `days` days, newest first. Audited."""
    patient = get_meds_patient(actor, patient_id)
    qs = SideEffect.objects.filter(patient=patient).select_related("regimen")
    if today is not None:
        qs = qs.filter(noted_on__gt=today - timedelta(days=days))
    effects = list(qs)
    record(actor, patient, AuditAction.VIEW, "side_effect_list", detail=f"{len(effects)} side effects")
    return patient, effects


def get_medicines_overview_for_user(
    actor: Actor, patient_id: int | str, *, since: date, until: date, side_effect_days: int
) -> tuple[User, list[Regimen], list[DoseLog], list[SideEffect]]:
    """Regimens, ticks in [since, until] and recent side effects, for a page that shows them
    together (the clinician's patient page): one audit event, "medicines"."""
    patient = get_meds_patient(actor, patient_id)
    regimens = list(Regimen.objects.filter(patient=patient).select_related("prescriber"))
    doses = list(DoseLog.objects.filter(patient=patient, taken_on__gte=since, taken_on__lte=until))
    effects = list(
        SideEffect.objects.filter(
            patient=patient, noted_on__gt=until - timedelta(days=side_effect_days)
        ).select_related("regimen")
    )
    record(actor, patient, AuditAction.VIEW, "medicines", detail=f"{len(regimens)} regimens")
    return patient, regimens, doses, effects


def medicines_for_analysis(patient_ids: list[int]) -> tuple[list[Regimen], list[DoseLog]]:
    """Every regimen and dose tick of these patients, for the cycle analysis ("what helps me").

    A system read, like the check-ins the analysis reads: the patient sees the result on their
    own page; a clinician's view of it is audited where it is read (insights.access)."""
    regimens = list(Regimen.objects.filter(patient_id__in=patient_ids))
    doses = list(
        DoseLog.objects.filter(patient_id__in=patient_ids).only(
            "patient_id", "regimen_id", "taken_on", "slot", "status"
        )
    )
    return regimens, doses


def open_medication_alerts(patient: User) -> list[Alert]:
    """The patient's open medication alerts, gravest first, for a page that already audited
    its read of the patient's medicines (the clinician's medicines section)."""
    alerts = Alert.objects.open().filter(patient=patient, kind=AlertKind.MEDICATION)
    return sorted(alerts, key=lambda a: (a.severity != Severity.CRITICAL, a.created_at))
