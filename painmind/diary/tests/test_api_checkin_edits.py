"""PATCH and DELETE /api/v1/checkins/{id}: the owner's corrections, kept as revisions."""

from __future__ import annotations

import uuid
from typing import Any

from painmind.accounts.models import AuditEvent
from painmind.diary.models import CheckIn, CheckInRevision

URL = "/api/v1/checkins"


def create(client: Any, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    r = client.post(URL, {"pain": 4, "mood": 6, **body}, content_type="application/json", headers=headers)
    assert r.status_code == 201, r.content
    made: dict[str, Any] = r.json()
    return made


def patch(client: Any, headers: dict[str, str], checkin_id: int, body: dict[str, Any]) -> Any:
    return client.patch(f"{URL}/{checkin_id}", body, content_type="application/json", headers=headers)


def fields_named(response: Any) -> set[str]:
    return {err["field"] for err in response.json()["errors"]}


def test_patch_changes_only_the_fields_sent_and_keeps_the_earlier_content(client, pat, token_for):
    headers = token_for(pat)
    made = create(client, headers, anxiety=3, tags=["walk"], note="first")
    r = patch(client, headers, made["id"], {"pain": 7, "anxiety": None})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["pain"], body["mood"], body["anxiety"], body["tags"], body["note"]) == (7, 6, None, ["walk"], "first")
    assert body["edited_at"] is not None
    entry = CheckIn.objects.get()
    assert (entry.pain, entry.anxiety) == (7, None)
    revision = CheckInRevision.objects.get()
    assert (revision.checkin_id, revision.kind, revision.changed_by_id) == (made["id"], "edit", pat.pk)
    assert (revision.content["pain"], revision.content["anxiety"], revision.content["note"]) == (4, 3, "first")
    assert revision.content["recorded_at"] == entry.recorded_at.isoformat()
    # The history answers what it was, for the owner.
    history = client.get(f"{URL}/{made['id']}/revisions", headers=headers).json()
    assert history["current"]["pain"] == 7
    assert [(h["kind"], h["content"]["pain"]) for h in history["revisions"]] == [("edit", 4)]


def test_patch_that_changes_nothing_stores_no_revision(client, pat, token_for):
    headers = token_for(pat)
    made = create(client, headers)
    r = patch(client, headers, made["id"], {"pain": 4})
    assert r.status_code == 200
    assert r.json()["edited_at"] is None
    assert not CheckInRevision.objects.exists()


def test_bad_patch_names_the_field_and_changes_nothing(client, pat, token_for):
    headers = token_for(pat)
    made = create(client, headers)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"pain": 11}, "pain"),
        ({"mood": -1}, "mood"),
        ({"pain": None}, "pain"),  # required: cannot be cleared
        ({"sleep_hours": 24.5}, "sleep_hours"),
        ({"pain": "5"}, "pain"),  # strict, as POST
        ({"pain_locations": ["tail"]}, "pain_locations"),
        ({"client_id": str(uuid.uuid4())}, "client_id"),  # an entry keeps its key
        ({"colour": "red"}, "colour"),
    ]
    for body, field in cases:
        r = patch(client, headers, made["id"], body)
        assert r.status_code == 422, (body, r.content)
        assert field in fields_named(r), (body, r.json())
    entry = CheckIn.objects.get()
    assert (entry.pain, entry.mood, entry.sleep_hours, entry.edited_at) == (4, 6, None, None)
    assert not CheckInRevision.objects.exists()


def test_patch_can_move_the_entry_in_time_but_not_into_the_future(client, pat, token_for):
    headers = token_for(pat)
    made = create(client, headers, recorded_at="2026-03-01T20:00:00+00:00")
    r = patch(client, headers, made["id"], {"recorded_at": "2026-02-28T23:30:00+00:00"})
    assert r.status_code == 200, r.content
    assert r.json()["local_on"] == "2026-02-28"  # London is on GMT in February
    r = patch(client, headers, made["id"], {"recorded_at": "2999-01-01T00:00:00+00:00"})
    assert r.status_code == 422
    assert "recorded_at" in fields_named(r)
    assert str(CheckIn.objects.get().local_on) == "2026-02-28"


