"""The expose chain with the real binary and pebble: POST /api/v1/expose → 202 → the operation
runs validate → route → certificate → activate; the served leaf is pebble's and requests reach
the backend; re-running orders nothing new; other backends update the route in place; a clash
with a file route is refused (409); the route survives a restart; DELETE removes it. With the CA
down the operation fails with the reason and leaves nothing behind. The approval flow with
four-eyes. The CLI (`gatehouse expose --wait`, `gatehouse changes`) over the same API."""
from __future__ import annotations

import json
import os
import time

import pytest

import support
from acme_support import RESOLVER, acme_resolver, free_dns_port, is_pebble_leaf, served_leaf
from support import LOOPBACK, free_port, port_accepts, service, wait_until
from test_admin_api import call, create_token

HOST = "app.example.com"
FILE_HOST = "file.example.com"
ROUTER = "expose-app-example-com@api"


def send(port: int, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict | list]:
    """A JSON request to the admin API; returns the status and the decoded body."""
    args = ["-X", method, "-H", f"Authorization: Bearer {token}", "-w", "\n%{http_code}"]
    if body is not None:
        args += ["-H", "Content-Type: application/json", "--data", json.dumps(body)]
    res = support.curl(*args, f"http://{LOOPBACK}:{port}{path}", timeout=15)
    assert res.returncode == 0, res.stderr
    text, _, code = res.stdout.decode().rpartition("\n")
    return int(code), (json.loads(text) if text else {})


def finished(port: int, token: str, operation_id: str, timeout: float = 45) -> dict:
    """Polls the operation until it ends; returns it."""
    last: list[dict] = []

    def done() -> bool:
        status, body = send(port, "GET", f"/api/v1/operations/{operation_id}", token)
        assert status == 200, body
        last[:] = [body]
        return body["status"] in ("succeeded", "failed")
    assert wait_until(done, timeout, interval=0.2), f"operation still running: {last}"
    return last[0]


def https_get(gw_port: int, host: str, cafile: str) -> tuple[int, str]:
    """curl --resolve to the gateway's websecure port, verifying with `cafile`; status and body."""
    res = support.curl("-sS", "--resolve", f"{host}:{gw_port}:{LOOPBACK}", "--cacert", cafile,
                       "-w", "\n%{http_code}", f"https://{host}:{gw_port}/hello", timeout=15)
    text, _, code = res.stdout.decode(errors="replace").rpartition("\n")
    return int(code or 0), text if res.returncode == 0 else res.stderr.decode(errors="replace")


def route_rows(port: int, token: str) -> dict[str, dict]:
    status, body = send(port, "GET", "/api/v1/routes", token)
    assert status == 200, body
    return {row["name"]: row for row in body}


def cli(gw, token: str, admin_port: int, *args: str, timeout: float = 60):
    env = {**os.environ, "GATEHOUSE_ADMIN_ADDRESS": f"{LOOPBACK}:{admin_port}", "GATEHOUSE_ADMIN_TOKEN": token}
    return support.run([support.gatehouse_binary(), *args], timeout=timeout, env=env)


@pytest.fixture
def exposing(acme_lab):
    """pebble (HTTP-01 through challtestsrv's DNS) and a gateway with an admin listener, a file
    router for FILE_HOST and no route for HOST."""
    support.require_tool("curl")
    support.require_tool("openssl")

    def make(*, ca_up: bool = True, admin_extra: dict | None = None):
        cts = acme_lab.challtestsrv()
        ports = {"web": free_port(), "websecure": free_port()}
        pebble = acme_lab.pebble(http_port=ports["web"], tls_port=free_port(), dns_server=cts.dns_address, start=ca_up)
        backend = acme_lab.backends("expose")
        admin_port = free_port()
        dynamic = {"http": {
            "routers": {"filed": {"rule": f"Host(`{FILE_HOST}`)", "service": "filed", "entryPoints": ["web"]}},
            "services": {"filed": service(backend.url)},
        }}
        gw = acme_lab.gateway(ports=ports, resolvers={RESOLVER: acme_resolver(pebble, "http-01")}, dynamic=dynamic,
                              static_extra={"admin": {"address": f"{LOOPBACK}:{admin_port}", **(admin_extra or {})}},
                              env={"GATEHOUSE_EXPOSE_CERTIFICATE_TIMEOUT": "40s"}, label="expose")
        assert wait_until(lambda: port_accepts(admin_port), 15), f"admin port not open:\n{gw.gh.logs()[-3000:]}"
        return pebble, gw, admin_port, backend
    return make


