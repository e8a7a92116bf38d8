"""The OpenAPI schema clients are generated from: stable, unique operation ids."""

from __future__ import annotations

from collections import Counter

from config.api import api


def test_operation_ids_are_unique_view_names():
    schema = api.get_openapi_schema()
    ops = {
        (method.upper(), path): op["operationId"]
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }
    assert [name for name, n in Counter(ops.values()).items() if n > 1] == []
    # By hand, a few: the name does not depend on which module defines the view.
    assert ops[("POST", "/api/v1/checkins")] == "create_checkin"
    assert ops[("GET", "/api/v1/measurement-plan")] == "my_measurement_plan"
    assert ops[("GET", "/api/v1/plan")] == "my_plan"
    assert ops[("POST", "/api/v1/alerts/{alert_id}/acknowledge")] == "acknowledge"
