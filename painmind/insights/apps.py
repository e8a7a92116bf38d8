from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Runs the cycle engine (painmind.core.cycle) on stored diaries and presents it."""

    name = "painmind.insights"
    label = "insights"
    verbose_name = "Insights"
