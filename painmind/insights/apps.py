from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Runs the cycle engine (painmind.core.cycle) on stored diaries and presents it."""

    name = "painmind.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from painmind.diary.hooks import register_checkin_change
        from painmind.insights.actions import do_forget_cycle

        register_checkin_change(do_forget_cycle)

        # The latest clear finding on the patient's home page.
        from painmind.diary.hooks import register_home_section
        from painmind.insights.home import finding_section

        register_home_section(finding_section)
