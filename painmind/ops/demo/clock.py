"""The demo's story clock: every record is written by the real action *at its moment in the story*.

Real use leaves months of history: accounts made before the first check-in, consent granted at the
start, a care plan written after a few weeks and edited later, the team's views spread over the
weeks, an alert acknowledged the morning after it was raised. The loader runs each action inside
`StoryClock.at(when)`, which sets the process clock (time-machine: `datetime.now`, `time.time`,
so `django.utils.timezone.now()` too) to `when`, frozen, for that block only. Every timestamp an
action takes from the clock (audit events, consent, alerts and their notices, plan history,
medicines, doses, self-care records, welcomed_at) is then the story's, and append-only tables
(the audit trail) are written once with their times, never rewritten.

Why time travel rather than a `now=` argument on every action: the actions take the time in some
forty places (and in model defaults); threading a clock through all of them would change every
app's signatures for the demo's sake. Only the loader travels: `painmind demo` leaves the block
before it sends the queued mail (except where it travels on purpose), refreshes the analyses and
serves, so the server, the worker and sessions run on the real clock.

Never later than the real moment the load started (`StoryClock.now`): a story time past it is
clamped to it, so nothing is stamped in the future.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

import time_machine


@dataclass(frozen=True)
class StoryClock:
    now: datetime  # the real moment the load started (aware)
    tz: tzinfo  # the demo's time zone, for "on day D at 19:00"

    def on(self, day: date, hour: int, minute: int = 0) -> datetime:
        """Day `day` at hour:minute, the demo's local time."""
        return datetime.combine(day, time(hour, minute), tzinfo=self.tz)

    def days_ago(self, days: int, hour: int, minute: int = 0) -> datetime:
        return self.on(self.now.astimezone(self.tz).date() - timedelta(days=days), hour, minute)

    def clamp(self, when: datetime) -> datetime:
        return min(when, self.now)

    @contextmanager
    def at(self, when: datetime) -> Iterator[datetime]:
        """Run the block with the clock stopped at `when` (at most the real now); yields that time."""
        if when.tzinfo is None:
            raise ValueError("story times are aware datetimes")
        when = self.clamp(when)
        with time_machine.travel(when, tick=False):
            yield when
