"""The panel's audit insert (one INSERT … SELECT) stores exactly what `record_many` would, and
the sparkline drawn in each row. Real database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from painmind.accounts.audit import Actor, record_many
from painmind.accounts.models import AuditAction, AuditEvent
from painmind.care.panel import record_panel_views
from painmind.care.tests.panel_helpers import make_patient
from painmind.diary.charts import sparkline

COLUMNS = ("actor", "actor_label", "actor_role", "patient", "action", "object_type", "object_id", "detail", "ip", "via")


def _rows(events):
    return list(events.order_by("id").values_list(*COLUMNS))


def test_panel_audit_rows_equal_record_many_rows(pat, cara):
    other = make_patient("o@example.org", "Oz Other", cara)
    for ip in ("203.0.113.9", "2001:db8::1", None):
        actor = Actor(user=cara, via="web", ip=ip)
        before = timezone.now()
        start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        record_many(actor, [pat, other], AuditAction.VIEW, "panel")
        middle = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        record_panel_views(actor, [pat, other])
        by_record_many = AuditEvent.objects.filter(id__gt=start, id__lte=middle)
        by_panel = AuditEvent.objects.filter(id__gt=middle)
        assert _rows(by_panel) == _rows(by_record_many)
        # Written out by hand: one view event per patient, in the order shown.
        assert _rows(by_panel) == [
            (cara.pk, "cara@example.org", "clinician", pk, "view", "panel", "", "", ip, "web")
            for pk in (pat.pk, other.pk)
        ]
        assert all(before <= e.at <= timezone.now() + timedelta(seconds=1) for e in by_panel)


def test_panel_audit_skips_the_actor_and_writes_nothing_for_no_patients(pat, cara):
    record_panel_views(Actor(user=cara, via="web"), [])
    record_panel_views(Actor(user=pat, via="web"), [pat])  # a patient's own data is not audited
    assert not AuditEvent.objects.exists()


def test_sparkline_is_one_path_with_dots_for_lone_days():
    # 7 days on a 0-10 scale: x = 3 + 106·i/6 → 3, 20.7, 38.3, 56, 73.7, 91.3, 109;
    # y = 3 + 22·(1 − v/10) → v 2: 20.6, v 4: 16.2, v 5: 14, v 10: 3, v 0: 25.
    svg = sparkline([2, 4, None, 5, None, 10, 0], lo=0, hi=10)
    assert svg == (
        '<svg class="spark" viewBox="0 0 112 28" width="112" height="28" aria-hidden="true">'
        '<path class="base" d="M3 25H109"/>'
        '<path d="M3 20.6L20.7 16.2M91.3 3L109 25"/>'
        '<circle cx="56" cy="14" r="1.8"/>'
        "</svg>"
    )
    # No day with data: only the zero line.
    assert sparkline([None] * 4, lo=0, hi=10).count("<path") == 1
