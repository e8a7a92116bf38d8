"""Every write to accounts, consent, API tokens and sharing: atomic, checked, recorded.

- `users`: creating an account, a person changing their own settings;
- `consent`: a patient granting and revoking a clinician's access (and `do_create_grant`,
  the unchecked step the invitations share);
- `tokens`: issuing, listing and revoking API tokens, and authenticating a bearer token;
- `invites`: a patient's invitations to clinicians, their e-mail, and the clinician's answer;
- `share_links`: a patient's read-only share links;
- `signup_links`: sign-up links (made by the operator, an admin or a clinician, used up by
  sign-up); `signup_link_mail` e-mails one; `signup_offer`: sharing with the inviting clinician.
"""

from painmind.accounts.actions.consent import do_grant_consent, do_revoke_consent
from painmind.accounts.actions.invites import (
    do_accept_invite,
    do_cancel_invite,
    do_create_invite,
    do_decline_invite,
    do_send_invite_mail,
    do_send_pending_invite_mail,
    format_invite_code,
    normalize_invite_code,
)
from painmind.accounts.actions.share_links import SHARE_LINK_MAX_DAYS, do_create_share_link, do_revoke_share_link
from painmind.accounts.actions.signup_links import do_create_signup_link, do_revoke_signup_link, signup_links_made_by
from painmind.accounts.actions.signup_offer import do_share_with_inviting_clinician, inviting_clinician
from painmind.accounts.actions.tokens import (
    active_tokens_for_user,
    do_authenticate_api_token,
    do_create_api_token,
    do_revoke_all_api_tokens,
    do_revoke_api_token,
)
from painmind.accounts.actions.users import clean_country, do_create_user, do_mark_welcomed, do_update_profile

__all__ = [
    "SHARE_LINK_MAX_DAYS",
    "active_tokens_for_user",
    "clean_country",
    "do_accept_invite",
    "do_authenticate_api_token",
    "do_cancel_invite",
    "do_create_api_token",
    "do_create_invite",
    "do_create_share_link",
    "do_create_signup_link",
    "do_create_user",
    "do_decline_invite",
    "do_grant_consent",
    "do_mark_welcomed",
    "do_revoke_all_api_tokens",
    "do_revoke_api_token",
    "do_revoke_consent",
    "do_revoke_share_link",
    "do_revoke_signup_link",
    "do_send_invite_mail",
    "do_send_pending_invite_mail",
    "do_share_with_inviting_clinician",
    "do_update_profile",
    "format_invite_code",
    "inviting_clinician",
    "normalize_invite_code",
    "signup_links_made_by",
]
