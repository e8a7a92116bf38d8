"""A clinician's page of one patient's lifestyle fields by day (issue 13; until now API only).

Read through `selfcare.access.get_lifestyle_for_user`: consent checked afresh and only while the
patient shares lifestyle fields (shared by default), else the same 404 as a patient who does not
exist; each view is one audit event ("lifestyle_list"), so it is in "who viewed my data".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from painmind.accounts.access import get_patient_for_user
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.care.patient import DEFAULT_PERIOD, PERIODS
from painmind.core.selfcare.lifestyle import FIELDS, NUMERIC
from painmind.selfcare.access import get_lifestyle_for_user

LABELS = {
    **{name: f.label for name, f in NUMERIC.items()},
    "exercise_kind": "Kind of exercise",
    "role_done": "Work or usual role done",
}
ROLE_WORDS = {"none": "none", "some": "some", "all": "all"}


@login_required
def patient_lifestyle(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """`?days=28|90|365`: the days with an entry in that period, newest first; only the fields
    with a value in it are columns. A bad period is named (400) and the default shown."""
    if not request.user.is_clinician:
        raise Http404("No such patient.")
    raw = request.GET.get("days", "")
    error = ""
    period = DEFAULT_PERIOD
    if raw:
        period = int(raw) if raw.isdigit() and int(raw) in PERIODS else DEFAULT_PERIOD
        if str(period) != raw:
            error = f"days: must be one of {', '.join(map(str, PERIODS))}"
    actor = Actor.from_request(request, "web")
    patient = get_patient_for_user(actor, patient_id)
    today = timezone.localdate(timezone=patient.tzinfo)
    _, entries = get_lifestyle_for_user(actor, patient.pk, since=today - timedelta(days=period - 1), until=today)
    columns = [n for n in FIELDS if any(getattr(e, n) not in (None, "") for e in entries)]
    rows: list[dict[str, Any]] = [
        {"day": e.local_on, "values": [getattr(e, n) if getattr(e, n) not in (None, "") else None for n in columns]}
        for e in entries
    ]
    ctx = {
        "patient": patient,
        "period": period,
        "periods": PERIODS,
        "columns": [LABELS[n] for n in columns],
        "rows": rows,
        "error": error,
    }
    return render(request, "care/patient_lifestyle.html", ctx, status=400 if error else 200)
