"""PAINMIND_SIGNUP_MODE: closed (operator and CLI only, the default), invitation, or open."""

from __future__ import annotations

from painmind.accounts.models import Role, User

NEW = {
    "email": "new.person@example.org",
    "password1": "a-long-enough-passphrase",
    "password2": "a-long-enough-passphrase",
}


def test_closed_by_default(client, db, settings):
    assert settings.PAINMIND_SIGNUP_MODE == "closed"
    r = client.post("/accounts/signup/", NEW)
    assert r.status_code == 200
    page = r.content.decode()
    assert "You cannot make a PainMind account here yourself" in page
    assert "Sign Up" not in page
    assert not User.objects.filter(email=NEW["email"]).exists()


def test_invitation_mode_without_a_link_is_closed(client, db, settings):
    settings.PAINMIND_SIGNUP_MODE = "invitation"
    client.post("/accounts/signup/", NEW)
    assert not User.objects.filter(email=NEW["email"]).exists()


def test_open_mode_makes_a_patient_account(client, db, settings):
    settings.PAINMIND_SIGNUP_MODE = "open"
    r = client.post("/accounts/signup/", NEW)
    assert r["Location"] == "/welcome/"  # the first steps
    user = User.objects.get(email=NEW["email"])
    assert user.role == Role.PATIENT
    assert not user.is_staff

    r = client.post("/welcome/", {"display_name": "New", "time_zone": "Europe/Dublin", "country": "IE"})
    assert r["Location"] == "/welcome/next/"
    user.refresh_from_db()
    assert (user.time_zone, str(user.country)) == ("Europe/Dublin", "IE")
