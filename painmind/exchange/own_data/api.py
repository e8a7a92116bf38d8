"""The person's own data over the API: `GET /me/export` (the zip), `DELETE /me` (the account)."""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from ninja import Router, Schema
from pydantic import ConfigDict

from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.exchange.own_data.actions import do_delete_own_account
from painmind.exchange.own_data.archive import own_data_filename, own_data_zip
from painmind.lib.api import ErrorOut

router = Router(tags=["exchange"])


class DeleteAccountIn(Schema):
    # A misspelt field is refused rather than ignored: this body confirms a deletion.
    model_config = ConfigDict(extra="forbid")

    password: str


class DeletedOut(Schema):
    detail: str
    deleted: int
    pseudonymised: int


@router.get(
    "/me/export",
    response={200: None},
    openapi_extra={"responses": {200: {"description": "A zip of CSV files", "content": {"application/zip": {}}}}},
)
def export_own_data(request: AuthedRequest) -> StreamingHttpResponse:
    """Everything PainMind keeps about you, as a zip of CSV files with a README.txt of the
    columns (docs/exchange.md, "Your own data"). Streamed; your own reads are not audited."""
    actor = Actor.from_request(request, "api")
    response = StreamingHttpResponse(own_data_zip(actor, request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{own_data_filename(request.user)}"'
    return response


@router.delete("/me", response={200: DeletedOut, 404: ErrorOut, 422: ErrorOut})
def delete_own_account(request: AuthedRequest, body: DeleteAccountIn) -> dict[str, Any]:
    """Delete your account and your records, confirmed with your password (422 on `password`
    when it is wrong: nothing changes). The audit log keeps what others did with your data,
    naming you by a pseudonym (docs/privacy.md). This token, and every other, stops working."""
    erased = do_delete_own_account(Actor.from_request(request, "api"), body.password)
    return {
        "detail": "Account deleted.",
        "deleted": sum(erased.deleted.values()),
        "pseudonymised": sum(erased.pseudonymised.values()),
    }
