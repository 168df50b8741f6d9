"""The ACME fixtures on their own: pebble + pebble-challtestsrv started by acme_support, exercised with lego.

These need no Gatehouse. They prove that what the Gatehouse ACME tests stand on works: pebble's HTTPS
listener with our own PKI, fresh roots fetched per start, each challenge type through the fixture's
ports and DNS, revocation status by serial, order counting from pebble's log, badNonce injection, and
the served-certificate helpers (`served_leaf`, `HandshakeLoop`) against a TLS server we control.
"""
from __future__ import annotations

import socket
import ssl
import threading

import pytest

from acme_support import HandshakeLoop, free_dns_port, lego, served_leaf
from support import LOOPBACK, free_port, port_accepts, require_tool, run


@pytest.fixture
def lego_tool():
    require_tool("lego")


def openssl_verify(leaf: str, root: str, intermediate: str) -> str:
    res = run([require_tool("openssl"), "verify", "-CAfile", root, "-untrusted", intermediate, leaf], timeout=20)
    return (res.stdout + res.stderr).decode(errors="replace")


def sans_of(cert_path: str) -> list[str]:
    out = run([require_tool("openssl"), "x509", "-in", cert_path, "-noout", "-ext", "subjectAltName"],
              timeout=20, check=True).stdout.decode()
    return sorted(s.strip().removeprefix("DNS:") for s in out.splitlines()[1].split(","))