def test_expose_https_end_to_end(exposing, acme_lab):
    pebble, gw, port, backend = exposing()
    manager = create_token(gw.gh, "deployer", "ingress.manage")
    reader = create_token(gw.gh, "reader", "ingress.read")
    request = {"hostname": HOST, "protocol": "https", "backends": [backend.url]}

    # Only ingress.manage may expose.
    assert send(port, "POST", "/api/v1/expose", reader, request)[0] == 403

    # Every field is checked before anything is made.
    status, body = send(port, "POST", "/api/v1/expose", manager,
                        {"hostname": "not a host", "protocol": "gopher", "backends": ["ftp://x"], "resolver": "nope", "x": 1})
    assert status == 422, body
    fields = {e["field"] for e in body["errors"]}
    assert {"hostname", "protocol", "backends[0]", "x"} <= fields, body

    # A clash with the file provider's Host is refused, naming the file router.
    status, body = send(port, "POST", "/api/v1/expose", manager, {**request, "hostname": FILE_HOST})
    assert status == 409 and any("filed@file" in c for c in body["clashes"]), body

    # Expose https: 202, then the operation runs every step.
    status, body = send(port, "POST", "/api/v1/expose", manager, request)
    assert status == 202 and body["status"] == "accepted", body
    operation = finished(port, reader, body["id"])
    assert operation["status"] == "succeeded", operation
    assert [(s["name"], s["status"]) for s in operation["steps"]] == [
        ("validate", "succeeded"), ("route", "succeeded"), ("certificate", "succeeded"), ("activate", "succeeded")], operation
    assert all(s["durationMilliseconds"] is not None for s in operation["steps"]), operation

    # pebble's leaf is served for HOST, and requests reach the backend.
    leaf = served_leaf(gw.websecure, HOST, cafile=str(pebble.trust_path), verify_hostname=HOST)
    assert is_pebble_leaf(leaf) and leaf.verified, leaf.verify_text
    code, text = https_get(gw.websecure, HOST, str(pebble.trust_path))
    assert code == 200, text
    assert backend.wait_for_request("/hello", 5) is not None

    # The monitor shows the route valid with its expiry.
    row = route_rows(port, reader)[ROUTER]
    assert row["certificateStatus"] == "valid" and row["notAfter"] and row["daysUntilExpiry"] > 0, row
    assert row["provider"] == "api" and row["service"] == ROUTER, row
    cert_id = row["certificateID"]

    # Re-running the same request (another token, so the audit check below sees deployer's three
    # changes): same route, the certificate reused, no new order at pebble.
    orders = pebble.orders_created()
    rerunner = create_token(gw.gh, "rerunner", "ingress.manage")
    res = cli(gw, rerunner, port, "expose", HOST, "--to", backend.url, "--wait")
    out = res.stdout.decode()
    assert res.returncode == 0, (out, res.stderr.decode())
    assert "certificate" in out and "reused" in out and "succeeded" in out, out
    time.sleep(1.5)
    assert pebble.orders_created() == orders, "a second order was made for a valid certificate"
    assert route_rows(port, reader)[ROUTER]["certificateID"] == cert_id

    # Other backends: the route is updated in place and stays live.
    other = acme_lab.backends("expose-other")
    status, body = send(port, "POST", "/api/v1/expose", manager, {**request, "backends": [other.url]})
    assert status == 202, body
    operation = finished(port, reader, body["id"])
    assert operation["status"] == "succeeded" and "in place" in operation["steps"][1]["detail"], operation
    assert https_get(gw.websecure, HOST, str(pebble.trust_path))[0] == 200
    assert other.wait_for_request("/hello", 5) is not None
    assert pebble.orders_created() == orders

    # A restart serves the stored route again.
    gw.gh.stop()
    gw = acme_lab.restart(gw)
    assert wait_until(lambda: port_accepts(port), 15)
    assert wait_until(lambda: https_get(gw.websecure, HOST, str(pebble.trust_path))[0] == 200, 15), gw.gh.logs()[-3000:]
    assert ROUTER in route_rows(port, reader)

    # Unexpose: the route goes, the certificate stays stored (it just stops being demanded).
    status, body = send(port, "DELETE", f"/api/v1/expose/{HOST}", manager)
    assert status == 202, body
    assert finished(port, reader, body["id"])["status"] == "succeeded"
    assert ROUTER not in route_rows(port, reader)
    res = support.http_request(gw.web, "/hello", host=HOST)
    assert res.status == 404, res
    assert send(port, "DELETE", f"/api/v1/expose/{HOST}", manager)[0] == 404

    # Its certificate is no longer demanded: marked unused (so no longer renewed), not revoked.
    def certificate() -> dict:
        status, body = send(port, "GET", f"/api/v1/certificates/{cert_id}", reader)
        assert status == 200, body
        return body
    assert wait_until(lambda: certificate()["inUse"] is False, 10, interval=0.25), certificate()
    assert certificate()["status"] == "valid"

    # Every change is audited with its token.
    admin = create_token(gw.gh, "root", "admin")
    status, events = send(port, "GET", f"/api/v1/audit?action=expose&target={HOST}", admin)
    assert status == 200 and {e["token"] for e in events} == {"deployer", "rerunner"}, events
    assert {"accepted", "succeeded"} <= {e["result"] for e in events}, events
    # deployer's three changes, newest first, each with the route before and after.
    status, events = send(port, "GET", "/api/v1/audit?token=deployer&result=succeeded", admin)
    assert status == 200 and [(e["action"], e["target"]) for e in events] == [
        ("unexpose", HOST), ("expose", HOST), ("expose", HOST)], events
    removed, moved, created = events
    assert created["before"] is None and created["after"]["backends"] == [backend.url], created
    assert created["after"]["hostname"] == HOST and created["after"]["protocol"] == "https", created
    assert created["after"]["resolver"] == RESOLVER and created["after"]["tls_passthrough"] is False, created
    assert moved["before"]["backends"] == [backend.url] and moved["after"]["backends"] == [other.url], moved
    assert removed["before"]["backends"] == [other.url] and removed["after"] is None, removed
    assert all(not e["detail"].startswith("token=") for e in events), events
    status, every = send(port, "GET", "/api/v1/audit?token=deployer", admin)
    assert status == 200 and {e["token"] for e in every} == {"deployer"}, every
    assert {e["result"] for e in every} == {"accepted", "succeeded", "refused"}, every
    status, body = send(port, "GET", "/api/v1/audit?result=sometimes", admin)
    assert status == 400 and body["message"].startswith("result:"), body
    # The CLI shows the same entries as a table, with what changed.
    res = cli(gw, admin, port, "audit", "--token-name", "deployer", "--result", "succeeded")
    out = res.stdout.decode()
    assert res.returncode == 0, (out, res.stderr.decode())
    lines = out.splitlines()
    assert lines[0].split() == ["TIME", "TOKEN", "ACTION", "TARGET", "RESULT", "CHANGE", "DETAIL"], out
    assert len(lines) == 4 and all("deployer" in line and "succeeded" in line for line in lines[1:]), out
    assert f"backends: {backend.url} → {other.url}" in lines[2], out
    assert "removed (" in lines[1] and "created (" in lines[3], out
    res = cli(gw, admin, port, "audit", "--token-name", "deployer", "--result", "succeeded", "--json")
    assert res.returncode == 0 and json.loads(res.stdout) == events, res
    status, events = send(port, "GET", f"/api/v1/audit?action=expose&target={FILE_HOST}", admin)
    assert [e["result"] for e in events] == ["refused"] and "filed@file" in events[0]["detail"], events


