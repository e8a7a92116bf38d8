"""The patient's check-in page and a clinician's view of a patient's diary."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from painmind.accounts.access import get_own_patient
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.body_regions import BODY_REGIONS
from painmind.core.checkin import NOTE_MAX_CHARS, SCALE_BY_NAME, SCALES, CheckInError, Scale
from painmind.diary.access import (
    get_checkins_for_user,
    get_diary_for_user,
    get_measurement_plan_for_user,
    get_region_days_for_user,
)
from painmind.diary.actions import CheckInConflict, do_record_checkin
from painmind.diary.bodymap import body_map
from painmind.diary.hooks import checkin_offers, home_sections
from painmind.diary.overview import DEFAULT_PERIOD, EXTRA_LABELS, EXTRAS, PERIODS, get_own_overview

RECENT = 14
# The session remembers the check-in just saved across post/redirect/get, for its offers.
SAVED_KEY = "diary_saved_checkin"
RADIO_SCALES = [s for s in SCALES if s.hi == 10 and s.kind == "int"]
NUMBER_SCALES = [s for s in SCALES if s not in RADIO_SCALES]


@dataclass(frozen=True)
class FieldView:
    scale: Scale
    value: str
    errors: list[str]


def form_context(
    data: dict[str, object] | None = None, errors: dict[str, list[str]] | None = None
) -> dict[str, object]:
    data = data or {}
    errors = errors or {}

    def view(scale: Scale) -> FieldView:
        raw = data.get(scale.name)
        return FieldView(scale, "" if raw is None else str(raw), errors.get(scale.name, []))

    chosen = set(data.get("pain_locations") or [])  # type: ignore[call-overload]
    return {
        "required_scales": [view(s) for s in RADIO_SCALES if s.required],
        "optional_scales": [view(s) for s in RADIO_SCALES if not s.required],
        "number_scales": [view(s) for s in NUMBER_SCALES],
        "points": [str(i) for i in range(11)],
        "regions": [(code, label, code in chosen) for code, label in BODY_REGIONS.items()],
        "body_map": body_map(chosen),
        "tags": data.get("tags", ""),
        "note": data.get("note", ""),
        "note_max": NOTE_MAX_CHARS,
        "errors": errors,
        "other_errors": {k: v for k, v in errors.items() if k not in SCALE_BY_NAME},
        # A fresh key per rendered form: a double-tap or a resubmitted page stores one entry.
        "client_id": uuid.uuid4(),
    }


def overview_params(request: AuthedRequest) -> tuple[int, str | None, str]:
    """`?days=28|90|365` and `?also=sleep|activity` (plain links); a bad value is named in the
    error and the default shown instead."""
    raw, also = request.GET.get("days", ""), request.GET.get("also") or None
    errors = []
    period = int(raw) if raw.isdigit() else (DEFAULT_PERIOD if not raw else -1)
    if period not in PERIODS:
        errors.append(f"days: must be one of {', '.join(map(str, PERIODS))}")
        period = DEFAULT_PERIOD
    if also is not None and also not in EXTRAS:
        errors.append(f"also: must be one of {', '.join(EXTRAS)}")
        also = None
    return period, also, "; ".join(errors)


def home_context(actor: Actor, patient: object, request: AuthedRequest) -> dict[str, object]:
    """Everything on the home page below the check-in: what is due, the chart and its table,
    and what the apps above the diary add (diary.hooks)."""
    period, also, error = overview_params(request)
    _, plan = get_measurement_plan_for_user(actor)
    sections = home_sections(actor, patient)  # type: ignore[arg-type]
    _, regions = get_region_days_for_user(actor, None, period_days=period)
    return {
        **region_context(regions, period),
        "overview": get_own_overview(actor, period_days=period, also=also),
        "periods": PERIODS,
        "extras": EXTRA_LABELS,
        "also": also,
        "param_error": error,
        "due": [row for row in plan if row.due is not None and row.due.state != "upcoming"],
        "due_sections": [s for s in sections if s.get("slot") == "due"],
        "sections": [s for s in sections if s.get("slot") != "due"],
    }


def posted(request: AuthedRequest) -> dict[str, object]:
    data: dict[str, object] = {s.name: request.POST.get(s.name, "") for s in SCALES}
    data["pain_locations"] = request.POST.getlist("pain_locations")
    data["tags"] = request.POST.get("tags", "")
    data["note"] = request.POST.get("note", "")
    return data


# no-store: a browser must not bring back a form (and its client_id) from its cache.
@never_cache
@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """The patient's home: today's check-in form first, then what is due, their own chart over
    a period, the care plan's next step, the latest finding and the newest entries. POST stores
    a check-in (HTMX or plain); an HTMX save also refreshes the chart, out of band."""
    actor = Actor.from_request(request, "web")
    if not request.user.is_patient:
        return redirect("home")
    patient = get_own_patient(actor)
    form = form_context()
    status = 200
    saved_id = request.session.pop(SAVED_KEY, None) if request.method == "GET" else None
    if request.method == "POST":
        data = posted(request)
        try:
            checkin, created = do_record_checkin(actor, patient, data, client_id=request.POST.get("client_id") or None)
        except CheckInError as exc:
            form = form_context(data, exc.errors)
            status = 200 if request.htmx else 400
        except CheckInConflict as exc:
            messages.info(request, "That check-in was deleted." if exc.deleted else "That check-in was already saved.")
            if not request.htmx:
                return redirect("diary:home")  # post/redirect/get: a reload never re-posts
        else:
            messages.success(request, "Check-in saved. Thank you." if created else "That check-in was already saved.")
            saved_id = checkin.pk
            if not request.htmx:
                request.session[SAVED_KEY] = checkin.pk
                return redirect("diary:home")
    _, recent = get_checkins_for_user(actor, limit=RECENT)
    saved = next((c for c in recent if c.pk == saved_id), None)
    offers = checkin_offers(actor, patient, saved) if saved is not None else []
    ctx = {"patient": patient, "recent": recent, "offers": offers, **form}
    if request.htmx:
        ctx["oob"] = saved_id is not None and status == 200
        if ctx["oob"]:
            ctx.update(home_context(actor, patient, request))
        return render(request, "diary/home.html#checkin-panel", ctx, status=status)
    ctx.update(home_context(actor, patient, request))
    if ctx["param_error"] and status == 200:
        status = 400
    return render(request, "diary/home.html", ctx, status=status)


@login_required
def patient_diary(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """A clinician's view of one consenting patient's check-ins (404 without consent)."""
    actor = Actor.from_request(request, "web")
    patient, entries, deleted = get_diary_for_user(actor, patient_id, limit=200, deleted_limit=50)
    period, _, error = overview_params(request)
    _, regions = get_region_days_for_user(actor, patient.pk, period_days=period, read_recorded=True)
    ctx = {
        "patient": patient,
        "entries": entries,
        "deleted": deleted,
        **region_context(regions, period),
        "periods": PERIODS,
    }
    return render(request, "diary/patient_diary.html", {**ctx, "param_error": error}, status=400 if error else 200)


def region_context(regions: list[tuple[str, str, int]], period: int) -> dict[str, object]:
    """The region frequency table: each region's days, and its bar as a share of the period."""
    return {
        "regions_marked": [(code, label, n, round(100 * n / period)) for code, label, n in regions],
        "period": period,
    }
