"""Invitations: by email or by code; accepted once by a clinician; cancel, decline, expiry."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from conftest import REFUSING_BACKEND
from painmind.accounts.actions import do_accept_invite, do_create_invite, do_create_user
from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent, Consent, Invite
from painmind.diary.models import CheckIn
from painmind.lib.errors import ActionError
from tests.concurrency import run_at_once
from tests.tasks import run_queued_tasks

CODE = re.compile(r'id="invite-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')
WEB_PATIENT = "/clinician/patients/{}/diary/"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
# One answer to every code that opens nothing (project rule, docs/security.md).
REFUSED = "this code cannot be used: check it with the patient, or ask them for a new invitation"
# Nothing clinical may travel by email: no diary words, scores or instrument names.
CLINICAL_WORDS = ("pain ", "mood", "anxi", "depress", "phq", "gad", "peg", "score", "band", "sleep", "private-note")


def _code(response) -> str:
    match = CODE.search(response.content.decode())
    assert match is not None, response.content.decode()
    return match.group(1)


@pytest.fixture
def noted(pat):
    now = timezone.now()
    return CheckIn.objects.create(
        patient=pat, recorded_at=now, local_on=now.date(), pain=7, mood=2, note="private-note about my depression"
    )


# Transactional: the e-mail is queued after the commit, as in production; the worker sends it.
@pytest.mark.django_db(transaction=True)
def test_invite_by_email_then_the_clinician_accepts_on_their_home_page(client, pat, olga, noted, mailoutbox, settings):
    settings.BASE_URL = "https://painmind.example.org"
    client.force_login(pat)
    r = client.post("/me/sharing/invites/", {"how": "email", "email": "Olga@Example.org"}, follow=True)
    assert r.status_code == 200
    assert "An invitation to <strong>olga@example.org</strong> is on its way." in r.content.decode()
    code = _code(r)
    invite = Invite.objects.get()
    assert (invite.patient, invite.email, invite.consent_expires_at) == (pat, "olga@example.org", None)
    # Only a digest is stored, never the code; the prefix is its first characters.
    assert code.replace("-", "") not in {invite.code_digest, invite.code_prefix}
    assert invite.code_prefix == code[:3]
    assert invite.invite_expires_at - invite.created_at == timedelta(days=14)

    assert mailoutbox == []  # the request only queued it
    assert run_queued_tasks() == 1
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == ["olga@example.org"]
    assert "A PainMind user who calls themselves “Pat Example” has invited you to see their PainMind diary" in sent.body
    assert "https://painmind.example.org/clinician/" in sent.body
    text = (sent.subject + sent.body).lower().replace("painmind", "")
    assert [w for w in CLINICAL_WORDS if w in text] == []
    assert code not in sent.body

    client.force_login(olga)
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 404
    home = client.get("/clinician/").content.decode()
    assert "Pat Example</strong> invites you to see their diary" in home
    r = client.post(f"/clinician/invites/{invite.pk}/accept/")
    assert r.status_code == 302
    consent = Consent.objects.get(patient=pat, clinician=olga)
    assert (consent.granted_by, consent.revoked_at, consent.expires_at) == (pat, None, None)
    invite.refresh_from_db()
    assert (invite.accepted_by, invite.consent, invite.status) == (olga, consent, "accepted")
    assert "private-note" in client.get(WEB_PATIENT.format(pat.pk)).content.decode()
    assert "invites you" not in client.get("/clinician/").content.decode()
    event = AuditEvent.objects.get(patient=pat, object_type="consent")
    assert (event.actor, event.action, event.object_id) == (olga, "create", str(consent.pk))


# Transactional: the e-mail is queued after the commit, as in production; the worker sends it.
@pytest.mark.django_db(transaction=True)
def test_the_patient_sees_the_same_result_for_an_unregistered_email(client, pat, olga, mailoutbox):
    client.force_login(pat)
    pages = []
    for email in ("olga@example.org", "nobody@example.org"):
        r = client.post("/me/sharing/invites/", {"how": "email", "email": email}, follow=True)
        assert r.status_code == 200
        pages.append(CODE.sub("", r.content.decode()).replace(email, "EMAIL"))
    strip_csrf = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
    assert strip_csrf.sub("", pages[0]) == strip_csrf.sub("", pages[1])
    assert run_queued_tasks() == 2
    assert [m.to for m in mailoutbox] == [["olga@example.org"], ["nobody@example.org"]]


def test_invite_by_code_with_an_end_date_then_accept_by_code(client, pat, olga):
    client.force_login(pat)
    last_day = timezone.localdate(timezone=ZoneInfo("Europe/London")) + timedelta(days=10)
    r = client.post(
        "/me/sharing/invites/", {"how": "code", "email": "", "share_until": last_day.isoformat()}, follow=True
    )
    assert r.status_code == 200
    code = _code(r)
    invite = Invite.objects.get()
    # Through the chosen day in pat's zone: access ends at the following local midnight.
    expected_end = datetime(last_day.year, last_day.month, last_day.day, tzinfo=ZoneInfo("Europe/London")) + timedelta(
        days=1
    )
    assert (invite.email, invite.consent_expires_at) == ("", expected_end)
    assert f"Code <strong>{code[:3]}…</strong>" in client.get("/me/sharing/").content.decode()

    client.force_login(olga)
    # Typed in lower case with a space instead of the dash: still the same code.
    r = client.post("/clinician/invites/", {"code": f" {code[:4].lower()} {code[5:].lower()} "})
    assert r.status_code == 302
    consent = Consent.objects.get(patient=pat, clinician=olga)
    assert consent.expires_at == expected_end
    assert client.get(WEB_PATIENT.format(pat.pk)).status_code == 200

    client.force_login(pat)
    page = client.get("/me/sharing/").content.decode()
    assert f"until {last_day.day} {last_day:%b %Y}" in page
    assert "Invitations waiting" not in page


def test_wrong_used_cancelled_declined_and_expired_codes_are_refused_with_the_field(client, pat, olga, token_for):
    client.force_login(olga)
    r = client.post("/clinician/invites/", {"code": "ABCD-EFGH"})
    assert r.status_code == 400
    assert "this code cannot be used" in r.content.decode()
    r = client.post("/clinician/invites/", {"code": "O0O0-1111"})  # letters outside the alphabet
    assert r.status_code == 400
    assert "this code cannot be used" in r.content.decode()

    patient = Actor(user=pat, via="web")
    _, used = do_create_invite(patient)
    do_accept_invite(Actor(user=olga, via="web"), used)
    r = client.post("/clinician/invites/", {"code": used})
    assert r.status_code == 400
    assert "this code cannot be used" in r.content.decode()

    other = do_create_user("omar@example.org", "x", role="clinician", discipline="psychiatry", check_password=False)
    cancelled, cancelled_code = do_create_invite(patient)
    client.force_login(pat)
    assert client.post(f"/me/sharing/invites/{cancelled.pk}/cancel/").status_code == 302
    expired, expired_code = do_create_invite(patient)
    Invite.objects.filter(pk=expired.pk).update(invite_expires_at=timezone.now() - timedelta(seconds=1))
    declined, _ = do_create_invite(patient, email=other.email)
    headers = token_for(other)
    r = client.post(f"/api/v1/invites/{declined.pk}/decline", headers=headers)
    assert (r.status_code, r.json()["status"]) == (200, "declined")

    expectations = [
        (
            {"code": cancelled_code},
            "code",
            REFUSED,
        ),
        (
            {"code": expired_code},
            "code",
            REFUSED,
        ),
        ({"invite_id": declined.pk}, "invite_id", "this invitation was declined"),
        (
            {"code": "ZZZZ-ZZZZ"},
            "code",
            REFUSED,
        ),
    ]
    for body, field, message in expectations:
        r = client.post("/api/v1/invites/accept", body, content_type="application/json", headers=headers)
        assert r.status_code == 422, body
        assert r.json()["errors"] == [{"field": field, "message": message}]
    assert not Consent.objects.filter(clinician=other).exists()
    assert Consent.objects.filter(patient=pat).count() == 1  # olga's, from the used code


def test_only_clinicians_accept(client, pat, rex, token_for):
    _, code = do_create_invite(Actor(user=pat, via="web"))
    for user in (rex, pat):
        r = client.post(
            "/api/v1/invites/accept", {"code": code}, content_type="application/json", headers=token_for(user)
        )
        assert r.status_code == 422
        assert r.json()["errors"] == [{"field": "code", "message": "only a clinician can accept an invitation"}]
    client.force_login(rex)
    assert client.post("/clinician/invites/", {"code": code}).status_code == 404
    assert Consent.objects.count() == 0
    assert Invite.objects.get().status == "pending"


def test_accepting_when_already_shared_changes_nothing_and_says_so(client, pat, cara):
    invite, code = do_create_invite(Actor(user=pat, via="web"))
    before = Consent.objects.get(patient=pat, clinician=cara)
    client.force_login(cara)
    r = client.post("/clinician/invites/", {"code": code}, follow=True)
    assert "Pat Example already shares their diary with you; nothing changed." in r.content.decode()
    assert list(Consent.objects.filter(patient=pat)) == [before]
    invite.refresh_from_db()
    assert invite.status == "pending"


def test_cancel_and_decline_belong_to_their_owners(client, pat, olga, cara, token_for):
    invite, code = do_create_invite(Actor(user=pat, via="web"), email=olga.email)
    # Only olga may decline it (cara is another clinician), only pat may cancel it.
    assert client.post(f"/api/v1/invites/{invite.pk}/decline", headers=token_for(cara)).status_code == 404
    assert client.delete(f"/api/v1/invites/{invite.pk}", headers=token_for(olga)).status_code == 404
    client.force_login(cara)
    assert client.post(f"/clinician/invites/{invite.pk}/accept/", follow=True).status_code == 200
    assert not Consent.objects.filter(clinician=olga).exists()
    invite.refresh_from_db()
    assert invite.status == "pending"
    r = client.delete(f"/api/v1/invites/{invite.pk}", headers=token_for(pat))
    assert (r.status_code, r.json()["status"]) == (200, "cancelled")
    client.force_login(olga)
    assert "invites you" not in client.get("/clinician/").content.decode()
    with pytest.raises(ActionError) as exc:
        do_accept_invite(Actor(user=olga, via="web"), code)
    assert exc.value.errors == {"code": [REFUSED]}


def test_web_decline(client, pat, olga):
    invite, _ = do_create_invite(Actor(user=pat, via="web"), email=olga.email)
    client.force_login(olga)
    r = client.post(f"/clinician/invites/{invite.pk}/decline/", follow=True)
    assert "Invitation declined." in r.content.decode()
    invite.refresh_from_db()
    assert invite.declined_at is not None
    assert not Consent.objects.exists()


# Transactional: the e-mail is queued after the commit, as in production; the worker sends it.
@pytest.mark.django_db(transaction=True)
def test_invite_api_round_trip(client, pat, olga, token_for, mailoutbox):
    patient = token_for(pat)
    until = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    r = client.post(
        "/api/v1/invites",
        {"code": True, "consent_expires_at": until.isoformat()},
        content_type="application/json",
        headers=patient,
    )
    assert r.status_code == 201
    body = r.json()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", body["code"])
    assert (body["email"], body["status"], body["code_prefix"]) == ("", "pending", body["code"][:3])
    r = client.post("/api/v1/invites", {"email": olga.email}, content_type="application/json", headers=patient)
    assert r.status_code == 201
    assert r.json()["email_status"] == "queued"
    assert mailoutbox == []
    assert run_queued_tasks() == 1
    assert len(mailoutbox) == 1
    listed = client.get("/api/v1/invites", headers=patient).json()
    assert [(i["email"], "code" in i) for i in listed] == [("olga@example.org", False), ("", False)]
    clinician = token_for(olga)
    assert [i["patient_name"] for i in client.get("/api/v1/invites", headers=clinician).json()] == ["Pat Example"]
    r = client.post(
        "/api/v1/invites/accept", {"code": body["code"]}, content_type="application/json", headers=clinician
    )
    assert r.status_code == 201
    consent = r.json()["consent"]
    assert consent["active"] is True
    assert datetime.fromisoformat(consent["expires_at"].replace("Z", "+00:00")) == until
    r = client.post(
        "/api/v1/invites/accept", {"invite_id": listed[0]["id"]}, content_type="application/json", headers=clinician
    )
    assert (r.status_code, r.json()["created"]) == (200, False)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "email"),
        ({"email": "olga@example.org", "code": True}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"code": True, "consent_expires_at": "2020-01-01T00:00:00Z"}, "consent_expires_at"),
    ],
)
def test_bad_invite_input_names_the_field_and_creates_nothing(client, pat, token_for, mailoutbox, body, field):
    r = client.post("/api/v1/invites", body, content_type="application/json", headers=token_for(pat))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert Invite.objects.count() == 0
    assert mailoutbox == []


def test_web_invite_needs_an_email_when_sending_by_email(client, pat, mailoutbox):
    client.force_login(pat)
    r = client.post("/me/sharing/invites/", {"how": "email", "email": ""}, follow=True)
    assert r.status_code == 400
    assert "Enter the clinician&#x27;s email address, or choose to create a code." in r.content.decode()
    r = client.post("/me/sharing/invites/", {"how": "code", "share_until": "2020-01-01"}, follow=True)
    assert r.status_code == 400
    assert 'id="err_share_until">must be in the future' in r.content.decode()
    assert Invite.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_four_clinicians_accepting_one_code_at_once_get_one_grant(pat, olga):
    # Four different clinicians: a second attempt by the winner would (rightly) be a no-op
    # "already shared" rather than a refusal, depending on timing.
    others = [
        do_create_user(f"c{i}@example.org", "x", role="clinician", discipline="psychiatry", check_password=False)
        for i in range(3)
    ]
    _, code = do_create_invite(Actor(user=pat, via="web"))
    n = 4

    def accept(user):
        return lambda: do_accept_invite(Actor(user=user, via="api"), code)

    outcomes = run_at_once(*[accept(u) for u in (olga, *others)])
    assert [type(o.error) for o in outcomes if o.error is not None] == [ActionError] * (n - 1)
    assert [o.value[1] for o in outcomes if o.error is None] == [True]  # created
    won = [o.value[0].clinician_id for o in outcomes if o.error is None]
    refused = [o.error.errors for o in outcomes if isinstance(o.error, ActionError)]
    assert len(won) == 1
    assert refused == [{"code": [REFUSED]}] * (n - 1)
    consent = Consent.objects.get(patient=pat)
    assert consent.clinician_id == won[0]
    assert Invite.objects.get().accepted_by_id == won[0]


@pytest.mark.django_db(transaction=True)
def test_when_the_invitation_email_fails_the_patient_still_gets_the_code_and_the_pass_retries(
    client, pat, olga, settings, token_for
):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    client.force_login(pat)
    r = client.post("/me/sharing/invites/", {"how": "email", "email": "olga@example.org"}, follow=True)
    assert r.status_code == 200  # not a 500 after the invitation was saved
    page = r.content.decode()
    assert "An invitation to <strong>olga@example.org</strong> is on its way." in page  # queued, not yet tried
    code = _code(r)
    r = client.post(
        "/api/v1/invites", {"email": "nobody@example.org"}, content_type="application/json", headers=token_for(pat)
    )
    assert (r.status_code, r.json()["email_status"]) == (201, "queued")
    assert run_queued_tasks() == 2  # the worker tries both: the mail server refuses
    assert [(i.emailed_at, i.email_status) for i in Invite.objects.all()] == [(None, "failed")] * 2

    settings.EMAIL_BACKEND = LOCMEM
    out = io.StringIO()
    call_command("alerts", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Sent 2 invitation e-mails that had failed before."
    assert sorted(m.to[0] for m in mail.outbox) == ["nobody@example.org", "olga@example.org"]
    assert code.replace("-", "") not in "".join(str(m.body) for m in mail.outbox)
    assert Invite.objects.filter(emailed_at__isnull=False).count() == 2
    out = io.StringIO()
    call_command("alerts", stdout=out)  # nothing left to send
    assert out.getvalue().strip() == "Raised 0 alerts, closed 0."
    assert len(mail.outbox) == 2


def test_a_cancelled_invitation_is_not_emailed_later(pat, olga, settings, django_capture_on_commit_callbacks):
    from painmind.accounts.actions import do_cancel_invite, do_send_pending_invite_mail

    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        invite, _ = do_create_invite(Actor(user=pat, via="web"), email="olga@example.org")
    assert run_queued_tasks() == 1
    invite.refresh_from_db()
    assert invite.email_status == "failed"
    do_cancel_invite(Actor(user=pat, via="web"), invite.pk)
    settings.EMAIL_BACKEND = LOCMEM
    assert do_send_pending_invite_mail() == 0
    assert mail.outbox == []
