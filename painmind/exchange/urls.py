from __future__ import annotations

from django.urls import URLPattern, path

from painmind.exchange.imports import views as imports
from painmind.exchange.own_data import views as own_data
from painmind.exchange.report.urls import urlpatterns as report_urls
from painmind.exchange.research import views as research
from painmind.exchange.views import fhir

app_name = "exchange"
# Each topic (report, fhir, own data, research, imports) adds its pages here.
urlpatterns: list[URLPattern] = [
    *report_urls,
    path("me/fhir/", fhir.my_fhir, name="my_fhir"),
    path("me/fhir/bundle.json", fhir.my_fhir_download, name="my_fhir_download"),
    path("clinician/patients/<int:patient_id>/fhir.json", fhir.patient_fhir_download, name="patient_fhir_download"),
    path("me/research/", research.research_consent, name="research_consent"),
    path("research/export/", research.research_export_page, name="research_export"),
    path("research/export/download/", research.research_export_download, name="research_export_download"),
    path("me/import/", imports.import_checkins, name="import_checkins"),
    path("settings/my-data/", own_data.own_data, name="own_data"),
    path("settings/delete-account/", own_data.delete_account, name="delete_account"),
]
