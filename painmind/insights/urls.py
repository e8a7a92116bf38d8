from __future__ import annotations

from django.urls import path

from painmind.insights import views

app_name = "insights"
urlpatterns = [
    path("me/cycle/", views.my_cycle, name="my_cycle"),
    path("me/cycle/how/", views.method, name="method"),
    path("clinician/patients/<int:patient_id>/cycle/", views.patient_cycle, name="patient_cycle"),
]
