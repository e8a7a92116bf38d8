from __future__ import annotations

from django.apps import AppConfig


class SelfCareConfig(AppConfig):
    """Tools a person uses between appointments: thought records and pacing plans (one module
    per tool; relaxation, behavioural activation and lifestyle fields are to come)."""

    name = "painmind.selfcare"
    label = "selfcare"
    verbose_name = "Self-management tools"

    def ready(self) -> None:
        # The saved-check-in page's offer of a thought record after a hard day (diary.hooks).
        from painmind.diary.hooks import register_checkin_offer
        from painmind.selfcare.offers import thought_record_offer

        register_checkin_offer(thought_record_offer)
