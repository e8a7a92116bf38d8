"""The care plan's tied interventions in words (issue 13): "5 relaxation sessions in the last 28
days; this week 2 of 3". Registered with `core.selfcare.tie_sources` from the app's ready(), so
the plan pages (the patient's and the clinician's), the plan API and the clinician's patient
page show it.

PROJECT RULE (per-tool sharing): a tool the patient keeps private is "not shared" to the team
and never counted for them; the patient always sees their own counts, with a note when the team
does not.
"""

from __future__ import annotations

from django.http import Http404

from painmind.accounts.audit import Actor
from painmind.core.selfcare.tie_sources import Tie
from painmind.core.selfcare.usage import tie_text
from painmind.selfcare.access import get_tool_uses_for_user

NOT_SHARED = "not shared by the patient"
PRIVATE_NOTE = " (you keep this tool private: your team does not see it)"


def intervention_tool_usage(actor: Actor, patient_id: int, ties: list[Tie]) -> dict[int, str]:
    """``{intervention id: usage line}`` for the ties this viewer's plan shows."""
    try:
        _, uses = get_tool_uses_for_user(actor, patient_id, {t.tool for t in ties})
    except Http404:
        return {}  # a viewer with no access to tools (none reach the plan today) sees no line
    own = actor.user is not None and actor.user.pk == patient_id
    out: dict[int, str] = {}
    for tie in ties:
        use = uses.get(tie.tool)
        if use is None:
            continue
        if not use.visible:
            out[tie.intervention_id] = NOT_SHARED
            continue
        text = tie_text(tie.tool, recent=use.recent, this_week=use.this_week, per_week=tie.per_week)
        out[tie.intervention_id] = text + (PRIVATE_NOTE if own and not use.shared else "")
    return out
