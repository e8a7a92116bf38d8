"""Issue 14, "API contract gaps": strict bodies, JSON errors for unknown addresses and wrong
methods, unique schema names, 401/422 in the OpenAPI document."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from config.api import api
from painmind.accounts.models import ShareLink


def send(client: Any, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def test_true_is_not_a_number_of_days(client, pat, token_for):
    body = {"label": "GP", "sections": ["checkins"], "days": True}
    r = send(client, "post", "/api/v1/share-links", body, token_for(pat))
    assert r.status_code == 422, r.content
    assert fields(r) == {"days"}
    assert not ShareLink.objects.exists()


def _goal(client: Any, headers: dict[str, str]) -> int:
    r = send(client, "post", "/api/v1/plan/goals", {"description": "Walk to the shop"}, headers)
    assert r.status_code == 201, r.content
    return int(r.json()["id"])


def test_a_misspelt_field_on_a_goal_update_is_refused(client, pat, token_for):
    headers = token_for(pat)
    goal = _goal(client, headers)
    r = send(client, "patch", f"/api/v1/plan/goals/{goal}", {"descripton": "typo"}, headers)
    assert r.status_code == 422, r.content
    assert fields(r) == {"descripton"}


@pytest.mark.parametrize("body", [[{"description": "x"}], ["x"], 3])
def test_a_body_that_is_not_an_object_is_refused(client, pat, token_for, body):
    headers = token_for(pat)
    goal = _goal(client, headers)
    r = send(client, "patch", f"/api/v1/plan/goals/{goal}", body, headers)
    assert r.status_code == 422, r.content
    r = send(client, "put", "/api/v1/reminders", body, headers)
    assert r.status_code == 422, r.content


def test_a_misspelt_field_on_an_intervention_update_and_reminders_is_refused(client, pat, cara, token_for):
    headers = token_for(cara)
    r = send(
        client,
        "post",
        f"/api/v1/patients/{pat.pk}/plan/interventions",
        {"strategy": "lifestyle", "title": "Walk"},
        headers,
    )
    assert r.status_code == 201, r.content
    url = f"/api/v1/patients/{pat.pk}/plan/interventions/{r.json()['id']}"
    r = send(client, "patch", url, {"titel": "Walk more"}, headers)
    assert r.status_code == 422, r.content
    assert fields(r) == {"titel"}
    body = {"checkin_enabled": True, "questionnaires_enabled": True, "checkin_tme": "09:00"}
    r = send(client, "put", "/api/v1/reminders", body, token_for(pat))
    assert r.status_code == 422, r.content
    assert fields(r) == {"checkin_tme"}


@pytest.mark.parametrize("url", ["/api/v1/no-such-thing", "/api/v2/checkins", "/api/"])
def test_unknown_api_addresses_answer_json_404(client, url):
    for method in ("get", "post"):
        r = getattr(client, method)(url)
        assert r.status_code == 404
        assert r["Content-Type"] == "application/json; charset=utf-8"
        assert r.json() == {"detail": "Not found.", "errors": []}


def test_a_wrong_method_answers_json_405_with_allow(client, pat, token_for):
    r = client.delete("/api/v1/checkins", headers=token_for(pat))
    assert r.status_code == 405
    assert r["Content-Type"] == "application/json; charset=utf-8"
    assert r.json()["detail"] == "Method not allowed."
    assert set(r["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [(m.upper(), p, op) for p, methods in schema["paths"].items() for m, op in methods.items()]


def test_schema_names_are_unique_and_the_measurement_plan_is_its_own():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert "MeasurementPlanOut" in schemas
    assert "interval_days" not in schemas["PlanOut"]["properties"]
    # ninja names a clash Name + a number suffix; none may exist.
    titles = Counter(s.get("title", n) for n, s in schemas.items())
    assert [t for t, n in titles.items() if n > 1] == []


def test_every_request_body_forbids_unknown_fields():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    loose = []
    for method, path, op in _operations():
        ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
        if ref and schemas[ref.rsplit("/", 1)[-1]].get("additionalProperties") is not False:
            loose.append(f"{method} {path}")
    assert loose == []


def test_401_and_422_are_documented():
    for method, path, op in _operations():
        responses = {int(k) for k in op["responses"]}
        if op.get("security"):
            assert 401 in responses, (method, path)
        if op.get("parameters") or op.get("requestBody"):
            assert 422 in responses, (method, path)
