"""What the cycle pages show, built from a stored analysis: shared by "My cycle", the
clinician's view and the share-link page (which import this presenter, never the views)."""

from __future__ import annotations

from typing import Any

from painmind.insights.analysis import MIN_PAIRS
from painmind.insights.models import CycleAnalysis
from painmind.insights.phrasing import cycle_diagram, direction

FDR_LEVEL = 0.05


def cycle_context(analysis: CycleAnalysis) -> dict[str, Any]:
    """The template context of a cycle page: the two directions in words, the diagram, the clear
    "what helps" findings and all of them for the technical table."""
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
