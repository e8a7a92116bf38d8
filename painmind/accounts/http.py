"""The type of a request from a signed-in person, for views and API routes to annotate."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from painmind.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request from a signed-in person: a view behind ``@login_required``, or an API route
    that takes a bearer token (`painmind.accounts.api.BearerToken` sets ``request.user``).

    Only a type: Django builds a plain `HttpRequest`. Annotating ``request: AuthedRequest``
    states what the decorator or the API's auth guarantees, so ``request.user`` is a `User`
    (not ``User | AnonymousUser``), and ``request.htmx`` is what django-htmx's middleware
    attaches (as django-htmx's docs suggest for typing it). Never use it for a view that
    anonymous people reach.
    """

    user: User
    htmx: HtmxDetails
