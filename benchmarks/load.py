"""Load and crash: 32 clients post check-ins, the server is killed with SIGKILL mid-run.

    .venv/bin/python benchmarks/load.py                       # --db both: SQLite, then PostgreSQL
    .venv/bin/python benchmarks/load.py --db sqlite --per-client 20 --no-docs

For each database, on a throwaway site (SQLite: a scratch data folder; PostgreSQL: a cluster from
scripts/pgtmp.sh, always stopped again):

1. `painmind migrate`, then one patient per client with one API token (`painmind shell`, through
   `do_create_user` and `do_create_api_token`).
2. `painmind serve --no-worker` (gunicorn, as deployed) in its own process group.
3. N clients (threads; default 32) each POST their own list of check-ins to /api/v1/checkins, one
   at a time, each with its own `client_id` (a uuid4 fixed per entry). 201 or 200 (the server
   recognised a replay) is an acknowledgement; a refused connection, a reset, a timeout or a 5xx
   is not, and the same request (same client_id, same body) is sent again until it is.
4. When half of all entries are acknowledged, the whole server (arbiter and workers) is killed
   with `kill -9` on its process group, as a crash or power cut would; after a second it is
   started again on the same port and the clients' retries go through.
5. Then the database is read directly (sqlite3 / psycopg, not through PainMind): every
   acknowledged entry must be there exactly once with the content sent. *lost* = acknowledged but
   missing; *duplicated* = rows beyond one per client_id, or rows nobody sent; *wrong* = stored
   content that differs from what was sent. All three must be 0 (exit status 1 otherwise).

Results are printed and written to the "## Load and crash" section of docs/benchmarks.md (other
sections are kept). Not part of `make test`: it takes a minute or two per database.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._docs import replace_section
from benchmarks.checkin_write import BenchError, commit, free_port, postgres

LOAD_AT_START = os.getloadavg()[0]
ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Load and crash (`benchmarks/load.py`)"
PATH = "/api/v1/checkins"
RETRY_PAUSE_S = 0.2
REQUEST_TIMEOUT_S = 15

SEED = """
import json
from painmind.accounts.actions import do_create_api_token, do_create_user
tokens = []
for i in range({n}):
    email = f"load{{i:03d}}@example.org"
    user = do_create_user(email, "load-test-password", role="patient", check_password=False)
    tokens.append(do_create_api_token(user, name="load")[1])
print(json.dumps(tokens))
"""


@dataclass
class Entry:
    client_id: str
    body: dict[str, Any]
    acked: bool = False
    attempts: int = 0
    replayed: bool = False  # acknowledged with 200: the server already held it


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: int = 0
    in_flight: int = 0
    in_flight_at_kill: int = 0
    failures: int = 0  # attempts that got no answer, or a 5xx
    refused: list[str] = field(default_factory=list)  # 4xx: a bug, not retried


@dataclass
class Result:
    db: str
    entries: int
    acked: int
    in_flight_at_kill: int
    failures: int
    retried: int
    replayed: int
    lost: int
    duplicated: int
    wrong: int
    refused: list[str]
    seconds: float
    downtime: float


def entries_for(clients: int, per_client: int) -> list[list[Entry]]:
    return [
        [
            Entry(
                client_id=str(uuid.uuid4()),
                body={"pain": (c + k) % 11, "mood": (3 * c + k) % 11, "sleep_hours": float((c + 2 * k) % 13)},
            )
            for k in range(per_client)
        ]
        for c in range(clients)
    ]


def post(port: int, token: str, entry: Entry) -> int | None:
    """The status code, or None when no answer came (refused, reset, timed out)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    body = json.dumps({**entry.body, "client_id": entry.client_id})
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    try:
        conn.request("POST", PATH, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def client(port: int, token: str, entries: list[Entry], tally: Tally, deadline: float) -> None:
    for entry in entries:
        while not entry.acked and time.monotonic() < deadline:
            entry.attempts += 1
            with tally.lock:
                tally.in_flight += 1
            status = post(port, token, entry)
            with tally.lock:
                tally.in_flight -= 1
                if status in (200, 201):
                    entry.acked, entry.replayed = True, status == 200
                    tally.acked += 1
                elif status is None or status >= 500:
                    tally.failures += 1
                else:
                    tally.refused.append(f"{entry.client_id}: {status}")
                    break
            if not entry.acked:
                time.sleep(RETRY_PAUSE_S)


# ---------------------------------------------------------------------------------------------
# The site: CLI steps and the server


def painmind(args: list[str], env: dict[str, str], what: str) -> str:
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "painmind", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise BenchError(f"{what} failed (exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()[-800:]}")
    return proc.stdout


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("a") as out:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "painmind", "serve", "--port", str(port), "--workers", str(workers), "--no-worker"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 reaches the arbiter and every worker
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"painmind serve exited with {proc.returncode}: see {log}")
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        time.sleep(0.2)
    kill_group(proc)
    raise BenchError("painmind serve did not answer /healthz within 120 s")


def kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    proc.wait()


@contextlib.contextmanager
def site(db: str, scratch: Path) -> Iterator[tuple[dict[str, str], str]]:
    env = {**os.environ, "PAINMIND_DATA_DIR": str(scratch / db), "PAINMIND_DEFAULT_COUNTRY": "GB"}
    env.pop("DATABASE_URL", None)
    if db == "sqlite":
        yield env, ""
        return
    with postgres() as (url, _pid):
        env["DATABASE_URL"] = url
        yield env, url


# ---------------------------------------------------------------------------------------------
# Counting, straight from the database


def stored_rows(db: str, data_dir: Path, url: str) -> list[tuple[str, int, int, float]]:
    sql = "SELECT client_id, pain, mood, sleep_hours FROM diary_checkin"
    if db == "sqlite":
        with contextlib.closing(sqlite3.connect(data_dir / "painmind.sqlite3")) as conn:
            rows = conn.execute(sql).fetchall()
    else:
        import psycopg

        with psycopg.connect(url) as conn:
            rows = conn.execute(sql).fetchall()
    return [(str(uuid.UUID(str(c))) if c else "", int(p), int(m), float(s)) for c, p, m, s in rows]


def count(entries: list[Entry], rows: list[tuple[str, int, int, float]]) -> tuple[int, int, int]:
    """(lost, duplicated, wrong) — see the module docstring."""
    sent = {e.client_id: e for e in entries}
    seen: dict[str, int] = {}
    wrong = 0
    for client_id, pain, mood, sleep in rows:
        seen[client_id] = seen.get(client_id, 0) + 1
        entry = sent.get(client_id)
        if entry is not None and (pain, mood, sleep) != (
            entry.body["pain"],
            entry.body["mood"],
            entry.body["sleep_hours"],
        ):
            wrong += 1
    lost = sum(1 for e in entries if e.acked and e.client_id not in seen)
    duplicated = sum(n - 1 for n in seen.values()) + sum(n for c, n in seen.items() if c not in sent)
    return lost, duplicated, wrong


# ---------------------------------------------------------------------------------------------


def run_db(db: str, args: argparse.Namespace, scratch: Path) -> Result:
    log = scratch / f"{db}-serve.log"
    with site(db, scratch) as (env, url):
        painmind(["migrate", "-v0"], env, "painmind migrate")
        seeded = painmind(["shell", "-c", SEED.format(n=args.clients)], env, "seeding patients")
        tokens = json.loads(seeded.strip().splitlines()[-1])
        port = free_port()
        plan = entries_for(args.clients, args.per_client)
        everything = [e for entries in plan for e in entries]
        tally = Tally()
        proc = start_server(env, port, args.workers, log)
        start = time.monotonic()
        deadline = start + args.timeout
        threads = [
            threading.Thread(target=client, args=(port, tokens[c], plan[c], tally, deadline), daemon=True)
            for c in range(args.clients)
        ]
        for t in threads:
            t.start()
        try:
            while tally.acked < len(everything) * args.kill_at and any(t.is_alive() for t in threads):
                time.sleep(0.01)
            with tally.lock:
                tally.in_flight_at_kill = tally.in_flight
            killed = time.monotonic()
            kill_group(proc)
            print(f"{db}: kill -9 after {tally.acked} acknowledged, {tally.in_flight_at_kill} in flight", flush=True)
            time.sleep(1)
            proc = start_server(env, port, args.workers, log)
            downtime = time.monotonic() - killed
            for t in threads:
                t.join()
            seconds = time.monotonic() - start
        finally:
            kill_group(proc, signal.SIGTERM)
        rows = stored_rows(db, scratch / db, url)
    lost, duplicated, wrong = count(everything, rows)
    return Result(
        db=db,
        entries=len(everything),
        acked=sum(e.acked for e in everything),
        in_flight_at_kill=tally.in_flight_at_kill,
        failures=tally.failures,
        retried=sum(1 for e in everything if e.attempts > 1),
        replayed=sum(e.replayed for e in everything),
        lost=lost,
        duplicated=duplicated,
        wrong=wrong,
        refused=tally.refused,
        seconds=seconds,
        downtime=downtime,
    )


