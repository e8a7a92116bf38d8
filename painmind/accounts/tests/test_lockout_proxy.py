"""django-axes behind a reverse proxy: lockouts are keyed on the account and the client's own
address, which with PAINMIND_TRUST_X_FORWARDED_FOR comes from the address the proxy appended."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD

PROXY = "10.0.0.5"  # every request reaches the server from the proxy


@pytest.fixture
def behind_proxy(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    settings.AXES_FAILURE_LIMIT = 10


def _web(client, email, password, forwarded):
    return client.post(
        "/login/", {"login": email, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )


def _api(client, email, password, forwarded):
    body = {"email": email, "password": password}
    return client.post(
        "/api/v1/auth/token", body, content_type="application/json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )


def test_ten_wrong_passwords_from_one_address_do_not_lock_out_the_account_elsewhere(cara, behind_proxy):
    attacker, clinician = Client(), Client()
    for _ in range(9):
        assert _web(attacker, cara.email, "wrong-password", "198.51.100.66").status_code == 200
    assert _web(attacker, cara.email, "wrong-password", "198.51.100.66").status_code == 429  # the tenth
    # The attacker's address is locked out for this account, even with the right password ...
    assert _web(attacker, cara.email, PASSWORD, "198.51.100.66").status_code == 429
    assert _api(attacker, cara.email, PASSWORD, "198.51.100.66").status_code == 429
    # ... the clinician, behind the same proxy from another address, is not.
    assert _web(clinician, cara.email, PASSWORD, "203.0.113.20").status_code == 302
    assert _api(clinician, cara.email, PASSWORD, "203.0.113.20").status_code == 200


def test_the_client_cannot_choose_its_address_by_writing_the_header_itself(cara, behind_proxy):
    attacker = Client()
    # Each request claims a new address first; the proxy appends the one it saw, which counts.
    for i in range(10):
        _web(attacker, cara.email, "wrong-password", f"192.0.2.{i}, 198.51.100.66")
    assert _web(attacker, cara.email, PASSWORD, "192.0.2.200, 198.51.100.66").status_code == 429


def test_without_the_setting_the_header_is_ignored(cara, settings):
    settings.TRUST_X_FORWARDED_FOR = False
    one = Client()
    for i in range(10):
        _web(one, cara.email, "wrong-password", f"198.51.100.{i}")
    # All from the same connection address: one lockout, whatever the header says.
    assert _web(Client(), cara.email, PASSWORD, "203.0.113.20").status_code == 429
    assert _web(Client(), cara.email, PASSWORD, "203.0.113.20").status_code == 429
    other = Client()
    assert (
        other.post("/login/", {"login": cara.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.21").status_code
        == 302
    )
