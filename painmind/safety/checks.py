"""System checks: the crisis directory must load, and its entries must not go stale."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils import timezone

from painmind.core.crisis import stale_resources
from painmind.safety.crisis import crisis_directory


@register(Tags.compatibility)
def check_crisis_resources(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        directory = crisis_directory()
    except ValueError as exc:
        return [Error(str(exc), hint="Fix PAINMIND_CRISIS_RESOURCES_FILE.", id="painmind.E001")]
    return [
        Warning(
            f"Crisis resource '{r.service}' ({r.country}) was last verified on {r.last_verified}, "
            f"more than {directory.max_age_months} months ago.",
            hint="Check the number against its source and update last_verified in the crisis resources file.",
            id="painmind.W001",
        )
        for r in stale_resources(directory, timezone.localdate())
    ]
