"""The cycle and "what helps" in plain words: associations, never causes, with how sure we are.

Every sentence comes from a `core.cycle.judge.Verdict` (shrunk estimate, 95 % interval, clear or
not) and says "tended to", never "leads to" or "changes". A finding is *linked with better days*
or *linked with harder days*; stress and anxiety are symptoms, never "habits"; an activity → more
pain link comes with its pacing context (clinical-reference §9.2), never as a reason to rest.
The same words serve the person (second person) and the clinician or a share-link viewer
(third person): `Voice`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from painmind.core.checkin import LAST_NIGHT
from painmind.core.cycle.judge import Verdict
from painmind.core.selfcare.lifestyle import PACING_QUOTA_MET, RELAXATION_DONE, THOUGHT_RECORD_DONE
from painmind.insights.factors import ADHERENCE, AS_NEEDED, MEDICINE_FACTORS, MEDICINE_NOTE


@dataclass(frozen=True)
class Voice:
    """Who the sentences are about: ``Voice.you()`` on the person's own page, ``Voice.them(name)``
    for a clinician or a share-link viewer."""

    poss: str  # "your" | "their"
    subj: str  # "you" | "they"
    name: str  # "You" | "Alex Demo"
    second_person: bool

    @staticmethod
    def you() -> Voice:
        return Voice("your", "you", "You", True)

    @staticmethod
    def them(name: str) -> Voice:
        return Voice("their", "they", name, False)


# Factors: how a higher value reads. Stress and anxiety read as what a person felt, never as a
# habit. Whether a factor describes last night (so it goes with that same day's pain and mood) or
# the day (the next day's) is `core.checkin.LAST_NIGHT`.
FACTORS: dict[str, str] = {
    "sleep_hours": "{subj} slept {amount} more",
    "sleep_quality": "{poss} sleep was {amount} better",
    "activity_minutes": "{subj} were active for {amount} more",
    "social": "{subj} had {amount} more contact with people",
    "stress": "{poss} stress was {amount} higher",
    "anxiety": "{poss} anxiety was {amount} higher",
    # Medicines (issue 12; insights.factors): what was ticked, never a dose to aim for.
    ADHERENCE: "{subj} took {poss} regular medicines as planned (all scheduled doses rather than none)",
    AS_NEEDED: "{subj} took 1 more as-needed dose",  # per is 1 dose (the engine's step)
    # Lifestyle fields (issue 13; insights.factors.SELFCARE_FACTORS gives each `per`): what was
    # noted, never a target. Loneliness, like stress, reads as what a person felt.
    "exercise_minutes": "{subj} exercised for {amount} more",
    "meals": "{subj} had 1 more meal",
    "fruit_veg_portions": "{subj} had 1 more portion of fruit or vegetables",
    "caffeine_drinks": "{subj} had 1 more drink with caffeine",
    "alcohol_drinks": "{subj} had 1 more alcoholic drink",
    "outdoors_minutes": "{subj} spent {amount} more outdoors",
    "with_others_minutes": "{subj} spent {amount} more with other people",
    "loneliness": "{poss} loneliness was {amount} higher",
    "role_done": "{subj} did all of {poss} work or usual role rather than none",
    # Tool use (0/1 a day): the day of a session or record against a day without one.
    RELAXATION_DONE: "{subj} did a relaxation session (rather than none)",
    THOUGHT_RECORD_DONE: "{subj} wrote a thought record (rather than none)",
    PACING_QUOTA_MET: "{subj} met {poss} pacing quota (rather than not)",
}
# Factors whose link with more pain next day comes with the pacing context (clinical-reference §9.2).
ACTIVE_FACTORS = {"activity_minutes", "exercise_minutes"}
# Outcomes: which way is better.
HIGHER_IS_BETTER = {"pain": False, "mood": True}
PACING = (
    "Pain often rises for a while when activity goes up. Pacing — about the same amount every day, "
    "raised a little each week, rather than more on good days and less on bad ones — is the usual way "
    "to build activity without flare-ups. This is not a reason to stop being active; a care team can "
    "help with a pacing plan."
)


def number(x: float) -> str:
    """One decimal from 0.1 up, two below it, and 0 for nothing: "0.2", "1.4", "0.05", "0"."""
    x = abs(x)
    return "0" if x < 0.005 else f"{x:.1f}" if x >= 0.095 else f"{x:.2f}"


def amount(x: float, unit: str) -> str:
    shown = f"{x:g}" if x == round(x) else number(x)
    return f"{shown} {unit}{'' if x == 1 else 's'}"


@dataclass(frozen=True)
class Statement:
    """One finding in words, and what the page needs to place it."""

    key: str
    source: str
    target: str
    clear: bool
    better: bool | None  # a clear finding: linked with better (True) or harder (False) days
    text: str
    note: str = ""  # e.g. the pacing context


def _range(v: Verdict, per: float) -> tuple[str, str]:
    """("lower", "likely 0.1 to 0.4") for a clear finding; for one that is not clear, the whole
    range in words that do not pick a direction ("likely between 0.3 lower and 0.1 higher")."""
    est, low, high = (x * per if x is not None else math.nan for x in (v.estimate, v.low, v.high))
    way = "lower" if est < 0 else "higher"
    if v.clear:
        near, far = sorted((abs(low), abs(high)))
        return way, f"likely {number(near)} to {number(far)}"

    def signed(x: float) -> str:
        return number(x) if abs(x) < 0.005 else f"{number(x)} {'lower' if x < 0 else 'higher'}"

    return way, f"likely between {signed(low)} and {signed(high)}"


def _pairs(v: Verdict) -> str:
    return f"{v.n_pairs} pairs of days"


def cycle_statement(v: Verdict, source: str, target: str, voice: Voice) -> Statement:
    """Pain → next day's mood, or mood → next day's pain."""
    lead = (
        "On days after 1 point more pain than usual"
        if source == "pain"
        else "On days after 1 point better mood than usual"
    )
    what = f"{voice.poss} {target} the next day"
    key = f"{source}->{target}"
    if v.reason == "needs_pairs":
        text = (
            f"Not enough days yet to say how {voice.poss} {source} goes with {what}: {v.n_more} more pairs of "
            f"check-ins on consecutive days are needed (there are {v.n_pairs})."
        )
        return Statement(key, source, target, False, None, text)
    if v.reason is not None or v.estimate is None:
        return Statement(
            key,
            source,
            target,
            False,
            None,
            f"How {voice.poss} {source} goes with {what} can't be worked out from this diary.",
        )
    way, likely = _range(v, 1.0)
    if not v.clear and v.low is not None and v.high is not None and (v.low > 0 or v.high < 0):
        # The 95 % interval is on one side of 0, but the finding did not pass the test that allows
        # for every link looked at (judge rule 4): say which way it leans and that it is not clear.
        after = f"after more {source}" if source == "pain" else "the day after better mood"
        text = (
            f"Not clear yet: {voice.poss} {target} the next day may tend to be {way} {after} ({likely}, "
            f"from {_pairs(v)}), but not clearly enough once we allow for all the links we looked at."
        )
        return Statement(key, source, target, False, None, text)
    if not v.clear:
        text = (
            f"Not clear yet whether {what} tends to be higher or lower after more {source} "
            f"({likely}, from {_pairs(v)})."
            if source == "pain"
            else f"Not clear yet whether {voice.poss} pain tends to be higher or lower the day after better mood "
            f"({likely}, from {_pairs(v)})."
        )
        return Statement(key, source, target, False, None, text)
    better = (v.estimate > 0) == HIGHER_IS_BETTER[target]
    text = (
        f"{lead}, {voice.poss} {target} tended to be {way} the next day (by about {number(v.estimate)} points, "
        f"{likely}, from {_pairs(v)})."
    )
    return Statement(key, source, target, True, better, text)


def helps_statement(v: Verdict, factor: str, outcome: str, *, per: float, unit: str, voice: Voice) -> Statement:
    """A factor and the pain or mood that goes with it: that same day for last night's sleep,
    the next day for the day's activity, contact, stress and anxiety."""
    phrase = FACTORS.get(factor, "{poss} " + factor.replace("_", " ") + " was {amount} higher")
    key = f"{factor}->{outcome}"
    factor_words = phrase.format(subj=voice.subj, poss=voice.poss, amount=amount(per, unit))
    if v.estimate is None or not v.clear:
        return Statement(key, factor, outcome, False, None, "")
    way, likely = _range(v, per)
    if factor in LAST_NIGHT:
        lead = f"After nights when {factor_words}"
        that = f"{voice.poss} {outcome} that day"
    else:
        lead = f"On days when {factor_words}"
        that = f"{voice.poss} {outcome} the next day"
    better = (v.estimate > 0) == HIGHER_IS_BETTER.get(outcome, True)
    text = (
        f"{lead}, {that} tended to be {way} (by about {number(v.estimate * per)} points, {likely}, from {_pairs(v)})."
    )
    note = PACING if factor in ACTIVE_FACTORS and outcome == "pain" and not better else ""
    if factor in MEDICINE_FACTORS:
        note = MEDICINE_NOTE  # a link with a medicine is never advice to change how it is taken
    return Statement(key, factor, outcome, True, better, text, note)


