from __future__ import annotations

from django.apps import AppConfig


class CarePlanConfig(AppConfig):
    """The shared care plan: goals tied to measures, interventions by strategy, their history."""

    name = "painmind.careplan"
    label = "careplan"
    verbose_name = "Shared care plan"
