"""An expose request's own `challenge` and `dns_credential` are used for its certificate.

pebble resolves through a BIND 9 (bind_support.BindServer, `-dnsserver`) authoritative for
`example.test`. The resolver is configured for BOTH http-01 and dns-01, and its own DNS provider
(`rfc2136`) points at a closed port, so an order made with the resolver's DNS provider fails, and
http-01 fails too (BIND has no address for the exposed name). A TSIG credential for BIND is stored
through `POST /api/v1/dns-credentials`; exposing https with `challenge: dns-01` and that
`dns_credential` succeeds: the TXT records went to BIND through the stored credential (BIND's
log), the certificate is valid and served (openssl), and the record names the choice. A
`dns_credential` that is not stored fails the operation with a reason naming it, nothing left
behind; the TSIG secret appears in no answer and no log.

A second gateway's resolver has ONLY `httpChallenge` (pebble's HTTP-01 cannot reach the exposed
name: BIND has no address for it), so only DNS-01 with the stored credential can succeed. The
credential carries `RFC2136_PROPAGATION_TIMEOUT=7` and `RFC2136_POLLING_INTERVAL=1`; the expose
with `challenge: dns-01` succeeds, the certificate is served, and the gateway's "waiting for DNS"
line shows the credential's timing (the resolver sets no `propagation` keys).
"""
from __future__ import annotations

import json

import pytest

import support
from acme_support import EMAIL, RESOLVER, is_pebble_leaf, served_leaf
from bind_support import bind_server  # noqa: F401  (fixture)
from support import LOOPBACK, free_port, port_accepts, wait_until
from test_admin_api import create_token
from test_admin_expose import finished, https_get, send

HOST = "app.example.test"
MISSING_HOST = "other.example.test"


@pytest.fixture
def dns_exposing(acme_lab, bind_server):
    """pebble asking BIND, and a gateway whose resolver has http-01 and a dns-01 provider that
    cannot reach any server."""
    support.require_tool("curl")
    support.require_tool("openssl")
    bind = bind_server
    ports = {"web": free_port(), "websecure": free_port()}
    pebble = acme_lab.pebble(http_port=ports["web"], tls_port=free_port(), dns_server=bind.address)
    backend = acme_lab.backends("expose-dns01")
    admin_port = free_port()
    closed = bind.rfc2136_env("hmac-sha256")
    closed["RFC2136_NAMESERVER"] = f"{LOOPBACK}:{free_port()}"  # nobody listens there
    resolver = {"acme": {
        "caServer": pebble.directory, "email": EMAIL,
        "httpChallenge": {"entryPoint": "web"},
        "dnsChallenge": {"provider": "rfc2136", "credentials": closed, "resolvers": [bind.address],
                         "propagation": {"interval": "200ms", "timeout": "30s"}},
    }}
    gw = acme_lab.gateway(ports=ports, resolvers={RESOLVER: resolver}, dynamic={"http": {"routers": {}, "services": {}}},
                          static_extra={"admin": {"address": f"{LOOPBACK}:{admin_port}"}},
                          env={"GATEHOUSE_EXPOSE_CERTIFICATE_TIMEOUT": "60s"}, label="expose-dns01")
    assert wait_until(lambda: port_accepts(admin_port), 15), f"admin port not open:\n{gw.gh.logs()[-3000:]}"
    return bind, pebble, gw, admin_port, backend


def expose_with_stored_credential(bind, pebble, gw, port, backend, entries):
    """Stores `entries` as an rfc2136 credential, exposes HOST over https with dns-01 and that
    credential, and checks the operation succeeded with the TXT record published in BIND and
    removed afterwards. Returns (credential, request, operation, manager token, reader token)."""
    acme = create_token(gw.gh, "acme", "acme.manage")
    manager = create_token(gw.gh, "deployer", "ingress.manage")
    reader = create_token(gw.gh, "reader", "ingress.read")
    status, credential = send(port, "POST", "/api/v1/dns-credentials", acme,
                              {"name": "bind", "provider": "rfc2136", "entries": entries})
    assert status == 201, credential

    request = {"hostname": HOST, "protocol": "https", "backends": [backend.url], "resolver": RESOLVER,
               "challenge": "dns-01", "dns_credential": credential["id"]}
    status, body = send(port, "POST", "/api/v1/expose", manager, request)
    assert status == 202, body
    operation = finished(port, reader, body["id"], timeout=90)
    assert operation["status"] == "succeeded", (operation, gw.gh.logs()[-4000:], pebble.logs()[-2000:])

    # The TXT record was published in BIND through the stored credential, and removed afterwards.
    log = bind.log()
    assert f"adding an RR at '_acme-challenge.{HOST}' TXT" in log, log[-3000:]
    assert wait_until(lambda: bind.txt(f"_acme-challenge.{HOST}") == [], 15, 0.2), bind.txt(f"_acme-challenge.{HOST}")
    return credential, request, operation, manager, reader


