"""`painmind export fhir` and `painmind import fhir` (topics of management/commands/_topics.py).

The operator at the command line (no user, via "cli") reaches every patient; every read and
write is audited as theirs. Errors are one line and a non-zero exit; nothing is written.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.http import Http404

from painmind.accounts.access import get_patient_by_email_for_operator
from painmind.accounts.audit import Actor
from painmind.accounts.models import User

OPERATOR = Actor(user=None, via="cli")


def patient_by_email(email: str) -> User:
    """The patient with this email, for the operator; CommandError naming the email otherwise."""
    try:
        return get_patient_by_email_for_operator(OPERATOR, email)
    except Http404 as exc:
        raise CommandError(str(exc)) from None
