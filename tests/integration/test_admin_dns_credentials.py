"""DNS credentials through the admin API with the real binary: scopes, a provider the binary does
not know refused with the list it knows, 404s, and a secret sent in a request never showing up in a
response, the log or the audit."""
from __future__ import annotations

import json

import pytest

import support
from support import LOOPBACK, free_port, port_accepts, wait_until
from test_admin_api import call, create_token

SECRET = "c2VjcmV0LXRzaWctdmFsdWUtOTk5"


@pytest.fixture
def admin_gh(launcher):
    support.require_tool("curl")
    port = free_port()
    gh = launcher.start({}, static_extra={"admin": {"address": f"{LOOPBACK}:{port}"}})
    assert wait_until(lambda: port_accepts(port), 15), f"admin port not open:\n{gh.logs()[-3000:]}"
    gh.admin_port = port
    return gh


def post(gh, path: str, body: dict, token: str | None):
    args = ["-X", "POST", "-D", "-", "-o", "/dev/stdout", "-H", "Content-Type: application/json",
            "--data-binary", json.dumps(body)]
    if token:
        args += ["-H", f"Authorization: Bearer {token}"]
    res = support.curl(*args, f"http://{LOOPBACK}:{gh.admin_port}{path}", timeout=30)
    assert res.returncode == 0, res.stderr
    head, _, payload = res.stdout.partition(b"\r\n\r\n")
    return int(head.split()[1]), payload


def test_scopes_validation_and_no_secret_anywhere(admin_gh):
    acme = create_token(admin_gh, "acme", "acme.manage")
    reader = create_token(admin_gh, "reader", "ingress.read")
    body = {"name": "zone-a", "provider": "nosuch", "entries": {"RFC2136_TSIG_SECRET": SECRET}}

    assert post(admin_gh, "/api/v1/dns-credentials", body, None)[0] == 401
    assert post(admin_gh, "/api/v1/dns-credentials", body, reader)[0] == 403
    assert call(admin_gh.admin_port, "/api/v1/dns-credentials", token=reader)[0] == 403
    assert call(admin_gh.admin_port, "/api/v1/dns-credentials")[0] == 401

    status, payload = post(admin_gh, "/api/v1/dns-credentials", body, acme)
    assert status == 400, payload
    answer = json.loads(payload)
    assert answer["field"] == "provider" and "unknown provider \"nosuch\"" in answer["message"], answer

    status, _, listing = call(admin_gh.admin_port, "/api/v1/dns-credentials", token=acme)
    assert status == 200 and json.loads(listing) == []
    assert call(admin_gh.admin_port, "/api/v1/dns-credentials/dnscred-none", token=acme)[0] == 404
    assert call(admin_gh.admin_port, "/api/v1/dns-credentials/dnscred-none", token=acme, method="DELETE")[0] == 404
    assert post(admin_gh, "/api/v1/dns-credentials/dnscred-none/test", {"domain": "example.test"}, acme)[0] == 404

    admin = create_token(admin_gh, "root", "admin")
    _, _, audit = call(admin_gh.admin_port, "/api/v1/audit", token=admin)
    for text in (payload, listing, audit, admin_gh.logs().encode()):
        assert SECRET.encode() not in text

