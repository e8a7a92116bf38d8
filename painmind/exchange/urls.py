from __future__ import annotations

from django.urls import URLPattern, path

from painmind.exchange.imports import views as imports
from painmind.exchange.research import views as research

app_name = "exchange"
# Each topic (report, fhir, own data, research, imports) adds its pages here.
urlpatterns: list[URLPattern] = [
    path("me/research/", research.research_consent, name="research_consent"),
    path("research/export/", research.research_export_page, name="research_export"),
    path("research/export/download/", research.research_export_download, name="research_export_download"),
    path("me/import/", imports.import_checkins, name="import_checkins"),
]
