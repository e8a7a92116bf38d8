"""Delete my account: through the web, the API and the operator's CLI. Afterwards no table points
at the person, the histories name them by their pseudonym, other patients' access logs are
intact, clinicians lost access, and the person cannot sign in."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import PASSWORD
from painmind.accounts.models import AuditEvent, Consent, User
from painmind.careplan.models import Intervention, PlanChange
from painmind.exchange.own_data.erasure import MENTIONS, OWNED, PSEUDONYMISED, TIES


def user_keys() -> set[tuple[str, str]]:
    """Every foreign key to the user model in every installed app, from the app registry."""
    user_model = get_user_model()
    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user_model
    }


def rows_pointing_at(user_id: int) -> dict[str, int]:
    found = {}
    for label, field in user_keys():
        n = apps.get_model(label)._base_manager.filter(**{f"{field}_id": user_id}).count()
        if n:
            found[f"{label}.{field}"] = n
    return found


def pseudonym(user_id: int) -> str:
    """Django's salted_hmac, written out: HMAC-SHA256 keyed with SHA-256(salt + secret)."""
    key = hashlib.sha256(("painmind.exchange.deleted-account" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:20]


def access_log(patient: Any) -> list[tuple[Any, ...]]:
    return list(
        AuditEvent.objects.filter(patient=patient)
        .order_by("id")
        .values_list("id", "at", "actor_role", "action", "object_type", "object_id", "detail", "via")
    )


def test_every_key_to_a_person_is_handled_by_deletion(db):
    """Fails when a model adds a key to the user model and erasure.py does not say what happens."""
    listed = [*OWNED, *TIES, *MENTIONS, *PSEUDONYMISED]
    assert user_keys() - set(listed) == set()
    assert set(listed) - user_keys() == set()


def test_web_deletion_removes_everything_and_keeps_others_histories(client, full_pat, cara, sam):
    pat_id = full_pat.pk
    assert rows_pointing_at(pat_id)  # the fixture really wrote rows everywhere
    n_events = AuditEvent.objects.filter(patient=full_pat).count()
    sams_log = access_log(sam)
    client.force_login(full_pat)

    page = client.get("/settings/delete-account/").content.decode()
    for line in ("Check-ins: 3", "Questionnaires: 1", "Medicines: 1", "Care plan goals: 1", "Thought records: 1"):
        assert f"<li>{line}</li>" in page
    assert "/settings/delete-account/" in client.get("/settings/my-data/").content.decode()

    r = client.post("/settings/delete-account/", {"password": "wrong"})
    assert r.status_code == 400
    assert "is not your password" in r.content.decode()
    assert User.objects.filter(pk=pat_id).exists()

    r = client.post("/settings/delete-account/", {"password": PASSWORD})
    assert r.status_code == 302
    assert not User.objects.filter(pk=pat_id).exists()
    assert rows_pointing_at(pat_id) == {}
    kept = AuditEvent.objects.filter(patient_pseudonym=pseudonym(pat_id))
    assert kept.count() == n_events
    assert set(kept.values_list("detail", flat=True)) == {""}  # could quote their goals and medicines
    assert access_log(sam) == sams_log
    assert Intervention.objects.filter(patient=sam, title="Sam's CBT").count() == 1
    assert not Consent.objects.filter(clinician=cara).exclude(patient=sam).exists()
    # Signed out, and cannot sign in again.
    assert client.get("/settings/").status_code == 302
    r = client.post("/login/", {"login": "pat@example.org", "password": PASSWORD})
    assert r.status_code == 200
    assert "_auth_user_id" not in client.session
    client.force_login(cara)
    assert client.get(f"/clinician/patients/{pat_id}/").status_code == 404


def test_api_deletion_needs_the_password_and_ends_every_token(client, full_pat, cara, token_for):
    headers = token_for(full_pat)
    other = token_for(full_pat)
    r = client.delete("/api/v1/me", {"password": "wrong"}, content_type="application/json", headers=headers)
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "password", "message": "is not your password."}]
    r = client.delete(
        "/api/v1/me", {"password": PASSWORD, "pasword": "x"}, content_type="application/json", headers=headers
    )
    assert r.status_code == 422
    assert User.objects.filter(pk=full_pat.pk).exists()

    r = client.delete("/api/v1/me", {"password": PASSWORD}, content_type="application/json", headers=headers)
    assert r.status_code == 200
    assert r.json()["detail"] == "Account deleted."
    assert rows_pointing_at(full_pat.pk) == {}
    assert client.get("/api/v1/me/export", headers=other).status_code == 401


