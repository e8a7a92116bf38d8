"""Research pages: the patient's opt-in (linked from the sharing page) and the researcher's download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.exchange.research.access import (
    can_export_research,
    get_research_cohort_for_user,
    get_research_consent_for_user,
)
from painmind.exchange.research.actions import do_opt_in_research, do_opt_out_research
from painmind.exchange.research.files import FORMATS, Format, zip_bytes
from painmind.exchange.research.tables import research_tables


@login_required
def research_consent(request: AuthedRequest) -> HttpResponse:
    """GET: whether the patient's de-identified data are in research exports; POST: change it."""
    actor = Actor.from_request(request, "web")
    if request.method == "POST":
        if request.POST.get("choice") == "in":
            do_opt_in_research(actor)
            messages.success(request, "Thank you. Your de-identified data will be in future research exports.")
        elif request.POST.get("choice") == "out":
            do_opt_out_research(actor)
            messages.success(request, "Done. Your data will not be in any future research export.")
        else:
            messages.error(request, "Choose whether to take part.")
        return redirect("exchange:research_consent")
    consent = get_research_consent_for_user(actor)
    return render(request, "exchange/research_consent.html", {"consent": consent})


@login_required
def research_export_page(request: AuthedRequest) -> HttpResponse:
    """Researchers and administrators: what the export holds, and the download buttons."""
    if not can_export_research(Actor.from_request(request, "web")):
        raise Http404("No such page.")
    return render(request, "exchange/research_export.html", {"formats": FORMATS})


@login_required
@require_POST
def research_export_download(request: AuthedRequest) -> HttpResponse:
    """The export as a zip (a POST: each download is an audited export, not a page view)."""
    fmt: Format = "csv" if request.POST.get("format") == "csv" else "parquet"
    patients = get_research_cohort_for_user(Actor.from_request(request, "web"))
    body = zip_bytes(research_tables(patients), fmt)
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="painmind-research-{fmt}.zip"'
    return response
