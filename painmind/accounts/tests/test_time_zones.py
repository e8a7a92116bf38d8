"""Settings: time zones grouped by country, aliases hidden but kept for who already has one."""

from __future__ import annotations

import re

from django.test import Client

from painmind.accounts.models import User
from painmind.accounts.timezones import time_zone_choices


def _optgroup(html: str, label: str) -> str:
    match = re.search(rf'<optgroup label="{re.escape(label)}">(.*?)</optgroup>', html, re.S)
    assert match, f"no optgroup {label!r}"
    return match.group(1)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_settings_offers_zones_under_their_country_and_no_alias(pat: User) -> None:
    html = _client(pat).get("/settings/").content.decode()
    assert 'value="Europe/Berlin"' in _optgroup(html, "Germany")
    assert 'value="America/Los_Angeles"' in _optgroup(html, "United States of America")
    assert 'value="Europe/London"' in _optgroup(html, "United Kingdom")
    assert 'value="US/Pacific"' not in html
    assert 'value="Etc/GMT+5"' not in html
    # Europe/London is pat's zone and the site default: the browser's zone may be preselected.
    assert 'data-time-zone="preselect"' in html


def test_saving_a_grouped_zone(pat: User) -> None:
    data = {"display_name": "Pat", "time_zone": "Europe/Berlin", "country": "DE"}
    response = _client(pat).post("/settings/", data)
    assert response.status_code == 302
    pat.refresh_from_db()
    assert (pat.time_zone, pat.country) == ("Europe/Berlin", "DE")


def test_an_alias_is_refused_for_someone_who_does_not_have_it(pat: User) -> None:
    data = {"display_name": "Pat", "time_zone": "US/Pacific", "country": "GB"}
    response = _client(pat).post("/settings/", data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    pat.refresh_from_db()
    assert pat.time_zone == "Europe/London"


def test_a_stored_alias_is_kept_and_offered_first(pat: User) -> None:
    User.objects.filter(pk=pat.pk).update(time_zone="US/Pacific")
    client = _client(pat)
    html = client.get("/settings/").content.decode()
    current = _optgroup(html, "Your current setting")
    assert re.search(r'value="US/Pacific"[^>]*selected', current)
    # Not the site default: nothing is preselected from the browser.
    assert 'data-time-zone="preselect"' not in html
    response = client.post("/settings/", {"display_name": "Pat", "time_zone": "US/Pacific", "country": "US"})
    assert response.status_code == 302
    pat.refresh_from_db()
    assert (pat.time_zone, pat.country) == ("US/Pacific", "US")


def test_choices_are_sorted_by_country_name_with_utc_last() -> None:
    labels = [label for label, _ in time_zone_choices("Europe/London")]
    assert labels[:-1] == sorted(labels[:-1])
    assert labels[-1] == "Other"
