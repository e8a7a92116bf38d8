"""Between the API and the care-plan actions: PATCH bodies, field names, refusals as 403/409.

The API keeps the field names its clients know (``target_date``, ``review_date``, ``owner_id``);
the models' local dates end in ``_on``. Requests are translated on the way in, and a refused
field is named as the request named it on the way out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from ninja import Schema, Status

from painmind.accounts.access import get_own_patient
from painmind.accounts.api import actor
from painmind.accounts.http import AuthedRequest
from painmind.careplan.actions import StaleEdit
from painmind.lib.api import error_body
from painmind.lib.errors import ActionError

API_TO_MODEL = {"target_date": "target_on", "review_date": "review_on", "owner_id": "owner"}
MODEL_TO_API = {"target_on": "target_date", "review_on": "review_date"}
# null clears an optional text field, as an empty string would.
TEXT_FIELDS = ("strategy", "measure", "comparator", "detail", "tool")


def patch_data(payload: Schema) -> tuple[dict[str, object], datetime | None]:
    """The fields a PATCH sent (null text as empty) and the ``updated_at`` the client last read."""
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("updated_at", None)
    return {k: ("" if v is None and k in TEXT_FIELDS else v) for k, v in data.items()}, expected


def to_model(data: dict[str, object]) -> dict[str, object]:
    """The request's fields under the models' names (``owner_id: null`` is no owner)."""
    out = {API_TO_MODEL.get(k, k): v for k, v in data.items()}
    if "owner" in out and out["owner"] is None:
        out["owner"] = ""
    return out


@contextmanager
def api_field_names() -> Iterator[None]:
    """Name each refused field as the request did (``target_date``, not the model's ``target_on``).
    A stale edit passes through untouched (it is a 409, not a 422)."""
    try:
        yield
    except StaleEdit:
        raise
    except ActionError as exc:
        raise ActionError({MODEL_TO_API.get(f, f): m for f, m in exc.errors.items()}) from None


def refused(exc: Exception) -> Status[Any]:
    """409 for a stale edit (naming who changed it), 403 for a patient changing an intervention."""
    if isinstance(exc, StaleEdit):
        return Status(409, error_body("Changed since you read it.", exc.errors))
    return Status(403, error_body(str(exc)))


def own_id(request: AuthedRequest) -> int:
    """The signed-in patient's id (404 for anyone else)."""
    return get_own_patient(actor(request)).pk
