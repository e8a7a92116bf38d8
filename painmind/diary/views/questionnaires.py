"""Questionnaires for the patient (due list, form, result, history) and the clinician's view of them."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from painmind.accounts.access import get_own_patient, get_patient_for_user
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.instruments import Instrument
from painmind.diary.access import get_measurement_plan_for_user, get_response_for_user, get_responses_for_user
from painmind.diary.actions import ResponseConflict, do_record_response, do_set_measurement_interval
from painmind.diary.instruments import site_instrument
from painmind.diary.presenters import history_context
from painmind.lib.errors import ActionError
from painmind.safety.access import get_alerts_for_user
from painmind.safety.crisis import crisis_context
from painmind.safety.screening import follow_up_context


def _instrument_or_404(instrument_id: str) -> Instrument:
    try:
        instrument = site_instrument(instrument_id)
    except ValueError:
        raise Http404("No such questionnaire.") from None
    if not instrument.available:
        raise Http404(instrument.unavailable_reason)
    return instrument


@login_required
def measures_home(request: AuthedRequest) -> HttpResponse:
    """What is due, what is not, and the latest result of each questionnaire."""
    _, rows = get_measurement_plan_for_user(Actor.from_request(request, "web"))
    return render(request, "diary/measures_home.html", {"rows": rows})


def _form_items(instrument: Instrument, posted: dict[str, str], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [
        {
            "item": item,
            "value": posted.get(item.link_id, ""),
            "errors": errors.get(f"answers.{item.link_id}", []),
            "points": [str(v) for v in range(item.min_value, item.max_value + 1)] if not item.options else [],
        }
        for item in instrument.items
    ]


# no-store: a browser must not bring back a form (and its client_id) or a result from its cache.
@never_cache
@login_required
def questionnaire(request: AuthedRequest, instrument_id: str) -> HttpResponse:
    """The one-page form. POST scores it on the server and shows the result."""
    actor = Actor.from_request(request, "web")
    patient = get_own_patient(actor)
    instrument = _instrument_or_404(instrument_id)
    posted: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        posted = {item.link_id: request.POST.get(item.link_id, "") for item in instrument.items}
        answers: dict[str, int | None] = {}
        for link_id, raw in posted.items():
            try:
                answers[link_id] = int(raw) if raw != "" else None
            except ValueError:
                errors[f"answers.{link_id}"] = ["choose one of the answers"]
        if not errors:
            key = request.POST.get("client_id") or None
            try:
                response, _ = do_record_response(actor, patient, instrument.id, answers, client_id=key)
            except ResponseConflict:
                # This form was sent before with other answers (the Back button brings its key
                # back): never silently show the earlier result as if it were this one.
                messages.warning(
                    request,
                    "These answers were not saved: this form had already been sent with different answers, "
                    "which are kept. To answer again, fill in this new form.",
                )
                return redirect("diary:questionnaire", instrument_id=instrument.id)
            except ActionError as exc:
                errors = exc.errors
            else:
                if key is not None and response.client_id is None:
                    messages.info(request, "This form had already been sent; your new answers were saved as well.")
                return redirect("diary:response", response_id=response.pk)
        status = 400
    ctx = {
        "instrument": instrument,
        "items": _form_items(instrument, posted, errors),
        "errors": errors,
        "client_id": uuid.uuid4(),
    }
    return render(request, "diary/questionnaire.html", ctx, status=status)


# no-store: a browser must not bring back a form (and its client_id) or a result from its cache.
@never_cache
@login_required
def response_detail(request: AuthedRequest, response_id: int) -> HttpResponse:
    """A result in plain words; crisis resources first after a positive or blank item 9."""
    actor = Actor.from_request(request, "web")
    get_own_patient(actor)  # clinicians read results on the patient's page, not here
    response = get_response_for_user(actor, response_id)
    instrument = site_instrument(response.instrument)
    ctx = {
        "response": response,
        "instrument": instrument,
        "crisis": crisis_context(response.patient, response.item9),
        "follow_up": follow_up_context(response.patient_id, response.pk),
    }
    return render(request, "diary/response.html", ctx)


@login_required
def history(request: AuthedRequest, instrument_id: str) -> HttpResponse:
    """The patient's scores over time: a chart with band shading and the same data as a table."""
    instrument = _instrument_or_404(instrument_id)
    _, responses = get_responses_for_user(Actor.from_request(request, "web"), instrument=instrument.id)
    return render(request, "diary/history.html", history_context(instrument, responses))


@login_required
def patient_measures(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """A clinician's view of a consenting patient's questionnaires, plan and open alerts.

    POST changes the measurement plan (interval in days, blank to stop asking).
    """
    actor = Actor.from_request(request, "web")
    if not request.user.is_clinician:
        raise Http404("No such patient.")
    plan_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        patient = get_patient_for_user(actor, patient_id)
        instrument_id = request.POST.get("instrument", "")
        raw = request.POST.get("interval_days", "").strip()
        try:
            interval = int(raw) if raw else None
            do_set_measurement_interval(actor, patient, instrument_id, interval)
        except ValueError:
            plan_errors = {"interval_days": ["must be a whole number of days"]}
        except ActionError as exc:
            plan_errors = exc.errors
        else:
            messages.success(request, "Measurement plan updated.")
            return redirect("diary:patient_measures", patient_id=patient.pk)
    patient, rows = get_measurement_plan_for_user(actor, patient_id)
    _, responses = get_responses_for_user(actor, patient_id)
    histories = [
        history_context(row.instrument, [r for r in responses if r.instrument == row.instrument.id])
        for row in rows
        if any(r.instrument == row.instrument.id for r in responses)
    ]
    ctx = {
        "patient": patient,
        "rows": rows,
        "histories": histories,
        "alerts": get_alerts_for_user(actor, patient_id=patient.pk, open_only=False)[:20],
        "plan_errors": plan_errors,
    }
    return render(request, "diary/patient_measures.html", ctx, status=400 if plan_errors else 200)
