"""The accounts API, one module per topic, each with its own router, joined in `router` here.

- `auth`: `BearerToken` (the API's authentication), `actor` (the acting person, for every app's
  routes) and ``POST /auth/token``;
- `consents`: the clinician's patient list, and consents given or received;
- `invites`: invitations, the patient's side and the clinician's;
- `share_links`: the patient's read-only share links;
- `access_log`: the patient's access log.
"""

from ninja import Router

from painmind.accounts.api import access_log, auth, consents, invites, share_links, tokens
from painmind.accounts.api.auth import BearerToken, actor

router = Router()
router.add_router("", auth.router)
router.add_router("", tokens.router)
router.add_router("", consents.router)
router.add_router("", invites.router)
router.add_router("", share_links.router)
router.add_router("", access_log.router)

__all__ = ["BearerToken", "actor", "router"]
