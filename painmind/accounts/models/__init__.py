"""The accounts app's models, one module per topic; import them from here.

- `users`: `User`, its `Role` and `Discipline`, and the defaults and validators of its fields
  (migrations name them as ``painmind.accounts.models.<name>``, so they stay importable here);
- `consent`: `Consent`, `ConsentQuerySet` and `active_consent_q`, the one definition of an active grant;
- `tokens`: `ApiToken`;
- `audit`: `AuditEvent`, `AuditAction`, and `AppendOnlyModel`/`AppendOnlyQuerySet` for records never rewritten;
- `sharing`: `Invite` and `ShareLink` (with `SHARE_SCOPES`, what a link can show);
- `signup`: `SignupLink`, its trail `SignupLinkEvent`, and `SignupLinkAttempt` (refused links).
"""

# In the order the models were defined in when this was one module, so the app registry lists
# them (and a new database numbers their content types) as before.
from painmind.accounts.models.users import (  # noqa: I001
    Discipline,
    Role,
    User,
    UserManager,
    default_country,
    default_time_zone,
    validate_country,
    validate_time_zone,
)
from painmind.accounts.models.consent import Consent, ConsentQuerySet, active_consent_q
from painmind.accounts.models.tokens import ApiToken, ApiTokenQuerySet
from painmind.accounts.models.audit import (
    DELETED_ACCOUNT_LABEL,
    AppendOnlyModel,
    AppendOnlyQuerySet,
    AuditAction,
    AuditEvent,
)
from painmind.accounts.models.sharing import (
    SHARE_SCOPES,
    Invite,
    InviteCodeAttempt,
    InviteQuerySet,
    ShareLink,
    ShareLinkQuerySet,
)
from painmind.accounts.models.signup import (
    SIGNUP_LINK_ROLES,
    SignupLink,
    SignupLinkAttempt,
    SignupLinkEvent,
    SignupLinkQuerySet,
)

__all__ = [
    "DELETED_ACCOUNT_LABEL",
    "SHARE_SCOPES",
    "SIGNUP_LINK_ROLES",
    "ApiToken",
    "ApiTokenQuerySet",
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "AuditAction",
    "AuditEvent",
    "Consent",
    "ConsentQuerySet",
    "Discipline",
    "Invite",
    "InviteCodeAttempt",
    "InviteQuerySet",
    "Role",
    "ShareLink",
    "ShareLinkQuerySet",
    "SignupLink",
    "SignupLinkAttempt",
    "SignupLinkEvent",
    "SignupLinkQuerySet",
    "User",
    "UserManager",
    "active_consent_q",
    "default_country",
    "default_time_zone",
    "validate_country",
    "validate_time_zone",
]
