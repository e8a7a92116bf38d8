"""The site's secret key: where it comes from, when it is too weak, and making one on first run.

Pure Python (config/settings.py imports it before Django is set up). Project rules
(docs/security.md): a key shorter than 50 characters, with fewer than 5 distinct characters
(Django's own `security.W009` thresholds), or published anywhere (the development default, the
examples in README and .env.example, Django's ``django-insecure-`` keys) is refused in
production; `painmind serve` writes a random key to ``DATA_DIR/secret_key`` (mode 0600) when
none is configured, and never starts with a weak one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEV_SECRET_KEY = "insecure-development-key-set-PAINMIND_SECRET_KEY-in-production"
# Every key this project has ever published as a value or an example.
KNOWN_KEYS = frozenset({DEV_SECRET_KEY, "change-me-to-50-random-characters", "<50+ random characters>"})
KEY_FILE_NAME = "secret_key"
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def weak_key_reason(key: str) -> str | None:
    """Why `key` must not sign a production site's sessions and links, or None if it may.

    >>> weak_key_reason("x" * 60)
    'it has fewer than 5 different characters'
    >>> weak_key_reason(DEV_SECRET_KEY)
    'it is published (the development default or an example)'
    >>> weak_key_reason("k7Qp2Zr9Lm4Xv8Bn1Tc6Wy3Hd5Gf0Js7Ae2Ku9Pi4Ro1Sl8Mq6Nt") is None
    True
    """
    if key in KNOWN_KEYS or key.startswith("django-insecure-"):
        return "it is published (the development default or an example)"
    if len(key) < MIN_LENGTH:
        return f"it is shorter than {MIN_LENGTH} characters"
    if len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return f"it has fewer than {MIN_UNIQUE_CHARACTERS} different characters"
    return None


def key_file(data_dir: Path) -> Path:
    return data_dir / KEY_FILE_NAME


def read_key_file(data_dir: Path) -> str | None:
    """The key `painmind serve` generated into the data folder, or None if there is none yet."""
    try:
        key = key_file(data_dir).read_text().strip()
    except FileNotFoundError:
        return None
    return key or None


def ensure_key_file(data_dir: Path) -> tuple[str, bool]:
    """The data folder's key, made now (random, mode 0600) if missing: ``(key, created)``.

    Two processes starting at once both end with the same key: the file is created exclusively,
    and the loser reads the winner's.
    """
    existing = read_key_file(data_dir)
    if existing is not None:
        return existing, False
    key = secrets.token_urlsafe(64)  # 86 characters from a 64-character alphabet
    path = key_file(data_dir)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raced = read_key_file(data_dir)
        if raced is None:
            raise RuntimeError(f"{path} exists but is empty: remove it or put a key in it") from None
        return raced, False
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key, True


def tighten_permissions(data_dir: Path, sqlite_path: Path | None) -> list[Path]:
    """Make the data folder 0700 and the SQLite files (database, WAL, shared memory) and the key
    file 0600; returns the paths whose mode changed. SQLite gives the WAL and shared-memory files
    it creates later the database file's mode."""
    changed: list[Path] = []

    def chmod(path: Path, mode: int) -> None:
        if path.exists() and (path.stat().st_mode & 0o777) != mode:
            path.chmod(mode)
            changed.append(path)

    chmod(data_dir, 0o700)
    chmod(key_file(data_dir), 0o600)
    if sqlite_path is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            chmod(sqlite_path.with_name(sqlite_path.name + suffix), 0o600)
    return changed
