"""A clinician's sign-up links for new patients (PAINMIND_SIGNUP_MODE=invitation): made on the
web, shown once (post/redirect/get), optionally e-mailed within limits and in words that cannot
pass for the site's, listed and revocable by their maker only; and the patient who signs up
through one is offered, never made, to share with that clinician."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from painmind.accounts.actions import do_create_signup_link
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, SignupLink, SignupLinkEvent, User
from painmind.lib.errors import ActionError
from tests.tasks import run_queued_tasks

PAGE = "/clinician/signup-links/"
PASSWORD = "a-long-enough-passphrase"
LINK_RE = re.compile(r"https?://[^\s\"<]+/signup/(su_[A-Za-z0-9_-]+)/")


@pytest.fixture
def invitation(settings):
    settings.PAINMIND_SIGNUP_MODE = "invitation"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _make(client: Client, **form: str):
    """POST the form, follow the redirect once: (POST response, the page that shows the link)."""
    posted = client.post(PAGE, form)
    shown = client.get(PAGE) if posted.status_code == 302 else None
    return posted, shown


@pytest.mark.parametrize("mode", ["closed", "open"])
def test_the_page_exists_only_when_sign_up_is_by_invitation(settings, olga, mode):
    settings.PAINMIND_SIGNUP_MODE = mode
    client = _signed_in(olga)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"email": ""}).status_code == 404
    assert SignupLink.objects.count() == 0
    assert "/clinician/signup-links/" not in client.get("/clinician/invites/").content.decode()
    with pytest.raises(ActionError) as refused:
        do_create_signup_link(Actor(user=olga, via="web"), role="patient")
    assert "signup_link" in refused.value.errors


def test_only_a_clinician_has_the_page(client, invitation, pat, ada, rex, olga):
    for user in (pat, ada, rex):
        other = _signed_in(user)
        assert other.get(PAGE).status_code == 404
        assert other.post(PAGE, {"email": ""}).status_code == 404
    assert client.get(PAGE)["Location"].startswith("/login/")
    assert SignupLink.objects.count() == 0
    page = _signed_in(olga).get("/clinician/invites/").content.decode()
    assert 'href="/clinician/signup-links/"' in page


def test_the_link_is_made_once_shown_once_and_a_reload_makes_no_other(invitation, olga):
    client = _signed_in(olga)
    posted, shown = _make(client, email="")
    assert (posted.status_code, posted["Location"]) == (302, PAGE)
    html = shown.content.decode()
    (token,) = set(LINK_RE.findall(html))
    assert "you will not see it again" in html
    assert 'data-copy="new-link"' in html
    assert "<script" not in html.split("</head>")[1]  # the copy button's script is a file (CSP)
    # A reload shows the list, not the link, and makes nothing.
    again = client.get(PAGE).content.decode()
    assert token not in again
    link = SignupLink.objects.get()
    assert link.token_prefix in again
    assert (link.role, link.discipline, link.email, link.max_uses, link.created_by) == ("patient", "", "", 1, olga)
    assert abs((link.expires_at - link.created_at) - timedelta(days=7)) < timedelta(seconds=1)
    event = SignupLinkEvent.objects.get()
    assert (event.kind, event.actor, event.via, event.ip) == ("create", olga, "web", "127.0.0.1")


def test_a_clinician_can_never_make_a_clinician_or_admin_link(invitation, olga):
    client = _signed_in(olga)
    _make(client, email="", role="clinician", discipline="psychology")
    _make(client, email="", role="admin")
    assert list(SignupLink.objects.values_list("role", "discipline")) == [("patient", ""), ("patient", "")]
    actor = Actor(user=olga, via="web")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"role": "clinician", "discipline": "psychology"}, "role"),
        ({"role": "admin"}, "role"),
        ({"role": "patient", "days": 30}, "days"),
        ({"role": "patient", "uses": 5}, "uses"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ActionError) as refused:
            do_create_signup_link(actor, **kwargs)
        assert field in refused.value.errors
    assert SignupLink.objects.count() == 2


def test_a_bad_address_is_refused_on_its_field_and_makes_nothing(invitation, olga):
    client = _signed_in(olga)
    r = client.post(PAGE, {"email": "not an address"})
    assert r.status_code == 400
    assert 'id="err_email"' in r.content.decode()
    r = client.post(PAGE, {"email": "", "send": "on"})
    assert r.status_code == 400
    assert "Enter the address to send the link to" in r.content.decode()
    assert SignupLink.objects.count() == 0


def test_an_address_with_an_account_is_not_told_apart(invitation, olga, pat):
    """A clinician learns nothing about who has an account: the link is made either way (it
    cannot make a second account for that address)."""
    client = _signed_in(olga)
    assert client.post(PAGE, {"email": "pat@example.org"}).status_code == 302
    assert client.post(PAGE, {"email": "nobody@example.org"}).status_code == 302
    assert SignupLink.objects.count() == 2


def test_revoke_your_own_link_but_not_another_clinicians(invitation, olga, cara):
    mine, _ = do_create_signup_link(Actor(user=olga, via="web"), role="patient")
    theirs, _ = do_create_signup_link(Actor(user=cara, via="web"), role="patient")
    client = _signed_in(olga)
    assert client.post(f"{PAGE}{theirs.pk}/revoke/").status_code == 404
    assert client.get(f"{PAGE}{mine.pk}/revoke/").status_code == 405
    r = client.post(f"{PAGE}{mine.pk}/revoke/")
    assert r["Location"] == PAGE
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("revoked", "live")
    assert [(e.kind, e.actor) for e in SignupLinkEvent.objects.filter(link=mine).order_by("id")] == [
        ("create", olga),
        ("revoke", olga),
    ]
    page = client.get(PAGE).content.decode()
    assert theirs.token_prefix not in page  # only your own links are listed
    assert "revoked" in page


@pytest.mark.django_db(transaction=True)
def test_the_email_quotes_the_senders_name_as_a_claim_and_is_limited(settings, mailoutbox):
    settings.PAINMIND_SIGNUP_MODE = "invitation"
    from painmind.accounts.actions import do_create_user

    spoof = "PainMind Security Team\n\nYour account is locked. Visit the link below"
    clinician = do_create_user(
        "spoof@example.org",
        PASSWORD,
        role="clinician",
        discipline="psychology",
        display_name=spoof,
        check_password=False,
    )
    client = _signed_in(clinician)
    posted, shown = _make(client, email="New@Example.org", send="on")
    assert posted.status_code == 302
    (token,) = set(LINK_RE.findall(shown.content.decode()))
    assert "It is also on its way to new@example.org" in shown.content.decode()
    assert run_queued_tasks() == 1
    (sent,) = mailoutbox
    assert sent.to == ["new@example.org"]
    assert sent.subject == "An invitation to make a PainMind account"
    first_line = sent.body.splitlines()[0]
    # Line breaks made spaces, cut to 60 characters: 59 of the name, then "…".
    assert first_line == (
        "A PainMind user who calls themselves “PainMind Security Team Your account is locked. Visit the li…” "
        "has invited you to make a PainMind account."
    )
    assert f"/signup/{token}/" in sent.body
    # Five e-mails in an hour (the invitation limit, docs/security.md); the sixth is refused on
    # the address field and makes no link. Links without e-mail are not limited.
    for n in range(4):
        assert client.post(PAGE, {"email": f"p{n}@example.org", "send": "on"}).status_code == 302
    refused = client.post(PAGE, {"email": "p9@example.org", "send": "on"})
    assert refused.status_code == 400
    assert "at most 5 sign-up links by e-mail in an hour" in refused.content.decode()
    assert not SignupLink.objects.filter(email="p9@example.org").exists()
    assert client.post(PAGE, {"email": "p9@example.org"}).status_code == 302
    assert SignupLink.objects.filter(emailed_at__isnull=False).count() == 5


def _sign_up_through(token: str, email: str) -> Client:
    client = Client()
    opened = client.get(f"/signup/{token}/")
    assert opened.status_code == 302
    r = client.post(opened["Location"].split("?")[0], {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:2000]
    return client


def test_the_patient_is_offered_sharing_with_the_inviting_clinician_and_must_accept(invitation, olga):
    _, token = do_create_signup_link(Actor(user=olga, via="web"), role="patient", email="newpat@example.org")
    patient = _sign_up_through(token, "newpat@example.org")
    user = User.objects.get(email="newpat@example.org")
    assert user.role == "patient"
    claim = SignupLinkEvent.objects.get(kind="claim")
    assert claim.account == user
    # Offered on the walk-through; nothing shared until the patient acts.
    for url in ("/welcome/", "/welcome/next/"):
        page = patient.get(url).content.decode()
        assert "Share my diary with Dr Olga Novak" in page
        assert 'action="/welcome/share/"' in page
    assert not Consent.objects.filter(patient=user).exists()
    assert patient.get("/welcome/share/").status_code == 405
    r = patient.post("/welcome/share/")
    assert r["Location"] == "/welcome/next/"
    consent = Consent.objects.get(patient=user)
    assert (consent.clinician, consent.granted_by, consent.expires_at, consent.is_active) == (olga, user, None, True)
    assert "Share my diary with" not in patient.get("/welcome/next/").content.decode()
    # Taking it twice changes nothing.
    patient.post("/welcome/share/")
    assert Consent.objects.filter(patient=user).count() == 1


def test_no_offer_after_an_operator_link_and_no_share_for_anyone_else(invitation, olga, pat):
    _, token = do_create_signup_link(Actor.cli(), role="patient")
    patient = _sign_up_through(token, "fromop@example.org")
    assert "Share my diary with" not in patient.get("/welcome/next/").content.decode()
    r = patient.post("/welcome/share/", follow=True)
    assert "There is no invitation to answer: choose who sees your diary on sharing." in r.content.decode()
    assert not Consent.objects.filter(patient__email="fromop@example.org").exists()
    # A clinician posting to it shares nothing either.
    assert _signed_in(olga).post("/welcome/share/").status_code == 302
    assert Consent.objects.filter(clinician=olga).count() == 0
