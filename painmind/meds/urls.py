from __future__ import annotations

from django.urls import path

from painmind.meds import views

app_name = "meds"
urlpatterns = [
    path("me/meds/", views.home, name="home"),
    path("me/meds/tick/", views.tick, name="tick"),
    path("me/meds/side-effects/", views.side_effect, name="side_effect"),
    path("me/meds/add/", views.add, name="add"),
    path("clinician/patients/<int:patient_id>/meds/add/", views.add, name="patient_add"),
    path("meds/<int:regimen_id>/edit/", views.edit, name="edit"),
    path("meds/<int:regimen_id>/stop/", views.stop, name="stop"),
]
