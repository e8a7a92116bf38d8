"""Sign-up links (PAINMIND_SIGNUP_MODE=invitation): made by the operator or an admin, opening
sign-up for one role (and address), used up by the account they make, revocable, with one
answer for every link that opens nothing."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from painmind.accounts.actions import do_create_signup_link, do_revoke_signup_link
from painmind.accounts.audit import Actor
from painmind.accounts.models import Role, SignupLink, SignupLinkAttempt, SignupLinkEvent, User
from tests.concurrency import run_at_once

PASSWORD = "a-long-enough-passphrase"
OPERATOR = Actor.cli()


def _form(email: str) -> dict[str, str]:
    return {"email": email, "password1": PASSWORD, "password2": PASSWORD}


def _path(token: str) -> str:
    return f"/signup/{token}/"


@pytest.fixture
def invitation(settings):
    settings.PAINMIND_SIGNUP_MODE = "invitation"


def _sign_up(client: Client, token: str, email: str):
    opened = client.get(_path(token))
    if opened.status_code != 302:
        return opened
    return client.post(opened["Location"].split("?")[0], _form(email))


def test_the_operator_makes_a_link_shown_once_and_stored_as_its_digest(db, invitation):
    out = io.StringIO()
    call_command("signup_link", "create", "--role", "patient", "--days", "3", stdout=out)
    url = out.getvalue().strip()
    assert url.startswith("http://127.0.0.1:8000/signup/su_")
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = SignupLink.objects.get()
    assert link.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(SignupLink.objects.values().get())
    assert (link.role, link.max_uses, link.uses) == ("patient", 1, 0)
    assert timedelta(days=3) - (link.expires_at - link.created_at) < timedelta(seconds=1)
    event = SignupLinkEvent.objects.get()
    assert (event.kind, event.actor, event.via) == ("create", None, "cli")


def test_list_and_revoke_from_the_command_line(db, invitation):
    link, _ = do_create_signup_link(OPERATOR, role="clinician", discipline="psychology", email="Gp@Example.org")
    out = io.StringIO()
    call_command("signup_link", "list", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split("\t")[:5] == [str(link.pk), "clinician", "gp@example.org", "0/1", "live"]
    out = io.StringIO()
    call_command("signup_link", "revoke", str(link.pk), stdout=out)
    assert out.getvalue().strip() == f"sign-up link {link.pk} revoked"
    link.refresh_from_db()
    assert link.status == "revoked"
    assert [e.kind for e in SignupLinkEvent.objects.order_by("id")] == ["create", "revoke"]
    with pytest.raises(CommandError, match="no sign-up link with id 99999"):
        call_command("signup_link", "revoke", "99999")


@pytest.mark.slow
def test_painmind_signup_link_is_the_command_and_fails_in_one_line(tmp_path):
    env = {**os.environ, "PAINMIND_DATA_DIR": str(tmp_path), "PAINMIND_DEFAULT_COUNTRY": "GB"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "painmind", "signup-link", "create", "--role", "patient", "--days", "99"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == ["CommandError: days: must be a whole number from 1 to 30"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "clinician"], "discipline"),
        (["--role", "patient", "--discipline", "psychology"], "discipline"),
        (["--role", "patient", "--days", "31"], "days: must be a whole number from 1 to 30"),
        (["--role", "patient", "--uses", "0"], "uses: must be a whole number from 1 to 100"),
        (["--role", "patient", "--email", "not-an-address"], "email: enter a valid email address"),
    ],
)
def test_bad_options_name_the_field_and_make_nothing(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("signup_link", "create", *args)
    assert not SignupLink.objects.exists()


def test_a_link_makes_a_patient_account_once(client, db, invitation):
    _, token = do_create_signup_link(OPERATOR, role="patient")
    r = _sign_up(client, token, "new.person@example.org")
    assert r.status_code == 302
    assert r["Location"] == "/welcome/"
    user = User.objects.get(email="new.person@example.org")
    assert (user.role, user.is_staff) == (Role.PATIENT, False)
    link = SignupLink.objects.get()
    assert (link.uses, link.status) == (1, "used")
    claim = SignupLinkEvent.objects.get(kind="claim")
    assert (claim.account, claim.via) == (user, "web")

    # A second person with the same link: refused, and no account.
    other = Client()
    r = _sign_up(other, token, "second@example.org")
    assert r.status_code == 404
    assert not User.objects.filter(email="second@example.org").exists()


def test_a_clinician_link_gives_the_role_and_discipline_and_enrolment_follows(client, db, invitation, settings):
    settings.PAINMIND_MFA_REQUIRED_ROLES = ["clinician", "admin"]
    _, token = do_create_signup_link(OPERATOR, role="clinician", discipline="physiotherapy")
    _sign_up(client, token, "physio@example.org")
    user = User.objects.get(email="physio@example.org")
    assert (user.role, user.discipline) == (Role.CLINICIAN, "physiotherapy")
    r = client.get("/welcome/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/2fa/totp/activate/"


def test_a_link_for_one_address_refuses_another(client, db, invitation):
    _, token = do_create_signup_link(OPERATOR, role="patient", email="meant@example.org")
    opened = client.get(_path(token))
    assert opened["Location"] == "/accounts/signup/?email=meant%40example.org"
    r = client.post("/accounts/signup/", _form("someone.else@example.org"))
    assert r.status_code == 200
    assert "This sign-up link is for another e-mail address." in r.content.decode()
    assert not User.objects.filter(email="someone.else@example.org").exists()
    r = client.post("/accounts/signup/", _form("Meant@Example.org"))
    assert User.objects.get(email="meant@example.org").role == Role.PATIENT


def test_a_link_revoked_after_it_was_opened_makes_nothing(client, db, invitation):
    link, token = do_create_signup_link(OPERATOR, role="patient")
    client.get(_path(token))
    do_revoke_signup_link(OPERATOR, link.pk)
    r = client.post("/accounts/signup/", _form("late@example.org"))
    assert not User.objects.filter(email="late@example.org").exists()
    assert r.status_code in (200, 404)


def test_without_a_link_invitation_mode_stays_closed(client, db, invitation):
    r = client.post("/accounts/signup/", _form("nolink@example.org"))
    assert r.status_code == 200
    assert not User.objects.filter(email="nolink@example.org").exists()


def test_closed_mode_refuses_even_a_good_link(client, db, settings):
    _, token = do_create_signup_link(OPERATOR, role="patient")
    assert settings.PAINMIND_SIGNUP_MODE == "closed"
    assert client.get(_path(token)).status_code == 404


def test_wrong_used_expired_revoked_and_over_the_limit_get_one_answer(client, db, invitation):
    used, used_token = do_create_signup_link(OPERATOR, role="patient")
    SignupLink.objects.filter(pk=used.pk).update(uses=1)
    expired, expired_token = do_create_signup_link(OPERATOR, role="patient")
    SignupLink.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(seconds=1)
    )
    revoked, revoked_token = do_create_signup_link(OPERATOR, role="patient")
    do_revoke_signup_link(OPERATOR, revoked.pk)
    _, good = do_create_signup_link(OPERATOR, role="patient")
    bad = [used_token, expired_token, revoked_token, "su_nothing", "x", *[f"su_guess{i}" for i in range(5)]]
    answers = set()
    for token in [*bad, good]:  # the tenth refusal in the hour reaches the limit: then even the good link
        r = client.get(_path(token))
        answers.add((r.status_code, re.sub(rb'X-CSRFToken": "[^"]*"', b"", r.content)))
    assert len(answers) == 1, "byte for byte the same answer (but for the page's CSRF token)"
    status, body = answers.pop()
    assert status == 404
    assert b"This sign-up link cannot be used." in body
    assert SignupLinkAttempt.objects.count() == 11
    # From another address the good link still works.
    r = Client(REMOTE_ADDR="192.0.2.7").get(_path(good))
    assert r.status_code == 302


def test_an_admin_makes_and_revokes_links_in_the_admin(client, ada, invitation):
    client.force_login(ada)
    r = client.post(
        "/admin/accounts/signuplink/add/",
        {"role": "patient", "discipline": "", "email": "", "days": "5", "uses": "2"},
        follow=True,
    )
    assert r.status_code == 200
    link = SignupLink.objects.get()
    assert (link.max_uses, link.created_by) == (2, ada)
    page = r.content.decode()
    token = page.split("/signup/")[1].split("/")[0]
    assert hashlib.sha256(token.encode()).hexdigest() == link.token_digest
    r = client.post(
        "/admin/accounts/signuplink/", {"action": "revoke", "_selected_action": [str(link.pk)]}, follow=True
    )
    link.refresh_from_db()
    assert link.status == "revoked"
    assert [(e.kind, e.actor, e.via) for e in SignupLinkEvent.objects.order_by("id")] == [
        ("create", ada, "admin"),
        ("revoke", ada, "admin"),
    ]


def test_a_patient_cannot_make_a_link(pat):
    from painmind.lib.errors import ActionError

    with pytest.raises(ActionError, match="only a clinician, an administrator or the operator"):
        do_create_signup_link(Actor(user=pat, via="web"), role="clinician", discipline="psychology")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_racing_for_a_single_use_link_make_one_account(settings):
    settings.PAINMIND_SIGNUP_MODE = "invitation"
    _, token = do_create_signup_link(OPERATOR, role="patient")
    clients = [Client(REMOTE_ADDR=f"192.0.2.{i}") for i in (1, 2)]
    for c in clients:
        assert c.get(_path(token)).status_code == 302

    def sign_up(c: Client, email: str):
        return lambda: c.post("/accounts/signup/", _form(email)).status_code

    outcomes = run_at_once(sign_up(clients[0], "first@example.org"), sign_up(clients[1], "second@example.org"))
    assert [o.error for o in outcomes] == [None, None]
    assert sorted(o.value for o in outcomes) == [302, 404]
    assert User.objects.filter(email__in=["first@example.org", "second@example.org"]).count() == 1
    link = SignupLink.objects.get()
    assert link.uses == 1
    assert SignupLinkEvent.objects.filter(kind="claim").count() == 1
