from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Reminders to patients (check-in time, questionnaires due), sent by email."""

    name = "painmind.notify"
    label = "notify"
    verbose_name = "Reminders"
