"""The one bridge to the rules in `painmind.core.meds` (clinical-reference §2): which medicine a
typed name is, the check of a patient's list, and the `medication` alerts it keeps in step.

Project rules (docs/safety.md, "Medication alerts"):
- a rule hit is an open `medication` alert keyed by its rule id; it is resolved (not
  acknowledged) once the combination no longer exists, on the next regimen change or alert pass
  — except a critical one, which, like every critical alert, waits for a clinician's note: its
  title then says since when the combination is no longer present (`absent_since`), so the
  clinician closes it knowingly, and says nothing of it again if the combination returns;
- severity: the reference's `contraindicated` (R5b) → critical (sorts with criticals, and the
  team is e-mailed); `high` (R1, R2), `moderate-high` (R4b) and `moderate` (R3, R4, R5) →
  warning; rules without a risk severity (R6 buprenorphine, R7 unknown factor) are notes on the
  MME total, shown on the pages and never an alert;
- a stopped regimen is checked for 14 days after its stop date (the MAOI window of R5b); the
  rules decide which hits it can still cause.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from painmind.accounts.models import Role, User
from painmind.core.meds.catalogue import Medicine, lookup
from painmind.core.meds.catalogue import catalogue_names as _catalogue_names
from painmind.core.meds.check import Check, Hit, Item, MedsInputError, check
from painmind.core.meds.fhir import medication_statement as _medication_statement
from painmind.core.meds.fhir import status_for
from painmind.core.meds.labels import rule_title
from painmind.meds.models import DoseLog, DoseStatus, Regimen, Schedule, Unit
from painmind.safety.actions import do_raise_alert
from painmind.safety.models import Alert, AlertKind, Severity

__all__ = ["Check", "Hit", "Medicine", "MedsInputError"]

# §2.5 R5b: a stopped MAOI still counts for 14 days.
LOOKBACK_DAYS = 14
# Alert.data key: the local day an open critical alert's combination was first found gone.
ABSENT_SINCE = "absent_since"
ALERT_SEVERITY: dict[str, Severity] = {
    "contraindicated": Severity.CRITICAL,
    "high": Severity.WARNING,
    "moderate-high": Severity.WARNING,
    "moderate": Severity.WARNING,
}
# What the patient is told about any hit: calm, no dose, no drug names (the wording).
PATIENT_NOTE = (
    "Some of your medicines can add to each other's drowsiness. "
    "Please talk to your prescriber before changing anything."
)
PATIENT_NOTE_SEROTONIN = (
    "Some of your medicines can interact with each other. Please talk to your prescriber before changing anything."
)
PATIENT_NOTE_REVIEW = (
    "Your care team may want to review your pain medicines with you. "
    "Please talk to your prescriber before changing anything."
)


def medicine(name: str) -> Medicine | None:
    """The catalogue entry for a typed name; None for "unknown medicine — not checked"."""
    return lookup(name)


def generic_for(name: str) -> str:
    found = lookup(name)
    return found.generic if found is not None else ""


def item(regimen: Regimen, *, taken_last_7_days: int | None = None) -> Item:
    """A regimen as the rules read it: the generic when known, else the name as typed."""
    patch = regimen.dose_unit == Unit.MCG_PER_HR  # releases continuously: no doses a day (§2.1)
    return Item(
        drug=regimen.generic or regimen.name,
        dose=float(regimen.dose),
        unit=regimen.dose_unit,
        times_per_day=None if patch else regimen.times_per_day,
        every_hours=regimen.every_hours,
        as_needed=regimen.schedule == Schedule.AS_NEEDED,
        max_per_day=regimen.max_per_day,
        started_on=regimen.started_on,
        stopped_on=regimen.stopped_on,
        taken_last_7_days=taken_last_7_days,
    )


def checked_regimens(regimens: Iterable[Regimen], on: date) -> list[Regimen]:
    """The regimens the check reads on `on`: started by then, stopped at most 14 days before."""
    since = on - timedelta(days=LOOKBACK_DAYS)
    return [r for r in regimens if r.started_on <= on and (r.stopped_on is None or r.stopped_on >= since)]


def taken_last_7_days(regimens: Iterable[Regimen], on: date) -> dict[int, int]:
    """As-needed doses logged per regimen over the 7 local days ending `on` (one query)."""
    ids = [r.pk for r in regimens if r.schedule == Schedule.AS_NEEDED]
    if not ids:
        return {}
    rows = (
        DoseLog.objects.filter(
            regimen_id__in=ids, status=DoseStatus.EXTRA, taken_on__gt=on - timedelta(days=7), taken_on__lte=on
        )
        .values("regimen_id")
        .annotate(n=Count("id"))
        .values_list("regimen_id", "n")
    )
    counts = dict(rows)
    return {rid: counts.get(rid, 0) for rid in ids}


def check_regimens(regimens: list[Regimen], on: date) -> Check:
    """Run the rules on these regimens as of `on`. MedsInputError for a list they cannot read."""
    chosen = checked_regimens(regimens, on)
    taken = taken_last_7_days(chosen, on)
    return check([item(r, taken_last_7_days=taken.get(r.pk)) for r in chosen], on)


def check_patient(patient: User, on: date | None = None) -> Check:
    """The check of a patient's whole list today (their local date). A system read."""
    day = on or timezone.localdate(timezone=patient.tzinfo)
    return check_regimens(list(Regimen.objects.filter(patient=patient)), day)


