from __future__ import annotations

from django.urls import path

from painmind.care import views, views_patient

app_name = "care"
urlpatterns = [
    path("clinician/alerts/", views.alerts, name="alerts"),
    path("clinician/alerts/<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("clinician/patients/<int:patient_id>/", views_patient.patient_detail, name="patient_detail"),
]
