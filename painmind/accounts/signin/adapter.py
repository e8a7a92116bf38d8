"""PainMind's allauth adapter: who may sign up (PAINMIND_SIGNUP_MODE), how its e-mails leave, and
which address a sign-in comes from."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from painmind.accounts.actions.signup_links import claim_signup_link, live_signup_link, record_signup_claim
from painmind.accounts.audit import Actor
from painmind.accounts.lockout import client_address
from painmind.accounts.models import User
from painmind.accounts.signin.mail import queue_account_mail
from painmind.accounts.views.signup_links import SIGNUP_LINK_KEY, refused

# The session key that holds the address a sign-up link was made for ("" when the link is for
# anyone); set with SIGNUP_LINK_KEY by the link's page (views.signup_links).
INVITED_EMAIL_KEY = "painmind_signup_email"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """closed: operator and CLI only; invitation: only with a valid sign-up link; open: anyone."""
        mode = settings.PAINMIND_SIGNUP_MODE
        if mode == "open":
            return True
        if mode == "invitation":
            link_id = request.session.get(SIGNUP_LINK_KEY)
            if link_id is not None and live_signup_link(link_id) is None:
                # The link this person opened has since been used up, revoked or has expired:
                # the one refusal of every unusable link (404), as when the last use is lost
                # in save_user, not the "closed" page, so the answer does not depend on timing.
                raise ImmediateHttpResponse(refused(request))
            return link_id is not None
        return False

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> AbstractBaseUser:
        """Make the account; through a sign-up link, in the same transaction as taking one of the
        link's uses, with the link's role. When the use cannot be taken (the link was used up,
        revoked or expired since it was opened) nothing is made and the page says so."""
        link_id = request.session.get(SIGNUP_LINK_KEY)
        if link_id is None:
            if settings.PAINMIND_SIGNUP_MODE != "open":
                raise ImmediateHttpResponse(refused(request))
            return super().save_user(request, user, form, commit)
        with transaction.atomic():
            link = claim_signup_link(link_id, form.cleaned_data["email"])
            if link is None:
                raise ImmediateHttpResponse(refused(request))
            user.role, user.discipline = link.role, link.discipline
            saved = super().save_user(request, user, form, commit=True)
            assert isinstance(saved, User)  # AUTH_USER_MODEL
            record_signup_claim(link, saved, Actor(user=saved, via="web", ip=client_address(request)))
        request.session.pop(SIGNUP_LINK_KEY, None)
        request.session.pop(INVITED_EMAIL_KEY, None)
        return saved

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Until an account has been shown the first-sign-in walk-through, each sign-in (without
        a `next` address) leads there; the page remembers it was shown (views.welcome)."""
        user = request.user
        if isinstance(user, User) and user.welcomed_at is None:
            return reverse("accounts:welcome")
        return str(super().get_login_redirect_url(request))

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).strip().lower()
        request = allauth_context.request
        if request is None or request.user.is_authenticated:
            return email
        invited = request.session.get(INVITED_EMAIL_KEY)
        if invited and email != invited.lower():
            raise forms.ValidationError("This sign-up link is for another e-mail address.")
        return email

    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        """Never verify an address another account signs in with (accounts made before allauth,
        or in the admin, have it only on the user row, which allauth's own check does not see)."""
        taken = User.objects.filter(email__iexact=email_address.email).exclude(pk=email_address.user_id).exists()
        return False if taken else bool(super().confirm_email(request, email_address))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        msg = self.render_mail(template_prefix, email, ctx)
        queue_account_mail(email, str(msg.subject), str(msg.body))

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request) or "0.0.0.0"  # noqa: S104 (a key for rate limits, never bound)
