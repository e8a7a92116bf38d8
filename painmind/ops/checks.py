"""Deployment checks of this app: the secret key (`check --deploy`, and `painmind serve` itself)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from painmind.lib.secret_key import weak_key_reason


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    reason = weak_key_reason(settings.SECRET_KEY)
    if reason is None:
        return []
    return [
        Error(
            f"The secret key (from {settings.SECRET_KEY_FROM}) must not be used in production: {reason}.",
            hint="Unset PAINMIND_SECRET_KEY and let `painmind serve` generate one into the data folder, "
            "or set it to 50 or more random characters.",
            id="painmind.E010",
        )
    ]
