"""Repeated self-harm answers attach to one open alert; the team is told again only when it is worse."""

from __future__ import annotations

from django.core import mail

from painmind.diary.models import QuestionnaireResponse
from painmind.safety.models import Alert
from tests.tasks import run_queued_tasks

from .test_safety import phq9_stored


def phq9(client, headers, item9, capture):
    with capture(execute=True):
        body = phq9_stored(client, headers, item9)
    run_queued_tasks()  # the worker sends what the request queued
    return body


def test_repeated_positive_answers_attach_to_one_open_alert(
    client, pat, cara, token_for, django_capture_on_commit_callbacks
):
    headers = token_for(pat)
    # Eight PHQ-9s in a few minutes: blank, 1, 1, 2, 1, blank, 3, 2 (item 9).
    answers = [None, 1, 1, 2, 1, None, 3, 2]
    ids = [phq9(client, headers, a, django_capture_on_commit_callbacks)["id"] for a in answers]
    alerts = list(Alert.objects.filter(kind="self_harm"))
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.is_open
    assert alert.level == 3  # the gravest answer attached
    assert alert.title == "PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered 3"
    entries = list(alert.entries.all())
    assert [int(e.source_id) for e in entries] == ids[::-1]  # every response, newest first
    assert [e.level for e in entries] == [2, 3, 0, 1, 2, 1, 1, 0]
    # Told about the first answer, then only when an answer was graver than any before:
    # blank (new), 1 (worse than blank), 2, 3 — four messages to the one clinician, not eight.
    assert list(alert.notices.order_by("id").values_list("reason", flat=True)) == ["new", "worse", "worse", "worse"]
    assert len(mail.outbox) == 4
    assert all(m.to == ["cara@example.org"] for m in mail.outbox)


def test_an_answer_after_acknowledgement_opens_a_new_alert_and_tells_the_team(
    client, pat, cara, token_for, django_capture_on_commit_callbacks
):
    headers = token_for(pat)
    phq9(client, headers, 2, django_capture_on_commit_callbacks)
    client.force_login(cara)
    first = Alert.objects.get(kind="self_harm")
    client.post(f"/clinician/alerts/{first.pk}/acknowledge/", {"note": "Called; safety plan agreed."})
    phq9(client, headers, 1, django_capture_on_commit_callbacks)  # milder, but the first is closed
    assert Alert.objects.filter(kind="self_harm").count() == 2
    second = Alert.objects.open().get(kind="self_harm")
    assert second.level == 1
    assert len(mail.outbox) == 2


def test_the_alert_list_shows_each_answer_with_a_link_to_its_items(
    client, pat, cara, token_for, django_capture_on_commit_callbacks
):
    headers = token_for(pat)
    r1 = phq9(client, headers, 1, django_capture_on_commit_callbacks)
    r2 = phq9(client, headers, 3, django_capture_on_commit_callbacks)
    client.force_login(cara)
    html = client.get("/clinician/alerts/").content.decode()
    link1 = f"/clinician/patients/{pat.pk}/responses/{r1['id']}/"
    link2 = f"/clinician/patients/{pat.pk}/responses/{r2['id']}/"
    assert link1 in html
    assert link2 in html
    assert html.index(link2) < html.index(link1)  # newest first
    answers = client.get(link2)
    assert answers.status_code == 200
    page = answers.content.decode()
    # Item 9's words and the answer given, in words, its points apart (PHQ-9 answer labels,
    # clinical-reference §1.1).
    assert "<td>Nearly every day</td><td>3</td>" in page
    assert page.count("<td>Not at all</td><td>0</td>") == 8
    alerts_api = client.get("/api/v1/alerts", headers=token_for(cara)).json()
    assert [e["response_id"] for e in alerts_api[0]["entries"]] == [r2["id"], r1["id"]]


def test_the_answers_page_is_for_clinicians_with_consent_only(client, pat, cara, olga, token_for):
    r = phq9_stored(client, token_for(pat), 0)
    url = f"/clinician/patients/{pat.pk}/responses/{r['id']}/"
    client.force_login(olga)  # a clinician without consent
    assert client.get(url).status_code == 404
    client.force_login(pat)  # the patient reads results on their own page
    assert client.get(url).status_code == 404
    client.force_login(cara)
    assert client.get(f"/clinician/patients/{olga.pk}/responses/{r['id']}/").status_code == 404
    assert client.get(url).status_code == 200
    assert QuestionnaireResponse.objects.count() == 1
