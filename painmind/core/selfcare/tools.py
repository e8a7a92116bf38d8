"""The self-management tools by key, and how a care-plan intervention ties to one (issue 13).

`careplan` and `selfcare` are siblings in one import layer and may not import each other, so
the tool keys both need live here: careplan stores a tied tool's key on an intervention,
selfcare knows what a *use* of each tool is (`usage`) and whether the patient shares it.

PROJECT RULES (docs/selfcare.md "Care-plan ties"): only interventions of the CBT and lifestyle
strategies tie to a tool (the issue: "interventions of the CBT and lifestyle strategies"); a tie
may carry how many uses a week the plan asks for, 1–21 (at most three a day).
"""

from __future__ import annotations

from typing import Final

# key: label, in the order pages list them (the same keys as selfcare.models.Tool).
TOOL_LABELS: Final[dict[str, str]] = {
    "thought_records": "Thought records",
    "pacing": "Pacing plans",
    "relaxation": "Relaxation sessions",
    "activities": "Activities (behavioural activation)",
    "lifestyle": "Lifestyle fields",
}
TIED_STRATEGIES: Final[tuple[str, ...]] = ("cbt", "lifestyle")
PER_WEEK_MIN: Final[int] = 1
PER_WEEK_MAX: Final[int] = 21
# What one use of each tool is called (usage.py: what counts as a use), singular and plural.
USE_NOUNS: Final[dict[str, tuple[str, str]]] = {
    "thought_records": ("thought record", "thought records"),
    "pacing": ("pacing session", "pacing sessions"),
    "relaxation": ("relaxation session", "relaxation sessions"),
    "activities": ("activity done", "activities done"),
    "lifestyle": ("day with lifestyle fields", "days with lifestyle fields"),
}
