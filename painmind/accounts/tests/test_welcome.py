"""The first-sign-in walk-through: after an account's first sign-in (not only after sign-up), by
role, skippable, shown once and remembered per account."""

from __future__ import annotations

from django.test import Client

from painmind.accounts.actions import do_create_user
from painmind.accounts.models import User

PASSWORD = "a-long-enough-passphrase"


def _sign_in(client: Client, email: str):
    return client.post("/login/", {"login": email, "password": PASSWORD})


def test_an_operator_made_patient_is_walked_through_at_first_sign_in_only(client, db):
    user = do_create_user("fresh@example.org", PASSWORD, role="patient")
    assert user.welcomed_at is None
    assert _sign_in(client, "fresh@example.org")["Location"] == "/welcome/"
    page = client.get("/welcome/").content.decode()
    assert "Where you are" in page
    assert "Skip the introduction" in page
    user.refresh_from_db()
    assert user.welcomed_at is not None

    # Skipped (the person went elsewhere): the next sign-in goes to the start page.
    client.post("/logout/")
    assert _sign_in(Client(), "fresh@example.org")["Location"] == "/"


def test_the_patient_steps_go_on_to_check_in_reminders_and_sharing(client, db):
    do_create_user("steps@example.org", PASSWORD, role="patient")
    _sign_in(client, "steps@example.org")
    r = client.post("/welcome/", {"display_name": "Sam", "time_zone": "America/Toronto", "country": "CA"})
    assert r["Location"] == "/welcome/next/"
    user = User.objects.get(email="steps@example.org")
    assert (user.time_zone, str(user.country)) == ("America/Toronto", "CA")
    page = client.get("/welcome/next/").content.decode()
    for href in ('href="/me/"', 'href="/me/reminders/"', 'href="/me/sharing/"'):
        assert href in page


def test_a_clinician_sees_their_own_steps(client, db):
    do_create_user("doc@example.org", PASSWORD, role="clinician", discipline="psychiatry")
    assert _sign_in(client, "doc@example.org")["Location"] == "/welcome/"
    page = client.get("/welcome/").content.decode()
    assert "Two-step sign-in" in page
    assert 'href="/clinician/"' in page
    assert "Where you are" not in page
    assert client.get("/welcome/next/")["Location"] == "/"


def test_a_next_address_wins_and_the_walk_through_waits(client, db):
    do_create_user("later@example.org", PASSWORD, role="patient")
    r = client.post("/login/?next=/me/sharing/", {"login": "later@example.org", "password": PASSWORD})
    assert r["Location"] == "/me/sharing/"
    assert User.objects.get(email="later@example.org").welcomed_at is None


def test_a_clinician_who_must_enrol_does_so_before_the_walk_through(client, db, settings):
    settings.PAINMIND_MFA_REQUIRED_ROLES = ["clinician", "admin"]
    do_create_user("new.doc@example.org", PASSWORD, role="clinician", discipline="nursing")
    assert _sign_in(client, "new.doc@example.org")["Location"] == "/welcome/"
    assert client.get("/welcome/")["Location"] == "/accounts/2fa/totp/activate/"
    assert User.objects.get(email="new.doc@example.org").welcomed_at is None  # still to come
