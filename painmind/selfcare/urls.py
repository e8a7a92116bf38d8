from __future__ import annotations

from django.urls import path

from painmind.selfcare import views

app_name = "selfcare"
urlpatterns = [
    path("me/tools/", views.tools, name="tools"),
    path("me/tools/thought-records/", views.thought_records, name="thought_records"),
    path("me/tools/thought-records/new/", views.thought_record_new, name="thought_record_new"),
    path("me/tools/pacing/", views.pacing_plans, name="pacing_plans"),
    path("me/tools/pacing/<int:plan_id>/", views.pacing_plan, name="pacing_plan"),
    path("clinician/patients/<int:patient_id>/tools/", views.patient_tools, name="patient_tools"),
]
