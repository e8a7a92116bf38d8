"""`painmind analyze` on files, without Django: the one argument parser and the file path.

painmind analyze --data FILE|DIR|GLOB --id-col ID --time-col TIME [--day-col DAY --beep-col BEEP]
                 --vars pain,mood,… [--trend] [--min-pairs N] [--engine local|dask] [--scheduler ADDR]
                 [--out FILE.parquet|.csv|.json] [--summary FILE] [--cohort-out FILE] [--no-cohort]
                 [--format parquet|csv|json|table]
painmind analyze --patient EMAIL|ID   or   --all        (stored diaries; operator access is audited)

--out holds the tidy long table (one row per person × equation × predictor), --summary one row
per person, --cohort-out one row per cohort edge; each file's format is its suffix's.  Without
--out the long table goes to standard output as CSV (or --format table / json).  JSON is written
only when asked, streamed (docs/cycle.md, "Running it").

Two entries share `add_arguments`: the Django command (insights/management/commands/analyze.py,
for every call, and the only one for stored diaries) and `main`, which `painmind` runs before
setting Django up when the data come from files (--data/--csv): Django and pandas cost about 2 s
of start-up that a Parquet → Parquet run does not need.  `main` leaves anything else to Django
(stored diaries, --help, a call its parser rejects, Django's own options), so help and usage
errors are always Django's; its own errors are printed as Django prints a CommandError.
"""

from __future__ import annotations

import os
import sys
from argparse import ArgumentParser
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from painmind.core.cycle.lags import DEFAULT_VARIABLES
from painmind.core.cycle.research import analyze_parquet, analyze_table
from painmind.core.cycle.result import CycleInputError, CycleResult
from painmind.core.cycle.result.export import FORMATS, format_of, stream_json, write_json, write_parquet, write_table
from painmind.core.cycle.result.tidy import cohort_table, long_batches, long_table, summary_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HELP", "add_arguments", "common_options", "main", "progress", "run_files", "targets", "write_outputs"]

HELP = "Estimate each person's lag-1 pain–mood network (and the cohort's) from a CSV or stored diaries."
PROGRESS_FROM = 2_000  # patients: below this a run takes well under a second

Write = Callable[[str], object]  # writes its text as given (no newline added)


def add_arguments(parser: ArgumentParser) -> None:
    """Every option of `painmind analyze` (both entries: one definition)."""
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


class _Rejected(Exception):
    """The parser of `main` would have printed a usage error: Django's command prints it instead."""


class _Parser(ArgumentParser):
    def error(self, message: str) -> Any:  # Django's parser reports it
        raise _Rejected


def main(argv: Sequence[str]) -> int | None:
    """Run ``painmind analyze ARGV`` on files and return the exit code; None leaves the call to Django."""
    parser = _Parser(prog="painmind analyze", description=HELP, add_help=False)  # -h, --help: "rejected"
    add_arguments(parser)
    try:
        opts = vars(parser.parse_args(list(argv)))
    except _Rejected:
        return None
    if opts["data"] is None and opts["csv"] is None:
        return None  # stored diaries: Django, the access rules and the audit
    _arrow_memory_pool()
    try:
        run_files(opts, out=sys.stdout.write, err=sys.stderr.write)
    except CycleInputError as exc:
        sys.stdout.flush()
        sys.stderr.write(f"CommandError: {exc}\n")  # as Django prints a CommandError
        return 1
    return 0


def _arrow_memory_pool() -> None:
    """Arrow's buffers from jemalloc where the wheel has it, unless ARROW_DEFAULT_MEMORY_POOL says.

    pyarrow's default, mimalloc, cost about 1.2 CPU s more system time in a 100k-patient run
    (the Parquet read alone: 1.1 s of system time against 0.2 s) and 0.2 GB more peak memory
    (docs/benchmarks.md, "painmind analyze end to end").  Only where the buffers come from changes.
    """
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return
    with suppress(NotImplementedError):  # a build without jemalloc: Arrow's default
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def common_options(opts: dict[str, Any]) -> tuple[list[str] | None, dict[str, Any]]:
    """The variables asked for (None: the default) and the options every source shares."""
    variables = [v.strip() for v in opts["vars"].split(",") if v.strip()] if opts["vars"] else None
    common = {"trend": opts["trend"], "min_pairs": opts["min_pairs"], "cohort": not opts["no_cohort"],
              "engine": opts["engine"], "scheduler": opts["scheduler"]}  # fmt: skip
    if opts["same_day"] is not None or opts["csv"] is not None or opts["data"] is not None:
        # Files: only the variables named (a CSV's sleep column may mean anything); stored
        # diaries: the check-in's declared last-night fields (analyze's default).
        common["same_day"] = [v.strip() for v in (opts["same_day"] or "").split(",") if v.strip()]
    return variables, common


def run_files(opts: dict[str, Any], *, out: Write, err: Write) -> None:
    """The file path of `painmind analyze` (--data/--csv): read, analyze, write.  CycleInputError: bad input."""
    where = targets(opts)
    variables, common = common_options(opts)
    result = _files(opts, variables, common)
    write_outputs(result, where, out=out, err=err)


