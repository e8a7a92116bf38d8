"""FHIR on the web: the patient downloads their Bundle and uploads one (with a dry run); a
consenting clinician downloads a patient's Bundle from the patient page. No JavaScript needed."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from painmind.accounts.access import get_own_patient
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.fhir import BundleError
from painmind.exchange.fhir.export import patient_bundle
from painmind.exchange.fhir.imports import ImportReport, do_import_fhir_bundle

# PROJECT RULE: an uploaded Bundle larger than this is refused before it is read (a year of
# daily check-ins with six fields and fortnightly PHQ-9s is about 1.7 MB as an export).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _download(bundle: dict[str, object], filename: str) -> HttpResponse:
    response = JsonResponse(bundle, content_type="application/fhir+json", json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def my_fhir(request: AuthedRequest) -> HttpResponse:
    """The page: download your Bundle; upload one (check first, then import)."""
    actor = Actor.from_request(request, "web")
    patient = get_own_patient(actor)
    report: ImportReport | None = None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        upload = request.FILES.get("bundle")
        if upload is None:
            errors = {"bundle": ["choose a FHIR Bundle file (JSON) to upload"]}
        elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            errors = {"bundle": [f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"]}
        else:
            try:
                data = json.loads(upload.read())
            except (ValueError, UnicodeDecodeError):
                errors = {"bundle": ["the file is not JSON"]}
            else:
                try:
                    report = do_import_fhir_bundle(actor, patient, data, dry_run=request.POST.get("dry_run") == "on")
                except BundleError as exc:
                    errors = exc.errors
    status = 422 if errors else 200
    return render(request, "exchange/fhir.html", {"report": report, "errors": errors}, status=status)


@never_cache
@login_required
def my_fhir_download(request: AuthedRequest) -> HttpResponse:
    """Your data as a FHIR R4 Bundle file."""
    return _download(patient_bundle(Actor.from_request(request, "web"), None), "painmind-fhir.json")


@never_cache
@login_required
def patient_fhir_download(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """A consenting patient's FHIR R4 Bundle file, for their clinician (404 otherwise). Audited."""
    actor = Actor.from_request(request, "web")
    if actor.user is not None and actor.user.pk == patient_id:
        raise Http404("No such patient.")  # a patient's own download has its own address
    return _download(patient_bundle(actor, patient_id), f"painmind-fhir-{patient_id}.json")
