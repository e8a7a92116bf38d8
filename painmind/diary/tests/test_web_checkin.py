"""The patient's check-in page, with and without JavaScript (HTMX)."""

from __future__ import annotations

import uuid

from painmind.diary.models import CheckIn


def form(**values):
    base = {"pain": "6", "mood": "4", "client_id": str(uuid.uuid4())}
    base.update(values)
    return base


def test_home_shows_form_with_labels_and_every_scale(client, pat):
    client.force_login(pat)
    r = client.get("/me/")
    assert r.status_code == 200
    html = r.content.decode()
    for legend in ("Pain", "Mood", "Anxiety", "Stress", "Sleep quality", "Social contact"):
        assert f"<legend>{legend}" in html
    assert 'for="id_sleep_hours"' in html
    assert 'for="id_activity_minutes"' in html
    assert 'name="client_id"' in html
    assert "No check-ins yet." in html


def test_plain_post_saves_and_redirects(client, pat):
    client.force_login(pat)
    r = client.post(
        "/me/",
        form(sleep_hours="7.5", activity_minutes="45", pain_locations=["neck", "head"], tags="walk", note="ok day"),
    )
    assert r.status_code == 302
    assert r["Location"] == "/me/"
    entry = CheckIn.objects.get()
    assert (entry.pain, entry.mood, entry.sleep_hours, entry.activity_minutes) == (6, 4, 7.5, 45)
    assert entry.pain_locations == ["head", "neck"]
    assert entry.tags == ["walk"]
    page = client.get("/me/").content.decode()
    assert "Check-in saved" in page
    assert "ok day" in page


def test_double_submit_of_one_form_stores_one_entry(client, pat):
    client.force_login(pat)
    data = form()
    client.post("/me/", data)
    client.post("/me/", data)
    assert CheckIn.objects.count() == 1


def test_invalid_post_shows_errors_and_keeps_answers(client, pat):
    client.force_login(pat)
    r = client.post("/me/", form(pain="", sleep_hours="30", note="keep me"))
    assert r.status_code == 400
    html = r.content.decode()
    assert "Pain is required" in html
    assert "Sleep last night must be between 0 and 24" in html
    assert 'value="4" checked' in html  # mood kept
    assert "keep me" in html
    assert CheckIn.objects.count() == 0


def test_htmx_post_returns_only_the_panel(client, pat):
    client.force_login(pat)
    r = client.post("/me/", form(), headers={"HX-Request": "true"})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.lstrip().startswith('<section id="checkin-panel"')
    assert "<html" not in html
    assert "Check-in saved" in html
    assert CheckIn.objects.count() == 1


def test_htmx_invalid_post_renders_errors_in_the_panel(client, pat):
    client.force_login(pat)
    r = client.post("/me/", form(mood="11"), headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "Mood must be between 0 and 10" in r.content.decode()
    assert CheckIn.objects.count() == 0


def test_clinician_is_sent_to_their_own_home(client, cara):
    client.force_login(cara)
    assert client.get("/me/")["Location"] == "/"
    assert client.get("/")["Location"] == "/clinician/"


def test_login_with_email_and_logout(client, pat):
    from conftest import PASSWORD

    r = client.post("/login/", {"login": "PAT@example.org", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/me/").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/me/").status_code == 302


def test_wrong_password_shows_an_error(client, pat):
    r = client.post("/login/", {"login": pat.email, "password": "nope"})
    assert r.status_code == 200
    assert "The email address and/or password you specified are not correct." in r.content.decode()


def test_static_assets_are_local_and_served(client, pat):
    client.force_login(pat)
    html = client.get("/me/").content.decode()
    assert "http://" not in html.split("<body")[0]
    assert "https://" not in html.split("<body")[0]
