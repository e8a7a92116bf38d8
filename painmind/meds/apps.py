from __future__ import annotations

from django.apps import AppConfig


class MedsConfig(AppConfig):
    """The patient's medicines: regimens and their history, the dose log, side effects."""

    name = "painmind.meds"
    label = "meds"
    verbose_name = "Medicines"
