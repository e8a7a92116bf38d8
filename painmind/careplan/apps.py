from __future__ import annotations

from django.apps import AppConfig


class CarePlanConfig(AppConfig):
    """The shared care plan: goals tied to measures, interventions by strategy, their history."""

    name = "painmind.careplan"
    label = "careplan"
    verbose_name = "Shared care plan"

    def ready(self) -> None:
        # The next step on the patient's home page (diary.hooks).
        from painmind.careplan.home import next_step_section
        from painmind.diary.hooks import register_home_section

        register_home_section(next_step_section)
