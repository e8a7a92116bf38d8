"""The self-harm safety flow: PHQ-9 item 9 above 0 or blank, on the web and over the API."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from painmind.accounts.models import AuditEvent
from painmind.core.instruments import get_instrument
from painmind.diary.models import QuestionnaireResponse
from painmind.safety.crisis import _load
from painmind.safety.models import Alert

LOW = [0, 0, 0, 0, 0, 0, 0, 0]  # items 1-8, total 0
HIGH = [3, 3, 3, 3, 3, 3, 3, 3]  # items 1-8, total 24


def phq9(client, headers, first8, item9):
    body = {"instrument": "phq9", "answers": [*first8, item9]}
    return client.post("/api/v1/responses", body, content_type="application/json", headers=headers)


def phq9_stored(client, headers, item9, first8=LOW):
    """Post a PHQ-9 (items 1-8 at 0 unless given) and return the stored response's JSON."""
    r = phq9(client, headers, first8, item9)
    assert r.status_code == 201, r.content
    return r.json()


@pytest.mark.parametrize(
    ("first8", "item9", "state", "critical"),
    [
        (LOW, 0, "negative", 0),
        (LOW, 1, "positive", 1),
        (LOW, 3, "positive", 1),
        (LOW, None, "unknown", 1),
        (HIGH, 0, "negative", 0),
        (HIGH, 1, "positive", 1),
        (HIGH, 3, "positive", 1),
        (HIGH, None, "unknown", 1),
    ],
)
def test_item9_over_the_api(client, pat, cara, token_for, first8, item9, state, critical):
    r = phq9(client, token_for(pat), first8, item9)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["safety"]["item9"] == state
    assert Alert.objects.filter(kind="self_harm", severity="critical").count() == critical
    if critical:
        crisis = body["crisis"]
        assert crisis["item9"] == state
        assert crisis["care_team_notified"] == 1
        # pat's country is the default, GB: 999 first (§5 [S53]), then Samaritans 116 123 ([S47]).
        assert [(c["service"], c["phone"]) for c in crisis["resources"]] == [
            ("Emergency services", "999"),
            ("Samaritans", "116 123"),
        ]
    else:
        assert body["crisis"] is None


def test_blank_item9_is_not_imputed_even_when_the_total_is_prorated(client, pat, token_for):
    r = phq9(client, token_for(pat), [2, 2, 2, 2, 2, 2, 2, 2], None)
    body = r.json()
    assert body["total"] == 18  # 16 over 8 items, mean 2, prorated to 18 (§1.1)
    assert body["prorated"] is True
    assert body["safety"]["item9"] == "unknown"


ITEM9 = get_instrument("phq9").safety_item or ""


def phq9_form(item9, others="1"):
    data = {item.link_id: others for item in get_instrument("phq9").scored_items}
    data[ITEM9] = item9
    return data


