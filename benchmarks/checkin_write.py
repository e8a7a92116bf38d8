"""Load-test the check-in write path, POST /api/v1/checkins, side by side with a floor, with wrk.

    .venv/bin/python benchmarks/checkin_write.py                  # --db both: SQLite, then PostgreSQL
    .venv/bin/python benchmarks/checkin_write.py --db sqlite --duration 30

Needs wrk (Debian: `apt-get install wrk`) and, for PostgreSQL, the server binaries that
scripts/pgtmp.sh uses (a throwaway cluster is started and always stopped again).

Two applications take the same load in the same run, one after the other, each on a fresh
database (SQLite: a scratch file; PostgreSQL: one database each in the same cluster) holding
the same data: N patients (default 200), each with one API token and D days (default 90) of
prior daily check-ins, because the alert pass on every PainMind write reads the recent diary.

* floor: `benchmarks/floor/`, the least Django + django-ninja can do for this request: no
  middleware, a bearer-token lookup by SHA-256 digest, a pydantic body with the same fields and
  bounds, one INSERT into a table shaped like PainMind's check-ins, 201 with the row.
* PainMind: `config.wsgi` with `config.settings`, as `painmind serve` runs it. Its data is made
  only through the `painmind` CLI (migrate, createuser, token create) and the ORM models
  `accounts.User`, `accounts.ApiToken` and `diary.CheckIn` (bulk history and the other tokens,
  checked against the digest of the token the CLI made).

Both run under gunicorn with identical options (4 workers, gthread with 4 threads as
`painmind serve`, no access log, 127.0.0.1 on a free port). wrk (2 threads, 32 connections,
--latency, --timeout 10s so slow requests are measured, not dropped) runs a Lua script that
POSTs {"pain", "mood", "sleep_hours", "client_id": fresh uuid4} with varying values and a
bearer token drawn at random from the N patients': a 3 s warm-up that is not reported, then
the measured run (default 15 s). Non-2xx responses and socket errors are counted, and a run
with any is flagged. The machine is shared (2 cores here): each measured run waits for other
work to stop first, counts the CPU that anything but the benchmark's own processes used during
it ("other CPU"), and is measured again when that was above 10 % (--retries, default 2).
Before the load, one request is run in-process through each WSGI
application (as gunicorn calls it) to list the SQL statements a single check-in costs and to
time it alone.

The results are printed and written to the "## Check-in write path" section of
docs/benchmarks.md (other sections are kept). A timing is never asserted in a test.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import _wsgi
from benchmarks._docs import replace_section

LOAD_AT_START = os.getloadavg()[0]  # before this process adds its own load
ROOT = Path(__file__).resolve().parent.parent

HEADING = "## Check-in write path (`benchmarks/checkin_write.py`)"
PATH = "/api/v1/checkins"
SIDES = ("floor", "painmind")
SETTINGS = {"floor": "benchmarks.floor.settings", "painmind": "config.settings"}
WSGI = {"floor": "benchmarks.floor.wsgi:application", "painmind": "config.wsgi:application"}
EMAIL = "bench{:04d}@example.org"
TOKEN_PREFIX = "pm_"  # authenticate_api_token refuses any other
TARGET_RATIO = 0.7
TARGET_P99_MS = 100.0  # on SQLite
PROBE_REQUESTS = 50
WRK_TIMEOUT = "10s"
OTHER_CPU_WARN = 0.10  # other work on the machine above this share of the cores is reported


class BenchError(Exception):
    """A step failed: the message says which and why, in a line or a few."""


# ---------------------------------------------------------------------------------------------
# Data: the same patients, tokens and history on both sides


def history(n: int, days: int, seed: int, tz: ZoneInfo) -> list[tuple[int, datetime, date, int, int, float]]:
    """One evening check-in per patient and day for the `days` days before today (local).

    Returns ``(patient index, recorded_at UTC, local date, pain, mood, sleep_hours)`` rows; the
    same seed gives the same rows, so both sides hold the same diary.
    """
    rng = np.random.default_rng(seed)
    today = datetime.now(tz).date()
    rows = []
    for i in range(n):
        base = int(rng.integers(2, 7))
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            local = datetime(day.year, day.month, day.day, 19, int(rng.integers(0, 60)), tzinfo=tz)
            pain = int(np.clip(base + rng.integers(-2, 3), 0, 10))
            mood = int(np.clip(10 - base + rng.integers(-2, 3), 0, 10))
            rows.append((i, local.astimezone(UTC), day, pain, mood, float(rng.integers(8, 19)) / 2))
    return rows


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def insert_history(
    checkin_model: Any, patients: list[Any], rows: list[tuple[int, datetime, date, int, int, float]]
) -> None:
    """The same prior diary on either side (both check-in tables have these columns), then ANALYZE."""
    from django.db import connection

    checkin_model._default_manager.bulk_create(
        [
            checkin_model(
                patient=patients[i],
                recorded_at=at,
                local_on=day,
                pain=pain,
                mood=mood,
                sleep_hours=sleep,
                created_at=at,
                created_by=patients[i],
            )
            for i, at, day, pain, mood, sleep in rows
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def seed_painmind(state: dict[str, Any], n: int, days: int, seed: int) -> list[str]:
    """Patients 1..n-1 like patient 0 (made by the CLI), a token each, and the history."""

    from painmind.accounts.models import ApiToken, User
    from painmind.diary.models import CheckIn

    first = User.objects.get(email=EMAIL.format(0))
    cli_token = ApiToken.objects.get(user=first)
    if cli_token.digest != digest(state["cli_token"]):
        raise BenchError(
            "the token `painmind token create` made is not stored as sha256(secret): "
            "update seed_painmind to PainMind's token scheme"
        )
    others = User.objects.bulk_create(
        [
            User(
                email=EMAIL.format(i),
                role=first.role,
                password=first.password,  # one hash for all: nobody signs in with it
                time_zone=first.time_zone,
                country=first.country,
            )
            for i in range(1, n)
        ]
    )
    patients = [first, *others]
    tokens = [state["cli_token"], *(new_secret() for _ in range(1, n))]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=p, name="bench", prefix=s[:10], digest=digest(s))
            for p, s in zip(patients[1:], tokens[1:], strict=True)
        ]
    )
    insert_history(CheckIn, patients, history(n, days, seed, ZoneInfo(first.time_zone)))
    return tokens


def seed_floor(n: int, days: int, seed: int) -> list[str]:

    from benchmarks.floor.models import CheckIn, Patient, Token

    patients = Patient._default_manager.bulk_create([Patient() for _ in range(n)])
    tokens = [new_secret() for _ in range(n)]
    Token._default_manager.bulk_create(
        [Token(patient=p, digest=digest(s)) for p, s in zip(patients, tokens, strict=True)]
    )
    insert_history(CheckIn, patients, history(n, days, seed, ZoneInfo(patients[0].time_zone)))
    return tokens


# ---------------------------------------------------------------------------------------------
# One request in-process, as gunicorn hands it to the WSGI application


def wsgi_post(application: Callable[..., Any], token: str, body: bytes) -> int:
    headers = {"CONTENT_TYPE": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
    return _wsgi.call(application, "POST", PATH, body=body, headers=headers)[0]


def probe(side: str, token: str) -> dict[str, Any]:
    """The SQL of one check-in POST, and the median time of one alone (no concurrency)."""
    import importlib

    from django.db import connection

    application = importlib.import_module(WSGI[side].split(":")[0]).application

    def post() -> int:
        body = json.dumps({"pain": 4, "mood": 6, "sleep_hours": 7.0, "client_id": str(uuid.uuid4())})
        return wsgi_post(application, token, body.encode())

    with wal_kept(connection):
        return measure_one(side, post, connection)


@contextlib.contextmanager
def wal_kept(connection: Any) -> Iterator[None]:
    """On SQLite, hold one more connection open while requests run one at a time.

    Under load some connection is always open, so the WAL file stays. Alone, each request would
    close the last connection, which checkpoints the WAL into the database file and deletes it
    (several ms here, nothing to do with the request).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with contextlib.closing(sqlite3.connect(connection.settings_dict["NAME"])) as held:
        held.execute("SELECT count(*) FROM sqlite_master").fetchall()
        yield


