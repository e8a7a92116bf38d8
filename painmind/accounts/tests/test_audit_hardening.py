"""The audit log nobody can rewrite: TRUNCATE refused (PostgreSQL), the serving role's ownership
reported, and a HEAD on a share link not counted as a view."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.db import DatabaseError, connection, transaction

from painmind.accounts.actions import do_create_share_link
from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent


def _events(pat) -> int:
    return AuditEvent.objects.filter(patient=pat).count()


def test_a_head_on_a_share_link_is_not_a_view(client, pat):
    _, token = do_create_share_link(Actor(user=pat, via="web"), label="GP", scopes=["checkins"], days=3)
    before = _events(pat)
    r = client.head(f"/s/{token}/")
    assert r.status_code == 200
    assert r.content == b""
    assert "no-store" in r["Cache-Control"]
    assert _events(pat) == before
    assert client.get(f"/s/{token}/").status_code == 200
    # A GET is: the check-ins it read and the page it showed.
    assert set(AuditEvent.objects.filter(patient=pat).values_list("via", flat=True)) == {"link"}
    assert AuditEvent.objects.filter(patient=pat, object_type="share_link").count() == 1


def test_the_audit_log_cannot_be_emptied(pat, cara, client):
    client.force_login(cara)
    client.get(f"/clinician/patients/{pat.pk}/")
    n = _events(pat)
    assert n > 0
    if connection.vendor != "postgresql":
        # SQLite has no TRUNCATE; its equivalent, a bulk delete, is refused by the model.
        with pytest.raises(PermissionError):
            AuditEvent.objects.all().delete()
        assert _events(pat) == n
        return
    with connection.cursor() as cursor:
        # The test role owns the table and conftest opted in for Django's flush: opt out here.
        cursor.execute("SET painmind.audit_truncate = 'off'")
        # Settle the test transaction's deferred foreign-key checks, which TRUNCATE would wait for.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
                cursor.execute("TRUNCATE accounts_auditevent CASCADE")
            assert _events(pat) == n
            # A serving role that does not own the table is refused even when it opts in, and
            # cannot switch the triggers off.
            cursor.execute("CREATE ROLE painmind_test_server NOLOGIN")
            cursor.execute("GRANT SELECT, INSERT, TRUNCATE ON accounts_auditevent TO painmind_test_server")
            cursor.execute("SET ROLE painmind_test_server")
            cursor.execute("SET painmind.audit_truncate = 'on'")
            with pytest.raises(DatabaseError, match="TRUNCATE refused"), transaction.atomic():
                cursor.execute("TRUNCATE accounts_auditevent")
            with pytest.raises(DatabaseError, match="must be owner"), transaction.atomic():
                cursor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER USER")
            assert _events(pat) == n
        finally:
            cursor.execute("RESET ROLE")
            cursor.execute("SET painmind.audit_truncate = 'on'")


def test_check_warns_when_the_serving_role_owns_the_audit_log(db):
    ids = [m.id for m in run_checks(databases=["default"])]
    if connection.vendor != "postgresql":
        assert "painmind.W011" not in ids  # nothing to own: the model layer guards SQLite
        return
    assert "painmind.W011" in ids  # the test role made the tables
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE painmind_test_reader NOLOGIN")
        cursor.execute("GRANT SELECT, INSERT ON accounts_auditevent TO painmind_test_reader")
        cursor.execute("SET ROLE painmind_test_reader")
        try:
            assert "painmind.W011" not in [m.id for m in run_checks(databases=["default"])]
        finally:
            cursor.execute("RESET ROLE")
