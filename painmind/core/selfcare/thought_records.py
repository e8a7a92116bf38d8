"""Thought records (clinical-reference §9.1): the 7-column record and the 5-column form,
Burns' ten distortions, the three catastrophizing facets, validation and history summaries.

The 7 columns: situation; emotions each 0–100; automatic thoughts with the hot thought marked
and belief 0–100; evidence for; evidence against; a balanced thought with belief 0–100; each
emotion re-rated 0–100. The 5-column form drops the two evidence columns. The outcome that
matters is the change from the first rating to the re-rating, per emotion (§9.1).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

FORMS = {"seven": "7 columns", "five": "5 columns"}
RATING_MIN, RATING_MAX = 0, 100
TEXT_MAX_CHARS = 2000
NAME_MAX_CHARS = 60
MAX_EMOTIONS = 10
MAX_THOUGHTS = 10

# Burns' ten distortions (§9.1), each with the project's own one-line plain explanation.
DISTORTIONS: dict[str, tuple[str, str]] = {
    "all_or_nothing": ("All-or-nothing thinking", "Seeing things as total success or total failure, nothing between."),
    "overgeneralization": ("Overgeneralization", "Treating one bad event as a pattern that will keep repeating."),
    "mental_filter": ("Mental filter", "Dwelling on one negative detail until it colours everything."),
    "discounting_positive": ("Discounting the positive", "Telling yourself the good things don't count."),
    "jumping_to_conclusions": (
        "Jumping to conclusions",
        "Assuming what others think (mind reading) or how things will turn out (fortune telling).",
    ),
    "magnification": (
        "Magnification or minimization",
        "Blowing problems up into catastrophes, or shrinking your strengths.",
    ),
    "emotional_reasoning": ("Emotional reasoning", "Taking a feeling as proof: “I feel useless, so I am.”"),
    "should_statements": ("Should statements", "Holding yourself or others to rigid “should” and “must” rules."),
    "labeling": ("Labeling", "Calling yourself a name instead of describing what happened."),
    "personalization": (
        "Personalization and blame",
        "Taking all the blame for something not fully in your control, or putting it all on others.",
    ),
}
# The three facets of pain catastrophizing (§9.1; the PCS subscales, §1.6).
CATASTROPHIZING_FACETS: dict[str, tuple[str, str]] = {
    "rumination": ("Rumination", "Can't stop thinking about the pain."),
    "magnification": ("Magnification", "Expecting the pain to mean something serious or to get much worse."),
    "helplessness": ("Helplessness", "Feeling there is nothing you can do about the pain."),
}


class RecordError(ValueError):
    """An invalid thought record; `errors` maps each field to the reasons."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{f}: {' '.join(m)}" for f, m in errors.items()))


