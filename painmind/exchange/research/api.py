"""Research over the API: the patient's opt-in, and the researcher's export (a zip)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.exchange.models import ResearchConsent
from painmind.exchange.research.access import get_research_cohort_for_user, get_research_consent_for_user
from painmind.exchange.research.actions import do_opt_in_research, do_opt_out_research
from painmind.exchange.research.files import zip_bytes
from painmind.exchange.research.tables import research_tables
from painmind.lib.api import ErrorOut

router = Router(tags=["research"])


class ResearchConsentOut(Schema):
    active: bool
    granted_at: datetime | None = None

    @staticmethod
    def of(consent: ResearchConsent | None) -> ResearchConsentOut:
        if consent is None or not consent.is_active:
            return ResearchConsentOut(active=False)
        return ResearchConsentOut(active=True, granted_at=consent.granted_at)


@router.get("/me/research-consent", response={200: ResearchConsentOut, 404: ErrorOut})
def get_research_consent(request: AuthedRequest) -> Status[Any]:
    """Patients: whether your de-identified data go into research exports."""
    return Status(200, ResearchConsentOut.of(get_research_consent_for_user(actor(request))))


@router.post("/me/research-consent", response={200: ResearchConsentOut, 201: ResearchConsentOut, 404: ErrorOut})
def opt_in_research(request: AuthedRequest) -> Status[Any]:
    """Patients: opt in to research use (separate from sharing with clinicians). 201 when new,
    200 when you were already in."""
    consent, created = do_opt_in_research(actor(request))
    return Status(201 if created else 200, ResearchConsentOut.of(consent))


@router.delete("/me/research-consent", response={200: ResearchConsentOut, 404: ErrorOut})
def opt_out_research(request: AuthedRequest) -> Status[Any]:
    """Patients: stop research use; later exports leave you out (copies already taken stay)."""
    do_opt_out_research(actor(request))
    return Status(200, ResearchConsentOut(active=False))


class ExportQuery(Schema):
    format: Literal["parquet", "csv"] = "parquet"


@router.get("/research/export", response={200: None, 404: ErrorOut}, openapi_extra={"responses": {200: {
    "description": "A zip: checkins, scores, medicines, tools (.parquet or .csv) and README.txt",
    "content": {"application/zip": {}}}}})  # fmt: skip
def research_export(request: AuthedRequest, query: Query[ExportQuery]) -> HttpResponse:
    """Researchers and administrators: the opted-in cohort, de-identified (docs/exchange.md).
    Audited on every patient in it."""
    patients = get_research_cohort_for_user(actor(request))
    response = HttpResponse(zip_bytes(research_tables(patients), query.format), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="painmind-research-{query.format}.zip"'
    return response
