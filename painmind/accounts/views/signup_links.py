"""A sign-up link's page: checks the link and opens django-allauth's sign-up for it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from painmind.accounts.actions.signup_links import LINK_REFUSED, open_signup_link
from painmind.accounts.lockout import client_address

# The session key that holds the id of the sign-up link being used (read by signin.adapter).
SIGNUP_LINK_KEY = "painmind_signup_link"


def refused(request: HttpRequest) -> HttpResponse:
    """The one answer to a link that opens nothing, whatever the reason."""
    return render(request, "accounts/signup_link_refused.html", {"reason": LINK_REFUSED}, status=404)


@never_cache
@require_GET
def signup_link(request: HttpRequest, token: str) -> HttpResponse:
    """Open sign-up for this link's role (and address), then go on to the sign-up form, so the
    token leaves the address bar at once. Opening uses nothing up: only a finished sign-up does."""
    from painmind.accounts.signin.adapter import INVITED_EMAIL_KEY

    if request.user.is_authenticated:
        messages.info(request, "You are signed in. Sign out first to make a new account with a sign-up link.")
        return redirect("home")
    if settings.PAINMIND_SIGNUP_MODE == "closed" or len(token) > 100:
        return refused(request)
    link = open_signup_link(token, client_address(request))
    if link is None:
        return refused(request)
    request.session[SIGNUP_LINK_KEY] = link.pk
    request.session[INVITED_EMAIL_KEY] = link.email
    url = reverse("account_signup")
    return redirect(f"{url}?{urlencode({'email': link.email})}" if link.email else url)
