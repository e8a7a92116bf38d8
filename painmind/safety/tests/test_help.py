"""/help/ and GET /api/v1/help: signed out or in, the right country's services and no other's.

Expected numbers are written out from clinical-reference §5 (issue-10 update), not read from
the shipped file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from painmind.safety.crisis import _load

# (tel:/sms: links in page order, (service, phone) in API order): emergency first.
EXPECTED = {
    "GB": (["tel:999", "tel:112", "tel:116123"], [("Emergency services", "999"), ("Samaritans", "116 123")]),
    "IE": (["tel:112", "tel:999", "tel:116123"], [("Emergency services", "112"), ("Samaritans", "116 123")]),
    "CA": (
        ["tel:911", "tel:988", "sms:988"],
        [("Emergency services", "911"), ("9-8-8: Suicide Crisis Helpline", "988")],
    ),
    "AU": (
        ["tel:000", "tel:131114", "sms:0477131114"],
        [("Emergency services, Triple Zero", "000"), ("Lifeline", "13 11 14")],
    ),
    "US": (
        ["tel:911", "tel:988", "sms:988"],
        [("Emergency services", "911"), ("988 Suicide & Crisis Lifeline", "988")],
    ),
    # An EU member state without entries of its own: the EU's 112 only (§5 gives 116 123 for
    # Austria and Romania as examples, not for Germany).
    "DE": (["tel:112"], [("European emergency number", "112")]),
    "AT": (["tel:112", "tel:116123"], [("European emergency number", "112"), ("Emotional support line", "116 123")]),
    # Outside the EU, no entry: nothing but "call your local emergency number".
    "JP": ([], []),
}


def links(html: str) -> list[str]:
    return re.findall(r'href="((?:tel|sms):[^"]+)"', html)


@pytest.mark.parametrize("country", EXPECTED)
def test_help_page_signed_out_for_a_chosen_country(client, db, country):
    r = client.get(f"/help/?country={country.lower()}")
    assert r.status_code == 200
    html = r.content.decode()
    assert links(html) == EXPECTED[country][0]
    assert f'<option value="{country}" selected>' in html
    assert ("your local emergency number" in html) == (country == "JP")
    assert "not an emergency service" in html


@pytest.mark.parametrize("country", EXPECTED)
def test_help_api_signed_out_returns_the_same_facts(client, db, country):
    r = client.get(f"/api/v1/help?country={country}")
    assert r.status_code == 200
    body = r.json()
    assert [(x["service"], x["phone"]) for x in body["resources"]] == EXPECTED[country][1]
    assert body["country"] == country
    assert body["call_local_emergency_number"] is (country == "JP")
    assert body["in_eu"] is (country in {"IE", "DE", "AT"})
    assert body["site_contact"] is None


def test_signed_out_without_a_choice_gets_the_site_default(client, db, settings):
    settings.DEFAULT_COUNTRY = "AU"
    assert links(client.get("/help/").content.decode()) == EXPECTED["AU"][0]
    assert client.get("/api/v1/help").json()["country"] == "AU"


def test_signed_in_person_gets_their_own_country(client, pat, token_for):
    pat.country = "CA"
    pat.save()
    headers = token_for(pat)
    client.force_login(pat)
    assert links(client.get("/help/").content.decode()) == EXPECTED["CA"][0]
    assert client.get("/api/v1/help", headers=headers).json()["country"] == "CA"
    assert client.get("/api/v1/crisis-resources", headers=headers).json()[0]["phone"] == "911"
    # A bad token is not an error on a public page: the site default instead.
    assert client.get("/api/v1/help", headers={"Authorization": "Bearer nope"}).json()["country"] == "GB"


def test_old_crisis_address_redirects_to_help(client, pat):
    client.force_login(pat)
    r = client.get("/me/crisis/")
    assert (r.status_code, r["Location"]) == (302, "/help/")
    assert client.get("/me/crisis/").status_code == 302
    client.logout()
    assert client.get("/me/crisis/")["Location"] == "/help/"  # no sign-in needed either


def test_bad_country_is_named_and_the_page_still_helps(client, db):
    r = client.get("/help/?country=ZZ")
    assert r.status_code == 400
    html = r.content.decode()
    assert "country: &#x27;ZZ&#x27; is not a country code" in html
    assert links(html) == EXPECTED["GB"][0]  # the site default, still shown
    r = client.get("/api/v1/help?country=ZZ")
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "country", "message": "'ZZ' is not a country code; use an ISO 3166 code such as GB"}
    ]


def test_site_contact_is_shown_after_the_services_and_to_every_country(client, db, settings):
    settings.CRISIS_CONTACT = {"name": "Clinic duty line", "phone": "0123 456", "url": "", "hours": "9am to 5pm"}
    html = client.get("/help/?country=JP").content.decode()
    assert links(html) == ["tel:0123456"]
    assert "Clinic duty line" in html
    assert "9am to 5pm" in html
    assert "your local emergency number" in html
    assert links(client.get("/help/?country=GB").content.decode()) == [*EXPECTED["GB"][0], "tel:0123456"]
    body = client.get("/api/v1/help?country=JP").json()
    assert body["site_contact"] == {"name": "Clinic duty line", "phone": "0123 456", "url": "", "hours": "9am to 5pm"}


def test_help_is_linked_from_the_sign_in_page_and_every_footer(client, pat):
    login = client.get("/login/").content.decode()
    assert login.count('href="/help/"') == 2  # the sign-in card and the footer
    client.force_login(pat)
    for page in ("/me/", "/settings/", "/me/measures/"):
        assert 'href="/help/">Need help now?</a>' in client.get(page, follow=True).content.decode()


def _reviewer_texts(path: Path) -> list[str]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    texts = [raw["review"], raw["eu_member_states"]["about"]]
    texts += [r["review_note"] for r in raw["resources"] if r.get("review_note")]
    return texts


def test_reviewer_notes_never_reach_a_page_or_the_api(client, pat, cara, token_for, settings):
    path = Path(settings.CRISIS_RESOURCES_FILE)
    secrets = _reviewer_texts(path)
    assert len(secrets) >= 8  # the shipped file has review notes; this test must be able to fail
    countries = sorted({r["country"] for r in json.loads(path.read_text())["resources"]} - {"EU"} | {"DE", "JP"})
    shown = []
    for code in countries:
        shown.append(client.get(f"/help/?country={code}").content.decode())
        shown.append(client.get(f"/api/v1/help?country={code}").content.decode())
        shown.append(client.get(f"/api/v1/crisis-resources?country={code}", headers=token_for(pat)).content.decode())
        pat.country = code
        pat.save()
        body = {"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 1]}
        shown.append(
            client.post(
                "/api/v1/responses", body, content_type="application/json", headers=token_for(pat)
            ).content.decode()
        )
    everything = "\n".join(shown)
    for secret in secrets:
        assert secret not in everything
        assert json.dumps(secret)[1:-1] not in everything  # nor JSON-escaped
    for mark in ("⚠", "\\u26a0", "before release", "verify"):
        assert mark not in everything


def test_shipped_notes_for_patients_hold_no_reviewer_wording(settings):
    raw = json.loads(Path(settings.CRISIS_RESOURCES_FILE).read_text(encoding="utf-8"))
    for entry in raw["resources"]:
        assert entry["last_verified"] == "2026-12-06"
        for mark in ("⚠", "◐", "✅", "confirm", "verify", "release", "[S"):
            assert mark not in entry["note"], entry
    assert len(raw["eu_member_states"]["codes"]) == 27
    assert "GB" not in raw["eu_member_states"]["codes"]


@pytest.fixture(autouse=True)
def _fresh_directory():
    _load.cache_clear()
    yield
    _load.cache_clear()
