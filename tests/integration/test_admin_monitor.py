"""The routes monitor, the certificates API and the audit log with the real binary and pebble.

A router with a certResolver shows `valid` with its not-after once pebble issued the certificate;
the certificate's detail carries the chain and never a key; revoking it through the API revokes it
at pebble and takes it out of serving at once; a disabled router shows its error; the audit log
lists the revocation with the token that made it.
"""
from __future__ import annotations

import datetime
import time
import json
import re

import pytest

import support
from acme_support import RESOLVER, acme_resolver, is_pebble_leaf, served_leaf
from support import LOOPBACK, free_port, port_accepts, service, wait_until
from test_admin_api import call, create_token

HOST = "a.example.com"


@pytest.fixture
def monitored(acme_lab):
    """pebble (HTTP-01 through challtestsrv's DNS) and a gateway with an admin listener, a TLS
    router for HOST with the pebble resolver, a plain router and a router with a bad rule."""
    support.require_tool("curl")
    cts = acme_lab.challtestsrv()
    ports = {"web": free_port(), "websecure": free_port()}
    pebble = acme_lab.pebble(http_port=ports["web"], tls_port=free_port(), dns_server=cts.dns_address)
    backend = acme_lab.backends("monitor")
    admin_port = free_port()
    dynamic = {"http": {
        "routers": {
            "secure": {"rule": f"Host(`{HOST}`)", "service": "backend", "entryPoints": ["websecure"],
                       "tls": {"certResolver": RESOLVER}},
            "plain": {"rule": "Host(`plain.example.com`)", "service": "backend", "entryPoints": ["web"]},
            "broken": {"rule": "Hots(`broken.example.com`)", "service": "backend", "entryPoints": ["web"]},
        },
        "services": {"backend": service(backend.url)},
    }}
    gw = acme_lab.gateway(ports=ports, resolvers={RESOLVER: acme_resolver(pebble, "http-01")}, dynamic=dynamic,
                          static_extra={"admin": {"address": f"{LOOPBACK}:{admin_port}"}}, label="monitor")
    assert wait_until(lambda: port_accepts(admin_port), 15), f"admin port not open:\n{gw.gh.logs()[-3000:]}"
    return pebble, gw, admin_port


def get_json(port: int, path: str, token: str, method: str = "GET", expect: int = 200):
    status, _, body = call(port, path, token=token, method=method)
    assert status == expect, f"{method} {path}: {status} {body[:500]!r}"
    return json.loads(body)


def rows(port: int, token: str, query: str = "") -> dict[str, dict]:
    return {row["name"]: row for row in get_json(port, "/api/v1/routes" + query, token)}


