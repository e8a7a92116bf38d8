"""The patient's reminders on their home page, among what is due (a `diary.hooks` section)."""

from __future__ import annotations

from typing import Any

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.reminders.access import get_reminder_preference_for_user


def reminders_section(actor: Actor, patient: User) -> dict[str, Any] | None:
    return {
        "template": "reminders/_home_reminders.html",
        "order": 10,
        "slot": "due",
        "pref": get_reminder_preference_for_user(actor),
    }
