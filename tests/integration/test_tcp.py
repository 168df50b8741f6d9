"""TCP routers: TLS passthrough, TLS-terminating TCP routers, plaintext catch-all, PROXY protocol,
weighted spread, TCP and HTTP routers side by side on one entry point, reloads.

The backends here are small Python TCP servers on loopback (see TCPPeer): an echo that can speak
first, parse a PROXY header, or hold its own self-signed TLS certificate.
"""
from __future__ import annotations

import os
import pathlib
import socket
import ssl
import threading
import time

import pytest

import support
from support import LOOPBACK, bound_socket, free_port, http_request, served_certificate, wait_until

PROXY_V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"


def self_signed(directory: pathlib.Path, name: str, organization: str) -> tuple[str, str]:
    """A self-signed certificate (subject = issuer = CN=name, O=organization) and its key."""
    openssl = support.require_tool("openssl")
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = str(directory / f"{name}.pem"), str(directory / f"{name}.key")
    support.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                 "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/O={organization}/CN={name}",
                 "-addext", f"subjectAltName=DNS:{name}"], timeout=60, check=True)
    return cert, key


def _read_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed inside the PROXY header")
        data += chunk
    return data


def read_proxy_header(conn: socket.socket) -> dict:
    """Reads a PROXY v1 or v2 header (haproxy.org proxy-protocol.txt) off `conn`."""
    first = _read_exact(conn, 1)
    if first == b"P":
        line = first
        while not line.endswith(b"\r\n"):
            line += _read_exact(conn, 1)
            assert len(line) <= 107, line
        parts = line.decode("ascii").strip().split(" ")
        if parts[1] == "UNKNOWN":
            return {"version": 1, "family": "UNKNOWN"}
        _, family, src, dst, sport, dport = parts
        return {"version": 1, "family": family, "src": src, "dst": dst, "sport": int(sport), "dport": int(dport)}
    head = first + _read_exact(conn, 15)
    assert head[:12] == PROXY_V2_SIGNATURE, head
    assert head[12] == 0x21, f"version/command byte {head[12]:#x}"
    length = int.from_bytes(head[14:16], "big")
    body = _read_exact(conn, length)
    family = head[13]
    if family == 0x11:
        af, size, name = socket.AF_INET, 4, "TCP4"
    elif family == 0x21:
        af, size, name = socket.AF_INET6, 16, "TCP6"
    else:
        return {"version": 2, "family": f"{family:#x}"}
    return {"version": 2, "family": name,
            "src": socket.inet_ntop(af, body[:size]), "dst": socket.inet_ntop(af, body[size:2 * size]),
            "sport": int.from_bytes(body[2 * size:2 * size + 2], "big"),
            "dport": int.from_bytes(body[2 * size + 2:2 * size + 4], "big")}


class TCPPeer:
    """A loopback TCP backend: optionally reads a PROXY header, optionally TLS with its own certificate,
    optionally sends `banner` first; then echoes every byte back. Records each connection."""

    def __init__(self, name: str, *, cert: tuple[str, str] | None = None, proxy_protocol: bool = False,
                 banner: bool = False):
        self.name = name
        self.proxy_protocol = proxy_protocol
        self.banner = banner
        self.ssl_context = None
        if cert:
            self.ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ssl_context.load_cert_chain(*cert)
        self.sock = bound_socket(LOOPBACK, reuse_addr=True)
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.headers: list[dict] = []
        self.connections = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.closed = False
        self.threads: list[threading.Thread] = []
        self.open_conns: list[socket.socket] = []
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self.threads.append(t)

    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{self.port}"

    def _accept(self) -> None:
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                self.open_conns.append(conn)
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(30)
            if self.proxy_protocol:
                header = read_proxy_header(conn)
                with self.lock:
                    self.headers.append(header)
            if self.ssl_context:
                conn = self.ssl_context.wrap_socket(conn, server_side=True)
            if self.banner:
                conn.sendall(f"220 {self.name}\r\n".encode())
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                conn.sendall(data)
        except Exception as error:  # recorded for the test to show, never swallowed silently
            with self.lock:
                self.errors.append(repr(error))
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        self.closed = True
        self.sock.close()
        with self.lock:
            for conn in self.open_conns:
                try:
                    conn.close()
                except OSError:
                    pass


@pytest.fixture
def peers():
    made: list[TCPPeer] = []

    def make(name: str, **kwargs) -> TCPPeer:
        peer = TCPPeer(name, **kwargs)
        made.append(peer)
        return peer

    yield make
    for peer in made:
        peer.close()


