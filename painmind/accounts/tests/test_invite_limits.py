"""Invitation codes cannot be guessed (a limit per clinician, one answer for every refusal, a
keyed digest) and invitation e-mails cannot be used to spam or impersonate the site."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painmind.accounts.actions import do_accept_invite, do_create_invite
from painmind.accounts.actions.invites import invite_body, quoted_name
from painmind.accounts.audit import Actor
from painmind.accounts.models import Consent, Invite, InviteCodeAttempt

REFUSED = "this code cannot be used: check it with the patient, or ask them for a new invitation"


def _api_accept(client, headers, code):
    return client.post("/api/v1/invites/accept", {"code": code}, content_type="application/json", headers=headers)


def test_wrong_used_expired_malformed_and_over_the_limit_get_one_answer(client, pat, olga, token_for):
    patient = Actor(user=pat, via="web")
    used_invite, used = do_create_invite(patient)
    Invite.objects.filter(pk=used_invite.pk).update(accepted_at=timezone.now(), accepted_by=olga)
    expired, expired_code = do_create_invite(patient)
    Invite.objects.filter(pk=expired.pk).update(invite_expires_at=timezone.now() - timedelta(seconds=1))
    cancelled, cancelled_code = do_create_invite(patient)
    Invite.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    _, good = do_create_invite(patient)
    headers = token_for(olga)
    _api_accept(client, headers, "ZZZZ-ZZZZ")  # the token's first use is stamped once: not compared
    answers, query_counts = set(), set()
    codes = [used, expired_code, cancelled_code, "ZZZZ-ZZZZ", "O0O0-1111", "x", "AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"]
    for code in [*codes, good]:  # the tenth refusal reaches the limit: then even the good code
        with CaptureQueriesContext(connection) as queries:
            r = _api_accept(client, headers, code)
        answers.add((r.status_code, r.content))
        query_counts.add(len(queries))
    assert len(answers) == 1, "byte for byte the same answer"
    status, body = answers.pop()
    assert status == 422
    assert REFUSED.encode() in body
    assert len(query_counts) == 1, "every refusal does the same database work"
    assert InviteCodeAttempt.objects.filter(clinician=olga).count() == 11
    assert not Consent.objects.filter(clinician=olga).exists()


def test_after_ten_refusals_in_an_hour_even_the_right_code_is_refused_the_same_way(client, pat, olga, token_for):
    invite, code = do_create_invite(Actor(user=pat, via="web"))
    client.force_login(olga)
    wrong_page = ""
    for _ in range(10):
        r = client.post("/clinician/invites/", {"code": "ZZZZ-ZZZZ"})
        assert r.status_code == 400
        wrong_page = r.content.decode()
    assert REFUSED in wrong_page
    r = client.post("/clinician/invites/", {"code": code})
    assert r.status_code == 400
    assert REFUSED in r.content.decode()
    r = _api_accept(client, token_for(olga), code)
    assert (r.status_code, r.json()["errors"]) == (422, [{"field": "code", "message": REFUSED}])
    invite.refresh_from_db()
    assert invite.status == "pending"
    assert not Consent.objects.filter(clinician=olga).exists()
    # An hour after the refusals the limit has passed: the right code works.
    InviteCodeAttempt.objects.filter(clinician=olga).update(at=timezone.now() - timedelta(hours=1, seconds=1))
    consent, created = do_accept_invite(Actor(user=olga, via="web"), code)
    assert (consent.patient, consent.clinician, created) == (pat, olga, True)
    # Old refusals are cleared as new ones come in.
    do_create_invite(Actor(user=pat, via="web"))
    with pytest.raises(Exception, match="cannot be used"):
        do_accept_invite(Actor(user=olga, via="web"), "ZZZZ-ZZZZ")
    assert InviteCodeAttempt.objects.filter(clinician=olga).count() == 1


def test_the_limit_is_per_clinician(client, pat, olga, cara):
    _, code = do_create_invite(Actor(user=pat, via="web"))
    for _ in range(10):
        with pytest.raises(Exception, match="cannot be used"):
            do_accept_invite(Actor(user=cara, via="web"), "ZZZZ-ZZZZ")
    consent, created = do_accept_invite(Actor(user=olga, via="web"), code)
    assert (consent.clinician, created) == (olga, True)


def test_the_stored_digest_is_an_hmac_with_the_site_key(pat, settings):
    invite, code = do_create_invite(Actor(user=pat, via="web"))
    # Django's salted_hmac: key = SHA-256(salt + secret), HMAC-SHA-256 of the value.
    key = hashlib.sha256(("painmind.accounts.invite-code" + settings.SECRET_KEY).encode()).digest()
    plain = hashlib.sha256(code.encode()).hexdigest()
    assert invite.code_digest == hmac.new(key, plain.encode(), hashlib.sha256).hexdigest()
    assert invite.code_digest != plain


@pytest.mark.django_db(transaction=True)
def test_migration_0010_keeps_existing_codes_working(olga_tx):
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0009_allauth_email_addresses")])
    try:
        executor.loader.build_graph()
        old = executor.loader.project_state([("accounts", "0009_allauth_email_addresses")]).apps
        OldUser, OldInvite = old.get_model("accounts", "User"), old.get_model("accounts", "Invite")
        patient = OldUser.objects.create(email="mig@example.org", role="patient", display_name="Mig")
        now = timezone.now()
        OldInvite.objects.create(
            patient=patient,
            code_digest=hashlib.sha256(b"ABCDEFGH").hexdigest(),
            code_prefix="ABC",
            created_at=now,
            invite_expires_at=now + timedelta(days=14),
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    consent, created = do_accept_invite(Actor(user=olga_tx, via="web"), "ABCD-EFGH")
    assert (consent.patient.email, created) == ("mig@example.org", True)


@pytest.fixture
def olga_tx(transactional_db):
    from painmind.accounts.actions import do_create_user

    return do_create_user("olga2@example.org", "x", role="clinician", discipline="psychology", check_password=False)


def test_invitation_emails_are_limited_per_hour_and_per_day(client, pat):
    client.force_login(pat)
    for i in range(5):
        r = client.post("/me/sharing/invites/", {"how": "email", "email": f"c{i}@example.org"}, follow=True)
        assert (r.status_code, r.templates[0].name) == (200, "accounts/invite_created.html")
    r = client.post("/me/sharing/invites/", {"how": "email", "email": "c5@example.org"}, follow=True)
    assert r.status_code == 400
    assert "at most 5 invitations by e-mail in an hour" in r.content.decode()
    assert list(Invite.objects.exclude(email="").values_list("email", flat=True).order_by("id")) == [
        f"c{i}@example.org" for i in range(5)
    ]
    # A code needs no e-mail: still possible.
    assert client.post("/me/sharing/invites/", {"how": "code", "email": ""}, follow=True).status_code == 200
    # 20 in the last day (older than an hour) stop further e-mails until a day has passed.
    Invite.objects.filter(patient=pat).update(created_at=timezone.now() - timedelta(hours=2))
    actor = Actor(user=pat, via="web")
    for i in range(15):
        do_create_invite(actor, email=f"d{i}@example.org")
        Invite.objects.filter(email=f"d{i}@example.org").update(created_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(Exception, match="at most 20 invitations by e-mail in a day"):
        do_create_invite(actor, email="late@example.org")
    Invite.objects.filter(patient=pat).update(created_at=timezone.now() - timedelta(days=1, seconds=1))
    do_create_invite(actor, email="late@example.org")


def test_the_senders_name_is_quoted_as_data_cleaned_and_capped(pat):
    assert quoted_name("PainMind\nSupport\u202e \u201dteam\u201c  ") == "PainMind Support 'team'"
    assert quoted_name("A" * 100) == "A" * 59 + "\u2026"
    pat.display_name = "PainMind Security Team.\r\n\r\nYour account is locked, go to http://evil.example"
    pat.save()
    invite, _ = do_create_invite(Actor(user=pat, via="web"), email="olga@example.org")
    body = invite_body(invite)
    first = body.splitlines()[0]
    assert first.startswith(
        "A PainMind user who calls themselves \u201cPainMind Security Team. Your account is locked,"
    )
    assert first.endswith("\u201d has invited you to see their PainMind diary.")
    assert "\r" not in body
    pat.display_name = ""
    pat.save()
    assert invite_body(Invite.objects.get(pk=invite.pk)).startswith(
        "A PainMind user with the e-mail address \u201cpat@example.org\u201d has invited you"
    )
