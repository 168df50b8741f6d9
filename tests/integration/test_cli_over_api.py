"""The CLI over the admin API with the real binary: `gatehouse routes` (the monitor as a table),
`gatehouse check HOST --at IP:PORT` (served certificate, status, which route answered),
`gatehouse certs list` through the API when a server answers and offline otherwise (saying which),
and `gatehouse dns-credentials` refusing what the server refuses."""
from __future__ import annotations

import contextlib
import os
import socket
import threading

import pytest

import support
from support import LOOPBACK, free_port, port_accepts, router, service, wait_until
from test_admin_api import create_token


@pytest.fixture
def gw(launcher, backends, certs):
    support.require_tool("curl")
    backend = backends("app")
    leaf = certs.leaf("a.test", key_type="ec")
    port = free_port()
    gh = launcher.start(provider_dir={"routes.yml": {
        "http": {
            "routers": {
                "site": router("Host(`a.test`)", "app", entry_points=["websecure"], tls={}),
                "other": router("Host(`b.test`) && Path(`/only`)", "app", entry_points=["websecure"], tls={}),
            },
            "services": {"app": service(backend.url)},
        },
        "tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]},
    }}, static_extra={"admin": {"address": f"{LOOPBACK}:{port}"}})
    assert wait_until(lambda: port_accepts(port), 15), f"admin port not open:\n{gh.logs()[-3000:]}"
    gh.admin_port = port
    gh.backend = backend
    return gh


def cli(gh, *args: str, token: str | None = None, address: bool = True, timeout: float = 60):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_ADMIN_")}
    if address:
        env["GATEHOUSE_ADMIN_ADDRESS"] = f"{LOOPBACK}:{gh.admin_port}"
    if token:
        env["GATEHOUSE_ADMIN_TOKEN"] = token
    res = support.run([gh.binary, *args], timeout=timeout, env=env)
    out, err = res.stdout.decode(errors="replace"), res.stderr.decode(errors="replace")
    if token:
        assert token not in out and token not in err, "the token must never be printed"
    return res.returncode, out, err


def test_routes_table(gw):
    token = create_token(gw, "reader", "ingress.read")
    code, out, err = cli(gw, "routes", token=token)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["HOST", "ENTRY", "POINTS"], out
    site = next(line for line in lines if line.startswith("a.test"))
    assert "websecure" in site and "app@file" in site and gw.backend.url in site and "terminate" in site, site
    assert any(line.startswith("b.test") for line in lines), out
    # Without a token: 401, said plainly, exit 1.
    code, out, err = cli(gw, "routes")
    assert code == 1 and "401" in err and "GATEHOUSE_ADMIN_TOKEN" in err, err


def test_check_shows_the_certificate_status_and_route(gw):
    token = create_token(gw, "reader", "ingress.read")
    at = f"{LOOPBACK}:{gw.websecure}"
    code, out, err = cli(gw, "check", "a.test", "--at", at, token=token)
    assert code == 0, err + out
    assert "subject:" in out and "CN=a.test" in out, out
    assert "default certificate: no" in out, out
    assert "not after:" in out and "issuer:" in out, out
    assert "status: HTTP/1.1 200" in out, out
    assert "route:  site@file" in out, out

    # A name with no certificate and no router: the default certificate and the gateway's own 404.
    code, out, err = cli(gw, "check", "nothing.test", "--at", at, token=token)
    assert code == 0, err + out
    assert "default certificate: yes" in out, out
    assert "status: HTTP/1.1 404" in out, out
    assert "route:  none" in out, out

    # A router for the host whose path does not match: named, and said to have refused.
    code, out, err = cli(gw, "check", "b.test", "--at", at, "--path", "/elsewhere", token=token)
    assert "status: HTTP/1.1 404" in out and "other@file" in out and "refused" in out, out

    # No admin API: the route is unknown, the rest still works.
    env_address = f"{LOOPBACK}:{free_port()}"
    res = support.run([gw.binary, "check", "a.test", "--at", at, "--admin-address", env_address], timeout=60)
    out = res.stdout.decode()
    assert res.returncode == 0 and "route:  unknown" in out and "CN=a.test" in out, out