def measure_one(side: str, post: Callable[[], int], connection: Any) -> dict[str, Any]:
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        post()
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        code = post()
    queries = [q["sql"] for q in ctx.captured_queries]  # now: the next request clears the log
    if code != 201:
        raise BenchError(f"{side}: an in-process check-in POST answered {code}, not 201")
    times = []
    for _ in range(PROBE_REQUESTS):
        start = time.perf_counter()
        post()
        times.append((time.perf_counter() - start) * 1000)
    connection.close()
    return {"queries": queries, "ms": statistics.median(times)}


def middleware() -> list[str]:
    from django.conf import settings

    return [str(path).rsplit(".", 1)[-1] for path in settings.MIDDLEWARE]


def setup_main(side: str, state_file: Path, n: int, days: int, seed: int) -> None:
    """Run in a subprocess with the side's settings: seed the data, probe one request."""
    import django

    django.setup()
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    try:
        tokens = seed_painmind(state, n, days, seed) if side == "painmind" else seed_floor(n, days, seed)
        state.update(tokens=tokens, probe=probe(side, tokens[-1]), middleware=middleware())
    except BenchError as exc:
        sys.exit(f"checkin_write: {exc}")
    state_file.write_text(json.dumps(state))


# ---------------------------------------------------------------------------------------------
# Processes: CLI steps, gunicorn, wrk, the PostgreSQL cluster


