"""The patient's home: what is due, the chart's data table (daily means), sleep or activity on
demand, the care plan's next step, and all entries paged."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from painmind.careplan.models import Intervention
from painmind.diary.models import CheckIn


def at(patient, days_ago, hour):
    day = timezone.localdate(timezone=patient.tzinfo) - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, 0), tzinfo=patient.tzinfo)


def store(patient, rows):
    """(days ago, hour, fields) check-ins stored as they are."""
    now = timezone.now()
    CheckIn.objects.bulk_create(
        CheckIn(patient=patient, recorded_at=at(patient, n, h), local_on=at(patient, n, h).date(), created_at=now, **f)
        for n, h, f in rows
    )


def find(pattern, html):
    match = re.search(pattern, html, re.S)
    assert match is not None, pattern
    return match.group(1) if match.groups() else match.group(0)


def table(html):
    """The home data table's rows as lists of cell texts."""
    body = find(r'<table class="history" id="home-table">.*?<tbody>(.*?)</tbody>', html)
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def day(patient, days_ago):
    d: date = timezone.localdate(timezone=patient.tzinfo) - timedelta(days=days_ago)
    return f"{d.day} {d:%b %Y}"


DIARY = [
    (0, 8, {"pain": 6, "mood": 2, "sleep_hours": 6.0}),
    (0, 20, {"pain": 3, "mood": 7, "sleep_hours": None}),
    (3, 9, {"pain": 8, "mood": 1, "sleep_hours": 5.5}),
    (3, 12, {"pain": 5, "mood": 1}),
    (3, 18, {"pain": 4, "mood": 2}),
    (27, 9, {"pain": 2, "mood": 9}),
    (28, 9, {"pain": 9, "mood": 9, "sleep_hours": 9.0}),  # the 29th day back: only in 90 days
]


def test_home_table_is_the_daily_means_of_the_stored_checkins(client, pat):
    store(pat, DIARY)
    client.force_login(pat)
    html = client.get("/me/").content.decode()
    # By hand: today pain (6+3)/2 = 4.5, mood (2+7)/2 = 4.5; three days ago pain (8+5+4)/3 = 5.67,
    # mood (1+1+2)/3 = 1.33; 27 days ago 2 and 9; 28 days ago is outside the 28 days.
    assert table(html) == [[day(pat, 0), "4.5", "4.5"], [day(pat, 3), "5.7", "1.3"], [day(pat, 27), "2", "9"]]
    assert "Pain 0–10 (left axis): lower is better" in html
    assert "Mood 0–10 (right axis): higher is better" in html
    assert "3 of 28 days with data" in html
    longer = client.get("/me/?days=90").content.decode()
    assert table(longer)[-1] == [day(pat, 28), "9", "9"]


def test_sleep_on_demand_adds_its_daily_mean(client, pat):
    store(pat, DIARY)
    client.force_login(pat)
    html = client.get("/me/?also=sleep").content.decode()
    # Sleep: today only 6.0 recorded (the blank is left out); three days ago 5.5.
    assert table(html)[:2] == [[day(pat, 0), "4.5", "4.5", "6"], [day(pat, 3), "5.7", "1.3", "5.5"]]
    assert '<th scope="col">Sleep (hours)</th>' in html
    assert 'href="?days=28#home-overview">neither</a>' in html


def test_bad_period_or_extra_is_named_and_the_default_shown(client, pat):
    client.force_login(pat)
    r = client.get("/me/?days=7&also=coffee")
    assert r.status_code == 400
    html = r.content.decode()
    assert "days: must be one of 28, 90, 365" in html
    assert "also: must be one of sleep, activity" in html
    assert "last 28 days" in html


def test_due_questionnaires_and_reminders(client, pat):
    client.force_login(pat)
    html = client.get("/me/").content.decode()
    due = find(r'<section class="home-card" id="home-due".*?</section>', html)
    # A new patient's default plan (docs/measures.md): PHQ-9, GAD-7 and PEG, never done, due today.
    for title in ("PHQ-9", "GAD-7", "PEG"):
        assert title in due
    assert due.count("due today") == 3
    assert "Reminders are off." in due


def test_care_plan_next_step_is_the_earliest_review(client, pat, cara):
    today = timezone.localdate(timezone=pat.tzinfo)
    Intervention.objects.create(patient=pat, strategy="cbt", title="Later one", review_on=today + timedelta(days=30))
    Intervention.objects.create(
        patient=pat, strategy="lifestyle", title="Walk daily", review_on=today + timedelta(days=5)
    )
    Intervention.objects.create(patient=pat, strategy="cbt", title="Done", status="completed", review_on=today)
    client.force_login(pat)
    html = client.get("/me/").content.decode()
    section = find(r'aria-labelledby="home-plan-title">(.*?)</section>', html)
    when = today + timedelta(days=5)
    assert f"<strong>Walk daily</strong> — to review with your team by {when.day} {when:%b %Y}." in section
    assert "Later one" not in section
    assert "Done" not in section


