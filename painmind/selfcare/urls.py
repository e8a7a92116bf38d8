from __future__ import annotations

from django.urls import path

from painmind.selfcare import views, views_activities, views_learn, views_lifestyle, views_relaxation

app_name = "selfcare"
urlpatterns = [
    path("me/tools/", views.tools, name="tools"),
    path("me/tools/thought-records/", views.thought_records, name="thought_records"),
    path("me/tools/thought-records/new/", views.thought_record_new, name="thought_record_new"),
    path("me/tools/thought-records/<int:record_id>/rerate/", views.thought_record_rerate, name="thought_record_rerate"),
    path("me/tools/pacing/", views.pacing_plans, name="pacing_plans"),
    path("me/tools/pacing/<int:plan_id>/", views.pacing_plan, name="pacing_plan"),
    path("me/tools/relaxation/", views_relaxation.relaxation, name="relaxation"),
    path("me/tools/relaxation/breathing/", views_relaxation.breathing, name="breathing"),
    path("me/tools/relaxation/muscle/", views_relaxation.muscle, name="muscle"),
    path("me/tools/activities/", views_activities.activities, name="activities"),
    path("me/tools/activities/week/", views_activities.activity_week, name="activity_week"),
    path("me/tools/lifestyle/", views_lifestyle.lifestyle, name="lifestyle"),
    path("me/tools/lifestyle/fields/", views_lifestyle.lifestyle_settings, name="lifestyle_settings"),
    path("me/tools/understanding/", views_learn.learn, name="learn"),
    path("me/tools/understanding/<slug:slug>/", views_learn.learn_page, name="learn_page"),
    path("clinician/patients/<int:patient_id>/tools/", views.patient_tools, name="patient_tools"),
]
