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


# The value of the extra "Yes, skip it" choice the confirm page adds to the self-harm item.
SKIP = "skip"


def _form_items(
    instrument: Instrument,
    posted: dict[str, str],
    errors: dict[str, list[str]],
    blank: frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    return [
        {
            "item": item,
            "value": posted.get(item.link_id, ""),
            "errors": errors.get(f"answers.{item.link_id}", []),
            "points": [str(v) for v in range(item.min_value, item.max_value + 1)] if not item.options else [],
            "blank": item.link_id in blank,
            # The self-harm item, left blank: asked plainly whether it was meant (clinical-reference §1.1).
            "ask_skip": item.link_id in blank and item.link_id == instrument.safety_item,
        }
        for item in instrument.items
    ]


def _parse(instrument: Instrument, posted: dict[str, str]) -> tuple[dict[str, int | None], dict[str, list[str]]]:
    answers: dict[str, int | None] = {}
    errors: dict[str, list[str]] = {}
    for item in instrument.items:
        raw = posted[item.link_id]
        if raw == "" or (raw == SKIP and item.link_id == instrument.safety_item):
            answers[item.link_id] = None
            continue
        try:
            answers[item.link_id] = int(raw)
        except ValueError:
            errors[f"answers.{item.link_id}"] = ["choose one of the answers"]
    return answers, errors


def _blanks_to_confirm(
    instrument: Instrument, posted: dict[str, str], answers: dict[str, int | None], confirmed: bool
) -> tuple[frozenset[str], dict[str, list[str]]]:
    """The required questions left blank that still need the patient's confirmation, and why.

    Nothing to confirm when nothing was answered (the action refuses that) or nothing required
    is blank. Once confirmed, a blank self-harm item still needs its own explicit “Yes, skip it”.
    """
    blank = frozenset(i.link_id for i in instrument.items if i.required and answers.get(i.link_id) is None)
    if not blank or all(value is None for value in answers.values()):
        return frozenset(), {}
    safety = instrument.safety_item
    if not confirmed:
        return blank, {}
    if safety in blank and posted.get(safety) != SKIP:
        return blank, {f"answers.{safety}": ["choose an answer, or “Yes, skip it”"]}
    return frozenset(), {}


def _key_or_new(raw: str) -> uuid.UUID:
    # The form's key is kept while nothing is stored under it, so the confirm step is the same
    # submission: a double tap on "Save" still stores one response.
    try:
        return uuid.UUID(raw)
    except ValueError:
        return uuid.uuid4()


# no-store: a browser must not bring back a form (and its client_id) or a result from its cache.
@never_cache
@login_required
def questionnaire(request: AuthedRequest, instrument_id: str) -> HttpResponse:
    """The one-page form. POST scores it on the server and redirects to the result.

    Blank questions are shown back first ("You left N questions blank", answers kept, no
    JavaScript needed) and saved only once confirmed; a blank self-harm item needs an explicit
    "Yes, skip it". A submission with no answers is refused by the action.
    """
    actor = Actor.from_request(request, "web")
    patient = get_own_patient(actor)
    instrument = _instrument_or_404(instrument_id)
    posted: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    blank: frozenset[str] = frozenset()
    key = ""
    status = 200
    if request.method == "POST":
        posted = {item.link_id: request.POST.get(item.link_id, "") for item in instrument.items}
        key = request.POST.get("client_id", "")
        answers, errors = _parse(instrument, posted)
        if not errors:
            blank, errors = _blanks_to_confirm(instrument, posted, answers, request.POST.get("confirm_blanks") == "1")
        if not errors and not blank:
            try:
                response, _ = do_record_response(actor, patient, instrument.id, answers, client_id=key or None)
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
                if key and response.client_id is None:
                    messages.info(request, "This form had already been sent; your new answers were saved as well.")
                else:
                    # The result page opens on this status, so a screen reader says it was saved.
                    messages.success(request, "Your answers were saved.")
                return redirect("diary:response", response_id=response.pk)
        status = 400 if errors else 200
    items = _form_items(instrument, posted, errors, blank)
    ctx = {
        "instrument": instrument,
        "items": items,
        "errors": errors,
        "blank": [f["item"] for f in items if f["blank"]],
        "client_id": _key_or_new(key) if posted else uuid.uuid4(),
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
    crisis = crisis_context(response.patient, response.item9, response_id=response.pk)
    ctx = {
        "response": response,
        "instrument": instrument,
        "crisis": crisis,
        "follow_up": follow_up_context(crisis.alert if crisis else None, response.pk),
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
