"""`record_many_at_once` (one INSERT … SELECT, used by the clinician panel) stores exactly what
`record_many` would. Real database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from painmind.accounts.audit import Actor, record_many, record_many_at_once
from painmind.accounts.models import AuditAction, AuditEvent
from painmind.care.tests.panel_helpers import make_patient

COLUMNS = ("actor", "actor_label", "actor_role", "patient", "action", "object_type", "object_id", "detail", "ip", "via")


def _rows(events):
    return list(events.order_by("id").values_list(*COLUMNS))


def test_rows_written_at_once_equal_record_many_rows(pat, cara):
    other = make_patient("o@example.org", "Oz Other", cara)
    for ip in ("203.0.113.9", "2001:db8::1", None):
        actor = Actor(user=cara, via="web", ip=ip)
        before = timezone.now()
        start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        record_many(actor, [pat, other], AuditAction.VIEW, "panel")
        middle = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        record_many_at_once(actor, [pat, other], AuditAction.VIEW, "panel")
        by_record_many = AuditEvent.objects.filter(id__gt=start, id__lte=middle)
        by_panel = AuditEvent.objects.filter(id__gt=middle)
        assert _rows(by_panel) == _rows(by_record_many)
        # Written out by hand: one view event per patient, in the order shown.
        assert _rows(by_panel) == [
            (cara.pk, "cara@example.org", "clinician", pk, "view", "panel", "", "", ip, "web")
            for pk in (pat.pk, other.pk)
        ]
        assert all(before <= e.at <= timezone.now() + timedelta(seconds=1) for e in by_panel)


def test_at_once_skips_the_actor_and_writes_nothing_for_no_patients(pat, cara):
    record_many_at_once(Actor(user=cara, via="web"), [], AuditAction.VIEW, "panel")
    record_many_at_once(
        Actor(user=pat, via="web"), [pat], AuditAction.VIEW, "panel"
    )  # a patient's own data is not audited
    assert not AuditEvent.objects.exists()
