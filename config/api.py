"""The JSON API under /api/v1: one NinjaAPI, one router per app, one error shape.

Every error is ``{"detail": "...", "errors": [{"field": "...", "message": "..."}]}``:
`errors` lists each invalid field and why (422), and is empty for other errors.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation

from painmind.accounts.api import BearerToken
from painmind.accounts.api import router as accounts_router
from painmind.careplan.api import router as careplan_router
from painmind.core.checkin import CheckInError
from painmind.diary.api import router as diary_router
from painmind.insights.api import router as insights_router
from painmind.lib.api import error_body, field_name
from painmind.lib.errors import ActionError
from painmind.meds.api import router as meds_router
from painmind.reminders.api import router as reminders_router
from painmind.safety.api import router as safety_router
from painmind.selfcare.api import router as selfcare_router


class PainMindAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The view function's name, not ninja's default module path + name: code can move
        # between modules without changing the schema clients are generated from (unique:
        # tests/test_api_schema.py).
        return operation.view_func.__name__


api = PainMindAPI(
    title="PainMind API",
    version="1",
    urls_namespace="api-v1",
    auth=BearerToken(),
    description="Check-ins, consent and care data. Authenticate with `Authorization: Bearer <token>` "
    "from `POST /api/v1/auth/token`.",
)
api.add_router("/", accounts_router)
api.add_router("/", diary_router)
api.add_router("/", safety_router)
api.add_router("/", careplan_router)
api.add_router("/", insights_router)
api.add_router("/", reminders_router)
api.add_router("/", meds_router)
api.add_router("/", selfcare_router)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        msg = str(err.get("msg", "is invalid"))
        msg = msg.removeprefix("Value error, ")
        errors.setdefault(field_name(err.get("loc", ())), []).append(msg)
    return api.create_response(request, error_body("Invalid input.", errors), status=422)


@api.exception_handler(CheckInError)
@api.exception_handler(ActionError)
def on_action_error(request: HttpRequest, exc: CheckInError | ActionError) -> HttpResponse:
    return api.create_response(request, error_body("Invalid input.", exc.errors), status=422)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("Not found."), status=404)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # e.g. a body that is not JSON: 400 with the same shape as every other error.
    return api.create_response(request, error_body(exc.message), status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, error_body("Authentication required: send a valid 'Authorization: Bearer <token>' header."), status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response
