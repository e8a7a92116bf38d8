"""The CSV tables of "Download my data": one per kind of record, each loaded through its app's
access functions as the person themself (so nothing here filters patient rows), each row one
stored record with every column the person entered or the site derived, except keys to the
person (every row is theirs), retry keys and stored digests of secrets (docs/exchange.md)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import Http404

from painmind.accounts.access import (
    get_access_log_for_user,
    get_api_tokens_for_user,
    get_consents_for_user,
    get_invites_for_user,
    get_share_links_for_user,
)
from painmind.accounts.audit import Actor
from painmind.accounts.models import ApiToken, AuditEvent, Consent, Invite, ShareLink, User
from painmind.careplan.access import get_care_plan_for_user, get_own_plan_changes
from painmind.careplan.models import Goal, Intervention, PlanChange
from painmind.diary.access import get_checkins_for_user, get_own_checkin_revisions, get_responses_for_user
from painmind.diary.models import CheckIn, CheckInRevision, QuestionnaireResponse
from painmind.meds.access import (
    get_doses_for_user,
    get_regimen_changes_for_user,
    get_regimens_for_user,
    get_side_effects_for_user,
)
from painmind.meds.models import DoseLog, Regimen, RegimenChange, SideEffect
from painmind.reminders.access import get_reminder_preference_for_user
from painmind.reminders.models import ReminderPreference
from painmind.selfcare.access import (
    get_activities_for_user,
    get_lifestyle_for_user,
    get_pacing_plan_for_user,
    get_pacing_plans_for_user,
    get_relaxation_sessions_for_user,
    get_sharing_for_user,
    get_thought_records_for_user,
)
from painmind.selfcare.models import (
    Activity,
    LifestyleEntry,
    PacingPlan,
    PacingSession,
    RelaxationSession,
    ThoughtRecord,
    ToolSharing,
)

# Never written out: the person's own key on every row, retry keys (meaningless outside the
# site), and digests of secrets (the brief: token metadata, never secrets or their hashes).
HIDDEN = frozenset({"patient", "user", "client_id", "digest", "token_digest", "code_digest", "patient_pseudonym"})


@dataclass(frozen=True)
class Table:
    """One CSV file: its name, what a row is, the model its columns come from, and its loader."""

    name: str
    about: str
    model: type[models.Model]
    load: Callable[[Actor], Iterable[models.Model]]
    hidden: frozenset[str] = frozenset()
    # Columns of HIDDEN this table keeps (a clinician's consents name the patient).
    keep: frozenset[str] = frozenset()

    @property
    def fields(self) -> list[models.Field[Any, Any]]:
        skip = (HIDDEN - self.keep) | self.hidden
        return [f for f in self.model._meta.concrete_fields if f.name not in skip]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def rows(self, actor: Actor) -> Iterable[list[str]]:
        fields = self.fields
        for obj in self.load(actor):
            yield [cell(obj, f) for f in fields]


def cell(obj: models.Model, field: models.Field[Any, Any]) -> str:
    """One value as CSV text: people by name (or e-mail), other records by id, dates in ISO 8601
    (aware times in UTC, as stored), lists and mappings as JSON, empty for missing."""
    if field.is_relation:
        if field.related_model is User:
            person = getattr(obj, field.name)
            return "" if person is None else str(person)
        value = getattr(obj, field.attname)
        return "" if value is None else str(value)
    value = getattr(obj, field.attname)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _patient_only(load: Callable[[Actor], Iterable[models.Model]]) -> Callable[[Actor], list[models.Model]]:
    """A patient's diary-side loader, empty for anyone else (a clinician keeps no diary: the
    loaders answer 404 for them, which here means "no such records")."""

    def wrapped(actor: Actor) -> list[models.Model]:
        try:
            return list(load(actor))
        except Http404:
            return []

    return wrapped


def _account(actor: Actor) -> list[User]:
    assert actor.user is not None
    return [actor.user]


def _care_plan_goals(actor: Actor) -> list[Goal]:
    return [g.goal for g in get_care_plan_for_user(actor, history=False).goals]


def _care_plan_interventions(actor: Actor) -> list[Intervention]:
    plan = get_care_plan_for_user(actor, history=False)
    return [v.intervention for group in plan.groups for v in group.interventions]


def _pacing_sessions(actor: Actor) -> list[PacingSession]:
    _, plans = get_pacing_plans_for_user(actor)
    return [s for plan in plans for s in get_pacing_plan_for_user(actor, plan.pk, with_diary=False).sessions]


def _tool_sharing(actor: Actor) -> list[ToolSharing]:
    person, chosen = get_sharing_for_user(actor)
    return [ToolSharing(patient=person, tool=tool, shared=shared) for tool, shared in chosen.items()]


def _reminders(actor: Actor) -> list[ReminderPreference]:
    pref = get_reminder_preference_for_user(actor)
    return [pref] if pref.pk is not None else []


TABLES: tuple[Table, ...] = (
    Table(
        "account.csv",
        "Your account: e-mail, name, role, time zone and country.",
        User,
        _account,
        hidden=frozenset({"id", "password", "is_superuser", "is_staff", "last_login", "groups", "user_permissions"}),
    ),
    Table(
        "checkins.csv",
        "Your diary check-ins, newest first.",
        CheckIn,
        _patient_only(lambda a: get_checkins_for_user(a)[1]),
    ),
    Table(
        "checkin_edits.csv",
        "What your check-ins held before you edited or deleted them (checkin_id: the check-in's id "
        "in checkins.csv; a deleted one is no longer there), newest first.",
        CheckInRevision,
        _patient_only(get_own_checkin_revisions),
    ),
    Table(
        "questionnaire_responses.csv",
        "Your questionnaires (PHQ-9, GAD-7, PEG…) with their answers, score and band.",
        QuestionnaireResponse,
        _patient_only(lambda a: get_responses_for_user(a)[1]),
    ),
    Table(
        "medicines.csv",
        "Your medicines (regimens), current and stopped.",
        Regimen,
        _patient_only(lambda a: get_regimens_for_user(a)[1]),
    ),
    Table(
        "medicine_changes.csv",
        "Every change to your medicines: who (actor_label, actor_role), when, and each field's old "
        "and new value (regimen: the id in medicines.csv), newest first.",
        RegimenChange,
        _patient_only(lambda a: get_regimen_changes_for_user(a)[1]),
        # The person's name is actor_label, copied when they made the change (it survives erasure).
        hidden=frozenset({"actor"}),
    ),
    Table(
        "doses.csv",
        "Your dose log: each dose taken, skipped or taken as needed, oldest first.",
        DoseLog,
        _patient_only(lambda a: get_doses_for_user(a, None, since=date.min, until=date.max)[1]),
    ),
    Table(
        "side_effects.csv",
        "Side effects you noted, newest first.",
        SideEffect,
        _patient_only(lambda a: get_side_effects_for_user(a)[1]),
    ),
    Table("care_plan_goals.csv", "The goals of your care plan.", Goal, _patient_only(_care_plan_goals)),
    Table(
        "care_plan_interventions.csv",
        "The interventions of your care plan.",
        Intervention,
        _patient_only(_care_plan_interventions),
    ),
    Table(
        "care_plan_changes.csv",
        "The history of your care plan: who added or changed which goal or intervention (object_type, "
        "object_id: the id in care_plan_goals.csv or care_plan_interventions.csv), when, and each "
        "field's old and new value, newest first.",
        PlanChange,
        _patient_only(get_own_plan_changes),
        hidden=frozenset({"actor"}),
    ),
    Table(
        "thought_records.csv",
        "Your thought records, newest first.",
        ThoughtRecord,
        _patient_only(lambda a: get_thought_records_for_user(a)[1]),
    ),
    Table(
        "pacing_plans.csv",
        "Your pacing plans, newest first.",
        PacingPlan,
        _patient_only(lambda a: get_pacing_plans_for_user(a)[1]),
    ),
    Table("pacing_sessions.csv", "The sessions of your pacing plans.", PacingSession, _patient_only(_pacing_sessions)),
    Table(
        "relaxation_sessions.csv",
        "Your relaxation sessions, newest first.",
        RelaxationSession,
        _patient_only(lambda a: get_relaxation_sessions_for_user(a)[1]),
    ),
    Table(
        "activities.csv",
        "Your planned and done activities (behavioural activation).",
        Activity,
        _patient_only(lambda a: get_activities_for_user(a)[1]),
    ),
    Table(
        "lifestyle.csv",
        "Your lifestyle days (exercise, meals, caffeine, alcohol…).",
        LifestyleEntry,
        _patient_only(lambda a: get_lifestyle_for_user(a)[1]),
    ),
    Table(
        "tool_sharing.csv",
        "Which self-care tools your care team may see (your choice, or the default).",
        ToolSharing,
        _patient_only(_tool_sharing),
        hidden=frozenset({"id", "updated_at"}),
    ),
    Table(
        "reminders.csv",
        "Your reminder settings (no row: never set, all off).",
        ReminderPreference,
        _patient_only(_reminders),
    ),
    Table(
        "consents.csv",
        "Access you granted to clinicians (or, for a clinician, received), newest first.",
        Consent,
        get_consents_for_user,
        keep=frozenset({"patient"}),
    ),
    Table(
        "share_links.csv",
        "Your read-only share links (the link itself was shown once and is not kept).",
        ShareLink,
        _patient_only(lambda a: [link for link, _ in get_share_links_for_user(a)]),
    ),
    Table(
        "invitations.csv",
        "Your invitations to clinicians (the code was shown once and is not kept).",
        Invite,
        get_invites_for_user,
    ),
    Table(
        "api_tokens.csv", "Your API tokens: names and dates only; no secret is kept.", ApiToken, get_api_tokens_for_user
    ),
    Table(
        "access_log.csv",
        "Who viewed or changed your data, and when (everyone but you), newest first.",
        AuditEvent,
        _patient_only(lambda a: get_access_log_for_user(a)[1]),
        # Who looked is yours to know; the address they looked from is theirs.
        hidden=frozenset({"actor", "ip"}),
    ),
)
