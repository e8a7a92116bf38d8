"""The patient's "My cycle" page and the clinician's technical view of it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from painmind.accounts.audit import Actor
from painmind.insights.access import get_cycle_for_user
from painmind.insights.analysis import MIN_PAIRS
from painmind.insights.models import CycleAnalysis
from painmind.insights.phrasing import cycle_diagram, direction

FDR_LEVEL = 0.05


def cycle_context(analysis: CycleAnalysis) -> dict[str, Any]:
    result = analysis.result
    fit = result["fit"]
    ok = fit.get("status") == "ok"
    pain_to_mood = direction(fit, "pain", "mood") if ok else None
    mood_to_pain = direction(fit, "mood", "pain") if ok else None
    helps = [h for h in result.get("helps", []) if h["ci_low"] is not None]
    return {
        "analysis": analysis,
        "result": result,
        "fit": fit,
        "ok": ok,
        "pain_to_mood": pain_to_mood,
        "mood_to_pain": mood_to_pain,
        "diagram": cycle_diagram(pain_to_mood, mood_to_pain) if ok else "",
        # FDR-controlled: only findings whose Benjamini-Hochberg q (across this person's tests)
        # is at most FDR_LEVEL are called out to the patient.
        "helps_clear": [h for h in helps if h["q"] is not None and h["q"] <= FDR_LEVEL][:5],
        "fdr_level": FDR_LEVEL,
        "helps_all": helps,
        "min_pairs": MIN_PAIRS,
    }


@login_required
def my_cycle(request: HttpRequest) -> HttpResponse:
    _, analysis = get_cycle_for_user(Actor.from_request(request, "web"))
    return render(request, "insights/my_cycle.html", cycle_context(analysis))


@login_required
def patient_cycle(request: HttpRequest, patient_id: int) -> HttpResponse:
    if not request.user.is_clinician:  # type: ignore[union-attr]
        raise Http404("No such patient.")
    patient, analysis = get_cycle_for_user(Actor.from_request(request, "web"), patient_id)
    return render(request, "insights/patient_cycle.html", {"patient": patient, **cycle_context(analysis)})
