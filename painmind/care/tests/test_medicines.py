"""The medicines section of the patient page and the panel's medication-risk column and filter."""

from __future__ import annotations

from painmind.accounts.audit import Actor
from painmind.meds.actions import do_add_regimen, do_record_side_effect

OXY = {
    "name": "Oxycodone",
    "dose": "10",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 2,
    "reason": "pain",
}
DIAZ = {
    "name": "Diazepam",
    "dose": "5",
    "dose_unit": "mg",
    "schedule": "times_a_day",
    "times_per_day": 1,
    "reason": "anxiety",
}
MEPERIDINE = {
    "name": "Meperidine",
    "dose": "50",
    "dose_unit": "mg",
    "schedule": "as_needed",
    "max_per_day": 4,
    "reason": "pain",
}


def test_patient_page_shows_mme_hits_and_side_effects(client, pat, cara):
    me = Actor(user=pat, via="web")
    do_add_regimen(me, pat, OXY)
    do_add_regimen(me, pat, DIAZ)
    do_record_side_effect(me, pat, {"kind": "drowsiness", "severity": 6})
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert "30 MME/day" in page  # 10 mg × 2 × 1.5 (§2.1 worked example)
    assert "R1_opioid_plus_benzo" in page
    assert "FDA boxed warning 2016-08-31" in page
    assert "Drowsiness · 6/10" in page


def test_an_opioid_without_factor_makes_the_total_at_least(client, pat, cara):
    me = Actor(user=pat, via="web")
    do_add_regimen(me, pat, OXY)
    do_add_regimen(me, pat, MEPERIDINE)
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    assert "at least 30 MME/day" in page


def test_panel_column_and_filter(client, pat, cara):
    from painmind.accounts.actions import do_create_user, do_grant_consent

    other = do_create_user(
        "quinn@example.org", "pw-long-enough-123", role="patient", check_password=False, display_name="Quinn"
    )
    do_grant_consent(Actor(user=other, via="web"), cara.email)
    me = Actor(user=pat, via="web")
    do_add_regimen(me, pat, OXY)
    do_add_regimen(me, pat, DIAZ)
    client.force_login(cara)
    page = client.get("/clinician/").content.decode()
    assert "opioid + benzodiazepine" in page
    filtered = client.get("/clinician/?meds=1").content.decode()
    assert "Pat Example" in filtered
    assert "Quinn" not in filtered
    assert client.get("/clinician/?meds=2").status_code == 400


def test_a_medication_alert_is_titled_in_words_with_the_rule_id(client, pat, cara):
    from painmind.safety.models import Alert

    me = Actor(user=pat, via="web")
    do_add_regimen(me, pat, OXY)
    do_add_regimen(me, pat, DIAZ)
    (alert,) = Alert.objects.filter(patient=pat, kind="medication")
    assert alert.title == "Opioid + benzodiazepine (R1_opioid_plus_benzo): diazepam, oxycodone"
    client.force_login(cara)
    assert alert.title in client.get("/clinician/alerts/").content.decode()


def test_as_needed_use_is_listed_by_date(client, pat, cara):
    from datetime import timedelta

    from django.utils import timezone

    from painmind.meds.actions import do_log_dose

    me = Actor(user=pat, via="web")
    today = timezone.localdate(timezone=pat.tzinfo)
    regimen = do_add_regimen(me, pat, {**MEPERIDINE, "started_on": (today - timedelta(days=5)).isoformat()})
    for _ in range(2):
        do_log_dose(me, regimen, status="extra", taken_on=today - timedelta(days=1))
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    yesterday = today - timedelta(days=1)
    assert f'<span class="small">{yesterday.day} {yesterday:%b}: 2</span>' in page
    assert f'<span class="small">{today.day} {today:%b}: ' not in page  # days without use are left out


def test_a_dual_use_medicine_has_its_note_one_tap_away(client, pat, cara):
    me = Actor(user=pat, via="web")
    do_add_regimen(me, pat, {**DIAZ, "name": "Duloxetine", "dose": "60", "reason": "mood"})
    client.force_login(cara)
    page = client.get(f"/clinician/patients/{pat.pk}/").content.decode()
    # §2.4: duloxetine is an SNRI labelled for pain and mood, with the antidepressant warning.
    summary = '<details class="small dual-use"><summary>Acts on pain and mood; antidepressant warning</summary>'
    assert summary in page
    note = page.split(summary, 1)[1].split("</details>", 1)[0]
    assert note.startswith("Acts on pain and mood (SNRI)")
    assert "suicidality" in note
