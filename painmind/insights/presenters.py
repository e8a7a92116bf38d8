"""What the cycle pages show, built from a stored analysis: shared by "My cycle", the
clinician's view and the share-link page (which import this presenter, never the views).

Every finding shown to a person — both cycle arrows and every "what helps" row — is judged
together by `core.cycle.judge` (docs/cycle.md "When a finding is clear"), then put into words
by `phrasing` in the viewer's voice.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

from painmind.core.cycle.judge import MIN_PAIRS, Evidence, Verdict, judge
from painmind.insights.models import CycleAnalysis
from painmind.insights.phrasing import Statement, Voice, cycle_diagram, cycle_statement, edge, helps_statement

ARROWS = (("pain", "mood"), ("mood", "pain"))


def _num(x: Any) -> float:
    return float(x) if isinstance(x, int | float) and math.isfinite(x) else float("nan")


def evidence(result: dict[str, Any]) -> tuple[list[Evidence], list[dict[str, Any]]]:
    """The person's findings as the judge takes them (arrows first), and the "what helps" rows
    in the same order."""
    fit = result["fit"]
    out: list[Evidence] = []
    n_pairs = int(fit.get("n_pairs", 0))
    df = _num(result.get("df"))
    for source, target in ARROWS:
        e = edge(fit, source, target) if fit.get("status") == "ok" else None
        coef, se, std = (_num(e.get(k)) for k in ("coef", "se", "std_coef")) if e else (math.nan,) * 3
        scale = std / coef if coef else math.nan
        out.append(Evidence(f"{source}->{target}", True, coef, se, df, scale, n_pairs))
    rows = [h for h in result.get("helps", []) if h.get("se") is not None]
    for h in rows:
        per = float(h["per"]) or 1.0
        key = f"{h['factor']}->{h['outcome']}"
        coef, se, df_h, scale_h = _num(h["coef"]) / per, _num(h["se"]), _num(h["df"]), _num(h["scale"])
        out.append(Evidence(key, False, coef, se, df_h, scale_h, int(h["n_pairs"])))
    return out, rows


def statements(
    result: dict[str, Any], voice: Voice, prior: dict[str, tuple[float, float]] | None = None
) -> tuple[list[Statement], list[Statement]]:
    """(the two arrows, the clear "what helps" rows) in words, judged together, each estimate
    shrunk toward the site prior for its finding when there is one (`insights.cohort`)."""
    ev, rows = evidence(result)
    verdicts: list[Verdict] = judge(ev, prior=prior)
    if "non_stationary" in result["fit"].get("flags", []):
        # An explosive fit (spectral radius >= 1, docs/cycle.md "Guards") is no basis for a
        # directional sentence about the cycle.
        verdicts[:2] = [replace(v, clear=False) for v in verdicts[:2]]
    arrows = [cycle_statement(v, s, t, voice) for v, (s, t) in zip(verdicts[:2], ARROWS, strict=True)]
    helps = [
        helps_statement(v, h["factor"], h["outcome"], per=float(h["per"]), unit=h["unit"], voice=voice)
        for v, h in zip(verdicts[2:], rows, strict=True)
    ]
    return arrows, [s for s in helps if s.clear]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def cycle_context(
    analysis: CycleAnalysis, voice: Voice | None = None, prior: dict[str, tuple[float, float]] | None = None
) -> dict[str, Any]:
    """The template context of a cycle page, in the viewer's voice (the person by default);
    `prior`: the site priors (`insights.cohort.site_priors`), else the sceptical default."""
    voice = voice or Voice.you()
    result = analysis.result
    fit = result["fit"]
    ok = fit.get("status") == "ok"
    arrows, helps = statements(result, voice, prior) if ok or result.get("helps") else ([], [])
    pain_to_mood, mood_to_pain = arrows if arrows else (None, None)
    return {
        "analysis": analysis,
        "result": result,
        "fit": fit,
        "ok": ok,
        "voice": voice,
        "pain_to_mood": pain_to_mood,
        "mood_to_pain": mood_to_pain,
        "diagram": cycle_diagram(pain_to_mood, mood_to_pain, voice) if ok else "",
        "better": [s for s in helps if s.better],
        "harder": [s for s in helps if not s.better],
        "n_looked_at": len(result.get("helps", [])),
        "helps_all": result.get("helps", []),
        "min_pairs": MIN_PAIRS,
        # Findings were shrunk toward the site's cohort (insights/cohort.py), not only toward "no
        # link": the pages then say the diary was read alongside what is typical at this service.
        "site_prior": bool(prior),
        # Too few pairs for the kernel: how many more a sentence needs (judge.MIN_PAIRS).
        "more_pairs": max(MIN_PAIRS - int(fit.get("n_pairs", 0)), 0) if fit.get("status") == "insufficient_data" else 0,
        "first_day": _day(result.get("first_day")),
        "last_day": _day(result.get("last_day")),
    }
