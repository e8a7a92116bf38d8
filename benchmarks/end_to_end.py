"""`painmind analyze` end to end: process start to files written, beside the kernel and the file read.

Run through benchmarks/cycle.py (``--end-to-end 10000,100000``).  For each size: synthetic
diaries (core.synth, 90 days, 6 variables, ~10 % of days missed) written once as Parquet; then,
each in a fresh ``python -m painmind analyze`` process timed from the outside (wall clock,
subprocess start to exit, after the files are written; and the child's CPU seconds): Parquet →
Parquet (long + per-person tables; without the per-person table; without the cohort pooling),
→ CSV, → JSON.  The venv as scripts/install.sh leaves it (with bytecode), as CI's fresh clone
runs it.  Beside them, in this process, the command's phases one by one (CPU seconds, all
threads): the read of the input's columns, the daily grid, the kernel (pairs_from_dense +
fit_patients, after a warm-up), the cohort pooling with its bias correction (pool_fits), and the
tidy tables with their Parquet files; and two start-ups: the file path on a 50-person file
(interpreter and imports, no Django) and ``painmind analyze --help`` (Django's command).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from benchmarks._docs import git_commit, replace_section
from painmind.core.cycle import CycleResult, fit_patients, pairs_from_dense
from painmind.core.cycle.cohort import pool_fits
from painmind.core.cycle.daily import daily_grid
from painmind.core.cycle.research import read_file
from painmind.core.cycle.result.export import write_table
from painmind.core.cycle.result.tidy import long_table, summary_table
from painmind.core.synth import generate_cohort

VARIABLES = ("pain", "mood", "anxiety", "stress", "sleep_quality", "activity_minutes")
DAYS = 90
ROOT = Path(__file__).resolve().parent.parent


def _best(fn, repeat):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _cpu(fn, repeat=1):
    """The least CPU seconds (all threads) of `repeat` calls, and the last call's result."""
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.process_time()
        out = fn()
        best = min(best, time.process_time() - start)
    return best, out


def _command(args, env, repeat):
    """Best wall seconds of `repeat` fresh ``python -m painmind analyze ARGS``, and that run's CPU seconds."""
    best, cpu = np.inf, np.inf
    for _ in range(repeat):
        before = os.times()
        start = time.perf_counter()
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "painmind", "analyze", *args], cwd=ROOT, env=env, capture_output=True,
            text=True, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        wall = time.perf_counter() - start
        after = os.times()
        if proc.returncode:
            raise SystemExit(f"painmind analyze {' '.join(args)} failed: {proc.stderr.strip()}")
        if wall < best:
            best = wall
            cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return best, cpu


def _as_the_command():
    """This process's memory set up as `painmind analyze` sets up its own (painmind/cli.py PROCESS_ENV,
    core/cycle/cli.py): numpy without transparent huge pages, Arrow's buffers from jemalloc."""
    # numpy is imported already (the env var is too late): its private switch, untyped in its stubs.
    from numpy._core.multiarray import _set_madvise_hugepage  # type: ignore[attr-defined]

    _set_madvise_hugepage(os.environ.get("NUMPY_MADVISE_HUGEPAGE", "0") != "0")
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        import pyarrow as pa

        pa.set_memory_pool(pa.jemalloc_memory_pool())


def _phases(source, folder):
    """CPU seconds of the command's phases, in this process (their data freed on return)."""
    _as_the_command()
    columns = ["patient_id", "date", *VARIABLES]
    read_s, table = _cpu(lambda: read_file(str(source), columns, "patient_id"), 3)
    grid_s, grid = _cpu(lambda: daily_grid(table, id_col="patient_id", time_col="date", variables=VARIABLES), 2)
    assert grid is not None
    kernel = lambda: fit_patients(pairs_from_dense(grid.values, patient_ids=grid.patient_ids, variables=VARIABLES))  # noqa: E731
    fits = kernel()
    kernel_s, _ = _cpu(kernel, 3)
    cohort_s, pooled = _cpu(lambda: pool_fits(fits), 1)
    result = CycleResult(variables=fits.variables, fits=fits, cohort=pooled, helps=None)

    def tables():
        write_table(long_table(result), folder / "phase-long.parquet", "parquet")
        write_table(summary_table(result), folder / "phase-people.parquet", "parquet")

    tables_s, _ = _cpu(tables, 2)
    return read_s, grid_s, kernel_s, cohort_s, tables_s


