from __future__ import annotations

from django.urls import path

from painmind.reminders import views

app_name = "reminders"
urlpatterns = [
    path("me/reminders/", views.reminders, name="settings"),
]
