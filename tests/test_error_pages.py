"""The 404 and 500 pages (DEBUG off, as in production): styled, with a way home; the favicon and
the web-app manifest come from the site itself, through whitenoise."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# This module is also the URL conf of the 500 test: the site's addresses plus one that fails.
urlpatterns = [path("boom/", _boom), path("", include("config.urls"))]


@pytest.fixture(autouse=True)
def _debug_off(settings: Any) -> None:
    settings.DEBUG = False


def _body(response: Any) -> bytes:
    try:
        return b"".join(response.streaming_content) if response.streaming else response.content
    finally:
        response.close()  # whitenoise streams the file: close it


def test_404_is_styled_with_a_way_home(client: Client, db: None) -> None:
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "We could not find that page" in html
    assert 'href="/"' in html
    assert re.search(r'<link rel="stylesheet" href="/static/painmind/app\.[0-9a-f]+\.css">', html)


def test_404_for_a_signed_in_patient_keeps_the_menu(client: Client, pat: Any) -> None:
    client.force_login(pat)
    html = client.get("/no-such-page/").content.decode()
    assert '<nav aria-label="Main"' in html
    assert "Go to your home page" in html


@pytest.mark.urls("tests.test_error_pages")
def test_500_is_styled_with_a_way_home(db: None) -> None:
    client = Client(raise_request_exception=False)
    r = client.get("/boom/")
    assert r.status_code == 500
    html = r.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html
    assert "a bug" not in html  # no detail of the fault
    assert re.search(r'href="/static/painmind/app\.[0-9a-f]+\.css"', html)


def test_favicon_and_manifest_are_served_locally(client: Client, db: None) -> None:
    html = client.get("/login/").content.decode()
    icon = re.search(r'<link rel="icon" href="(/static/painmind/icon\.[0-9a-f]+\.svg)"', html)
    manifest = re.search(r'<link rel="manifest" href="(/static/painmind/manifest\.[0-9a-f]+\.webmanifest)"', html)
    assert icon
    assert manifest
    r = client.get(icon.group(1))
    assert (r.status_code, r["Content-Type"]) == (200, "image/svg+xml")
    assert _body(r).startswith(b"<svg")
    r = client.get(manifest.group(1))
    assert (r.status_code, r["Content-Type"]) == (200, "application/manifest+json")
    data = json.loads(_body(r))
    assert (data["name"], data["start_url"], data["display"]) == ("PainMind", "/", "standalone")
    # Icon addresses are relative to the manifest's own address.
    for entry in data["icons"]:
        r = client.get(f"/static/painmind/{entry['src']}")
        assert r.status_code == 200
        assert _body(r).startswith(b"<svg")