def test_a_clinicians_deletion_keeps_their_history_under_a_pseudonym(client, full_pat, cara, sam):
    cara_id = cara.pk
    by_cara = list(AuditEvent.objects.filter(actor=cara).order_by("id").values_list("id", "patient_id", "object_type"))
    assert {p for _, p, _ in by_cara} == {full_pat.pk, sam.pk}
    client.force_login(cara)
    assert client.post("/settings/delete-account/", {"password": PASSWORD}).status_code == 302

    assert rows_pointing_at(cara_id) == {}
    label = "deleted account " + pseudonym(cara_id)
    after = AuditEvent.objects.filter(actor_label=label).order_by("id")
    assert list(after.values_list("id", "patient_id", "object_type")) == by_cara
    assert set(after.values_list("actor_id", flat=True)) == {None}
    # The patients' records stay, without her key: the plan history names her pseudonym.
    assert Intervention.objects.filter(patient=sam, title="Sam's CBT", owner=None).count() == 1
    assert set(PlanChange.objects.filter(patient=sam).values_list("actor_label", flat=True)) == {label}
    assert not Consent.objects.filter(patient=sam).exists()
    client.force_login(sam)
    assert client.get("/me/access-log/").status_code == 200


def test_operator_cli_deletion_is_recorded_then_pseudonymised(full_pat):
    with pytest.raises(CommandError, match="--yes"):
        call_command("delete-person", "pat@example.org")
    with pytest.raises(CommandError, match=re.escape("no account with e-mail 'nobody@example.org'")):
        call_command("delete-person", "nobody@example.org", "--yes")
    assert User.objects.filter(pk=full_pat.pk).exists()
    pat_id = full_pat.pk
    call_command("delete-person", "PAT@example.org", "--yes")
    assert rows_pointing_at(pat_id) == {}
    event = AuditEvent.objects.get(action="delete", object_type="account")
    assert (event.patient_id, event.patient_pseudonym, event.via) == (None, pseudonym(pat_id), "cli")


def test_the_audit_log_admits_only_the_pseudonymising_update(pat, cara, sam):
    event = AuditEvent.objects.filter(patient=sam).first()
    assert event is not None
    if connection.vendor != "postgresql":
        with pytest.raises(PermissionError):
            AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
        return
    from django.db import transaction
    from django.db.utils import DatabaseError

    for sql in (
        "UPDATE accounts_auditevent SET detail = 'rewritten' WHERE id = %s",
        "UPDATE accounts_auditevent SET patient_id = NULL, patient_pseudonym = 'x', action = 'view2' WHERE id = %s",
        "UPDATE accounts_auditevent SET actor_id = NULL, actor_label = 'someone else' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [event.pk])
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE accounts_auditevent SET patient_id = NULL, patient_pseudonym = 'p', detail = '' WHERE id = %s",
            [event.pk],
        )
    assert AuditEvent.objects.get(pk=event.pk).patient_pseudonym == "p"


def test_the_admin_audit_list_shows_pseudonymised_rows(client, full_pat, cara, ada):
    pat_id = full_pat.pk
    client.force_login(full_pat)
    client.post("/settings/delete-account/", {"password": PASSWORD})
    client.force_login(ada)
    r = client.get("/admin/accounts/auditevent/")
    assert r.status_code == 200
    assert pseudonym(pat_id) in r.content.decode()
    # The views the page recorded name the patients still here (sam), never a deleted one.
    recorded = AuditEvent.objects.filter(via="admin")
    assert set(recorded.values_list("patient__email", flat=True)) == {"sam@example.org"}
