"""Issue 14, "No 500 from any input": schemathesis cases generated from the OpenAPI document,
sent to the real app (Django's WSGI handler on the test database, no server, no network) with a
real patient's token and a real clinician's (one the patient shares with).

Each operation is run three ways: valid cases, invalid ones (wrong types, missing fields, bodies
that are not JSON), and, where the address names a patient or a medicine, valid cases at the
patient's own id and one of their medicines, so the clinician's calls reach the code behind the
404 of a random id. Every answer must be no server error (ST101), a documented status code
(ST103) and a body matching the documented schema (ST108); no check is excluded.

Bounded so `make test` stays within budget on both databases: `EXAMPLES` cases per operation and
way, each sent with both tokens; generation only (no shrinking); derandomized, so a run is
reproducible and a failure names its operation and case (with a curl line).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err, Ok
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from config.api import api

EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Path parameters the "known ids" way fills with real rows (see `known_ids`).
KNOWN = {"patient_id", "regimen_id"}

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())


def _operation(result: Ok[Any] | Err[Any]) -> Any:
    # An operation the document describes wrongly fails collection rather than vanish.
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


OPERATIONS = [_operation(result) for result in SCHEMA.get_all_operations()]


def _path_names(operation: Any) -> set[str]:
    return set(re.findall(r"{(\w+)}", operation.path))


WAYS = [
    pytest.param(op, mode, known, id=f"{op.label}-{name}")
    for op in OPERATIONS
    for name, mode, known in (
        ("valid", GenerationMode.POSITIVE, False),
        ("invalid", GenerationMode.NEGATIVE, False),
        ("valid-known-ids", GenerationMode.POSITIVE, True),
    )
    if not known or (_path_names(op) and _path_names(op) <= KNOWN)
]


@pytest.fixture(scope="module")
def app(_collected_static: Any) -> Iterator[Any]:
    # Built after the static files are collected (whitenoise reads them when the app is made).
    # As Django's test client does, the handler must not close the database connection after
    # each request: the test's transaction (its users and tokens) lives on it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def known_ids(pat: Any, cara: Any) -> dict[str, int]:
    from painmind.accounts.audit import Actor
    from painmind.meds.actions import do_add_regimen

    regimen = do_add_regimen(
        Actor(user=pat, via="api"),
        pat,
        {
            "name": "Paracetamol",
            "dose": "500",
            "dose_unit": "mg",
            "schedule": "as_needed",
            "max_per_day": 4,
            "reason": "pain",
        },
    )
    return {"patient_id": pat.pk, "regimen_id": regimen.pk}


@pytest.mark.slow
@pytest.mark.parametrize(("operation", "mode", "known"), WAYS)
def test_generated_cases(
    operation: Any, mode: GenerationMode, known: bool, app, pat, cara, known_ids, token_for
) -> None:
    tokens = [token_for(pat), token_for(cara)]
    path = {k: v for k, v in known_ids.items() if k in _path_names(operation)} if known else None

    @settings(
        max_examples=EXAMPLES,
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
    def run(case: Any) -> None:
        for headers in tokens:
            response = case.call(headers=headers, app=app)
            case.validate_response(response, checks=CHECKS, headers=headers, transport_kwargs={"app": app})

    run()
