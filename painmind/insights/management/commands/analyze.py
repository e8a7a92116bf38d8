"""painmind analyze — the cycle engine on CSV or Parquet files (no database needed) or on stored diaries.

painmind analyze --data FILE|DIR|GLOB --id-col ID --time-col TIME [--day-col DAY --beep-col BEEP]
                 --vars pain,mood,… [--trend] [--min-pairs N] [--engine local|dask] [--scheduler ADDR]
                 [--out FILE.parquet|.csv|.json] [--summary FILE] [--cohort-out FILE] [--no-cohort]
                 [--format parquet|csv|json|table]
painmind analyze --patient EMAIL|ID   or   --all        (stored diaries; operator access is audited)

--out holds the tidy long table (one row per person × equation × predictor), --summary one row
per person, --cohort-out one row per cohort edge; each file's format is its suffix's.  Without
--out the long table goes to standard output as CSV (or --format table / json).  JSON is written
only when asked, streamed (docs/cycle.md, "Running it").
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from painmind.accounts.access import get_patient_by_email_for_operator, get_patient_for_user
from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import AuditAction, Role, User
from painmind.core.cycle import DEFAULT_VARIABLES, CycleInputError, CycleResult, analyze
from painmind.core.cycle.research import analyze_parquet, analyze_table
from painmind.core.cycle.result.export import FORMATS, format_of, stream_json, write_json, write_table
from painmind.core.cycle.result.tidy import cohort_table, long_table, summary_table
from painmind.insights.analysis import CYCLE_VARIABLES, diary_frame

PROGRESS_FROM = 2_000  # patients: below this a run takes well under a second


class Command(BaseCommand):
    help = "Estimate each person's lag-1 pain–mood network (and the cohort's) from a CSV or stored diaries."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--data", help="long-format data, one row per observation: a .csv or .parquet file, or a directory or "
            "glob of Parquet files (with --engine dask each worker reads its own files: keep each person in one)"
        )  # fmt: skip
        source.add_argument("--csv", type=Path, help="the same as --data for a CSV file (kept for old scripts)")
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
        parser.add_argument(
            "--format", choices=["parquet", "csv", "json", "table"],
            help="of the long table (default: the --out suffix; without --out, csv on standard output)",
        )  # fmt: skip
        parser.add_argument("--out", type=Path, help="the long table: one row per person × equation × predictor")
        parser.add_argument("--summary", type=Path, help="one row per person (.parquet, .csv or .json)")
        parser.add_argument("--cohort-out", type=Path, help="one row per cohort edge (.parquet, .csv or .json)")
        parser.add_argument("--no-cohort", action="store_true", help="skip the cohort pooling (and shrunk estimates)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            targets = _targets(opts)
        except CycleInputError as exc:
            raise CommandError(str(exc)) from None
        variables = [v.strip() for v in opts["vars"].split(",") if v.strip()] if opts["vars"] else None
        common = {"trend": opts["trend"], "min_pairs": opts["min_pairs"], "cohort": not opts["no_cohort"],
                  "engine": opts["engine"], "scheduler": opts["scheduler"]}  # fmt: skip
        if opts["same_day"] is not None or opts["csv"] is not None or opts["data"] is not None:
            # Files: only the variables named (a CSV's sleep column may mean anything); stored
            # diaries: the check-in's declared last-night fields (analyze's default).
            common["same_day"] = [v.strip() for v in (opts["same_day"] or "").split(",") if v.strip()]
        try:
            if opts["csv"] is not None or opts["data"] is not None:
                result = self._files(opts, variables, common)
            else:
                frame, kwargs = self._stored(opts)
                default = kwargs.pop("default_variables")
                many = _n_people(frame, kwargs["id_col"]) >= PROGRESS_FROM
                result = analyze(
                    frame, variables=variables or default, progress=self._progress if many else None,
                    **common, **kwargs,
                )  # fmt: skip
            self._write(result, targets)
        except CycleInputError as exc:
            raise CommandError(str(exc)) from None

    def _files(self, opts: dict[str, Any], variables: list[str] | None, common: dict[str, Any]) -> CycleResult:
        source = str(opts["csv"] if opts["csv"] is not None else opts["data"])
        arg = "--csv" if opts["csv"] is not None else "--data"
        kwargs = _time_columns(opts)
        kwargs["variables"] = variables or DEFAULT_VARIABLES
        if opts["csv"] is not None or source.lower().endswith(".csv"):
            frame, kwargs["id_col"] = _read_csv(Path(source), arg, opts["id_col"])
            many = _n_people(frame, kwargs["id_col"]) >= PROGRESS_FROM
            progress = self._progress if many else None
            wanted = [
                kwargs["id_col"],
                *(kwargs.get(c) for c in ("time_col", "day_col", "beep_col")),
                *kwargs["variables"],
            ]
            try:
                table = pa.Table.from_pandas(
                    frame[[c for c in dict.fromkeys(wanted) if c in frame]], preserve_index=False
                )
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed values in a column: analyze names it
                return analyze(frame, progress=progress, **common, **kwargs)
            return analyze_table(table, progress=progress, **common, **kwargs)
        if opts["id_col"] is None:
            raise CommandError(f"{arg}: Parquet input needs --id-col")
        kwargs["id_col"] = opts["id_col"]
        try:
            return analyze_parquet(source, progress=self._progress, **common, **kwargs)
        except (pa.ArrowException, OSError) as exc:
            raise CommandError(f"{arg}: cannot read {source}: {str(exc).splitlines()[0]}") from None

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
        if total < PROGRESS_FROM:
            return
        end = "\n" if done >= total else ""
        if sys.stderr.isatty() or done >= total:
            bar = "#" * int(30 * done / total)
            sys.stderr.write(f"\ranalyzing [{bar:<30}] {done:,}/{total:,} patients{end}")
            sys.stderr.flush()

    def _write(self, result: CycleResult, targets: dict[str, Any]) -> None:
        fmt, out = targets["format"], targets["out"]
        long, summary = long_table(result), summary_table(result)
        if out is None:
            if fmt == "table":
                self.stdout.write(_table(result))
            elif fmt == "json":
                for chunk in stream_json(result, long, summary):
                    self.stdout.write(chunk.decode("utf-8"), ending="")
            else:
                self.stdout.write(_csv_text(long))
        else:
            if fmt == "json":
                write_json(result, long, summary, out)
            elif fmt == "table":
                out.write_text(_table(result) + "\n", encoding="utf-8")
            else:
                write_table(long, out, fmt)
            self.stderr.write(f"wrote {out}")
        if targets["summary"] is not None:
            write_table(summary, targets["summary"], format_of(targets["summary"], "--summary"))
            self.stderr.write(f"wrote {targets['summary']}")
        if targets["cohort_out"] is not None:
            cohort = cohort_table(result)
            if cohort is None:
                raise CycleInputError("--cohort-out: no cohort was pooled (drop --no-cohort)")
            write_table(cohort, targets["cohort_out"], format_of(targets["cohort_out"], "--cohort-out"))
            self.stderr.write(f"wrote {targets['cohort_out']}")


def _targets(opts: dict[str, Any]) -> dict[str, Any]:
    """The output files and the long table's format, checked before any work (bad ones: nothing is written)."""
    for arg in ("out", "summary", "cohort_out"):
        path = opts[arg]
        flag = "--" + arg.replace("_", "-")
        if path is None:
            continue
        if not path.parent.is_dir():
            raise CycleInputError(f"{flag}: no such directory: {path.parent}")
        if path.is_dir():
            raise CycleInputError(f"{flag}: {path} is a directory")
        if arg != "out" or opts["format"] is None:
            format_of(path, flag)
    out, fmt = opts["out"], opts["format"]
    if fmt is None:
        fmt = "csv" if out is None else FORMATS[out.suffix.lower()]
    if fmt == "parquet" and out is None:
        raise CycleInputError("--format parquet needs --out FILE")
    if opts["no_cohort"] and opts["cohort_out"] is not None:
        raise CycleInputError("--cohort-out needs the cohort: drop --no-cohort")
    return {"format": fmt, "out": out, "summary": opts["summary"], "cohort_out": opts["cohort_out"]}


