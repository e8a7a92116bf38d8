"""Headers every response carries: what the browser may use, and that personal pages are never stored.

Project rules (docs/security.md):

- ``Permissions-Policy`` switches off every powerful browser feature PainMind never uses
  (camera, microphone, location, motion sensors, payment, USB, …) for the site and any frame.
- ``Cache-Control: no-store`` on every response that may carry personal data: every response to
  a signed-in person (a session, or an API token, which the API sets as ``request.user``) and
  every share-link page (public by URL, personal by content). A shared or back-button cache then
  never keeps a diary page. Static files never reach this middleware (WhiteNoise answers them
  first, with their long cache lifetime) and public pages (sign-in, /help/) keep Django's default.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
# Pages anyone with the link may open, that show a person's data.
PERSONAL_PUBLIC_VIEWS = frozenset({"care:shared"})


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _is_personal(request) and "no-store" not in response.get("Cache-Control", ""):
            # max-age=0, no-cache, no-store, must-revalidate, private (and an Expires in the past).
            add_never_cache_headers(response)
        return response


def _is_personal(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    match = request.resolver_match
    return match is not None and match.view_name in PERSONAL_PUBLIC_VIEWS
