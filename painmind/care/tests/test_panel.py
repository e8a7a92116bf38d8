"""The clinician panel at /clinician/: scores with change arrows, trends, silence, alerts,
reviews, sorting, filtering, consent and audit. Expected values are worked out by hand here."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from painmind.accounts.actions import do_create_user
from painmind.accounts.audit import Actor
from painmind.accounts.models import AuditEvent, Consent
from painmind.care.panel import PanelFilters, get_panel_for_user
from painmind.care.tests.panel_helpers import checkin, local_today, make_patient, respond, row_html, row_order
from painmind.careplan.models import Intervention, InterventionStatus, Strategy
from painmind.safety.models import Alert, AlertKind, Severity

PANEL = "/clinician/"

# Hand-scored answer vectors (PHQ-9 items 1-9, GAD-7 items 1-7, PEG items 1-3).
PHQ9_20 = [3, 3, 3, 3, 3, 3, 2, 0, 0]  # 20: severe (20-27, clinical-reference §1.1)
PHQ9_12 = [2, 2, 2, 2, 2, 1, 1, 0, 0]  # 12: moderate
PHQ9_19 = [3, 3, 3, 3, 3, 2, 2, 0, 0]  # 19: moderately severe (15-19)
GAD7_9 = [2, 2, 2, 1, 1, 1, 0]  # 9: mild (5-9, §1.3)
GAD7_6 = [1, 1, 1, 1, 1, 1, 0]  # 6: mild
PEG_7 = [7, 7, 7]  # mean 7
PEG_3 = [3, 4, 3]  # mean 10/3 = 3.33
# Reliable-change thresholds from data/reliable_change.json (1.96 · √2 · SEM, §3):
# PHQ-9 SEM 2.5 → 6.93; GAD-7 SEM 3.5·√(1−0.89) = 1.161 → 3.22; PEG SEM 1.22 → 3.38.


@pytest.fixture
def doc(db):
    """A clinician with no patients yet (cara already has pat)."""
    return do_create_user(
        "doc@example.org", "x", role="clinician", discipline="primary_care", display_name="Dr Doc", check_password=False
    )


def alert(patient, severity, title, *, minutes_ago=0, key=None, open_=True, by=None):
    now = timezone.now()
    return Alert.objects.create(
        patient=patient,
        kind=AlertKind.SELF_HARM if severity == Severity.CRITICAL else AlertKind.SILENCE,
        severity=severity,
        key=key or title,
        title=title,
        created_at=now - timedelta(minutes=minutes_ago),
        **({} if open_ else {"acknowledged_at": now, "acknowledged_by": by}),
    )


def test_scores_bands_and_reliable_change_arrows(client, pat, cara):
    # PHQ-9: 20, then 12, then 19 → latest 19 vs previous 12: +7 > 6.93 → reliably worse,
    # although against the oldest (20) it would be no reliable change.
    respond(pat, "phq9", PHQ9_20, 40)
    respond(pat, "phq9", PHQ9_12, 26)
    respond(pat, "phq9", PHQ9_19, 12)
    # A later PHQ-9 with too many blanks has no score; the panel keeps showing 19.
    respond(pat, "phq9", [None] * 8 + [0], 2)
    # GAD-7: 9 → 6 = −3, within 3.22 → no reliable change.
    respond(pat, "gad7", GAD7_9, 26)
    respond(pat, "gad7", GAD7_6, 12)
    # PEG: 7 → 3.33 = −3.67, beyond 3.38 → reliably better.
    respond(pat, "peg", PEG_7, 20)
    respond(pat, "peg", PEG_3, 6)
    client.force_login(cara)
    html = client.get(PANEL).content.decode()
    row = row_html(html, pat)
    cells = re.findall(r'<td class="score" data-label="([^"]+)">(.*?)</td>', row, re.S)
    assert [label for label, _ in cells] == ["PHQ-9", "GAD-7", "PEG"]
    phq9, gad7, peg = (cell for _, cell in cells)
    assert "<strong>19</strong>" in phq9
    assert ">moderately severe</span>" in phq9
    assert 'aria-hidden="true">↑</span><span class="sr-only">reliably worse</span>' in phq9
    assert "<strong>6</strong>" in gad7
    assert ">mild</span>" in gad7
    assert '→</span><span class="sr-only">no reliable change</span>' in gad7
    assert "<strong>3.3</strong>" in peg
    assert 'class="band"' not in peg  # the PEG has no bands
    assert '↓</span><span class="sr-only">reliably better</span>' in peg
    # The arrows' titles in plain words (issue 16), dated by the newer score's day as the cell is.
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    for cell, sentence, days_ago in [
        (phq9, "PHQ-9 went from 12 to 19 on {} — more than measurement error, so reliably worse", 12),
        (gad7, "GAD-7 went from 9 to 6 on {} — within measurement error", 12),
        (peg, "PEG went from 7 to 3.3 on {} — more than measurement error, so reliably better", 6),
    ]:
        day = (timezone.now() - timedelta(days=days_ago, hours=1)).astimezone(pat.tzinfo).date()  # as `respond`
        assert f'title="{sentence.format(f"{day.day} {months[day.month - 1]}")}"' in cell
    assert "Reliable" not in row  # not the method sentence: that is under the table and on the patient page
    assert "What the arrows mean" in html


def test_first_score_has_no_arrow_and_missing_measure_says_none(client, pat, cara):
    respond(pat, "phq9", PHQ9_12, 3)
    client.force_login(cara)
    row = row_html(client.get(PANEL).content.decode(), pat)
    phq9, gad7, peg = re.findall(r'<td class="score"[^>]*>(.*?)</td>', row, re.S)
    assert "<strong>12</strong>" in phq9
    assert ">moderate</span>" in phq9
    assert "arrow" not in phq9
    assert gad7 == peg == '<span class="muted">none</span>'


def test_trend_text_sparkline_gaps_and_days_since_checkin(client, pat, cara):
    checkin(pat, 28, 10, 1)  # 28 days ago: outside the 28-day window (today and the 27 before)
    checkin(pat, 27, 6, 4)
    checkin(pat, 27, 7, 5)  # two on one day: the day's mean is pain 6.5, mood 4.5
    checkin(pat, 20, 5, 5)
    checkin(pat, 20, 6, 5)
    checkin(pat, 20, 7, 5)  # three on one day: pain (5 + 6 + 7) / 3 = 6
    checkin(pat, 3, 4, 6)
    checkin(pat, 2, 3, 7)
    client.force_login(cara)
    row = row_html(client.get(PANEL).content.decode(), pat)
    assert "pain 6.5 → 3 over 28 days, 4 days with data" in row
    assert "mood 4.5 → 7 over 28 days, 4 days with data" in row
    assert "2 days ago" in row
    match = re.search(r'<td class="trend" data-label="Pain">(<svg.*?</svg>)', row, re.S)
    assert match is not None
    pain_svg = match.group(1)
    # Decorative: the sentence beside it says the same, so screen readers skip the drawing.
    assert 'aria-hidden="true"' in pain_svg
    assert "aria-label" not in pain_svg
    assert "<title>" not in pain_svg
    # Days 27 and 20 ago stand alone (dots); 3 and 2 ago join (one line). Window index i is
    # 27 − days ago; x = 3 + 106·i/27, y = 3 + 22·(1 − value/10), one decimal, no ".0".
    assert pain_svg.count("<circle") == 2
    assert '<circle cx="3" cy="10.7" r="1.8"/>' in pain_svg  # i 0, pain 6.5
    assert '<circle cx="30.5" cy="11.8" r="1.8"/>' in pain_svg  # i 7, pain 6
    assert '<path d="M97.2 16.2L101.1 18.4"/>' in pain_svg  # i 24 pain 4, i 25 pain 3
    assert '<path class="base" d="M3 25H109"/>' in pain_svg  # the zero line, y = 3 + 22


def test_no_checkins_and_local_today_in_the_patients_zone(client, cara):
    nobody = make_patient("new@example.org", "New Person", cara)
    # UTC+14: the patient's today can be a day ahead of UTC's; a check-in on their today is "today".
    kiri = make_patient("kiri@example.org", "Kiri Island", cara, time_zone="Pacific/Kiritimati")
    checkin(kiri, 0, 5, 5)
    client.force_login(cara)
    html = client.get(PANEL).content.decode()
    row = row_html(html, nobody)
    assert "pain: no check-ins in the last 28 days" in row
    assert ">never</td>" in row
    kiri_row = row_html(html, kiri)
    assert ">today</td>" in kiri_row
    assert "pain 5 on 1 day of the last 28" in kiri_row  # a whole number without ".0" (docs/care.md)
    panel = get_panel_for_user(Actor(user=cara, via="web"))
    kiri_panel = next(r for r in panel.rows if r.patient == kiri)
    assert kiri_panel.pain.values == (None,) * 27 + (5.0,)


def test_alert_counts_newest_title_and_alerts_first_order(client, doc):
    a = make_patient("a@example.org", "Zed Critical", doc)
    b = make_patient("b@example.org", "Yan Warnings", doc)
    c = make_patient("c@example.org", "Xia Silent", doc)
    d = make_patient("d@example.org", "Will Today", doc)
    e = make_patient("e@example.org", "Val Never", doc)
    f = make_patient("f@example.org", "Abe Today", doc)
    alert(a, Severity.CRITICAL, "PHQ-9 item 9 answered", minutes_ago=30)
    alert(a, Severity.WARNING, "old acknowledged", open_=False, by=doc)
    alert(b, Severity.WARNING, "older warning", minutes_ago=60)
    alert(b, Severity.WARNING, "newest warning", minutes_ago=5)
    Alert.objects.filter(patient=b, title="older warning").update(created_at=timezone.now() - timedelta(hours=2))
    checkin(c, 10, 5, 5)
    for p in (a, b, d, f):
        checkin(p, 0, 5, 5)
    client.force_login(doc)
    html = client.get(PANEL).content.decode()
    # Critical count, then warnings, then longest silence (never first), then name.
    assert row_order(html) == [a.pk, b.pk, e.pk, c.pk, f.pk, d.pk]
    row_a, row_b = row_html(html, a), row_html(html, b)
    assert '<span class="sev-count critical">1 critical</span>' in row_a
    assert "warning" not in row_a  # the acknowledged warning is not counted
    assert '<span class="sev-count warning">2 warnings</span>' in row_b
    assert "newest warning" in row_b
    assert "older warning" not in row_b
    assert ">10 days ago</td>" in row_html(html, c)


def test_next_review_is_the_earliest_open_intervention_and_overdue_is_marked(client, pat, cara):
    today = local_today(cara)

    def intervention(days, status):
        Intervention.objects.create(
            patient=pat,
            strategy=Strategy.CBT,
            title=f"{status} {days}",
            review_on=today + timedelta(days=days),
            status=status,
        )

    intervention(-9, InterventionStatus.COMPLETED)  # closed: ignored
    intervention(-8, InterventionStatus.STOPPED)  # closed: ignored
    intervention(5, InterventionStatus.PLANNED)
    intervention(-1, InterventionStatus.PAUSED)  # open and a day late: the next review, overdue
    Intervention.objects.create(patient=pat, strategy=Strategy.CBT, title="undated", status=InterventionStatus.ACTIVE)
    client.force_login(cara)
    row = row_html(client.get(PANEL).content.decode(), pat)
    yesterday = today - timedelta(days=1)
    assert f'<span class="due overdue">{yesterday.day} {yesterday:%b %Y} (overdue)</span>' in row
    Intervention.objects.filter(status=InterventionStatus.PAUSED).update(status=InterventionStatus.COMPLETED)
    row = row_html(client.get(PANEL).content.decode(), pat)
    later = today + timedelta(days=5)
    assert f'<span class="">{later.day} {later:%b %Y}</span>' in row
    assert "overdue" not in row


@pytest.fixture
def three(doc):
    """Ann (PHQ-9 20, review today, silent 7 days), Bob (PHQ-9 5, alert, silent 6 days),
    Cy (no PHQ-9, review tomorrow, checked in today)."""
    today = local_today(doc)
    ann = make_patient("ann@example.org", "Ann Able", doc)
    bob = make_patient("bob@clinic.example", "Bob Baker", doc)
    cy = make_patient("cy@example.org", "Cy Cole", doc)
    respond(ann, "phq9", PHQ9_20, 5)
    respond(bob, "phq9", [1, 1, 1, 1, 1, 0, 0, 0, 0], 5)
    Alert.objects.filter(patient=ann).delete()  # the severe-band warning: keep Ann alert-free
    alert(bob, Severity.WARNING, "Pain flare")
    checkin(ann, 7, 5, 5)
    checkin(bob, 6, 5, 5)
    checkin(cy, 0, 5, 5)
    for p, days in ((ann, 0), (cy, 1)):
        Intervention.objects.create(
            patient=p, strategy=Strategy.LIFESTYLE, title="walk", review_on=today + timedelta(days=days)
        )
    return ann, bob, cy


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["bob", "ann", "cy"]),  # alerts first, then 7 days silent before 0
        ("?sort=name", ["ann", "bob", "cy"]),
        ("?sort=checkin", ["ann", "bob", "cy"]),  # 7, 6, 0 days ago
        ("?sort=phq9", ["ann", "bob", "cy"]),  # 20, 5, none last
        ("?sort=review", ["ann", "cy", "bob"]),  # today, tomorrow, none last
        ("?alerts=1", ["bob"]),
        ("?silent=1", ["ann"]),  # exactly 7 days counts; 6 does not
        ("?review=1", ["ann"]),  # due today counts; tomorrow does not
        ("?q=BAK", ["bob"]),  # name, any case
        ("?q=clinic.example", ["bob"]),  # email
        ("?q=nobody", []),
        ("?sort=name&alerts=1&silent=1", []),
    ],
)
def test_sorting_and_filters(client, doc, three, query, expected):
    by_key = {p.email.split("@")[0]: p.pk for p in three}
    client.force_login(doc)
    r = client.get(PANEL + query)
    assert r.status_code == 200
    assert row_order(r.content.decode()) == [by_key[k] for k in expected]


def test_filtered_out_patients_are_not_audited_and_shown_ones_are(client, doc, three):
    ann, bob, cy = three
    client.force_login(doc)
    client.get(PANEL + "?alerts=1")
    assert list(AuditEvent.objects.filter(object_type="panel").values_list("patient", "actor", "action", "via")) == [
        (bob.pk, doc.pk, "view", "web")
    ]
    client.get(PANEL)
    assert sorted(AuditEvent.objects.filter(object_type="panel").values_list("patient", flat=True)) == sorted(
        [bob.pk, bob.pk, ann.pk, cy.pk]
    )


def test_bad_sort_is_a_400_naming_the_field(client, doc, three):
    client.force_login(doc)
    r = client.get(PANEL + "?sort=shoe&alerts=maybe")
    assert r.status_code == 400
    html = r.content.decode()
    assert "sort: must be one of alerts, name, checkin, phq9, gad7, peg, review" in html
    assert "alerts: must be 1 or left out" in html
    assert len(row_order(html)) == 3  # the default view still shows


def test_htmx_request_gets_only_the_panel_fragment(client, doc, three):
    client.force_login(doc)
    r = client.get(PANEL + "?sort=name", headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.lstrip().startswith('<section id="panel"')
    assert "<html" not in html
    assert row_order(html) == [p.pk for p in three]
    # Plain links for the same actions (work without JavaScript) carry the other filters.
    assert 'href="?sort=phq9"' in html


def test_other_clinician_without_consent_sees_nothing_of_the_patient(client, pat, cara, olga):
    respond(pat, "phq9", PHQ9_12, 3)
    checkin(pat, 1, 5, 5)
    client.force_login(olga)
    html = client.get(PANEL).content.decode()
    assert "Pat Example" not in html
    assert "pat@example.org" not in html
    assert row_order(html) == []
    assert "No patient is sharing" in html
    assert not AuditEvent.objects.filter(actor=olga).exists()


def test_revoked_consent_and_deactivated_patient_remove_the_row(client, pat, cara):
    other = make_patient("o@example.org", "Oz Other", cara)
    client.force_login(cara)
    assert row_order(client.get(PANEL).content.decode()) == [other.pk, pat.pk]
    Consent.objects.filter(patient=pat).update(revoked_at=timezone.now(), revoked_by=pat)
    assert row_order(client.get(PANEL).content.decode()) == [other.pk]
    other.is_active = False
    other.save()
    assert row_order(client.get(PANEL).content.decode()) == []


def test_patients_and_researchers_do_not_get_a_panel(client, pat, rex):
    for user in (pat, rex):
        client.force_login(user)
        assert client.get(PANEL)["Location"] == "/"
    with pytest.raises(Exception, match="No panel"):
        get_panel_for_user(Actor(user=pat, via="web"), PanelFilters())


def test_panel_daily_means_equal_the_one_definition(pat, cara):
    """The panel averages many patients' days in its own loop (docs/panel.md): it must give what
    `core.daily.daily_means` gives on the same rows, including days with several check-ins."""
    from painmind.accounts.audit import Actor
    from painmind.care.panel import TREND_DAYS, get_panel_for_user
    from painmind.core.daily import daily_means
    from painmind.diary.models import CheckIn

    for days_ago, pain, mood in [
        (0, 3, 7),
        (0, 8, 2),
        (0, 4, 4),
        (2, 5, 5),
        (5, 9, 1),
        (5, 2, 8),
        (27, 6, 6),
        (28, 1, 1),
    ]:
        checkin(pat, days_ago, pain, mood)
    row = next(r for r in get_panel_for_user(Actor(user=cara, via="web")).rows if r.patient.pk == pat.pk)
    today = local_today(pat)
    window = [today - timedelta(days=TREND_DAYS - 1 - i) for i in range(TREND_DAYS)]
    stored = CheckIn.objects.filter(patient=pat).values_list("local_on", "pain", "mood")
    pains = daily_means((d, p) for d, p, _ in stored)
    moods = daily_means((d, m) for d, _, m in stored)
    assert row.pain.values == pytest.approx(tuple(pains.get(d) for d in window))
    assert row.mood.values == pytest.approx(tuple(moods.get(d) for d in window))
    assert row.pain.values[-1] == pytest.approx(5.0)  # (3 + 8 + 4) / 3, by hand
