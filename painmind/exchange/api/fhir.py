"""FHIR R4 over JSON: a patient's Bundle out (own, or a consenting clinician's patient) and a
Bundle of questionnaire responses and diary values in (own diary, with a dry run)."""

from __future__ import annotations

from typing import Any

from ninja import Body, Query, Router, Schema, Status

from painmind.accounts.access import get_own_patient
from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.core.fhir import BundleError
from painmind.exchange.fhir.export import patient_bundle
from painmind.exchange.fhir.imports import do_import_fhir_bundle
from painmind.lib.api import ErrorOut, error_body

router = Router(tags=["exchange"])


class ExportQuery(Schema):
    name: bool = False  # include the patient's name (a pseudonymous identifier otherwise)


class ImportQuery(Schema):
    dry_run: bool = False


class ImportOut(Schema):
    dry_run: bool
    responses: dict[str, int]
    checkins: dict[str, int]
    skipped: list[dict[str, Any]]


@router.get("/fhir", response={200: dict[str, Any], 404: ErrorOut})
def own_fhir_bundle(request: AuthedRequest, q: Query[ExportQuery]) -> dict[str, object]:
    """Your data as a FHIR R4 Bundle (type collection): docs/exchange.md, "FHIR". 404 for
    anyone who is not a patient."""
    return patient_bundle(actor(request), None, with_name=q.name)


@router.get("/patients/{patient_id}/fhir", response={200: dict[str, Any], 404: ErrorOut})
def patient_fhir_bundle(request: AuthedRequest, patient_id: int, q: Query[ExportQuery]) -> dict[str, object]:
    """A consenting patient's data as a FHIR R4 Bundle; 404 without active consent. Audited."""
    return patient_bundle(actor(request), patient_id, with_name=q.name)


@router.post("/fhir", response={200: ImportOut, 404: ErrorOut, 422: ErrorOut})
def import_fhir_bundle(request: AuthedRequest, q: Query[ImportQuery], bundle: Body[dict[str, Any]]) -> Status[Any]:
    """Import a Bundle of QuestionnaireResponses and diary Observations into your diary.

    Validated whole before any write (R4B, then PainMind's own rules); every error names the
    entry and field; `dry_run=true` reports what would be imported. Importing the same Bundle
    again adds nothing.
    """
    who = actor(request)
    patient = get_own_patient(who)
    try:
        report = do_import_fhir_bundle(who, patient, bundle, dry_run=q.dry_run)
    except BundleError as exc:
        return Status(422, error_body("Invalid FHIR Bundle: nothing was imported.", exc.errors))
    return Status(200, report.to_dict())
