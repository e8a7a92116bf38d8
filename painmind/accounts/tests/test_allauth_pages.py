"""django-allauth's pages in PainMind's layout and words: each extends the site's base page
(skip link, header, crisis line in the footer), has no inline script or style (the CSP), labels
every field in plain words, and never offers sign-up unless sign-up is open."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import PASSWORD
from tests.totp import totp

ALLAUTH_WORDS = ("Sign Up", "Signup", "Two-Factor", "Authenticator App", "Reset My Password", "Re-send", "Menu:")


def _check(client: Client, url: str, heading: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.get("Location"))
    html = r.content.decode()
    assert '<a class="skip" href="#main">Skip to content</a>' in html, url  # the site's base page
    assert 'href="/help/"' in html, url
    body = html.split("</head>", 1)[1]
    assert "<script" not in body, url
    assert "style=" not in body, url
    assert f"<h1>{heading}</h1>" in html, url
    for word in ALLAUTH_WORDS:
        assert word not in html, (url, word)
    for field_id in re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', html):
        assert f'for="{field_id}"' in html, (url, field_id)  # every field has its label
    return html


def _sign_in(client: Client, email: str) -> None:
    assert client.post("/login/", {"login": email, "password": PASSWORD}).status_code == 302


def test_the_pages_without_an_account(client, db):
    _check(client, "/login/", "Sign in")
    _check(client, "/accounts/password/reset/", "Forgotten your password?")
    _check(client, "/accounts/password/reset/done/", "Check your email")
    _check(client, "/accounts/password/reset/key/1-set-password/", "This link does not work")
    closed = _check(client, "/accounts/signup/", "Accounts are made by your clinic")
    assert "Make an account" not in _check(client, "/login/", "Sign in")
    assert "sign-up link" in closed


@pytest.mark.parametrize("mode", ["closed", "invitation"])
def test_sign_up_is_offered_only_when_open(client, db, settings, mode):
    settings.PAINMIND_SIGNUP_MODE = mode
    assert 'href="/accounts/signup/"' not in _check(client, "/login/", "Sign in")
    settings.PAINMIND_SIGNUP_MODE = "open"
    assert 'href="/accounts/signup/"' in _check(client, "/login/", "Sign in")
    page = _check(client, "/accounts/signup/", "Make your PainMind account")
    for label in ("Email", "Password", "Password again"):
        assert f">{label}</label>" in page


def test_the_account_pages_and_the_two_step_pages(client, pat):
    _sign_in(client, pat.email)
    change = _check(client, "/accounts/password/change/", "Change your password")
    for label in ("Current password", "New password", "New password again"):
        assert f">{label}</label>" in change
    _check(client, "/accounts/email/", "Your email address")
    _check(client, "/accounts/logout/", "Sign out")
    index = _check(client, "/accounts/2fa/", "Two-step sign-in")
    assert 'href="/accounts/2fa/totp/activate/"' in index
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    _check(client, "/accounts/reauthenticate/", "Confirm it is you")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    activate = _check(client, "/accounts/2fa/totp/activate/", "Set up an authenticator app")
    assert ">Authenticator code</label>" in activate
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]{16,})"', activate)
    assert secret is not None
    assert client.post("/accounts/2fa/totp/activate/", {"code": totp(secret.group(1))}).status_code == 302
    codes = _check(client, "/accounts/2fa/recovery-codes/", "Recovery codes")
    assert ">Unused codes</label>" in codes
    _check(client, "/accounts/2fa/recovery-codes/generate/", "Make new recovery codes?")
    assert "Turn off two-step sign-in" in _check(client, "/accounts/2fa/", "Two-step sign-in")
    _check(client, "/accounts/2fa/totp/deactivate/", "Turn off two-step sign-in?")
    client.post("/logout/")
    _sign_in(client, pat.email)
    assert ">Code</label>" in _check(client, "/accounts/2fa/authenticate/", "Enter your code")


def test_a_role_that_needs_a_second_factor_is_told_it_cannot_turn_it_off(client, olga, settings):
    settings.PAINMIND_MFA_REQUIRED_ROLES = ["clinician", "admin"]
    _sign_in(client, olga.email)
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]{16,})"', page)
    assert secret is not None
    assert client.post("/accounts/2fa/totp/activate/", {"code": totp(secret.group(1))}).status_code == 302
    index = _check(client, "/accounts/2fa/", "Two-step sign-in")
    assert "Your role needs it: you cannot turn it off." in index
    assert 'href="/accounts/2fa/totp/deactivate/"' not in index
