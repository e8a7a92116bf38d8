from __future__ import annotations

from django.apps import AppConfig


class CareConfig(AppConfig):
    """The clinician's workspace: the panel, one patient's page, the public share-link page and
    the periodic `painmind alerts` pass. It owns no models: it composes the apps below it.
    (Its migrations hold the history of the alert and care-plan tables, which moved to
    `safety` and `careplan` with their names kept.)"""

    name = "painmind.care"
    label = "care"
    verbose_name = "Clinician workspace"
