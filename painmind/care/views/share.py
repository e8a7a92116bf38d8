"""The public, read-only page behind a patient's share link (no sign-in; every view audited)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from painmind.accounts.access import get_share_link_for_token
from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction
from painmind.diary.access import get_checkins_for_user, get_responses_for_user
from painmind.diary.instruments import site_instruments
from painmind.diary.presenters import history_context
from painmind.insights.access import get_cycle_for_user
from painmind.insights.actions import do_refresh_cycle_for_user
from painmind.insights.cohort import site_priors
from painmind.insights.phrasing import Voice
from painmind.insights.presenters import cycle_context

# As on the clinician's diary page: about half a year of daily check-ins.
CHECKIN_LIMIT = 200
SECTION_NAMES = {"checkins": "check-ins", "questionnaires": "questionnaires", "cycle": "cycle"}


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the whole secret: keep it out of Referer headers, caches and search engines.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """Only the sections the patient chose; unknown, expired and revoked links all get one 404 page."""
    try:
        link = get_share_link_for_token(token)
    except Http404:
        return _private(render(request, "care/shared_invalid.html", status=404))
    if request.method == "HEAD":
        # A link checker or a chat app's preview asks HEAD: the link works, but nobody saw the
        # data, so nothing is loaded and nothing lands in the patient's access log.
        return _private(HttpResponse(content_type="text/html; charset=utf-8"))
    actor = Actor.for_link(request, link)
    pid = link.patient_id
    ctx: dict[str, Any] = {"link": link, "patient": link.patient}
    try:
        if link.checkins:
            _, ctx["entries"] = get_checkins_for_user(actor, pid, limit=CHECKIN_LIMIT)
        if link.questionnaires:
            _, responses = get_responses_for_user(actor, pid)
            ctx["histories"] = [
                history_context(instrument, [r for r in responses if r.instrument == instrument.id])
                for instrument in site_instruments()
                if any(r.instrument == instrument.id for r in responses)
            ]
        if link.cycle:
            do_refresh_cycle_for_user(actor, pid)
            _, analysis = get_cycle_for_user(actor, pid)
            patient = link.patient
            ctx.update(cycle_context(analysis, Voice.them(patient.display_name or "this person"), site_priors()))
    except Http404:
        # Revoked or expired between the token check and a section: show nothing at all.
        return _private(render(request, "care/shared_invalid.html", status=404))
    shown = ", ".join(SECTION_NAMES[s] for s in sorted(link.scopes))
    record(actor, link.patient, AuditAction.VIEW, "share_link", object_id=link.pk, detail=f"showed {shown}")
    return _private(render(request, "care/shared_page.html", ctx))
