from __future__ import annotations

from django.urls import path

from painmind.accounts import views

app_name = "accounts"
urlpatterns = [
    path("me/sharing/", views.sharing, name="sharing"),
    path("settings/", views.profile, name="profile"),
    path("me/sharing/<int:consent_id>/revoke/", views.revoke, name="revoke"),
    path("clinician/", views.clinician_home, name="clinician_home"),
]
