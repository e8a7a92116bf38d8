"""Test personas and shared fixtures.

Personas (see docs/development.md): **pat** the patient, **cara** a clinician pat shares
with, **olga** a clinician pat does not share with (must get 404), **rex** a researcher,
**ada** an administrator. The suite runs unchanged on SQLite and, with DATABASE_URL set
(as `make test` does), on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import smtplib
from pathlib import Path
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend

# Playwright's sync API runs an event loop in the test thread; the ORM calls in e2e tests
# are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"
# A mail server that is down, for `settings.EMAIL_BACKEND` (see RefusingBackend below).
REFUSING_BACKEND = "conftest.RefusingBackend"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every browser test is slow (a live server and Chromium): marked here, not one by one.
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def _collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Collect static files once, so pages render with the production storage (hashed names)."""
    from django.conf import settings
    from django.core.management import call_command

    root = tmp_path_factory.mktemp("static")
    settings.STATIC_ROOT = root
    call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(scope="session", autouse=True)
def _owner_may_flush_the_audit_log() -> None:
    """On PostgreSQL the audit log refuses TRUNCATE unless its owner's session says
    ``painmind.audit_truncate = on`` (accounts migration 0008): Django's flush after a
    transactional test truncates every table, so the test role says so on every connection."""
    from django.db.backends.signals import connection_created

    def opt_in(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET painmind.audit_truncate = 'on'")

    connection_created.connect(opt_in, dispatch_uid="painmind.tests.audit_truncate", weak=False)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 costs ~0.1 s a hash by design; personas are made per test. test_accounts checks
    # that production settings use Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _mfa_not_required(settings: Any) -> None:
    # Clinicians and admins must enrol a second factor on a real site (PAINMIND_MFA_REQUIRED_ROLES,
    # docs/accounts.md); the personas here have none, so only the accounts tests that are about
    # it (painmind/accounts/tests/test_mfa*.py, tests/e2e/test_mfa.py) turn the requirement on.
    settings.PAINMIND_MFA_REQUIRED_ROLES = []


def _user(email: str, role: str, **extra: Any) -> Any:
    """A persona: an established account, past its first-sign-in walk-through (test_welcome.py
    tests that with accounts of its own)."""
    from django.utils import timezone

    from painmind.accounts.actions import do_create_user

    user = do_create_user(email, PASSWORD, role=role, check_password=False, **extra)
    user.welcomed_at = timezone.now()
    user.save(update_fields=["welcomed_at"])
    return user


@pytest.fixture
def pat(db: None) -> Any:
    return _user("pat@example.org", "patient", display_name="Pat Example", time_zone="Europe/London")


@pytest.fixture
def cara(pat: Any) -> Any:
    from painmind.accounts.actions import do_grant_consent
    from painmind.accounts.audit import Actor

    user = _user("cara@example.org", "clinician", discipline="psychology", display_name="Dr Cara Lee")
    do_grant_consent(Actor(user=pat, via="web"), user.email)
    return user


@pytest.fixture
def olga(db: None) -> Any:
    return _user("olga@example.org", "clinician", discipline="pain_medicine", display_name="Dr Olga Novak")


@pytest.fixture
def rex(db: None) -> Any:
    return _user("rex@example.org", "researcher", display_name="Rex Ray")


@pytest.fixture
def ada(db: None) -> Any:
    return _user("ada@example.org", "admin", display_name="Ada Admin")


@pytest.fixture
def token_for(db: None) -> Any:
    from painmind.accounts.actions import do_create_api_token

    def make(user: Any) -> dict[str, str]:
        _, secret = do_create_api_token(user)
        return {"Authorization": f"Bearer {secret}"}

    return make


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Playwright cannot download its own browser here; Debian's chromium is installed by make test.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every send raises, as smtplib does."""

    def send_messages(self, messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
