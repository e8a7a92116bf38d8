"""Share links over the API: create (the address once), list with views, revoke; bad input changes nothing."""

from __future__ import annotations

import pytest

from painmind.accounts.models import AuditEvent, ShareLink


def test_create_list_open_and_revoke(client, pat, cara, token_for):
    headers = token_for(pat)
    r = client.post(
        "/api/v1/share-links",
        {"label": "Physio appointment", "sections": ["questionnaires", "checkins"], "days": 7},
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 201
    body = r.json()
    link = ShareLink.objects.get()
    assert (body["id"], body["label"], body["sections"], body["status"], body["views"]) == (
        link.pk,
        "Physio appointment",
        ["checkins", "questionnaires"],  # in the fixed order of the sections, not as sent
        "active",
        0,
    )
    assert (link.expires_at - link.created_at).days == 7
    path = body["url"].removeprefix("http://testserver")
    assert path.startswith("/s/")
    assert path[3:-1] not in str(client.get("/api/v1/share-links", headers=headers).json())  # shown once

    assert client.get(path).status_code == 200  # opened once, anonymously
    listed = client.get("/api/v1/share-links", headers=headers).json()
    assert [(x["id"], x["views"], x["status"]) for x in listed] == [(link.pk, 1, "active")]

    r = client.delete(f"/api/v1/share-links/{link.pk}", headers=token_for(cara))
    assert r.status_code == 404  # only the patient can switch their link off
    r = client.delete(f"/api/v1/share-links/{link.pk}", headers=headers)
    assert (r.status_code, r.json()["status"], r.json()["views"]) == (200, "revoked", 1)
    assert client.get(path).status_code == 404
    assert AuditEvent.objects.filter(via="link").count() >= 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"label": "x", "sections": ["checkins"], "days": 31}, "days", "between 1 and 30 days"),
        ({"label": "x", "sections": [], "days": 3}, "sections", "choose at least one section to show"),
        ({"label": "x", "sections": ["notes"], "days": 3}, "sections", "unknown section(s): notes"),
        ({"label": " ", "sections": ["cycle"], "days": 3}, "label", "give the link a name"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(client, pat, token_for, data, field, message):
    r = client.post("/api/v1/share-links", data, content_type="application/json", headers=token_for(pat))
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == field
    assert error["message"].startswith(message)
    assert not ShareLink.objects.exists()


def test_a_clinician_cannot_make_or_list_links(client, cara, token_for):
    r = client.post(
        "/api/v1/share-links",
        {"label": "x", "sections": ["cycle"], "days": 3},
        content_type="application/json",
        headers=token_for(cara),
    )
    assert r.status_code == 422
    assert client.get("/api/v1/share-links", headers=token_for(cara)).status_code == 404
    assert not ShareLink.objects.exists()
