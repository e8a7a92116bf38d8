"""The report on the web: the printable page and the PDF download, for the patient (own) and
for a consenting clinician (from the patient page). `?days=28|90|365` picks the period."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.exchange.report.content import DEFAULT_PERIOD, Format, Report, get_report_for_user
from painmind.exchange.report.render import render_html, render_pdf
from painmind.lib.errors import ActionError


def pdf_response(report: Report) -> HttpResponse:
    response = HttpResponse(render_pdf(report), content_type="application/pdf")
    name = f"painmind-report-{report.today:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _period(raw: str | None) -> int:
    try:
        return int(raw) if raw else DEFAULT_PERIOD
    except ValueError:
        return -1  # refused with the allowed values by get_report_for_user


def _respond(request: AuthedRequest, patient_id: int | None, fmt: Format) -> HttpResponse:
    actor = Actor.from_request(request, "web")
    try:
        report = get_report_for_user(actor, patient_id, period_days=_period(request.GET.get("days")), fmt=fmt)
    except ActionError as exc:
        return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")
    if fmt == "pdf":
        return pdf_response(report)
    return HttpResponse(render_html(report))


@login_required
def my_report(request: AuthedRequest) -> HttpResponse:
    return _respond(request, None, "html")


@login_required
def my_report_pdf(request: AuthedRequest) -> HttpResponse:
    return _respond(request, None, "pdf")


@login_required
def patient_report(request: AuthedRequest, patient_id: int) -> HttpResponse:
    if not request.user.is_clinician:
        raise Http404("No such patient.")
    return _respond(request, patient_id, "html")


@login_required
def patient_report_pdf(request: AuthedRequest, patient_id: int) -> HttpResponse:
    if not request.user.is_clinician:
        raise Http404("No such patient.")
    return _respond(request, patient_id, "pdf")