def one_size(n, seed, folder, env):
    data = generate_cohort(n, DAYS, variables=VARIABLES, rng=np.random.default_rng(seed)).data
    data = data[["patient_id", "local_date", *VARIABLES]].rename(columns={"local_date": "date"})
    source = folder / f"diary-{n}.parquet"
    data.to_parquet(source, index=False)
    tiny = folder / "diary-tiny.parquet"
    data[data["patient_id"].isin(data["patient_id"].unique()[:50])].to_parquet(tiny, index=False)
    rows = len(data)
    del data
    read_s, grid_s, kernel_s, cohort_s, tables_s = _phases(source, folder)
    base = ["--data", str(source), "--id-col", "patient_id", "--time-col", "date", "--vars", ",".join(VARIABLES)]
    out = {fmt: folder / f"long-{n}.{fmt}" for fmt in ("parquet", "csv", "json")}
    people = {fmt: folder / f"people-{n}.{fmt}" for fmt in ("parquet", "csv")}
    tiny_args = ["--data", str(tiny), *base[2:], "--out", str(folder / "long-tiny.parquet")]
    startup_s, _ = _command(tiny_args, env, 3)
    django_s, _ = _command(["--help"], env, 3)
    load = os.getloadavg()[0]
    parquet_args = [*base, "--out", str(out["parquet"]), "--summary", str(people["parquet"])]
    e2e_s, e2e_cpu = _command(parquet_args, env, 3)
    e2e_long_s, _ = _command([*base, "--out", str(out["parquet"])], env, 2)
    e2e_nocohort_s, _ = _command([*parquet_args, "--no-cohort"], env, 2)
    csv_s, _ = _command([*base, "--out", str(out["csv"]), "--summary", str(people["csv"])], env, 1)
    json_s, _ = _command([*base, "--out", str(out["json"])], env, 1)
    files = (("long", out), ("people", people))
    size = {f"{kind}_{fmt}": p.stat().st_size / 1e6 for kind, d in files for fmt, p in d.items()}
    return {
        "n": n, "rows": rows, "input_mb": source.stat().st_size / 1e6, "read_s": read_s, "grid_s": grid_s,
        "kernel_s": kernel_s, "cohort_s": cohort_s, "tables_s": tables_s, "startup_s": startup_s,
        "django_s": django_s, "e2e_s": e2e_s, "e2e_cpu": e2e_cpu, "e2e_long_s": e2e_long_s,
        "e2e_nocohort_s": e2e_nocohort_s, "csv_s": csv_s, "json_s": json_s, "load": load, **size,
    }  # fmt: skip


def run_end_to_end(sizes, path, seed):
    env = {**os.environ}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env.setdefault("PAINMIND_DATA_DIR", str(Path(tmp) / "var"))
        for n in sizes:
            row = one_size(n, seed, Path(tmp), env)
            rows.append(row)
            floor = row["kernel_s"] + row["read_s"]
            print(
                f"{n:>7,} patients: analyze Parquet→Parquet {row['e2e_s']:.2f} s ({row['e2e_cpu']:.2f} CPU s; "
                f"long only {row['e2e_long_s']:.2f} s, no cohort {row['e2e_nocohort_s']:.2f} s), "
                f"kernel {row['kernel_s']:.3f} s + read {row['read_s']:.3f} s = {row['e2e_s'] / floor:.1f}×, "
                f"grid {row['grid_s']:.3f} s, cohort {row['cohort_s']:.2f} s, tables {row['tables_s']:.2f} s, "
                f"startup {row['startup_s']:.2f} s (Django --help {row['django_s']:.2f} s), "
                f"CSV {row['csv_s']:.2f} s, JSON {row['json_s']:.2f} s, load {row['load']:.2f}",
                flush=True,
            )
    write(path, rows, sizes)


