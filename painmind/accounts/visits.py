"""'Who viewed my data' by visit: one opening of a page by a clinician reads several kinds of
record (the overview, the care plan, tool use, check-ins), each its own audit event. The page
shows them as one row, so a patient sees who came and what they looked at, not a wall of rows
with the same minute (project rule, docs/sharing.md). The events themselves are unchanged: the
API and "Download my data" keep one row per event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from painmind.accounts import phrasing
from painmind.accounts.models import AuditEvent

# One visit: the same person through the same channel, less than a minute from its newest event to
# its oldest, with nobody else's event in between.
VISIT_SPAN = timedelta(minutes=1)


@dataclass
class Visit:
    """Events of one visit, newest first as the log is; `what` their phrases, oldest first, once each."""

    events: list[AuditEvent] = field(default_factory=list)

    @property
    def first(self) -> AuditEvent:
        return self.events[-1]

    @property
    def who(self) -> str:
        return phrasing.who(self.first)

    @property
    def role(self) -> str:
        return phrasing.role(self.first)

    @property
    def via(self) -> str:
        return self.first.via

    @property
    def what(self) -> list[str]:
        return list(dict.fromkeys(phrasing.describe(e) for e in reversed(self.events)))

    def takes(self, event: AuditEvent) -> bool:
        """Whether `event` (older than every event already here) belongs to this visit."""
        newest = self.events[0]
        return (
            event.actor_label == newest.actor_label
            and event.actor_role == newest.actor_role
            and event.via == newest.via
            and newest.at - event.at < VISIT_SPAN
        )


def visits(events: Iterable[AuditEvent]) -> list[Visit]:
    """Events, newest first, as visits, newest first."""
    out: list[Visit] = []
    for event in events:
        if out and out[-1].takes(event):
            out[-1].events.append(event)
        else:
            out.append(Visit([event]))
    return out
