"""The patient's "My cycle" page and the clinician's technical view of it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.cycle.judge import MIN_PAIRS
from painmind.insights.access import get_cycle_for_user
from painmind.insights.actions import do_refresh_cycle_for_user
from painmind.insights.cohort import site_priors
from painmind.insights.phrasing import Voice
from painmind.insights.presenters import cycle_context


@login_required
def my_cycle(request: AuthedRequest) -> HttpResponse:
    actor = Actor.from_request(request, "web")
    do_refresh_cycle_for_user(actor)
    _, analysis = get_cycle_for_user(actor)
    return render(request, "insights/my_cycle.html", cycle_context(analysis, prior=site_priors()))


@login_required
def method(request: AuthedRequest) -> HttpResponse:
    """How the cycle page works it out, in plain words (the method, kept off the cycle page)."""
    return render(request, "insights/method.html", {"min_pairs": MIN_PAIRS, "site_prior": bool(site_priors())})


@login_required
def patient_cycle(request: AuthedRequest, patient_id: int) -> HttpResponse:
    if not request.user.is_clinician:
        raise Http404("No such patient.")
    actor = Actor.from_request(request, "web")
    do_refresh_cycle_for_user(actor, patient_id)
    patient, analysis = get_cycle_for_user(actor, patient_id)
    voice = Voice.them(patient.display_name or patient.email)
    return render(
        request, "insights/patient_cycle.html", {"patient": patient, **cycle_context(analysis, voice, site_priors())}
    )
