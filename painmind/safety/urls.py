from __future__ import annotations

from django.urls import path

from painmind.safety import views

app_name = "safety"
urlpatterns = [
    path("clinician/alerts/", views.alerts, name="alerts"),
    path("clinician/alerts/<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    # Signed in or not: linked from every page's footer and from the sign-in page.
    path("help/", views.help_page, name="help"),
    path("me/crisis/", views.crisis, name="crisis"),
]