def test_check_over_plain_http(launcher, backends):
    """`gatehouse check --http`: no TLS, the status and the route of a plain entry point; an entry
    point that redirects shows the Location and names the redirection; without --http a plain
    peer is reported as such, with the hint."""
    support.require_tool("curl")
    backend = backends("plain")
    port = free_port()
    gh = launcher.start(
        entrypoints={"web": {}, "websecure": {},
                     "redirecting": {"http": {"redirections": {"entryPoint": {"to": "websecure", "scheme": "https"}}}}},
        provider_dir={"routes.yml": {"http": {
            "routers": {"plainsite": router("Host(`p.test`)", "app", entry_points=["web", "redirecting"])},
            "services": {"app": service(backend.url)},
        }}},
        static_extra={"admin": {"address": f"{LOOPBACK}:{port}"}})
    assert wait_until(lambda: port_accepts(port), 15), f"admin port not open:\n{gh.logs()[-3000:]}"
    gh.admin_port = port
    token = create_token(gh, "reader", "ingress.read")
    web = f"{LOOPBACK}:{gh.ports['web']}"

    code, out, err = cli(gh, "check", "p.test", "--at", web, "--http", token=token)
    assert code == 0, err + out
    assert "connection: plain HTTP" in out and "certificate:" not in out, out
    assert "status: HTTP/1.1 200" in out and "location:" not in out, out
    assert "route:  plainsite@file" in out, out
    assert backend.wait_for_request("/", 5) is not None

    # No router for the host: the gateway's own 404.
    code, out, err = cli(gh, "check", "nothing.test", "--at", web, "--http", token=token)
    assert code == 0 and "status: HTTP/1.1 404" in out and "route:  none" in out, out

    # The redirecting entry point: the Location, and the redirection as the route.
    redirecting = f"{LOOPBACK}:{gh.ports['redirecting']}"
    code, out, err = cli(gh, "check", "p.test", "--at", redirecting, "--http", "--path", "/x", token=token)
    assert code == 0, err + out
    assert "status: HTTP/1.1 30" in out, out
    assert f"location: https://p.test:{gh.ports['websecure']}/x" in out, out
    assert "route:  redirecting-to-websecure@internal (entry point redirection)" in out, out

    # Over TLS the same entry point serves only routers with TLS (Gatehouse's entry points take
    # both, as Traefik's do): the plain router is not the answer.
    code, out, err = cli(gh, "check", "p.test", "--at", web, token=token)
    assert code == 0 and "status: HTTP/1.1 404" in out and "route:  none" in out and "plainsite" not in out, out

    # TLS against a peer that speaks only plain HTTP: said plainly, with the hint. The peer answers
    # whatever arrives at once, as an HTTP server does to bytes it cannot parse (the test backend
    # waits for a line feed, which a ClientHello's random bytes may never hold).
    with plain_http_peer() as address:
        code, out, err = cli(gh, "check", "p.test", "--at", address, token=token)
    assert code == 1, out
    assert "answered in plain HTTP" in out and "--http" in out, out


@contextlib.contextmanager
def plain_http_peer():
    """A one-connection server on loopback that answers the first bytes it reads with a plain
    HTTP 400 and closes; yields its IP:PORT."""
    listener = socket.socket()
    listener.bind((LOOPBACK, 0))
    listener.listen(1)
    listener.settimeout(20)

    def serve():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(10)
            try:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"{LOOPBACK}:{listener.getsockname()[1]}"
    finally:
        listener.close()
        thread.join(timeout=5)


def test_certs_list_through_the_api_or_offline(gw):
    token = create_token(gw, "operator", "ingress.read,acme.manage")
    code, out, err = cli(gw, "certs", "list", "--data-dir", str(gw.data_dir), token=token)
    assert code == 0, err
    assert "using the admin API" in err, err
    assert out.splitlines()[0].split()[:2] == ["NAMES", "STATUS"], out
    # Without a token the API cannot be used: the data directory is read, and that is said.
    code, out, err = cli(gw, "certs", "list", "--data-dir", str(gw.data_dir))
    assert code == 0, err
    assert "no token" in err and "using the data directory" in err, err
    code, out, err = cli(gw, "certs", "list", "--data-dir", str(gw.data_dir), "--offline", token=token)
    assert code == 0 and "offline" in err, err


def test_dns_credentials_commands(gw):
    token = create_token(gw, "acme", "acme.manage")
    code, out, err = cli(gw, "dns-credentials", "list", token=token)
    assert code == 0, err
    assert out.splitlines()[0].split()[:3] == ["NAME", "ID", "PROVIDER"], out
    code, out, err = cli(gw, "dns-credentials", "add", "zone-a", "--provider", "nosuch",
                         "--set", "X=secret-value-123", token=token)
    assert code == 1, out
    assert "400" in err and "unknown provider" in err and "secret-value-123" not in err + out, err
    reader = create_token(gw, "reader", "ingress.read")
    code, out, err = cli(gw, "dns-credentials", "list", token=reader)
    assert code == 1 and "403" in err and "acme.manage" in err, err


def test_routes_over_a_unix_socket(launcher, backends, tmp_path):
    backend = backends("app")
    sock = tmp_path / "admin.sock"
    gh = launcher.start(provider_dir={"routes.yml": {"http": {
        "routers": {"site": router("Host(`a.test`)", "app")}, "services": {"app": service(backend.url)},
    }}}, static_extra={"admin": {"address": f"unix:{sock}"}})
    assert wait_until(sock.exists, 15), gh.logs()[-3000:]
    token = create_token(gh, "reader", "ingress.read")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_ADMIN_")}
    env["GATEHOUSE_ADMIN_TOKEN"] = token
    res = support.run([gh.binary, "routes", "--admin-address", f"unix:{sock}"], timeout=60, env=env)
    out = res.stdout.decode()
    assert res.returncode == 0, res.stderr.decode()
    assert any(line.startswith("a.test") and backend.url in line for line in out.splitlines()), out
