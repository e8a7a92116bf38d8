"""The patient's own corrections (edit, delete with a confirmation step, no JavaScript needed)
and a clinician's view of what an edited or deleted check-in said before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import User
from painmind.core.checkin import SCALES, CheckInError
from painmind.diary.access import CheckInHistory, get_checkin_history_for_user, get_own_checkin_for_user
from painmind.diary.actions import do_delete_checkin, do_edit_checkin
from painmind.diary.actions.edits import snapshot
from painmind.diary.views.checkins import form_context, posted

# Columns of the history table: the moment, every scale, then the free fields.
FIELDS = [
    ("recorded_at", "When"),
    *((s.name, s.label) for s in SCALES),
    ("pain_locations", "Where"),
    ("tags", "Tags"),
    ("note", "Note"),
]


@never_cache
@login_required
def edit_checkin(request: AuthedRequest, checkin_id: int) -> HttpResponse:
    """The check-in form, filled with one of the patient's entries; POST changes it (404 for
    anyone else's entry, and for anyone but its patient)."""
    actor = Actor.from_request(request, "web")
    entry = get_own_checkin_for_user(actor, checkin_id)
    content: dict[str, object] = entry.content()
    content["tags"] = ", ".join(entry.tags)
    form = form_context(content)
    status = 200
    if request.method == "POST":
        data = posted(request)
        try:
            do_edit_checkin(actor, entry, data)
        except CheckInError as exc:
            form = form_context(data, exc.errors)
            status = 400
        else:
            messages.success(request, "Check-in changed.")
            return redirect("diary:home")
    ctx = {"patient": entry.patient, "editing": entry, **form}
    return render(request, "diary/edit.html", ctx, status=status)


@never_cache
@login_required
def delete_checkin(request: AuthedRequest, checkin_id: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes the patient's own entry."""
    actor = Actor.from_request(request, "web")
    entry = get_own_checkin_for_user(actor, checkin_id)
    if request.method == "POST":
        do_delete_checkin(actor, entry)
        messages.success(request, "Check-in deleted.")
        return redirect("diary:home")
    return render(request, "diary/delete.html", {"patient": entry.patient, "entry": entry})


@dataclass(frozen=True)
class HistoryRow:
    label: str
    values: list[str]


def _cell(name: str, value: Any, patient: User) -> str:
    if value is None or value in ("", []):
        return "—"
    if name == "recorded_at":
        at = datetime.fromisoformat(value) if isinstance(value, str) else value
        return at.astimezone(patient.tzinfo).strftime("%-d %b %Y, %H:%M")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def history_rows(patient: User, history: CheckInHistory) -> list[HistoryRow]:
    """The entry now (unless deleted), then its content before each change, newest first."""
    rows = []
    if history.entry is not None:
        now = snapshot(history.entry)
        rows.append(HistoryRow("Now", [_cell(n, now[n], patient) for n, _ in FIELDS]))
    for revision in history.revisions:
        when = revision.changed_at.astimezone(patient.tzinfo).strftime("%-d %b %Y, %H:%M")
        label = f"Deleted {when}" if revision.kind == "delete" else f"Before the edit of {when}"
        rows.append(HistoryRow(label, [_cell(n, revision.content.get(n), patient) for n, _ in FIELDS]))
    return rows


@login_required
def patient_checkin_history(request: AuthedRequest, patient_id: int, checkin_id: int) -> HttpResponse:
    """A clinician's view of one check-in's earlier values (404 without consent). Audited."""
    patient, history = get_checkin_history_for_user(Actor.from_request(request, "web"), patient_id, checkin_id)
    ctx = {"patient": patient, "history": history, "fields": FIELDS, "rows": history_rows(patient, history)}
    return render(request, "diary/patient_checkin_history.html", ctx)
