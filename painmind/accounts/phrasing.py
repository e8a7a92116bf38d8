"""Accounts data in plain words: the audit trail for "Who viewed my data", and when sharing ends."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from painmind.accounts.models import AuditAction, AuditEvent, Discipline, Role, User

# (object_type, action) → what happened, completing "<who> …". Every object_type passed to
# `record`/`record_many` in the code base is here; anything new falls back to `describe`'s
# generic phrase until it is added.
PHRASES: dict[tuple[str, str], str] = {
    ("checkin_list", AuditAction.VIEW): "viewed your check-ins",
    ("checkin", AuditAction.CREATE): "added a check-in to your diary",
    ("checkin_import", AuditAction.CREATE): "imported check-ins into your diary",
    ("fhir_bundle", AuditAction.EXPORT): "exported your data as a FHIR file",
    ("fhir_import", AuditAction.CREATE): "imported a FHIR file into your diary",
    ("response_list", AuditAction.VIEW): "viewed your questionnaire answers",
    ("questionnaire_response", AuditAction.VIEW): "viewed one of your questionnaire answers",
    ("questionnaire_response", AuditAction.CREATE): "entered questionnaire answers for you",
    ("screening", AuditAction.CREATE): "recorded your answers to the follow-up questions",
    ("measurement_plan", AuditAction.VIEW): "viewed your questionnaire schedule",
    ("measurement_plan", AuditAction.UPDATE): "changed your questionnaire schedule",
    ("patient_list", AuditAction.VIEW): "saw your name in their patient list",
    ("panel", AuditAction.VIEW): "saw your summary on their patient panel",
    ("patient_detail", AuditAction.VIEW): "viewed your overview page",
    ("alert_list", AuditAction.VIEW): "viewed your alerts",
    ("alert", AuditAction.VIEW): "viewed an alert",
    ("alert", AuditAction.UPDATE): "acknowledged an alert",
    ("cycle_analysis", AuditAction.VIEW): "viewed your pain–mood cycle",
    ("cycle_analysis", AuditAction.EXPORT): "exported your pain–mood cycle analysis",
    # Research exports (exchange, docs/exchange.md): only with the patient's research opt-in.
    ("research_export", AuditAction.EXPORT): "exported your de-identified data for research (you opted in)",
    ("care_plan", AuditAction.VIEW): "viewed your care plan",
    ("regimen_list", AuditAction.VIEW): "viewed your medicines",
    ("medicines", AuditAction.VIEW): "viewed your medicines, doses and side effects",
    ("regimen_form", AuditAction.VIEW): "opened the form to add a medicine for you",
    ("regimen", AuditAction.VIEW): "viewed one of your medicines and its history",
    ("regimen", AuditAction.CREATE): "added a medicine to your list",
    ("regimen", AuditAction.UPDATE): "changed one of your medicines",
    ("regimen", AuditAction.EXPORT): "exported one of your medicines (FHIR)",
    ("own_data", AuditAction.EXPORT): "exported all your data (the same zip you can download)",
    ("account", AuditAction.DELETE): "deleted your account",
    ("dose_log", AuditAction.VIEW): "viewed your dose log",
    ("dose", AuditAction.CREATE): "ticked a dose in your dose log",
    ("dose", AuditAction.UPDATE): "corrected a dose in your dose log",
    ("side_effect_list", AuditAction.VIEW): "viewed your side effects",
    ("side_effect", AuditAction.CREATE): "noted a side effect for you",
    ("care_plan", AuditAction.CREATE): "started your care plan",
    ("care_plan", AuditAction.UPDATE): "changed your care plan",
    ("goal_form", AuditAction.VIEW): "opened the form to add a goal to your care plan",
    ("intervention_form", AuditAction.VIEW): "opened the form to add a treatment to your care plan",
    ("goal", AuditAction.VIEW): "viewed a goal in your care plan",
    ("goal", AuditAction.CREATE): "added a goal to your care plan",
    ("goal", AuditAction.UPDATE): "changed a goal in your care plan",
    ("goal", AuditAction.DELETE): "removed a goal from your care plan",
    ("intervention", AuditAction.VIEW): "viewed a treatment in your care plan",
    ("intervention", AuditAction.CREATE): "added a treatment to your care plan",
    ("intervention", AuditAction.UPDATE): "changed a treatment in your care plan",
    ("intervention", AuditAction.DELETE): "removed a treatment from your care plan",
    ("share_link", AuditAction.VIEW): "opened your share link",
    ("consent", AuditAction.CREATE): "accepted your invitation to see your diary",
    ("thought_record_list", AuditAction.VIEW): "viewed your thought records",
    ("thought_record", AuditAction.VIEW): "viewed one of your thought records",
    ("pacing_plan_list", AuditAction.VIEW): "viewed your pacing plans",
    ("pacing_plan", AuditAction.VIEW): "viewed one of your pacing plans",
    ("relaxation_session_list", AuditAction.VIEW): "viewed your relaxation sessions",
    ("activity_list", AuditAction.VIEW): "viewed your planned and done activities",
    ("lifestyle_list", AuditAction.VIEW): "viewed your lifestyle notes",
    ("consent", AuditAction.VIEW): "viewed who you share with (site administration)",
    ("access_log", AuditAction.VIEW): "viewed who viewed your data (site administration)",
    ("selfcare_usage", AuditAction.VIEW): "viewed how often you used your self-management tools",
    ("report", AuditAction.EXPORT): "downloaded your one-page report (PDF)",
    ("report", AuditAction.VIEW): "viewed your one-page report",
}

# object_type → the thing, for actions the table above does not list.
NOUNS: dict[str, str] = {
    "checkin_list": "your check-ins",
    "checkin": "a check-in",
    "checkin_import": "check-ins",
    "fhir_bundle": "your data as a FHIR file",
    "fhir_import": "a FHIR file",
    "response_list": "your questionnaire answers",
    "questionnaire_response": "your questionnaire answers",
    "screening": "your answers to the follow-up questions",
    "measurement_plan": "your questionnaire schedule",
    "patient_list": "your name in a patient list",
    "panel": "your panel summary",
    "patient_detail": "your overview page",
    "alert_list": "your alerts",
    "alert": "an alert",
    "cycle_analysis": "your pain–mood cycle",
    "care_plan": "your care plan",
    "goal": "a care-plan goal",
    "intervention": "a care-plan treatment",
    "share_link": "your share link",
    "consent": "your sharing",
    "thought_record_list": "your thought records",
    "thought_record": "a thought record",
    "pacing_plan_list": "your pacing plans",
    "pacing_plan": "a pacing plan",
    "relaxation_session_list": "your relaxation sessions",
    "activity_list": "your activities",
    "lifestyle_list": "your lifestyle notes",
    "selfcare_usage": "how often you used your self-management tools",
    "report": "your one-page report",
}


def describe(event: AuditEvent) -> str:
    """What the event did, in plain words: "viewed your check-ins", "changed your care plan"…"""
    phrase = PHRASES.get((event.object_type, event.action))
    if phrase is not None:
        return phrase
    verb = AuditAction(event.action).label if event.action in AuditAction.values else event.action
    noun = NOUNS.get(event.object_type, f"your {event.object_type.replace('_', ' ')}")
    return f"{verb} {noun}"


def who(event: AuditEvent) -> str:
    """The actor's name as the patient knows it (or the share link's label)."""
    if event.via == "link":
        return event.actor_label[:1].upper() + event.actor_label[1:]
    if event.actor is not None:
        return event.actor.display_name or event.actor.email
    return event.actor_label


def role(event: AuditEvent) -> str:
    """Role, with the discipline for clinicians: "Clinician (psychology)", "Share link"…"""
    if event.via == "link":
        return "Share link (anyone holding it)"
    if event.actor is None:
        return "Server operator" if event.via == "cli" else ""
    label = Role(event.actor_role).label if event.actor_role in Role.values else event.actor_role
    if event.actor_role == Role.CLINICIAN and event.actor.discipline:
        return f"{label} ({Discipline(event.actor.discipline).label.lower()})"
    return label


# --- When sharing ends ------------------------------------------------------------------------
# A patient picks the last day sharing should last ("share until 3 Jan"): it ends at the next
# midnight in their time zone, and is shown back to them as that last day. Ends that are not at
# a local midnight (a share link's) are shown with their time.


def end_of_day(day: date, patient: User) -> datetime:
    """ "Share until 3 Jan" means through 3 Jan: access ends at the next midnight, the patient's time."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=patient.tzinfo)


def until_text(when: datetime | None, patient: User) -> str:
    """ "until 3 Jan 2027" for an end at local midnight (the day before is the last), else with the
    time, "until 3 Jan 2027, 14:30" (the moment format of docs/sharing.md "Dates")."""
    if when is None:
        return ""
    local = timezone.localtime(when, patient.tzinfo)
    if local.time() == time.min:
        last = local - timedelta(days=1)
        return f"until {last.day} {last:%b %Y}"
    return f"until {local.day} {local:%b %Y}, {local:%H:%M}"
