from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data that travels: the one-page report, FHIR R4 in and out, the person's own export and
    deletion, research exports and imports from other trackers (docs/exchange.md). It sits above
    `care` so the report can reuse the clinician's composed summary; one module per topic."""

    name = "painmind.exchange"
    label = "exchange"
    verbose_name = "Data exchange"
