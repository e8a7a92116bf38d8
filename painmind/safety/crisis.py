"""The configured crisis directory (loaded once per process from settings) and what a patient
sees after a positive or unanswered PHQ-9 item 9 (clinical-reference §5)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from painmind.accounts.access import care_team_consents
from painmind.accounts.models import User
from painmind.core.crisis import CrisisDirectory, CrisisResource, load_crisis_directory


@cache
def _load(path: str) -> CrisisDirectory:
    return load_crisis_directory(Path(path))


def crisis_directory() -> CrisisDirectory:
    return _load(str(settings.CRISIS_RESOURCES_FILE))


def resources_for(country: str) -> tuple[list[CrisisResource], bool]:
    """``(services, matched)``: the country's services, or, when none is configured for it,
    every non-emergency service (labelled with its country) and ``matched=False``. Another
    country's emergency number is never offered: it would not connect."""
    directory = crisis_directory()
    found = directory.for_country(country)
    if found:
        return found, True
    others = [r for r in directory.resources if not r.emergency]
    return sorted(others, key=lambda r: r.country), False


@dataclass(frozen=True)
class CrisisContext:
    item9: str  # positive | unknown
    country: str
    resources: list[CrisisResource]
    emergency: list[CrisisResource]
    n_clinicians: int  # how many clinicians were told (active consents)
    matched_country: bool  # False: no service configured for the patient's country

    def to_dict(self) -> dict[str, object]:
        return {
            "item9": self.item9,
            "country": self.country,
            "care_team_notified": self.n_clinicians,
            "matched_country": self.matched_country,
            "not_monitored_around_the_clock": True,
            "resources": [r.to_dict() for r in [*self.emergency, *self.resources]],
        }


def crisis_context(patient: User, item9: str) -> CrisisContext | None:
    """Crisis resources for the patient's country when item 9 was positive or left blank."""
    if item9 not in ("positive", "unknown"):
        return None
    resources, matched = resources_for(patient.country)
    return CrisisContext(
        matched_country=matched,
        item9=item9,
        country=patient.country,
        resources=[r for r in resources if not r.emergency],
        emergency=[r for r in resources if r.emergency],
        n_clinicians=care_team_consents(patient.pk).count(),  # the team the alert e-mail goes to
    )