def test_delete_removes_the_entry_from_every_list_and_keeps_a_tombstone(client, pat, cara, token_for):
    headers = token_for(pat)
    keep = create(client, headers, pain=2)
    gone = create(client, headers, pain=9, client_id=str(uuid.uuid4()))
    r = client.delete(f"{URL}/{gone['id']}", headers=headers)
    assert r.status_code == 204
    assert r.content == b""
    assert [e["id"] for e in client.get(URL, headers=headers).json()] == [keep["id"]]
    clinician = client.get(f"/api/v1/patients/{pat.pk}/checkins", headers=token_for(cara)).json()
    assert [e["id"] for e in clinician] == [keep["id"]]
    tombstone = CheckInRevision.objects.get()
    assert (tombstone.kind, tombstone.checkin_id, tombstone.content["pain"]) == ("delete", gone["id"], 9)
    assert str(tombstone.client_id) == gone["client_id"]
    assert client.delete(f"{URL}/{gone['id']}", headers=headers).status_code == 404
    assert patch(client, headers, gone["id"], {"pain": 1}).status_code == 404


def test_only_the_owner_may_edit_or_delete(client, pat, cara, olga, token_for):
    made = create(client, token_for(pat))
    for user in (cara, olga):
        headers = token_for(user)
        assert patch(client, headers, made["id"], {"pain": 9}).status_code == 404
        assert client.delete(f"{URL}/{made['id']}", headers=headers).status_code == 404
    from painmind.accounts.actions import do_create_user

    other = do_create_user("other@example.org", "x" * 12, role="patient", check_password=False)
    assert patch(client, token_for(other), made["id"], {"pain": 9}).status_code == 404
    assert client.delete(f"{URL}/{made['id']}", headers=token_for(other)).status_code == 404
    assert CheckIn.objects.get().pain == 4
    assert not CheckInRevision.objects.exists()


def test_clinician_reads_the_earlier_values_audited_and_others_cannot(client, pat, cara, olga, token_for):
    made = create(client, token_for(pat))
    patch(client, token_for(pat), made["id"], {"mood": 2})
    path = f"/api/v1/patients/{pat.pk}/checkins/{made['id']}/revisions"
    r = client.get(path, headers=token_for(cara))
    assert r.status_code == 200
    assert r.json()["revisions"][0]["content"]["mood"] == 6
    assert AuditEvent.objects.filter(actor=cara, object_type="checkin_list", object_id=str(made["id"])).count() == 1
    assert client.get(path, headers=token_for(olga)).status_code == 404
    listed = client.get(f"/api/v1/patients/{pat.pk}/checkins", headers=token_for(cara)).json()
    assert listed[0]["edited_at"] is not None


def test_a_replayed_post_of_an_edited_entry_returns_it_as_edited(client, pat, token_for):
    headers = token_for(pat)
    key = str(uuid.uuid4())
    made = create(client, headers, client_id=key)
    patch(client, headers, made["id"], {"pain": 8})
    # The client's retry of its first POST (pain 4) arrives after the edit: no duplicate, no undo.
    r = client.post(URL, {"pain": 4, "mood": 6, "client_id": key}, content_type="application/json", headers=headers)
    assert r.status_code == 200, r.content
    assert (r.json()["id"], r.json()["pain"]) == (made["id"], 8)
    # Content that the entry never held is still a conflict.
    r = client.post(URL, {"pain": 1, "mood": 1, "client_id": key}, content_type="application/json", headers=headers)
    assert r.status_code == 409
    assert CheckIn.objects.count() == 1


def test_a_replayed_post_of_a_deleted_entry_never_brings_it_back(client, pat, token_for):
    headers = token_for(pat)
    key = str(uuid.uuid4())
    made = create(client, headers, client_id=key)
    client.delete(f"{URL}/{made['id']}", headers=headers)
    r = client.post(URL, {"pain": 4, "mood": 6, "client_id": key}, content_type="application/json", headers=headers)
    assert r.status_code == 409
    assert r.json()["existing_id"] == made["id"]
    assert "deleted" in r.json()["errors"][0]["message"]
    assert not CheckIn.objects.exists()
