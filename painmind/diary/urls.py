from __future__ import annotations

from django.urls import path

from painmind.diary import views

app_name = "diary"
urlpatterns = [
    path("me/", views.home, name="home"),
    path("clinician/patients/<int:patient_id>/", views.patient_diary, name="patient_diary"),
]
