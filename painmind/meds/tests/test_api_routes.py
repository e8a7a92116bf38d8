"""The medicines API's routes and OpenAPI operation ids, written down before the API became a
package (regimens, doses, side effects, check, fhir): clients generated from the schema keep
working."""

from __future__ import annotations

from config.api import api

ROUTES = {
    ("GET", "/api/v1/meds/check"): "my_check",
    ("GET", "/api/v1/meds/doses"): "list_my_doses",
    ("GET", "/api/v1/meds/regimens"): "list_my_regimens",
    ("POST", "/api/v1/meds/regimens"): "add_my_regimen",
    ("PATCH", "/api/v1/meds/regimens/{regimen_id}"): "update_regimen",
    ("POST", "/api/v1/meds/regimens/{regimen_id}/doses"): "log_dose",
    ("GET", "/api/v1/meds/regimens/{regimen_id}/fhir"): "regimen_fhir",
    ("POST", "/api/v1/meds/regimens/{regimen_id}/stop"): "stop_regimen",
    ("GET", "/api/v1/meds/side-effects"): "list_my_side_effects",
    ("POST", "/api/v1/meds/side-effects"): "record_my_side_effect",
    ("GET", "/api/v1/patients/{patient_id}/meds/check"): "patient_check",
    ("GET", "/api/v1/patients/{patient_id}/meds/doses"): "list_patient_doses",
    ("GET", "/api/v1/patients/{patient_id}/meds/regimens"): "list_patient_regimens",
    ("POST", "/api/v1/patients/{patient_id}/meds/regimens"): "add_patient_regimen",
    ("GET", "/api/v1/patients/{patient_id}/meds/side-effects"): "list_patient_side_effects",
    ("POST", "/api/v1/patients/{patient_id}/meds/side-effects"): "record_patient_side_effect",
}


def test_meds_routes_and_operation_ids_are_unchanged():
    schema = api.get_openapi_schema()
    got = {
        (method.upper(), path): op["operationId"]
        for path, methods in schema["paths"].items()
        if "/meds" in path
        for method, op in methods.items()
    }
    assert got == ROUTES
    assert all(op["tags"] == ["meds"] for path, ms in schema["paths"].items() if "/meds" in path for op in ms.values())
