from __future__ import annotations

from django.urls import URLPattern

from painmind.exchange.report.urls import urlpatterns as report_urls

app_name = "exchange"
# Each topic (report, fhir, own data, research, imports) adds its pages here.
urlpatterns: list[URLPattern] = [*report_urls]
