"""Token issue and bearer authentication, including every way it can fail."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings as django_settings

from conftest import PASSWORD
from painmind.accounts.models import ApiToken

TOKEN_URL = "/api/v1/auth/token"


def issue(client, email, password, **extra):
    return client.post(TOKEN_URL, {"email": email, "password": password}, content_type="application/json", **extra)


def test_token_is_issued_and_stored_hashed(client, pat):
    r = issue(client, "Pat@Example.org", PASSWORD)
    assert r.status_code == 200
    secret = r.json()["token"]
    assert secret.startswith("pm_")
    row = ApiToken.objects.get(user=pat)
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (row.digest, row.prefix)
    me = client.get("/api/v1/checkins", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200


@pytest.mark.parametrize(("email", "password"), [("pat@example.org", "wrong"), ("nobody@example.org", PASSWORD)])
def test_bad_credentials_get_401_and_no_token(client, pat, email, password):
    r = issue(client, email, password)
    assert r.status_code == 401
    assert r.json()["detail"] == "Invalid email or password."
    assert ApiToken.objects.count() == 0


def test_inactive_user_cannot_get_a_token(client, pat):
    pat.is_active = False
    pat.save()
    assert issue(client, pat.email, PASSWORD).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer pm_not-a-real-token",
        "Bearer not-our-format",
        "Token pm_whatever",
        "Basic cGF0OnB3",
    ],
)
def test_bad_bearer_headers_get_401(client, pat, header):
    headers = {"Authorization": header} if header else {}
    r = client.get("/api/v1/checkins", headers=headers)
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Bearer"
    assert r.json()["errors"] == []


def test_revoked_token_and_deactivated_user_are_refused(client, pat, token_for):
    headers = token_for(pat)
    assert client.get("/api/v1/checkins", headers=headers).status_code == 200
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/v1/checkins", headers=headers).status_code == 401
    ApiToken.objects.update(revoked_at=None)
    pat.is_active = False
    pat.save()
    assert client.get("/api/v1/checkins", headers=headers).status_code == 401


def test_session_cookie_alone_does_not_authenticate_the_api(client, pat):
    client.force_login(pat)
    assert client.get("/api/v1/checkins").status_code == 401


def test_repeated_failures_lock_the_account_out(client, pat, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        issue(client, pat.email, "wrong")
    r = issue(client, pat.email, PASSWORD)
    assert r.status_code == 429
    assert ApiToken.objects.count() == 0


def test_production_password_hasher_is_argon2():
    # conftest swaps in a fast hasher for speed; the shipped settings must use Argon2.
    from importlib import reload

    import config.settings as shipped

    reload(shipped)
    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert django_settings.AUTH_USER_MODEL == "accounts.User"


def test_argon2_hash_is_stored_when_configured(pat, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    pat.set_password("another-long-password")
    pat.save()
    pat.refresh_from_db()
    assert pat.password.startswith("argon2$argon2id$")
    assert pat.check_password("another-long-password")


def test_openapi_schema_is_served_and_documents_bounds(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert "/api/v1/checkins" in doc["paths"]
    assert "/api/v1/patients/{patient_id}/checkins" in doc["paths"]
    pain = doc["components"]["schemas"]["CheckInIn"]["properties"]["pain"]
    assert (pain["minimum"], pain["maximum"]) == (0, 10)


def test_a_token_records_its_last_use_at_most_every_five_minutes(client, pat, olga, token_for):
    from datetime import timedelta

    from django.utils import timezone

    headers = token_for(pat)
    token = ApiToken.objects.get(user=pat)
    assert token.last_used_at is None
    r = client.get("/api/v1/checkins", headers=headers)
    assert r.status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert timezone.now() - first < timedelta(seconds=30)
    client.get("/api/v1/checkins", headers=headers)
    token.refresh_from_db()
    assert token.last_used_at == first  # used again within 5 minutes: not written again
    long_ago = timezone.now() - timedelta(minutes=5, seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    client.get("/api/v1/checkins", headers=headers)
    token.refresh_from_db()
    assert token.last_used_at > long_ago + timedelta(seconds=1)
    # The request's user is the token's, with typed fields (not another person's, not raw text).
    me = client.get("/api/v1/access-log", headers=headers)
    assert me.status_code == 200
    assert client.get("/api/v1/checkins", headers=token_for(olga)).status_code == 404  # a clinician has no diary
