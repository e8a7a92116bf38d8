"""The follow-up questions (ASQ) after a positive or blank item 9: web and API, attached to the alert."""

from __future__ import annotations

from django.core import mail

from painmind.safety.models import Alert, Screening
from tests.tasks import run_queued_tasks

from .test_safety import phq9_stored


def phq9(client, headers, item9):
    return phq9_stored(client, headers, item9)["id"]


def test_the_offer_follows_the_crisis_block_and_a_negative_screen_is_saved(client, pat, cara, token_for):
    rid = phq9(client, token_for(pat), 1)
    client.force_login(pat)
    page = client.get(f"/me/measures/responses/{rid}/").content.decode()
    assert page.index('class="crisis"') < page.index("A few more questions")  # after, never instead
    assert f'href="/me/follow-up/{rid}/"' in page
    form = client.get(f"/me/follow-up/{rid}/")
    assert "In the past few weeks, have you wished you were dead?" in form.content.decode()
    r = client.post(f"/me/follow-up/{rid}/", {"q1": "no", "q2": "no", "q3": "no", "q4": "no"})
    assert r.status_code == 302
    assert r["Location"] == f"/me/measures/responses/{rid}/"
    screening = Screening.objects.get()
    assert screening.result == "negative"
    alert = Alert.objects.get(kind="self_harm")
    assert screening.alert == alert
    assert alert.screen == "negative"
    assert alert.is_open  # a negative screen never closes the alert: a clinician does
    after = client.get(f"/me/measures/responses/{rid}/").content.decode()
    assert "You answered the follow-up questions" in after
    assert client.get(f"/me/follow-up/{rid}/").status_code == 302  # once per response


def test_a_positive_screen_asks_question_5_and_acute_tells_the_team_again_and_sorts_first(
    client, pat, cara, token_for, django_capture_on_commit_callbacks
):
    from conftest import _user

    # Another patient of cara's with an older critical alert, to see the sort.
    sam = _user("sam@example.org", "patient", display_name="Sam Other")
    from painmind.accounts.actions import do_grant_consent
    from painmind.accounts.audit import Actor

    do_grant_consent(Actor(user=sam, via="web"), cara.email)
    with django_capture_on_commit_callbacks(execute=True):
        rid = phq9(client, token_for(pat), 1)
        phq9(client, token_for(sam), 3)  # newer, and graver on item 9
    run_queued_tasks()
    assert len(mail.outbox) == 2
    client.force_login(pat)
    step2 = client.post(f"/me/follow-up/{rid}/", {"q1": "yes", "q2": "no", "q3": "no", "q4": "no"})
    assert step2.status_code == 200
    html = step2.content.decode()
    assert "Are you having thoughts of killing yourself right now?" in html
    assert Screening.objects.count() == 0  # nothing saved until question 5
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/me/follow-up/{rid}/", {"step": "2", "q1": "yes", "q2": "no", "q3": "no", "q4": "no", "q5": "yes"}
        )
    assert done.status_code == 302
    alert = Alert.objects.get(patient=pat, kind="self_harm")
    assert alert.screen == "acute"
    assert Screening.objects.get().answers == {"1": "yes", "2": "no", "3": "no", "4": "no", "5": "yes"}
    assert list(alert.notices.order_by("id").values_list("reason", flat=True)) == ["new", "acute"]
    run_queued_tasks()
    assert len(mail.outbox) == 3  # the team is told again about the acute positive
    client.force_login(cara)
    listing = client.get("/clinician/alerts/").content.decode()
    assert listing.index("Pat Example") < listing.index("Sam Other")  # acute first, although older
    assert "Acute positive" in listing
    panel = client.get("/clinician/").content.decode()
    assert panel.index("Pat Example") < panel.index("Sam Other")