@pytest.mark.parametrize(
    ("first", "item9", "critical"),
    [("0", "0", 0), ("3", "0", 0), ("0", "1", 1), ("3", "3", 1), ("0", "", 1), ("3", "", 1)],
)
def test_item9_on_the_web_shows_crisis_resources_at_once(client, pat, cara, first, item9, critical):
    client.force_login(pat)
    form = client.get("/me/measures/phq9/").content.decode()
    assert "Thoughts that you would be better off dead, or of hurting yourself in some way" in form
    data = phq9_form(item9, others=first)
    if item9 == "":  # a blank item 9 is saved once the patient confirms skipping it (the confirm step)
        data.update({ITEM9: "skip", "confirm_blanks": "1"})
    r = client.post("/me/measures/phq9/", data, follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    if critical:
        assert 'href="tel:116123"' in html
        assert "Nobody watches PainMind around the clock" in html
        assert "A message was sent to your care team (1 clinician)" in html
    else:
        assert "tel:116123" not in html
    assert Alert.objects.filter(kind="self_harm").count() == critical


def test_us_patient_sees_988_and_911_as_tappable_links(client, pat, cara):
    pat.country = "US"
    pat.save()
    client.force_login(pat)
    html = client.post("/me/measures/phq9/", phq9_form("2"), follow=True).content.decode()
    assert 'href="tel:911"' in html
    assert 'href="tel:988"' in html
    assert 'href="sms:988"' in html
    assert html.index("tel:911") < html.index("tel:988")  # emergency first


def test_without_a_care_team_the_page_says_nobody_was_notified(client, pat):
    client.force_login(pat)
    html = client.post("/me/measures/phq9/", phq9_form("1"), follow=True).content.decode()
    assert "nobody was notified" in html
    assert Alert.objects.filter(kind="self_harm").count() == 1  # still raised, for whoever joins the team


def test_alert_reaches_each_consenting_clinician_and_not_others(client, pat, cara, olga, token_for):
    from painmind.accounts.actions import do_create_user, do_grant_consent
    from painmind.accounts.audit import Actor

    gita = do_create_user("gita@example.org", "x", role="clinician", discipline="primary_care", check_password=False)
    do_grant_consent(Actor(user=pat, via="web"), gita.email)
    phq9(client, token_for(pat), LOW, 2)
    alert = Alert.objects.get(kind="self_harm")
    for clinician in (cara, gita):
        listed = client.get("/api/v1/alerts", headers=token_for(clinician)).json()
        assert [(a["id"], a["severity"]) for a in listed] == [(alert.pk, "critical")]
        client.force_login(clinician)
        assert alert.title in client.get("/clinician/alerts/").content.decode()
    assert client.get("/api/v1/alerts", headers=token_for(olga)).json() == []
    client.force_login(olga)
    assert alert.title not in client.get("/clinician/alerts/").content.decode()


def test_critical_alert_needs_a_note_and_acknowledging_is_audited(client, pat, cara, olga, token_for):
    phq9(client, token_for(pat), LOW, 1)
    alert = Alert.objects.get()
    url = f"/api/v1/alerts/{alert.pk}/acknowledge"
    r = client.post(url, {"note": "  "}, content_type="application/json", headers=token_for(cara))
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "note", "message": "a critical alert needs a note saying what was done"}]
    r = client.post(url, {"note": "Phoned; safe"}, content_type="application/json", headers=token_for(olga))
    assert r.status_code == 404
    alert.refresh_from_db()
    assert alert.is_open
    r = client.post(
        url,
        {"note": "Phoned the patient; safety plan reviewed."},
        content_type="application/json",
        headers=token_for(cara),
    )
    assert r.status_code == 200
    assert r.json()["open"] is False
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement_note) == (cara, "Phoned the patient; safety plan reviewed.")
    event = AuditEvent.objects.get(object_type="alert")
    assert (event.actor, event.patient, event.action, event.object_id) == (cara, pat, "update", str(alert.pk))
    assert client.get("/api/v1/alerts", headers=token_for(cara)).json() == []


def test_acknowledge_on_the_web(client, pat, cara, token_for):
    phq9(client, token_for(pat), LOW, 1)
    alert = Alert.objects.get()
    client.force_login(cara)
    r = client.post(f"/clinician/alerts/{alert.pk}/acknowledge/", {"note": ""}, follow=True)
    assert "A critical alert needs a note" in r.content.decode()
    client.post(f"/clinician/alerts/{alert.pk}/acknowledge/", {"note": "Called, safe.", "next": "/clinician/alerts/"})
    alert.refresh_from_db()
    assert alert.acknowledgement_note == "Called, safe."


def test_crisis_page_lists_the_configured_numbers(client, pat):
    client.force_login(pat)
    html = client.get("/me/crisis/", follow=True).content.decode()  # now /help/
    assert 'href="tel:116123"' in html
    assert "Samaritans" in html
    assert "911" not in html  # another country's emergency number would not connect


def test_country_without_services_gets_no_other_countrys_services(client, pat):
    pat.country = "NZ"
    pat.save()
    client.force_login(pat)
    html = client.get("/help/").content.decode()
    assert "call your local emergency number" in html
    assert "tel:911" not in html
    assert "tel:116123" not in html


def test_system_check_warns_about_stale_entries(tmp_path, settings, capsys):
    settings.DEBUG = True  # development: a warning (production: an error, test_crisis_checks.py)
    source = json.loads(Path(settings.CRISIS_RESOURCES_FILE).read_text(encoding="utf-8"))
    source["resources"][0]["last_verified"] = "2020-01-01"
    path = tmp_path / "crisis.json"
    path.write_text(json.dumps(source))
    settings.CRISIS_RESOURCES_FILE = str(path)
    _load.cache_clear()
    try:
        from painmind.safety.checks import check_crisis_resources

        messages = check_crisis_resources()
        assert [m.id for m in messages] == ["painmind.W001"]
        assert "2020-01-01" in messages[0].msg
    finally:
        _load.cache_clear()


