"""Writes for reminders: a patient sets when (and whether) PainMind reminds them."""

from __future__ import annotations

from datetime import time

from django.db import transaction
from django.utils import timezone

from painmind.accounts.access import get_own_patient
from painmind.accounts.audit import Actor
from painmind.lib.errors import ActionError
from painmind.reminders.models import ReminderPreference


@transaction.atomic
def do_set_reminder_preference(
    actor: Actor, *, checkin_enabled: bool, checkin_time: time | None, questionnaires_enabled: bool
) -> ReminderPreference:
    """A patient turns reminders on or off and chooses their local time (HH:MM, in their own zone).

    A time is needed when any reminder is on; seconds are dropped. Bad input raises
    `ActionError` and changes nothing. Only the patient's own preferences, so nothing to audit.
    """
    patient = get_own_patient(actor)
    if checkin_time is not None and (not isinstance(checkin_time, time) or checkin_time.tzinfo is not None):
        raise ActionError({"checkin_time": ["must be a local time of day (HH:MM), without a time zone"]})
    pref, _ = ReminderPreference.objects.select_for_update().get_or_create(patient=patient)
    if checkin_time is None and (checkin_enabled or questionnaires_enabled):
        raise ActionError({"checkin_time": ["choose a time for your reminders, as HH:MM (e.g. 20:00)"]})
    pref.checkin_enabled = checkin_enabled
    pref.questionnaires_enabled = questionnaires_enabled
    if checkin_time is not None:
        pref.checkin_time = checkin_time.replace(second=0, microsecond=0)
    pref.updated_at = timezone.now()
    pref.save()
    return pref