def tcp_service(*addresses: str, weights: list[int] | None = None, proxy_protocol: int | None = None) -> dict:
    servers = [{"address": a} for a in addresses]
    for server, weight in zip(servers, weights or []):
        server["weight"] = weight
    lb: dict = {"servers": servers}
    if proxy_protocol is not None:
        lb["proxyProtocol"] = {"version": proxy_protocol}
    return {"loadBalancer": lb}


def echo_once(sock: socket.socket, payload: bytes) -> bytes:
    sock.sendall(payload)
    got = b""
    while len(got) < len(payload):
        chunk = sock.recv(65536)
        if not chunk:
            break
        got += chunk
    return got


def read_line(sock: socket.socket) -> bytes:
    line = b""
    while not line.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            break
        line += chunk
    return line


def settle_readiness_probe() -> None:
    """The launcher's readiness probe is a connection too, and takes a pick from the balancer; it is
    accepted on another event loop than the test's first connection, so it may be routed after it.
    Let it finish before counting picks."""
    time.sleep(0.3)


def tls_client(port: int, sni: str) -> ssl.SSLSocket:
    return support.open_socket(port, tls=True, sni=sni, alpn=None)


# --------------------------------------------------------------------------------------


def test_passthrough_delivers_backend_certificate_and_bytes(launcher, peers, tmp_path):
    backend = peers("own-cert", cert=self_signed(tmp_path / "backend", "pass.test", "Passthrough Backend"))
    gh = launcher.start({"tcp": {
        "routers": {"pass": {"rule": "HostSNI(`pass.test`)", "service": "pass", "tls": {"passthrough": True}}},
        "services": {"pass": tcp_service(backend.address)},
    }})
    served = served_certificate(gh.websecure, "pass.test")
    assert "Passthrough Backend" in served.subject and "Passthrough Backend" in served.issuer, served.subject
    with tls_client(gh.websecure, "pass.test") as sock:
        assert echo_once(sock, b"ping through the tunnel\n") == b"ping through the tunnel\n"
    # Another name is not passed through: Gatehouse answers with its own certificate.
    other = served_certificate(gh.websecure, "other.test")
    assert "Passthrough Backend" not in other.subject, other.subject


def test_tls_terminating_tcp_router_forwards_plaintext(launcher, peers, certs):
    backend = peers("plain-echo")
    leaf = certs.leaf("term.test")
    gh = launcher.start({
        "tcp": {
            "routers": {"term": {"rule": "HostSNI(`term.test`)", "service": "echo", "tls": {}}},
            "services": {"echo": tcp_service(backend.address)},
        },
        "tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]},
    })
    served = served_certificate(gh.websecure, "term.test")
    assert "CN=term.test" in served.subject.replace(" ", ""), served.subject
    before = backend.connections  # s_client's connection was forwarded too
    with tls_client(gh.websecure, "term.test") as sock:
        assert echo_once(sock, b"decrypted at the gateway\n") == b"decrypted at the gateway\n"
    assert backend.connections == before + 1
    assert not backend.errors, backend.errors


def test_catch_all_plaintext_router_takes_plain_connections_next_to_http(launcher, peers, backends):
    echo = peers("catch-all")
    http_backend = backends("web")
    gh = launcher.start({
        "tcp": {"routers": {"any": {"rule": "HostSNI(`*`)", "service": "echo", "entryPoints": ["web"]}},
                "services": {"echo": tcp_service(echo.address)}},
        "http": {"routers": {"site": support.router("Host(`site.test`)", "site", tls={}, entry_points=["web"])},
                 "services": {"site": support.service(http_backend.url)}},
    })
    with support.open_socket(gh.web) as sock:
        assert echo_once(sock, b"not http at all\n") == b"not http at all\n"
    # TLS on the same entry point still reaches the HTTPS router.
    r = http_request(gh.web, "/", host="site.test", tls=True)
    assert (r.status, r.backend) == (200, "web"), r


def test_server_speaks_first_without_client_bytes(launcher, peers):
    smtp = peers("mail.test", banner=True)
    gh = launcher.start({"tcp": {
        "routers": {"smtp": {"rule": "HostSNI(`*`)", "service": "smtp", "entryPoints": ["smtp"]}},
        "services": {"smtp": tcp_service(smtp.address)},
    }}, entrypoints={"web": {}, "smtp": {}})
    with socket.create_connection((LOOPBACK, gh.port("smtp")), timeout=5) as sock:
        assert read_line(sock) == b"220 mail.test\r\n"
        assert echo_once(sock, b"QUIT\r\n") == b"QUIT\r\n"


