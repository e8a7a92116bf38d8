"""The patient's upload: another tracker's CSV into their own diary, checked first by default."""

from __future__ import annotations

import json
import tomllib

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from painmind.accounts.access import get_own_patient
from painmind.accounts.audit import Actor
from painmind.accounts.http import AuthedRequest
from painmind.core.checkin_import import ImportFileError, Mapping, MappingError, load_mapping, parse_mapping
from painmind.exchange.imports.actions import ImportConflict, ImportReport, do_import_checkin_file

# A diary CSV of years of check-ins is well under a megabyte; more is not a diary.
MAX_FILE_BYTES = 5 * 1024 * 1024
SHIPPED = [("generic", "Generic: date, pain, mood (1–5), notes"), ("painmind", "PainMind's own check-in CSV")]


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file")
    mapping = forms.ChoiceField(choices=[*SHIPPED, ("own", "My own mapping file (below)")], initial="generic")
    mapping_file = forms.FileField(label="Mapping file (.toml or .json)", required=False)
    dry_run = forms.BooleanField(label="Only check the file (import nothing)", required=False, initial=True)


def _mapping(form: ImportForm) -> Mapping:
    choice = form.cleaned_data["mapping"]
    if choice != "own":
        return load_mapping(choice)
    upload = form.cleaned_data.get("mapping_file")
    if upload is None:
        raise MappingError("Choose your mapping file, or one of the mappings PainMind ships.")
    try:
        text = upload.read(MAX_FILE_BYTES).decode("utf-8")
        data = json.loads(text) if upload.name.lower().endswith(".json") else tomllib.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError and TOMLDecodeError are ValueErrors
        raise MappingError(f"mapping file: cannot be read: {exc}") from None
    return parse_mapping(data, default_name=upload.name)


@login_required
def import_checkins(request: AuthedRequest) -> HttpResponse:
    """GET: the upload form. POST: check (dry run, the default) or import, and show the report."""
    actor = Actor.from_request(request, "web")
    patient = get_own_patient(actor)
    report: ImportReport | None = None
    problem = ""
    status = 200
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_FILE_BYTES:
                raise ImportFileError(f"file: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            mapping = _mapping(form)
            report = do_import_checkin_file(
                actor, patient, upload.read(), mapping, dry_run=form.cleaned_data["dry_run"]
            )
        except (ImportFileError, MappingError, ImportConflict) as exc:
            problem = str(exc)
        if problem or (report is not None and not report.ok):
            status = 400
    elif request.method == "POST":
        status = 400
    ctx = {"form": form, "report": report, "problem": problem}
    return render(request, "exchange/import_checkins.html", ctx, status=status)