def flagged(r: Result) -> bool:
    return bool(r.lost or r.duplicated or r.wrong or r.refused or r.acked != r.entries)


def write(args: argparse.Namespace, results: list[Result], command: str) -> None:
    lines = [
        HEADING,
        "",
        f"Command: `{command}` — run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit()}; "
        f"{os.cpu_count()} cores, load average {LOAD_AT_START:.2f} (1 minute, at the start), shared with "
        "other work. Not part of `make test`.",
        "",
        f"{args.clients} clients (threads), one patient and API token each, POST {args.per_client} check-ins each "
        "to `/api/v1/checkins`, one at a time, each entry with its own `client_id`; `painmind serve --workers "
        f"{args.workers} --no-worker` (gunicorn) on a throwaway site. A request that gets no answer or a 5xx is "
        "sent again, same `client_id` and body, until it is acknowledged (201, or 200 when the server "
        f"recognises a replay). When {args.kill_at:.0%} of the entries are acknowledged the server's whole "
        "process group gets `kill -9`, and it is started again a second later. Then the database is read "
        "directly: *lost* = acknowledged but not stored; *duplicated* = more than one row per `client_id` (or "
        "rows nobody sent); *wrong* = stored content that differs from what was sent.",
        "",
        "| database | entries | acknowledged | in flight at kill -9 | failed attempts | retried entries | "
        "200 on retry | lost | duplicated | wrong | down s | total s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.db} | {r.entries} | {r.acked} | {r.in_flight_at_kill} | {r.failures} | {r.retried} | "
            f"{r.replayed} | **{r.lost}** | **{r.duplicated}** | {r.wrong} | {r.downtime:.1f} | {r.seconds:.1f} |"
        )
    ok = not any(flagged(r) for r in results)
    names = " and ".join("SQLite" if r.db == "sqlite" else "PostgreSQL" for r in results)
    lines += [
        "",
        (
            f"Today: 0 lost, 0 duplicated on {names}."
            if ok
            else "FLAGGED: an acknowledged write was lost, duplicated, changed or refused (see the table)."
        ),
        "*200 on retry* counts writes that the crash interrupted after the commit but before the answer: the "
        "retry found them by `client_id` and did not store them twice.",
        "What is killed is the application (a crash, an OOM kill, a redeploy gone wrong), not the database server "
        "or the machine: the PostgreSQL cluster keeps running (and runs with fsync off here), and SQLite's WAL "
        "survives a killed process; power loss is outside this test.",
        "",
    ]
    replace_section(args.out, HEADING, lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--per-client", type=int, default=40, help="check-ins each client posts (default 40)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as `painmind serve`)")
    parser.add_argument("--kill-at", type=float, default=0.5, help="share acknowledged when the server is killed")
    parser.add_argument("--timeout", type=int, default=300, help="seconds the clients keep retrying (default 300)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (databases, server logs)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.per_client < 1 or not 0 < args.kill_at < 1:
        parser.error("--clients and --per-client must be positive, --kill-at between 0 and 1")
    return args


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("load: terminated; the servers and the cluster were stopped"))
    python = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else "python"
    command = shlex.join([python, "benchmarks/load.py", *sys.argv[1:]])
    scratch = Path(tempfile.mkdtemp(prefix="painmind-load-"))
    results: list[Result] = []
    try:
        for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
            results.append(run_db(db, args, scratch))
    except BenchError as exc:
        sys.exit(f"load: {exc}")
    except KeyboardInterrupt:
        sys.exit("load: interrupted; the servers and the cluster were stopped")
    finally:
        if args.keep:
            print(f"Scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"\n{'db':<11}{'entries':>8}{'acked':>7}{'in flight':>10}{'failed':>8}{'retried':>8}{'200':>5}", end="")
    print(f"{'lost':>6}{'dup':>5}{'wrong':>6}{'down s':>8}{'total s':>9}")
    for r in results:
        print(
            f"{r.db:<11}{r.entries:>8}{r.acked:>7}{r.in_flight_at_kill:>10}{r.failures:>8}{r.retried:>8}"
            f"{r.replayed:>5}{r.lost:>6}{r.duplicated:>5}{r.wrong:>6}{r.downtime:>8.1f}{r.seconds:>9.1f}"
        )
        for line in r.refused[:5]:
            print(f"  refused: {line}")
    if not args.no_docs:
        write(args, results, command)
        print(f"\nWrote the section {HEADING!r} of {args.out}")
    if any(flagged(r) for r in results):
        print("\nFLAGGED: an acknowledged write was lost, duplicated, changed or refused.")
        sys.exit(1)


if __name__ == "__main__":
    main()
