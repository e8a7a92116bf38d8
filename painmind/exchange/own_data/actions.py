"""Deleting an account: by the person (after their password) or by the operator at the command
line. One transaction: everything goes, or nothing does (docs/privacy.md)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, User
from painmind.exchange.own_data.erasure import Erased, erase
from painmind.lib.errors import ActionError


def do_delete_own_account(actor: Actor, password: str) -> Erased:
    """The signed-in person deletes their own account, after re-entering their password. Their
    records go; the histories keep a pseudonym (erasure.py); their tokens and sessions end with
    the user row, and the e-mail address can sign up again as a new person."""
    user = actor.user
    if user is None or not user.is_active:
        raise Http404("No such account.")
    if not password or not user.check_password(password):
        raise ActionError({"password": ["is not your password."]})
    with transaction.atomic():
        return erase(User.objects.select_for_update().get(pk=user.pk))


def do_delete_person(actor: Actor, email: str) -> Erased:
    """The operator deletes a person's account (`painmind delete-person EMAIL --yes`); recorded in
    the audit log first, so the history says who deleted it (then pseudonymised with the rest)."""
    if actor.user is not None or actor.via != "cli":
        raise Http404("No such account.")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email=email.strip().lower()).first()
        if user is None:
            raise ActionError({"email": [f"no account with e-mail {email!r}."]})
        record(actor, user, AuditAction.DELETE, "account")
        return erase(user)
