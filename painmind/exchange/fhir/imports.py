"""Import a FHIR R4 Bundle of QuestionnaireResponses and diary Observations for one patient.

Validated whole before any write: the R4B models (`validate.check_r4b`), then PainMind's own
reading (`core.fhir.read_bundle`), then every answer set scored and every check-in cleaned
exactly as the recording actions will. Only then, in one transaction, each response goes
through `diary.actions.do_record_response` (so a PHQ-9 item 9 above 0 raises the alert, as on
the form) and each check-in through `do_record_checkin`.

Idempotent without a new model: each record's `client_id` is a uuid5 of its content (kind,
instrument, time, answers or values), so the diary's unique (patient, client_id) index
recognises a re-import and the recording action returns the stored row with no side effects.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.core.checkin import CheckInError, check_recorded_at, clean_checkin
from painmind.core.fhir import BundleError, Skipped, read_bundle
from painmind.core.instruments import InvalidAnswers, score
from painmind.diary.actions import do_record_checkin, do_record_response
from painmind.diary.instruments import scoring_options, site_instruments
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.exchange.fhir.validate import check_r4b

# uuid5 namespace of imported records' client ids (never change: re-imports would duplicate).
KEY_NAMESPACE = uuid.UUID("0d7c3c35-84a9-4c44-8f86-5f0c2f9b3e61")


def content_key(kind: str, at: datetime, content: object) -> uuid.UUID:
    """The client id of one imported record: uuid5 of its kind, UTC instant and content."""
    instant = at.astimezone(UTC).isoformat()
    return uuid.uuid5(KEY_NAMESPACE, f"{kind}|{instant}|{json.dumps(content, sort_keys=True)}")


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    dry_run: bool
    responses_new: int = 0
    responses_present: int = 0
    checkins_new: int = 0
    checkins_present: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "responses": {"new": self.responses_new, "already_present": self.responses_present},
            "checkins": {"new": self.checkins_new, "already_present": self.checkins_present},
            "skipped": [{"entry": s.entry, "resource_type": s.resource_type, "reason": s.reason} for s in self.skipped],
        }

    def summary(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{verb} {self.responses_new} questionnaire responses and {self.checkins_new} check-ins"
            f" ({self.responses_present + self.checkins_present} already present, {len(self.skipped)} entries skipped)"
        )


def do_import_fhir_bundle(actor: Actor, patient: User, data: object, *, dry_run: bool = False) -> ImportReport:
    """Import `data` (a parsed JSON Bundle) into `patient`'s diary (access checked by the caller).

    Raises `BundleError` naming each bad entry and field, having written nothing. With
    `dry_run`, nothing is written and the report says what would be. Audited as one event when
    the actor is not the patient.
    """
    check_r4b(data)
    instruments = {i.id: i for i in site_instruments() if i.available}
    contents = read_bundle(data, instruments=instruments)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    responses = []
    for r in sorted(contents.responses, key=lambda r: (r.completed_at, r.entry)):
        where = f"entry[{r.entry}].resource"
        try:
            result = score(r.instrument, r.answers, options=scoring_options())
            check_recorded_at(r.completed_at, now)
        except InvalidAnswers as exc:
            errors.setdefault(f"{where}.item", []).extend(exc.errors.values())
            continue
        except CheckInError:
            errors.setdefault(f"{where}.authored", []).append("cannot be in the future")
            continue
        if all(v is None for v in result.answers):
            errors.setdefault(f"{where}.item", []).append("no question was answered")
            continue
        key = content_key(f"response:{r.instrument.id}", r.completed_at, r.answers)
        responses.append((r, key))
    checkins = []
    for c in sorted(contents.checkins, key=lambda c: (c.recorded_at, c.entries)):
        where = f"entry[{c.entries[0]}].resource"
        try:
            cleaned = clean_checkin(c.values)
            check_recorded_at(c.recorded_at, now)
        except CheckInError as exc:
            for name, reasons in exc.errors.items():
                place = "effectiveDateTime" if name == "recorded_at" else f"value ({name})"
                errors.setdefault(f"{where}.{place}", []).extend(reasons)
            continue
        checkins.append((c, cleaned, content_key("checkin", c.recorded_at, c.values)))
    if errors:
        raise BundleError(errors)
    present_r = set(
        QuestionnaireResponse.objects.filter(patient=patient, client_id__in=[k for _, k in responses]).values_list(
            "client_id", flat=True
        )
    )
    present_c = set(
        CheckIn.objects.filter(patient=patient, client_id__in=[k for *_, k in checkins]).values_list(
            "client_id", flat=True
        )
    )
    report = ImportReport(
        dry_run=dry_run,
        responses_new=sum(k not in present_r for _, k in responses),
        responses_present=sum(k in present_r for _, k in responses),
        checkins_new=sum(k not in present_c for *_, k in checkins),
        checkins_present=sum(k in present_c for *_, k in checkins),
        skipped=contents.skipped,
    )
    if dry_run:
        return report
    with transaction.atomic():
        for r, key in responses:
            do_record_response(actor, patient, r.instrument.id, r.answers, client_id=key, completed_at=r.completed_at)
        for c, cleaned, key in checkins:
            do_record_checkin(actor, patient, cleaned, recorded_at=c.recorded_at, client_id=key)
        record(actor, patient, AuditAction.CREATE, "fhir_import", detail=report.summary())
    return report
