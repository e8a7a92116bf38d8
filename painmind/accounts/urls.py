from __future__ import annotations

from django.urls import path

from painmind.accounts import views, views_sharing

app_name = "accounts"
urlpatterns = [
    path("me/sharing/", views_sharing.sharing, name="sharing"),
    path("settings/", views.profile, name="profile"),
    path("me/sharing/<int:consent_id>/revoke/", views_sharing.revoke, name="revoke"),
    path("me/sharing/invites/", views_sharing.invite, name="invite"),
    path("me/sharing/invites/<int:invite_id>/cancel/", views_sharing.cancel_invite, name="cancel_invite"),
    path("me/sharing/links/", views_sharing.share_links, name="share_links"),
    path("me/sharing/links/<int:link_id>/revoke/", views_sharing.revoke_share_link, name="revoke_share_link"),
    path("me/access-log/", views_sharing.access_log, name="access_log"),
    path("clinician/invites/", views_sharing.clinician_invites, name="clinician_invites"),
    path("clinician/invites/<int:invite_id>/accept/", views_sharing.accept_invite, name="accept_invite"),
    path("clinician/invites/<int:invite_id>/decline/", views_sharing.decline_invite, name="decline_invite"),
]
