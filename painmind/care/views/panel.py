"""The clinician panel page: every consenting patient on one page, sortable and filterable.

One view serves the full page and, for HTMX requests, just the `#panel` fragment (sorting and
filtering swap the table and push the URL); without JavaScript the same links and form work
as plain GET requests.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render

from painmind.accounts.access import get_invites_for_user
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.care.panel import SILENT_DAYS, SORT_KEYS, TREND_DAYS, get_panel_for_user, parse_filters, render_rows


def _with(params: QueryDict, **changes: str) -> str:
    query = params.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()


@login_required
def panel(request: AuthedRequest) -> HttpResponse:
    """The panel (served at `care:panel`, /clinician/)."""
    if not request.user.is_clinician:
        return redirect("home")
    filters, errors = parse_filters(request.GET)
    actor = Actor.from_request(request, "web")
    data = get_panel_for_user(actor, filters)
    ctx = {
        "panel": data,
        "rows_html": render_rows(data.rows),
        "errors": errors,
        "sort_options": list(SORT_KEYS.items()),
        "sort_url": {key: _with(request.GET, sort=key) for key in SORT_KEYS},
        "instrument_columns": [(iid, short, _with(request.GET, sort=iid)) for iid, short in data.instruments],
        "silent_days": SILENT_DAYS,
        "trend_days": TREND_DAYS,
        "invites": [] if request.htmx else list(get_invites_for_user(actor)),
    }
    htmx = bool(request.htmx)
    template = "care/panel.html#panel" if htmx else "care/panel.html"
    # A fragment with a 4xx status would not be swapped in; the error is in the fragment.
    return render(request, template, ctx, status=400 if errors and not htmx else 200)
