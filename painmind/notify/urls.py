from __future__ import annotations

from django.urls import path

from painmind.notify import views

app_name = "notify"
urlpatterns = [
    path("me/reminders/", views.reminders, name="reminders"),
]
