"""Two-step sign-in (django-allauth's TOTP with recovery codes): required for clinicians and admins
by default, optional for patients, and asked for when an API token is minted. Codes are computed
by tests/totp.py (RFC 6238, checked against the RFC's vectors), not by allauth."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator

from conftest import PASSWORD
from tests.totp import totp

TOKEN = "/api/v1/auth/token"


@pytest.fixture
def required(settings):
    settings.PAINMIND_MFA_REQUIRED_ROLES = ["clinician", "admin"]


def _enrol(client):
    """Set up TOTP on the activation page as a person would: read the secret, type a code. The
    secret and the recovery codes (shown once, on their own page)."""
    r = client.get("/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a security change.
    assert r["Location"] == "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    r = client.post(r["Location"], {"password": PASSWORD})
    assert r["Location"] == "/accounts/2fa/totp/activate/"
    r = client.get("/accounts/2fa/totp/activate/")
    assert r.status_code == 200
    found = re.search(r'value="([A-Z2-7]{16,})"', r.content.decode())
    assert found is not None
    secret = found.group(1)
    r = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})
    assert r.status_code == 302, r.content.decode()[:2000]
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    shown = re.search(r'<textarea[^>]*id="recovery_codes"[^>]*>([^<]*)</textarea>', page)
    assert shown is not None
    codes = shown.group(1).split()
    assert len(set(codes)) == 10
    return secret, sorted(set(codes))


def _reauthenticate(client):
    r = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert r.status_code == 302


def _sign_in(client, email):
    r = client.post("/login/", {"login": email, "password": PASSWORD})
    assert r.status_code == 302
    return r["Location"]


def test_a_clinician_without_a_second_factor_can_do_nothing_but_enrol(client, cara, pat, required):
    assert _sign_in(client, cara.email) == "/"
    for path in ("/", "/clinician/", f"/clinician/patients/{pat.pk}/", "/settings/", "/accounts/email/"):
        r = client.get(path)
        assert r.status_code == 302, path
        assert r["Location"] == "/accounts/2fa/totp/activate/", path
    assert client.get("/help/").status_code == 200  # help is never behind anything
    _enrol(client)
    assert client.get("/clinician/").status_code == 200


def test_a_clinician_signs_in_with_a_code_then_with_a_recovery_code_once(client, cara, required):
    _sign_in(client, cara.email)
    secret, codes = _enrol(client)
    client.post("/logout/")

    assert _sign_in(client, cara.email) == "/accounts/2fa/authenticate/"
    assert client.get("/clinician/")["Location"].startswith("/login/")  # not signed in yet
    r = client.post(
        "/accounts/2fa/authenticate/", {"code": "000000" if totp(secret, ahead=1) != "000000" else "111111"}
    )
    assert r.status_code == 200  # a wrong code: asked again
    r = client.post("/accounts/2fa/authenticate/", {"code": totp(secret, ahead=1)})
    assert r.status_code == 302
    assert client.get("/clinician/").status_code == 200
    client.post("/logout/")

    _sign_in(client, cara.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert client.get("/clinician/").status_code == 200
    client.post("/logout/")
    _sign_in(client, cara.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200  # used up
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[1]}).status_code == 302


def test_a_clinician_cannot_remove_their_only_second_factor(client, cara, required):
    _sign_in(client, cara.email)
    _enrol(client)
    _reauthenticate(client)
    r = client.post("/accounts/2fa/totp/deactivate/")
    assert r.status_code == 200  # the form again, with the reason
    assert Authenticator.objects.filter(user=cara, type="totp").exists()


def test_for_a_patient_it_is_optional_and_works_the_same(client, pat, required):
    assert _sign_in(client, pat.email) == "/"
    assert client.get("/me/").status_code == 200  # no second factor needed
    secret, _codes = _enrol(client)
    client.post("/logout/")
    assert _sign_in(client, pat.email) == "/accounts/2fa/authenticate/"
    assert client.post("/accounts/2fa/authenticate/", {"code": totp(secret, ahead=1)}).status_code == 302
    assert client.get("/me/").status_code == 200
    # ... and may turn it off again.
    _reauthenticate(client)
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user=pat, type="totp").exists()


def test_the_requirement_is_a_site_setting(client, cara, settings):
    settings.PAINMIND_MFA_REQUIRED_ROLES = []
    _sign_in(client, cara.email)
    assert client.get("/clinician/").status_code == 200


def _token(client, email, **extra):
    body = {"email": email, "password": PASSWORD, **extra}
    return client.post(TOKEN, body, content_type="application/json")


def test_a_token_needs_the_second_factor_when_the_account_has_one(client, pat, required):
    assert _token(client, pat.email).status_code == 200  # none yet: email and password
    client.force_login(pat)
    secret, codes = _enrol(client)
    client.logout()
    r = _token(client, pat.email)
    assert r.status_code == 401
    assert r.json()["errors"][0]["field"] == "code"
    assert _token(client, pat.email, code="123").status_code == 401
    assert _token(client, pat.email, code=totp(secret, ahead=1)).status_code == 200
    assert _token(client, pat.email, code=codes[3]).status_code == 200
    assert _token(client, pat.email, code=codes[3]).status_code == 401  # a recovery code works once
    r = client.get(
        "/api/v1/checkins",
        headers={"Authorization": f"Bearer {_token(client, pat.email, code=codes[4]).json()['token']}"},
    )
    assert r.status_code == 200


def test_a_clinician_who_must_enrol_gets_no_token_until_they_have(client, cara, required):
    r = _token(client, cara.email)
    assert r.status_code == 403
    assert "authenticator" in r.json()["detail"]
