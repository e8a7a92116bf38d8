"""Answers are caught before they alarm anyone: blanks are confirmed, an empty submission is refused.

Expected values are hand-scored (clinical-reference §1.1: items 0–3, a sum; one or two blanks are
prorated with the mean of the answered items; a blank item 9 is "risk unknown", never imputed).
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail

from painmind.accounts.models import AuditEvent
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.safety.models import Alert, AlertNotice

FORM = "/me/measures/phq9/"
ITEM9 = "phq9-9"
SCORED = [f"phq9-{n}" for n in range(1, 10)]


def phq9_form(item9="0", others="1", **changes):
    data = dict.fromkeys(SCORED, others)
    data[ITEM9] = item9
    data.update(changes)
    return data


def hidden_key(html):
    match = re.search(r'name="client_id" value="([0-9a-f-]{36})"', html)
    assert match is not None
    return match.group(1)


def checked(html):
    """The (name, value) of every checked radio, in page order."""
    return re.findall(r'<input type="radio" name="([\w-]+)" value="(\w+)" checked>', html)


@pytest.fixture
def nothing_written(pat, cara, django_capture_on_commit_callbacks):
    """Assert that the block wrote no response, alert, notice, audit row or mail, and queued nothing."""
    audit_before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield
    assert QuestionnaireResponse.objects.count() == 0
    assert Alert.objects.count() == 0
    assert AlertNotice.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before
    assert callbacks == []
    assert mail.outbox == []


# ---- an empty submission is refused on every path, and creates nothing ----


@pytest.mark.parametrize("extra", [{}, {"confirm_blanks": "1", ITEM9: "skip"}])
def test_an_empty_phq9_on_the_web_is_refused_and_creates_nothing(client, pat, nothing_written, extra):
    client.force_login(pat)
    key = str(uuid.uuid4())
    r = client.post(FORM, {**dict.fromkeys(SCORED, ""), "client_id": key, **extra})
    assert r.status_code == 400
    html = r.content.decode()
    assert "No question was answered: answer at least one question before sending" in html
    assert "You left" not in html  # refused, not offered for confirmation


@pytest.mark.parametrize("answers", [{}, [None] * 9, [None] * 10, {"phq9-9": None, "phq9-difficulty": None}])
def test_an_empty_phq9_over_the_api_is_refused_with_the_field(client, pat, token_for, nothing_written, answers):
    r = client.post(
        "/api/v1/responses",
        {"instrument": "phq9", "answers": answers, "client_id": str(uuid.uuid4())},
        content_type="application/json",
        headers=token_for(pat),
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "answers", "message": "no question was answered: answer at least one question before sending"}
    ]


def test_an_empty_phq9_entered_by_a_clinician_is_refused(client, pat, cara, token_for, nothing_written):
    r = client.post(
        f"/api/v1/patients/{pat.pk}/responses",
        {"instrument": "phq9", "answers": [None] * 9},
        content_type="application/json",
        headers=token_for(cara),
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["answers"]


def test_one_answer_is_not_empty_over_the_api(client, pat, token_for):
    # Only item 1 answered (2): too many blanks to score (more than two, §1.1), item 9 unknown.
    r = client.post(
        "/api/v1/responses",
        {"instrument": "phq9", "answers": {"phq9-1": 2}},
        content_type="application/json",
        headers=token_for(pat),
    )
    assert r.status_code == 201
    assert (r.json()["total"], r.json()["status"], r.json()["safety"]["item9"]) == (None, "insufficient", "unknown")


# ---- blanks are shown back before saving ----


def test_one_blank_question_is_shown_back_and_saved_once_confirmed(client, pat, cara):
    client.force_login(pat)
    key = hidden_key(client.get(FORM).content.decode())
    r = client.post(FORM, {**phq9_form(**{"phq9-3": ""}), "client_id": key})
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    html = r.content.decode()
    assert "You left 1 question blank" in html
    assert '<a href="#q-phq9-3">Question 3</a>: Trouble falling or staying asleep' in html
    assert "Did you mean to skip it?" not in html  # item 9 was answered
    # The answers come back as given, under the same key, waiting for confirmation.
    assert checked(html) == [(f"phq9-{n}", "1") for n in (1, 2, 4, 5, 6, 7, 8)] + [(ITEM9, "0")]
    assert hidden_key(html) == key
    assert 'name="confirm_blanks" value="1"' in html
    assert QuestionnaireResponse.objects.count() == 0

    confirm = {**phq9_form(**{"phq9-3": ""}), "client_id": key, "confirm_blanks": "1"}
    saved = client.post(FORM, confirm)
    assert saved.status_code == 302
    again = client.post(FORM, confirm)  # a double tap on "Save": the same response
    assert again["Location"] == saved["Location"]
    stored = QuestionnaireResponse.objects.get()
    assert saved["Location"] == f"/me/measures/responses/{stored.pk}/"
    assert stored.answers == [1, 1, None, 1, 1, 1, 1, 1, 0, None]
    # Seven items at 1 and item 9 at 0 over 8 answered: mean 7/8, prorated to 9 x 7/8 = 7.875, mild.
    assert (stored.total, stored.status, stored.band, stored.item9) == (7.875, "prorated", "mild", "negative")
    assert str(stored.client_id) == key
    assert Alert.objects.count() == 0


def test_a_blank_filled_in_on_the_confirm_page_is_saved_complete(client, pat):
    client.force_login(pat)
    r = client.post(FORM, {**phq9_form(**{"phq9-3": "2"}), "confirm_blanks": "1"})
    assert r.status_code == 302
    # 1 x 7 + 2 + 0 = 9: mild, nothing prorated.
    assert QuestionnaireResponse.objects.get().answers[:9] == [1, 1, 2, 1, 1, 1, 1, 1, 0]
    assert QuestionnaireResponse.objects.get().total == 9


def test_an_optional_item_left_blank_is_not_asked_about(client, pat):
    # The PHQ-9 difficulty question is unscored and optional (clinical-reference §1.1).
    client.force_login(pat)
    r = client.post(FORM, phq9_form())
    assert r.status_code == 302


# ---- a blank item 9: asked plainly, and the "risk unknown" flow once confirmed ----


def test_blank_item9_is_asked_about_and_skipping_it_raises_the_critical_alert(client, pat, cara):
    client.force_login(pat)
    key = hidden_key(client.get(FORM).content.decode())
    r = client.post(FORM, {**phq9_form(item9=""), "client_id": key})
    assert r.status_code == 200
    html = r.content.decode()
    assert "You left 1 question blank" in html
    assert '<a href="#q-phq9-9">Question 9</a>' in html
    assert "You did not answer this question. Did you mean to skip it?" in html
    assert '<input type="radio" name="phq9-9" value="skip"> Yes, skip it' in html
    assert 'aria-describedby="stem ask-phq9-9"' in html
    assert "tel:116123" not in html  # nothing saved, no alert yet
    assert Alert.objects.count() == 0

    # "Save" without choosing: item 9 is not skipped by default.
    unresolved = client.post(FORM, {**phq9_form(item9=""), "client_id": key, "confirm_blanks": "1"})
    assert unresolved.status_code == 400
    assert "Choose an answer, or “Yes, skip it”" in unresolved.content.decode()
    assert QuestionnaireResponse.objects.count() == 0

    done = client.post(FORM, {**phq9_form(item9="skip"), "client_id": key, "confirm_blanks": "1"})
    assert done.status_code == 302
    result = client.get(done["Location"])
    assert "no-store" in result["Cache-Control"]
    page = result.content.decode()
    assert 'href="tel:116123"' in page  # the crisis block (GB: Samaritans, §5)
    assert "A message was sent to your care team (1 clinician)" in page
    stored = QuestionnaireResponse.objects.get()
    assert stored.answers[8] is None
    assert stored.item9 == "unknown"
    # Eight items at 1, item 9 blank: prorated to 9 x 8/8 = 9, but the item 9 is never imputed.
    assert (stored.total, stored.status) == (9, "prorated")
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.source_id) == ("self_harm", "critical", str(stored.pk))


def test_item9_answered_on_the_confirm_page_raises_the_alert_with_its_value(client, pat, cara):
    client.force_login(pat)
    key = hidden_key(client.get(FORM).content.decode())
    assert client.post(FORM, {**phq9_form(item9=""), "client_id": key}).status_code == 200
    r = client.post(FORM, {**phq9_form(item9="2"), "client_id": key, "confirm_blanks": "1"}, follow=True)
    assert r.redirect_chain[0][1] == 302
    assert 'href="tel:116123"' in r.content.decode()
    stored = QuestionnaireResponse.objects.get()
    assert stored.result["safety"] == {"item9": "positive", "value": 2}
    # 8 x 1 + 2 = 10: moderate, complete.
    assert (stored.total, stored.status, stored.band) == (10, "complete", "moderate")
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.source_id) == ("self_harm", "critical", str(stored.pk))


def test_a_back_button_resubmission_with_item9_blanked_reaches_the_alert_after_confirming(client, pat, cara):
    client.force_login(pat)
    key = hidden_key(client.get(FORM).content.decode())
    assert client.post(FORM, {**phq9_form(item9="0"), "client_id": key}).status_code == 302
    # Back, take item 9 away, submit: the confirm page keeps the reused key...
    shown = client.post(FORM, {**phq9_form(item9=""), "client_id": key})
    assert hidden_key(shown.content.decode()) == key
    # ...and the confirmed blank is stored as its own response, with the alert and crisis block.
    r = client.post(FORM, {**phq9_form(item9="skip"), "client_id": key, "confirm_blanks": "1"}, follow=True)
    assert 'href="tel:116123"' in r.content.decode()
    assert [x.item9 for x in QuestionnaireResponse.objects.order_by("id")] == ["negative", "unknown"]
    assert Alert.objects.filter(kind="self_harm", severity="critical").count() == 1


# ---- no-store and post/redirect/get on the form and result pages ----


def test_the_confirm_page_is_never_cached(client, pat):
    client.force_login(pat)
    r = client.post(FORM, phq9_form(item9=""))
    assert "no-store" in r["Cache-Control"]


def test_check_in_post_redirects_even_when_its_key_was_used(client, pat):
    client.force_login(pat)
    key = str(uuid.uuid4())
    first = client.post("/me/", {"pain": "6", "mood": "4", "client_id": key})
    assert (first.status_code, first["Location"]) == (302, "/me/")
    # The same key with other values (Back, change, submit): still a redirect, never a page
    # that a reload would post again.
    changed = client.post("/me/", {"pain": "2", "mood": "4", "client_id": key})
    assert (changed.status_code, changed["Location"]) == (302, "/me/")
    assert "no-store" in client.get("/me/")["Cache-Control"]
    assert [c.pain for c in CheckIn.objects.all()] == [6]
