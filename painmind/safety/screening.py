"""The follow-up screener after a positive or blank PHQ-9 item 9 (the ASQ, clinical-reference
§1.8; `painmind.core.asq`): which alert it follows, and recording its result or a skip.

The result attaches to the self-harm alert. The alert keeps the most urgent result any screening
gave while it is open (acute > non-acute > negative > skipped: a later, milder answer does not
hide an acute one; a project rule). An acute positive tells the team again at once and sorts
first on every list; the alert may already be acknowledged by then, and a positive screen then
opens a new self-harm alert rather than attaching to a closed one.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404

from painmind.accounts.audit import Actor, record
from painmind.accounts.models import AuditAction, Role
from painmind.core.alert_rules import SELF_HARM_KEY
from painmind.core.asq import QUESTIONS, AsqAnswers, AsqError, score_asq
from painmind.lib.errors import ActionError
from painmind.safety.actions import do_raise_alert
from painmind.safety.models import Alert, AlertEntry, AlertKind, NoticeReason, Screen, Screening, Severity
from painmind.safety.notify import queue_alert_notices

URGENCY = {Screen.NONE: 0, Screen.SKIPPED: 1, Screen.NEGATIVE: 2, Screen.NON_ACUTE: 3, Screen.ACUTE: 4}
TITLES = {
    Screen.ACUTE: "Follow-up questions (ASQ): acute positive, thoughts of killing themselves right now",
    Screen.NON_ACUTE: "Follow-up questions (ASQ): non-acute positive",
}


def self_harm_alert_for_response(patient_id: int, response_id: int) -> Alert | None:
    """The self-harm alert a response raised or was attached to (None when it raised none)."""
    entry = (
        AlertEntry.objects.select_related("alert")
        .filter(
            source_type="questionnaire_response",
            source_id=str(response_id),
            alert__patient_id=patient_id,
            alert__kind=AlertKind.SELF_HARM,
        )
        .order_by("-alert__created_at")
        .first()
    )
    return entry.alert if entry else None


def screening_for_response(patient_id: int, response_id: int) -> Screening | None:
    """The screening recorded after this response, if any (a skip counts)."""
    return Screening.objects.filter(patient_id=patient_id, response_id=str(response_id)).order_by("-created_at").first()


def follow_up_context(alert: Alert | None, response_id: int) -> dict[str, object] | None:
    """What the result page shows after the crisis block: the offer, or what was done with it.
    `alert`: the self-harm alert the response raised or joined (`CrisisContext.alert`)."""
    if alert is None:
        return None
    return {"response_id": response_id, "screening": screening_for_response(alert.patient_id, response_id)}


def screener_offer(alert: Alert | None, response_id: int) -> dict[str, object] | None:
    """The follow-up questions as an API client shows them after the crisis resources (never
    instead of them): the ASQ's questions, where to send the answers, and the result once given.
    `alert`: the self-harm alert the response raised or joined (`CrisisContext.alert`)."""
    if alert is None:
        return None
    done = screening_for_response(alert.patient_id, response_id)
    return {
        "name": "ASQ (Ask Suicide-Screening Questions)",
        "questions": [{"number": n, "text": QUESTIONS[n]} for n in sorted(QUESTIONS)],
        "answers": ["yes", "no", "refused"],
        "ask_question_5": "only when any of questions 1-4 is yes or refused",
        "answer_at": f"/api/v1/responses/{response_id}/follow-up",
        "result": done.result if done else None,
    }


def get_own_screening_alert(actor: Actor, response_id: int) -> Alert:
    """The patient's own self-harm alert behind one of their responses; Http404 otherwise."""
    user = actor.user
    if user is None or user.role != Role.PATIENT:
        raise Http404("No follow-up questions here.")
    alert = self_harm_alert_for_response(user.pk, response_id)
    if alert is None:
        raise Http404("No follow-up questions here.")
    return alert


def do_record_screening(actor: Actor, alert: Alert, response_id: int, answers: AsqAnswers | None) -> Screening:
    """Record the patient's ASQ answers (or a skip, when `answers` is None) on their self-harm alert.

    Invalid answers raise ActionError (field ``answers.N``) and write nothing. Audited.
    """
    if answers is None:
        result, scored = Screen.SKIPPED, {}
    else:
        try:
            asq = score_asq(answers)
        except AsqError as exc:
            raise ActionError({"answers": [str(exc)]}) from None
        result, scored = Screen(asq.result), asq.answers
    with transaction.atomic():
        target = Alert.objects.select_for_update().get(pk=alert.pk)
        if not target.is_open and result in TITLES:
            target, _ = do_raise_alert(
                target.patient, AlertKind.SELF_HARM, Severity.CRITICAL, key=SELF_HARM_KEY, title=TITLES[result]
            )
        screening = Screening.objects.create(
            alert=target, patient=target.patient, response_id=str(response_id), answers=scored, result=result
        )
        graver = URGENCY[result] > URGENCY[Screen(target.screen)]
        if graver:
            Alert.objects.filter(pk=target.pk).update(screen=result)
            target.screen = result
        if graver and result == Screen.ACUTE:
            queue_alert_notices(target, NoticeReason.ACUTE)  # told again at once, then every ACUTE_RESEND_HOURS
        record(actor, target.patient, AuditAction.CREATE, "screening", object_id=screening.pk, detail=result)
    return screening
