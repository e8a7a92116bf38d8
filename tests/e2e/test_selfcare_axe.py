"""axe-core (axe-playwright-python, pinned) on every self-management page: the patient's pages on
a 360 px phone (lifestyle fields and the weekly activities review too) and the clinician's views
(the patient page with the usage summary, the shared tools, the lifestyle page, the plan with a
tied intervention). Zero violations allowed; a failure prints axe's own report."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from painmind.accounts.audit import Actor
from painmind.careplan.actions import do_create_intervention
from painmind.selfcare.actions import (
    do_add_activity,
    do_choose_lifestyle_fields,
    do_create_pacing_plan,
    do_create_thought_record,
    do_log_pacing_session,
    do_log_relaxation_session,
    do_save_lifestyle,
    do_set_sharing,
)
from painmind.selfcare.views_learn import PAGES
from tests.e2e.nav import phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return phone(browser_context_args)


def _tools_in_use(pat: Any) -> tuple[int, int]:
    me = Actor(user=pat, via="web")
    record = do_create_thought_record(
        me,
        {"situation": "Pain woke me", "emotions": [{"name": "Anxious", "before": 70}],
         "thoughts": [{"text": "It will never stop", "belief": 80}], "distortions": ["magnification"]},
    )  # fmt: skip
    plan = do_create_pacing_plan(me, {"activity": "Walking", "unit": "minutes", "baseline": 20, "step_percent": 10,
                                      "goal": 30})  # fmt: skip
    do_log_pacing_session(me, plan.pk, {"done": 16, "pain_before": 5, "pain_after": 5})
    do_log_relaxation_session(
        me, {"kind": "breathing", "minutes": 5, "before": {"tension": 6}, "after": {"tension": 4}}
    )
    do_add_activity(me, {"name": "Call Mum", "life_area": "relationships", "done_on": None,
                         "planned_on": plan.start_on})  # fmt: skip
    do_set_sharing(me, "thought_records", True)
    # Lifestyle fields: a choice of groups and one day's entry, so the form, the settings and the
    # clinician's page all have something to show.
    do_choose_lifestyle_fields(me, ["exercise", "meals", "role"])
    do_save_lifestyle(me, plan.start_on, {"exercise_kind": "walking", "exercise_minutes": 20, "meals": 3,
                                          "role_done": "some"})  # fmt: skip
    return record.pk, plan.pk


def _check(page: Page, url: str) -> list[str]:
    page.goto(url)
    results = Axe().run(page)
    return [] if results.violations_count == 0 else [f"{url}:\n{results.generate_report()}"]


def test_no_axe_violations_on_the_self_management_pages(page: Page, live_server, pat, cara):
    record_id, plan_id = _tools_in_use(pat)
    do_create_intervention(Actor(user=cara, via="web"), pat.pk, {"strategy": "cbt", "title": "Breathing practice",
                                                                 "tool": "relaxation", "tool_per_week": 3})  # fmt: skip
    base = live_server.url
    patient_pages = [
        "/me/tools/",
        "/me/tools/thought-records/",
        "/me/tools/thought-records/new/",
        "/me/tools/thought-records/new/?form=five",
        f"/me/tools/thought-records/{record_id}/rerate/",
        "/me/tools/pacing/",
        f"/me/tools/pacing/{plan_id}/",
        "/me/tools/relaxation/",
        "/me/tools/relaxation/breathing/",
        "/me/tools/relaxation/muscle/",
        "/me/tools/activities/",
        "/me/tools/activities/week/",
        "/me/tools/lifestyle/",
        "/me/tools/lifestyle/fields/",
        "/me/plan/",
        "/me/tools/understanding/",
        *[f"/me/tools/understanding/{slug}/" for slug in PAGES],
    ]
    sign_in(page, base, pat.email)
    found = [v for url in patient_pages for v in _check(page, base + url)]
    page.context.clear_cookies()
    sign_in(page, base, cara.email)
    clinician_pages = (
        f"/clinician/patients/{pat.pk}/",
        f"/clinician/patients/{pat.pk}/tools/",
        f"/clinician/patients/{pat.pk}/lifestyle/",
        f"/clinician/patients/{pat.pk}/plan/",
    )
    for url in clinician_pages:
        found += _check(page, base + url)
    assert not found, "\n\n".join(found)