def test_exposed_routes_are_named_by_their_provider(exposing):
    """An http route made through the API is `expose-<host>@api` with provider `api` in the routes
    monitor, `gatehouse routes`, Traefik's API and the metrics; the file's router stays `@file`;
    `gatehouse check --http` against the plain entry point names it as the route that answered."""
    plain_host = "plain.example.com"
    router = "expose-plain-example-com@api"
    pebble, gw, port, backend = exposing(ca_up=False)
    manager = create_token(gw.gh, "deployer", "ingress.manage")
    reader = create_token(gw.gh, "reader", "ingress.read")
    status, body = send(port, "POST", "/api/v1/expose", manager,
                        {"hostname": plain_host, "protocol": "http", "backends": [backend.url]})
    assert status == 202, body
    assert finished(port, reader, body["id"])["status"] == "succeeded"

    # The routes monitor: the API's row is @api with provider api, the file's @file.
    rows = route_rows(port, reader)
    assert rows[router]["provider"] == "api" and rows[router]["service"] == router, rows[router]
    assert rows["filed@file"]["provider"] == "file", rows["filed@file"]
    assert not [name for name in rows if name.startswith("expose-") and not name.endswith("@api")], rows.keys()

    # Traefik's API: the router and service are listed by their provider.
    status, routers = send(port, "GET", "/api/http/routers", reader)
    assert status == 200, routers
    by_name = {r["name"]: r for r in routers}
    assert by_name[router]["provider"] == "api" and by_name[router]["status"] == "enabled", by_name
    assert by_name["filed@file"]["provider"] == "file", by_name
    status, detail = send(port, "GET", f"/api/http/services/{router.replace('@', '%40')}", reader)
    assert status == 200 and detail["provider"] == "api" and detail["usedBy"] == [router], detail
    status, overview = send(port, "GET", "/api/overview", reader)
    assert status == 200 and "API" in overview["providers"] and "File" in overview["providers"], overview

    # A request through the route is counted under the API's service name.
    res = support.http_request(gw.web, "/hello", host=plain_host)
    assert res.status == 200, res
    def counted() -> bool:
        res = support.curl("-sS", f"http://{LOOPBACK}:{port}/metrics", timeout=10)
        return f'service="{router}"' in res.stdout.decode()
    assert wait_until(counted, 10, interval=0.25), "no metric labelled with the API's service"
    metrics = support.curl("-sS", f"http://{LOOPBACK}:{port}/metrics", timeout=10).stdout.decode()
    assert 'service="expose-plain-example-com@file"' not in metrics

    # The CLI: the routes table shows router and provider; check --http names the route.
    res = cli(gw, reader, port, "routes", "--host", plain_host)
    out = res.stdout.decode()
    assert res.returncode == 0, (out, res.stderr.decode())
    line = next(line for line in out.splitlines() if line.startswith(plain_host))
    assert router in line.split() and "api" in line.split(), line
    res = cli(gw, reader, port, "check", plain_host, "--at", f"{LOOPBACK}:{gw.web}", "--http")
    out = res.stdout.decode()
    assert res.returncode == 0, (out, res.stderr.decode())
    assert "connection: plain HTTP" in out and "subject:" not in out, out
    assert "status: HTTP/1.1 200" in out, out
    assert f"route:  {router}" in out, out


