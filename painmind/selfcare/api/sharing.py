"""The patient's per-tool sharing with their care team."""

from __future__ import annotations

from ninja import Router

from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.lib.api import ErrorOut
from painmind.lib.schemas import In
from painmind.selfcare.access import get_sharing_for_user
from painmind.selfcare.actions import do_set_sharing

router = Router(tags=["self-management"])


class SharingIn(In):
    thought_records: bool | None = None
    pacing: bool | None = None
    relaxation: bool | None = None
    activities: bool | None = None
    lifestyle: bool | None = None


@router.get("/selfcare/sharing", response={200: dict[str, bool], 404: ErrorOut})
def my_tool_sharing(request: AuthedRequest) -> dict[str, bool]:
    """Patients: which tools your care team sees (thought records are private by default)."""
    return get_sharing_for_user(actor(request))[1]


@router.put("/selfcare/sharing", response={200: dict[str, bool], 404: ErrorOut, 422: ErrorOut})
def set_my_tool_sharing(request: AuthedRequest, payload: SharingIn) -> dict[str, bool]:
    """Patients: share a tool with your care team, or stop (only the tools sent change)."""
    who = actor(request)
    for tool, shared in payload.model_dump(exclude_none=True).items():
        do_set_sharing(who, tool, shared)
    return get_sharing_for_user(who)[1]
