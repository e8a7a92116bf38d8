"""Recording a side effect: what, how bad (0–10), which medicine if known. Idempotent by `client_id`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.lib.errors import ActionError
from painmind.meds.actions.keyed import parse_client_id, save_once
from painmind.meds.cleaning import clean_side_effect
from painmind.meds.models import Regimen, SideEffect


class SideEffectConflict(ActionError):
    def __init__(self, existing: SideEffect) -> None:
        self.existing = existing
        super().__init__({"client_id": [f"{existing.client_id} was already used for a different side effect"]})


def do_record_side_effect(
    actor: Actor, patient: User, data: Mapping[str, Any], *, client_id: uuid.UUID | str | None = None
) -> tuple[SideEffect, bool]:
    """Store a side effect for `patient` (already access-checked). Returns ``(entry, created)``."""
    cleaned = clean_side_effect(data, today=timezone.localdate(timezone=patient.tzinfo))
    regimen = None
    if cleaned.pop("regimen") not in (None, ""):
        regimen = Regimen.objects.filter(patient=patient, pk=_int(data.get("regimen"))).first()
        if regimen is None:
            raise ActionError({"regimen": ["is not one of this patient's medicines"]})
    key = parse_client_id(client_id)
    entry = SideEffect(patient=patient, regimen=regimen, client_id=key, created_by=actor.user, **cleaned)

    def replay(earlier: SideEffect) -> SideEffect:
        same = (earlier.regimen_id, earlier.kind, earlier.text, earlier.severity, earlier.noted_on) == (
            entry.regimen_id,
            entry.kind,
            entry.text,
            entry.severity,
            entry.noted_on,
        )
        if same:
            return earlier
        raise SideEffectConflict(earlier)

    return save_once(
        entry,
        stored=lambda: SideEffect.objects.filter(patient=patient, client_id=key).first() if key else None,
        replay=replay,
        after=lambda e: record(actor, patient, AuditAction.CREATE, "side_effect", object_id=e.pk, detail=e.kind),
    )


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ActionError({"regimen": ["must be a medicine id"]}) from None
