"""painmind analyze — the cycle engine on a CSV file (no database needed) or on stored diaries.

painmind analyze --csv FILE --id-col ID --time-col TIME [--day-col DAY --beep-col BEEP]
                 --vars pain,mood,… [--trend] [--min-pairs N] [--engine local|dask]
                 [--scheduler ADDR] [--format json|csv|table] [--out FILE]
painmind analyze --patient EMAIL|ID   or   --all        (stored diaries; operator access is audited)
"""

from __future__ import annotations

import csv
import io
import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from painmind.accounts.access import get_patient_by_email_for_operator, get_patient_for_user
from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import AuditAction, Role, User
from painmind.core.cycle import DEFAULT_VARIABLES, CycleInputError, CycleResult, analyze
from painmind.insights.analysis import CYCLE_VARIABLES, diary_frame

PROGRESS_FROM = 2_000  # patients: below this a run takes well under a second


class Command(BaseCommand):
    help = "Estimate each person's lag-1 pain–mood network (and the cohort's) from a CSV or stored diaries."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--csv", type=Path, help="long-format CSV: one row per observation")
        source.add_argument("--patient", help="a stored patient's email or id")
        source.add_argument("--all", action="store_true", help="every active patient's stored diary")
        parser.add_argument("--id-col", help="CSV: the person column (without it, the file is one person)")
        parser.add_argument("--time-col", help="CSV: a date (daily diary) or a timestamp column")
        parser.add_argument("--day-col", help="CSV: the day key, with --beep-col for several prompts a day")
        parser.add_argument("--beep-col", help="CSV: the prompt number within the day")
        parser.add_argument("--day-format", help="CSV: strftime format of --day-col dates, e.g. %%d/%%m/%%y")
        parser.add_argument("--vars", help=f"comma-separated variables (default {','.join(DEFAULT_VARIABLES)})")
        parser.add_argument(
            "--same-day",
            metavar="VARS",
            help="comma-separated variables whose value on a day describes the night before it (e.g. "
            "sleep_hours,sleep_quality): paired with that same day's outcomes (CSV default: none; "
            "stored diaries: the check-in's sleep fields)",
        )
        parser.add_argument("--trend", action="store_true", help="add a linear time trend to every equation")
        parser.add_argument("--min-pairs", type=int, default=20, help="fewer valid pairs: insufficient_data")
        parser.add_argument("--engine", choices=["local", "dask"], default="local")
        parser.add_argument("--scheduler", help="Dask scheduler address (default: a local 2-process cluster)")
        parser.add_argument("--format", choices=["json", "csv", "table"], default="json")
        parser.add_argument("--out", type=Path, help="write here instead of standard output")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["csv"] is not None:
            frame, kwargs = self._csv(opts)
        else:
            frame, kwargs = self._stored(opts)
        variables = [v.strip() for v in opts["vars"].split(",") if v.strip()] if opts["vars"] else None
        try:
            result = analyze(
                frame,
                variables=variables or kwargs.pop("default_variables", DEFAULT_VARIABLES),
                trend=opts["trend"],
                min_pairs=opts["min_pairs"],
                engine=opts["engine"],
                scheduler=opts["scheduler"],
                progress=self._progress if _n_people(frame, kwargs["id_col"]) >= PROGRESS_FROM else None,
                same_day=[v.strip() for v in (opts["same_day"] or "").split(",") if v.strip()]
                if opts["same_day"] is not None or opts["csv"] is not None
                else None,
                **kwargs,
            )
        except CycleInputError as exc:
            raise CommandError(str(exc)) from None
        self._write(result, opts["format"], opts["out"])

    def _csv(self, opts: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
        if not (opts["time_col"] or (opts["day_col"] and opts["beep_col"])):
            raise CommandError("give --time-col, or --day-col with --beep-col")
        if bool(opts["day_col"]) != bool(opts["beep_col"]):
            raise CommandError("--day-col and --beep-col go together")
        try:
            frame = pd.read_csv(opts["csv"], low_memory=False)
        except FileNotFoundError:
            raise CommandError(f"--csv: no such file: {opts['csv']}") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise CommandError(f"--csv: cannot read {opts['csv']}: {str(exc).splitlines()[0]}") from None
        id_col = opts["id_col"]
        if id_col is None:
            # One person's experience-sampling file has no id column: name them after the file.
            id_col = "_person"
            frame = frame.assign(_person=opts["csv"].stem)
        kwargs: dict[str, Any] = {"id_col": id_col}
        if opts["day_col"]:
            kwargs.update(day_col=opts["day_col"], beep_col=opts["beep_col"])
        else:
            kwargs["time_col"] = opts["time_col"]
        kwargs["day_format"] = opts["day_format"]
        return frame, kwargs

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

    def _progress(self, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        if sys.stderr.isatty() or done >= total:
            bar = "#" * int(30 * done / total)
            sys.stderr.write(f"\ranalyzing [{bar:<30}] {done:,}/{total:,} patients{end}")
            sys.stderr.flush()

    def _write(self, result: CycleResult, fmt: str, out: Path | None) -> None:
        if fmt == "json":
            text = json.dumps(result.to_json(), indent=2, allow_nan=False)
        elif fmt == "csv":
            rows = result.to_rows()
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            text = buffer.getvalue()
        else:
            text = _table(result)
        if out is None:
            self.stdout.write(text)
        else:
            out.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
            self.stderr.write(f"wrote {out}")


def _n_people(frame: pd.DataFrame, id_col: str) -> int:
    return int(frame[id_col].nunique()) if id_col in frame.columns else 0  # a missing column: analyze says so


def _table(result: CycleResult) -> str:
    data: dict[str, Any] = result.to_json()
    lines = []
    for patient in data["patients"]:
        lines.append(f"{patient['id']}: {patient['status']} ({patient['n_pairs']} pairs) {patient['message']}".rstrip())
        for e in patient["edges"]:
            if e["coef"] is None:
                continue
            interval = f"[{e['ci_low']:+.3f}, {e['ci_high']:+.3f}]"
            lines.append(f"  {e['from']:>18} -> {e['to']:<18} {e['coef']:+.3f} {interval} q={e['q']:.3g}")
    cohort = data.get("cohort")
    if cohort:
        lines.append(f"cohort ({cohort['n_patients']} patients):")
        for e in cohort["edges"]:
            if e["estimate"] is not None:
                lines.append(
                    f"  {e['from']:>18} -> {e['to']:<18} {e['estimate']:+.3f} p={e['p']:.3g} tau={e['tau']:.3f}"
                )
    return "\n".join(lines)
