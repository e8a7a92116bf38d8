from __future__ import annotations

from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "painmind.diary"
    label = "diary"
    verbose_name = "Diary"
