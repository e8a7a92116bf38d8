"""The accounts pages, one module per page or topic.

- `auth`: the role-based start page (`home`), which `config.urls` routes and so is importable
  from here (signing in and out, reset, change, e-mail and two-factor pages are django-allauth's,
  in our style: templates/account, templates/mfa);
- `welcome`: the first-sign-in walk-through, by role;
- `signup_links`: a sign-up link's page (it opens allauth's sign-up);
- `profile`: a person's own settings;
- `sharing`: the patient's sharing page (grants to clinicians, invitations, revoking);
- `share_links`: the patient's read-only share links;
- `access_log`: the patient's "Who viewed my data" page;
- `invites`: the clinician's side of invitations (entering a code, accepting, declining).
"""

from painmind.accounts.views.auth import home

__all__ = ["home"]
