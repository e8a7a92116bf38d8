"""The follow-up questions (the ASQ, clinical-reference §1.8) a patient is offered right after the
crisis block — never instead of it. Works without JavaScript: questions 1–4, then question 5 on
a second step when the screen is positive. Skipping is allowed and recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.asq import ACUITY_QUESTION, ANSWERS, QUESTIONS, SCREEN_QUESTIONS, is_positive
from painmind.lib.errors import ActionError
from painmind.safety.notify import notified_count
from painmind.safety.screening import do_record_screening, get_own_screening_alert, screening_for_response

CHOICES = (("yes", "Yes"), ("no", "No"), ("refused", "I'd rather not answer"))
DONE = {
    "negative": "Thank you. Your answers were added to what your care team sees.",
    "non_acute": "Thank you. Your answers were added to the alert your care team sees.",
    "acute": "Thank you for telling us. Please call one of the numbers below now. Your answers were added "
    "to the alert, and your care team is being sent another message.",
}


def _questions(numbers: tuple[int, ...], posted: dict[str, str], errors: set[int]) -> list[dict[str, Any]]:
    return [
        {"number": n, "text": QUESTIONS[n], "value": posted.get(f"q{n}", ""), "error": n in errors} for n in numbers
    ]


@never_cache
@login_required
def follow_up(request: AuthedRequest, response_id: int) -> HttpResponse:
    """GET: questions 1–4. POST step 1: negative → saved; positive → question 5. POST step 2: saved."""
    actor = Actor.from_request(request, "web")
    alert = get_own_screening_alert(actor, response_id)
    if screening_for_response(alert.patient_id, response_id) is not None:
        return redirect("diary:response", response_id=response_id)
    posted: dict[str, str] = {}
    for n in QUESTIONS:
        value = request.POST.get(f"q{n}", "")
        if value in ANSWERS:
            posted[f"q{n}"] = value
    step = 1
    errors: set[int] = set()
    if request.method == "POST":
        errors = {n for n in SCREEN_QUESTIONS if f"q{n}" not in posted}
        if not errors:
            first: dict[int, str | None] = {n: posted[f"q{n}"] for n in SCREEN_QUESTIONS}
            if is_positive(first) and request.POST.get("step") != "2":
                step = 2
            else:
                answers: dict[int, str | None] = dict(first)
                if is_positive(first):
                    answers[ACUITY_QUESTION] = posted.get(f"q{ACUITY_QUESTION}")
                try:
                    screening = do_record_screening(actor, alert, response_id, answers)
                except ActionError as exc:
                    messages.error(request, exc.sentence)
                else:
                    text = DONE[screening.result]
                    if screening.result == "acute" and not notified_count(screening.alert):
                        text = (
                            "Thank you for telling us. Please call one of the numbers below now: no clinician "
                            "is connected to your account, so nobody at PainMind can be told."
                        )
                    messages.success(request, text)
                    return redirect("diary:response", response_id=response_id)
    ctx = {
        "response_id": response_id,
        "step": step,
        "questions": _questions(SCREEN_QUESTIONS, posted, errors),
        "acuity": _questions((ACUITY_QUESTION,), posted, set())[0],
        "choices": CHOICES,
        "errors": errors,
    }
    return render(request, "safety/follow_up.html", ctx, status=400 if errors else 200)


@login_required
@require_POST
def skip_follow_up(request: AuthedRequest, response_id: int) -> HttpResponse:
    """Record that the patient chose not to answer the follow-up questions."""
    actor = Actor.from_request(request, "web")
    alert = get_own_screening_alert(actor, response_id)
    if screening_for_response(alert.patient_id, response_id) is None:
        do_record_screening(actor, alert, response_id, None)
        messages.info(request, "That's fine. Your care team still has your questionnaire answers.")
    return redirect("diary:response", response_id=response_id)