def _rating(value: object, field: str, errors: dict[str, list[str]], *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            errors.setdefault(field, []).append("is required")
        return None
    if isinstance(value, bool):
        errors.setdefault(field, []).append(f"must be a whole number from {RATING_MIN} to {RATING_MAX}")
        return None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number != int(number) or not RATING_MIN <= number <= RATING_MAX:
        errors.setdefault(field, []).append(f"must be a whole number from {RATING_MIN} to {RATING_MAX}")
        return None
    return int(number)


def _text(
    value: object, field: str, errors: dict[str, list[str]], *, required: bool, limit: int = TEXT_MAX_CHARS
) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors.setdefault(field, []).append("is required")
    if len(text) > limit:
        errors.setdefault(field, []).append(f"must be at most {limit} characters")
    return text


def _ids(value: object, field: str, known: Mapping[str, object], errors: dict[str, list[str]]) -> list[str]:
    if value is None or value == "":
        return []
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else None
    if items is None:
        errors.setdefault(field, []).append("must be a list of ids")
        return []
    unknown = [str(i) for i in items if str(i) not in known]
    if unknown:
        errors.setdefault(field, []).append(f"unknown: {', '.join(unknown)} (known: {', '.join(known)})")
        return []
    return [k for k in known if k in {str(i) for i in items}]  # canonical order, no repeats


def clean_record(data: Mapping[str, Any]) -> dict[str, Any]:
    """A thought record's values, checked and normalised; RecordError naming every bad field.

    `emotions`: ``[{name, before, after}]`` (after may be missing until re-rated);
    `thoughts`: ``[{text, belief, hot}]``, exactly one hot (a single thought is the hot one).
    """
    errors: dict[str, list[str]] = {}
    form = str(data.get("form") or "seven")
    if form not in FORMS:
        errors["form"] = [f"must be one of: {', '.join(FORMS)} (got {form!r})"]
    situation = _text(data.get("situation"), "situation", errors, required=True)
    emotions: list[dict[str, Any]] = []
    raw_emotions = data.get("emotions") or []
    if not isinstance(raw_emotions, (list, tuple)) or not raw_emotions:
        errors["emotions"] = ["name at least one emotion and rate it 0–100"]
    elif len(raw_emotions) > MAX_EMOTIONS:
        errors["emotions"] = [f"at most {MAX_EMOTIONS}"]
    else:
        for i, raw in enumerate(raw_emotions):
            e: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
            name = _text(e.get("name"), f"emotions.{i}.name", errors, required=True, limit=NAME_MAX_CHARS)
            before = _rating(e.get("before"), f"emotions.{i}.before", errors, required=True)
            after = _rating(e.get("after"), f"emotions.{i}.after", errors, required=False)
            emotions.append({"name": name, "before": before, "after": after})
    thoughts: list[dict[str, Any]] = []
    raw_thoughts = data.get("thoughts") or []
    if not isinstance(raw_thoughts, (list, tuple)) or not raw_thoughts:
        errors["thoughts"] = ["write at least one automatic thought"]
    elif len(raw_thoughts) > MAX_THOUGHTS:
        errors["thoughts"] = [f"at most {MAX_THOUGHTS}"]
    else:
        for i, raw in enumerate(raw_thoughts):
            t: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
            text = _text(t.get("text"), f"thoughts.{i}.text", errors, required=True)
            belief = _rating(t.get("belief"), f"thoughts.{i}.belief", errors, required=True)
            thoughts.append({"text": text, "belief": belief, "hot": bool(t.get("hot"))})
        hot = sum(t["hot"] for t in thoughts)
        if len(thoughts) == 1:
            thoughts[0]["hot"] = True
        elif hot != 1:
            errors.setdefault("thoughts", []).append("mark exactly one as the hot thought")
    evidence_for = _text(data.get("evidence_for"), "evidence_for", errors, required=False)
    evidence_against = _text(data.get("evidence_against"), "evidence_against", errors, required=False)
    if form == "five" and (evidence_for or evidence_against):
        field = "evidence_for" if evidence_for else "evidence_against"
        errors.setdefault(field, []).append("is not part of the 5-column form (use the 7-column record)")
    balanced = _text(data.get("balanced_thought"), "balanced_thought", errors, required=False)
    balanced_belief = _rating(data.get("balanced_belief"), "balanced_belief", errors, required=bool(balanced))
    if balanced_belief is not None and not balanced:
        errors.setdefault("balanced_thought", []).append("is required with a belief rating")
    distortions = _ids(data.get("distortions"), "distortions", DISTORTIONS, errors)
    facets = _ids(data.get("facets"), "facets", CATASTROPHIZING_FACETS, errors)
    if errors:
        raise RecordError(errors)
    return {
        "form": form,
        "situation": situation,
        "emotions": emotions,
        "thoughts": thoughts,
        "evidence_for": evidence_for,
        "evidence_against": evidence_against,
        "balanced_thought": balanced,
        "balanced_belief": balanced_belief,
        "distortions": distortions,
        "facets": facets,
    }


@dataclass(frozen=True)
class EmotionChange:
    name: str
    before: int
    after: int | None

    @property
    def change(self) -> int | None:
        """after − before (negative: the feeling eased); None until re-rated."""
        return None if self.after is None else self.after - self.before


def emotion_changes(emotions: Iterable[Mapping[str, Any]]) -> list[EmotionChange]:
    return [EmotionChange(str(e["name"]), int(e["before"]), e.get("after")) for e in emotions]


def record_change(emotions: Iterable[Mapping[str, Any]]) -> float | None:
    """The mean change over the record's re-rated emotions; None when none is re-rated."""
    changes = [c.change for c in emotion_changes(emotions) if c.change is not None]
    return statistics.fmean(changes) if changes else None


@dataclass(frozen=True)
class WeekChange:
    week_of: date  # the Monday
    records: int
    mean_change: float | None  # over every re-rated emotion of the week's records


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_changes(records: Iterable[tuple[date, Sequence[Mapping[str, Any]]]]) -> list[WeekChange]:
    """Per Monday-to-Sunday week, oldest first: how many records and the mean emotion change."""
    by_week: dict[date, list[Sequence[Mapping[str, Any]]]] = {}
    for on, emotions in records:
        by_week.setdefault(week_of(on), []).append(emotions)
    out = []
    for monday in sorted(by_week):
        changes = [c.change for emotions in by_week[monday] for c in emotion_changes(emotions) if c.change is not None]
        out.append(WeekChange(monday, len(by_week[monday]), statistics.fmean(changes) if changes else None))
    return out


def most_tagged(tag_lists: Iterable[Iterable[str]], *, top: int = 3) -> list[tuple[str, int]]:
    """The distortions tagged most, most first; ties in Burns' order; at most `top`."""
    counts = Counter(t for tags in tag_lists for t in tags if t in DISTORTIONS)
    order = {k: n for n, k in enumerate(DISTORTIONS)}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    return ranked[:top]


def clean_rerating(emotions: Sequence[Mapping[str, Any]], after: object) -> list[dict[str, Any]]:
    """The record's emotions with column 7 filled in after the fact: `after` is one 0–100
    rating per emotion, in the record's order. PROJECT RULE: a re-rating rates every emotion of
    the record (a change is read against every first rating) and replaces an earlier one."""
    errors: dict[str, list[str]] = {}
    if not isinstance(after, (list, tuple)):
        raise RecordError({"after": ["must be a list of ratings, one per emotion"]})
    if len(after) != len(emotions):
        raise RecordError({"after": [f"must have {len(emotions)} ratings, one per emotion (got {len(after)})"]})
    rated = []
    for i, (emotion, value) in enumerate(zip(emotions, after, strict=True)):
        rating = _rating(value, f"after.{i}", errors, required=True)
        rated.append({**emotion, "after": rating})
    if errors:
        raise RecordError(errors)
    return rated
