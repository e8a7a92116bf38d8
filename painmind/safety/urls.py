from __future__ import annotations

from django.urls import path

from painmind.safety import followup_views, views

app_name = "safety"
urlpatterns = [
    path("clinician/alerts/", views.alerts, name="alerts"),
    path("clinician/alerts/<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("clinician/alerts/acknowledge/", views.acknowledge_many, name="acknowledge_many"),
    # The follow-up questions after a positive or blank PHQ-9 item 9 (the ASQ).
    path("me/follow-up/<int:response_id>/", followup_views.follow_up, name="follow_up"),
    path("me/follow-up/<int:response_id>/skip/", followup_views.skip_follow_up, name="skip_follow_up"),
    # Signed in or not: linked from every page's footer and from the sign-in page.
    path("help/", views.help_page, name="help"),
    path("me/crisis/", views.crisis, name="crisis"),
]