def test_monitor_certificates_revoke_and_audit(monitored):
    pebble, gw, port = monitored
    reader = create_token(gw.gh, "reader", "ingress.read")
    acme = create_token(gw.gh, "certbot", "acme.manage")
    admin = create_token(gw.gh, "root", "admin")

    # The disabled router shows its error; the plain router has no TLS.
    first = rows(port, reader)
    assert first["broken@file"]["status"] == "disabled"
    assert "Hots" in (first["broken@file"]["error"] or ""), first["broken@file"]
    assert first["plain@file"]["tls"] == "none" and first["plain@file"]["certificateStatus"] is None
    assert first["secure@file"]["tls"] == "terminate" and first["secure@file"]["certResolver"] == RESOLVER
    assert [b["health"] for b in first["secure@file"]["backends"]] == ["up"]

    # After issuance the router shows `valid` with the served leaf's not-after.
    def valid_row():
        row = rows(port, reader, f"?host={HOST}").get("secure@file")
        return row if row and row["certificateStatus"] == "valid" else None
    assert wait_until(lambda: valid_row() is not None, 30, interval=0.25), \
        f"no valid certificate in the monitor:\n{rows(port, reader)}\n{gw.gh.logs()[-3000:]}"
    row = valid_row()
    assert wait_until(lambda: is_pebble_leaf(served_leaf(gw.websecure, HOST)), 5, interval=0.2), "no pebble leaf served"
    leaf = served_leaf(gw.websecure, HOST, cafile=str(pebble.trust_path), verify_hostname=HOST)
    assert leaf.verified, leaf.verify_text
    not_after = datetime.datetime.fromisoformat(row["notAfter"].replace("Z", "+00:00"))
    days = (not_after - datetime.datetime.now(datetime.timezone.utc)).days
    assert row["daysUntilExpiry"] == days and days > 0, row
    assert "Pebble Intermediate CA" in (row["issuer"] or ""), row
    assert rows(port, reader, "?status=valid").keys() == {"secure@file"}
    assert rows(port, reader, "?status=disabled").keys() == {"broken@file"}

    # The certificates API: list and detail with the chain, never a key (of any kind).
    cert_id = row["certificateID"]
    listing = get_json(port, "/api/v1/certificates", reader)
    assert [c["id"] for c in listing] == [cert_id] and listing[0]["names"] == [HOST]
    assert listing[0]["status"] == "valid" and listing[0]["resolver"] == RESOLVER
    detail_raw = call(port, f"/api/v1/certificates/{cert_id}", token=reader)[2].decode()
    detail = json.loads(detail_raw)
    assert detail["chainPEM"].startswith("-----BEGIN CERTIFICATE-----")
    assert detail["serialNumber"].lstrip("0") == leaf.serial.lstrip("0")
    # The monitor's not-after is the stored (and served) leaf's.
    end = support.run([support.require_tool("openssl"), "x509", "-noout", "-enddate"],
                      input=detail["chainPEM"].encode(), timeout=10, check=True).stdout.decode()
    leaf_end = datetime.datetime.strptime(end.strip().removeprefix("notAfter="), "%b %d %H:%M:%S %Y %Z")
    assert abs((leaf_end.replace(tzinfo=datetime.timezone.utc) - not_after).total_seconds()) < 1, (end, row["notAfter"])
    for body in (detail_raw, json.dumps(listing), json.dumps(rows(port, reader))):
        assert "PRIVATE KEY" not in body
        assert not re.search(r"-----BEGIN [A-Z ]*KEY-----", body)

    # Revoking needs acme.manage; the reader is refused and nothing happens.
    assert call(port, f"/api/v1/certificates/{cert_id}/revoke", token=reader, method="POST")[0] == 403
    assert pebble.cert_status(leaf.serial)["Status"] == "Valid"

    revoked = get_json(port, f"/api/v1/certificates/{cert_id}/revoke", acme, method="POST")
    assert revoked["operation"] == "revoke" and revoked["certificate"]["status"] == "revoked", revoked
    assert pebble.cert_status(leaf.serial)["Status"] == "Revoked"
    # Out of serving at once (the gateway orders a new certificate, as the router still asks).
    assert wait_until(lambda: served_leaf(gw.websecure, HOST).serial != leaf.serial, 3, interval=0.1), \
        "the revoked certificate is still served"

    # The audit log lists the revocation with the token's name and result; only admin reads it.
    assert call(port, "/api/v1/audit", token=acme)[0] == 403
    events = get_json(port, f"/api/v1/audit?action=certificate.revoke&target={cert_id}", admin)
    assert len(events) == 1, events
    assert events[0]["token"] == "certbot" and events[0]["result"] == "succeeded", events[0]
    assert events[0]["names"] == [HOST]
    # With the certificate's state before and after (status, expiry, serial; never the key).
    assert events[0]["before"]["status"] == "valid" and events[0]["after"]["status"] == "revoked", events[0]
    assert events[0]["before"]["serial"] == events[0]["after"]["serial"], events[0]
    assert "PRIVATE" not in json.dumps(events[0])
    kinds = [e["kind"] for e in get_json(port, f"/api/v1/audit?target={HOST}", admin)]
    assert "certificate.issued" in kinds and "certificate.revoked" in kinds, kinds
    # The gateway's own certificate events have no token, a result, and the status before and after.
    own = get_json(port, f"/api/v1/audit?target={cert_id}", admin)
    issued = [e for e in own if e["kind"] == "certificate.issued"]
    assert issued and issued[-1]["token"] is None and issued[-1]["result"] == "succeeded", own
    assert issued[-1]["before"]["status"] in ("pending", "issuing", "failed"), issued[-1]
    assert issued[-1]["after"]["status"] == "valid" and issued[-1]["after"]["serial"] and issued[-1]["after"]["notAfter"], issued[-1]
    revoked = [e for e in own if e["kind"] == "certificate.revoked"]
    assert len(revoked) == 1 and revoked[0]["token"] is None, own
    assert revoked[0]["before"]["status"] == "valid" and revoked[0]["after"]["status"] == "revoked", revoked[0]


