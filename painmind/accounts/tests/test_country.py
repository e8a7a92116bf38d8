"""Country: chosen from a list of names, stored as an ISO 3166 code; set at creation and in settings."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from painmind.accounts.models import User


@pytest.fixture
def pw(tmp_path):
    path = tmp_path / "pw"
    path.write_text("a-long-enough-passphrase\n")
    return str(path)


def test_createuser_sets_the_country(db, pw):
    call_command(
        "createuser",
        "dee@example.org",
        "--role",
        "patient",
        "--country",
        " de ",
        "--password-file",
        pw,
        stdout=io.StringIO(),
    )
    assert User.objects.get(email="dee@example.org").country == "DE"


def test_createuser_without_country_uses_the_site_default(db, pw, settings):
    settings.DEFAULT_COUNTRY = "IE"
    call_command("createuser", "ida@example.org", "--role", "patient", "--password-file", pw, stdout=io.StringIO())
    assert User.objects.get(email="ida@example.org").country == "IE"


@pytest.mark.parametrize("bad", ["XX", "EU", "Germany", "D"])
def test_createuser_refuses_a_code_that_is_no_country_and_creates_nothing(db, pw, bad):
    with pytest.raises(CommandError, match=re.escape(f"country: {bad!r} is not a country code")):
        call_command("createuser", "x@example.org", "--role", "patient", "--country", bad, "--password-file", pw)
    assert not User.objects.exists()


def test_settings_offer_country_names_and_store_the_code(client, pat):
    client.force_login(pat)
    html = client.get("/settings/").content.decode()
    assert '<select name="country"' in html
    assert re.search(r'<option value="DE">Germany</option>', html)
    assert re.search(r'<option value="GB" selected>United Kingdom</option>', html)  # pat: the default, GB
    r = client.post("/settings/", {"display_name": "", "time_zone": "Europe/Berlin", "country": "DE"})
    assert r.status_code == 302
    pat.refresh_from_db()
    assert pat.country == "DE"


def test_settings_refuse_a_code_that_is_not_on_the_list(client, pat):
    client.force_login(pat)
    r = client.post("/settings/", {"display_name": "", "time_zone": "Europe/London", "country": "EU"})
    assert r.status_code == 400
    assert "Select a valid choice" in r.content.decode()
    pat.refresh_from_db()
    assert pat.country == "GB"


def test_admin_edits_the_country_from_a_list(client, ada, pat):
    client.force_login(ada)
    html = client.get(f"/admin/accounts/user/{pat.pk}/change/").content.decode()
    assert re.search(r'<select name="country"[^>]*>', html)
    assert '<option value="FR">France</option>' in html
