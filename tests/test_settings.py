"""Settings come from the environment only, and .env.example documents every variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_lists_every_variable_the_code_reads():
    read = set()
    for path in [ROOT / "config" / "settings.py", *(ROOT / "painmind").rglob("*.py")]:
        read |= set(
            re.findall(r"""(?:env_\w+|environ\.get)\(\s*["'](PAINMIND_[A-Z_]+|DATABASE_URL)["']""", path.read_text())
        )
    listed = set(re.findall(r"^#?\s*(PAINMIND_[A-Z_]+|DATABASE_URL)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "the scan found no variables; the pattern is broken"
    assert read - listed == set()


def test_booleans_and_integers_fail_loudly(monkeypatch):
    monkeypatch.setenv("PAINMIND_X", "perhaps")
    with pytest.raises(ValueError, match="PAINMIND_X must be a boolean"):
        env_bool("PAINMIND_X", False)
    monkeypatch.setenv("PAINMIND_X", "Off")
    assert env_bool("PAINMIND_X", True) is False
    monkeypatch.setenv("PAINMIND_X", "12a")
    with pytest.raises(ValueError, match="PAINMIND_X must be an integer"):
        env_int("PAINMIND_X", 1)
    monkeypatch.delenv("PAINMIND_X")
    assert env_int("PAINMIND_X", 7) == 7
