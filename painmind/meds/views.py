"""The patient's medicines page (today's tick list, their list, side effects) and the regimen
form, for the patient and for a consenting clinician. Pages work without JavaScript; with
HTMX a tick swaps only the tick list."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from painmind.accounts.access import care_team
from painmind.accounts.audit import Actor, record
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import AuditAction
from painmind.lib.errors import ActionError
from painmind.meds import safety
from painmind.meds.access import (
    get_doses_for_user,
    get_meds_patient,
    get_regimen_for_user,
    get_regimens_for_user,
    get_side_effects_for_user,
)
from painmind.meds.actions import (
    do_add_regimen,
    do_log_dose,
    do_record_side_effect,
    do_stop_regimen,
    do_update_regimen,
)
from painmind.meds.cleaning import REGIMEN_FIELDS
from painmind.meds.models import Form, Reason, Regimen, RegimenChange, Route, Schedule, SideEffectKind, Unit
from painmind.meds.summary import weekly_adherence


def _today_context(actor: Actor) -> dict[str, Any]:
    patient, regimens = get_regimens_for_user(actor)
    today = timezone.localdate(timezone=patient.tzinfo)
    current = [r for r in regimens if r.is_current(today)]
    _, ticks = get_doses_for_user(actor, None, since=today - timedelta(days=6), until=today)
    today_ticks = {(t.regimen_id, t.slot): t.status for t in ticks if t.taken_on == today and t.slot >= 1}
    extras = {
        r.pk: sum(1 for t in ticks if t.regimen_id == r.pk and t.taken_on == today and t.slot == 0) for r in current
    }
    rows = []
    for regimen in current:
        slots = [(n, today_ticks.get((regimen.pk, n), ""), uuid.uuid4()) for n in range(1, regimen.doses_per_day + 1)]
        week = weekly_adherence(regimen, ticks, today=today, weeks=1)[0] if regimen.doses_per_day else None
        rows.append(
            {
                "regimen": regimen,
                "slots": slots,
                "extras": extras[regimen.pk],
                "week": week,
                "dual_use": safety.dual_use_note(regimen),
                "key": uuid.uuid4(),  # one fresh key per form: a double tap stores one tick
            }
        )
    try:
        notes = safety.patient_notes(safety.check_regimens(regimens, today).rules)
    except safety.MedsInputError:
        notes = []
    return {"patient": patient, "today": today, "rows": rows, "notes": notes, "regimens": regimens}


@never_cache
@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Today's doses as a tick list, the patient's medicines and side effects."""
    if not request.user.is_patient:
        raise Http404("Only patients keep a medicine list.")
    actor = Actor.from_request(request, "web")
    ctx = _today_context(actor)
    _, effects = get_side_effects_for_user(actor, today=ctx["today"], days=30)
    ctx |= {
        "effects": effects,
        "effect_kinds": SideEffectKind.choices,
        "effect_key": uuid.uuid4(),
        "stopped": [r for r in ctx["regimens"] if not r.is_current(ctx["today"])],
    }
    return render(request, "meds/home.html", ctx)


@require_POST
@login_required
def tick(request: AuthedRequest) -> HttpResponse:
    """One tap: a scheduled dose taken or skipped, or an as-needed dose taken."""
    actor = Actor.from_request(request, "web")
    regimen = get_regimen_for_user(actor, request.POST.get("regimen", ""))
    if regimen.patient_id != request.user.pk:
        raise Http404("No such medicine.")
    raw_slot = request.POST.get("slot", "")
    try:
        do_log_dose(
            actor,
            regimen,
            status=request.POST.get("status", ""),
            slot=int(raw_slot) if raw_slot.isdigit() else None,
            client_id=request.POST.get("client_id") or None,
        )
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, "Saved.")
    if request.htmx:
        return render(request, "meds/home.html#today", _today_context(actor))
    return redirect("meds:home")


