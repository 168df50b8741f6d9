"""Process and connection lifecycle: timeouts, graceful shutdown, configuration errors, defaults."""
from __future__ import annotations

import errno
import http.client
import re
import signal
import socket
import threading
import time

import pytest

from support import (free_port, http_request, open_socket, port_accepts, router,
                     served_certificate, service, status_of, wait_closed, wait_until)


def simple_dynamic(be, host="life.test"):
    return {"http": {"routers": {"app": router(f"Host(`{host}`)", "app")},
                     "services": {"app": service(be.url)}}}


# ---------------------------------------------------------------------------------------------
# timeouts
# ---------------------------------------------------------------------------------------------

def test_slow_request_line_is_cut_after_read_timeout(launcher, backends):
    be = backends("life")
    transport = {"transport": {"respondingTimeouts": {"readTimeout": "2s", "idleTimeout": "30s"}}}
    gh = launcher.start(simple_dynamic(be), entrypoints={"web": transport})
    sock = open_socket(gh.web)
    try:
        sock.sendall(b"GET /slo")
        waited, data, how = wait_closed(sock, timeout=10)
    finally:
        sock.close()
    assert how != "timeout", "a half request line kept the connection open for 10 s (readTimeout 2s)"
    assert 1.5 <= waited <= 4.5, f"closed after {waited:.2f}s with readTimeout 2s"
    assert data == b"" or status_of(data) in (400, 408), data[:200]
    assert be.requests == []


def test_silent_connection_is_cut_after_read_timeout(launcher, backends):
    be = backends("life")
    transport = {"transport": {"respondingTimeouts": {"readTimeout": "2s", "idleTimeout": "30s"}}}
    gh = launcher.start(simple_dynamic(be), entrypoints={"web": transport})
    sock = open_socket(gh.web)
    try:
        waited, data, how = wait_closed(sock, timeout=10)
    finally:
        sock.close()
    assert how != "timeout", "a connection that sent nothing stayed open for 10 s (readTimeout 2s)"
    assert waited <= 4.5, f"closed after {waited:.2f}s with readTimeout 2s"


def test_idle_keepalive_connection_closed_after_idle_timeout(launcher, backends):
    be = backends("life")
    transport = {"transport": {"respondingTimeouts": {"readTimeout": "5s", "idleTimeout": "3s"}}}
    gh = launcher.start(simple_dynamic(be), entrypoints={"web": transport})
    sock = open_socket(gh.web)
    try:
        sock.sendall(b"GET /one HTTP/1.1\r\nHost: life.test\r\n\r\n")
        data = b""
        while b"}" not in data:  # the backend's JSON body ends with }
            chunk = sock.recv(65536)
            assert chunk, f"closed before the answer: {data!r}"
            data += chunk
        assert status_of(data) == 200, data[:200]
        waited, extra, how = wait_closed(sock, timeout=15)
    finally:
        sock.close()
    assert how != "timeout", "idle keep-alive connection was never closed (idleTimeout 3s)"
    assert 2.0 <= waited <= 4.5, f"idle connection closed after {waited:.2f}s with idleTimeout 3s"


def test_keepalive_connection_survives_short_pauses(launcher, backends):
    be = backends("life")
    transport = {"transport": {"respondingTimeouts": {"readTimeout": "5s", "idleTimeout": "3s"}}}
    gh = launcher.start(simple_dynamic(be), entrypoints={"web": transport})
    conn = http.client.HTTPConnection("127.0.0.1", gh.web, timeout=10)
    local_ports = set()
    try:
        for i in range(3):
            conn.request("GET", f"/pause/{i}", headers={"Host": "life.test"})
            local_ports.add(conn.sock.getsockname()[1])
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200
            time.sleep(1.0)
    finally:
        conn.close()
    assert len(local_ports) == 1, "the client connection was not kept alive across 1 s pauses"


# ---------------------------------------------------------------------------------------------
# graceful shutdown
# ---------------------------------------------------------------------------------------------

def test_graceful_shutdown_finishes_in_flight_request(launcher, backends):
    be = backends("slow")
    gh = launcher.start(simple_dynamic(be),
                        entrypoints={"web": {"transport": {"lifeCycle": {"graceTimeOut": "5s"}}},
                                     "websecure": {"transport": {"lifeCycle": {"graceTimeOut": "5s"}}}})
    result = {}

    def in_flight():
        try:
            result["response"] = http_request(gh.web, "/work?sleep=2", host="life.test", timeout=20)
        except Exception as e:  # noqa: BLE001 - reported below
            result["error"] = e

    t = threading.Thread(target=in_flight)
    t.start()
    assert be.wait_for_request("/work", timeout=10), "the request never reached the backend"
    sent_at = time.monotonic()
    gh.send_signal(signal.SIGTERM)
    refused = wait_until(lambda: not port_accepts(gh.web, timeout=0.2), timeout=1.5)
    assert refused, "new connections still accepted 1.5 s after SIGTERM"
    t.join(timeout=20)
    assert "error" not in result, f"in-flight request failed during shutdown: {result.get('error')!r}"
    r = result["response"]
    assert (r.status, r.backend) == (200, "slow"), r
    code = gh.wait_exit(timeout=max(0.5, 5 + 3 - (time.monotonic() - sent_at)))
    assert code is not None, "gatehouse still running after graceTimeOut 5s"
    assert code == 0, f"gatehouse exited {code} after SIGTERM"