def test_expose_with_the_ca_down_leaves_nothing(exposing):
    pebble, gw, port, backend = exposing(ca_up=False)
    manager = create_token(gw.gh, "deployer", "ingress.manage")
    reader = create_token(gw.gh, "reader", "ingress.read")
    status, body = send(port, "POST", "/api/v1/expose", manager, {"hostname": HOST, "backends": [backend.url]})
    assert status == 202, body
    operation = finished(port, reader, body["id"])
    assert operation["status"] == "failed", operation
    steps = {s["name"]: s for s in operation["steps"]}
    assert steps["certificate"]["status"] == "failed" and steps["activate"]["status"] == "skipped", operation
    assert "certificate order failed" in operation["error"] and "rolled back" in operation["error"], operation
    # No route left, in the monitor, the data plane or the storage; no certificate record either.
    assert ROUTER not in route_rows(port, reader)
    assert support.http_request(gw.web, "/", host=HOST).status == 404
    status, certificates = send(port, "GET", "/api/v1/certificates", reader)
    assert status == 200 and not [c for c in certificates if HOST in c["names"]], certificates
    # And nothing is demanded any more: no order is retried in the background.
    time.sleep(3)
    status, certificates = send(port, "GET", "/api/v1/certificates", reader)
    assert not [c for c in certificates if HOST in c["names"]], certificates
    # The audit log holds the failure: deployer's expose, no route before and none after.
    admin = create_token(gw.gh, "root", "admin")
    status, events = send(port, "GET", "/api/v1/audit?result=failed&action=expose", admin)
    assert status == 200 and len(events) == 1, events
    failed = events[0]
    assert failed["token"] == "deployer" and failed["target"] == HOST, failed
    assert failed["before"] is None and failed["after"] is None, failed
    assert "certificate order failed" in failed["detail"], failed


