from __future__ import annotations

from django.urls import URLPattern

app_name = "exchange"
# Each topic (report, fhir, own data, research, imports) adds its pages here.
urlpatterns: list[URLPattern] = []