def test_tcp_and_http_routers_share_an_entry_point_by_sni(launcher, peers, backends, tmp_path):
    tunnel = peers("tunnel", cert=self_signed(tmp_path / "backend", "a.test", "Backend A"))
    site = backends("site-b")
    gh = launcher.start({
        "tcp": {"routers": {"a": {"rule": "HostSNI(`a.test`)", "service": "a", "tls": {"passthrough": "true"}}},
                "services": {"a": tcp_service(tunnel.address)}},
        "http": {"routers": {"b": support.router("Host(`b.test`)", "b", tls={})},
                 "services": {"b": support.service(site.url)}},
    })
    assert "Backend A" in served_certificate(gh.websecure, "a.test").subject
    assert "Backend A" not in served_certificate(gh.websecure, "b.test").subject
    r = http_request(gh.websecure, "/hello", host="b.test", tls=True)
    assert (r.status, r.backend) == (200, "site-b"), r
    assert tunnel.connections == 1  # only the a.test handshake reached the tunnel


@pytest.mark.parametrize("version", [1, 2])
def test_proxy_protocol_header_carries_client_address(launcher, peers, version):
    backend = peers(f"pp{version}", proxy_protocol=True)
    gh = launcher.start({
        "tcp": {"routers": {"pp": {"rule": "HostSNI(`*`)", "service": "pp", "entryPoints": ["web"]}},
                "services": {"pp": tcp_service(backend.address, proxy_protocol=version)}},
        "http": {"routers": {"other": support.router("Host(`x.test`)", "other", entry_points=["web"])},
                 "services": {"other": support.service("http://127.0.0.1:9")}},
    })
    with support.open_socket(gh.web) as sock:
        client_port = sock.getsockname()[1]
        assert echo_once(sock, b"who am i\n") == b"who am i\n"
    assert wait_until(lambda: backend.headers, 5), backend.errors
    header = backend.headers[0]
    assert header == {"version": version, "family": "TCP4", "src": LOOPBACK, "dst": LOOPBACK,
                      "sport": client_port, "dport": gh.web}, header


def test_weighted_servers_share_connections_by_weight(launcher, peers):
    heavy, light = peers("heavy", banner=True), peers("light", banner=True)
    gh = launcher.start({"tcp": {
        "routers": {"spread": {"rule": "HostSNI(`*`)", "service": "spread", "entryPoints": ["web"]}},
        "services": {"spread": tcp_service(heavy.address, light.address, weights=[3, 1])},
    }}, entrypoints={"web": {}})
    settle_readiness_probe()
    seen = []
    for _ in range(12):
        with socket.create_connection((LOOPBACK, gh.web), timeout=5) as sock:
            seen.append(read_line(sock).decode().split()[1])
    assert seen.count("heavy") == 9 and seen.count("light") == 3, seen
    assert "light light" not in " ".join(seen), seen  # smooth: interleaved


def test_weighted_service_of_services(launcher, peers):
    first, second = peers("first", banner=True), peers("second", banner=True)
    gh = launcher.start({"tcp": {
        "routers": {"w": {"rule": "HostSNI(`*`)", "service": "both", "entryPoints": ["web"]}},
        "services": {
            "both": {"weighted": {"services": [{"name": "one", "weight": 1}, {"name": "two", "weight": 1}]}},
            "one": tcp_service(first.address), "two": tcp_service(second.address),
        },
    }}, entrypoints={"web": {}})
    settle_readiness_probe()
    seen = []
    for _ in range(6):
        with socket.create_connection((LOOPBACK, gh.web), timeout=5) as sock:
            seen.append(read_line(sock).decode().split()[1])
    assert sorted(seen) == ["first"] * 3 + ["second"] * 3, seen


def test_unreachable_backend_closes_client_and_logs_router_and_address(launcher):
    dead = f"{LOOPBACK}:{free_port()}"
    gh = launcher.start({"tcp": {
        "routers": {"dead": {"rule": "HostSNI(`*`)", "service": "dead", "entryPoints": ["web"]}},
        "services": {"dead": tcp_service(dead)},
    }}, entrypoints={"web": {}})
    with socket.create_connection((LOOPBACK, gh.web), timeout=5) as sock:
        sock.settimeout(5)
        try:
            data = sock.recv(100)
        except ConnectionResetError:
            data = b""
        assert data == b""
    lines = gh.wait_for_log("unreachable", "dead@file", dead)
    assert lines, gh.logs()[-2000:]


