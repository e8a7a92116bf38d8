"""The note a patient reads before stopping a clinician's access while an alert is open."""

from __future__ import annotations

from painmind.accounts.models import Consent
from painmind.accounts.revocation import add_revoke_note
from painmind.safety.access import notified_open_critical


@add_revoke_note
def open_alert_stays_visible(consent: Consent) -> list[str]:
    """An open critical alert this clinician was told about stays with them until acknowledged."""
    n = notified_open_critical(consent.clinician_id).filter(patient_id=consent.patient_id).count()
    if not n:
        return []
    name = consent.clinician.display_name or consent.clinician.email
    alerts = "an open alert" if n == 1 else f"{n} open alerts"
    return [
        f"You have {alerts} about your answers that {name} was told about. After you stop sharing, "
        f"{name} will still see {'that alert' if n == 1 else 'those alerts'} — what kind and when, "
        "not your diary — until someone on your care team acknowledges it, so that nobody who was "
        "asked to check on you loses track of it."
    ]
