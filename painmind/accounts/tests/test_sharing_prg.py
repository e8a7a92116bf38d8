"""Sharing pages: post/redirect/get for codes and links (a reload creates nothing and shows no
secret again), the page's first sentence while a share link is live, and confirm-before-revoke."""

from __future__ import annotations

import re

from django.test import Client

from painmind.accounts.actions import do_create_share_link, do_create_user
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, Invite, ShareLink, User

CODE = re.compile(r'id="invite-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')
LINK = re.compile(r'id="new-link" readonly value="(http://testserver/s/[^"]+)"')


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_invitation_code_post_redirect_get(pat: User) -> None:
    client = _client(pat)
    r = client.post("/me/sharing/invites/", {"how": "code", "email": ""})
    invite = Invite.objects.get(patient=pat)
    assert (r.status_code, r["Location"]) == (302, f"/me/sharing/invites/{invite.pk}/created/")
    first = client.get(r["Location"]).content.decode()
    code = CODE.search(first)
    assert code is not None
    assert code.group(1)[:3] == invite.code_prefix  # the first three characters are kept (actions/invites.py)
    assert 'data-copy="invite-code"' in first
    # Reloading the result page: no second invitation, and the code is not shown again.
    again = client.get(r["Location"])
    assert again.status_code == 200
    body = again.content.decode()
    assert CODE.search(body) is None
    assert code.group(1) not in body
    assert "was shown once and is not shown again" in body
    assert Invite.objects.filter(patient=pat).count() == 1


def test_someone_elses_invitation_result_page_is_404(pat: User) -> None:
    r = _client(pat).post("/me/sharing/invites/", {"how": "code", "email": ""})
    other = do_create_user("pia@example.org", "x", role="patient", check_password=False)
    assert _client(other).get(r["Location"]).status_code == 404


def test_share_link_post_redirect_get(pat: User) -> None:
    client = _client(pat)
    r = client.post("/me/sharing/links/", {"label": "Dr Lee", "days": 7, "scopes": ["checkins"]})
    assert (r.status_code, r["Location"]) == (302, "/me/sharing/links/")
    first = client.get("/me/sharing/links/").content.decode()
    url = LINK.search(first)
    assert url is not None
    assert 'data-copy="new-link"' in first
    assert client.get(url.group(1).removeprefix("http://testserver")).status_code == 200  # the link works
    again = client.get("/me/sharing/links/").content.decode()
    assert LINK.search(again) is None
    assert url.group(1) not in again
    assert ShareLink.objects.filter(patient=pat).count() == 1


def test_sharing_page_says_share_links_are_live_until_when(pat: User) -> None:
    client = _client(pat)
    page = client.get("/me/sharing/").content.decode()
    assert "Only the clinicians listed here can see your diary." in page
    link, _ = do_create_share_link(Actor(user=pat, via="web"), label="Dr Lee", scopes=["checkins"], days=7)
    ShareLink.objects.filter(pk=link.pk).update(expires_at="2031-03-04T12:30:00Z")
    page = client.get("/me/sharing/").content.decode()
    assert "Only the clinicians" not in page
    # pat's zone is Europe/London, in summer time neither on 4 March: 12:30 UTC is 12:30 there.
    assert "and so can anyone with a live" in page
    assert "until 4 Mar 2031, 12:30" in page
    ShareLink.objects.filter(pk=link.pk).update(revoked_at="2030-01-01T00:00:00Z")
    assert "Only the clinicians listed here" in client.get("/me/sharing/").content.decode()


def test_stopping_sharing_asks_first_and_a_get_changes_nothing(pat: User, cara: User) -> None:
    client = _client(pat)
    consent = Consent.objects.get(patient=pat, clinician=cara)
    page = client.get("/me/sharing/").content.decode()
    assert f'href="/me/sharing/{consent.pk}/revoke/"' in page
    confirm = client.get(f"/me/sharing/{consent.pk}/revoke/")
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Stop sharing with" in body
    assert 'method="post"' in body
    assert "Keep sharing" in body
    consent.refresh_from_db()
    assert consent.revoked_at is None
    r = client.post(f"/me/sharing/{consent.pk}/revoke/")
    assert r.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