def test_rule_error_disables_only_that_tcp_router(launcher, peers):
    echo = peers("fine")
    gh = launcher.start({"tcp": {
        "routers": {
            "fine": {"rule": "HostSNI(`*`)", "service": "echo", "entryPoints": ["web"]},
            "broken": {"rule": "HostSNI(`a.test`", "service": "echo", "tls": {}},
        },
        "services": {"echo": tcp_service(echo.address)},
    }})
    assert gh.wait_for_log("broken@file")
    with support.open_socket(gh.web) as sock:
        assert echo_once(sock, b"still served\n") == b"still served\n"


def test_open_passthrough_connection_outlives_its_router(launcher, peers, tmp_path):
    backend = peers("long-lived", cert=self_signed(tmp_path / "backend", "live.test", "Long Lived Backend"))
    route = {"tcp": {
        "routers": {"live": {"rule": "HostSNI(`live.test`)", "service": "live", "tls": {"passthrough": True}}},
        "services": {"live": tcp_service(backend.address)},
    }}
    gh = launcher.start(provider_dir={"live.yml": route})
    ddir = gh.workdir / "dynamic.d"
    with tls_client(gh.websecure, "live.test") as sock:
        assert echo_once(sock, b"before\n") == b"before\n"
        os.remove(ddir / "live.yml")
        gone = wait_until(
            lambda: "Long Lived Backend" not in served_certificate(gh.websecure, "live.test").subject, 3, interval=0.1)
        assert gone, "the removed passthrough router still answers"
        assert echo_once(sock, b"after the reload\n") == b"after the reload\n"


def test_tls_towards_backend_with_servers_transport(launcher, peers, tmp_path):
    backend = peers("tls-backend", cert=self_signed(tmp_path / "backend", "backend.test", "TLS Backend"))
    gh = launcher.start({"tcp": {
        "routers": {
            "skip": {"rule": "HostSNI(`*`)", "service": "skip", "entryPoints": ["web"]},
            "verify": {"rule": "HostSNI(`*`)", "service": "verify", "entryPoints": ["strict"]},
        },
        "services": {
            "skip": {"loadBalancer": {"servers": [{"address": backend.address, "tls": True}], "serversTransport": "insecure"}},
            "verify": {"loadBalancer": {"servers": [{"address": backend.address, "tls": True}]}},
        },
        "serversTransports": {"insecure": {"tls": {"insecureSkipVerify": True}}},
    }}, entrypoints={"web": {}, "strict": {}})
    with socket.create_connection((LOOPBACK, gh.web), timeout=5) as sock:
        assert echo_once(sock, b"encrypted to the backend\n") == b"encrypted to the backend\n"
    # The default transport verifies the backend: a self-signed certificate fails, the client is closed.
    data, how = support.raw_exchange(gh.port("strict"), b"should not pass\n", timeout=5)
    assert (data, how) in ((b"", "eof"), (b"", "reset")), (data, how)


def test_ip_allow_list_and_in_flight_limit(launcher, peers):
    echo = peers("guarded")
    gh = launcher.start({"tcp": {
        "routers": {
            "lan": {"rule": "HostSNI(`*`)", "service": "echo", "entryPoints": ["lan"], "middlewares": ["lan-only"]},
            "local": {"rule": "HostSNI(`*`)", "service": "echo", "entryPoints": ["local"], "middlewares": ["loopback", "one"]},
        },
        "services": {"echo": tcp_service(echo.address)},
        "middlewares": {
            "lan-only": {"ipAllowList": {"sourceRange": ["10.0.0.0/8"]}},
            "loopback": {"ipAllowList": {"sourceRange": ["127.0.0.0/8"]}},
            "one": {"inFlightConn": {"amount": 1}},
        },
    }}, entrypoints={"web": {}, "lan": {}, "local": {}})
    settle_readiness_probe()
    data, how = support.raw_exchange(gh.port("lan"), b"from loopback\n", timeout=5)
    assert data == b"" and how in ("eof", "reset"), (data, how)
    with socket.create_connection((LOOPBACK, gh.port("local")), timeout=5) as first:
        assert echo_once(first, b"first\n") == b"first\n"
        data, how = support.raw_exchange(gh.port("local"), b"second\n", timeout=5)
        assert data == b"" and how in ("eof", "reset"), (data, how)
    # The slot is free again once the first connection is gone.
    def third_passes():
        try:
            with socket.create_connection((LOOPBACK, gh.port("local")), timeout=5) as third:
                return echo_once(third, b"third\n") == b"third\n"
        except (ConnectionResetError, BrokenPipeError):
            return False
    assert wait_until(third_passes, 3, interval=0.1)
