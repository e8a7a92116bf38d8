"""core.crisis.help_for: what a person is shown for their country (hand-built directories)."""

from __future__ import annotations

import json

import pytest

from painmind.core.crisis import help_for, load_crisis_directory, site_contact_from


def entry(country, service, phone, *, emergency=False, **extra):
    return {
        "country": country,
        "service": service,
        "emergency": emergency,
        "phone": phone,
        "sms": None,
        "url": None,
        "hours": None,
        "source": "test",
        "last_verified": "2026-12-06",
        **extra,
    }


RESOURCES = [
    entry("GB", "Helpline GB", "116 123"),
    entry("GB", "Emergency GB", "999", emergency=True, other_phones=["112"]),
    entry("EU", "EU emergency", "112", emergency=True),
    entry("AT", "Support AT", "116 123"),
    entry("IE", "Emergency IE", "112", emergency=True, review_note="REVIEWER ONLY"),
    entry("US", "Helpline US", "988", note="Patient note"),
]


@pytest.fixture
def directory(tmp_path):
    path = tmp_path / "crisis.json"
    body = {
        "version": "t",
        "max_age_months": 12,
        "eu_member_states": {"codes": ["AT", "DE", "IE"], "last_verified": "2026-12-06"},
        "resources": RESOURCES,
    }
    path.write_text(json.dumps(body))
    return load_crisis_directory(path)


def names(help_):
    return [r.service for r in [*help_.emergency, *help_.services]]


def test_own_country_emergency_first(directory):
    found = help_for(directory, "gb")
    assert names(found) == ["Emergency GB", "Helpline GB"]
    assert found.matched
    assert not found.call_local_emergency_number
    assert found.emergency[0].other_tels == [("112", "112")]


def test_eu_member_without_own_emergency_gets_112_and_its_own_helpline(directory):
    assert names(help_for(directory, "AT")) == ["EU emergency", "Support AT"]


def test_eu_member_without_any_entry_gets_only_112(directory):
    found = help_for(directory, "DE")
    assert names(found) == ["EU emergency"]
    assert (found.matched, found.in_eu, found.call_local_emergency_number) == (False, True, False)


def test_eu_member_with_own_emergency_does_not_get_it_twice(directory):
    assert names(help_for(directory, "IE")) == ["Emergency IE"]


def test_country_outside_the_eu_without_entries_gets_nothing_foreign(directory):
    found = help_for(directory, "JP")
    assert names(found) == []
    assert (found.matched, found.in_eu, found.call_local_emergency_number) == (False, False, True)


def test_us_without_an_emergency_entry_is_told_to_call_the_local_number(directory):
    found = help_for(directory, "US")
    assert names(found) == ["Helpline US"]
    assert found.call_local_emergency_number


def test_review_note_is_not_kept_and_note_is(directory):
    (ie,) = help_for(directory, "IE").emergency
    assert "REVIEWER ONLY" not in json.dumps(ie.to_dict())
    assert not hasattr(ie, "review_note")
    (us,) = help_for(directory, "US").services
    assert us.to_dict()["note"] == "Patient note"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"review_note": 3}, "review_note must be text"),
        ({"other_phones": "112"}, "other_phones must be a list"),
    ],
)
def test_bad_optional_fields_name_the_entry(tmp_path, change, message):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"resources": [{**RESOURCES[0], **change}]}))
    with pytest.raises(ValueError, match=f"entry 0 {message}"):
        load_crisis_directory(path)


def test_bad_eu_list(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"resources": RESOURCES, "eu_member_states": {"codes": ["de"], "last_verified": "x"}}))
    with pytest.raises(ValueError, match="eu_member_states codes"):
        load_crisis_directory(path)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, None),
        ({"name": " ", "phone": ""}, None),
        ({"name": "Clinic", "phone": "01234 567890"}, ("Clinic", "01234 567890", "", "")),
        ({"name": "Clinic", "url": "https://clinic.example"}, ("Clinic", "", "https://clinic.example", "")),
    ],
)
def test_site_contact(values, expected):
    contact = site_contact_from(values)
    assert (None if contact is None else (contact.name, contact.phone, contact.url, contact.hours)) == expected


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"phone": "123"}, "PAINMIND_CRISIS_CONTACT_NAME"),
        ({"name": "Clinic", "hours": "9-5"}, "PAINMIND_CRISIS_CONTACT_PHONE or PAINMIND_CRISIS_CONTACT_URL"),
        ({"name": "Clinic", "url": "clinic.example"}, "PAINMIND_CRISIS_CONTACT_URL must start"),
    ],
)
def test_half_configured_site_contact_is_refused(values, message):
    with pytest.raises(ValueError, match=message):
        site_contact_from(values)
