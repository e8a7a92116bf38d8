"""painmind analyze — the cycle engine on CSV or Parquet files (no database needed) or on stored diaries.

The options, the file path and the writers are in `painmind.core.cycle.cli` (its docstring has the
usage), shared with the Django-free entry that `painmind` runs for files.  This command adds the
stored diaries (--patient/--all): operator access through accounts.access, audited.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from painmind.accounts.access import get_patient_by_email_for_operator, get_patient_for_user
from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import AuditAction, Role, User
from painmind.core.cycle import CycleInputError, analyze, cli
from painmind.insights.analysis import CYCLE_VARIABLES, diary_frame


class Command(BaseCommand):
    help = cli.HELP
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: Any, **opts: Any) -> None:
        def out(text: str) -> None:
            self.stdout.write(text, ending="")

        def err(text: str) -> None:
            self.stderr.write(text, ending="")

        try:
            if opts["csv"] is not None or opts["data"] is not None:
                cli.run_files(opts, out=out, err=err)
                return
            where = cli.targets(opts)
            variables, common = cli.common_options(opts)
            frame, kwargs = self._stored(opts)
            default = kwargs.pop("default_variables")
            many = cli.n_people(frame, kwargs["id_col"]) >= cli.PROGRESS_FROM
            result = analyze(
                frame, variables=variables or default, progress=cli.progress if many else None, **common, **kwargs
            )
            cli.write_outputs(result, where, out=out, err=err)
        except CycleInputError as exc:
            raise CommandError(str(exc)) from None

    def _stored(self, opts: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
        actor = Actor.cli()
        if opts["all"]:
            patients = list(User.objects.filter(role=Role.PATIENT, is_active=True))
        else:
            try:
                key = opts["patient"]
                patients = [
                    get_patient_for_user(actor, key) if key.isdigit() else get_patient_by_email_for_operator(actor, key)
                ]
            except Http404 as exc:
                raise CommandError(
                    str(exc) if "@" in opts["patient"] else f"no patient with id {opts['patient']}"
                ) from None
        frame = diary_frame(p.pk for p in patients)
        if frame.empty:
            raise CommandError("no check-ins stored for the selected patient(s)")
        record_many(actor, patients, AuditAction.EXPORT, "cycle_analysis")
        return frame, {"id_col": "patient_id", "time_col": "local_on", "default_variables": CYCLE_VARIABLES}
