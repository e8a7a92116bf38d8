"""`painmind import checkins` and the patient's upload: dry run, all-or-nothing, idempotent.

Runs unchanged on SQLite and PostgreSQL (the unique (patient, client_id) index decides)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from painmind.accounts.models import AuditEvent
from painmind.diary.models import CheckIn

GOOD = "date,pain,mood,notes\n2026-03-01,4,1,slept badly\n2026-03-02,5,2,\n2026-03-03,3,5,walked\n"
# The same file with row 3 (line 3) unreadable and row 4 out of range.
BAD = "date,pain,mood,notes\n2026-03-01,4,1,\n2026-03-02,five,2,\n2026-03-03,3,9,\n"


def _file(tmp_path: Path, text: str | bytes, name: str = "diary.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def _run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import", "checkins", *args, stdout=out)
    return out.getvalue()


def test_dry_run_reports_and_stores_nothing(pat: Any, tmp_path: Path) -> None:
    out = _run(_file(tmp_path, GOOD), "--user", pat.email, "--mapping", "generic", "--dry-run")
    assert "3 row(s): would import 3 new check-in(s); 0 already there" in out
    assert CheckIn.objects.count() == 0


def test_import_converts_and_is_idempotent(pat: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD)
    assert "imported 3 new" in _run(path, "--user", pat.email, "--mapping", "generic")
    rows = list(CheckIn.objects.filter(patient=pat).order_by("recorded_at"))
    # Mood 1, 2, 5 on 1–5 → 0, 2.5 → 3, 10 by hand; 12:00 London (GMT in early March) = 12:00 UTC.
    assert [(r.pain, r.mood, r.note) for r in rows] == [(4, 0, "slept badly"), (5, 3, ""), (3, 10, "walked")]
    assert rows[0].recorded_at == datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert all(r.client_id is not None for r in rows)
    # Every row went through the check-in action, which audits the operator's writes.
    assert AuditEvent.objects.filter(patient=pat, object_type="checkin", via="cli").count() == 3

    assert "imported 0 new check-in(s); 3 already there" in _run(path, "--user", pat.email, "--mapping", "generic")
    assert "would import 0 new" in _run(path, "--user", pat.email, "--mapping", "generic", "--dry-run")
    assert CheckIn.objects.filter(patient=pat).count() == 3


def test_a_row_twice_in_one_file_is_stored_once(pat: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD + "2026-03-01,4,1,slept badly\n")
    assert "would import 3 new check-in(s); 1 already there" in _run(
        path, "--user", pat.email, "--mapping=generic", "--dry-run"
    )
    assert "imported 3 new check-in(s); 1 already there" in _run(path, "--user", pat.email, "--mapping=generic")
    assert CheckIn.objects.filter(patient=pat).count() == 3


def test_one_bad_row_rejects_the_file(pat: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError, match=r"2 bad row\(s\) of 3; nothing imported"):
        call_command(
            "import", "checkins", _file(tmp_path, BAD), "--user", pat.email, "--mapping", "generic", stdout=out
        )
    report = out.getvalue()
    assert "line 3: pain: 'five' in column 'pain' is not a number" in report
    assert "line 4: mood: 9 is outside the file's scale 1–5" in report
    assert CheckIn.objects.count() == 0


def test_a_half_new_file_is_all_or_nothing(pat: Any, tmp_path: Path) -> None:
    _run(_file(tmp_path, GOOD, "first.csv"), "--user", pat.email, "--mapping", "generic")
    mixed = GOOD + "2026-03-04,4,3,\n2026-03-05,4,0,\n"  # two new rows, the last one bad
    with pytest.raises(CommandError):
        _run(_file(tmp_path, mixed, "second.csv"), "--user", pat.email, "--mapping", "generic")
    assert CheckIn.objects.filter(patient=pat).count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file: empty"),
        (b"\xff\xfe\x00d\x00a", "not UTF-8"),
        (b"day,pain,mood\n2026-03-01,4,3\n", "no column 'date'"),
        (b'date,pain,mood,notes\n2026-03-01,4,3,"unclosed\n', "line 2: unexpected end of data"),
    ],
)
def test_a_malformed_file_changes_nothing(pat: Any, tmp_path: Path, content: bytes, message: str) -> None:
    n_events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=message):
        _run(_file(tmp_path, content), "--user", pat.email, "--mapping", "generic")
    assert CheckIn.objects.count() == 0
    assert AuditEvent.objects.count() == n_events


def test_bad_arguments_are_one_clear_line(pat: Any, cara: Any, tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD)
    with pytest.raises(CommandError, match="no such file or shipped mapping: fitbit"):
        _run(path, "--user", pat.email, "--mapping", "fitbit")
    with pytest.raises(CommandError, match="no active patient"):
        _run(path, "--user", cara.email, "--mapping", "generic")
    with pytest.raises(CommandError, match="cannot read"):
        _run(str(tmp_path / "missing.csv"), "--user", pat.email, "--mapping", "generic")
    bad_mapping = _file(tmp_path, '{"time": {"column": "date"}}', "m.json")
    with pytest.raises(CommandError, match=r"time\.format is required"):
        _run(path, "--user", pat.email, "--mapping", bad_mapping)


def test_an_own_json_mapping_with_a_time_zone(pat: Any, tmp_path: Path) -> None:
    mapping = _file(
        tmp_path,
        '{"time": {"column": "when", "format": "%d/%m/%Y %H:%M", "time_zone": "America/New_York"},'
        ' "fields": {"pain": {"column": "p"}, "mood": {"column": "m", "from": [0, 100], "to": [0, 10]}}}',
        "mine.json",
    )
    _run(_file(tmp_path, "when,p,m\n01/07/2026 21:30,6,70\n"), "--user", pat.email, "--mapping", mapping)
    entry = CheckIn.objects.get(patient=pat)
    # 21:30 EDT (UTC−4) is 01:30 UTC the next day; 70 on 0–100 is 7 on 0–10.
    assert entry.recorded_at == datetime(2026, 7, 2, 1, 30, tzinfo=UTC)
    assert entry.mood == 7


def test_patient_checks_then_imports_on_the_web(pat: Any, client: Any) -> None:
    client.force_login(pat)
    assert client.get("/me/import/").status_code == 200

    def post(text: str, **extra: Any) -> Any:
        data = {"file": SimpleUploadedFile("d.csv", text.encode(), "text/csv"), "mapping": "generic", **extra}
        return client.post("/me/import/", data)

    r = post(GOOD, dry_run="on")
    assert r.status_code == 200
    assert "would import 3 new" in r.content.decode()
    assert CheckIn.objects.count() == 0
    r = post(BAD)
    assert r.status_code == 400
    assert "line 3: pain" in r.content.decode()
    assert CheckIn.objects.count() == 0
    r = post(GOOD)
    assert "imported 3 new" in r.content.decode()
    assert post(GOOD).content.decode().count("3 already there") == 1
    assert CheckIn.objects.filter(patient=pat, created_by=pat).count() == 3
    # The patient's own import is not an audit event (no one else touched their data).
    assert not AuditEvent.objects.filter(patient=pat, object_type="checkin").exists()


def test_the_upload_page_is_for_patients_only(cara: Any, client: Any) -> None:
    client.force_login(cara)
    assert client.get("/me/import/").status_code == 404
