"""Signing in on django-allauth: the adapter (sign-up modes, mail through the task queue, the
client's address), the MFA requirement for clinicians and admins, and the second factor for API
tokens. See docs/accounts.md."""
