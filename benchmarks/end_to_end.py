"""`painmind analyze` end to end: process start to files written, beside the kernel and the file read.

Run through benchmarks/cycle.py (``--end-to-end 10000,100000``).  For each size: synthetic
diaries (core.synth, 90 days, 6 variables, ~10 % of days missed) written once as Parquet; then,
each in a fresh ``python -m painmind analyze`` process timed from the outside (wall clock,
subprocess start to exit, after the files are written): Parquet → Parquet (long + per-person
tables; with the cohort pooling and without), → CSV, → JSON.  Beside them, in this process:
one read of the input's columns (pyarrow), the kernel alone (pairs_from_dense + fit_patients on
the grid, after a warm-up), the cohort pooling, and ``painmind analyze --help`` (interpreter,
Django and imports: the cost of any command).
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
import pyarrow.parquet as pq

from benchmarks._docs import replace_section
from painmind.core.cycle import fit_patients, pairs_from_dense, pool_cohort
from painmind.core.cycle.daily import daily_grid
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


def _command(args, env):
    def run():
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "painmind", "analyze", *args], cwd=ROOT, env=env, capture_output=True,
            text=True, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        if proc.returncode:
            raise SystemExit(f"painmind analyze {' '.join(args)} failed: {proc.stderr.strip()}")

    return run


def one_size(n, seed, folder, env):
    data = generate_cohort(n, DAYS, variables=VARIABLES, rng=np.random.default_rng(seed)).data
    data = data[["patient_id", "local_date", *VARIABLES]].rename(columns={"local_date": "date"})
    source = folder / f"diary-{n}.parquet"
    data.to_parquet(source, index=False)
    rows = len(data)
    del data
    columns = ["patient_id", "date", *VARIABLES]
    read_s = _best(lambda: pq.read_table(source, columns=columns), 3)
    table = pq.read_table(source, columns=columns)
    grid = daily_grid(table, id_col="patient_id", time_col="date", variables=VARIABLES)
    assert grid is not None
    kernel = lambda: fit_patients(pairs_from_dense(grid.values, patient_ids=grid.patient_ids, variables=VARIABLES))  # noqa: E731
    fits = kernel()
    kernel_s = _best(kernel, 3)
    cohort_s = _best(lambda: pool_cohort(fits.coef, fits.se, fits.ok, fits.variables), 1)
    del table
    base = ["--data", str(source), "--id-col", "patient_id", "--time-col", "date", "--vars", ",".join(VARIABLES)]
    out = {fmt: folder / f"long-{n}.{fmt}" for fmt in ("parquet", "csv", "json")}
    people = {fmt: folder / f"people-{n}.{fmt}" for fmt in ("parquet", "csv")}
    startup_s = _best(_command(["--help"], env), 3)
    load = os.getloadavg()[0]
    parquet_args = [*base, "--out", str(out["parquet"]), "--summary", str(people["parquet"])]
    e2e_s = _best(_command(parquet_args, env), 3)
    e2e_nocohort_s = _best(_command([*parquet_args, "--no-cohort"], env), 2)
    csv_s = _best(_command([*base, "--out", str(out["csv"]), "--summary", str(people["csv"])], env), 1)
    json_s = _best(_command([*base, "--out", str(out["json"])], env), 1)
    files = (("long", out), ("people", people))
    size = {f"{kind}_{fmt}": p.stat().st_size / 1e6 for kind, d in files for fmt, p in d.items()}
    return {
        "n": n, "rows": rows, "input_mb": source.stat().st_size / 1e6, "read_s": read_s, "kernel_s": kernel_s,
        "cohort_s": cohort_s, "startup_s": startup_s, "e2e_s": e2e_s, "e2e_nocohort_s": e2e_nocohort_s,
        "csv_s": csv_s, "json_s": json_s, "load": load, **size,
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
                f"{n:>7,} patients: analyze Parquet→Parquet {row['e2e_s']:.2f} s "
                f"(no cohort {row['e2e_nocohort_s']:.2f} s), "
                f"kernel {row['kernel_s']:.3f} s + read {row['read_s']:.3f} s = {row['e2e_s'] / floor:.1f}×, "
                f"startup {row['startup_s']:.2f} s, CSV {row['csv_s']:.2f} s, JSON {row['json_s']:.2f} s, "
                f"load {row['load']:.2f}",
                flush=True,
            )
    write(path, rows, sizes)


def write(path, rows, sizes):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)  # noqa: S607
    lines = [
        "## painmind analyze end to end (`benchmarks/cycle.py --end-to-end`)",
        "",
        f"Command: `.venv/bin/python benchmarks/cycle.py --end-to-end {','.join(map(str, sizes))} --skip-engine` — "
        f"run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit.stdout.strip() or 'unknown'} on "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        f"Synthetic diaries from `core.synth` ({DAYS} days, 6 variables, ~10 % of days missed) as one Parquet file. "
        "*Whole command* = `python -m painmind analyze --data in.parquet … --out long.parquet --summary "
        "people.parquet` in a fresh process, wall clock from start to exit (best of 3; *no cohort*: with "
        "`--no-cohort`, best of 2). *Kernel* = `pairs_from_dense` + `fit_patients` on the grid (best of 3 after a "
        "warm-up); *read* = `pyarrow.parquet.read_table` of the needed columns (best of 3); *startup* = "
        "`painmind analyze --help` (interpreter, Django, imports). *load* = the 1-minute load average before the "
        "timed commands (other work on this 2-core machine slows every number).",
        "",
        "| patients | rows | input MB | read s | kernel s | cohort s | startup s | whole command s | × (kernel + read) "
        "| no cohort s | → CSV s | → JSON s | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        floor = r["kernel_s"] + r["read_s"]
        lines.append(
            f"| {r['n']:,} | {r['rows']:,} | {r['input_mb']:.1f} | {r['read_s']:.3f} | {r['kernel_s']:.3f} | "
            f"{r['cohort_s']:.2f} | {r['startup_s']:.2f} | {r['e2e_s']:.2f} | {r['e2e_s'] / floor:.1f}× | "
            f"{r['e2e_nocohort_s']:.2f} | {r['csv_s']:.2f} | {r['json_s']:.2f} | {r['load']:.2f} |"
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