class TinyTLSServer:
    """Serves one certificate chain on loopback: handshake, then close. For checking the helpers."""

    def __init__(self, cert: str, key: str):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.sock = socket.socket()
        self.sock.bind((LOOPBACK, 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.closed = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                with self.ctx.wrap_socket(conn, server_side=True) as tls:
                    tls.settimeout(2)
                    try:
                        tls.recv(1)
                    except (OSError, ssl.SSLError):
                        pass
            except (OSError, ssl.SSLError):
                conn.close()

    def close(self):
        self.closed = True
        self.sock.close()


def test_pebble_listener_uses_our_pki_and_roots_are_fresh_per_start(pebble_lab):
    p = pebble_lab.pebble(dns_server=None)
    # Our listener CA is what makes pebble's HTTPS trusted; the system roots do not.
    with pytest.raises(ssl.SSLError):
        with socket.create_connection((LOOPBACK, p.port), timeout=5) as raw:
            ssl.create_default_context().wrap_socket(raw, server_hostname="127.0.0.1")
    root1 = p.root_path.read_text()
    inter1 = p.intermediate_path.read_text()
    assert "Pebble Root CA" in run([require_tool("openssl"), "x509", "-noout", "-subject"],
                                   input=root1.encode(), timeout=10).stdout.decode()
    # The intermediate chains to the root it was fetched with.
    out = run([require_tool("openssl"), "verify", "-CAfile", str(p.root_path), str(p.intermediate_path)],
              timeout=10).stdout.decode()
    assert out.strip().endswith("OK"), out
    assert p.trust_path.read_text() == root1 + inter1
    p.stop()
    assert not port_accepts(p.port)
    p.start()
    assert p.root_path.read_text() != root1, "pebble kept its root across a restart: the fetch is not needed?"
    assert p.orders_created() == 0


def test_pebble_can_start_after_its_clients(pebble_lab):
    """The 'CA down at start' test configures the gateway with ports of a pebble not started yet."""
    p = pebble_lab.pebble(dns_server=None, start=False)
    assert not port_accepts(p.port) and not port_accepts(p.management_port)
    p.start()
    assert port_accepts(p.port) and port_accepts(p.management_port)


def test_lego_http01_through_the_fixture(pebble_lab, lego_tool, tmp_path):
    cts = pebble_lab.challtestsrv()
    p = pebble_lab.pebble(http_port=free_port(), dns_server=cts.dns_address)
    r = lego(p, tmp_path / "lego", ["a.example.com"], "http-01")
    assert r.ok, r.output[-3000:]
    assert "Attempting to validate w/ HTTP: http://a.example.com:%d/" % p.http_port in p.logs()
    assert p.orders_created() == 1
    serial = r.serial()
    assert p.issued_serials() == [serial]
    assert p.cert_status(serial)["Status"] == "Valid"
    assert p.cert_status("ffff" + serial) is None
    assert openssl_verify(str(r.cert), str(p.root_path), str(p.intermediate_path)).strip().endswith("OK")

    # The helpers the gateway tests use, against a server whose answer we know.
    server = TinyTLSServer(str(r.cert), str(r.key))
    try:
        leaf = served_leaf(server.port, "a.example.com", cafile=str(p.trust_path), verify_hostname="a.example.com")
        assert leaf.serial == serial
        assert leaf.verified, leaf.verify_text
        assert leaf.sans == ["a.example.com"]
        assert "Pebble Intermediate CA" in leaf.issuer
        wrong = served_leaf(server.port, "a.example.com", cafile=str(p.trust_path), verify_hostname="b.example.com")
        assert not wrong.verified
        loop = HandshakeLoop(server.port, "a.example.com", str(p.trust_path), max_count=20, max_seconds=20)
        loop.start()
        loop.join(30)
        assert loop.count == 20 and loop.failures == [] and loop.sequence == [serial]
        bad = HandshakeLoop(server.port, "b.example.com", str(p.trust_path), max_count=3, max_seconds=20)
        bad.start()
        bad.join(30)
        assert len(bad.failures) == 3, "a handshake with the wrong host name must count as a failure"
    finally:
        server.close()


def test_lego_tls_alpn01_through_the_fixture(pebble_lab, lego_tool, tmp_path):
    cts = pebble_lab.challtestsrv()
    p = pebble_lab.pebble(tls_port=free_port(), dns_server=cts.dns_address)
    r = lego(p, tmp_path / "lego", ["b.example.com"], "tls-alpn-01")
    assert r.ok, r.output[-3000:]
    assert "Attempting to validate w/ HTTP" not in p.logs()
    assert p.issued_serials() == [r.serial()]
    assert openssl_verify(str(r.cert), str(p.root_path), str(p.intermediate_path)).strip().endswith("OK")


def test_lego_dns01_wildcard_and_apex_through_challtestsrv(pebble_lab, lego_tool, tmp_path):
    cts = pebble_lab.challtestsrv()
    p = pebble_lab.pebble(dns_server=cts.dns_address)  # http/tls ports: nobody listens there
    r = lego(p, tmp_path / "lego", ["example.com", "*.example.com"], "dns-01", challtestsrv=cts)
    assert r.ok, r.output[-3000:]
    assert sans_of(str(r.cert)) == ["*.example.com", "example.com"]
    assert 'Added DNS-01 TXT challenge for Host "_acme-challenge.example.com."' in cts.logs()
    assert p.orders_created() == 1


def test_pebble_reports_revocation_by_serial(pebble_lab, lego_tool, tmp_path):
    cts = pebble_lab.challtestsrv()
    p = pebble_lab.pebble(dns_server=cts.dns_address)
    r = lego(p, tmp_path / "lego", ["r.example.com"], "dns-01", challtestsrv=cts)
    assert r.ok, r.output[-3000:]
    serial = r.serial()
    assert p.cert_status(serial)["Status"] == "Valid"
    rv = lego(p, tmp_path / "lego", ["r.example.com"], "dns-01", challtestsrv=cts,
              command=("revoke", "--reason", "1"))
    assert rv.ok, rv.output[-3000:]
    status = p.cert_status(serial.upper())  # pebble parses the serial as a number: case does not matter
    assert status["Status"] == "Revoked" and status["Reason"] == 1, status


def test_lego_issues_with_half_the_nonces_rejected(pebble_lab, lego_tool, tmp_path):
    cts = pebble_lab.challtestsrv()
    p = pebble_lab.pebble(dns_server=cts.dns_address, env={"PEBBLE_WFE_NONCEREJECT": "50"})
    assert "Configured to reject 50% of good nonces" in p.logs()
    r = lego(p, tmp_path / "lego", ["n.example.com"], "dns-01", challtestsrv=cts)
    assert r.ok, r.output[-3000:]
    assert "badNonce" in r.output, "pebble rejected no nonce in a whole order at 50%"
    assert p.issued_serials() == [r.serial()]


def test_free_dns_port_is_free_for_udp_and_tcp():
    port = free_dns_port()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    t = socket.socket()
    try:
        u.bind((LOOPBACK, port))
        t.bind((LOOPBACK, port))
    finally:
        u.close()
        t.close()
