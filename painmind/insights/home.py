"""The latest "what seems to matter" finding, in one sentence, on the patient's home page (a
`diary.hooks` home section).

Only a sentence the judge calls clear (`presenters.statements`, the same one "My cycle" shows),
in the second person, a link to "better" days first. The home page reads the analysis last
stored and never runs the model itself (a project rule, docs/patient.md "Home"): the home is
shown after every check-in and must stay fast; "My cycle" brings the analysis up to date.
"""

from __future__ import annotations

from typing import Any

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.insights.access import get_cycle_for_user
from painmind.insights.cohort import site_priors
from painmind.insights.models import CycleAnalysis
from painmind.insights.phrasing import Voice
from painmind.insights.presenters import statements


def finding_section(actor: Actor, patient: User) -> dict[str, Any] | None:
    try:
        _, analysis = get_cycle_for_user(actor)
    except CycleAnalysis.DoesNotExist:
        return None
    result = analysis.result
    ok = result.get("fit", {}).get("status") == "ok"
    if not (ok or result.get("helps")):
        return None
    _, helps = statements(result, Voice.you(), site_priors())
    if not helps:
        return None
    best = next((s for s in helps if s.better), helps[0])
    return {"template": "insights/_home_finding.html", "order": 30, "statement": best, "analysis": analysis}
