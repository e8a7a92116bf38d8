"""What a patient sees after a positive or unanswered PHQ-9 item 9 (clinical-reference §5)."""

from __future__ import annotations

from dataclasses import dataclass

from painmind.accounts.models import Consent, User
from painmind.care.crisis import resources_for
from painmind.core.crisis import CrisisResource


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
        n_clinicians=Consent.objects.active().filter(patient=patient, clinician__is_active=True).count(),
    )
