"""Relaxation sessions (clinical-reference §9.4): slow breathing and muscle relaxation, with
tension and pain 0–10 before and after, and what a session usually does for this person."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.core.selfcare.relaxation import MEASURES, usual_change
from painmind.lib.api import ErrorOut
from painmind.selfcare.access import get_relaxation_sessions_for_user
from painmind.selfcare.actions import do_log_relaxation_session
from painmind.selfcare.models import RelaxationSession

router = Router(tags=["self-management"])


class Ratings(Schema):
    model_config = ConfigDict(extra="forbid")
    tension: int | None = Field(None, description="0–10")
    pain: int | None = Field(None, description="0–10")


class RelaxationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(description="`breathing` or `muscle`.")
    minutes: int = Field(description="1–60 whole minutes.")
    rate: float | None = Field(None, description="Breathing only: 4.5–7 in half steps; default 6.")
    before: Ratings
    after: Ratings


class RelaxationOut(Schema):
    id: int
    on: date
    kind: str
    minutes: int
    rate: float | None
    before: Ratings
    after: Ratings


class ChangeOut(Schema):
    measure: str
    median_change: float | None = Field(description="Median of after − before; negative is lower.")
    n: int


class RelaxationHistoryOut(Schema):
    sessions: list[RelaxationOut]
    usual_change: list[ChangeOut]


def session_out(s: RelaxationSession) -> dict[str, Any]:
    return {
        "id": s.pk,
        "on": s.local_on,
        "kind": s.kind,
        "minutes": s.minutes,
        "rate": None if s.rate is None else float(s.rate),
        "before": {"tension": s.tension_before, "pain": s.pain_before},
        "after": {"tension": s.tension_after, "pain": s.pain_after},
    }


def history_out(sessions: list[RelaxationSession]) -> dict[str, Any]:
    changes = [
        usual_change(((getattr(s, f"{m}_before"), getattr(s, f"{m}_after")) for s in sessions), m) for m in MEASURES
    ]
    return {
        "sessions": [session_out(s) for s in sessions],
        "usual_change": [{"measure": c.measure, "median_change": c.median, "n": c.n} for c in changes],
    }


@router.post("/relaxation-sessions", response={201: RelaxationOut, 404: ErrorOut, 422: ErrorOut})
def log_relaxation_session(request: AuthedRequest, payload: RelaxationIn) -> Status[Any]:
    """Patients: log a finished session with ratings before and after."""
    data = payload.model_dump()
    data["before"] = payload.before.model_dump()
    data["after"] = payload.after.model_dump()
    return Status(201, session_out(do_log_relaxation_session(actor(request), data)))


@router.get("/relaxation-sessions", response={200: RelaxationHistoryOut, 404: ErrorOut})
def my_relaxation_sessions(request: AuthedRequest) -> dict[str, Any]:
    """Patients: your sessions, newest first, and the median change a session brings."""
    return history_out(get_relaxation_sessions_for_user(actor(request))[1])


@router.get("/patients/{patient_id}/relaxation-sessions", response={200: RelaxationHistoryOut, 404: ErrorOut})
def patient_relaxation_sessions(request: AuthedRequest, patient_id: int) -> dict[str, Any]:
    """Clinicians with consent, while the patient shares relaxation (the default). Audited."""
    return history_out(get_relaxation_sessions_for_user(actor(request), patient_id)[1])
