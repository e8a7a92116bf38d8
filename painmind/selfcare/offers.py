"""The saved-check-in page's offers: a thought record after a day hard *for this person*
(`core.selfcare.hard_day`), and a link to the day's lifestyle fields for a person who keeps
some. Registered with `painmind.diary.hooks` from the app's ready()."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from painmind.core.daily import daily_means
from painmind.core.selfcare.hard_day import HARD_DAY_WINDOW_DAYS, hard_day
from painmind.diary.access import get_checkins_for_user
from painmind.selfcare.access import lifestyle_groups

if TYPE_CHECKING:
    from painmind.accounts.audit import Actor
    from painmind.accounts.models import User
    from painmind.diary.models import CheckIn


def thought_record_offer(actor: Actor, patient: User, checkin: CheckIn) -> dict[str, Any] | None:
    """The offer, when the check-in's pain is ≥ 2 above or mood ≥ 2 below the 28-day medians."""
    tz = patient.tzinfo
    since = datetime.combine(checkin.local_on - timedelta(days=HARD_DAY_WINDOW_DAYS), time.min, tzinfo=tz)
    until = datetime.combine(checkin.local_on, time.min, tzinfo=tz)
    _, entries = get_checkins_for_user(actor, patient.pk, since=since, until=until)
    result = hard_day(
        on=checkin.local_on,
        pain=checkin.pain,
        mood=checkin.mood,
        daily_pain=daily_means((c.local_on, c.pain) for c in entries),
        daily_mood=daily_means((c.local_on, c.mood) for c in entries),
    )
    if not result.is_hard:
        return None
    return {"template": "selfcare/_checkin_offer.html", "hard": result}


def lifestyle_offer(actor: Actor, patient: User, checkin: CheckIn) -> dict[str, Any] | None:
    """A link to that day's lifestyle fields, only for a person who keeps some (none by default)."""
    if not lifestyle_groups(patient):
        return None
    return {"template": "selfcare/_lifestyle_offer.html", "day": checkin.local_on}
