from __future__ import annotations

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """Alerts and the crisis flow: raising, acknowledging and e-mailing alerts, the crisis
    directory and help page, and the system check that keeps the directory current."""

    name = "painmind.safety"
    label = "safety"
    verbose_name = "Safety: alerts and crisis resources"

    def ready(self) -> None:
        from painmind.safety import checks, revocation  # noqa: F401  (register the system checks and the revoke note)
