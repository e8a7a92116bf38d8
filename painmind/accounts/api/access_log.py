"""The patient's access log over the API: who read or changed their data, filtered and paged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from ninja import Query, Router, Schema

from painmind.accounts import phrasing
from painmind.accounts.access import get_access_log_for_user
from painmind.accounts.api.auth import actor
from painmind.accounts.http import AuthedRequest
from painmind.accounts.models import AuditAction
from painmind.lib.api import ErrorOut
from painmind.lib.errors import ActionError
from painmind.lib.schemas import Day, Text

LOG_PAGE_SIZE = 50

router = Router(tags=["accounts"])


class AccessLogOut(Schema):
    at: datetime
    who: str
    role: str
    what: str
    action: str
    object_type: str
    via: str


class AccessLogPage(Schema):
    count: int
    page: int
    pages: int
    events: list[AccessLogOut]


class AccessLogQuery(Schema):
    who: Text = ""
    action: Text = ""
    since: Day | None = None
    until: Day | None = None
    page: int = 1


@router.get("/access-log", response={200: AccessLogPage, 404: ErrorOut, 422: ErrorOut})
def access_log(request: AuthedRequest, filters: Query[AccessLogQuery]) -> dict[str, Any]:
    """Patients: who read or changed your data, newest first (dates inclusive, in your time zone)."""
    who, action, since, until, page = filters.who, filters.action, filters.since, filters.until, filters.page
    if action and action not in AuditAction.values:
        raise ActionError({"action": [f"one of {', '.join(AuditAction.values)}"]})
    if since and until and since > until:
        raise ActionError({"until": ["is before since"]})
    _, events = get_access_log_for_user(actor(request), who=who, action=action, since_on=since, until_on=until)
    paginator = Paginator(events, LOG_PAGE_SIZE)
    if page < 1 or (page > paginator.num_pages):
        raise ActionError({"page": [f"between 1 and {paginator.num_pages}"]})
    return {
        "count": paginator.count,
        "page": page,
        "pages": paginator.num_pages,
        "events": [
            {
                "at": e.at,
                "who": phrasing.who(e),
                "role": phrasing.role(e),
                "what": phrasing.describe(e),
                "action": e.action,
                "object_type": e.object_type,
                "via": e.via,
            }
            for e in paginator.page(page).object_list
        ],
    }
