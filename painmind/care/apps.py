from __future__ import annotations

from django.apps import AppConfig


class CareConfig(AppConfig):
    """Alerts for the care team, the safety flow and (later) the shared care plan."""

    name = "painmind.care"
    label = "care"
    verbose_name = "Care team"

    def ready(self) -> None:
        from painmind.care import checks  # noqa: F401  (registers the system checks)
