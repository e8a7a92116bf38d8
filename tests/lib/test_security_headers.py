"""Every response's security headers: a strict CSP, a Permissions-Policy, and no-store on every
response that may carry personal data (signed-in, API token, share link), but not on static files."""

from __future__ import annotations

import re

from painmind.accounts.actions import do_create_share_link
from painmind.accounts.audit import Actor

NO_STORE = {"no-store", "no-cache", "must-revalidate", "private", "max-age=0"}


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in (p.strip() for p in policy.split(";")) if d}


def test_csp_is_strict_self_with_no_inline_anything(client, db):
    r = client.get("/login/")
    assert r.status_code == 200
    policy = csp(r)
    for directive in ("default-src", "script-src", "style-src", "connect-src", "form-action"):
        assert policy[directive] == "'self'", directive
    assert (policy["object-src"], policy["frame-ancestors"], policy["base-uri"]) == ("'none'", "'none'", "'none'")
    assert "unsafe" not in r["Content-Security-Policy"]
    assert "nonce" not in r["Content-Security-Policy"]


def test_permissions_policy_switches_off_powerful_features(client, db):
    r = client.get("/help/")
    features = dict(p.strip().split("=") for p in r["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_signed_in_pages_are_never_stored_public_ones_may_be(client, pat):
    assert "no-store" not in cache_control(client.get("/help/"))  # public, nothing personal
    client.force_login(pat)
    for path in ("/me/", "/settings/", "/me/access-log/"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert cache_control(r) >= NO_STORE, path
    # A redirect or error page to a signed-in person carries the rule too.
    assert cache_control(client.get("/clinician/")) >= NO_STORE


def test_api_responses_to_a_token_are_never_stored(client, pat, token_for):
    r = client.get("/api/v1/checkins", headers=token_for(pat))
    assert r.status_code == 200
    assert cache_control(r) >= NO_STORE
    assert "no-store" not in cache_control(client.get("/api/v1/checkins"))  # 401: nothing personal


def test_share_link_pages_are_never_stored(client, pat):
    _, token = do_create_share_link(Actor(user=pat, via="web"), label="GP", scopes=["checkins"], days=3)
    r = client.get(f"/s/{token}/")
    assert r.status_code == 200
    assert "no-store" in cache_control(r)  # the view sets it itself; the middleware leaves it
    assert "no-store" in cache_control(client.get("/s/not-a-real-token/"))


def test_static_files_are_answered_before_the_no_store_rule(settings):
    # WhiteNoise answers /static/ itself (its long max-age is checked against the real server in
    # painmind/ops/tests/test_demo_and_serve.py), so only middleware below it sees other requests.
    order = settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
        "painmind.lib.middleware.SecurityHeadersMiddleware"
    )


def test_no_template_has_inline_script_or_style():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "painmind"
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", r"<style\b", r"\sstyle=", r"\son[a-z]+="):
            if re.search(pattern, text):
                offenders.append(f"{template.relative_to(root)}: {pattern}")
    assert offenders == []
