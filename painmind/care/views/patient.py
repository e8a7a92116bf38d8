"""A clinician's page for one consenting patient: daily charts, scores, open alerts, care plan."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.care.medicines import medicines_section
from painmind.care.panel import PANEL_INSTRUMENTS
from painmind.care.patient import DEFAULT_PERIOD, PERIODS, get_patient_detail_for_user
from painmind.careplan.access import get_care_plan_for_user
from painmind.diary.access import get_region_days_for_user
from painmind.diary.instruments import site_instrument
from painmind.diary.models import QuestionnaireResponse
from painmind.diary.presenters import history_context
from painmind.selfcare.access import get_tool_usage_for_user

# The compact "where it hurt" list beside the charts: the most-marked regions (a project rule);
# the diary page has every region.
TOP_REGIONS = 5


def _histories(responses: list[QuestionnaireResponse]) -> list[dict[str, Any]]:
    """One score history per instrument answered, the panel's measures first."""
    ids = sorted(
        {r.instrument for r in responses},
        key=lambda i: (i not in PANEL_INSTRUMENTS, PANEL_INSTRUMENTS.index(i) if i in PANEL_INSTRUMENTS else 0, i),
    )
    out = []
    for instrument_id in ids:
        try:
            instrument = site_instrument(instrument_id)
        except ValueError:
            continue
        out.append(history_context(instrument, [r for r in responses if r.instrument == instrument_id]))
    return out


@login_required
def patient_detail(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """`?days=28|90|365` picks the chart period (plain links); 404 without consent."""
    if not request.user.is_clinician:
        raise Http404("No such patient.")
    raw = request.GET.get("days", "")
    error = ""
    try:
        period = int(raw) if raw else DEFAULT_PERIOD
    except ValueError:
        period = -1
    if period not in PERIODS:
        error = f"days: must be one of {', '.join(map(str, PERIODS))}"
        period = DEFAULT_PERIOD
    actor = Actor.from_request(request, "web")
    detail = get_patient_detail_for_user(actor, patient_id, period_days=period)
    tool_usage = get_tool_usage_for_user(actor, detail.patient.pk)[1]
    # A separate read of the check-ins' locations: its own audit event, as on the diary page's first load.
    _, regions = get_region_days_for_user(actor, detail.patient.pk, period_days=detail.period_days)
    ctx = {
        "plan": get_care_plan_for_user(actor, detail.patient.pk, history=False),
        "detail": detail,
        "meds": medicines_section(actor, detail.patient, detail.today),
        "tool_usage": tool_usage,
        "lifestyle_shared": any(t.tool == "lifestyle" and t.shared for t in tool_usage),
        "patient": detail.patient,
        "alerts": detail.alerts,
        # Several open alerts: acknowledge them together with one note (safety/_alert_list.html).
        "bulk": len(detail.alerts) > 1,
        "bulk_patient_id": detail.patient.pk,
        "histories": _histories(detail.responses),
        "periods": PERIODS,
        "top_regions": regions[:TOP_REGIONS],
        "n_regions": len(regions),
        "error": error,
    }
    return render(request, "care/patient_detail.html", ctx, status=400 if error else 200)