def _files(opts: dict[str, Any], variables: list[str] | None, common: dict[str, Any]) -> CycleResult:
    source = str(opts["csv"] if opts["csv"] is not None else opts["data"])
    arg = "--csv" if opts["csv"] is not None else "--data"
    kwargs = _time_columns(opts)
    kwargs["variables"] = variables or DEFAULT_VARIABLES
    if opts["csv"] is not None or source.lower().endswith(".csv"):
        frame, kwargs["id_col"] = _read_csv(Path(source), arg, opts["id_col"])
        many = n_people(frame, kwargs["id_col"]) >= PROGRESS_FROM
        report = progress if many else None
        wanted = [
            kwargs["id_col"],
            *(kwargs.get(c) for c in ("time_col", "day_col", "beep_col")),
            *kwargs["variables"],
        ]
        try:
            table = pa.Table.from_pandas(frame[[c for c in dict.fromkeys(wanted) if c in frame]], preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed values in a column: analyze names it
            from painmind.core.cycle.engine import analyze

            return analyze(frame, progress=report, **common, **kwargs)
        return analyze_table(table, progress=report, **common, **kwargs)
    if opts["id_col"] is None:
        raise CycleInputError(f"{arg}: Parquet input needs --id-col")
    kwargs["id_col"] = opts["id_col"]
    try:
        return analyze_parquet(source, progress=progress, **common, **kwargs)
    except (pa.ArrowException, OSError) as exc:
        raise CycleInputError(f"{arg}: cannot read {source}: {str(exc).splitlines()[0]}") from None


def progress(done: int, total: int) -> None:
    """A progress bar on standard error for runs of at least PROGRESS_FROM people (a tty: as it goes)."""
    if total < PROGRESS_FROM:
        return
    end = "\n" if done >= total else ""
    if sys.stderr.isatty() or done >= total:
        bar = "#" * int(30 * done / total)
        sys.stderr.write(f"\ranalyzing [{bar:<30}] {done:,}/{total:,} patients{end}")
        sys.stderr.flush()


def write_outputs(result: CycleResult, where: dict[str, Any], *, out: Write, err: Write) -> None:
    """The long table to --out (or standard output), then --summary and --cohort-out, each named on `err`."""
    fmt, path = where["format"], where["out"]
    summary = summary_table(result)
    if path is not None and fmt == "parquet":  # the common case: written part by part as it is built
        write_parquet(long_batches(result), path)
        err(f"wrote {path}\n")
        _write_others(result, summary, where, err)
        return
    long = long_table(result)
    if path is None:
        if fmt == "table":
            out(_table(result) + "\n")
        elif fmt == "json":
            for chunk in stream_json(result, long, summary):
                out(chunk.decode("utf-8"))
        else:
            out(_csv_text(long))
    else:
        if fmt == "json":
            write_json(result, long, summary, path)
        elif fmt == "table":
            path.write_text(_table(result) + "\n", encoding="utf-8")
        else:
            write_table(long, path, fmt)
        err(f"wrote {path}\n")
    _write_others(result, summary, where, err)


def _write_others(result: CycleResult, summary: pa.Table, where: dict[str, Any], err: Write) -> None:
    if where["summary"] is not None:
        write_table(summary, where["summary"], format_of(where["summary"], "--summary"))
        err(f"wrote {where['summary']}\n")
    if where["cohort_out"] is not None:
        cohort = cohort_table(result)
        if cohort is None:
            raise CycleInputError("--cohort-out: no cohort was pooled (drop --no-cohort)")
        write_table(cohort, where["cohort_out"], format_of(where["cohort_out"], "--cohort-out"))
        err(f"wrote {where['cohort_out']}\n")


def targets(opts: dict[str, Any]) -> dict[str, Any]:
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
        raise CycleInputError("give --time-col, or --day-col with --beep-col")
    if bool(opts["day_col"]) != bool(opts["beep_col"]):
        raise CycleInputError("--day-col and --beep-col go together")
    if opts["day_col"]:
        return {"day_col": opts["day_col"], "beep_col": opts["beep_col"], "day_format": opts["day_format"]}
    return {"time_col": opts["time_col"], "day_format": opts["day_format"]}


def _read_csv(path: Path, arg: str, id_col: str | None) -> tuple[pd.DataFrame, str]:
    import pandas as pd

    try:
        frame = pd.read_csv(path, low_memory=False)
    except (FileNotFoundError, IsADirectoryError):
        raise CycleInputError(f"{arg}: no such file: {path}") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise CycleInputError(f"{arg}: cannot read {path}: {str(exc).splitlines()[0]}") from None
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


def n_people(frame: pd.DataFrame, id_col: str) -> int:
    """The distinct ids in `frame` (0 without the column: analyze names it)."""
    return int(frame[id_col].nunique()) if id_col in frame.columns else 0


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
