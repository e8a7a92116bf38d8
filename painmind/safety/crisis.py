"""The configured crisis directory (loaded once per process from settings), the site's own
contact, and what a person sees: on the help page, and after a positive or unanswered PHQ-9
item 9 (clinical-reference §5; the rules are in `painmind.core.crisis.help_for`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from painmind.accounts.models import User, default_country
from painmind.core.crisis import (
    CrisisDirectory,
    CrisisHelp,
    CrisisResource,
    SiteContact,
    help_for,
    load_crisis_directory,
    site_contact_from,
)
from painmind.safety.models import Alert
from painmind.safety.notify import notified_count
from painmind.safety.screening import self_harm_alert_for_response


@cache
def _load(path: str) -> CrisisDirectory:
    return load_crisis_directory(Path(path))


def crisis_directory() -> CrisisDirectory:
    return _load(str(settings.CRISIS_RESOURCES_FILE))


def site_contact() -> SiteContact | None:
    """The operator's own contact (PAINMIND_CRISIS_CONTACT_*), or None; the system check
    reports a half-configured one, and it is then left out rather than shown broken."""
    try:
        return site_contact_from(dict(settings.CRISIS_CONTACT))
    except ValueError:
        return None


def crisis_help(country: str | None) -> CrisisHelp:
    """The services for an ISO 3166 code (the site's default country when none is given)."""
    return help_for(crisis_directory(), country or default_country(), site_contact=site_contact())


def resources_for(country: str) -> tuple[list[CrisisResource], bool]:
    """``(services, matched)``: emergency numbers first, then the country's helplines; never
    another country's. ``matched`` is False when the country has no entry of its own."""
    found = crisis_help(country)
    return [*found.emergency, *found.services], found.matched


# What the crisis block and the API say about the care team: a message was queued for N
# clinicians, nobody watches PainMind around the clock, and it is not an emergency service.
NOT_MONITORED = "Nobody watches PainMind around the clock, and it is not an emergency service."


def care_team_sentence(n_clinicians: int) -> str:
    if n_clinicians:
        plural = "s" if n_clinicians != 1 else ""
        return f"A message was sent to your care team ({n_clinicians} clinician{plural}). {NOT_MONITORED}"
    return (
        "No clinician is connected to your PainMind account, so nobody was notified. Please contact one of "
        f"the services above or your own doctor. {NOT_MONITORED}"
    )


@dataclass(frozen=True)
class CrisisContext:
    item9: str  # positive | unknown
    country: str
    help: CrisisHelp
    n_clinicians: int  # how many clinicians a message was queued for
    alert: Alert | None = None  # the self-harm alert the response raised or joined (read once, reused)

    @property
    def emergency(self) -> list[CrisisResource]:
        return self.help.emergency

    @property
    def resources(self) -> list[CrisisResource]:
        return self.help.services

    @property
    def matched_country(self) -> bool:
        return self.help.matched

    @property
    def care_team_message(self) -> str:
        return care_team_sentence(self.n_clinicians)

    def to_dict(self) -> dict[str, object]:
        return {
            **self.help.to_dict(),
            "item9": self.item9,
            "care_team_notified": self.n_clinicians,
            "care_team_message": self.care_team_message,
            "not_monitored_around_the_clock": True,
        }


def crisis_context(patient: User, item9: str, *, response_id: int) -> CrisisContext | None:
    """Crisis resources for the patient's country when item 9 was positive or left blank, and how
    many clinicians a message was queued (or sent) for about the self-harm alert that response
    raised or attached to: the crisis block says a message was sent only when it was."""
    if item9 not in ("positive", "unknown"):
        return None
    alert = self_harm_alert_for_response(patient.pk, response_id)
    return CrisisContext(
        item9=item9,
        country=str(patient.country),
        help=crisis_help(str(patient.country)),
        n_clinicians=notified_count(alert) if alert is not None else 0,
        alert=alert,
    )