def test_approval_flow_with_four_eyes(exposing):
    pebble, gw, port, backend = exposing(admin_extra={"requireApproval": True, "fourEyes": True})
    alice = create_token(gw.gh, "alice", "ingress.manage")
    bob = create_token(gw.gh, "bob", "ingress.manage")
    reader = create_token(gw.gh, "reader", "ingress.read")
    request = {"hostname": HOST, "protocol": "http", "backends": [backend.url]}

    status, body = send(port, "POST", "/api/v1/expose", alice, request)
    assert status == 202 and body["status"] == "pending_approval", body
    change_id = body["id"]
    # The plan shows what approval will create; nothing is applied yet.
    status, changes = send(port, "GET", "/api/v1/changes?status=pending", reader)
    assert status == 200 and [c["id"] for c in changes] == [change_id], changes
    plan = {(p["action"], p["kind"]) for p in changes[0]["plan"]}
    assert plan == {("create", "router"), ("create", "service")}, changes
    assert support.http_request(gw.web, "/", host=HOST).status == 404
    assert ROUTER not in route_rows(port, reader)

    # The CLI lists it too.
    res = cli(gw, reader, port, "changes", "list")
    assert res.returncode == 0 and change_id in res.stdout.decode() and "create" in res.stdout.decode(), res

    # Four eyes: alice cannot approve her own change; a reader cannot approve at all.
    status, body = send(port, "POST", f"/api/v1/changes/{change_id}/approve", alice)
    assert status == 403 and "four-eyes" in body["message"], body
    assert send(port, "POST", f"/api/v1/changes/{change_id}/approve", reader)[0] == 403
    assert support.http_request(gw.web, "/", host=HOST).status == 404

    # Bob approves: the operation runs and the route is served.
    status, body = send(port, "POST", f"/api/v1/changes/{change_id}/approve", bob)
    assert status == 202, body
    operation = finished(port, reader, body["id"])
    assert operation["status"] == "succeeded" and operation["changeID"] == change_id, operation
    assert support.http_request(gw.web, "/", host=HOST).status == 200
    assert send(port, "POST", f"/api/v1/changes/{change_id}/approve", bob)[0] == 409

    # A removal waits too; rejected, it changes nothing.
    status, body = send(port, "DELETE", f"/api/v1/expose/{HOST}", alice)
    assert status == 202 and body["status"] == "pending_approval", body
    assert {(p["action"], p["kind"]) for p in body["change"]["plan"]} == {("remove", "router"), ("remove", "service")}, body
    res = cli(gw, bob, port, "changes", "reject", body["id"])
    assert res.returncode == 0, res
    assert support.http_request(gw.web, "/", host=HOST).status == 200

    admin = create_token(gw.gh, "root", "admin")
    status, events = send(port, "GET", "/api/v1/audit?action=change.*", admin)
    decided = {(e["action"], e["token"], e["result"]) for e in events}
    assert ("change.approve", "alice", "refused") in decided and ("change.approve", "bob", "succeeded") in decided, events
    assert ("change.reject", "bob", "succeeded") in decided, events


