"""Self-service on django-allauth: signing in with the e-mail address, password reset and change by
e-mail, and changing the e-mail address only once the new one is verified. Mail leaves through
the task queue (transactional tests: queued after the commit, sent by the worker)."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD
from painmind.accounts.models import User
from tests.tasks import run_queued_tasks

NEW_PASSWORD = "a-new-and-longer-passphrase"


def _link(body: str) -> str:
    found = re.search(r"https?://[^\s]+", body)
    assert found, body
    return "/" + found.group(0).split("/", 3)[3]


def test_sign_in_with_the_email_in_any_case_then_sign_out(client, pat):
    r = client.post("/login/", {"login": "Pat@Example.org", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/me/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/me/")["Location"].startswith("/login/")


def test_the_sign_in_page_keeps_its_words(client, db):
    html = client.get("/login/").content.decode()
    assert '<label for="id_login">Email</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert ">Sign in</button>" in html
    assert "<script" not in html.split("</head>")[1]


@pytest.mark.django_db(transaction=True)
def test_password_reset_by_email(client, pat, mailoutbox):
    r = client.post("/accounts/password/reset/", {"email": "pat@example.org"})
    assert r.status_code == 302
    assert mailoutbox == []  # the request only queued it
    assert run_queued_tasks() == 1
    (sent,) = mailoutbox
    assert sent.to == ["pat@example.org"]
    link = _link(sent.body)
    r = client.get(link, follow=True)  # allauth moves the key into the session, then shows the form
    form_url = r.redirect_chain[-1][0] if r.redirect_chain else link
    r = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert r.status_code == 302
    pat.refresh_from_db()
    assert pat.check_password(NEW_PASSWORD)
    assert not pat.check_password(PASSWORD)
    # The link was for one use.
    r = client.get(link, follow=True)
    assert "This link does not work" in r.content.decode()


@pytest.mark.django_db(transaction=True)
def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing_useful(client, pat, mailoutbox):
    r = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/reset/done/"
    run_queued_tasks()
    assert all("password/reset/key" not in m.body for m in mailoutbox)


@pytest.mark.django_db(transaction=True)
def test_password_change_needs_the_old_password(client, pat, mailoutbox):
    client.force_login(pat)
    r = client.post(
        "/accounts/password/change/", {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert r.status_code == 200
    pat.refresh_from_db()
    assert pat.check_password(PASSWORD)
    r = client.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert r.status_code == 302
    pat.refresh_from_db()
    assert pat.check_password(NEW_PASSWORD)
    run_queued_tasks()
    assert [m.to for m in mailoutbox] == [["pat@example.org"]]  # the security notice
    assert "password" in mailoutbox[0].subject.lower()


@pytest.mark.django_db(transaction=True)
def test_email_change_takes_effect_only_once_the_new_address_is_verified(client, pat, mailoutbox):
    client.force_login(pat)
    assert client.get("/accounts/email/").status_code == 200
    r = client.post("/accounts/email/", {"action_add": "", "email": "pat.new@example.org"})
    assert r.status_code == 302
    pat.refresh_from_db()
    assert pat.email == "pat@example.org"  # not yet
    run_queued_tasks()
    (verify,) = [m for m in mailoutbox if m.to == ["pat.new@example.org"]]
    link = _link(verify.body)
    r = client.post(link)
    assert r.status_code == 302
    pat.refresh_from_db()
    assert pat.email == "pat.new@example.org"
    client.post("/logout/")
    assert client.post("/login/", {"login": "pat@example.org", "password": PASSWORD}).status_code == 200
    assert client.post("/login/", {"login": "pat.new@example.org", "password": PASSWORD}).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_an_address_another_account_uses_cannot_be_taken(client, pat, olga, mailoutbox):
    client.force_login(pat)
    # The same answer as for a free address (no one learns who has an account here) ...
    r = client.post("/accounts/email/", {"action_add": "", "email": olga.email})
    assert r.status_code == 302
    run_queued_tasks()
    # ... and even if olga follows the link she is sent, her address stays hers.
    for m in mailoutbox:
        if m.to == [olga.email] and "/accounts/confirm-email/" in m.body:
            client.post(_link(m.body))
    assert User.objects.get(pk=pat.pk).email == "pat@example.org"
    assert User.objects.get(pk=olga.pk).email == "olga@example.org"
