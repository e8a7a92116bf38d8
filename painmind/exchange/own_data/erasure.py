"""What deleting an account does to every table that points at a person (docs/privacy.md,
"Deleting an account"). Every foreign key to the user model is listed here in exactly one of
four lists, and a test fails when a model adds one that is not (own_data/tests/test_erasure.py):

- OWNED: the person's own records (their diary, medicines, plan, tools, sharing): deleted;
- MENTIONS: the person named on someone else's record as its author (a clinician who wrote a
  check-in, prescribed, owns an intervention, acknowledged an alert): the key is cleared, the
  record stays with its patient;
- TIES: a tie between the person and someone else that cannot outlive either side (a consent
  they received, an invitation they accepted, an alert notice sent to them): deleted;
- PSEUDONYMISED: histories that must stay (the audit log, plan and regimen history): the person
  is replaced by their pseudonym, as patient (audit only) and as actor.
Keys that cascade with the user row (tokens, e-mail addresses, two-step devices, admin log) are
OWNED too, so the list is complete and the order explicit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.crypto import salted_hmac

from painmind.accounts.models import DELETED_ACCOUNT_LABEL, User
from painmind.accounts.signin.mail import forget_account_mail_to

# (app_label.Model, field). Deleted in this order: children before the rows they PROTECT.
OWNED: tuple[tuple[str, str], ...] = (
    ("safety.Screening", "patient"),
    ("safety.Alert", "patient"),
    ("diary.CheckIn", "patient"),
    ("diary.CheckInRevision", "patient"),  # the earlier versions of their own entries
    ("diary.QuestionnaireResponse", "patient"),
    ("diary.MeasurementPlan", "patient"),
    ("meds.RegimenChange", "patient"),
    ("meds.DoseLog", "patient"),
    ("meds.SideEffect", "patient"),
    ("meds.Regimen", "patient"),
    ("careplan.PlanChange", "patient"),
    ("careplan.Goal", "patient"),
    ("careplan.Intervention", "patient"),
    ("insights.CycleAnalysis", "patient"),
    ("notify.ReminderPreference", "patient"),
    ("notify.ReminderSent", "patient"),
    ("selfcare.ToolSharing", "patient"),
    ("selfcare.ThoughtRecord", "patient"),
    ("selfcare.PacingSession", "patient"),
    ("selfcare.PacingPlan", "patient"),
    ("selfcare.RelaxationSession", "patient"),
    ("selfcare.Activity", "patient"),
    ("selfcare.LifestyleChoice", "patient"),
    ("selfcare.LifestyleEntry", "patient"),
    ("exchange.ResearchConsent", "patient"),
    ("accounts.Invite", "patient"),
    ("accounts.Consent", "patient"),
    ("accounts.Consent", "granted_by"),  # always the patient (do_grant_consent)
    ("accounts.ShareLink", "patient"),
    ("accounts.ApiToken", "user"),
    ("accounts.InviteCodeAttempt", "clinician"),
    ("account.EmailAddress", "user"),
    ("mfa.Authenticator", "user"),
    ("admin.LogEntry", "user"),
)
TIES: tuple[tuple[str, str], ...] = (
    ("accounts.Invite", "accepted_by"),  # before the consent it points to
    ("accounts.Consent", "clinician"),
    ("safety.AlertNotice", "clinician"),
)
MENTIONS: tuple[tuple[str, str], ...] = (
    ("accounts.Consent", "revoked_by"),
    ("safety.Alert", "acknowledged_by"),
    ("diary.CheckIn", "created_by"),
    ("diary.QuestionnaireResponse", "entered_by"),
    ("diary.MeasurementPlan", "updated_by"),
    ("meds.Regimen", "prescriber"),
    ("meds.Regimen", "created_by"),
    ("meds.DoseLog", "created_by"),
    ("meds.SideEffect", "created_by"),
    ("careplan.Goal", "created_by"),
    ("careplan.Intervention", "owner"),
    ("careplan.Intervention", "created_by"),
    ("diary.CheckInRevision", "changed_by"),  # only ever the patient today; cleared, never deleting
    ("accounts.SignupLink", "created_by"),  # a link a clinician or admin made stays, unnamed
    ("accounts.SignupLinkEvent", "account"),  # "used to sign up" stays in the link's trail
)
PSEUDONYMISED: tuple[tuple[str, str], ...] = (
    ("accounts.AuditEvent", "patient"),
    ("accounts.AuditEvent", "actor"),
    ("meds.RegimenChange", "actor"),
    ("careplan.PlanChange", "actor"),
    ("accounts.SignupLinkEvent", "actor"),
)

PSEUDONYM_SALT = "painmind.exchange.deleted-account"


def person_pseudonym(user_id: int) -> str:
    """The stable name a deleted person keeps in the histories: an HMAC of their user id keyed
    with the site secret (Django's `salted_hmac`), so the same person always gets the same name,
    and nobody without the secret can tell whose it was (docs/privacy.md)."""
    return salted_hmac(PSEUDONYM_SALT, str(user_id), algorithm="sha256").hexdigest()[:20]


@dataclass(frozen=True)
class Erased:
    """What deleting an account removed and kept: rows per table."""

    deleted: dict[str, int]
    cleared: dict[str, int]
    pseudonymised: dict[str, int]


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def _plain(label: str) -> models.QuerySet[models.Model]:
    """All rows of a model past its manager (the append-only histories refuse bulk writes there;
    this module is the one sanctioned exception, for the rows listed above)."""
    return models.QuerySet(_model(label))


# How the confirmation summary names each kind of record (the models' own plurals read badly:
# "Check ins", "Activitys"); a kind not listed falls back to its model's plural.
SUMMARY_NAMES = {
    "diary.CheckIn": "Check-ins",
    "diary.QuestionnaireResponse": "Questionnaires",
    "diary.MeasurementPlan": "Questionnaire schedule settings",
    "meds.Regimen": "Medicines",
    "meds.RegimenChange": "Medicine history entries",
    "meds.DoseLog": "Doses logged",
    "careplan.PlanChange": "Care plan history entries",
    "careplan.Goal": "Care plan goals",
    "careplan.Intervention": "Care plan interventions",
    "safety.Alert": "Care team alerts",
    "safety.AlertNotice": "Alert notices sent to you",
    "selfcare.Activity": "Activities",
    "selfcare.ToolSharing": "Tool sharing choices",
    "accounts.Invite": "Invitations",
    "accounts.Consent": "Consents (who can see your data, or whose you can see)",
    "accounts.ApiToken": "API tokens",
    "account.EmailAddress": "E-mail addresses",
    "mfa.Authenticator": "Two-step sign-in devices",
    "admin.LogEntry": "Admin site log entries",
}


def counts(user: User) -> dict[str, int]:
    """How many records of each kind deleting this account removes, by kind (the confirmation
    summary): a record reached by two of its keys counts once."""
    fields: dict[str, list[str]] = {}
    for label, field in (*OWNED, *TIES):
        fields.setdefault(label, []).append(field)
    out: dict[str, int] = {}
    for label, names in fields.items():
        match = models.Q()
        for name in names:
            match |= models.Q(**{name: user})
        n = _plain(label).filter(match).count()
        if n:
            out[SUMMARY_NAMES.get(label) or str(_model(label)._meta.verbose_name_plural).capitalize()] = n
    return out


# django-axes' sign-in records name a person by the e-mail they typed, not by a key.
SIGN_IN_RECORDS = ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")


def erase(user: User) -> Erased:
    """Delete the person's records, clear their name from others' records, pseudonymise the
    histories, then delete the user row. The caller holds the transaction (`do_delete_account`)."""
    deleted: dict[str, int] = {}
    cleared: dict[str, int] = {}
    pseudonymised: dict[str, int] = {}
    pseudonym = person_pseudonym(user.pk)
    label_text = DELETED_ACCOUNT_LABEL + pseudonym
    for label, field in MENTIONS:
        cleared[f"{label}.{field}"] = _plain(label).filter(**{field: user}).update(**{field: None})
    for label, field in PSEUDONYMISED:
        if label == "accounts.AuditEvent":
            continue
        rows = _plain(label).filter(**{field: user})
        pseudonymised[f"{label}.{field}"] = rows.update(**{field: None, "actor_label": label_text})
    from painmind.accounts.models import AuditEvent

    pseudonymised["accounts.AuditEvent"] = AuditEvent.pseudonymise(user.pk, pseudonym)
    for label, field in (*TIES, *OWNED):
        n, _ = _plain(label).filter(**{field: user}).delete()
        deleted[f"{label}.{field}"] = n
    for label in SIGN_IN_RECORDS:
        deleted[label], _ = _plain(label).filter(username__iexact=user.email).delete()
    # Account e-mails still queued (or sent, not yet forgotten) hold the address and a link.
    deleted["django_tasks_db.DBTaskResult"] = forget_account_mail_to(user.email)
    user.delete()
    return Erased(deleted, cleared, pseudonymised)