def alerted(hits: Iterable[Hit]) -> list[Hit]:
    """The hits that are alerts (a risk severity), gravest first."""
    return sorted(
        (h for h in hits if h.severity in ALERT_SEVERITY), key=lambda h: list(ALERT_SEVERITY).index(h.severity)
    )


def _title(hit: Hit) -> str:
    return rule_title(hit.rule_id, hit.drugs)


def _detail(hit: Hit) -> str:
    parts = [f"Basis: {hit.basis}."] if hit.basis else []
    if hit.action:
        parts.append(f"Suggested review: {hit.action}. A prompt to review, never a block.")
    if hit.unverified:
        parts.append("Part of this rule is marked unverified in the clinical reference.")
    return " ".join(parts)


def do_sync_medication_alerts(patient: User, result: Check) -> tuple[int, int]:
    """Raise a `medication` alert for each alerting hit not already open, and resolve the open
    ones whose rule no longer fires. Returns ``(raised, resolved)``."""
    hits = alerted(result.rules)
    raised = 0
    for hit in hits:
        _, created = do_raise_alert(
            patient,
            AlertKind.MEDICATION,
            ALERT_SEVERITY[hit.severity],
            key=hit.rule_id,
            title=_title(hit),
            detail=_detail(hit),
        )
        raised += created
    # Critical ones (R5b) wait for a clinician's note, as every critical alert does (docs/safety.md).
    stale = (
        Alert.objects.open()
        .filter(patient=patient, kind=AlertKind.MEDICATION)
        .exclude(key__in=[h.rule_id for h in hits])
        .exclude(severity=Severity.CRITICAL)
    )
    resolved = stale.update(resolved_at=timezone.now())
    firing = {h.rule_id for h in hits}
    today = timezone.localdate(timezone=patient.tzinfo)
    for alert in Alert.objects.open().filter(patient=patient, kind=AlertKind.MEDICATION, severity=Severity.CRITICAL):
        _mark_absent(alert, absent=alert.key not in firing, today=today)
    return raised, resolved


def absent_since(alert: Alert) -> date | None:
    """The patient's local day a check first found an open critical alert's combination gone
    (it stays open for a clinician's note), or None while the combination is present."""
    value = alert.data.get(ABSENT_SINCE) if isinstance(alert.data, dict) else None
    return date.fromisoformat(value) if value else None


