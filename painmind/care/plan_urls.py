from __future__ import annotations

from django.urls import path

from painmind.care import plan_views

app_name = "careplan"
urlpatterns = [
    path("me/plan/", plan_views.my_plan, name="my_plan"),
    path("me/plan/goals/new/", plan_views.my_goal, name="my_goal_new"),
    path("me/plan/goals/<int:goal_id>/", plan_views.my_goal, name="my_goal"),
    path("clinician/patients/<int:patient_id>/plan/", plan_views.patient_plan, name="patient_plan"),
    path("clinician/patients/<int:patient_id>/plan/goals/new/", plan_views.patient_goal, name="goal_new"),
    path("clinician/patients/<int:patient_id>/plan/goals/<int:goal_id>/", plan_views.patient_goal, name="goal"),
    path(
        "clinician/patients/<int:patient_id>/plan/interventions/new/",
        plan_views.patient_intervention,
        name="intervention_new",
    ),
    path(
        "clinician/patients/<int:patient_id>/plan/interventions/<int:intervention_id>/",
        plan_views.patient_intervention,
        name="intervention",
    ),
]
