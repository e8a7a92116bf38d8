"""All of the patient's own check-ins, paged on the server (`?page=N`, plain links)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.diary.overview import get_own_entries_page


@login_required
def entries(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_patient:
        return redirect("home")
    actor = Actor.from_request(request, "web")
    raw = request.GET.get("page", "1")
    error = ""
    try:
        patient, page = get_own_entries_page(actor, int(raw) if raw.isdigit() else 0)
    except ValueError as exc:
        error = str(exc)
        patient, page = get_own_entries_page(actor, 1)
    ctx = {"patient": patient, "page": page, "error": error}
    return render(request, "diary/entries.html", ctx, status=400 if error else 200)
