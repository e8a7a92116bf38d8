from __future__ import annotations

from django.apps import AppConfig


class SelfCareConfig(AppConfig):
    """Tools a person uses between appointments: thought records, pacing plans, relaxation,
    behavioural activation and lifestyle fields (one module per tool)."""

    name = "painmind.selfcare"
    label = "selfcare"
    verbose_name = "Self-management tools"

    def ready(self) -> None:
        # The saved-check-in page's offer of a thought record after a hard day (diary.hooks).
        from painmind.diary.hooks import register_checkin_offer
        from painmind.selfcare.offers import lifestyle_offer, thought_record_offer

        register_checkin_offer(thought_record_offer)
        register_checkin_offer(lifestyle_offer)
        # Lifestyle fields and tool use as "what helps me" factors (core.selfcare.factor_sources).
        from painmind.core.selfcare.factor_sources import register_factor_source
        from painmind.selfcare.factors import selfcare_factor_rows

        register_factor_source(selfcare_factor_rows)
        # How much a tied care-plan intervention's tool was used (core.selfcare.tie_sources).
        from painmind.core.selfcare.tie_sources import register_tie_source
        from painmind.selfcare.plan_ties import intervention_tool_usage

        register_tie_source(intervention_tool_usage)
