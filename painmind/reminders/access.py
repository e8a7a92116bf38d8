"""The only way to load reminder preferences: a patient reaches their own, nobody else does."""

from __future__ import annotations

from painmind.accounts.access import get_own_patient
from painmind.accounts.audit import Actor
from painmind.reminders.models import ReminderPreference


def get_reminder_preference_for_user(actor: Actor) -> ReminderPreference:
    """The actor's own preferences (unsaved defaults, all off, if never set); Http404 for non-patients."""
    patient = get_own_patient(actor)
    pref = ReminderPreference.objects.filter(patient=patient).first()
    return pref if pref is not None else ReminderPreference(patient=patient)
