"""The clinician panel: one row per consenting patient, built with a fixed number of queries.

Whatever the number of patients, `get_panel_for_user` runs four queries: the patients, with
their last check-in date, next review date and, per measure, the newest scored response and
the total of the one before annotated (correlated subqueries that each read a few index
entries); the last 28 days' check-ins (pain and mood, averaged here per patient and local
date); the open alerts; and one audit insert (`record_many_at_once`). Everything else (change
arrows, sparklines, sorting and filtering) happens in Python on those rows. Where the time
goes for 1,000 patients: docs/panel.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Any

from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.utils import timezone

from painmind.accounts.access import patient_ids_of
from painmind.accounts.audit import Actor, record_many_at_once
from painmind.accounts.models import AuditAction, Consent, Role, User
from painmind.care.panel.filters import keep, sort_key
from painmind.care.panel.medication import add_medication_risk
from painmind.care.panel.rows import (
    ARROWS,
    PANEL_INSTRUMENTS,
    TREND_DAYS,
    Panel,
    PanelFilters,
    PanelRow,
    ScoreCell,
    Trend,
    instrument_short_name,
)
from painmind.careplan.models import OPEN_INTERVENTION_STATUSES, Intervention
from painmind.core.instruments import compare, plain_step
from painmind.diary.instruments import change_config, site_instrument
from painmind.diary.models import CheckIn, QuestionnaireResponse
from painmind.safety.models import Alert, AlertKind, Screen, Severity
from painmind.safety.notify import with_overdue

PatientIds = QuerySet[Consent, Any]


def get_panel_for_user(actor: Actor, filters: PanelFilters | None = None) -> Panel:
    """The panel rows for a clinician's consenting patients, sorted and filtered. Audited.

    Raises Http404 for anyone but an active clinician. One audit event per patient shown
    (object type "panel"), written in one insert.
    """
    user = actor.user
    if user is None or not user.is_active or user.role != Role.CLINICIAN:
        raise Http404("No panel here.")
    filters = filters or PanelFilters()
    ids = patient_ids_of(user)
    now = timezone.now()
    clinician_today = timezone.localdate(now, timezone=user.tzinfo)

    last_checkin = CheckIn.objects.filter(patient=OuterRef("pk")).order_by("-recorded_at", "-id").values("local_on")[:1]
    next_review = (
        Intervention.objects.filter(
            patient=OuterRef("pk"), status__in=OPEN_INTERVENTION_STATUSES, review_on__isnull=False
        )
        .order_by("review_on")
        .values("review_on")[:1]
    )
    patients = list(
        User.objects.filter(pk__in=ids, role=Role.PATIENT, is_active=True)
        .annotate(last_checkin_on=Subquery(last_checkin), next_review_on=Subquery(next_review), **_score_annotations())
        .only("id", "email", "display_name", "time_zone", "role", "is_active")
    )

    rows: dict[int, PanelRow] = {}
    todays: dict[str, date] = {}  # local dates by zone: most patients share a handful of zones
    for p in patients:
        if p.time_zone not in todays:
            todays[p.time_zone] = timezone.localdate(now, timezone=p.tzinfo)
        today = todays[p.time_zone]
        review: date | None = p.next_review_on  # type: ignore[attr-defined]  # annotated above
        rows[p.pk] = PanelRow(
            patient=p,
            name=p.display_name or p.email,
            today=today,
            last_checkin_on=p.last_checkin_on,  # type: ignore[attr-defined]
            scores=dict.fromkeys(PANEL_INSTRUMENTS),
            pain=Trend("pain", ()),
            mood=Trend("mood", ()),
            next_review_on=review,
            review_overdue=review is not None and review < clinician_today,
            review_due=review is not None and review <= clinician_today,
        )

    _add_scores(rows, patients)
    _add_trends(rows, ids, now.date())
    _add_alerts(rows, ids)

    shown = [r for r in rows.values() if keep(r, filters)]
    shown.sort(key=sort_key(filters.sort))
    record_many_at_once(actor, [r.patient for r in shown], AuditAction.VIEW, "panel")
    instruments = [(i, instrument_short_name(i)) for i in PANEL_INSTRUMENTS]
    return Panel(shown, len(rows), filters, clinician_today, instruments)


def _score_annotations() -> dict[str, Subquery]:
    """For each panel measure: the newest scored response ("total|local_on|band" as one text)
    and the total of the one before it.

    Correlated subqueries that each read a couple of entries of the (patient, instrument,
    newest first) index (diary/0004): far cheaper than ranking every response of every
    patient, and the same on SQLite and PostgreSQL. The newest response is one text rather
    than a JSON object: building 3,000 JSON objects cost PostgreSQL more than the lookups.
    """
    out = {}
    for instrument_id in PANEL_INSTRUMENTS:
        scored = QuestionnaireResponse.objects.filter(
            patient=OuterRef("pk"), instrument=instrument_id, total__isnull=False
        ).order_by("-completed_at", "-id")
        text: CharField[str, str] = CharField()
        latest = Concat(Cast("total", text), Value("|"), Cast("local_on", text), Value("|"), "band", output_field=text)
        out[f"_{instrument_id}_latest"] = Subquery(scored.values(latest=latest)[:1], output_field=text)
        out[f"_{instrument_id}_previous"] = Subquery(scored.values("total")[1:2])
    return out


def _add_scores(rows: Mapping[int, PanelRow], patients: list[User]) -> None:
    """Score cells from the patient query's annotations, each compared with the score before."""
    config = change_config()
    changes: dict[tuple[str, float, float], tuple[str, str, object]] = {}
    sentences: dict[tuple[str, float, float, str], str] = {}
    higher_is_worse = {i: site_instrument(i).higher_is_worse for i in PANEL_INSTRUMENTS}
    days: dict[str, date] = {}
    for p in patients:
        row = rows[p.pk]
        for instrument_id in PANEL_INSTRUMENTS:
            latest: str | None = getattr(p, f"_{instrument_id}_latest")
            if latest is None:
                continue
            total_text, day_text, band = latest.split("|", 2)
            total = float(total_text)
            before = getattr(p, f"_{instrument_id}_previous")
            day = days.get(day_text)
            if day is None:
                day = days[day_text] = date.fromisoformat(day_text[:10])
            arrow = change = change_text = ""
            if before is not None:
                key = (instrument_id, float(before), total)
                if key not in changes:
                    # The same comparison the questionnaire pages store with each response
                    # (clinical-reference §3: Jacobson–Truax reliable change, the site's SEMs).
                    result = compare(site_instrument(instrument_id), float(before), total, config=config)
                    marks = ARROWS[result.reliable] if result.reliable is not None else ("", "")
                    changes[key] = (*marks, result.reliable)
                arrow, change, reliable = changes[key]
                said = (*key, day_text)
                if said not in sentences:
                    # In words, as on the patient's score rows; the method is under the table.
                    sentences[said] = plain_step(
                        instrument_short_name(instrument_id),
                        float(before),
                        total,
                        reliable,
                        on=f"{day.day} {day:%b}",
                        higher_is_worse=higher_is_worse[instrument_id],
                    )
                change_text = sentences[said]
            row.scores[instrument_id] = ScoreCell(
                instrument=instrument_id,
                short=instrument_short_name(instrument_id),
                total=total,
                band=band.replace("_", " "),
                band_text=_band_texts(instrument_id).get(band, ""),
                local_on=day,
                arrow=arrow,
                change=change,
                change_text=change_text,
            )


