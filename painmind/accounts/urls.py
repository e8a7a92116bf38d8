from __future__ import annotations

from django.urls import path

from painmind.accounts.views import (
    access_log,
    clinician_signup_links,
    invites,
    profile,
    share_links,
    sharing,
    signup_links,
    tokens,
    welcome,
)

app_name = "accounts"
urlpatterns = [
    path("me/sharing/", sharing.sharing, name="sharing"),
    path("settings/", profile.profile, name="profile"),
    path("settings/tokens/", tokens.tokens, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke/", tokens.revoke_token, name="revoke_token"),
    path("welcome/", welcome.welcome, name="welcome"),
    path("welcome/next/", welcome.welcome_next, name="welcome_next"),
    path("welcome/share/", welcome.share_with_inviter, name="welcome_share"),
    path("signup/<str:token>/", signup_links.signup_link, name="signup_link"),
    path("me/sharing/<int:consent_id>/revoke/", sharing.revoke, name="revoke"),
    path("me/sharing/invites/", sharing.invite, name="invite"),
    path("me/sharing/invites/<int:invite_id>/created/", sharing.invite_created, name="invite_created"),
    path("me/sharing/invites/<int:invite_id>/cancel/", sharing.cancel_invite, name="cancel_invite"),
    path("me/sharing/links/", share_links.share_links, name="share_links"),
    path("me/sharing/links/<int:link_id>/revoke/", share_links.revoke_share_link, name="revoke_share_link"),
    path("me/access-log/", access_log.access_log, name="access_log"),
    path("clinician/invites/", invites.clinician_invites, name="clinician_invites"),
    path("clinician/invites/<int:invite_id>/accept/", invites.accept_invite, name="accept_invite"),
    path("clinician/invites/<int:invite_id>/decline/", invites.decline_invite, name="decline_invite"),
    path("clinician/signup-links/", clinician_signup_links.clinician_signup_links, name="clinician_signup_links"),
    path(
        "clinician/signup-links/<int:link_id>/revoke/",
        clinician_signup_links.revoke_clinician_signup_link,
        name="revoke_clinician_signup_link",
    ),
]
