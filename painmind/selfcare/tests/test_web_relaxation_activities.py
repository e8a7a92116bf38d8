"""Relaxation, activities and "Understanding the cycle" pages without JavaScript: the pacer,
the before/after form, planned vs done, bad input naming the field with nothing stored."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from painmind.selfcare.models import Activity, RelaxationSession


def test_breathing_page_paces_by_css_and_saves_before_and_after(client, pat):
    client.force_login(pat)
    page = client.get("/me/tools/relaxation/breathing/?rate=4.5&minutes=2").content.decode()
    assert 'class="pacer pace-4-5"' in page  # 60 / 4.5 = 13.3 s a breath: 5.3 in, 8 out
    assert "(5.3 seconds)" in page
    assert "(8 seconds)" in page
    assert "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (CSP)
    r = client.post(
        "/me/tools/relaxation/breathing/",
        {
            "rate": "4.5",
            "minutes": "2",
            "tension_before": "7",
            "tension_after": "5",
            "pain_before": "6",
            "pain_after": "6",
        },
    )
    assert r.status_code == 302
    s = RelaxationSession.objects.get(patient=pat)
    assert (s.kind, s.minutes, s.rate, s.tension_before, s.tension_after) == ("breathing", 2, Decimal("4.5"), 7, 5)
    home = client.get("/me/tools/relaxation/").content.decode()
    assert "usually down 2 out of 10" in home  # tension 7 → 5
    assert "no change" in home  # pain 6 → 6


def test_muscle_page_has_the_timings_and_the_pain_caution(client, pat):
    client.force_login(pat)
    page = client.get("/me/tools/relaxation/muscle/?groups=7").content.decode()
    assert "Tense gently, never into pain, and skip any painful area." in page
    assert "about 5–7 seconds" in page
    assert "about 30–40 seconds" in page
    assert page.count("<li>") >= 7


def test_bad_relaxation_form_names_the_field_and_stores_nothing(client, pat):
    client.force_login(pat)
    r = client.post("/me/tools/relaxation/muscle/", {"minutes": "3", "tension_before": "12", "tension_after": "4"})
    assert r.status_code == 400
    assert "Tension must be between 0 and 10" in r.content.decode()
    assert RelaxationSession.objects.count() == 0


def test_activities_plan_mark_done_and_planned_vs_done(client, pat):
    client.force_login(pat)
    tomorrow = timezone.localdate(timezone=pat.tzinfo) + timedelta(days=1)
    r = client.post(
        "/me/tools/activities/", {"name": "Call my sister", "life_area": "relationships", "planned_on": tomorrow}
    )
    assert r.status_code == 302
    page = client.get("/me/tools/activities/").content.decode()
    assert "0 of 0 planned activities done; 1 still ahead" in page
    item = Activity.objects.get(patient=pat)
    client.post("/me/tools/activities/", {"activity": item.pk, "mastery": "4", "pleasure": "9"})
    item.refresh_from_db()
    assert (item.mastery, item.pleasure, item.done_on) == (4, 9, timezone.localdate(timezone=pat.tzinfo))
    assert "1 of 1 planned activity done" in client.get("/me/tools/activities/").content.decode()


def test_bad_activity_form_names_the_field(client, pat):
    client.force_login(pat)
    r = client.post("/me/tools/activities/", {"name": "Walk", "life_area": "", "done_on": "2020-01-01"})
    assert r.status_code == 400
    assert "Part of life must be one of" in r.content.decode()
    assert Activity.objects.count() == 0


@pytest.mark.parametrize("slug", ["cycle", "strategies", "tools"])
def test_understanding_pages_are_short_and_cite_their_sources(client, pat, slug):
    client.force_login(pat)
    page = client.get(f"/me/tools/understanding/{slug}/").content.decode()
    article = re.search(r"<article.*?</article>", page, re.S)
    assert article is not None
    words = re.sub(r"<[^>]+>", " ", article.group(0)).split()
    assert len(words) < 300
    assert "reference §" in page


def test_understanding_is_linked_from_my_cycle_and_each_tool(client, pat):
    client.force_login(pat)
    for url in (
        "/me/tools/",
        "/me/tools/thought-records/",
        "/me/tools/pacing/",
        "/me/tools/relaxation/",
        "/me/tools/activities/",
    ):
        assert "/me/tools/understanding/" in client.get(url).content.decode(), url