@cache
def _band_texts(instrument_id: str) -> dict[str, str]:
    return {b.label: b.text for b in site_instrument(instrument_id).bands}


def _add_trends(rows: Mapping[int, PanelRow], ids: PatientIds, utc_today: date) -> None:
    """Daily pain and mood means by patient and local date over the trend window, one query.

    Every patient's local "today" lies within a day of UTC's, so one lower bound covers them
    all; each row then keeps its own 28 local dates. The rows are averaged here rather than
    with GROUP BY: nearly every day has one check-in, so grouping saves no rows and costs
    PostgreSQL twice the time of a plain index scan (docs/benchmarks.md).
    """
    since = utc_today - timedelta(days=TREND_DAYS + 1)
    entries = (
        CheckIn.objects.filter(patient_id__in=ids, local_on__gte=since)
        .order_by()
        .values_list("patient_id", "local_on", "pain", "mood")
    )
    pains: dict[int, dict[date, float]] = defaultdict(dict)
    moods: dict[int, dict[date, float]] = defaultdict(dict)
    repeats: dict[tuple[int, date], list[float]] = {}  # days with more than one check-in
    for pid, day, pain, mood in entries:
        patient_pains = pains[pid]
        if day not in patient_pains:
            patient_pains[day] = pain
            moods[pid][day] = mood
        elif (pid, day) in repeats:
            acc = repeats[(pid, day)]
            acc[0] += pain
            acc[1] += mood
            acc[2] += 1
        else:
            repeats[(pid, day)] = [patient_pains[day] + pain, moods[pid][day] + mood, 2]
    for (pid, day), (pain_sum, mood_sum, n) in repeats.items():
        pains[pid][day] = pain_sum / n
        moods[pid][day] = mood_sum / n
    windows: dict[date, list[date]] = {}
    empty: dict[date, float] = {}
    for pid, row in rows.items():
        window = windows.get(row.today)
        if window is None:
            window = windows[row.today] = [row.today - timedelta(days=TREND_DAYS - 1 - i) for i in range(TREND_DAYS)]
        row.pain = Trend("pain", tuple(map(pains.get(pid, empty).get, window)))
        row.mood = Trend("mood", tuple(map(moods.get(pid, empty).get, window)))


def _add_alerts(rows: Mapping[int, PanelRow], ids: PatientIds) -> None:
    """Open alerts counted by severity, with the newest one's title and how many are overdue
    (`safety.notify.with_overdue`), one query."""
    alerts = (
        with_overdue(Alert.objects.open().filter(patient_id__in=ids))
        .order_by("patient_id", "-created_at", "-id")
        # `overdue` is with_overdue's annotation, which the type checker's plugin cannot see.
        .values_list("patient_id", "severity", "title", "screen", "overdue", "kind", "key")  # type: ignore[misc]
    )
    for pid, severity, title, screen, overdue, kind, key in alerts:
        row = rows.get(pid)
        if row is None:
            continue
        if kind == AlertKind.MEDICATION:
            add_medication_risk(row, key, severity)
        if not row.newest_alert_title:
            row.newest_alert_title = title
        row.n_acute += screen == Screen.ACUTE
        if severity == Severity.CRITICAL:
            row.n_critical += 1
        else:
            row.n_warning += 1
        if overdue:
            row.n_overdue += 1
