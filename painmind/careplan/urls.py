from __future__ import annotations

from django.urls import path

from painmind.careplan import views

app_name = "careplan"
urlpatterns = [
    path("me/plan/", views.my_plan, name="my_plan"),
    path("me/plan/goals/new/", views.my_goal, name="my_goal_new"),
    path("me/plan/goals/<int:goal_id>/", views.my_goal, name="my_goal"),
    path("clinician/patients/<int:patient_id>/plan/", views.patient_plan, name="patient_plan"),
    path("clinician/patients/<int:patient_id>/plan/goals/new/", views.patient_goal, name="goal_new"),
    path("clinician/patients/<int:patient_id>/plan/goals/<int:goal_id>/", views.patient_goal, name="goal"),
    path(
        "clinician/patients/<int:patient_id>/plan/interventions/new/",
        views.patient_intervention,
        name="intervention_new",
    ),
    path(
        "clinician/patients/<int:patient_id>/plan/interventions/<int:intervention_id>/",
        views.patient_intervention,
        name="intervention",
    ),
]
