"""What a screen reader is given on the check-in and questionnaire forms (docs/accessibility.md):
each 0–10 scale's anchors as the group's description and in its end options' names, which way
is better, and the saved status as a focused live region. The browser-side names are read by
tests/e2e/test_accessibility.py."""

from __future__ import annotations

import re
import uuid


def text(fragment: str) -> str:
    """The text a fragment reads as: tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", fragment).split()).replace(" ,", ",").replace(" .", ".")


def group(html: str, name: str) -> str:
    inside = r"(?:(?!</fieldset>).)*?"  # without running into the next group
    opening = r'<fieldset class="scale[^"]*" aria-describedby="[^"]+">'
    found = re.search(rf'{opening}{inside}name="{name}".*?</fieldset>', html, re.S)
    assert found, name
    return found.group(0)


def description(html: str, name: str) -> str:
    ids = re.search(r'aria-describedby="([^"]+)"', group(html, name)).group(1).split()  # type: ignore[union-attr]
    return " ".join(text(re.search(rf'id="{i}">(.*?)</p>', html, re.S).group(1)) for i in ids)  # type: ignore[union-attr]


def option_names(html: str, name: str) -> list[str]:
    """Each option's accessible name: its aria-label, or else its label's text."""
    labels = re.findall(rf'<label><input type="radio" name="{name}".*?</label>', html, re.S)
    return [m.group(1) if (m := re.search(r'aria-label="([^"]+)"', label)) else text(label) for label in labels]


def test_each_scale_is_described_by_its_anchors_and_which_way_is_better(client, pat):
    client.force_login(pat)
    html = client.get("/me/").content.decode()
    # Anchors from core/checkin.py SCALES; pain and mood run opposite ways and say so.
    assert description(html, "pain") == "0 means no pain, 10 means worst imaginable. A higher number is worse."
    assert description(html, "mood") == (
        "0 means very low, 10 means very good. A higher number is better (the other way round from pain)."
    )
    assert description(html, "sleep_quality") == (
        "0 means very poor, 10 means very good. A higher number is better (the other way round from pain)."
    )
    # Social contact's anchors ("none" to "a lot") do not say which end is good: no direction given.
    assert description(html, "social") == "0 means none, 10 means a lot"


def test_end_options_are_named_with_their_anchor(client, pat):
    client.force_login(pat)
    html = client.get("/me/").content.decode()
    assert option_names(html, "pain") == ["0, no pain", *map(str, range(1, 10)), "10, worst imaginable"]
    assert option_names(html, "mood") == ["0, very low", *map(str, range(1, 10)), "10, very good"]
    assert option_names(html, "anxiety")[::10] == ["0, none", "10, extreme"]


def test_an_error_adds_to_the_description_and_takes_focus(client, pat):
    client.force_login(pat)
    html = client.post("/me/", {"mood": "4", "client_id": str(uuid.uuid4())}, HTTP_HX_REQUEST="true").content.decode()
    assert description(html, "pain") == (
        "0 means no pain, 10 means worst imaginable. A higher number is worse. Pain is required"
    )
    assert '<div class="error" role="alert" tabindex="-1" autofocus>' in html


def test_htmx_save_returns_a_focused_live_status(client, pat):
    client.force_login(pat)
    r = client.post("/me/", {"pain": "3", "mood": "7", "client_id": str(uuid.uuid4())}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    live = '<div class="messages" role="status" aria-live="polite" tabindex="-1" autofocus>'
    status = re.search(rf"{live}(.*?)</div>", html)
    assert status is not None
    assert text(status.group(1)) == "Check-in saved. Thank you."
    assert html.count("autofocus") == 1


def test_questionnaire_items_are_described_by_the_stem_and_the_result_opens_on_saved(client, pat):
    client.force_login(pat)
    html = client.get("/me/measures/phq9/").content.decode()
    assert text(re.search(r'<p class="stem" id="stem">(.*?)</p>', html).group(1)) == (  # type: ignore[union-attr]
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert html.count('aria-describedby="stem"') == 9  # the nine scored items; not the difficulty item
    r = client.post("/me/measures/phq9/", {f"phq9-{n}": "0" for n in range(1, 10)} | {"client_id": str(uuid.uuid4())})
    result = client.get(r["Location"]).content.decode()
    assert re.search(r'role="status"[^>]*autofocus><p class="msg success">Your answers were saved.</p>', result)


def test_peg_end_options_carry_their_anchors(client, pat):
    client.force_login(pat)
    html = client.get("/me/measures/peg/").content.decode()
    options = re.findall(r'<label class="option"><input type="radio" name="peg-1".*?</label>', html, re.S)
    names = [text(o) for o in options]
    # Anchors as the PEG definition gives them (clinical-reference §1.5).
    assert names == ["0 = No pain", *map(str, range(1, 10)), "10 = Pain as bad as you can imagine"]
