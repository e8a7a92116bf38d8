"""System checks: the crisis directory must load and stay fresh, and a production site must say
which country it serves by default and give a reachable crisis contact if it gives one.

Stale entries and a missing default country are errors when DEBUG is off (production: `painmind
serve` then refuses to start) and warnings in development, so a developer is told without being
stopped (docs/safety.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.utils import timezone
from django_countries import countries

from painmind.core.crisis import eu_list_is_stale, site_contact_from, stale_resources
from painmind.safety.crisis import crisis_directory

STALE_HINT = "Check the entry against its source and update last_verified in the crisis resources file."


def _error_or_warning(production_id: str, development_id: str, msg: str, hint: str) -> CheckMessage:
    if settings.DEBUG:
        return Warning(msg, hint=hint, id=development_id)
    return Error(msg, hint=hint, id=production_id)


@register(Tags.compatibility)
def check_crisis_resources(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        directory = crisis_directory()
    except ValueError as exc:
        return [Error(str(exc), hint="Fix PAINMIND_CRISIS_RESOURCES_FILE.", id="painmind.E001")]
    today = timezone.localdate()
    months = directory.max_age_months
    messages = [
        _error_or_warning(
            "painmind.E002",
            "painmind.W001",
            f"Crisis resource '{r.service}' ({r.country}) was last verified on {r.last_verified}, "
            f"more than {months} months ago.",
            STALE_HINT,
        )
        for r in stale_resources(directory, today)
    ]
    if eu_list_is_stale(directory, today):
        messages.append(
            _error_or_warning(
                "painmind.E002",
                "painmind.W001",
                f"The EU member-state list was last verified on {directory.eu_last_verified}, "
                f"more than {months} months ago.",
                STALE_HINT,
            )
        )
    return messages


@register(Tags.compatibility)
def check_site_crisis_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    code = settings.DEFAULT_COUNTRY
    if not code:
        messages.append(
            _error_or_warning(
                "painmind.E003",
                "painmind.W003",
                "PAINMIND_DEFAULT_COUNTRY is not set: new accounts and signed-out visitors of /help/ would be "
                f"shown the crisis services of {settings.DEFAULT_COUNTRY_FALLBACK}.",
                "Set PAINMIND_DEFAULT_COUNTRY to the ISO 3166 code of the country this site serves (e.g. GB).",
            )
        )
    elif code not in countries:
        messages.append(
            Error(
                f"PAINMIND_DEFAULT_COUNTRY={code!r} is not an ISO 3166 country code.",
                hint="Use a two-letter code such as GB, IE, US, CA, AU or DE.",
                id="painmind.E004",
            )
        )
    try:
        site_contact_from(dict(settings.CRISIS_CONTACT))
    except ValueError as exc:
        messages.append(Error(str(exc), hint="See docs/safety.md, 'The site's own contact'.", id="painmind.E005"))
    return messages
