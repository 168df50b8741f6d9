"""The API + admin site fixture (../shared/fixtures/traefik/api-admin-middlewares.yml), loaded
unchanged except backend addresses: security headers on every API response, rate limiting after
the burst, the admin host's origin allow-list and its basic-auth password (from the file's comment).

The allow-list has no ipStrategy, so, as in Traefik, it is matched against the connection's remote
address: a trusted proxy's X-Forwarded-For does not open it. Clients inside the allowed range connect
from an address in it, added to the loopback interface for the test (needs root, as CI has)."""
from __future__ import annotations

import base64
import math
import subprocess
import time

import pytest

import support
from support import http_request
from test_fixtures import BackendMap, read_fixture

FIXTURE = "api-admin-middlewares.yml"
CLOUDFLARE_ADDRESS = "173.245.48.1"  # inside 173.245.48.0/20
SECURITY = {
    "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "content-security-policy": "default-src 'self'",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


@pytest.fixture
def site(launcher, backends):
    bmap = BackendMap(backends)
    gh = launcher.start(provider_dir={FIXTURE: bmap.rewrite(read_fixture(FIXTURE))},
                        entrypoints={"web": {}, "websecure": {"forwardedHeaders": {"trustedIPs": ["127.0.0.1/32"]}}})
    return gh, bmap


@pytest.fixture
def cloudflare_source():
    """A source address inside the allow-list, on the loopback interface for this test."""
    add = subprocess.run(["ip", "addr", "add", f"{CLOUDFLARE_ADDRESS}/32", "dev", "lo"], capture_output=True, text=True)
    if add.returncode != 0 and "File exists" not in add.stderr:
        support.unavailable(f"cannot add {CLOUDFLARE_ADDRESS} to lo (needs root): {add.stderr.strip()}")
    yield CLOUDFLARE_ADDRESS
    if add.returncode == 0:
        subprocess.run(["ip", "addr", "del", f"{CLOUDFLARE_ADDRESS}/32", "dev", "lo"], capture_output=True)


def get(gh, host, path="/", **kwargs):
    return http_request(gh.websecure, path, host=host, tls=True, **kwargs)


def assert_security_headers(response, where: str) -> None:
    for name, value in SECURITY.items():
        assert response.header(name) == value, f"{where}: {name} is {response.header(name)!r}"


def test_security_headers_on_every_api_response(site):
    gh, _ = site
    for host, path in [("api.myhoneydue.com", "/"), ("myhoneydue.com", "/items?page=2"), ("myhoneydue.com", "/api/auth/login")]:
        r = get(gh, host, path)
        assert r.status == 200, (host, path, r)
        assert_security_headers(r, f"{host}{path}")


def test_auth_rate_limit_answers_429_after_the_burst(site):
    gh, _ = site
    # auth-rate-limit: average 10 per minute, burst 5.
    statuses = [get(gh, "myhoneydue.com", "/api/auth/login").status for _ in range(6)]
    assert statuses[:5] == [200] * 5, statuses
    refused = get(gh, "myhoneydue.com", "/api/auth/login")
    assert refused.status == 429, refused
    assert refused.header("retry-after") in {"5", "6"}, refused.headers
    assert refused.header("x-retry-in")
    assert_security_headers(refused, "the 429")  # security-headers comes first in the router's list
    # The general API limit (burst 200) is counted apart: the same client still gets through there.
    assert get(gh, "api.myhoneydue.com", "/").status == 200


def test_api_rate_limit_allows_the_burst_then_refuses(site):
    gh, _ = site
    passed = 0
    started = time.monotonic()
    refused = None
    for _ in range(400):
        r = get(gh, "api.myhoneydue.com", "/")
        if r.status != 200:
            refused = r
            break
        passed += 1
    assert refused is not None and refused.status == 429, refused
    # burst 200, then 100 per minute: tokens keep coming back while the burst is spent
    refilled = math.ceil((time.monotonic() - started) * 100 / 60)
    assert 200 <= passed <= 200 + refilled + 1, (passed, refilled)


def test_admin_refuses_clients_outside_the_allow_list(site):
    gh, bmap = site
    assert get(gh, "admin.myhoneydue.com").status == 403
    # A trusted proxy's X-Forwarded-For does not change the remote address the list is matched on.
    forwarded = get(gh, "admin.myhoneydue.com", headers={"X-Forwarded-For": "173.245.48.5"})
    assert forwarded.status == 403
    assert not bmap.get("10.43.12.7:3000").requests_to("/")


def test_admin_asks_allowed_clients_for_the_password(site, cloudflare_source):
    gh, bmap = site
    challenge = get(gh, "admin.myhoneydue.com", source=cloudflare_source)
    assert challenge.status == 401, challenge
    assert challenge.header("www-authenticate") == 'Basic realm="traefik"'
    wrong = get(gh, "admin.myhoneydue.com", source=cloudflare_source,
                headers={"Authorization": "Basic " + base64.b64encode(b"admin:wrong").decode()})
    assert wrong.status == 401
    ok = get(gh, "admin.myhoneydue.com", "/dashboard", source=cloudflare_source,
             headers={"Authorization": "Basic " + base64.b64encode(b"admin:s3cret").decode()})
    assert ok.status == 200, ok
    assert_security_headers(ok, "the admin page")
    seen = bmap.get("10.43.12.7:3000").wait_for_request("/dashboard")
    assert seen is not None and seen.header("x-forwarded-for") == CLOUDFLARE_ADDRESS
