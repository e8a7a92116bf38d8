"""The crisis block after PHQ-9 item 9 ≥ 1 (web and API): the patient's own country's services,
emergency number first, no other country's; and what it says about the care team."""

from __future__ import annotations

import re

import pytest

from painmind.core.instruments import get_instrument

ANSWERS = [0, 0, 0, 0, 0, 0, 0, 0, 1]


def phq9_form():
    instrument = get_instrument("phq9")
    data = {item.link_id: "0" for item in instrument.scored_items}
    data[instrument.safety_item or ""] = "1"
    return data


def links(html):
    return re.findall(r'href="((?:tel|sms):[^"]+)"', html)


def crisis_section(html):
    start = html.index('<section class="crisis"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("GB", ["tel:999", "tel:112", "tel:116123"]),
        ("DE", ["tel:112"]),  # the EU's 112; no 116 123 (the reference gives it for DE nowhere)
        ("JP", []),
    ],
)
def test_web_block_shows_only_the_patients_country(client, pat, cara, country, expected):
    pat.country = country
    pat.save()
    client.force_login(pat)
    html = crisis_section(client.post("/me/measures/phq9/", phq9_form(), follow=True).content.decode())
    assert links(html) == expected
    for foreign in ("988", "13 11 14", "Samaritans") if country != "GB" else ("988", "13 11 14"):
        assert foreign not in html
    assert ("call your local emergency number" in html) == (country == "JP")
    assert "A message was sent to your care team (1 clinician)." in html
    assert "Nobody watches PainMind around the clock, and it is not an emergency service." in html


def test_api_payload_says_the_same(client, pat, cara, olga, token_for):
    from painmind.accounts.actions import do_grant_consent
    from painmind.accounts.audit import Actor

    do_grant_consent(Actor(user=pat, via="web"), olga.email)
    pat.country = "DE"
    pat.save()
    body = {"instrument": "phq9", "answers": ANSWERS}
    crisis = client.post("/api/v1/responses", body, content_type="application/json", headers=token_for(pat)).json()[
        "crisis"
    ]
    assert [(r["service"], r["phone"]) for r in crisis["resources"]] == [("European emergency number", "112")]
    assert (crisis["country"], crisis["in_eu"], crisis["call_local_emergency_number"]) == ("DE", True, False)
    assert crisis["care_team_notified"] == 2
    assert crisis["care_team_message"] == (
        "A message was sent to your care team (2 clinicians). "
        "Nobody watches PainMind around the clock, and it is not an emergency service."
    )


def test_nobody_notified_is_said_plainly(client, pat, token_for):
    body = {"instrument": "phq9", "answers": ANSWERS}
    crisis = client.post("/api/v1/responses", body, content_type="application/json", headers=token_for(pat)).json()[
        "crisis"
    ]
    assert crisis["care_team_notified"] == 0
    assert crisis["care_team_message"].startswith(
        "No clinician is connected to your PainMind account, so nobody was notified."
    )
