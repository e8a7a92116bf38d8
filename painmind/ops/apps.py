from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operating PainMind: the production server and the demo cohort."""

    name = "painmind.ops"
    label = "ops"

    def ready(self) -> None:
        from painmind.ops import checks  # noqa: F401  (register the deployment checks)