def test_sigterm_with_no_traffic_exits_promptly(launcher, backends):
    be = backends("idle")
    gh = launcher.start(simple_dynamic(be))
    gh.send_signal(signal.SIGTERM)
    code = gh.wait_exit(timeout=5)
    assert code == 0, f"exit code {code} (None = still running 5 s after SIGTERM)"


# ---------------------------------------------------------------------------------------------
# configuration errors
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("static_text,key_path,suggestion", [
    ("entryPoints:\n  web:\n    adress: \"127.0.0.1:{port}\"\n", r"entry[Pp]oints\.web\.adress", "address"),
    ("entryPoints:\n  web:\n    address: \"127.0.0.1:{port}\"\nprovider:\n  file:\n    filename: dyn.yml\n",
     r"provider\b", "providers"),
    ("entryPoints:\n  web:\n    address: \"127.0.0.1:{port}\"\n    transport:\n      respondingTimeouts:\n"
     "        readTimeOutt: 5s\n", r"respondingTimeouts\.readTimeOutt", "readTimeout"),
], ids=["entrypoint-address", "top-level", "nested"])
def test_unknown_static_key_is_fatal_with_location_and_suggestion(launcher, static_text, key_path, suggestion):
    port = free_port()
    gh = launcher.start_raw(static_text.format(port=port), {"web": port}, wait=False, label="badkey")
    code = gh.wait_exit(timeout=15)
    assert code is not None, "gatehouse kept running with an unknown static key"
    assert code != 0
    err = gh.logs() + gh.stdout()
    assert str(gh.static_path) in err or gh.static_path.name in err, f"file not named:\n{err[-2000:]}"
    assert re.search(key_path, err, re.I), f"key path /{key_path}/ not named:\n{err[-2000:]}"
    assert suggestion in err, f"no suggestion {suggestion!r}:\n{err[-2000:]}"


def test_router_with_bad_rule_is_disabled_others_serve(launcher, backends):
    be = backends("good")
    gh = launcher.start({"http": {
        "routers": {"good": router("Host(`good.test`)", "app"),
                    "broken-rule": router("Host(`bad.test`", "app"),
                    "unknown-matcher": router("Hots(`typo.test`)", "app")},
        "services": {"app": service(be.url)}}})
    r = http_request(gh.web, "/", host="good.test")
    assert (r.status, r.backend) == (200, "good")
    assert http_request(gh.web, "/", host="bad.test").status == 404
    assert http_request(gh.web, "/", host="typo.test").status == 404
    for name in ("broken-rule", "unknown-matcher"):
        lines = gh.log_lines_matching(name)
        assert lines, f"no log line names the router {name!r}:\n{gh.logs()[-2000:]}"
        assert any(re.search(r"error", ln, re.I) for ln in lines), f"no error logged for {name}: {lines}"


# ---------------------------------------------------------------------------------------------
# built-in defaults
# ---------------------------------------------------------------------------------------------

def _bindable(port: int) -> bool:
    for family, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((addr, port))
        except OSError as e:
            if family == socket.AF_INET6 and e.errno in (errno.EAFNOSUPPORT, errno.EADDRNOTAVAIL):
                continue
            return False
        finally:
            s.close()
    return True


def test_builtin_defaults_serve_404_on_port_80(launcher, tmp_path):
    if not (_bindable(80) and _bindable(443)):
        pytest.skip(":80 or :443 is busy (or not bindable by this user)")
    data_dir = tmp_path / "data"
    gh = launcher.start_raw("", {"web": 80, "websecure": 443}, wait=False, label="defaults",
                            args=["serve", "--data-dir", str(data_dir)])
    gh.wait_ready()
    r = http_request(80, "/", host="anything.test")
    assert r.status == 404
    assert r.body == b"404 page not found\n"
    c = served_certificate(443, "anything.test")
    assert "Gatehouse default certificate" in c.subject


# ---------------------------------------------------------------------------------------------
# memory only start-up needed
# ---------------------------------------------------------------------------------------------

def test_startup_memory_is_given_back_and_serving_goes_on(launcher, backends):
    be = backends("life")
    gh = launcher.start(simple_dynamic(be))
    line = gh.wait_for_log("start-up memory released", timeout=10)[0]
    m = re.search(r"fileKiB=(\d+) → (\d+)", line)
    assert m, line
    before, after = int(m.group(1)), int(m.group(2))
    assert after < before * 0.75, f"file-backed RSS {before} → {after} KiB"
    # The code serving needs comes back on use: requests, TLS and HTTP/2 still work.
    for _ in range(20):
        assert http_request(gh.web, "/x", host="life.test").status == 200
    assert served_certificate(gh.websecure, "life.test").subject
    assert gh.alive()


def test_startup_memory_is_kept_when_turned_off(launcher, backends):
    be = backends("life")
    gh = launcher.start(simple_dynamic(be), env={"GATEHOUSE_RELEASE_STARTUP_MEMORY": "false"})
    gh.wait_for_log("start-up memory kept", timeout=10)
    assert not gh.log_lines_matching("start-up memory released")
    assert http_request(gh.web, "/x", host="life.test").status == 200