@require_POST
@login_required
def side_effect(request: AuthedRequest) -> HttpResponse:
    actor = Actor.from_request(request, "web")
    patient = get_meds_patient(actor)
    data = {k: request.POST.get(k, "") for k in ("kind", "text", "severity", "regimen")}
    try:
        do_record_side_effect(actor, patient, data, client_id=request.POST.get("client_id") or None)
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, "Side effect noted. Your care team can see it.")
    return redirect("meds:home")


def _form_context(patient: Any, data: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "patient": patient,
        "data": data,
        "errors": errors,
        "units": Unit.choices,
        "forms": Form.choices,
        "routes": Route.choices,
        "schedules": Schedule.choices,
        "reasons": Reason.choices,
        "team": care_team(patient.pk),
        "names": safety.catalogue_names(),
    }


def _posted(request: AuthedRequest) -> dict[str, Any]:
    return {f: request.POST.get(f, "") for f in REGIMEN_FIELDS if f != "stopped_on"}


def _back(actor: Actor, patient: Any) -> str:
    if actor.user is not None and actor.user.pk == patient.pk:
        return reverse("meds:home")
    return reverse("care:patient_detail", args=[patient.pk]) + "#medicines"


@login_required
def add(request: AuthedRequest, patient_id: int | None = None) -> HttpResponse:
    """Add a medicine: the patient's own, or (with `patient_id`) a consenting patient's."""
    actor = Actor.from_request(request, "web")
    patient = get_meds_patient(actor, patient_id)
    data: dict[str, Any] = {"schedule": "times_a_day", "dose_unit": "mg"}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data = _posted(request)
        try:
            regimen = do_add_regimen(actor, patient, data)
        except ActionError as exc:
            errors = exc.errors
        else:
            messages.success(request, f"{regimen.name} added.")
            return redirect(_back(actor, patient))
    # A clinician's new-medicine form shows the patient (and their prescribers): audited like any
    # read; `record` skips the patient's own.
    record(actor, patient, AuditAction.VIEW, "regimen_form")
    ctx = _form_context(patient, data, errors) | {"title": "Add a medicine", "action": request.path}
    return render(request, "meds/regimen_form.html", ctx, status=400 if errors else 200)


@login_required
def edit(request: AuthedRequest, regimen_id: int) -> HttpResponse:
    """Change a medicine (patient or consenting clinician); shows its history."""
    actor = Actor.from_request(request, "web")
    regimen = get_regimen_for_user(actor, regimen_id)
    data: dict[str, Any] = {f: getattr(regimen, "prescriber_id" if f == "prescriber" else f) for f in REGIMEN_FIELDS}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data = _posted(request)
        try:
            do_update_regimen(actor, regimen, data)
        except ActionError as exc:
            errors = exc.errors
        else:
            messages.success(request, f"{regimen.name} saved.")
            return redirect(_back(actor, regimen.patient))
    # The change form shows the medicine and its history: a clinician's read, audited.
    record(actor, regimen.patient, AuditAction.VIEW, "regimen", object_id=regimen.pk, detail=regimen.name)
    ctx = _form_context(regimen.patient, data, errors) | {
        "title": f"Change {regimen.name}",
        "action": request.path,
        "regimen": regimen,
        "history": list(RegimenChange.objects.filter(regimen=regimen)),
    }
    return render(request, "meds/regimen_form.html", ctx, status=400 if errors else 200)


@require_POST
@login_required
def stop(request: AuthedRequest, regimen_id: int) -> HttpResponse:
    actor = Actor.from_request(request, "web")
    regimen: Regimen = get_regimen_for_user(actor, regimen_id)
    try:
        do_stop_regimen(actor, regimen, request.POST.get("stopped_on") or None)
    except ActionError as exc:
        messages.error(request, exc.sentence)
    else:
        messages.success(request, f"{regimen.name} marked as stopped.")
    return redirect(_back(actor, regimen.patient))
