"""System checks: stale crisis entries and a missing default country are errors in production
settings (DEBUG off) and warnings in development."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from painmind.safety.checks import check_crisis_resources, check_site_crisis_settings
from painmind.safety.crisis import _load


@pytest.fixture
def stale_file(tmp_path, settings):
    """A hand-built file: one entry checked long ago, one today-ish, and a fresh EU list."""
    entry = {
        "country": "GB",
        "service": "Old line",
        "phone": "111",
        "sms": None,
        "url": None,
        "hours": None,
        "source": "test",
        "last_verified": "2019-05-01",
    }
    body = {
        "max_age_months": 12,
        "eu_member_states": {"codes": ["DE"], "last_verified": "2020-01-01"},
        "resources": [entry, {**entry, "service": "New line", "last_verified": "2099-01-01"}],
    }
    path = tmp_path / "stale.json"
    path.write_text(json.dumps(body))
    settings.CRISIS_RESOURCES_FILE = str(path)
    _load.cache_clear()
    yield path
    _load.cache_clear()


def test_stale_entries_are_errors_in_production(stale_file, settings):
    settings.DEBUG = False
    messages = check_crisis_resources()
    assert [(m.id, m.level >= 40) for m in messages] == [("painmind.E002", True), ("painmind.E002", True)]
    assert "'Old line' (GB) was last verified on 2019-05-01, more than 12 months ago" in messages[0].msg
    assert "EU member-state list was last verified on 2020-01-01" in messages[1].msg


def test_stale_entries_are_warnings_in_development(stale_file, settings):
    settings.DEBUG = True
    assert [(m.id, m.level) for m in check_crisis_resources()] == [("painmind.W001", 30), ("painmind.W001", 30)]


def test_an_unreadable_file_is_an_error(tmp_path, settings):
    settings.CRISIS_RESOURCES_FILE = str(tmp_path / "absent.json")
    _load.cache_clear()
    try:
        assert [m.id for m in check_crisis_resources()] == ["painmind.E001"]
    finally:
        _load.cache_clear()


@pytest.mark.parametrize(
    ("debug", "country", "expected"),
    [
        (False, "", ["painmind.E003"]),
        (True, "", ["painmind.W003"]),
        (False, "GB", []),
        (False, "XX", ["painmind.E004"]),
    ],
)
def test_default_country_must_be_set_in_production(settings, debug, country, expected):
    settings.DEBUG = debug
    settings.DEFAULT_COUNTRY = country
    assert [m.id for m in check_site_crisis_settings()] == expected


def test_a_half_configured_site_contact_is_an_error(settings):
    settings.DEFAULT_COUNTRY = "GB"
    settings.CRISIS_CONTACT = {"name": "Clinic", "phone": "", "url": "", "hours": "9-5"}
    (message,) = check_site_crisis_settings()
    assert message.id == "painmind.E005"
    assert "PAINMIND_CRISIS_CONTACT_PHONE or PAINMIND_CRISIS_CONTACT_URL" in message.msg


def test_shipped_file_passes_in_production(settings):
    settings.DEBUG = False
    _load.cache_clear()
    assert check_crisis_resources() == []
    assert Path(settings.CRISIS_RESOURCES_FILE).name == "crisis_resources.json"
