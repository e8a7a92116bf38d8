"""Importing a tracker's CSV: every row checked first, then every row through diary's one check-in
action inside one transaction, so one bad row (or a conflict) stores nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from painmind.accounts.audit import Actor
from painmind.accounts.models import User
from painmind.core.checkin_import import Mapping, Plan, plan_import
from painmind.diary.actions import CheckInConflict, do_record_checkin
from painmind.diary.models import CheckIn


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, dry, would do): rows read, new check-ins, rows already stored
    (an earlier import of the same content), and every bad row with its reasons."""

    n_rows: int
    n_new: int
    n_already: int
    errors: dict[int, dict[str, list[str]]]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        """The report as plain lines, for the command and the page."""
        if self.errors:
            out = [f"{len(self.errors)} bad row(s) of {self.n_rows}; nothing imported:"]
            for line, fields in sorted(self.errors.items()):
                reasons = "; ".join(f"{name}: {' '.join(why)}" for name, why in fields.items())
                out.append(f"  line {line}: {reasons or 'invalid'}")
            return out
        verb = "would import" if self.dry_run else "imported"
        return [f"{self.n_rows} row(s): {verb} {self.n_new} new check-in(s); {self.n_already} already there"]


class ImportConflict(Exception):
    """A row's key was already used for a different check-in: nothing was imported."""


def do_import_checkin_file(
    actor: Actor, patient: User, data: bytes, mapping: Mapping, *, dry_run: bool = False
) -> ImportReport:
    """Import a CSV file of check-ins for `patient` (already access-checked) through `mapping`.

    Every row is converted and validated before anything is written; any bad row gives a
    report with every bad row and writes nothing. Otherwise (unless `dry_run`) every row goes
    through `diary.actions.do_record_checkin` with the uuid5 of its content as client id, all in
    one transaction: a row already imported is found by the unique (patient, client_id) index
    and left as it is, so importing a file twice adds nothing. Alerts and audit are the check-in
    action's. Raises ImportFileError (core) for an unreadable file and ImportConflict."""
    plan: Plan = plan_import(data, mapping, patient_tz=patient.tzinfo, now=timezone.now())
    n_rows = len(plan.entries) + len(plan.errors)
    if plan.errors:
        return ImportReport(n_rows, 0, 0, plan.errors, dry_run)
    # Rows stored by an earlier import are skipped without a write (a re-import costs one query,
    # not a refused insert per row); anything that slips between this read and the writes is
    # still kept once by the unique index, inside the check-in action.
    keys = [e.client_id for e in plan.entries]
    seen = set(CheckIn.objects.filter(patient=patient, client_id__in=keys).values_list("client_id", flat=True))
    todo = []
    for entry in plan.entries:  # a row twice in the file is new once
        if entry.client_id not in seen:
            todo.append(entry)
            seen.add(entry.client_id)
    if dry_run:
        return ImportReport(n_rows, len(todo), n_rows - len(todo), {}, dry_run)
    n_new = 0
    try:
        with transaction.atomic():
            for entry in todo:
                _, created = do_record_checkin(
                    actor, patient, entry.content, recorded_at=entry.recorded_at, client_id=entry.client_id
                )
                n_new += created
    except CheckInConflict as exc:
        raise ImportConflict(f"{exc}; nothing imported") from None
    return ImportReport(n_rows, n_new, n_rows - n_new, {}, dry_run)
    n_new = 0
    try:
        with transaction.atomic():
            for entry in plan.entries:
                _, created = do_record_checkin(
                    actor, patient, entry.content, recorded_at=entry.recorded_at, client_id=entry.client_id
                )
                n_new += created
    except CheckInConflict as exc:
        raise ImportConflict(f"{exc}; nothing imported") from None
    return ImportReport(n_rows, n_new, n_rows - n_new, {}, dry_run)