def test_issue_through_the_api(monitored):
    """POST /api/v1/certificates orders a certificate no router asks for; it becomes valid and is
    served for its name; the same request again reuses it (no second order at pebble)."""
    pebble, gw, port = monitored
    acme = create_token(gw.gh, "certbot", "acme.manage")
    reader = create_token(gw.gh, "reader", "ingress.read")
    name = "b.example.com"
    request = ["-X", "POST", "-H", f"Authorization: Bearer {acme}", "-H", "Content-Type: application/json",
               "--data", json.dumps({"names": [name], "resolver": RESOLVER}), "-w", "\n%{http_code}",
               f"http://{LOOPBACK}:{port}/api/v1/certificates"]
    res = support.curl(*request, timeout=10)
    body, _, code = res.stdout.decode().rpartition("\n")
    assert code == "202", (code, body)
    started = json.loads(body)
    assert started["operation"] == "issue" and started["certificate"]["names"] == [name], started
    cert_id = started["certificate"]["id"]

    def status():
        return get_json(port, f"/api/v1/certificates/{cert_id}", reader)["status"]
    assert wait_until(lambda: status() == "valid", 30, interval=0.25), \
        f"the requested certificate is {status()}:\n{gw.gh.logs()[-3000:]}"
    assert wait_until(lambda: is_pebble_leaf(served_leaf(gw.websecure, name)), 5, interval=0.2), \
        "the issued certificate is not served for its name"
    orders = pebble.orders_created()

    again = support.curl(*request, timeout=10).stdout.decode().rpartition("\n")
    assert again[2] == "202" and json.loads(again[0])["certificate"]["id"] == cert_id, again
    time.sleep(1.5)
    assert pebble.orders_created() == orders, "a second order was made for a valid certificate"


def test_backend_health_follows_the_health_check(launcher, backends):
    """A server the active health check finds dead shows `down`, a live one `up`; a TCP
    passthrough router shows its mode."""
    support.require_tool("curl")
    live = backends("live")
    dead = f"http://{LOOPBACK}:{free_port()}"
    port = free_port()
    dynamic = {
        "http": {
            "routers": {"app": {"rule": "Host(`app.test`)", "service": "app"}},
            "services": {"app": {"loadBalancer": {
                "servers": [{"url": live.url}, {"url": dead}],
                "healthCheck": {"path": "/", "interval": "300ms", "timeout": "200ms"}}}},
        },
        "tcp": {
            "routers": {"pass": {"rule": "HostSNI(`pass.test`)", "service": "db", "tls": {"passthrough": True}}},
            "services": {"db": {"loadBalancer": {"servers": [{"address": f"{LOOPBACK}:{free_port()}"}]}}},
        },
    }
    gh = launcher.start(provider_dir={"routes.yml": dynamic}, static_extra={"admin": {"address": f"{LOOPBACK}:{port}"}})
    assert wait_until(lambda: port_accepts(port), 15), f"admin port not open:\n{gh.logs()[-3000:]}"
    reader = create_token(gh, "reader", "ingress.read")

    def health():
        row = rows(port, reader)["app@file"]
        return {b["url"]: b["health"] for b in row["backends"]}
    assert wait_until(lambda: health() == {live.url: "up", dead: "down"}, 10, interval=0.2), health()
    passthrough = rows(port, reader, "?host=pass.test")
    assert list(passthrough) == ["pass@file"] and passthrough["pass@file"]["tls"] == "passthrough", passthrough
    assert passthrough["pass@file"]["certificateStatus"] is None
