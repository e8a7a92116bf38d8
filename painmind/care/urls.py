from __future__ import annotations

from django.urls import path

from painmind.care import views_panel, views_patient, views_share

app_name = "care"
urlpatterns = [
    path("clinician/", views_panel.panel, name="panel"),
    # A patient's read-only share link (public: the token is the key).
    path("s/<str:token>/", views_share.shared, name="shared"),
    path("clinician/patients/<int:patient_id>/", views_patient.patient_detail, name="patient_detail"),
]
