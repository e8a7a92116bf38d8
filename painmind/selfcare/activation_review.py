"""The weekly review of behavioural activation: what the person did in one Monday-to-Sunday
week, and which activities went with better (or harder) next days over their diary up to that
week's end (`core.selfcare.activation_links`, the "what helps me" machinery)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean

from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.core.daily import daily_means
from painmind.core.selfcare.activation_links import ActivityLink, activity_key, activity_links
from painmind.diary.access import get_checkins_for_user
from painmind.selfcare.access import get_activities_for_user


@dataclass(frozen=True)
class WeekActivity:
    """One activity in the week: how many times it was done, mean achievement and enjoyment."""

    name: str
    times: int
    mastery: float | None
    pleasure: float | None


@dataclass(frozen=True)
class WeekReview:
    monday: date
    sunday: date
    today: date
    done: list[WeekActivity]
    planned_not_done: int
    links: list[ActivityLink]

    @property
    def better(self) -> list[ActivityLink]:
        return [x for x in self.links if x.state == "better"]

    @property
    def harder(self) -> list[ActivityLink]:
        return [x for x in self.links if x.state == "harder"]

    @property
    def harder_pain(self) -> bool:
        # An activity with more pain the next day gets the pacing context (clinical-reference §9.2).
        return any(x.outcome == "pain" for x in self.harder)

    @property
    def unclear(self) -> list[ActivityLink]:
        return [x for x in self.links if x.state not in ("better", "harder")]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date | None:
        following = self.monday + timedelta(days=7)
        return following if following <= self.today else None


def _mean(values: list[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(mean(known)) if known else None


def week_review(actor: Actor, day: date | None) -> WeekReview:
    """The patient's own review of the week holding `day` (this week when None or in the future)."""
    patient, items = get_activities_for_user(actor)
    tz = patient.tzinfo
    today = timezone.localdate(timezone=tz)
    day = today if day is None or day > today else day
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    until = min(sunday, today)
    _, entries = get_checkins_for_user(actor, until=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz))
    pain = daily_means((c.local_on, c.pain) for c in entries)
    mood = daily_means((c.local_on, c.mood) for c in entries)
    done = [a for a in items if a.done_on is not None]
    links = activity_links([(a.name, a.done_on) for a in done if a.done_on is not None], pain, mood, until=until)
    groups: dict[str, list[tuple[str, int | None, int | None]]] = {}
    for a in sorted(done, key=lambda a: (a.done_on, a.pk)):
        if a.done_on is not None and monday <= a.done_on <= sunday:
            groups.setdefault(activity_key(a.name), []).append((a.name, a.mastery, a.pleasure))
    week = [
        WeekActivity(" ".join(rows[-1][0].split()), len(rows), _mean([r[1] for r in rows]), _mean([r[2] for r in rows]))
        for rows in sorted(groups.values(), key=lambda rows: (-len(rows), activity_key(rows[-1][0])))
    ]
    missed = sum(1 for a in items if a.done_on is None and a.planned_on is not None and monday <= a.planned_on <= until)
    return WeekReview(monday, sunday, today, week, missed, links)
