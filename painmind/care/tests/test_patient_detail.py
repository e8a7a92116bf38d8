"""A clinician's patient page: header, daily charts with tables, scores, open alerts with
acknowledgement, links, audit, and 404 without consent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from painmind.accounts.models import AuditEvent
from painmind.care.tests.panel_helpers import checkin, local_today, respond
from painmind.safety.models import Alert, AlertKind, Severity

PAGE = "/clinician/patients/{}/"


def table(html: str, name: str) -> list[tuple[str, str]]:
    match = re.search(rf'<table class="history" id="table-{name}">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert match is not None, f"no table for {name}"
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", match.group(1))


def pain_mood_table(html: str) -> list[tuple[str, str, str]]:
    match = re.search(r'<table class="history" id="table-pain-mood">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert match is not None, "no pain and mood table"
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", match.group(1))


def test_header_series_tables_and_period_links(client, pat, cara):
    checkin(pat, 100, 9, 1, sleep_hours=4.0)  # only inside the 365-day view
    checkin(pat, 5, 6, 4, anxiety=3, sleep_hours=7.5, sleep_quality=6, activity_minutes=30)
    checkin(pat, 5, 8, 2, anxiety=5, activity_minutes=50)  # same day: means 7, 3, 4, 40
    checkin(pat, 2, 4, 6)
    client.force_login(cara)
    r = client.get(PAGE.format(pat.pk))
    assert r.status_code == 200
    html = r.content.decode()
    two_ago, five_ago = (local_today(pat) - timedelta(days=n) for n in (2, 5))
    assert f"Last check-in <strong>{two_ago.day} {two_ago:%b %Y}</strong>\n    (2 days ago)" in html
    assert "Daily check-ins, last 28 days" in html
    fmt = lambda d: f"{d.day} {d:%b %Y}"  # noqa: E731  (docs/care.md, "Dates")
    assert pain_mood_table(html) == [(fmt(five_ago), "7", "3"), (fmt(two_ago), "4", "6")]
    assert table(html, "anxiety") == [(fmt(five_ago), "4")]
    assert table(html, "sleep_hours") == [(fmt(five_ago), "7.5")]
    assert table(html, "activity_minutes") == [(fmt(five_ago), "40")]
    assert "2 of 28 days with data" in html
    start = local_today(pat) - timedelta(days=27)
    assert (
        f"<title>Pain and mood, daily means, {fmt(start)} to {fmt(local_today(pat))}: "
        "pain 2 of 28 days, from 4 to 7; mood 2 of 28 days, from 3 to 6</title>"
    ) in html
    assert "<title>Anxiety: 1 of 28 days with data, from 4 to 4</title>" in html
    assert '<strong aria-current="page">28 days</strong>' in html
    assert 'href="?days=365#daily"' in html
    year = client.get(PAGE.format(pat.pk) + "?days=365").content.decode()
    assert "Daily check-ins, last 365 days" in year
    assert len(pain_mood_table(year)) == 3
    assert table(year, "sleep_hours")[0][1] == "4"


def test_links_care_plan_slot_and_scores_with_bands(client, pat, cara):
    respond(pat, "phq9", [2, 2, 2, 2, 2, 1, 1, 0, 0], 10)  # 12: moderate
    client.force_login(cara)
    html = client.get(PAGE.format(pat.pk)).content.decode()
    assert f'href="/clinician/patients/{pat.pk}/diary/"' in html
    assert f'href="/clinician/patients/{pat.pk}/measures/"' in html
    assert f'href="/clinician/patients/{pat.pk}/cycle/"' in html
    assert '<div id="care-plan">' in html
    assert '<section class="care-plan-summary"' in html
    assert f'href="/clinician/patients/{pat.pk}/plan/">Full care plan and history</a>' in html
    assert "Patient Health Questionnaire-9 (PHQ-9)</h3>" in html
    assert "Moderate symptoms of depression" in html


def test_open_alert_is_acknowledged_with_a_note_and_returns_here(client, pat, cara):
    alert = Alert.objects.create(
        patient=pat, kind=AlertKind.SELF_HARM, severity=Severity.CRITICAL, key="r1", title="Item 9 answered 2"
    )
    client.force_login(cara)
    page = PAGE.format(pat.pk)
    html = client.get(page).content.decode()
    assert "Item 9 answered 2" in html
    assert f'action="/clinician/alerts/{alert.pk}/acknowledge/"' in html
    assert f'name="next" value="{page}"' in html
    r = client.post(f"/clinician/alerts/{alert.pk}/acknowledge/", {"note": "Called; safe.", "next": page})
    assert (r.status_code, r["Location"]) == (302, page)
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement_note) == (cara, "Called; safe.")
    assert "Item 9 answered 2" not in client.get(page).content.decode()


def region_list(html: str) -> list[tuple[str, str]]:
    match = re.search(r'<ol class="top-regions">(.*?)</ol>', html, re.S)
    assert match is not None, "no region list"
    return re.findall(r'<li data-region="([a-z_]+)">(.*?)</li>', match.group(1))


def test_where_it_hurt_counts_days_per_region_and_links_to_the_diary(client, pat, cara):
    # Hand-made: lower back on 4 distinct days (two check-ins on day 3 count once), neck on 3,
    # left knee, right hand, head and left foot on 1 each (ties in the body list's order), and
    # 40 days ago only in the 90-day view.
    checkin(pat, 1, 5, 5, pain_locations=["lower_back", "neck"])
    checkin(pat, 3, 5, 5, pain_locations=["lower_back"])
    checkin(pat, 3, 6, 5, pain_locations=["lower_back", "neck", "knee_left"])
    checkin(pat, 6, 5, 5, pain_locations=["lower_back", "neck", "hand_right", "head", "foot_left"])
    checkin(pat, 9, 5, 5, pain_locations=["lower_back"])
    checkin(pat, 12, 5, 5)  # no locations
    checkin(pat, 40, 5, 5, pain_locations=["knee_left", "widespread"])
    client.force_login(cara)
    html = client.get(PAGE.format(pat.pk)).content.decode()
    assert "Where it hurt, last 28 days" in html
    # The top five: lower back 4, neck 3, then the 1-day ones in BODY_REGIONS order (head,
    # right hand, left knee); left foot is the sixth.
    assert region_list(html) == [
        ("lower_back", "Lower back: 4 days"),
        ("neck", "Neck: 3 days"),
        ("head", "Head: 1 day"),
        ("hand_right", "Right hand or wrist: 1 day"),
        ("knee_left", "Left knee: 1 day"),
    ]
    assert f'href="/clinician/patients/{pat.pk}/diary/?days=28#regions">All 6 regions in the diary</a>' in html
    # Over 90 days the left knee has 2 days (day 3 and day 40) and "widespread" joins.
    quarter = client.get(PAGE.format(pat.pk) + "?days=90").content.decode()
    assert region_list(quarter)[:3] == [
        ("lower_back", "Lower back: 4 days"),
        ("neck", "Neck: 3 days"),
        ("knee_left", "Left knee: 2 days"),
    ]
    assert "All 7 regions in the diary" in quarter


def test_where_it_hurt_says_so_when_nothing_was_marked(client, pat, cara):
    checkin(pat, 1, 5, 5)
    client.force_login(cara)
    html = client.get(PAGE.format(pat.pk)).content.decode()
    assert "No pain locations marked in this period." in html
    assert 'class="top-regions"' not in html


def test_view_is_audited_once_as_patient_detail_and_once_for_the_plan_summary(client, pat, cara):
    client.force_login(cara)
    client.get(PAGE.format(pat.pk) + "?days=90")
    events = sorted(AuditEvent.objects.filter(actor=cara).values_list("patient", "action", "object_type", "detail"))
    assert events == [
        (pat.pk, "view", "care_plan", ""),
        (pat.pk, "view", "checkin_list", "body regions, last 90 days"),
        (pat.pk, "view", "medicines", "0 regimens"),
        (pat.pk, "view", "patient_detail", "90 days"),
        (pat.pk, "view", "selfcare_usage", "tool usage summary"),
    ]


@pytest.mark.parametrize("raw", ["7", "abc", "0"])
def test_unknown_period_is_a_400_naming_the_field(client, pat, cara, raw):
    client.force_login(cara)
    r = client.get(PAGE.format(pat.pk) + f"?days={raw}")
    assert r.status_code == 400
    html = r.content.decode()
    assert "days: must be one of 28, 90, 365" in html
    assert "Daily check-ins, last 28 days" in html


def test_404_without_consent_for_patients_and_for_unknown_ids(client, pat, cara, olga):
    checkin(pat, 1, 5, 5)
    client.force_login(olga)
    assert client.get(PAGE.format(pat.pk)).status_code == 404
    client.force_login(cara)
    assert client.get(PAGE.format(pat.pk + 999)).status_code == 404
    client.force_login(pat)  # a patient reads their own diary elsewhere, not here
    assert client.get(PAGE.format(pat.pk)).status_code == 404
    assert not AuditEvent.objects.exists()


def test_old_diary_history_lives_under_diary(client, pat, cara):
    checkin(pat, 1, 5, 5, note="slept badly")
    client.force_login(cara)
    html = client.get(f"/clinician/patients/{pat.pk}/diary/").content.decode()
    assert "slept badly" in html
    assert f'href="/clinician/patients/{pat.pk}/"' in html  # back to the patient page


def test_pain_and_mood_share_one_chart_with_dated_ticks_and_labelled_axes(client, pat, cara):
    for days_ago, pain, mood in ((10, 7, 2), (9, 6, 3), (3, 4, 6)):
        checkin(pat, days_ago, pain, mood)
    client.force_login(cara)
    html = client.get(PAGE.format(pat.pk)).content.decode()
    svg = re.search(r'<svg class="chart daily pain-mood".*?</svg>', html, re.S)
    assert svg is not None
    chart = svg.group(0)
    assert 'aria-describedby="table-pain-mood"' in chart
    # Weekly ticks counted back from today over 28 days: today and 7, 14, 21 days before.
    today = local_today(pat)
    ticks = re.findall(r'class="tick">(\d+ \w{3})</text>', chart)
    assert ticks == [f"{d.day} {d:%b}" for d in (today - timedelta(days=n) for n in (21, 14, 7, 0))]
    # Each line against its own labelled axis, with the direction of "better" said.
    assert "Pain 0–10 (left axis): lower is better" in chart
    assert "Mood 0–10 (right axis): higher is better" in chart
    # Days 10 and 9 ago joined; 3 days ago alone (a gap between): one line and one dot each.
    assert chart.count('class="line pain"') == 2  # the line and its key
    assert chart.count('class="dot pain"') == 1
    assert chart.count('class="line mood"') == 2
    assert chart.count('class="dot mood"') == 1
    # Pain and mood are drawn once, on the shared chart, not again as their own charts.
    assert 'id="table-pain"' not in html
    assert 'id="table-mood"' not in html


def test_score_rows_say_the_change_in_plain_words_with_the_method_a_tap_away(client, pat, cara):
    first = respond(pat, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 2], 30)  # 18
    respond(pat, "phq9", [2, 2, 2, 1, 1, 1, 1, 1, 0], 1)  # 11: down 7, past the 6.9-point RCI (§3)
    client.force_login(cara)
    html = client.get(PAGE.format(pat.pk)).content.decode()
    since = f"{first.local_on.day} {first.local_on:%b %Y}"
    assert (
        f"<summary>PHQ-9 fell by 7 points since {since} — more than measurement error, so reliably better</summary>"
    ) in html
    assert "<p>Reliable improvement: down 7 points" in html  # the method, inside the <details>
    assert "<td>11</td>" in html  # a whole score, no ".0"
    assert "11.0" not in html