def _time_columns(opts: dict[str, Any]) -> dict[str, Any]:
    if not (opts["time_col"] or (opts["day_col"] and opts["beep_col"])):
        raise CommandError("give --time-col, or --day-col with --beep-col")
    if bool(opts["day_col"]) != bool(opts["beep_col"]):
        raise CommandError("--day-col and --beep-col go together")
    if opts["day_col"]:
        return {"day_col": opts["day_col"], "beep_col": opts["beep_col"], "day_format": opts["day_format"]}
    return {"time_col": opts["time_col"], "day_format": opts["day_format"]}


def _read_csv(path: Path, arg: str, id_col: str | None) -> tuple[pd.DataFrame, str]:
    try:
        frame = pd.read_csv(path, low_memory=False)
    except (FileNotFoundError, IsADirectoryError):
        raise CommandError(f"{arg}: no such file: {path}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise CommandError(f"{arg}: cannot read {path}: {str(exc).splitlines()[0]}") from None
    if id_col is None:
        # One person's experience-sampling file has no id column: name them after the file.
        return frame.assign(_person=path.stem), "_person"
    return frame, id_col


def _csv_text(table: pa.Table) -> str:
    import io

    import pyarrow.csv as pcsv

    buffer = io.BytesIO()
    dense = pa.table(
        [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns],
        names=table.column_names,
    )
    pcsv.write_csv(dense, buffer)
    return buffer.getvalue().decode("utf-8")


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