def _mark_absent(alert: Alert, *, absent: bool, today: date) -> None:
    """Say on an open critical alert whether its combination is still there: the title gains
    "· no longer present since <day>" (kept until the combination returns or a clinician closes
    it), so it can be closed knowingly; the title as raised is kept in ``data``."""
    since = absent_since(alert)
    if absent and since is None:
        alert.data = {**alert.data, ABSENT_SINCE: today.isoformat(), "title_as_raised": alert.title}
        alert.title = f"{alert.title} · no longer present since {today.day} {today:%b %Y}"[:200]
    elif not absent and since is not None:
        data = {k: v for k, v in alert.data.items() if k not in (ABSENT_SINCE, "title_as_raised")}
        alert.title = alert.data.get("title_as_raised", alert.title)
        alert.data = data
    else:
        return
    alert.save(update_fields=["data", "title"])


def do_recheck_patient(patient: User) -> tuple[int, int]:
    """Check a patient's list now and bring their medication alerts in step."""
    try:
        result = check_patient(patient)
    except MedsInputError:
        # Stored regimens passed the same check when written; a rules update that no longer
        # reads one must not stop the alert pass for everyone else. The page shows the error.
        return 0, 0
    return do_sync_medication_alerts(patient, result)


def do_medication_alert_pass() -> tuple[int, int]:
    """The periodic pass: every patient with a regimen checked today, or a medication alert open.

    Catches what time alone changes (a stopped MAOI leaving the 14-day window, a start date
    reached) without a regimen being edited.
    """
    since = timezone.localdate() - timedelta(days=LOOKBACK_DAYS + 1)
    ids = set(
        Regimen.objects.filter(patient__is_active=True, patient__role=Role.PATIENT)
        .exclude(stopped_on__lt=since)
        .values_list("patient_id", flat=True)
    )
    ids |= set(Alert.objects.open().filter(kind=AlertKind.MEDICATION).values_list("patient_id", flat=True))
    raised = resolved = 0
    for patient in User.objects.filter(pk__in=ids):
        r, c = do_recheck_patient(patient)
        raised += r
        resolved += c
    return raised, resolved


def patient_notes(hits: Iterable[Hit]) -> list[str]:
    """What the patient is told: one calm sentence per kind of concern, never a dose."""
    notes: list[str] = []
    for hit in alerted(hits):
        if hit.rule_id.startswith("R5"):
            note = PATIENT_NOTE_SEROTONIN
        elif hit.rule_id.startswith("R4"):
            note = PATIENT_NOTE_REVIEW
        else:
            note = PATIENT_NOTE
        if note not in notes:
            notes.append(note)
    return notes


def dual_use_note(regimen: Regimen) -> str:
    """§2.4: what a medicine that acts on both pain and mood is labelled for, and that it
    carries the antidepressant suicidality warning; "" for any other medicine."""
    found = lookup(regimen.generic) if regimen.generic else None
    if found is None or found.dual_use is None:
        return ""
    use = found.dual_use
    text = f"Acts on pain and mood ({use.drug_class}): US-labelled for {', '.join(use.labelled_indications)}."
    if use.off_label_pain_uses:
        text += f" Off-label in the US for {', '.join(use.off_label_pain_uses)}."
    return f"{text} {use.note} {use.suicidality_warning}".replace("  ", " ").strip()


def catalogue_names() -> list[str]:
    """Names the form suggests (the catalogue's; anything else may still be typed)."""
    return sorted(_catalogue_names())


def medication_statement(regimen: Regimen, on: date | None = None) -> dict[str, object]:
    """The regimen as a FHIR R4 MedicationStatement (clinical-reference §4.4, `core.meds.fhir`):
    status on the patient's local date, self-report (`informationSource` the patient) unless a
    clinician entered it (then that practitioner)."""
    day = on or timezone.localdate(timezone=regimen.patient.tzinfo)
    entry = item(regimen)
    by = regimen.created_by_id
    source = f"Practitioner/{by}" if by is not None and by != regimen.patient_id else f"Patient/{regimen.patient_id}"
    return _medication_statement(
        entry,
        subject=f"Patient/{regimen.patient_id}",
        status=status_for(entry, day),
        date_asserted=regimen.updated_at,
        information_source=source,
        resource_id=f"regimen-{regimen.pk}",
        reason=regimen.get_reason_display().lower(),
        note=regimen.notes or None,
    )
