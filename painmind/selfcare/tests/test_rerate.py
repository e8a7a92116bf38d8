"""Column 7 after the fact: a saved thought record is re-rated later, on the web and over JSON;
bad ratings name the field and change nothing; only the owner can re-rate."""

from __future__ import annotations

from painmind.accounts.audit import Actor
from painmind.selfcare.actions import do_create_thought_record
from painmind.selfcare.models import ThoughtRecord

NOT_RATED = {
    "form": "five",
    "situation": "Pain woke me at 4",
    "emotions": [{"name": "Anxious", "before": 80}, {"name": "Low", "before": 60}],
    "thoughts": [{"text": "It's getting worse", "belief": 90}],
}


def _record(pat):
    return do_create_thought_record(Actor(user=pat, via="web"), NOT_RATED)


def test_web_rerate_fills_in_column_seven_and_shows_the_change(client, pat):
    item = _record(pat)
    client.force_login(pat)
    history = client.get("/me/tools/thought-records/").content.decode()
    assert f"/me/tools/thought-records/{item.pk}/rerate/" in history
    assert "Re-rate the feelings now" in history
    page = client.get(f"/me/tools/thought-records/{item.pk}/rerate/").content.decode()
    assert "Anxious" in page
    assert "(first 80)" in page
    r = client.post(f"/me/tools/thought-records/{item.pk}/rerate/", {"after_0": "50", "after_1": "60"}, follow=True)
    assert r.redirect_chain[-1][0] == "/me/tools/thought-records/"
    html = r.content.decode()
    assert "80 → 50 (-30)" in html
    assert "60 → 60 (0)" in html
    assert "Re-rate again" in html
    item.refresh_from_db()
    assert item.emotions == [{"name": "Anxious", "before": 80, "after": 50}, {"name": "Low", "before": 60, "after": 60}]


def test_web_rerate_bad_rating_names_the_feeling_and_changes_nothing(client, pat):
    item = _record(pat)
    client.force_login(pat)
    r = client.post(f"/me/tools/thought-records/{item.pk}/rerate/", {"after_0": "101", "after_1": ""})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Anxious must be a whole number from 0 to 100" in html
    assert "Low is required" in html
    item.refresh_from_db()
    assert [e.get("after") for e in item.emotions] == [None, None]


def test_api_rerate_and_its_errors(client, pat, olga, token_for):
    item = _record(pat)
    h = token_for(pat)
    url = f"/api/v1/thought-records/{item.pk}/rerate"
    r = client.post(url, {"after": [40, 45]}, content_type="application/json", headers=h)
    assert r.status_code == 200, r.content
    assert r.json()["change"] == -27.5  # ((40 − 80) + (45 − 60)) / 2
    r = client.post(url, {"after": [40]}, content_type="application/json", headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "after"
    r = client.post(url, {"after": [40, 200]}, content_type="application/json", headers=h)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "after.1"
    assert [e["after"] for e in ThoughtRecord.objects.get().emotions] == [40, 45]
    # Someone else's record is not there for them.
    other = client.post(url, {"after": [1, 1]}, content_type="application/json", headers=token_for(olga))
    assert other.status_code == 404
    assert client.post(f"/api/v1/thought-records/{item.pk + 99}/rerate", {"after": [1, 1]},
                       content_type="application/json", headers=h).status_code == 404  # fmt: skip
