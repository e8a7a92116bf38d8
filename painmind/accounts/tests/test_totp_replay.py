"""A used TOTP code cannot be used again within its window, even on another process (gunicorn
worker): the used-code memory is the site's cache, which lives in the database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from painmind.accounts.signin.mfa import check_second_factor
from tests.concurrency import run_at_once
from tests.totp import totp

SECRET = "JBSWY3DPEHPK3PXP"  # any base32 secret; the codes come from tests/totp.py (RFC 6238)


def test_a_code_used_for_a_token_cannot_be_used_again(pat):
    TOTP.activate(pat, SECRET)
    code = totp(SECRET)
    assert check_second_factor(pat, code)
    assert not check_second_factor(pat, code)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_one_code_tried_twice_at_once_works_once(pat):
    TOTP.activate(pat, SECRET)
    code = totp(SECRET)
    outcomes = run_at_once(lambda: check_second_factor(pat, code), lambda: check_second_factor(pat, code))
    assert [o.error for o in outcomes] == [None, None]
    assert sorted(o.value for o in outcomes) == [False, True]


# Run in a process of its own: enrol (first call) or just check the code, print the answer.
SCRIPT = """
import sys
from allauth.mfa.totp.internal.auth import TOTP
from painmind.accounts.models import User
from painmind.accounts.signin.mfa import check_second_factor
user = User.objects.get(email="two.workers@example.org")
if sys.argv[-2] == "enrol":
    TOTP.activate(user, sys.argv[-1])
else:
    print(check_second_factor(user, sys.argv[-1]))
"""


@pytest.mark.slow
def test_a_code_used_in_one_process_is_refused_in_another(tmp_path):
    env = {**os.environ, "PAINMIND_DATA_DIR": str(tmp_path), "PAINMIND_DEFAULT_COUNTRY": "GB"}
    env.pop("DATABASE_URL", None)
    script = tmp_path / "check.py"
    script.write_text(SCRIPT)

    def painmind(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "painmind", *args],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )

    def shell(*argv: str) -> str:
        program = f"import django, sys; sys.argv += {list(argv)!r}; django.setup(); exec(open({str(script)!r}).read())"
        done = subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            text=True,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert painmind("migrate", "-v", "0").returncode == 0
    pw = tmp_path / "pw"
    pw.write_text("a-long-enough-passphrase\n")
    made = painmind("createuser", "two.workers@example.org", "--role", "clinician", "--discipline", "nursing",
                    "--password-file", str(pw))  # fmt: skip
    assert made.returncode == 0, made.stderr
    shell("enrol", SECRET)
    code = totp(SECRET)
    assert shell("check", code) == "True"
    assert shell("check", code) == "False"  # another process: the same code is refused