def assert_served_by_pebble(gw, pebble):
    """pebble's certificate is served for HOST and verifies, requests reach the backend, and the
    record is valid."""
    leaf = served_leaf(gw.websecure, HOST, cafile=str(pebble.trust_path), verify_hostname=HOST)
    assert is_pebble_leaf(leaf) and leaf.verified and leaf.sans == [HOST], (leaf.sans, leaf.verify_text)
    code, text = https_get(gw.websecure, HOST, str(pebble.trust_path))
    assert code == 200, text
    records = gw.records_for([HOST])
    assert len(records) == 1 and records[0]["status"] == "valid", records


def test_expose_with_its_own_challenge_and_dns_credential(dns_exposing):
    bind, pebble, gw, port, backend = dns_exposing
    # The resolver's own provider points at a closed port: only the stored credential can work.
    entries = bind.rfc2136_env("hmac-sha256")
    secret = entries["RFC2136_TSIG_SECRET"]
    credential, request, operation, manager, reader = expose_with_stored_credential(bind, pebble, gw, port, backend, entries)
    assert_served_by_pebble(gw, pebble)

    # A credential that is not stored: the order fails naming it, and nothing is left.
    status, body = send(port, "POST", "/api/v1/expose", manager,
                        {**request, "hostname": MISSING_HOST, "dns_credential": "no-such-credential"})
    assert status == 202, body
    operation = finished(port, reader, body["id"], timeout=60)
    assert operation["status"] == "failed", operation
    assert 'DNS credential "no-such-credential"' in operation["error"], operation
    assert "rolled back" in operation["error"], operation
    assert gw.records_for([MISSING_HOST]) == []

    for text in (json.dumps(credential), json.dumps(operation), gw.gh.logs(), gw.gh.stdout()):
        assert secret not in text


@pytest.fixture
def http_only_exposing(acme_lab, bind_server):
    """pebble asking BIND, and a gateway whose only resolver has httpChallenge and no dnsChallenge;
    GATEHOUSE_ACME_DNS_RESOLVERS points DNS-01 checks at BIND."""
    support.require_tool("curl")
    support.require_tool("openssl")
    bind = bind_server
    ports = {"web": free_port(), "websecure": free_port()}
    pebble = acme_lab.pebble(http_port=ports["web"], tls_port=free_port(), dns_server=bind.address)
    backend = acme_lab.backends("expose-http-only")
    admin_port = free_port()
    resolver = {"acme": {"caServer": pebble.directory, "email": EMAIL, "httpChallenge": {"entryPoint": "web"}}}
    gw = acme_lab.gateway(ports=ports, resolvers={RESOLVER: resolver}, dynamic={"http": {"routers": {}, "services": {}}},
                          static_extra={"admin": {"address": f"{LOOPBACK}:{admin_port}"}},
                          env={"GATEHOUSE_EXPOSE_CERTIFICATE_TIMEOUT": "60s", "GATEHOUSE_ACME_DNS_RESOLVERS": bind.address},
                          label="expose-http-only")
    assert wait_until(lambda: port_accepts(admin_port), 15), f"admin port not open:\n{gw.gh.logs()[-3000:]}"
    return bind, pebble, gw, admin_port, backend


def test_expose_dns01_with_stored_credential_on_http_only_resolver(http_only_exposing):
    bind, pebble, gw, port, backend = http_only_exposing
    entries = {**bind.rfc2136_env("hmac-sha256"), "RFC2136_PROPAGATION_TIMEOUT": "7", "RFC2136_POLLING_INTERVAL": "1"}
    secret = entries["RFC2136_TSIG_SECRET"]
    credential, request, operation, manager, reader = expose_with_stored_credential(bind, pebble, gw, port, backend, entries)

    # The credential's tuning set the propagation check's timing.
    waiting = [line for line in gw.gh.logs().splitlines() if "waiting for DNS" in line and f"_acme-challenge.{HOST}" in line]
    assert waiting, gw.gh.logs()[-4000:]
    assert "timeout=7.0 seconds" in waiting[0] and "interval=1.0 seconds" in waiting[0], waiting
    assert_served_by_pebble(gw, pebble)

    # Without a credential, dns-01 is refused for this resolver, naming what it solves.
    status, refused = send(port, "POST", "/api/v1/expose", manager,
                           {**request, "hostname": MISSING_HOST, "dns_credential": None})
    assert status == 422, refused
    assert [e["field"] for e in refused["errors"]] == ["challenge"], refused
    assert "solves http-01, not dns-01" in refused["errors"][0]["message"], refused

    for text in (json.dumps(credential), json.dumps(operation), gw.gh.logs(), gw.gh.stdout()):
        assert secret not in text
