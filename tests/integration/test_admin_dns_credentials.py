"""DNS credentials through the admin API with the real binary: scopes, a provider the binary does
not know refused with the list it knows, 404s, and a secret sent in a request never showing up in a
response, the log or the audit. Against a real BIND 9 (bind_support.py): a TSIG credential stored
through `gatehouse dns-credentials add` passes the pre-flight (zone found, probe present, seen at
the server, removed, gone); a wrong secret fails at present with authentication, a zone the server does
not serve fails at zone with zone not found, a zone that refuses updates fails with permission."""
from __future__ import annotations

import base64
import json
import os

import pytest

import support
from support import LOOPBACK, free_port, port_accepts, wait_until
from bind_support import bind_server  # noqa: F401  (fixture)
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



def cli(gh, token: str, *args: str, env_extra: dict[str, str] | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_ADMIN_")}
    env.update({"GATEHOUSE_ADMIN_ADDRESS": f"{LOOPBACK}:{gh.admin_port}", "GATEHOUSE_ADMIN_TOKEN": token, **(env_extra or {})})
    res = support.run([gh.binary, "dns-credentials", *args], timeout=120, env=env)
    return res.returncode, res.stdout.decode(errors="replace"), res.stderr.decode(errors="replace")


def test_preflight_against_bind(admin_gh, bind_server):
    acme = create_token(admin_gh, "acme", "acme.manage")
    good = bind_server.rfc2136_env("hmac-sha256")
    secret = good["RFC2136_TSIG_SECRET"]
    code, out, err = cli(admin_gh, acme, "add", "zone-a", "--provider", "rfc2136",
                         *[arg for name in good for arg in ("--from-env", name)], env_extra=good)
    assert code == 0, err
    assert "RFC2136_TSIG_SECRET" in out and secret not in out

    code, out, err = cli(admin_gh, acme, "test", "zone-a", "www.example.test", "--json")
    report = json.loads(out)
    assert code == 0 and report["succeeded"] is True, report
    steps = {step["name"]: step for step in report["steps"]}
    assert steps["zone"]["detail"] == "example.test.", steps
    assert [steps[n]["status"] for n in ("configuration", "present", "propagation", "cleanup", "gone")] == ["succeeded"] * 5, steps
    assert bind_server.txt("_acme-challenge.www.example.test") == [], "the probe record must be removed"

    wrong_secret = base64.b64encode(b"not the key" * 3).decode()
    wrong = dict(good, RFC2136_TSIG_SECRET=wrong_secret)
    status, payload = post(admin_gh, "/api/v1/dns-credentials", {"name": "wrong", "provider": "rfc2136", "entries": wrong}, acme)
    assert status == 201, payload
    code, out, _ = cli(admin_gh, acme, "test", "wrong", "www.example.test", "--json")
    report = json.loads(out)
    assert code == 1 and (report["failedStep"], report["failureKind"]) == ("present", "authentication"), report

    code, out, _ = cli(admin_gh, acme, "test", "zone-a", "www.elsewhere.test", "--json")
    report = json.loads(out)
    assert code == 1 and (report["failedStep"], report["failureKind"]) == ("zone", "zone not found"), report

    code, out, _ = cli(admin_gh, acme, "test", "zone-a", "locked.test", "--json")
    report = json.loads(out)
    assert code == 1 and (report["failedStep"], report["failureKind"]) == ("present", "permission"), report

    code, out, err = cli(admin_gh, acme, "list")
    assert code == 0, err
    line = next(line for line in out.splitlines() if line.startswith("wrong "))
    assert "failed at present (authentication) for www.example.test" in line, out
    line = next(line for line in out.splitlines() if line.startswith("zone-a "))
    assert "failed at present (permission) for locked.test" in line, out

    admin = create_token(admin_gh, "root", "admin")
    _, _, audit = call(admin_gh.admin_port, "/api/v1/audit?action=dns-credential.*", token=admin)
    actions = [event["action"] for event in json.loads(audit)]
    assert actions.count("dns-credential.test") == 4 and actions.count("dns-credential.create") == 2, actions
    _, _, listing = call(admin_gh.admin_port, "/api/v1/dns-credentials", token=acme)
    for text in (audit, listing, admin_gh.logs().encode()):
        assert secret.encode() not in text and wrong_secret.encode() not in text

    code, out, err = cli(admin_gh, acme, "delete", "wrong")
    assert code == 0, err
    assert [c["name"] for c in json.loads(call(admin_gh.admin_port, "/api/v1/dns-credentials", token=acme)[2])] == ["zone-a"]