def test_shipped_crisis_file_is_fresh_and_complete(settings):
    from painmind.core.crisis import load_crisis_directory, stale_resources

    directory = load_crisis_directory(Path(settings.CRISIS_RESOURCES_FILE))
    assert stale_resources(directory, date(2026, 12, 6)) == []
    assert {(r.country, r.phone) for r in directory.resources} >= {
        ("US", "988"),
        ("US", "911"),
        ("CA", "988"),
        ("GB", "116 123"),
    }
    settings.DEFAULT_COUNTRY = "GB"  # production must set it (painmind.E003)
    call_command("check")


# --- A self-harm answer is never lost to a reused form key (issue 10, first stage) -------------


def _client_id(client) -> str:
    import re

    form = client.get("/me/measures/phq9/").content.decode()
    match = re.search(r'name="client_id" value="([0-9a-f-]{36})"', form)
    assert match is not None
    return match.group(1)


def test_back_button_resubmission_with_item9_raised_reaches_the_alert_and_the_crisis_block(client, pat, cara):
    client.force_login(pat)
    key = _client_id(client)
    first = client.post("/me/measures/phq9/", {**phq9_form("0"), "client_id": key})
    assert first.status_code == 302
    assert not Alert.objects.exists()
    # Back, change item 9 from 0 to 2, submit: the browser sends the same key again.
    r = client.post("/me/measures/phq9/", {**phq9_form("2"), "client_id": key}, follow=True)
    assert r.redirect_chain[0][1] == 302  # post/redirect/get: a reload shows the result, never re-posts
    html = r.content.decode()
    assert 'href="tel:116123"' in html  # the crisis block, for the new answers
    assert "your new answers were saved as well" in html
    responses = list(QuestionnaireResponse.objects.filter(patient=pat).order_by("id"))
    assert [(r.item9, str(r.client_id) if r.client_id else None) for r in responses] == [
        ("negative", key),
        ("positive", None),
    ]
    alert = Alert.objects.get(kind="self_harm")
    assert (alert.severity, alert.source_id) == ("critical", str(responses[1].pk))


def test_a_changed_resubmission_without_a_self_harm_answer_is_refused_out_loud(client, pat):
    client.force_login(pat)
    key = _client_id(client)
    client.post("/me/measures/phq9/", {**phq9_form("0", others="1"), "client_id": key})
    r = client.post("/me/measures/phq9/", {**phq9_form("0", others="2"), "client_id": key}, follow=True)
    assert r.redirect_chain[-1][0] == "/me/measures/phq9/"  # a fresh form, not the earlier result
    assert "These answers were not saved: this form had already been sent with different answers" in (
        r.content.decode()
    )
    assert QuestionnaireResponse.objects.filter(patient=pat).count() == 1


def test_over_the_api_a_reused_key_with_a_self_harm_answer_is_stored_and_alerts(client, pat, cara, token_for):
    import uuid

    headers = token_for(pat)
    key = str(uuid.uuid4())

    def send(answers):
        body = {"instrument": "phq9", "answers": answers, "client_id": key}
        return client.post("/api/v1/responses", body, content_type="application/json", headers=headers)

    assert send([*LOW, 0]).status_code == 201
    assert send([*LOW, 0]).status_code == 200  # an identical retry: the same response
    assert send([1, *LOW[1:], 0]).status_code == 409  # changed, nothing about self-harm: refused
    r = send([*LOW, 2])
    assert r.status_code == 201
    assert r.json()["crisis"]["item9"] == "positive"
    assert Alert.objects.filter(kind="self_harm", severity="critical").count() == 1
    assert QuestionnaireResponse.objects.filter(patient=pat).count() == 2


@pytest.mark.parametrize("path", ["/me/", "/me/measures/phq9/"])
def test_form_pages_and_results_are_never_cached(client, pat, path):
    client.force_login(pat)
    assert "no-store" in client.get(path)["Cache-Control"]
    r = client.post("/me/measures/phq9/", phq9_form("1"))
    assert "no-store" in client.get(r["Location"])["Cache-Control"]  # the result page