def test_name_proxies_share_the_gateway_wildcard(acme_lab):
    """With gateway.domain, `name: grafana` serves grafana.<domain> under *.<domain>, obtained once
    over DNS-01 (pebble asks Gatehouse's own DNS server); a second name reuses it; an FQDN under
    the domain is refused."""
    support.require_tool("curl")
    support.require_tool("openssl")
    domain = "gw.example.com"
    dns_port = free_dns_port()
    ports = {"web": free_port(), "websecure": free_port()}
    unused = free_port()
    pebble = acme_lab.pebble(http_port=unused, tls_port=unused, dns_server=f"{LOOPBACK}:{dns_port}")
    backend = acme_lab.backends("names")
    admin_port = free_port()
    gw = acme_lab.gateway(ports=ports, dns_port=dns_port, resolvers={RESOLVER: acme_resolver(pebble, "dns-01")},
                          dynamic={"http": {"routers": {}, "services": {}}},
                          static_extra={"admin": {"address": f"{LOOPBACK}:{admin_port}"}, "gateway": {"domain": domain}},
                          env={"GATEHOUSE_EXPOSE_CERTIFICATE_TIMEOUT": "40s"}, label="names")
    assert wait_until(lambda: port_accepts(admin_port), 15), gw.gh.logs()[-3000:]
    manager = create_token(gw.gh, "deployer", "ingress.manage")

    status, body = send(admin_port, "POST", "/api/v1/expose", manager, {"hostname": f"grafana.{domain}", "backends": [backend.url]})
    assert status == 422 and [e["field"] for e in body["errors"]] == ["hostname"], body

    status, body = send(admin_port, "POST", "/api/v1/expose", manager, {"name": "grafana", "backends": [backend.url]})
    assert status == 202, body
    operation = finished(admin_port, manager, body["id"])
    assert operation["status"] == "succeeded", operation
    assert operation["request"]["certificate_names"] == [f"*.{domain}"], operation
    host = f"grafana.{domain}"
    leaf = served_leaf(gw.websecure, host, cafile=str(pebble.trust_path), verify_hostname=host)
    assert is_pebble_leaf(leaf) and leaf.verified and f"*.{domain}" in leaf.sans, (leaf.sans, leaf.verify_text)
    assert https_get(gw.websecure, host, str(pebble.trust_path))[0] == 200

    orders = pebble.orders_created()
    status, body = send(admin_port, "POST", "/api/v1/expose", manager, {"name": "wiki", "backends": [backend.url]})
    assert status == 202, body
    operation = finished(admin_port, manager, body["id"])
    assert operation["status"] == "succeeded" and "reused" in operation["steps"][2]["detail"], operation
    assert served_leaf(gw.websecure, f"wiki.{domain}").serial == leaf.serial
    assert https_get(gw.websecure, f"wiki.{domain}", str(pebble.trust_path))[0] == 200
    assert pebble.orders_created() == orders, "the wildcard was ordered again"
