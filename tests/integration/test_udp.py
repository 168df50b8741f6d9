"""UDP entry points, routers and services: DNS through the gateway, session affinity, idle expiry, reload.

The backends are small DNS servers this file runs on loopback (a Python socket and a hand-built
answer): each answers every A query with its own address, so a reply says which backend served it.
"""
from __future__ import annotations

import signal
import socket
import struct
import subprocess
import threading
import time

import pytest

from support import LOOPBACK, dump_yaml, free_port, require_tool, wait_until

RELOAD_WITHIN = 3.0


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class DNSBackend:
    """A loopback DNS server answering every A query with `answer`; records each client address."""

    def __init__(self, answer: str):
        self.answer = answer
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOOPBACK, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.clients: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                query, client = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            self.clients.append(client)
            reply = self.respond(query)
            if reply is not None:
                self.sock.sendto(reply, client)

    def respond(self, query: bytes) -> bytes | None:
        if len(query) < 12:
            return None
        qid, _flags, qdcount = struct.unpack("!HHH", query[:6])
        if qdcount != 1:
            return None
        end = 12
        while end < len(query) and query[end] != 0:
            end += 1 + query[end]
        question = query[12:end + 5]  # name, its terminating zero, QTYPE and QCLASS
        header = struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0)  # response, RD+RA, NOERROR
        answer = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(self.answer)
        return header + question + answer

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(timeout=2)


def dns_query(name: str, qid: int) -> bytes:
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + b"\x00" + struct.pack("!HH", 1, 1)


def answer_address(reply: bytes) -> str:
    return socket.inet_ntoa(reply[-4:])


class Client:
    """A DNS client with one fixed source port, i.e. one UDP session at the gateway."""

    def __init__(self, port: int):
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOOPBACK, 0))
        self.qid = 0

    def ask(self, name: str = "svc.test", timeout: float = 2.0) -> str | None:
        self.qid += 1
        self.sock.settimeout(timeout)
        self.sock.sendto(dns_query(name, self.qid), (LOOPBACK, self.port))
        try:
            while True:
                reply, _ = self.sock.recvfrom(65535)
                if struct.unpack("!H", reply[:2])[0] == self.qid:
                    return answer_address(reply)
        except socket.timeout:
            return None

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def dns_backends():
    made: list[DNSBackend] = []

    def make(answer: str) -> DNSBackend:
        backend = DNSBackend(answer)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def clients():
    made: list[Client] = []

    def make(port: int) -> Client:
        client = Client(port)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def udp_dynamic(*backends: DNSBackend, service: str = "dns") -> dict:
    return {"udp": {"routers": {"dns": {"entryPoints": ["dns"], "service": service}},
                    "services": {service: {"loadBalancer": {"servers": [{"address": b.address} for b in backends]}}}}}


def start_udp_gateway(launcher, dynamic: dict, *, timeout: str | None = None):
    """Gatehouse with a TCP entry point `web` (for readiness) and a UDP entry point `dns`; the dynamic
    configuration lives in a watched directory `dynamic.d` (relative to the instance's directory)."""
    web, dns = free_port(), free_udp_port()
    dns_entry: dict = {"address": f"{LOOPBACK}:{dns}/udp"}
    if timeout is not None:
        dns_entry["udp"] = {"timeout": timeout}
    static = {"entryPoints": {"web": {"address": f"{LOOPBACK}:{web}"}, "dns": dns_entry},
              "providers": {"file": {"directory": "dynamic.d", "watch": True}},
              "log": {"level": "DEBUG"}}
    gh = launcher.start_raw(dump_yaml(static), {"web": web}, files={"dynamic.d/udp.yml": dump_yaml(dynamic)}, label="udp")
    assert gh.wait_for_log("entry point listening", "udp", timeout=5), gh.logs()[-3000:]
    gh.udp_port = dns
    return gh


def test_dig_query_is_forwarded_and_answered(launcher, dns_backends):
    dig = require_tool("dig")
    backend = dns_backends("192.0.2.7")
    gh = start_udp_gateway(launcher, udp_dynamic(backend))
    out = subprocess.run([dig, f"@{LOOPBACK}", "-p", str(gh.udp_port), "www.example.test", "A", "+tries=1", "+time=3"],
                         capture_output=True, text=True, timeout=20)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "status: NOERROR" in out.stdout, out.stdout
    assert "www.example.test." in out.stdout and "192.0.2.7" in out.stdout, out.stdout
    assert len(backend.clients) >= 1
    assert backend.clients[0][1] != gh.udp_port