def test_a_review_date_already_passed_reads_as_due(client, pat, cara):
    today = timezone.localdate(timezone=pat.tzinfo)
    Intervention.objects.create(patient=pat, strategy="cbt", title="CBT", review_on=today - timedelta(days=3))
    client.force_login(pat)
    section = find(r'aria-labelledby="home-plan-title">(.*?)</section>', client.get("/me/").content.decode())
    was = today - timedelta(days=3)
    assert f"<strong>CBT</strong> — its review with your team was due on {was.day} {was:%b %Y}" in section
    assert "to review with your team by" not in section


def test_no_plan_and_no_analysis_leave_their_sections_out(client, pat):
    client.force_login(pat)
    html = client.get("/me/").content.decode()
    assert "home-plan-title" not in html
    assert "What seems to matter" not in html


def test_all_entries_are_paged_newest_first(client, pat):
    store(pat, [(n, 9, {"pain": n % 11, "mood": 5}) for n in range(65)])
    client.force_login(pat)
    first = client.get("/me/checkins/").content.decode()
    assert first.count('href="/me/checkins/') >= 30  # edit links, one per row
    assert "Page 1 of 3" in first
    assert "showing 1–30" in first
    last = client.get("/me/checkins/?page=3").content.decode()
    assert "showing 61–65" in last
    # The oldest entry (64 days ago) is the last row of the last page.
    d = timezone.localdate(timezone=pat.tzinfo) - timedelta(days=64)
    assert f"{d:%a} {d.day} {d:%b}" in last
    r = client.get("/me/checkins/?page=4")
    assert r.status_code == 400
    assert "page: must be a whole number from 1 to 3" in r.content.decode()


def test_entries_page_is_the_patients_own(client, pat, olga):
    store(pat, [(0, 9, {"pain": 3, "mood": 5, "note": "only mine"})])
    client.force_login(olga)
    r = client.get("/me/checkins/")
    assert r.status_code == 302
    assert "only mine" not in r.content.decode()


REGIONS = [
    (0, 8, {"pain": 6, "mood": 5, "pain_locations": ["neck", "lower_back"], "pain_interference": 7}),
    (0, 20, {"pain": 5, "mood": 5, "pain_locations": ["neck"]}),  # the same day again: still 1 day
    (2, 9, {"pain": 4, "mood": 5, "pain_locations": ["lower_back", "knee_left"]}),
    (5, 9, {"pain": 4, "mood": 5, "pain_locations": ["lower_back"]}),
    (40, 9, {"pain": 4, "mood": 5, "pain_locations": ["head"]}),  # outside 28 days
]


def region_rows(html):
    body = find(r'<table class="history regions-table">.*?<tbody>(.*?)</tbody>', html)
    return [
        (label, int(n))
        for label, n in re.findall(r'<th scope="row">(.*?)</th><td><svg.*?</svg> (\d+)</td>', body, re.S)
    ]


def test_region_frequency_counts_days_on_the_home_and_the_clinician_diary(client, pat, cara):
    store(pat, REGIONS)
    # By hand, last 28 days: lower back on days 0, 2, 5 = 3; neck on day 0 only = 1; left knee 1.
    want = [("Lower back", 3), ("Neck", 1), ("Left knee", 1)]
    client.force_login(pat)
    assert region_rows(client.get("/me/").content.decode()) == want
    client.force_login(cara)
    html = client.get(f"/clinician/patients/{pat.pk}/diary/").content.decode()
    assert region_rows(html) == want
    # Ties keep the body-region list's order (core.body_regions): head comes before neck.
    assert region_rows(client.get(f"/clinician/patients/{pat.pk}/diary/?days=90").content.decode()) == [
        ("Lower back", 3),
        ("Head", 1),
        ("Neck", 1),
        ("Left knee", 1),
    ]
    # The entries themselves say where, and how much pain got in the way.
    assert "where: Lower back, Left knee" in html
    assert "pain got in the way 7/10" in html


def test_body_map_has_every_region_once_as_a_named_checkbox(client, pat):
    from painmind.core.body_regions import BODY_REGIONS

    client.force_login(pat)
    html = client.get("/me/").content.decode()
    svg = find(r'<div class="bodymap".*?</div></div>', html)
    assert re.findall(r'data-region="([a-z_]+)"', svg) != []
    assert sorted(re.findall(r'data-region="([a-z_]+)"', svg)) == sorted(BODY_REGIONS)
    for code, label in BODY_REGIONS.items():
        named = f'aria-label="{label}"' if code != "widespread" else f">{label}</div>"  # a bar with its words
        assert re.search(f'data-region="{code}" role="checkbox" tabindex="0" aria-checked="false"[^>]*{named}', svg)
    # The no-JavaScript fallback: the checkbox list, still there.
    assert html.count('name="pain_locations"') == len(BODY_REGIONS)