def test_a_refusal_is_positive_and_a_later_milder_screen_does_not_hide_an_acute_one(client, pat, cara, token_for):
    headers = token_for(pat)
    first = phq9(client, headers, 2)
    client.force_login(pat)
    r = client.post(f"/me/follow-up/{first}/", {"q1": "refused", "q2": "no", "q3": "no", "q4": "no"})
    assert "Are you having thoughts of killing yourself right now?" in r.content.decode()
    client.post(f"/me/follow-up/{first}/", {"step": "2", "q1": "refused", "q2": "no", "q3": "no", "q4": "no"})
    assert Alert.objects.get(kind="self_harm").screen == "acute"  # question 5 left blank: acute
    second = phq9(client, headers, 1)  # attaches to the same open alert
    client.post(f"/me/follow-up/{second}/", {"q1": "no", "q2": "no", "q3": "no", "q4": "no"})
    assert [s.result for s in Screening.objects.order_by("id")] == ["acute", "negative"]
    assert Alert.objects.get(kind="self_harm").screen == "acute"


def test_skipping_is_allowed_and_recorded(client, pat, cara, token_for):
    rid = phq9(client, token_for(pat), None)  # item 9 left blank also gets the offer
    client.force_login(pat)
    r = client.post(f"/me/follow-up/{rid}/skip/")
    assert r.status_code == 302
    assert Screening.objects.get().result == "skipped"
    assert Alert.objects.get(kind="self_harm").screen == "skipped"
    assert "You chose not to answer the follow-up questions" in client.get(r["Location"]).content.decode()


def test_unanswered_questions_are_named_and_nothing_is_saved(client, pat, cara, token_for):
    rid = phq9(client, token_for(pat), 1)
    client.force_login(pat)
    r = client.post(f"/me/follow-up/{rid}/", {"q1": "no", "q3": "no"})
    assert r.status_code == 400
    assert 'id="err-q2"' in r.content.decode()
    assert 'id="err-q4"' in r.content.decode()
    assert Screening.objects.count() == 0


def test_no_offer_without_a_self_harm_answer_and_not_for_someone_else(client, pat, cara, olga, token_for):
    negative = phq9(client, token_for(pat), 0)
    client.force_login(pat)
    assert "A few more questions" not in client.get(f"/me/measures/responses/{negative}/").content.decode()
    assert client.get(f"/me/follow-up/{negative}/").status_code == 404
    positive = phq9(client, token_for(pat), 1)
    client.force_login(cara)  # a clinician cannot answer for the patient here
    assert client.get(f"/me/follow-up/{positive}/").status_code == 404


def test_the_api_scores_attaches_and_answers_once(client, pat, cara, token_for):
    headers = token_for(pat)
    created = phq9_stored(client, headers, 1)
    rid = created["id"]
    url = f"/api/v1/responses/{rid}/follow-up"
    offer = created["crisis"]["screener"]
    assert offer["answer_at"] == url
    assert offer["questions"][4]["text"] == "Are you having thoughts of killing yourself right now?"
    assert offer["result"] is None
    bad = client.post(url, {"answers": {"1": "maybe"}}, content_type="application/json", headers=headers)
    assert bad.status_code == 422
    assert "answer must be yes, no or refused" in bad.content.decode()
    body = {"answers": {"1": "no", "2": "yes", "3": "no", "4": "no", "5": "no"}}
    r = client.post(url, body, content_type="application/json", headers=headers)
    assert r.status_code == 201
    assert r.json()["result"] == "non_acute"
    again = client.post(url, {"skip": True}, content_type="application/json", headers=headers)
    assert again.status_code == 200
    assert again.json()["result"] == "non_acute"
    assert Alert.objects.get(kind="self_harm").screen == "non_acute"
    alerts = client.get("/api/v1/alerts", headers=token_for(cara)).json()
    assert alerts[0]["screen"] == "non_acute"
    other = client.post(url, {"skip": True}, content_type="application/json", headers=token_for(cara))
    assert other.status_code == 404


def test_an_acute_screen_with_nobody_connected_says_nobody_can_be_told(client, pat, token_for):
    rid = phq9(client, token_for(pat), 3)  # pat shares with nobody
    client.force_login(pat)
    answers = {"step": "2", "q1": "yes", "q2": "yes", "q3": "yes", "q4": "no", "q5": "yes"}
    page = client.post(f"/me/follow-up/{rid}/", answers, follow=True).content.decode()
    assert "nobody at PainMind can be told" in page
    assert "is being sent another message" not in page
    assert Alert.objects.get(kind="self_harm").screen == "acute"
