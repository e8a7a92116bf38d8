"""The panel's query count does not grow with the number of patients (the issue's "Done when")."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from painmind.accounts.models import AuditEvent, Consent, User
from painmind.careplan.models import Intervention, Strategy
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.safety.models import Alert, AlertKind, Severity


def _patients(clinician, n, start):
    """n consenting patients, each with 30 days of check-ins, two scores of each panel measure,
    an open alert and an intervention under review."""
    users = User.objects.bulk_create(
        [User(email=f"p{start + i}@example.org", display_name=f"Patient {start + i:03d}") for i in range(n)]
    )
    Consent.objects.bulk_create([Consent(patient=u, clinician=clinician, granted_by=u) for u in users])
    now = timezone.now()
    checkins, responses, alerts, interventions = [], [], [], []
    for u in users:
        today = timezone.localdate(timezone=u.tzinfo)
        for d in range(30):
            day = today - timedelta(days=d)
            at = datetime.combine(day, time(9), tzinfo=u.tzinfo)
            checkins.append(CheckIn(patient=u, recorded_at=at, local_on=day, pain=(d % 10), mood=5))
        for k, (instrument, total) in enumerate([("phq9", 12.0), ("phq9", 20.0), ("gad7", 8.0), ("peg", 5.0)]):
            at = now - timedelta(days=20 - k)
            responses.append(
                QuestionnaireResponse(
                    patient=u,
                    instrument=instrument,
                    version="1",
                    answers=[],
                    total=total,
                    band="moderate",
                    status="complete",
                    result={},
                    completed_at=at,
                    local_on=at.date(),
                )
            )
        alerts.append(Alert(patient=u, kind=AlertKind.SILENCE, severity=Severity.WARNING, key="s", title="quiet"))
        interventions.append(Intervention(patient=u, strategy=Strategy.CBT, title="CBT", review_on=today))
    CheckIn.objects.bulk_create(checkins)
    QuestionnaireResponse.objects.bulk_create(responses)
    Alert.objects.bulk_create(alerts)
    Intervention.objects.bulk_create(interventions)


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/clinician/")
    assert r.status_code == 200
    return len(ctx.captured_queries), r.content.decode().count('<tr id="patient-')


def test_query_count_is_the_same_for_5_and_50_patients(client, olga):
    client.force_login(olga)
    _patients(olga, 5, 0)
    small, rows_small = _count(client)
    _patients(olga, 45, 5)
    large, rows_large = _count(client)
    assert (rows_small, rows_large) == (5, 50)
    assert small == large
    # Session and user (2); the patients with last check-in, next review and the two newest
    # scores annotated, the daily means, the open alerts and the one audit insert (4); the
    # pending invitations addressed to this clinician (1).
    assert large == 7
    assert AuditEvent.objects.filter(actor=olga, object_type="panel").count() == 55
