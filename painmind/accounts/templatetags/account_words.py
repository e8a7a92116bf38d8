"""Small helpers for PainMind's versions of django-allauth's pages: its field labels in our
words, and the facts the pages need (is sign-up open, must this person keep a second factor)."""

from __future__ import annotations

from django import template
from django.conf import settings

from painmind.accounts.models import User
from painmind.accounts.signin.mfa import mfa_required

register = template.Library()

# allauth's labels (Title Case, "(again)") as PainMind writes them.
LABELS = {
    "Email": "Email",
    "Password": "Password",
    "Password (again)": "Password again",
    "Current Password": "Current password",
    "New Password": "New password",
    "New Password (again)": "New password again",
    "Code": "Code",
    "Authenticator code": "Authenticator code",
}


@register.filter
def plain_label(label: object) -> str:
    text = str(label)
    return LABELS.get(text, text)


@register.simple_tag
def signup_open() -> bool:
    """Anyone may make an account (PAINMIND_SIGNUP_MODE=open); only then do pages offer it."""
    return bool(settings.PAINMIND_SIGNUP_MODE == "open")


@register.filter
def second_factor_required(user: object) -> bool:
    return isinstance(user, User) and mfa_required(user)
