"""The report over the API: the same one-page PDF as the web's download."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Router

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.exchange.report.content import DEFAULT_PERIOD, get_report_for_user
from painmind.exchange.report.views import pdf_response
from painmind.lib.api import ErrorOut

router = Router(tags=["exchange"])

PDF = {
    "responses": {
        200: {
            "description": "The one-page report (A4 or Letter, the site's PAINMIND_REPORT_PAPER)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get("/report.pdf", response={200: None, 404: ErrorOut}, openapi_extra=PDF)
def my_report(request: AuthedRequest, days: int = DEFAULT_PERIOD) -> HttpResponse:
    """Your one-page report in plain language (days: 28, 90 or 365)."""
    return pdf_response(get_report_for_user(actor(request), None, period_days=days, fmt="pdf"))


@router.get("/patients/{patient_id}/report.pdf", response={200: None, 404: ErrorOut}, openapi_extra=PDF)
def patient_report(request: AuthedRequest, patient_id: int, days: int = DEFAULT_PERIOD) -> HttpResponse:
    """Clinicians: a consenting patient's one-page report (404 without active consent). Audited."""
    return pdf_response(get_report_for_user(actor(request), patient_id, period_days=days, fmt="pdf"))
