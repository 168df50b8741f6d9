"""Headers the backend sees: X-Forwarded-*, X-Real-Ip, hop-by-hop removal, Host handling."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from support import ALT_LOOPBACK, http_request, raw_exchange, router, service, status_of

TRUSTED = ALT_LOOPBACK       # listed in forwardedHeaders.trustedIPs
UNTRUSTED = "127.0.0.1"


@pytest.fixture(scope="module")
def env(module_launcher, module_backends, certs):
    be = module_backends("echo")
    leaf = certs.leaf("hdr.test")
    trusted = {"forwardedHeaders": {"trustedIPs": [f"{TRUSTED}/32"]}}
    gh = module_launcher.start(
        {"http": {"routers": {"plain": router("HostRegexp(`^.*\\.test$`)", "echo"),
                              "secure": router("HostRegexp(`^.*\\.test$`)", "echo", tls={}),
                              "nohost": router("Host(`nohost.test`)", "echo-nohost", priority=1000)},
                  "services": {"echo": service(be.url),
                               "echo-nohost": service(be.url, pass_host_header=False)}},
         "tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]}},
        entrypoints={"web": dict(trusted), "websecure": dict(trusted)})
    return SimpleNamespace(gh=gh, be=be)


SPOOFED = {
    "X-Forwarded-For": "1.2.3.4",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Port": "9999",
    "X-Forwarded-Server": "evil-server",
    "X-Real-Ip": "9.9.9.9",
}


def test_forwarded_headers_set_for_plain_request(env):
    host = f"hdr.test:{env.gh.web}"
    r = http_request(env.gh.web, "/p?q=1", host=host)
    assert r.status == 200
    assert r.echo_header("X-Forwarded-For") == "127.0.0.1"
    assert r.echo_header("X-Forwarded-Proto") == "http"
    assert r.echo_header("X-Forwarded-Host") == host
    assert r.echo_header("X-Forwarded-Port") == str(env.gh.web)
    assert r.echo_header("X-Real-Ip") == "127.0.0.1"
    assert (r.echo_header("X-Forwarded-Server") or "").strip() != ""
    assert r.echo_header("Host") == host
    assert r.json()["target"] == "/p?q=1"


def test_forwarded_port_defaults_to_scheme_port(env):
    # Traefik: the port of the Host header, else 80 (http) / 443 (https)
    assert http_request(env.gh.web, "/", host="hdr.test").echo_header("X-Forwarded-Port") == "80"
    assert http_request(env.gh.websecure, "/", host="hdr.test", tls=True).echo_header("X-Forwarded-Port") == "443"


def test_forwarded_headers_over_tls(env):
    host = f"hdr.test:{env.gh.websecure}"
    r = http_request(env.gh.websecure, "/", host=host, tls=True)
    assert r.status == 200
    assert r.echo_header("X-Forwarded-Proto") == "https"
    assert r.echo_header("X-Forwarded-Port") == str(env.gh.websecure)
    assert r.echo_header("X-Forwarded-Host") == host


@pytest.mark.parametrize("tls", [False, True], ids=["plain", "tls"])
def test_untrusted_client_cannot_spoof_forwarded_headers(env, tls):
    port = env.gh.websecure if tls else env.gh.web
    host = f"hdr.test:{port}"
    r = http_request(port, "/", host=host, headers=SPOOFED, tls=tls, source=UNTRUSTED)
    assert r.status == 200
    assert r.echo_header_all("X-Forwarded-For") == ["127.0.0.1"]
    assert r.echo_header("X-Forwarded-Proto") == ("https" if tls else "http")
    assert r.echo_header("X-Forwarded-Host") == host
    assert r.echo_header("X-Forwarded-Port") == str(port)
    assert r.echo_header("X-Real-Ip") == "127.0.0.1"
    assert r.echo_header("X-Forwarded-Server") != "evil-server"


def test_trusted_client_forwarded_headers_are_kept(env):
    r = http_request(env.gh.web, "/", host="hdr.test", headers=SPOOFED, source=TRUSTED)
    assert r.status == 200
    assert r.echo_header("X-Forwarded-For") == f"1.2.3.4, {TRUSTED}"
    assert r.echo_header("X-Forwarded-Proto") == "https"
    assert r.echo_header("X-Forwarded-Host") == "evil.example"
    assert r.echo_header("X-Forwarded-Port") == "9999"
    assert r.echo_header("X-Real-Ip") == "9.9.9.9"


def test_trusted_client_without_forwarded_headers(env):
    r = http_request(env.gh.web, "/", host="hdr.test", source=TRUSTED)
    assert r.echo_header("X-Forwarded-For") == TRUSTED
    assert r.echo_header("X-Real-Ip") == TRUSTED


def test_hop_by_hop_headers_are_not_forwarded(env):
    r = http_request(env.gh.web, "/", host="hdr.test", headers=[
        ("Connection", "keep-alive, X-Custom-Hop"),
        ("Keep-Alive", "timeout=5"),
        ("TE", "deflate"),
        ("Trailer", "X-Trailer"),
        ("Upgrade", "h2c-not-really"),
        ("Proxy-Authorization", "Basic Zm9vOmJhcg=="),
        ("Proxy-Connection", "keep-alive"),
        ("X-Custom-Hop", "1"),
        ("X-End-To-End", "kept"),
        ("Authorization", "Bearer end-to-end"),
    ])
    assert r.status == 200
    for name in ("Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Connection",
                 "X-Custom-Hop"):
        assert r.echo_header(name) is None, f"hop-by-hop header {name} reached the backend: {r.echo_header(name)}"
    assert "x-custom-hop" not in (r.echo_header("Connection") or "").lower()
    assert r.echo_header("X-End-To-End") == "kept"
    assert r.echo_header("Authorization") == "Bearer end-to-end"


def test_connection_header_cannot_strip_forwarded_headers(env):
    # CVE-2024-45410: X-Forwarded-* named in Connection must still be set by the proxy
    r = http_request(env.gh.web, "/", host="hdr.test", headers={
        "Connection": "keep-alive, X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-Port, X-Real-Ip"})
    assert r.status == 200
    assert r.echo_header("X-Forwarded-For") == "127.0.0.1"
    assert r.echo_header("X-Forwarded-Host") == "hdr.test"
    assert r.echo_header("X-Forwarded-Proto") == "http"
    assert r.echo_header("X-Forwarded-Port") == "80"
    assert r.echo_header("X-Real-Ip") == "127.0.0.1"


def test_repeated_headers_and_value_bytes_are_preserved(env):
    r = http_request(env.gh.web, "/", host="hdr.test", headers=[
        ("X-Multi", "one"), ("X-Multi", "two"), ("X-Spaces", "a  b\tc"), ("x-lower-case", "v")])
    assert r.echo_header_all("X-Multi") in (["one", "two"], ["one, two"])
    assert r.echo_header("X-Spaces") == "a  b\tc"
    assert r.echo_header("X-Lower-Case") == "v"


def test_request_target_is_forwarded_verbatim(env):
    # (no percent-encoded unreserved characters: Traefik normalizes those, e.g. %7E -> ~)
    target = "/a%20b/c;d/%C3%A9t%C3%A9/x.json?q=%41%2B&q=2&empty=&flag"
    r = http_request(env.gh.web, target, host="hdr.test")
    assert r.status == 200
    assert r.json()["target"] == target


def test_pass_host_header_false_uses_backend_address(env):
    r = http_request(env.gh.web, "/", host="nohost.test")
    assert r.status == 200
    assert r.echo_header("Host") == env.be.address
    assert r.echo_header("X-Forwarded-Host") == "nohost.test"


def test_backend_response_headers_reach_client(env):
    r = http_request(env.gh.web, "/", host="hdr.test")
    assert r.header("X-Backend") == "echo"
    assert r.header("Content-Type") == "application/json"


def test_http10_request_is_answered(env):
    raw, _ = raw_exchange(env.gh.web, b"GET /old HTTP/1.0\r\nHost: hdr.test\r\n\r\n", timeout=10)
    assert status_of(raw) == 200, raw[:300]
    assert b'"backend": "echo"' in raw
