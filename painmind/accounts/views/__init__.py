"""The accounts pages, one module per page or topic.

- `auth`: signing in (`LoginView`) and the role-based start page (`home`), which `config.urls`
  routes and so are importable from here;
- `profile`: a person's own settings;
- `sharing`: the patient's sharing page (grants to clinicians, invitations, revoking);
- `share_links`: the patient's read-only share links;
- `access_log`: the patient's "Who viewed my data" page;
- `invites`: the clinician's side of invitations (entering a code, accepting, declining).
"""

from painmind.accounts.views.auth import LoginView, home

__all__ = ["LoginView", "home"]
