"""Tokens people can see and end: names, expiry, the cap, listing and revoking on the web, over
the API and from the CLI, and a password change ending every token and other session."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import PASSWORD
from painmind.accounts.models import ApiToken

TOKEN_URL = "/api/v1/auth/token"
PROBE = "/api/v1/access-log"  # any route a patient's token opens


def sign_in(client, email, **extra):
    body = {"email": email, "password": PASSWORD, **extra}
    return client.post(TOKEN_URL, body, content_type="application/json")


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_signing_in_names_the_token_and_sets_its_expiry_from_the_site_setting(client, pat, settings):
    settings.TOKEN_DAYS = 30
    before = timezone.now()
    r = sign_in(client, pat.email, name="my phone")
    assert r.status_code == 200
    body = r.json()
    row = ApiToken.objects.get(user=pat)
    assert (body["id"], body["name"], row.name) == (row.pk, "my phone", "my phone")
    # 30 days after it was made, to the second.
    assert timedelta(days=30) <= row.expires_at - before < timedelta(days=30, seconds=5)
    assert sign_in(client, pat.email).json()["name"] == "API sign-in"  # the default name


def test_an_expired_token_answers_401(client, pat):
    secret = sign_in(client, pat.email).json()["token"]
    assert client.get(PROBE, headers=bearer(secret)).status_code == 200
    row = ApiToken.objects.get(user=pat)
    ApiToken.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(days=91), expires_at=timezone.now() - timedelta(seconds=1)
    )
    r = client.get(PROBE, headers=bearer(secret))
    assert r.status_code == 401


def test_repeated_sign_ins_keep_at_most_the_cap_revoking_the_least_recently_used(client, pat, settings):
    settings.TOKEN_MAX_ACTIVE = 3
    secrets = [sign_in(client, pat.email, name=f"t{i}").json()["token"] for i in range(3)]
    # Use the first one, so the second (never used, older than the third) is least recently used.
    assert client.get(PROBE, headers=bearer(secrets[0])).status_code == 200
    fourth = sign_in(client, pat.email, name="t3").json()["token"]
    live = set(ApiToken.objects.filter(user=pat).active().values_list("name", flat=True))
    assert live == {"t0", "t2", "t3"}
    assert ApiToken.objects.get(name="t1").revoked_at is not None
    assert client.get(PROBE, headers=bearer(secrets[1])).status_code == 401
    for secret in (secrets[0], secrets[2], fourth):
        assert client.get(PROBE, headers=bearer(secret)).status_code == 200


def test_api_lists_own_live_tokens_without_secrets_and_revokes_one(client, pat, cara):
    first = sign_in(client, pat.email, name="laptop").json()
    second = sign_in(client, pat.email, name="phone").json()
    theirs = sign_in(client, cara.email, name="cara's").json()
    r = client.get("/api/v1/auth/tokens", headers=bearer(first["token"]))
    assert r.status_code == 200
    rows = r.json()
    assert [t["name"] for t in rows] == ["phone", "laptop"]  # newest first, only pat's
    assert all(first["token"] not in str(t) and second["token"] not in str(t) for t in rows)
    assert rows[1]["last_used_at"] is not None
    assert rows[0]["last_used_at"] is None
    assert rows[0]["status"] == "active"
    # Someone else's token is 404, like a missing one, and stays live.
    r = client.delete(f"/api/v1/auth/tokens/{theirs['id']}", headers=bearer(first["token"]))
    assert r.status_code == 404
    assert ApiToken.objects.get(pk=theirs["id"]).revoked_at is None
    r = client.delete(f"/api/v1/auth/tokens/{second['id']}", headers=bearer(first["token"]))
    assert r.status_code == 200
    assert r.json()["status"] == "revoked"
    assert client.get(PROBE, headers=bearer(second["token"])).status_code == 401
    # A token can end itself; it answers 401 from then on.
    assert client.delete(f"/api/v1/auth/tokens/{first['id']}", headers=bearer(first["token"])).status_code == 200
    assert client.get("/api/v1/auth/tokens", headers=bearer(first["token"])).status_code == 401
    assert ApiToken.objects.filter(user=pat).active().count() == 0


def test_settings_page_lists_makes_and_ends_tokens(client, pat, olga):
    sign_in(client, olga.email, name="olga's script")
    client.force_login(pat)
    r = client.post("/settings/tokens/", {"name": "sync script"})
    assert r.status_code == 200
    row = ApiToken.objects.get(user=pat)
    page = r.content.decode()
    secret = page.split('id="new-token" readonly value="')[1].split('"')[0]
    assert secret.startswith("pm_")
    assert client.get(PROBE, headers=bearer(secret)).status_code == 200
    page = client.get("/settings/tokens/").content.decode()
    assert "sync script" in page
    assert row.prefix in page
    assert secret not in page
    assert "olga's script" not in page
    assert client.post("/settings/tokens/", {"name": ""}).status_code == 400
    assert ApiToken.objects.filter(user=pat).count() == 1
    olgas = ApiToken.objects.get(user=olga)
    assert client.post(f"/settings/tokens/{olgas.pk}/revoke/").status_code == 404
    r = client.post(f"/settings/tokens/{row.pk}/revoke/")
    assert r.status_code == 302
    assert client.get(PROBE, headers=bearer(secret)).status_code == 401
    assert "No tokens in use." in client.get("/settings/tokens/").content.decode()
    assert ApiToken.objects.get(user=olga).revoked_at is None


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_cli_lists_and_revokes(client, pat):
    made = sign_in(client, pat.email, name="phone").json()
    lines = run("token", "list", pat.email).splitlines()
    assert lines[0].split("\t") == ["id", "name", "prefix", "created_at", "last_used_at", "expires_at"]
    assert len(lines) == 2
    assert lines[1].split("\t")[:3] == [str(made["id"]), "phone", made["token"][:10]]
    assert "revoked" in run("token", "revoke", str(made["id"]))
    assert client.get(PROBE, headers=bearer(made["token"])).status_code == 401
    assert run("token", "list", pat.email).splitlines()[1:] == []
    assert "already revoked" in run("token", "revoke", str(made["id"]))


@pytest.mark.parametrize(
    ("arg", "message"), [("abc", "not a whole number"), ("999999", "no token"), ("99999999999999999999", "no token")]
)
def test_cli_revoke_refuses_bad_ids_in_one_line(db, arg, message):
    with pytest.raises(CommandError, match=message):
        run("token", "revoke", arg)


def test_a_password_change_ends_every_token_and_other_sessions(client, pat, settings):
    from django.test import Client

    tokens = [sign_in(client, pat.email, name=n).json()["token"] for n in ("a", "b")]
    other = Client()
    other.force_login(pat)
    assert other.get("/settings/").status_code == 200
    # Whichever view or command does it, it is set_password then save.
    pat.set_password("a-new-long-passphrase")
    pat.save()
    for secret in tokens:
        assert client.get(PROBE, headers=bearer(secret)).status_code == 401
    assert ApiToken.objects.filter(user=pat, revoked_at__isnull=True).count() == 0
    r = other.get("/settings/")
    assert r.status_code == 302
    assert "/login/" in r["Location"]


def test_saving_other_fields_or_signing_in_keeps_tokens(client, pat):
    secret = sign_in(client, pat.email).json()["token"]
    pat.display_name = "Pat E."
    pat.save()
    assert client.post("/login/", {"login": pat.email, "password": PASSWORD}).status_code == 302
    assert client.get(PROBE, headers=bearer(secret)).status_code == 200
