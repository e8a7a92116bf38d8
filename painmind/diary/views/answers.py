"""A clinician reads one questionnaire response item by item (linked from the alerts it raised)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.instruments import Instrument
from painmind.diary.access import get_response_for_user
from painmind.diary.instruments import site_instrument


def answer_rows(instrument: Instrument, answers: list[int | None]) -> list[dict[str, Any]]:
    """Each question with the answer given in the words the patient chose ("Several days"), or
    "left blank"; its points apart (`points`), so the answer reads as text, not a digit."""
    rows = []
    for item, value in zip(instrument.items, answers, strict=False):
        labels = {o.value: o.display for o in item.options}
        answer = "left blank" if value is None else labels.get(value, str(value))
        points = "" if value is None else str(value)
        rows.append(
            {
                "number": item.number,
                "text": item.text or item.label,
                "answer": answer,
                "points": points,
                "blank": value is None,
            }
        )
    return rows


@login_required
def patient_response(request: AuthedRequest, patient_id: int, response_id: int) -> HttpResponse:
    """One response's answers for a clinician with consent (audited); 404 for anyone else."""
    if not request.user.is_clinician:
        raise Http404("No such response.")
    response = get_response_for_user(Actor.from_request(request, "web"), response_id)
    if response.patient_id != patient_id:
        raise Http404("No such response.")
    instrument = site_instrument(response.instrument)
    ctx = {
        "patient": response.patient,
        "response": response,
        "instrument": instrument,
        "rows": answer_rows(instrument, list(response.answers)),
    }
    return render(request, "diary/patient_response.html", ctx)
