from __future__ import annotations

from django.urls import path

from painmind.safety import followup_views, views

app_name = "safety"
urlpatterns = [
    path("clinician/alerts/", views.alerts, name="alerts"),
    path("clinician/alerts/<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    # The follow-up questions after a positive or blank PHQ-9 item 9 (the ASQ).
    path("me/follow-up/<int:response_id>/", followup_views.follow_up, name="follow_up"),
    path("me/follow-up/<int:response_id>/skip/", followup_views.skip_follow_up, name="skip_follow_up"),
    # Always reachable from every page's footer.
    path("me/crisis/", views.crisis, name="crisis"),
]