def cycle_diagram(pain_to_mood: Statement | None, mood_to_pain: Statement | None, voice: Voice) -> SafeString:
    """Two nodes and two arrows: solid for a clear link, dashed when it is not clear yet."""

    def arrow(s: Statement | None, path: str) -> str:
        if s is None:
            return ""
        dash = "" if s.clear else ' stroke-dasharray="6 5"'
        return f'<path d="{path}" fill="none" stroke="#1f5fa8" stroke-width="3"{dash} marker-end="url(#head)"/>'

    title = f"{voice.poss.capitalize()} pain–mood cycle. " + " ".join(s.text for s in (pain_to_mood, mood_to_pain) if s)
    svg = (
        '<svg class="cycle-diagram" viewBox="0 0 360 170" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
        '<defs><marker id="head" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1f5fa8"/></marker></defs>'
        '<circle cx="70" cy="85" r="44" fill="#fbeedd" stroke="#b7791f"/>'
        '<text x="70" y="91" text-anchor="middle" class="node">Pain</text>'
        '<circle cx="290" cy="85" r="44" fill="#e8eef8" stroke="#1f5fa8"/>'
        '<text x="290" y="91" text-anchor="middle" class="node">Mood</text>'
        f"{arrow(pain_to_mood, 'M110,62 Q180,15 248,62')}"
        f"{arrow(mood_to_pain, 'M250,108 Q180,155 112,108')}"
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - the only interpolated text is escaped


def edge(fit: dict[str, Any], source: str, target: str) -> dict[str, Any] | None:
    return next((e for e in fit.get("edges", []) if e["from"] == source and e["to"] == target), None)
