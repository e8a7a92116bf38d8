from __future__ import annotations

from django.urls import path

from painmind.care.views import lifestyle, panel, patient, share

app_name = "care"
urlpatterns = [
    path("clinician/", panel.panel, name="panel"),
    # A patient's read-only share link (public: the token is the key).
    path("s/<str:token>/", share.shared, name="shared"),
    path("clinician/patients/<int:patient_id>/", patient.patient_detail, name="patient_detail"),
    path("clinician/patients/<int:patient_id>/lifestyle/", lifestyle.patient_lifestyle, name="patient_lifestyle"),
]
