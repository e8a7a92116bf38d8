"""The JSON API under /api/v1: one NinjaAPI, one router per app, one error shape.

Every error is ``{"detail": "...", "errors": [{"field": "...", "message": "..."}]}``:
`errors` lists each invalid field and why (422), and is empty for other errors. Under /api/ an
unknown address (404) and a wrong method (405, with ``Allow``) answer in that shape too, and the
OpenAPI document lists 401 on every authenticated operation, 422 on every operation that
takes input and 400 on every one that takes a body (docs/api.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation

from painmind.accounts.api import BearerToken
from painmind.accounts.api import router as accounts_router
from painmind.careplan.api import router as careplan_router
from painmind.core.checkin import CheckInError
from painmind.diary.api import router as diary_router
from painmind.exchange.api import router as exchange_router
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

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        # Every operation behind the bearer token may answer 401, every one taking input 422,
        # every one taking a body 400 (not JSON): documented here once rather than in each
        # route's `response=` (tests/test_api_schema.py, tests/schema/).
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for methods in schema["paths"].values():
            for op in methods.values():
                responses = op.setdefault("responses", {})
                if op.get("security"):
                    responses.setdefault(401, {"description": "Unauthorized", **error})
                if op.get("parameters") or op.get("requestBody"):
                    responses.setdefault(422, {"description": "Unprocessable Content", **error})
                if op.get("requestBody"):
                    # A body that is not JSON at all (not UTF-8, cut short): refused before any field.
                    responses.setdefault(400, {"description": "Bad Request", **error})
                if any(p.get("in") == "path" for p in op.get("parameters", [])):
                    responses.setdefault(404, {"description": "Not Found", **error})
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = _api_view(url.callback)
        return urls


# The largest id a row can have (64-bit signed on both databases); SQLite cannot even compare a
# larger integer with a column, so a larger id in an address is answered 404 before any query.
MAX_ID = 2**63 - 1


def _api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A route's view with two answers in the API's error shape: 404 for an id no row can have,
    and 405 for a wrong method (ninja's own is text/plain)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Either sign: "-2797…" (no row has it either) overflowed SQLite into a 500.
        if any(k.endswith("_id") and str(v).lstrip("-").isdigit() and abs(int(v)) > MAX_ID for k, v in kwargs.items()):
            return api.create_response(request, error_body("Not found."), status=404)
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allow = response.get("Allow", "")
            response = api.create_response(request, error_body("Method not allowed."), status=405)
            response["Allow"] = allow
        return response

    return wrapped


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any address under /api/ that no route answers: a JSON 404, not the site's HTML page."""
    return api.create_response(request, error_body("Not found."), status=404)


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
api.add_router("/", exchange_router)


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
