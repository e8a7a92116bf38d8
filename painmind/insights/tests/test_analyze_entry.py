"""`painmind analyze` on files runs without Django and pandas, and says the same as the Django command."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from painmind.core.synth import generate_cohort

VARS = "pain,mood,sleep_quality"


@pytest.fixture
def diary(tmp_path):
    cohort = generate_cohort(5, 50, missing_day_rate=0.1, realistic=False, rng=3)
    frame = cohort.data.assign(day=cohort.data["local_date"].dt.date)[["patient_id", "day", *VARS.split(",")]]
    path = tmp_path / "diary.parquet"
    frame.to_parquet(path, index=False)
    return path


def _painmind(code: str, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAINMIND_DATA_DIR": str(tmp_path / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
        timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_parquet_to_parquet_imports_neither_django_nor_pandas_and_equals_the_django_command(diary, tmp_path):
    base = ["--data", str(diary), "--id-col", "patient_id", "--time-col", "day", "--vars", VARS]
    free = ["analyze", *base, "--out", str(tmp_path / "free.parquet"), "--summary", str(tmp_path / "free-p.parquet")]
    code = (
        "import sys\nfrom painmind.cli import main\n"
        f"main({free!r})\n"
        "print(sorted(m for m in ('django', 'pandas') if m in sys.modules))"
    )
    proc = _painmind(code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    call_command(
        "analyze", *base, "--out", str(tmp_path / "django.parquet"), "--summary", str(tmp_path / "django-p.parquet"),
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    for name in ("", "-p"):
        assert pq.read_table(tmp_path / f"free{name}.parquet").equals(pq.read_table(tmp_path / f"django{name}.parquet"))


@pytest.mark.slow
def test_help_usage_errors_and_stored_diaries_are_left_to_django(diary, tmp_path):
    # --help and a usage error come from Django's parser (its own options listed); the file path's
    # own errors are printed as Django prints a CommandError.
    code = (
        "import sys\nfrom painmind.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
    )
    helped = _painmind(code.replace("sys.argv[1:]", "['analyze', '--help']"), tmp_path)
    assert "--settings SETTINGS" in helped.stdout
    assert "--data DATA" in helped.stdout
    wrong = _painmind(code.replace("sys.argv[1:]", f"['analyze', '--data', {str(diary)!r}, '--nope']"), tmp_path)
    assert "unrecognized arguments: --nope" in wrong.stderr
    assert "exit 2" in wrong.stdout
    missing = _painmind(code.replace("sys.argv[1:]", f"['analyze', '--data', {str(diary)!r}]"), tmp_path)
    assert missing.stderr.strip() == "CommandError: give --time-col, or --day-col with --beep-col"
    assert "exit 1" in missing.stdout
