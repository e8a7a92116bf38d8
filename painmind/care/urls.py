from __future__ import annotations

from django.urls import path

from painmind.care import views, views_panel, views_patient, views_share

app_name = "care"
urlpatterns = [
    path("clinician/", views_panel.panel, name="panel"),
    path("clinician/alerts/", views.alerts, name="alerts"),
    path("clinician/alerts/<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    # A patient's read-only share link (public: the token is the key).
    path("s/<str:token>/", views_share.shared, name="shared"),
    path("clinician/patients/<int:patient_id>/", views_patient.patient_detail, name="patient_detail"),
]
