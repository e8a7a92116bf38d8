"""Today's lifestyle fields (phone first, only the fields the person keeps) and the page where
they choose them. Linked from the saved check-in page (diary.hooks) once any field is chosen."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.selfcare.lifestyle import FIELDS, GROUP_LABELS, GROUPS, NUMERIC
from painmind.lib.errors import ActionError
from painmind.selfcare.access import get_lifestyle_choice_for_user, get_lifestyle_for_user
from painmind.selfcare.actions import do_choose_lifestyle_fields, do_save_lifestyle
from painmind.selfcare.views import _patient_only

ROLE_LABELS = {"none": "None", "some": "Some", "all": "All"}


def _form_fields(groups: list[str], values: dict[str, Any], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    out = []
    for group in groups:
        for name in GROUPS[group]:
            spec = NUMERIC.get(name)
            field: dict[str, Any] = {"name": name, "value": values.get(name), "errors": errors.get(name)}
            if spec is not None:
                field.update(kind="number", label=spec.label, hint=f"{spec.low}–{spec.high}")
            elif name == "role_done":
                field.update(kind="select", label="Work or usual role done", choices=list(ROLE_LABELS.items()))
            else:
                field.update(kind="text", label="Kind of exercise", hint="e.g. walking")
            out.append(field)
    return out


@login_required
def lifestyle(request: AuthedRequest) -> HttpResponse:
    """Today's fields (or ``?day=YYYY-MM-DD`` for an earlier day); POST saves that day's entry."""
    _patient_only(request)
    actor = Actor.from_request(request, "web")
    patient, groups = get_lifestyle_choice_for_user(actor)
    today = timezone.localdate(timezone=patient.tzinfo)
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else today
    except ValueError:
        day = today
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values: dict[str, Any] = {name: request.POST.get(name, "") for group in groups for name in GROUPS[group]}
        _, existing = get_lifestyle_for_user(actor, since=day, until=day)
        # Fields the person no longer keeps stay as they were (the form shows only the chosen).
        kept = {n: getattr(existing[0], n) for n in FIELDS if n not in values} if existing else {}
        try:
            do_save_lifestyle(actor, day, {**{k: v for k, v in kept.items() if v not in (None, "")}, **values})
        except ActionError as exc:
            errors, status = exc.errors, 400
        else:
            messages.success(request, "Saved.")
            return redirect("selfcare:lifestyle")
    else:
        _, existing = get_lifestyle_for_user(actor, since=day, until=day)
        values = {n: getattr(existing[0], n) for n in FIELDS} if existing else {}
    ctx = {
        "day": day,
        "today": today,
        "groups": groups,
        "fields": _form_fields(groups, values, errors),
        "errors": errors,
    }
    return render(request, "selfcare/lifestyle.html", ctx, status=status)


@login_required
def lifestyle_settings(request: AuthedRequest) -> HttpResponse:
    """Tick the groups of fields to keep (none by default)."""
    _patient_only(request)
    actor = Actor.from_request(request, "web")
    if request.method == "POST":
        do_choose_lifestyle_fields(actor, [g for g in GROUPS if request.POST.get(g)])
        messages.success(request, "Your lifestyle fields are saved.")
        return redirect("selfcare:lifestyle")
    _, chosen = get_lifestyle_choice_for_user(actor)
    ctx = {"choices": [(g, GROUP_LABELS[g], g in chosen) for g in GROUPS]}
    return render(request, "selfcare/lifestyle_settings.html", ctx)
