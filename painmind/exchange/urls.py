from __future__ import annotations

from django.urls import URLPattern, path

from painmind.exchange.own_data import views as own_data

app_name = "exchange"
# Each topic (report, fhir, own data, research, imports) adds its pages here.
urlpatterns: list[URLPattern] = [
    path("settings/my-data/", own_data.own_data, name="own_data"),
    path("settings/delete-account/", own_data.delete_account, name="delete_account"),
]
