"""The reminder pass (`painmind reminders`): email each patient whose reminder time has come.

A check-in reminder for local date D is due when, in the patient's own zone, D's reminder time
has passed by less than `timing.LATE_WINDOW`, the patient has not checked in on D, and no
check-in reminder was claimed for D. A questionnaire reminder goes out at the same time when
at least one instrument in the patient's measurement plan is due or overdue on D, at most once
per local date. Both due at once → one email mentioning both.

Idempotent, also when two runs overlap: each reminder is claimed by inserting a `ReminderSent`
row (unique per patient, kind and local date) *before* sending; an IntegrityError means another
run has it. A failed send deletes the claim so a later run retries (within the late window).

The pass reads only whether something exists (a check-in on a date, a questionnaire's last
date), on the patient's behalf, and the email carries none of it: like the alert pass it reads
the tables directly instead of through the audited per-user access functions. Queries do not
grow with the number of patients: preferences, check-ins, claims, plans and last completions
are each loaded in one query for everyone due.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from painmind.accounts.models import Role, User
from painmind.core.reminders import due_reminder_on
from painmind.diary.access import measurement_schedules
from painmind.diary.models import CheckIn
from painmind.lib import mail
from painmind.reminders.models import ReminderKind, ReminderPreference, ReminderSent

SUBJECT = "Time for your PainMind check-in"
SUBJECT_QUESTIONNAIRES = "PainMind: a questionnaire is waiting for you"


@dataclass(frozen=True)
class Due:
    patient: User
    local_on: date
    kinds: tuple[ReminderKind, ...]


@dataclass(frozen=True)
class PassResult:
    n_checkin: int
    n_questionnaires: int
    n_failed: int

    @property
    def text(self) -> str:
        line = (
            f"sent {self.n_checkin} check-in reminder{'s' if self.n_checkin != 1 else ''}, "
            f"{self.n_questionnaires} questionnaire reminder{'s' if self.n_questionnaires != 1 else ''}"
        )
        return line + (f" ({self.n_failed} failed; the next run retries)" if self.n_failed else "")


def _candidates(now: datetime) -> list[tuple[ReminderPreference, date]]:
    prefs = ReminderPreference.objects.filter(
        Q(checkin_enabled=True) | Q(questionnaires_enabled=True), patient__role=Role.PATIENT, patient__is_active=True
    )
    out = []
    for pref in prefs.select_related("patient"):
        day = due_reminder_on(now, pref.checkin_time, pref.patient.tzinfo)
        if day is not None:
            out.append((pref, day))
    return out


def questionnaires_due_on(patients: dict[int, date]) -> set[int]:
    """The patients (id → local date) with at least one instrument due or overdue on that date
    (`diary.access.measurement_schedules`: two queries for every patient due a reminder)."""
    return {
        pid
        for pid, schedules in measurement_schedules(patients).items()
        if any(s.due is not None and s.due.state != "upcoming" for s in schedules)
    }


def find_due_reminders(now: datetime) -> list[Due]:
    """Every reminder due at `now` that nobody has claimed yet (nothing is written)."""
    candidates = _candidates(now)
    if not candidates:
        return []
    ids = [pref.patient_id for pref, _ in candidates]
    days = {day for _, day in candidates}
    checked_in = set(
        CheckIn.objects.filter(patient_id__in=ids, local_on__in=days).values_list("patient_id", "local_on").distinct()
    )
    claimed = set(
        ReminderSent.objects.filter(patient_id__in=ids, local_on__in=days).values_list("patient_id", "kind", "local_on")
    )
    questionnaire_days = {pref.patient_id: day for pref, day in candidates if pref.questionnaires_enabled}
    with_due = questionnaires_due_on(
        {pid: day for pid, day in questionnaire_days.items() if (pid, ReminderKind.QUESTIONNAIRES, day) not in claimed}
    )
    out = []
    for pref, day in candidates:
        pid = pref.patient_id
        kinds: list[ReminderKind] = []
        if pref.checkin_enabled and (pid, day) not in checked_in and (pid, ReminderKind.CHECKIN, day) not in claimed:
            kinds.append(ReminderKind.CHECKIN)
        if pid in with_due:
            kinds.append(ReminderKind.QUESTIONNAIRES)
        if kinds:
            out.append(Due(pref.patient, day, tuple(kinds)))
    return out


def _claim(patient: User, kind: ReminderKind, day: date, now: datetime) -> ReminderSent | None:
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(patient=patient, kind=kind, local_on=day, sent_at=now)
    except IntegrityError:
        return None  # another run has it


def reminder_body(kinds: tuple[ReminderKind, ...] | list[ReminderKind]) -> str:
    """The email text: an invitation and a link, never clinical content (not even which questionnaire)."""
    lines = ["Hello,", ""]
    if ReminderKind.CHECKIN in kinds:
        lines.append("Time for your PainMind check-in. It takes less than a minute.")
    if ReminderKind.QUESTIONNAIRES in kinds:
        also = " also" if len(kinds) > 1 else ""
        lines.append(f"You{also} have a questionnaire to fill in.")
    lines += [
        "",
        mail.absolute_url("diary:home"),
        "",
        f"You chose to get these reminders. To change or stop them: {mail.absolute_url('reminders:settings')}",
        "",
        "— PainMind",
    ]
    return "\n".join(lines) + "\n"


def do_send_due_reminders(now: datetime | None = None) -> PassResult:
    """Claim and send every due reminder; a failed send releases its claims. Never raises on mail errors."""
    now = now or timezone.now()
    counts: dict[ReminderKind, int] = defaultdict(int)
    failed = 0
    connection = mail.connection()  # one for the whole pass
    for due in find_due_reminders(now):
        claims = [c for kind in due.kinds if (c := _claim(due.patient, kind, due.local_on, now)) is not None]
        if not claims:
            continue
        kinds = [ReminderKind(c.kind) for c in claims]
        subject = SUBJECT if ReminderKind.CHECKIN in kinds else SUBJECT_QUESTIONNAIRES
        message = mail.Mail(due.patient.email, subject, reminder_body(kinds))
        if mail.send([message], kind="reminder", ref=due.patient.pk, via=connection) is None:
            # Logged by lib.mail; the next run (within the late window) finds it due again.
            ReminderSent.objects.filter(pk__in=[c.pk for c in claims]).delete()
            failed += 1
            continue
        for kind in kinds:
            counts[kind] += 1
    return PassResult(counts[ReminderKind.CHECKIN], counts[ReminderKind.QUESTIONNAIRES], failed)


__all__ = ["Due", "PassResult", "do_send_due_reminders", "find_due_reminders", "questionnaires_due_on"]