def write(path, rows, sizes):
    commit = git_commit()
    lines = [
        "## painmind analyze end to end (`benchmarks/cycle.py --end-to-end`)",
        "",
        f"Command: `.venv/bin/python benchmarks/cycle.py --end-to-end {','.join(map(str, sizes))} --skip-engine` — "
        f"run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit} on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        f"Synthetic diaries from `core.synth` ({DAYS} days, 6 variables, ~10 % of days missed) as one Parquet file, "
        "the venv as `scripts/install.sh` leaves it (with bytecode). *Whole command* = `python -m painmind analyze "
        "--data in.parquet … --out long.parquet --summary people.parquet` in a fresh process, wall clock from start "
        "to exit (best of 3), and that run's CPU seconds (user + system, both cores); *long only*: without "
        "`--summary`, *no cohort*: with `--no-cohort` (best of 2). The command's phases, each in the benchmark's "
        "process, in CPU seconds: *read* = the needed columns of the file (`research.read_file`, best of 3); *grid* "
        "= `daily_grid`; *kernel* = `pairs_from_dense` + `fit_patients` on the grid (best of 3 after a warm-up); "
        "*cohort* = `pool_fits` (pooling with the bias correction); *tables* = the long and per-person tables "
        "built and written as Parquet. *Startup* = the command on a 50-person file (interpreter and imports: the "
        "file path needs no Django); *Django* = `painmind analyze --help` (Django's command, as `--patient` / "
        "`--all` start). *load* = the 1-minute load average before the timed commands (other work on this 2-core "
        "machine slows every number).",
        "",
        "| patients | rows | input MB | read s | grid s | kernel s | cohort s | tables s | startup s | Django s "
        "| whole command s | CPU s | × (kernel + read) | long only s | no cohort s | → CSV s | → JSON s | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        floor = r["kernel_s"] + r["read_s"]
        lines.append(
            f"| {r['n']:,} | {r['rows']:,} | {r['input_mb']:.1f} | {r['read_s']:.3f} | {r['grid_s']:.3f} | "
            f"{r['kernel_s']:.3f} | {r['cohort_s']:.2f} | {r['tables_s']:.2f} | {r['startup_s']:.2f} | "
            f"{r['django_s']:.2f} | {r['e2e_s']:.2f} | {r['e2e_cpu']:.2f} | {r['e2e_s'] / floor:.1f}× | "
            f"{r['e2e_long_s']:.2f} | {r['e2e_nocohort_s']:.2f} | {r['csv_s']:.2f} | {r['json_s']:.2f} | "
            f"{r['load']:.2f} |"
        )
    lines += [
        "",
        "Output sizes (MB):",
        "",
        "| patients | long Parquet | long CSV | JSON (long + per-person) | per-person Parquet | per-person CSV |",
        "|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {r['n']:,} | {r['long_parquet']:.1f} | {r['long_csv']:.1f} | {r['long_json']:.1f} | "
            f"{r['people_parquet']:.2f} | {r['people_csv']:.2f} |"
            for r in rows
        ),
        "",
    ]
    big = next((r for r in rows if r["n"] == 100_000), None)
    if big is not None:
        floor = big["kernel_s"] + big["read_s"]
        met = "met" if big["e2e_s"] <= min(3.0, 3 * floor) else "missed"
        lines.append(
            f"Target from issue 11: 100k patients Parquet → Parquet within 3× (kernel + read) and ≤ 3 s: "
            f"{big['e2e_s']:.2f} s = {big['e2e_s'] / floor:.1f}× — {met}."
        )
        lines.append("")
    replace_section(path, "## painmind analyze end to end", lines)