def test_clients_spread_over_backends_and_each_keeps_its_own(launcher, dns_backends, clients):
    a, b = dns_backends("192.0.2.1"), dns_backends("192.0.2.2")
    gh = start_udp_gateway(launcher, udp_dynamic(a, b))
    one, two = clients(gh.udp_port), clients(gh.udp_port)
    first, second = one.ask(), two.ask()
    assert {first, second} == {"192.0.2.1", "192.0.2.2"}, (first, second)
    for _ in range(5):
        assert one.ask() == first
        assert two.ask() == second
    # One session per client: each backend saw one gateway source port, and they differ.
    assert len(set(a.clients)) == 1 and len(set(b.clients)) == 1, (a.clients, b.clients)
    assert a.clients[0] != b.clients[0]


def test_idle_session_expires_after_timeout(launcher, dns_backends, clients):
    a, b = dns_backends("192.0.2.1"), dns_backends("192.0.2.2")
    gh = start_udp_gateway(launcher, udp_dynamic(a, b), timeout="1s")
    client = clients(gh.udp_port)
    first = client.ask()
    time.sleep(0.3)
    assert client.ask() == first, "a session within its timeout changed server"
    time.sleep(0.5)
    assert client.ask() == first, "activity renews the session"
    time.sleep(1.8)
    second = client.ask()
    assert second is not None and second != first, "after the idle timeout the next server serves a new session"
    assert gh.wait_for_log("UDP sessions expired", timeout=2), gh.logs()[-3000:]
    gateway_ports = {c for c in a.clients + b.clients}
    assert len(gateway_ports) == 2, f"expected a new gateway socket for the new session: {gateway_ports}"


def test_reload_keeps_sessions_and_sends_new_clients_to_new_service(launcher, dns_backends, clients):
    old, new = dns_backends("192.0.2.1"), dns_backends("192.0.2.9")
    gh = start_udp_gateway(launcher, udp_dynamic(old), timeout="10s")
    early = clients(gh.udp_port)
    assert early.ask() == "192.0.2.1"

    (gh.workdir / "dynamic.d" / "udp.yml").write_text(dump_yaml(udp_dynamic(new, service="dns-v2")))

    def new_client_reaches_new():
        c = clients(gh.udp_port)
        return c.ask(timeout=0.5) == "192.0.2.9"

    assert wait_until(new_client_reaches_new, RELOAD_WITHIN, interval=0.1), \
        f"new clients did not reach the new service; log:\n{gh.logs()[-3000:]}"
    for _ in range(3):
        assert early.ask() == "192.0.2.1", "a reload moved a session in progress"


def test_unreachable_server_is_logged_and_session_dropped(launcher, dns_backends, clients):
    live = dns_backends("192.0.2.5")
    dead_port = free_udp_port()
    dynamic = {"udp": {"routers": {"dns": {"entryPoints": ["dns"], "service": "dns"}},
                       "services": {"dns": {"loadBalancer": {"servers": [{"address": f"{LOOPBACK}:{dead_port}"},
                                                                         {"address": live.address}]}}}}}
    gh = start_udp_gateway(launcher, dynamic)
    client = clients(gh.udp_port)
    answers = [client.ask(timeout=0.3) for _ in range(6)]
    assert "192.0.2.5" in answers, answers
    lines = gh.wait_for_log("UDP server unreachable", timeout=3)
    assert lines, gh.logs()[-3000:]
    assert any("dns@file" in ln and str(dead_port) in ln for ln in lines), lines


def test_sigterm_with_udp_sessions_open_exits_cleanly(launcher, dns_backends, clients):
    backend = dns_backends("192.0.2.3")
    gh = start_udp_gateway(launcher, udp_dynamic(backend), timeout="30s")
    assert clients(gh.udp_port).ask() == "192.0.2.3"
    gh.send_signal(signal.SIGTERM)
    assert gh.wait_exit(15) == 0, gh.logs()[-3000:]
    assert gh.log_lines_matching("shutting down"), gh.logs()[-3000:]
