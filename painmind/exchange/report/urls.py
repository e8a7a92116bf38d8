from __future__ import annotations

from django.urls import path

from painmind.exchange.report import views

urlpatterns = [
    path("report/", views.my_report, name="my_report"),
    path("report.pdf", views.my_report_pdf, name="my_report_pdf"),
    path("clinician/patients/<int:patient_id>/report/", views.patient_report, name="patient_report"),
    path("clinician/patients/<int:patient_id>/report.pdf", views.patient_report_pdf, name="patient_report_pdf"),
]
