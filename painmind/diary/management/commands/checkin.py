"""painmind checkin add|list EMAIL — record or read a patient's check-ins from the shell."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from painmind.accounts.access import get_patient_by_email_for_operator
from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.core.checkin import SCALES, CheckInError
from painmind.diary.access import get_checkins_for_user
from painmind.diary.actions import CheckInConflict, do_record_checkin


def _aware(value: str) -> datetime:
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at: {value!r} is not an ISO 8601 date-time") from None
    if at.tzinfo is None:
        raise CommandError("--at: include a time zone offset, e.g. 2026-03-29T20:00:00+01:00")
    return at


class Command(BaseCommand):
    help = "Record (add) or print (list, JSON lines) a patient's check-ins. Operator access is audited."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="record a check-in for the patient")
        add.add_argument("email")
        for scale in SCALES:
            add.add_argument(f"--{scale.name.replace('_', '-')}", dest=scale.name, required=scale.required)
        add.add_argument("--pain-locations", default="", help="comma-separated body-region codes")
        add.add_argument("--tags", default="")
        add.add_argument("--note", default="")
        add.add_argument("--at", type=_aware, help="when (ISO 8601 with offset); default now")
        add.add_argument("--client-id", help="a UUID that makes retries safe")
        lst = sub.add_parser("list", help="print the patient's check-ins as JSON lines, newest first")
        lst.add_argument("email")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            patient = get_patient_by_email_for_operator(Actor.cli(), opts["email"])
        except Http404 as exc:
            raise CommandError(str(exc)) from None
        if opts["action"] == "add":
            self._add(patient, opts)
        else:
            self._list(patient)

    def _add(self, patient: User, opts: dict[str, Any]) -> None:
        data: dict[str, object] = {s.name: opts[s.name] for s in SCALES}
        data["pain_locations"] = [c.strip() for c in opts["pain_locations"].split(",") if c.strip()]
        data["tags"] = opts["tags"]
        data["note"] = opts["note"]
        try:
            entry, created = do_record_checkin(
                Actor.cli(), patient, data, recorded_at=opts["at"], client_id=opts["client_id"]
            )
        except CheckInError as exc:
            raise CommandError(str(exc)) from None
        except CheckInConflict as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{'Recorded' if created else 'Already recorded'} check-in {entry.pk} on {entry.local_on}.")

    def _list(self, patient: User) -> None:
        _, entries = get_checkins_for_user(Actor.cli(), patient.pk)
        for entry in entries:
            row = {"id": entry.pk, "recorded_at": entry.recorded_at.isoformat(), "local_on": str(entry.local_on)}
            self.stdout.write(json.dumps({**row, **entry.content()}))