def run(cmd: list[str], env: dict[str, str], what: str) -> str:
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise BenchError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn_options(port: int, workers: int, threads: int) -> list[str]:
    """The same for both applications; as `painmind serve` but 4 workers and no access log."""
    return [
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "--error-logfile",
        "-",
    ]


@contextlib.contextmanager
def server(side: str, env: dict[str, str], log: Path, args: argparse.Namespace) -> Iterator[int]:
    """gunicorn serving `side` on a free port until the block ends (also on errors and Ctrl-C)."""
    port = free_port()
    cmd = [sys.executable, "-m", "gunicorn", *gunicorn_options(port, args.workers, args.server_threads), WSGI[side]]
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_answering(proc, port, log)
        yield port
    finally:
        stop(proc)


def wait_until_answering(proc: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited with {proc.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{PATH}", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer (401, 405) means a worker is up
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer on port {port} within {timeout:.0f} s:\n{tail(log)}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (gunicorn's graceful stop), then SIGKILL to its own process group if it hangs."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def tail(path: Path, lines: int = 15) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.strip().splitlines()[-lines:])


def cpu_stat() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores since boot, from /proc/stat (steal counts as busy)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:9]]
    return sum(values) - values[3] - values[4], sum(values)  # minus idle and iowait


def tree_ticks(roots: set[int]) -> int:
    """CPU clock ticks used so far by `roots` and all their descendants (and their waited-for children)."""
    table: dict[int, tuple[int, int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        # After the command name: state, ppid, …, utime, stime, cutime, cstime (fields 3, 4, 14-17).
        table[int(entry.name)] = (int(fields[1]), sum(int(v) for v in fields[11:15]))
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    seen: set[int] = set()
    stack = [pid for pid in roots if pid in table]
    while stack:
        pid = stack.pop()
        if pid not in seen:
            seen.add(pid)
            stack.extend(children.get(pid, []))
    return sum(table[pid][1] for pid in seen)


class OtherCpu:
    """The share of all cores used by anything but this benchmark's processes during a block.

    Ours: this process and its descendants (gunicorn and its workers, wrk once waited for) and
    the PostgreSQL cluster's processes. The rest (another user's tests, the hypervisor's steal)
    competes with the servers for the same cores and makes the run slower than it should be.
    """

    def __init__(self, roots: set[int]) -> None:
        self.roots = roots
        self.share = 0.0

    def __enter__(self) -> OtherCpu:
        self.start = (*cpu_stat(), tree_ticks(self.roots))
        return self

    def __exit__(self, *exc: object) -> None:
        busy, total, ours = (*cpu_stat(), tree_ticks(self.roots))
        other = (busy - self.start[0]) - (ours - self.start[2])
        self.share = max(other, 0) / max(total - self.start[1], 1)


def wait_quiet(roots: set[int], max_seconds: int, label: str) -> None:
    """Wait (at most `max_seconds`) until other work has used under OTHER_CPU_WARN for 3 s in a row."""
    deadline, quiet, announced = time.monotonic() + max_seconds, 0, False
    while quiet < 3 and time.monotonic() < deadline:
        with OtherCpu(roots) as other:
            time.sleep(1)
        quiet = quiet + 1 if other.share < OTHER_CPU_WARN else 0
        if not quiet and not announced:
            print(f"{label}: other work is using {other.share:.0%} of the CPU; waiting for it", flush=True)
            announced = True
    if quiet < 3:
        print(f"{label}: the machine did not become quiet within {max_seconds} s; measuring anyway", flush=True)


def smoke(port: int, side: str, tokens: list[str]) -> None:
    """One check-in with the first token and one with the last must be stored (201)."""
    for token in (tokens[0], tokens[-1]):
        body = json.dumps({"pain": 5, "mood": 5, "sleep_hours": 7.5, "client_id": str(uuid.uuid4())}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{PATH}",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                code, text = response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as exc:
            code, text = exc.code, exc.read().decode(errors="replace")
        if code != 201:
            raise BenchError(f"{side}: a check-in POST answered {code}, not 201: {text[:300]}")


LUA = r"""-- Written by benchmarks/checkin_write.py: one check-in per request, a random patient's token.
local tokens = {%(tokens)s}
local seed = %(seed)d
local threads = {}
local next_no = 1
statuses = {}
first_error = ""

function setup(thread)
  thread:set("thread_no", next_no)
  next_no = next_no + 1
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(seed + 7919 * thread_no)
  for _ = 1, 20 do math.random() end
end

local function uuid4()
  local function r16() return math.random(0, 65535) end
  return string.format("%%04x%%04x-%%04x-4%%03x-%%04x-%%04x%%04x%%04x",
    r16(), r16(), r16(), math.random(0, 4095), 32768 + math.random(0, 16383), r16(), r16(), r16())
end

function request()
  local body = string.format('{"pain": %%d, "mood": %%d, "sleep_hours": %%.1f, "client_id": "%%s"}',
    math.random(0, 10), math.random(0, 10), math.random(8, 18) / 2, uuid4())
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
  }
  return wrk.format("POST", "%(path)s", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if (status < 200 or status > 299) and first_error == "" then
    first_error = status .. " " .. string.sub(body or "", 1, 300)
  end
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      totals[code] = (totals[code] or 0) + count
    end
    local err = thread:get("first_error")
    if err ~= "" then io.write("FIRST_ERROR " .. (string.gsub(err, "%%s+", " ")) .. "\n") end
  end
  for code, count in pairs(totals) do io.write(string.format("STATUS %%d %%d\n", code, count)) end
end
"""


@dataclass
class Load:
    """One wrk run: throughput, latency percentiles (ms) and what went wrong."""

    rps: float
    p50: float
    p90: float
    p99: float
    requests: int
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    first_errors: list[str] = field(default_factory=list)
    other_cpu: float = 0.0  # share of the cores other work used during the run
    runs: list[float] = field(default_factory=list)  # req/s of every repeat (this is their median)

    @property
    def non_2xx(self) -> int:
        return sum(n for code, n in self.statuses.items() if not 200 <= code <= 299)

    @property
    def errors(self) -> int:
        return self.non_2xx + sum(self.socket_errors.values())


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(out: str) -> Load:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    total = re.search(r"^\s*(\d+) requests in", out, re.M)
    percentiles = {
        int(p): float(v) * UNITS_MS[unit]
        for p, v, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.M)
    }
    if rps is None or total is None or not {50, 90, 99} <= set(percentiles):
        raise BenchError(f"could not read wrk's output:\n{out[-2000:]}")
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    counts = [int(g) for g in sock.groups()] if sock else [0, 0, 0, 0]
    socket_errors = dict(zip(("connect", "read", "write", "timeout"), counts, strict=True))
    statuses = {int(code): int(n) for code, n in re.findall(r"^STATUS (\d+) (\d+)$", out, re.M)}
    first_errors = re.findall(r"^FIRST_ERROR (.*)$", out, re.M)
    return Load(
        rps=float(rps.group(1)),
        p50=percentiles[50],
        p90=percentiles[90],
        p99=percentiles[99],
        requests=int(total.group(1)),
        statuses=statuses,
        socket_errors=socket_errors,
        first_errors=first_errors,
    )


def wrk(port: int, tokens: list[str], seconds: int, args: argparse.Namespace, scratch: Path) -> tuple[str, Load]:
    """Run wrk against `port` for `seconds`; a fresh random seed each run, so client_ids never repeat."""
    script = scratch / f"checkin-{secrets.token_hex(4)}.lua"
    lua_tokens = ", ".join(json.dumps(t) for t in tokens)
    script.write_text(LUA % {"tokens": lua_tokens, "seed": secrets.randbelow(2**30), "path": PATH})
    cmd = [
        "wrk",
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        f"--timeout={WRK_TIMEOUT}",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}{PATH}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise BenchError(f"wrk failed (exit {proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout, parse_wrk(proc.stdout)


@contextlib.contextmanager
def postgres() -> Iterator[tuple[str, int]]:
    """A throwaway cluster from scripts/pgtmp.sh: its DATABASE_URL and the server's process id;
    always stopped afterwards."""
    proc = subprocess.run(
        ["bash", "-c", 'source scripts/pgtmp.sh start >&2 && echo "$PGTMP_DIR $DATABASE_URL"'],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    words = proc.stdout.split()
    if proc.returncode != 0 or len(words) != 2:
        raise BenchError(f"scripts/pgtmp.sh start failed:\n{proc.stderr.strip()}")
    pg_dir, url = words
    try:
        with open(f"{pg_dir}/data/postmaster.pid") as f:
            pid = int(f.readline())
        yield url, pid
    finally:
        subprocess.run(["bash", "scripts/pgtmp.sh", "stop", pg_dir], cwd=ROOT, check=False)  # noqa: S603, S607


def create_database(url: str, name: str) -> str:
    """A second database in the cluster of `url`; returns its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


# ---------------------------------------------------------------------------------------------
# One database: prepare both sides, load each


@dataclass
class Side:
    load: Load
    queries: list[str]
    alone_ms: float
    middleware: list[str]


def prepare(side: str, env: dict[str, str], scratch: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Migrate, seed and probe `side` on its fresh database; returns the state (tokens, probe)."""
    py = sys.executable
    state_file = scratch / f"{side}-state.json"
    state: dict[str, Any] = {}
    if side == "painmind":
        run([py, "-m", "painmind", "migrate", "--verbosity", "0"], env, "painmind migrate")
        password = scratch / "password"
        password.write_text(secrets.token_urlsafe(18) + "\n")
        email = EMAIL.format(0)
        create = [py, "-m", "painmind", "createuser", email, "--role", "patient", "--password-file", str(password)]
        run(create, env, "painmind createuser")
        out = run([py, "-m", "painmind", "token", "create", email, "--name", "bench"], env, "painmind token create")
        state["cli_token"] = out.strip().splitlines()[-1]
        run([py, "-m", "painmind", "collectstatic", "--noinput", "--verbosity", "0"], env, "painmind collectstatic")
    else:
        run([py, "-m", "django", "migrate", "--verbosity", "0"], env, "floor migrate")
    state_file.write_text(json.dumps(state))
    setup = [py, str(Path(__file__).resolve()), "--setup", side, "--state", str(state_file)]
    setup += ["--patients", str(args.patients), "--days", str(args.days), "--seed", str(args.seed)]
    run(setup, env, f"{side} setup (seed, probe)")
    result: dict[str, Any] = json.loads(state_file.read_text())
    return result


def side_env(side: str, db: str, scratch: Path, pg_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "FLOOR_DATABASE_URL"}}
    env["PYTHONPATH"] = str(ROOT)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS[side]
    data_dir = scratch / f"{db}-{side}"
    data_dir.mkdir()
    if side == "painmind":
        env["PAINMIND_DATA_DIR"] = str(data_dir)
        env.setdefault("PAINMIND_DEFAULT_COUNTRY", "GB")  # production-like: its system checks require one
        if pg_url:
            env["DATABASE_URL"] = pg_url
    else:
        env["FLOOR_DATA_DIR"] = str(data_dir)
        if pg_url:
            env["FLOOR_DATABASE_URL"] = pg_url
    return env


def bench_db(db: str, args: argparse.Namespace, scratch: Path, facts: dict[str, str]) -> dict[str, Side]:
    results: dict[str, Side] = {}
    with contextlib.ExitStack() as stack:
        urls: dict[str, str | None] = {"floor": None, "painmind": None}
        roots = {os.getpid()}  # whose CPU is the benchmark's own (see OtherCpu)
        if db == "postgresql":
            url, postmaster = stack.enter_context(postgres())
            roots.add(postmaster)
            facts["PostgreSQL"] = (
                postgres_version(url) + " (throwaway cluster from scripts/pgtmp.sh: fsync and synchronous_commit off)"
            )
            urls = {"painmind": url, "floor": create_database(url, "floor")}
        for side in SIDES:
            env = side_env(side, db, scratch, urls[side])
            print(f"[{db}] {side}: migrate, seed {args.patients} patients × {args.days} days, probe", flush=True)
            state = prepare(side, env, scratch, args)
            tokens: list[str] = state["tokens"]
            log = scratch / f"{db}-{side}-gunicorn.log"
            with server(side, env, log, args) as port:
                smoke(port, side, tokens)
                label = f"[{db}] {side}"
                wait_quiet(roots, args.wait_quiet, label)
                print(f"{label}: warm-up {args.warmup} s, then {args.duration} s under load", flush=True)
                if args.warmup:
                    _, warm = wrk(port, tokens, args.warmup, args, scratch)
                    if warm.errors:
                        print(f"{label}: the warm-up (not reported) had {errors_text(warm)}", flush=True)
                        for err in warm.first_errors:
                            print(f"  first error seen by wrk: {err}", flush=True)
                loads: list[Load] = []
                for _ in range(args.repeat):
                    for attempt in range(args.retries + 1):
                        with OtherCpu(roots) as other:
                            raw, load = wrk(port, tokens, args.duration, args, scratch)
                        load.other_cpu = other.share
                        if other.share < OTHER_CPU_WARN or attempt == args.retries:
                            break
                        print(
                            f"{label}: other work took {other.share:.0%} of the CPU during the run: again", flush=True
                        )
                        wait_quiet(roots, args.wait_quiet, label)
                    loads.append(load)
                # SQLite's busy handler makes single runs vary widely: report the median run.
                load = sorted(loads, key=lambda x: x.rps)[len(loads) // 2]
                load.runs = [x.rps for x in loads]
            if args.verbose:
                print(raw)
            if load.errors:
                print(f"[{db}] {side}: the end of gunicorn's log:\n{tail(log)}", flush=True)
            probe_state = state["probe"]
            results[side] = Side(load, probe_state["queries"], probe_state["ms"], state["middleware"])
            print(f"[{db}] {side}: {summary(load)}", flush=True)
    return results


def summary(load: Load) -> str:
    text = f"{load.rps:,.0f} req/s, p50 {ms(load.p50)} ms, p90 {ms(load.p90)} ms, p99 {ms(load.p99)} ms"
    if len(load.runs) > 1:
        text += f" (median of {len(load.runs)} runs: " + ", ".join(f"{r:,.0f}" for r in load.runs) + " req/s)"
    if load.errors:
        text += f" — FLAGGED: {errors_text(load)}"
    if load.other_cpu > OTHER_CPU_WARN:
        text += f" — WARNING: other work used {load.other_cpu:.0%} of the CPU during this run"
    return text


def ms(value: float) -> str:
    return f"{value:,.1f}" if value < 10 else f"{value:,.0f}"


def errors_text(load: Load) -> str:
    if not load.errors:
        return "none"
    parts = []
    if load.non_2xx:
        codes = ", ".join(f"{n:,}× {code}" for code, n in sorted(load.statuses.items()) if not 200 <= code <= 299)
        parts.append(f"{load.non_2xx:,} non-2xx ({codes})")
    sock = {k: v for k, v in load.socket_errors.items() if v}
    if sock:
        parts.append("socket errors " + ", ".join(f"{k} {v:,}" for k, v in sock.items()))
    return "; ".join(parts)


def verdict(db: str, floor: Load, painmind: Load) -> tuple[float, str]:
    ratio = painmind.rps / floor.rps if floor.rps else 0.0
    met = ratio >= TARGET_RATIO and (db != "sqlite" or painmind.p99 <= TARGET_P99_MS)
    goal = f"≥ {TARGET_RATIO}× the floor" + (f" and p99 ≤ {TARGET_P99_MS:.0f} ms" if db == "sqlite" else "")
    text = f"target {goal}: {'met' if met else 'missed'}"
    if db == "sqlite" and floor.p99 > TARGET_P99_MS:
        text += f" (the floor's own p99 is {ms(floor.p99)} ms under this load on this machine)"
    if floor.errors or painmind.errors:
        text += " (the run had errors, see the table: the numbers are not to be trusted)"
    return ratio, text


# ---------------------------------------------------------------------------------------------
# Report


def machine_facts() -> dict[str, str]:
    wrk_v = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)  # noqa: S607
    wrk_line = (wrk_v.stdout or wrk_v.stderr).splitlines()[0] if (wrk_v.stdout or wrk_v.stderr) else "?"
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load average": f"{LOAD_AT_START:.2f} (1 minute, when the benchmark started)",
        "Python": platform.python_version(),
        "Django": metadata.version("django"),
        "django-ninja": metadata.version("django-ninja"),
        "gunicorn": metadata.version("gunicorn"),
        "wrk": re.sub(r"^wrk\s+|\s*Copyright.*", "", wrk_line).strip(),
        "SQLite": sqlite3.sqlite_version,
    }


def commit() -> str:
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S607
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    name = rev.stdout.strip() or "unknown"
    return name + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def print_table(results: dict[str, dict[str, Side]]) -> None:
    head = f"{'db':<11}{'app':<10}{'req/s':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'SQL/req':>9}{'alone ms':>10}"
    head += f"{'other CPU':>11}"
    head += "  errors"
    print("\n" + head + "\n" + "-" * len(head))
    for db, sides in results.items():
        for side, r in sides.items():
            load = r.load
            print(
                f"{db:<11}{side:<10}{load.rps:>8,.0f}{ms(load.p50):>9}{ms(load.p90):>9}{ms(load.p99):>9}"
                f"{len(r.queries):>9}{ms(r.alone_ms):>10}{load.other_cpu:>11.0%}  {errors_text(load)}"
            )
        ratio, text = verdict(db, sides["floor"].load, sides["painmind"].load)
        print(f"{'':<11}PainMind / floor = {ratio:.2f}×; {text}")
    for db, sides in results.items():
        for side, r in sides.items():
            print(f"\nSQL of one {side} check-in POST ({db}), {len(r.queries)} statements:")
            for i, sql in enumerate(r.queries, 1):
                print(f"  {i:>2}. {sql}")
            for err in r.load.first_errors:
                print(f"  first error seen by wrk: {err}")


def short_sql(sql: str, width: int = 220) -> str:
    """One statement on one line: long column and value lists, quotes, digests and UUIDs elided."""
    sql = " ".join(sql.split()).replace("`", "'").replace('"', "")
    columns = re.match(r"^SELECT (.+?) FROM ", sql)  # the first FROM: a UNION keeps its second part
    if columns and len(columns.group(1)) >= 60:
        sql = "SELECT … FROM " + sql[columns.end() :]  # noqa: S608  (text for a report, never run)
    sql = re.sub(r"^INSERT INTO (\S+) \(.*?\) VALUES \(.*\)", r"INSERT INTO \1 (…) VALUES (…)", sql)
    sql = re.sub(r"'[0-9a-f-]{32,64}'", "'…'", sql)
    return sql if len(sql) <= width else sql[: width - 1] + "…"


def write(args: argparse.Namespace, results: dict[str, dict[str, Side]], facts: dict[str, str], command: str) -> None:
    first = next(iter(results.values()))
    stack, floor_stack = first["painmind"].middleware, first["floor"].middleware
    lines = [
        HEADING,
        "",
        f"Command: `{command}` — run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {facts['commit']}; "
        + "; ".join(f"{k} {v}" for k, v in facts.items() if k != "commit")
        + ". Server, load generator and database share the machine.",
        "",
        f"Both applications hold the same data on a fresh database each: {args.patients} patients with one API "
        f"token each and {args.days} days of prior daily check-ins ({args.patients * args.days:,} rows; PainMind's "
        "alert pass reads the recent diary on every write). Both are served by gunicorn with identical options: "
        f"{args.workers} workers, `gthread` with {args.server_threads} threads (as `painmind serve`), no access "
        f"log, 127.0.0.1. wrk {args.wrk_threads} threads, {args.connections} connections, `--latency`, "
        f"`--timeout {WRK_TIMEOUT}` (slow requests are measured, not dropped); a {args.warmup} s warm-up that is "
        f"not reported, then {args.duration} s measured. Each request POSTs "
        '`{"pain", "mood", "sleep_hours", "client_id": fresh uuid4}` with varying values and the bearer token of '
        "a patient drawn at random. *alone* = the median of "
        f"{PROBE_REQUESTS} requests one at a time, in-process through the WSGI application (as gunicorn calls "
        "it, without the socket); *SQL* = statements one request runs; *other CPU* = the share of the cores "
        "that anything but the benchmark (servers, wrk, PostgreSQL) used during the measured run. Each run "
        f"waits for a quiet machine first, and one with other CPU above {OTHER_CPU_WARN:.0%} is measured again "
        f"(up to {args.retries} times). Each side is measured {args.repeat} times; the table shows the median run "
        "(SQLite's busy handler, which sleeps and retries while another writer holds the lock, makes single "
        "runs vary widely) and *runs* lists every run's check-ins/s.",
        "",
        "What each side does per request:",
        "",
        f"- **floor** (`benchmarks/floor/`): {len(floor_stack) or 'no'} middleware; ninja's `HttpBearer` looks "
        "the token up by SHA-256 digest (one SELECT joined to the patient); a pydantic body with PainMind's "
        'fields and bounds (`extra="forbid"`); one INSERT (autocommit) into a table with PainMind\'s check-in '
        "columns, CHECK constraints, unique (patient, client_id) and indexes; 201 with the row as JSON.",
        f"- **PainMind** (`config.wsgi`, `config.settings`): {len(stack)} middleware ({', '.join(stack)}); "
        "the token lookup (and its `last_used_at` touch every 5 min); pydantic, then `clean_checkin`; one "
        "read of what the alert rules need (the flare window's pain and the open flare/silence alerts, one "
        "UNION ALL); then the INSERT, on its own when nothing else changes (the unique client_id index "
        "catches a retry), or in one transaction with the audit record (none when patients write their own) "
        "and the flare/silence alert writes it implies; 201 with the row.",
        "",
        "| database | app | check-ins/s | p50 ms | p90 ms | p99 ms | errors | SQL | alone ms | other CPU | runs |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for db, sides in results.items():
        for side, r in sides.items():
            load = r.load
            lines.append(
                f"| {db} | {side} | {load.rps:,.0f} | {ms(load.p50)} | {ms(load.p90)} | {ms(load.p99)} | "
                f"{errors_text(load)} | {len(r.queries)} | {ms(r.alone_ms)} | {load.other_cpu:.0%} | "
                + ", ".join(f"{x:,.0f}" for x in load.runs)
                + " |"
            )
    lines.append("")
    for db, sides in results.items():
        ratio, text = verdict(db, sides["floor"].load, sides["painmind"].load)
        lines.append(f"- {db}: PainMind {ratio:.2f}× the floor's throughput; {text}.")
    for db, sides in results.items():
        queries = sides["painmind"].queries
        lines += ["", f"The {len(queries)} statements of one PainMind check-in ({db}):", ""]
        lines += [f"{i}. `{short_sql(q)}`" for i, q in enumerate(queries, 1)]
        begin = next((i for i, q in enumerate(queries, 1) if q.startswith("BEGIN")), None)
        end = next((i for i, q in enumerate(queries, 1) if q.startswith("COMMIT")), None)
        if db == "sqlite" and begin and end:
            lines += [
                "",
                f"On SQLite, statements {begin + 1}–{end - 1} and the Python between them run while this request "
                "holds the database's one write lock (`BEGIN IMMEDIATE` to `COMMIT`), so across all workers they "
                "run one request at a time; the floor's INSERT holds it for that one statement.",
            ]
        break  # the first database's list: the others differ in dialect only
    lines.append("")
    replace_section(args.out, HEADING, lines)


# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=int, default=15, help="measured seconds per run (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="unreported warm-up seconds per run (default 3)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--server-threads", type=int, default=4, help="gunicorn threads per worker (default 4)")
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--days", type=int, default=90, help="days of prior check-ins per patient")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--wait-quiet", type=int, default=300, help="seconds to wait for a quiet machine")
    parser.add_argument("--retries", type=int, default=2, help="runs again when other work used the CPU")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs per side; the median is reported")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (databases, logs)")
    parser.add_argument("--verbose", action="store_true", help="print wrk's own output too")
    parser.add_argument("--setup", choices=SIDES, help=argparse.SUPPRESS)  # internal: the seed subprocess
    parser.add_argument("--state", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.patients < 1 or args.duration < 1 or args.warmup < 0:
        parser.error("--patients and --duration must be positive, --warmup not negative")
    return args


def main() -> None:
    args = parse_args()
    if args.setup:
        setup_main(args.setup, args.state, args.patients, args.days, args.seed)
        return
    if shutil.which("wrk") is None:
        sys.exit("checkin_write: wrk is missing: install it (Debian/Ubuntu: apt-get install wrk)")
    try:
        facts = {"commit": commit(), **machine_facts()}
    except metadata.PackageNotFoundError as exc:
        sys.exit(f"checkin_write: {exc} is not installed here: run with .venv/bin/python (scripts/install.sh test)")
    # Unwind as for Ctrl-C: the servers and the cluster are stopped, the scratch directory removed.
    signal.signal(
        signal.SIGTERM, lambda *_: sys.exit("checkin_write: terminated; servers and the cluster were stopped")
    )
    python = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else "python"
    command = shlex.join([python, "benchmarks/checkin_write.py", *sys.argv[1:]])
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    scratch = Path(tempfile.mkdtemp(prefix="checkin-write-"))
    results: dict[str, dict[str, Side]] = {}
    try:
        for db in dbs:
            results[db] = bench_db(db, args, scratch, facts)
    except BenchError as exc:
        sys.exit(f"checkin_write: {exc}")
    except KeyboardInterrupt:
        sys.exit("checkin_write: interrupted; servers and the PostgreSQL cluster were stopped")
    finally:
        if args.keep:
            print(f"Scratch directory kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print_table(results)
    if not args.no_docs:
        write(args, results, facts, command)
        print(f"\nWrote the section {HEADING!r} of {args.out}")
    if any(r.load.errors for sides in results.values() for r in sides.values()):
        print("\nFLAGGED: at least one measured run had non-2xx responses or socket errors (see above).")
        sys.exit(1)


if __name__ == "__main__":
    main()
