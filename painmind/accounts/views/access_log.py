"""The patient's access log: who viewed or changed their data, in plain words, with filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from painmind.accounts import phrasing
from painmind.accounts.access import get_access_log_actors_for_user, get_access_log_for_user, get_own_patient
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import AuditAction
from painmind.accounts.visits import visits
from painmind.lib.forms import DayField

LOG_PAGE_SIZE = 50


class AccessLogFilter(forms.Form):
    who = forms.CharField(required=False)
    action = forms.ChoiceField(choices=[("", "Anything"), *AuditAction.choices], required=False)
    since = DayField(required=False, label="From")
    until = DayField(required=False, label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data


@login_required
def access_log(request: AuthedRequest) -> HttpResponse:
    """Who viewed or changed the patient's data, in plain words, newest first; only for the patient."""
    actor = Actor.from_request(request, "web")
    patient = get_own_patient(actor)
    form = AccessLogFilter(request.GET or None)
    filters: dict[str, Any] = {}
    status = 200
    if form.is_bound:
        if form.is_valid():
            filters = {
                "who": form.cleaned_data["who"],
                "action": form.cleaned_data["action"],
                "since_on": form.cleaned_data["since"],
                "until_on": form.cleaned_data["until"],
            }
        else:
            status = 400
    _, events = get_access_log_for_user(actor, **filters)
    # One row per visit (accounts/visits.py), 50 visits a page.
    page = Paginator(visits(events) if status == 200 else [], LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "patient": patient,
        "form": form,
        "page": page,
        "rows": page.object_list,
        "actors": [(e.actor_label, phrasing.who(e)) for e in get_access_log_actors_for_user(actor)],
        "actions": AuditAction.choices,
        "query": query.urlencode(),
    }
    return render(request, "accounts/access_log.html", ctx, status=status)
