"""The clinician's alert-list filters (severity, kind, open or closed, patient), read from the
query string of the web alert list and of `GET /api/v1/alerts` alike; each bad value is named in
a field error (the page then ignores that filter, the API answers 422)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from painmind.safety.models import AlertKind, Severity

Status = Literal["open", "closed", "all"]
STATUSES: Final[dict[Status, str]] = {"open": "Open", "closed": "Closed (history)", "all": "Open and closed"}
# The history is shown newest-closed first and cut here, so a long-running team's page stays short.
HISTORY_LIMIT: Final[int] = 200


@dataclass(frozen=True)
class AlertFilters:
    status: Status = "open"
    severity: str = ""  # "" = every severity
    kind: str = ""  # "" = every kind
    patient_id: int | None = None

    @property
    def active(self) -> bool:
        return self != AlertFilters()


def parse_alert_filters(
    params: Mapping[str, str], patient_ids: Collection[int] = ()
) -> tuple[AlertFilters, dict[str, list[str]]]:
    """Filters from ``status``, ``severity``, ``kind`` and ``patient``; ``patient``, when given,
    must be one of `patient_ids` (the clinician's consenting patients). Returns (filters, errors
    by field); a field in error is left unfiltered."""
    errors: dict[str, list[str]] = {}
    raw_status = params.get("status", "") or "open"
    status: Status = next((s for s in STATUSES if s == raw_status), "open")
    if status != raw_status:
        errors["status"] = [f"must be one of {', '.join(STATUSES)}"]
    severity = params.get("severity", "")
    if severity and severity not in Severity.values:
        errors["severity"] = [f"must be one of {', '.join(Severity.values)}"]
        severity = ""
    kind = params.get("kind", "")
    if kind and kind not in AlertKind.values:
        errors["kind"] = [f"must be one of {', '.join(AlertKind.values)}"]
        kind = ""
    raw = params.get("patient", "")
    patient_id: int | None = None
    if raw:
        try:
            patient_id = int(raw)
        except ValueError:
            patient_id = None
        if patient_id not in patient_ids:
            errors["patient"] = ["choose one of the patients who share their diary with you"]
            patient_id = None
    return AlertFilters(status=status, severity=severity, kind=kind, patient_id=patient_id), errors
