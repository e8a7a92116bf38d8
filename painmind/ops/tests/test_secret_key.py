"""No public secret key: `painmind serve` generates one or refuses a weak one, and `check
--deploy` with the shipped defaults reports only what the README says the operator must set."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from painmind.lib.secret_key import DEV_SECRET_KEY, ensure_key_file, read_key_file, tighten_permissions

# 60 characters, 36 different ones: neither short, repetitive nor published.
GOOD_KEY = "Zq3v8Lm1Xc7Rb2Nw9Tk4Hs6Pd0Fj5Gy8Ua3Qe1Wo7Ir2Ep9Ty4Ui6Os0Pa5S"


def painmind(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PAINMIND_DATA_DIR": str(tmp_path), "PAINMIND_DEFAULT_COUNTRY": "GB", **env}
    # The test run's own (conftest allows async-unsafe ORM calls for Playwright): not a deployment's.
    full.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for name in ("DATABASE_URL", "PAINMIND_SECRET_KEY", "PAINMIND_SECURE", "PAINMIND_DEBUG"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "painmind", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_the_key_file_is_made_once_private_and_reused(tmp_path):
    assert read_key_file(tmp_path) is None
    key, created = ensure_key_file(tmp_path)
    assert created
    assert len(key) >= 50
    assert key != DEV_SECRET_KEY
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert ensure_key_file(tmp_path) == (key, False)
    assert read_key_file(tmp_path) == key
    other = tmp_path / "other"
    other.mkdir()
    assert ensure_key_file(other)[0] != key  # random, not derived from anything


def test_tighten_permissions_makes_folder_0700_and_sqlite_files_0600(tmp_path):
    db = tmp_path / "painmind.sqlite3"
    for p in (db, tmp_path / "painmind.sqlite3-wal", tmp_path / "unrelated.txt"):
        p.write_text("")
        p.chmod(0o644)
    tmp_path.chmod(0o755)
    tighten_permissions(tmp_path, db)
    assert tmp_path.stat().st_mode & 0o777 == 0o700
    assert db.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "painmind.sqlite3-wal").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "unrelated.txt").stat().st_mode & 0o777 == 0o644  # not ours to change


@pytest.mark.slow
@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("short-key", "shorter than 50 characters"),
        (DEV_SECRET_KEY, "published"),
        ("change-me-to-50-random-characters", "published"),
        ("ab" * 30, "fewer than 5 different characters"),
    ],
)
def test_serve_refuses_a_short_or_known_key_in_one_line(tmp_path, key, reason):
    r = painmind(tmp_path, "serve", "--port", "1", PAINMIND_SECRET_KEY=key)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "refusing to start" in lines[0]
    assert reason in lines[0]
    assert not (tmp_path / "painmind.sqlite3").exists()  # nothing migrated, nothing served
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.slow
def test_check_deploy_reports_only_what_the_readme_says_to_set(tmp_path):
    # Shipped defaults: the README's production steps say to set PAINMIND_SECURE=1 (HSTS, https
    # redirect, secure cookies) and a key (or let serve generate one): exactly these, nothing else.
    r = painmind(tmp_path, "check", "--deploy")
    found = set(re.findall(r"\(((?:security|painmind)\.[EW]\d+)\)", r.stdout + r.stderr))
    assert found == {"security.W004", "security.W008", "security.W012", "security.W016", "painmind.E010"}, r.stderr
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    assert "PAINMIND_SECURE=1" in readme
    assert "PAINMIND_SECRET_KEY" in readme
    # Set as the README says: nothing at all.
    r = painmind(tmp_path, "check", "--deploy", PAINMIND_SECURE="1", PAINMIND_SECRET_KEY=GOOD_KEY)
    assert r.returncode == 0, r.stderr
    assert "System check identified no issues" in r.stdout
    # A key that serve generated into the data folder counts as set.
    ensure_key_file(tmp_path)
    r = painmind(tmp_path, "check", "--deploy", PAINMIND_SECURE="1")
    assert r.returncode == 0, r.stderr
    assert "no issues" in r.stdout
