"""Research use: the opt-in (web and API), and the de-identified export (CLI, API, web)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from conftest import PASSWORD
from painmind.accounts.actions import do_create_user
from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent
from painmind.core.cycle.cli import main as analyze_main
from painmind.diary.actions import do_record_checkin, do_record_response
from painmind.exchange.models import ResearchConsent
from painmind.exchange.research.actions import do_opt_in_research, do_opt_out_research
from painmind.meds.actions import do_add_regimen

# Written independently of the code: the columns `painmind analyze --data` reads by name.
CHECKIN_COLUMNS = [
    "id", "date", "pain", "mood", "pain_interference", "anxiety", "stress",
    "sleep_hours", "sleep_quality", "activity_minutes", "social",
]  # fmt: skip
FIRST_DAY = date(2026, 1, 5)
TRAMADOL = {"name": "Tramadol", "dose": "50", "dose_unit": "mg", "schedule": "as_needed", "max_per_day": 4,
            "reason": "pain"}  # fmt: skip


def _diary(patient: Any, n_days: int, *, note: str) -> list[date]:
    """One check-in a day at 20:00 UTC (two on the first day), with a note and tags."""
    days = []
    for i in range(n_days):
        day = FIRST_DAY + timedelta(days=i)
        at = datetime(day.year, day.month, day.day, 20, tzinfo=UTC)
        data = {"pain": (i * 3) % 11, "mood": (i * 7) % 11, "anxiety": i % 5, "stress": (i * 5) % 11,
                "sleep_quality": (i * 2) % 11, "activity_minutes": (i * 37) % 120, "sleep_hours": 6.5,
                "note": note, "tags": ["secret-tag"]}  # fmt: skip
        do_record_checkin(Actor(user=patient, via="web"), patient, data, recorded_at=at)
        days.append(day)
    do_record_checkin(
        Actor(user=patient, via="web"),
        patient,
        {"pain": 9, "mood": 1, "note": note},
        recorded_at=datetime(FIRST_DAY.year, FIRST_DAY.month, FIRST_DAY.day, 8, tzinfo=UTC),
    )
    return days


@pytest.fixture
def cohort(pat: Any) -> dict[str, Any]:
    pia = do_create_user("pia@example.org", PASSWORD, role="patient", check_password=False, display_name="Pia Zed")
    quit_ = do_create_user("quin@example.org", PASSWORD, role="patient", check_password=False, display_name="Quin")
    never = do_create_user("nev@example.org", PASSWORD, role="patient", check_password=False, display_name="Nev")
    _diary(never, 20, note="Nev never opted in")
    days = {pat.pk: _diary(pat, 40, note="Pat's private note"), pia.pk: _diary(pia, 33, note="Pia's note")}
    _diary(quit_, 25, note="Quin's note")
    me = Actor(user=pat, via="web")
    completed = datetime(2026, 1, 20, 9, tzinfo=UTC)
    do_record_response(me, pat, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], completed_at=completed)  # total 8
    do_add_regimen(me, pat, {**TRAMADOL, "started_on": "2026-01-10"})
    do_add_regimen(me, pat, {**TRAMADOL, "name": "Grandma's herbal mix", "started_on": "2026-01-12"})
    for p in (pat, pia, quit_):
        do_opt_in_research(Actor(user=p, via="web"))
    do_opt_out_research(Actor(user=quit_, via="api"))  # revoked: left out of every later export
    return {"pat": pat, "pia": pia, "quin": quit_, "days": days}


def _all_cells(table: pa.Table) -> list[str]:
    return [str(v) for column in table.columns for v in column.to_pylist()]


def test_cli_export_is_de_identified_shifted_and_reads_into_analyze(
    cohort: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cohort.parquet"
    call_command("export", "research", "--out", str(out))
    checkins = pq.read_table(out)
    assert checkins.column_names == CHECKIN_COLUMNS
    tables = {name: pq.read_table(tmp_path / f"cohort.{name}.parquet") for name in ("scores", "medicines", "tools")}
    tables["checkins"] = checkins

    # No identifying or free-text value anywhere, in any table.
    forbidden = ["pat@example.org", "Pat Example", "Pia Zed", "private note", "Pia's note", "Quin", "Nev", "secret-tag",
                 "Grandma"]  # fmt: skip
    for name, table in tables.items():
        cells = _all_cells(table)
        assert not [c for c in cells for f in forbidden if f.lower() in c.lower()], name
        assert not {"note", "notes", "tags", "email", "name", "display_name"} & set(table.column_names)

    # Two people (Quin revoked, Nev never opted in), one row per person and day: 40 and 33 days.
    ids = checkins.column("id").to_pylist()
    by_id = {i: ids.count(i) for i in set(ids)}
    assert sorted(by_id.values()) == [33, 40]
    pat_id = next(i for i, n in by_id.items() if n == 40)
    pia_id = next(i for i, n in by_id.items() if n == 33)
    assert str(cohort["pat"].pk) not in {pat_id, pia_id}

    # Every date of a person moved by one constant, whole-week shift; the two people differ.
    rows = checkins.to_pylist()
    shifts = {}
    for pid, key in ((cohort["pat"].pk, pat_id), (cohort["pia"].pk, pia_id)):
        exported = sorted(r["date"] for r in rows if r["id"] == key)
        deltas = {(e - d).days for e, d in zip(exported, cohort["days"][pid], strict=True)}
        assert len(deltas) == 1
        shifts[key] = deltas.pop()
        assert shifts[key] != 0
        assert shifts[key] % 7 == 0
    assert shifts[pat_id] != shifts[pia_id]

    # Scores and medicines: Pat's, under Pat's pseudonym, dates moved by Pat's shift.
    pat_shift = timedelta(days=shifts[pat_id])
    assert tables["scores"].to_pylist() == [
        {"id": pat_id, "date": date(2026, 1, 20) + pat_shift, "instrument": "phq9", "version": "1", "total": 8.0,
         "band": "mild", "status": "complete"}
    ]  # fmt: skip
    meds = tables["medicines"].to_pylist()
    assert [(m["id"], m["generic"], m["started_on"]) for m in meds] == [
        (pat_id, "tramadol", date(2026, 1, 10) + pat_shift),
        (pat_id, None, date(2026, 1, 12) + pat_shift),  # unknown to the catalogue: no name at all
    ]
    assert "opioid" in meds[0]["classes"]
    assert meds[1]["classes"] is None

    # The first day had two check-ins: the row is their mean (pain 0 and 9 → 4.5).
    first = min((r for r in rows if r["id"] == pat_id), key=lambda r: r["date"])
    assert first["pain"] == 4.5

    # export → analyze is one pipe: the file goes in unchanged.
    result = tmp_path / "long.csv"
    code = analyze_main(["--data", str(out), "--id-col", "id", "--time-col", "date", "--out", str(result)])
    assert code == 0
    long = pcsv.read_csv(result)
    assert set(long.column("id").to_pylist()) == {pat_id, pia_id}

    # Stable across exports: the same pseudonyms and dates again.
    again = tmp_path / "again.parquet"
    call_command("export", "research", "--out", str(again))
    assert pq.read_table(again).equals(checkins)

    # Audited on each person in it (twice: two exports), never on the one who opted out.
    events = AuditEvent.objects.filter(action="export", object_type="research_export")
    assert sorted(e.patient_id for e in events) == sorted([cohort["pat"].pk, cohort["pia"].pk] * 2)
    assert {e.via for e in events} == {"cli"}


def test_the_patient_sees_the_research_export_in_who_viewed_my_data(
    cohort: dict[str, Any], rex: Any, client: Any
) -> None:
    client.force_login(rex)
    client.post("/research/export/download/", {"format": "csv"})
    client.force_login(cohort["pat"])
    page = client.get("/me/access-log/").content.decode()
    assert "exported your de-identified data for research" in page


def test_cli_csv_format_and_bad_out_dir(cohort: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    call_command("export", "research", "--out", str(out), "--format", "csv")
    assert pcsv.read_csv(out).column_names == CHECKIN_COLUMNS
    assert (tmp_path / "c.scores.csv").exists()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such directory"):
        call_command("export", "research", "--out", str(tmp_path / "nope" / "x.parquet"))


def test_researcher_downloads_a_zip_over_the_api_others_get_404(
    cohort: dict[str, Any], rex: Any, cara: Any, token_for: Any, client: Any
) -> None:
    r = client.get("/api/v1/research/export?format=csv", headers=token_for(rex))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(archive.namelist()) == ["README.txt", "checkins.csv", "medicines.csv", "scores.csv", "tools.csv"]
    checkins = pcsv.read_csv(io.BytesIO(archive.read("checkins.csv")))
    assert checkins.column_names == CHECKIN_COLUMNS
    assert checkins.num_rows == 73
    assert AuditEvent.objects.filter(object_type="research_export", actor=rex, via="api").count() == 2
    for someone in (cohort["pat"], cara):
        n_before = AuditEvent.objects.count()
        assert client.get("/api/v1/research/export", headers=token_for(someone)).status_code == 404
        assert AuditEvent.objects.count() == n_before


def test_researcher_downloads_from_the_web(cohort: dict[str, Any], rex: Any, client: Any) -> None:
    client.force_login(rex)
    assert client.get("/research/export/").status_code == 200
    r = client.post("/research/export/download/", {"format": "parquet"})
    assert r.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    assert pq.read_table(io.BytesIO(archive.read("checkins.parquet"))).column_names == CHECKIN_COLUMNS
    client.force_login(cohort["pat"])
    assert client.get("/research/export/").status_code == 404
    assert client.post("/research/export/download/").status_code == 404


def test_patient_opts_in_and_out_on_the_web(pat: Any, client: Any) -> None:
    client.force_login(pat)
    assert "Help research" in client.get("/me/sharing/").content.decode()
    assert "not</strong> taking part" in client.get("/me/research/").content.decode()
    assert client.post("/me/research/", {"choice": "in"}).status_code == 302
    assert ResearchConsent.objects.active().filter(patient=pat).count() == 1
    assert "You are taking part" in client.get("/me/research/").content.decode()
    client.post("/me/research/", {"choice": "out"})
    assert ResearchConsent.objects.active().filter(patient=pat).count() == 0
    assert ResearchConsent.objects.filter(patient=pat, revoked_at__isnull=False).count() == 1


def test_patient_opts_in_and_out_over_the_api(pat: Any, cara: Any, token_for: Any, client: Any) -> None:
    h = token_for(pat)
    assert client.get("/api/v1/me/research-consent", headers=h).json() == {"active": False, "granted_at": None}
    assert client.post("/api/v1/me/research-consent", headers=h).status_code == 201
    again = client.post("/api/v1/me/research-consent", headers=h)
    assert again.status_code == 200
    assert again.json()["active"] is True
    assert ResearchConsent.objects.filter(patient=pat).count() == 1
    assert client.delete("/api/v1/me/research-consent", headers=h).json()["active"] is False
    assert ResearchConsent.objects.active().filter(patient=pat).count() == 0
    # Only a patient decides for themselves: a clinician has no research consent to give.
    assert client.post("/api/v1/me/research-consent", headers=token_for(cara)).status_code == 404
    assert not ResearchConsent.objects.filter(patient=cara).exists()
