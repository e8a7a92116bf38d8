"""The clinician's alert list: filters, the closed history, the event time, and acknowledging
several of one patient's alerts with one note (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from painmind.accounts.actions import do_grant_consent
from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent, User
from painmind.safety.actions import do_raise_alert
from painmind.safety.models import Alert, AlertKind, Severity

NOTE = "Phoned Pat: safe; flare plan agreed."
# Two days before "now", on the minute, so the alert (raised now) is a different minute.
ANSWERED = (timezone.now() - timedelta(days=2)).replace(second=0, microsecond=0)


@pytest.fixture
def pia(cara):
    """A second patient sharing with cara."""
    user = User.objects.create_user(
        email="pia@example.org", password="x-long-password-1", role="patient", display_name="Pia Second"
    )
    do_grant_consent(Actor(user=user, via="web"), cara.email)
    return user


@pytest.fixture
def alerts(client, pat, cara, pia, token_for):
    """pat: a critical self-harm alert (answered two days ago), an open flare warning and a
    silence warning closed automatically; pia: an open flare warning."""
    body = {"instrument": "phq9", "answers": [0] * 8 + [2], "completed_at": ANSWERED.isoformat()}
    r = client.post("/api/v1/responses", body, content_type="application/json", headers=token_for(pat))
    assert r.status_code == 201, r.content
    flare, _ = do_raise_alert(pat, AlertKind.FLARE, Severity.WARNING, key="flare", title="Pain flare: 3 days high")
    silence, _ = do_raise_alert(pat, AlertKind.SILENCE, Severity.WARNING, key="silence", title="No check-in for 8 days")
    # Closed by the periodic pass once pat checked in again (diary.actions.alerts._close).
    Alert.objects.filter(pk=silence.pk).update(resolved_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC))
    other, _ = do_raise_alert(pia, AlertKind.FLARE, Severity.WARNING, key="flare", title="Pia's pain flare")
    return {
        "self_harm": Alert.objects.get(kind="self_harm"),
        "flare": flare,
        "silence": silence,
        "pia": other,
        "response_id": r.json()["id"],
    }


def shown(html: str, alerts: dict[str, Any]) -> set[str]:
    return {name for name in ("self_harm", "flare", "silence", "pia") if f'id="alert-{alerts[name].pk}"' in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"self_harm", "flare", "pia"}),  # open alerts, everyone
        ("?severity=critical", {"self_harm"}),
        ("?severity=warning", {"flare", "pia"}),
        ("?kind=flare", {"flare", "pia"}),
        ("?status=closed", {"silence"}),
        ("?status=all", {"self_harm", "flare", "silence", "pia"}),
        ("?status=all&kind=silence", {"silence"}),
        ("?patient={pia}", {"pia"}),
        ("?patient={pat}&severity=warning", {"flare"}),
    ],
)
def test_filters(client, pat, cara, pia, alerts, query, expected):
    client.force_login(cara)
    r = client.get("/clinician/alerts/" + query.format(pat=pat.pk, pia=pia.pk))
    assert r.status_code == 200
    assert shown(r.content.decode(), alerts) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?severity=urgent", "severity"),
        ("?kind=rash", "kind"),
        ("?status=pending", "status"),
        ("?patient=x", "patient"),
    ],
)
def test_a_bad_filter_is_named_and_ignored(client, cara, alerts, query, field):
    client.force_login(cara)
    r = client.get("/clinician/alerts/" + query)
    assert r.status_code == 400
    html = r.content.decode()
    assert f"<p>{field}: " in html
    assert shown(html, alerts) == {"self_harm", "flare", "pia"}


def test_a_patient_who_does_not_share_is_not_a_filter(client, cara, olga, alerts):
    client.force_login(cara)
    r = client.get(f"/clinician/alerts/?patient={olga.pk}")
    assert r.status_code == 400
    assert "patient: choose one of the patients who share their diary with you" in r.content.decode()


API_QUERIES = [
    ("", {"self_harm", "flare", "pia"}),  # open alerts, everyone
    ("?status=open", {"self_harm", "flare", "pia"}),
    ("?severity=critical", {"self_harm"}),
    ("?severity=warning", {"flare", "pia"}),
    ("?kind=flare", {"flare", "pia"}),
    ("?status=closed", {"silence"}),  # not the open ones (issue 16: it used to return them)
    ("?status=all", {"self_harm", "flare", "silence", "pia"}),
    ("?status=all&kind=silence", {"silence"}),
    ("?patient_id={pia}", {"pia"}),
    ("?patient_id={pat}&severity=warning", {"flare"}),
    ("?patient_id={pat}&status=closed", {"silence"}),
]


@pytest.mark.parametrize(("query", "expected"), API_QUERIES)
def test_the_api_has_the_same_filters(client, pat, cara, pia, alerts, token_for, query, expected):
    r = client.get("/api/v1/alerts" + query.format(pat=pat.pk, pia=pia.pk), headers=token_for(cara))
    assert r.status_code == 200, r.content
    names = {alert.pk: name for name, alert in alerts.items() if name != "response_id"}
    got = [names[a["id"]] for a in r.json()]
    assert set(got) == expected
    assert len(got) == len(expected)


def test_the_api_lists_open_alerts_before_the_history(client, pat, cara, pia, alerts, token_for):
    r = client.get("/api/v1/alerts?status=all", headers=token_for(cara))
    got = [(a["id"], a["open"]) for a in r.json()]
    # Critical first, then the two open warnings newest first (pia's was raised last), then closed.
    assert got == [
        (alerts["self_harm"].pk, True),
        (alerts["pia"].pk, True),
        (alerts["flare"].pk, True),
        (alerts["silence"].pk, False),
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?status=closedd", "status", "must be one of open, closed, all"),
        ("?status=pending", "status", "must be one of open, closed, all"),
        ("?severity=urgent", "severity", "must be one of critical, warning"),
        ("?kind=rash", "kind", "must be one of self_harm, severe_band, reliable_worsening, flare, silence, medication"),
    ],
)
def test_a_bad_api_filter_is_a_422_naming_the_field(client, cara, alerts, token_for, query, field, message):
    before = AuditEvent.objects.count()
    r = client.get("/api/v1/alerts" + query, headers=token_for(cara))
    assert r.status_code == 422
    assert r.json() == {"detail": "Invalid input.", "errors": [{"field": field, "message": message}]}
    assert AuditEvent.objects.count() == before  # nothing was read


def test_the_api_patient_filter_is_one_who_shares(client, cara, olga, alerts, token_for, pat):
    r = client.get(f"/api/v1/alerts?patient_id={pat.pk}", headers=token_for(olga))
    assert r.status_code == 404


def test_the_history_says_how_each_alert_closed(client, pat, cara, alerts):
    client.force_login(cara)
    client.post(f"/clinician/alerts/{alerts['flare'].pk}/acknowledge/", {"note": "Seen in clinic."})
    html = client.get("/clinician/alerts/?status=closed").content.decode()
    assert shown(html, alerts) == {"flare", "silence"}
    assert "Acknowledged by Dr Cara Lee on" in html
    assert "“Seen in clinic.”" in html
    # Closed by the system, not a person (the "Acknowledged by None" of issue 16).
    assert "Closed automatically on 4 Mar 2025, 09:30, when the patient checked in again" in html
    assert "None" not in html


def test_the_event_time_is_when_the_patient_answered(client, pat, cara, alerts, settings):
    client.force_login(cara)
    html = client.get("/clinician/alerts/?severity=critical").content.decode()
    raised = alerts["self_harm"].created_at
    tz = timezone.get_default_timezone()
    answered_text = ANSWERED.astimezone(tz).strftime("%-d %b %Y, %H:%M")
    raised_text = raised.astimezone(tz).strftime("%-d %b %Y, %H:%M")
    assert f"answered {answered_text} · alert raised {raised_text}" in html
    link = f"/clinician/patients/{pat.pk}/responses/{alerts['response_id']}/"
    assert link in html


def test_acknowledge_several_alerts_with_one_note(client, pat, cara, alerts):
    client.force_login(cara)
    ids = [alerts["self_harm"].pk, alerts["flare"].pk]
    before = AuditEvent.objects.filter(object_type="alert").count()
    r = client.post(
        "/clinician/alerts/acknowledge/",
        {"patient": pat.pk, "alert": ids, "note": NOTE, "next": f"/clinician/patients/{pat.pk}/"},
    )
    assert r.status_code == 302
    assert r["Location"] == f"/clinician/patients/{pat.pk}/"
    closed = Alert.objects.filter(pk__in=ids)
    assert {(a.acknowledged_by_id, a.acknowledgement_note) for a in closed} == {(cara.pk, NOTE)}
    assert len({a.acknowledged_at for a in closed}) == 1
    events = AuditEvent.objects.filter(object_type="alert").order_by("id")[before:]
    assert sorted((int(e.object_id), e.actor_id, e.patient_id, e.action, e.detail) for e in events) == sorted(
        (i, cara.pk, pat.pk, "update", "acknowledged") for i in ids
    )
    assert Alert.objects.get(pk=alerts["pia"].pk).is_open
    page = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert "2 alerts acknowledged with one note." in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"alert": ["self_harm", "flare"], "note": " "}, "A critical alert needs a note saying what was done."),
        ({"alert": ["flare", "pia"], "note": NOTE}, "Acknowledge one patient&#x27;s alerts at a time."),
        (
            {"alert": ["flare", "silence"], "note": NOTE},
            "One of these alerts is already closed; nothing was acknowledged.",
        ),
        ({"alert": [], "note": NOTE}, "Choose at least one alert to acknowledge."),
    ],
)
def test_a_refused_bulk_acknowledgement_changes_nothing(client, pat, cara, alerts, form, message):
    client.force_login(cara)
    ids = [alerts[name].pk for name in form["alert"]]
    before = list(Alert.objects.order_by("pk").values_list("pk", "acknowledged_at", "acknowledgement_note"))
    n_events = AuditEvent.objects.filter(object_type="alert").count()
    r = client.post(
        "/clinician/alerts/acknowledge/", {"patient": pat.pk, "alert": ids, "note": form["note"]}, follow=True
    )
    assert message in r.content.decode()
    assert list(Alert.objects.order_by("pk").values_list("pk", "acknowledged_at", "acknowledgement_note")) == before
    assert AuditEvent.objects.filter(object_type="alert").count() == n_events


def test_a_clinician_without_consent_cannot_acknowledge_in_bulk(client, pat, olga, alerts):
    client.force_login(olga)
    ids = [alerts["flare"].pk]
    r = client.post("/clinician/alerts/acknowledge/", {"patient": pat.pk, "alert": ids, "note": NOTE})
    assert r.status_code == 404
    assert Alert.objects.get(pk=alerts["flare"].pk).is_open


def test_the_bulk_form_appears_for_one_patient_with_several_open_alerts(client, pat, cara, pia, alerts):
    client.force_login(cara)
    for url in (f"/clinician/patients/{pat.pk}/", f"/clinician/alerts/?patient={pat.pk}"):
        html = client.get(url).content.decode()
        assert 'id="bulk-ack"' in html
        assert html.count('form="bulk-ack"') == 2  # a box on each of pat's two open alerts
    for url in ("/clinician/alerts/", f"/clinician/alerts/?patient={pia.pk}", f"/clinician/patients/{pia.pk}/"):
        assert 'id="bulk-ack"' not in client.get(url).content.decode()


def test_the_answers_behind_an_alert_read_as_words_and_the_read_is_audited(client, pat, cara, olga, alerts):
    url = f"/clinician/patients/{pat.pk}/responses/{alerts['response_id']}/"
    client.force_login(olga)
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(object_type="questionnaire_response").exists()
    client.force_login(cara)
    html = client.get(url).content.decode()
    # PHQ-9 answer labels (clinical-reference §1.1): items 1–8 "Not at all" (0), item 9 "More
    # than half the days" (2); the points stand in their own column.
    assert html.count("<td>Not at all</td><td>0</td>") == 8
    assert "<td>More than half the days</td><td>2</td>" in html
    event = AuditEvent.objects.get(object_type="questionnaire_response")
    assert (event.actor_id, event.patient_id, event.action, event.object_id) == (
        cara.pk,
        pat.pk,
        "view",
        str(alerts["response_id"]),
    )


def test_one_answer_behind_an_alert_is_its_title_with_a_link_and_is_not_repeated(client, pat, cara, alerts):
    client.force_login(cara)
    html = client.get("/clinician/alerts/?severity=critical").content.decode()
    item = html.split(f'id="alert-{alerts["self_harm"].pk}"', 1)[1].split("</li>", 1)[0]
    assert item.count(alerts["self_harm"].title) == 1  # the title, not a list of one entry below it
    assert 'class="entries' not in item
    assert f'/clinician/patients/{pat.pk}/responses/{alerts["response_id"]}/">see the answers' in item


def test_a_critical_alert_needs_a_written_note_and_a_warning_takes_one_line(client, pat, cara, alerts):
    client.force_login(cara)
    html: str = client.get("/clinician/alerts/").content.decode()

    def form(name: str) -> str:
        pk: int = alerts[name].pk
        return html.split(f'id="alert-{pk}"', 1)[1].split("</form>", 1)[0]

    critical, warning = form("self_harm"), form("flare")
    assert f'<textarea id="note-{alerts["self_harm"].pk}" name="note" rows="2" maxlength="2000" required>' in critical
    assert f'<input type="text" id="note-{alerts["flare"].pk}" name="note" maxlength="2000">' in warning
    assert "<textarea" not in warning
    # Acknowledging the warning without a note works from that form.
    r = client.post(f"/clinician/alerts/{alerts['flare'].pk}/acknowledge/", {"note": "", "next": "/clinician/alerts/"})
    assert r.status_code == 302
    alerts["flare"].refresh_from_db()
    assert alerts["flare"].acknowledged_at is not None
