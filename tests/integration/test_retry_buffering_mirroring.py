"""Request-side middlewares and services: retry (a dead server and a resetting one skipped, bodies
replayed within their bound), buffering (413 by Content-Length and by chunked count, the request
forwarded only once its body is whole, retryExpression on a status), and mirroring (each mirror
gets its share of the requests with their bodies; a mirror that is down changes nothing)."""
from __future__ import annotations

import hashlib
import http.client
import json
import socket
import struct
import threading
import time

from support import (LOOPBACK, WSClient, curl, free_port, http_request, open_socket, pattern_bytes, router, service, status_of,
                     wait_until)


class Resetter:
    """A backend that reads each request (head and Content-Length body) and resets the connection."""

    def __init__(self):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self.requests = 0
        self.lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._loop, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def _loop(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        data = b""
        try:
            conn.settimeout(5)
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(rest) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                rest += chunk
            with self.lock:
                self.requests += 1
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._closed = True
        self._sock.close()



class Forgetful:
    """A keep-alive backend that answers the first request on each connection and closes the
    connection, unanswered, when a second one comes on it: to the proxy, a stale pooled connection."""

    def __init__(self):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((LOOPBACK, 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self.lock = threading.Lock()
        self.connections = 0
        self.dropped = 0
        self.bodies: list[str] = []
        threading.Thread(target=self._loop, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_request(rfile) -> bytes | None:
        length = 0
        line = rfile.readline()
        if not line:
            return None
        while True:
            header = rfile.readline()
            if header in (b"\r\n", b""):
                break
            name, _, value = header.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        return rfile.read(length)

    def _serve(self, conn: socket.socket) -> None:
        rfile = conn.makefile("rb")
        try:
            body = self._read_request(rfile)
            if body is None:
                return
            with self.lock:
                self.bodies.append(sha(body))
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            if self._read_request(rfile) is not None:
                with self.lock:
                    self.dropped += 1
        except OSError:
            pass
        finally:
            rfile.close()
            conn.close()

    def close(self) -> None:
        self._sock.close()

def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_retry_skips_a_dead_server_and_a_resetting_one(launcher, backends):
    live = backends("live")
    dead = f"http://{LOOPBACK}:{free_port()}"
    resetter = Resetter()
    try:
        gh = launcher.start({"http": {
            "routers": {
                "retried": router("Host(`retry.test`)", "pair", middlewares=["retry"]),
                "plain": router("Host(`plain.test`)", "pair"),
                "reset": router("Host(`reset.test`)", "resetting", middlewares=["retry"]),
                "reset-all": router("Host(`reset-all.test`)", "live-only", middlewares=["retry3"]),
            },
            "middlewares": {
                "retry": {"retry": {"attempts": 2}},
                "retry3": {"retry": {"attempts": 3, "initialInterval": "20ms"}},
            },
            "services": {
                "pair": service(dead, live.url),
                "resetting": service(resetter.url, live.url),
                "live-only": service(live.url),
            },
        }})
        # /reset on the live backend: every attempt resets; attempts in all, then 502. (First, while
        # no pooled connection exists: a reused one would add the stale-connection retry.)
        r = http_request(gh.web, "/reset", host="reset-all.test")
        assert r.status == 502
        assert len(live.requests_to("/reset")) == 3

        # Without retry, the dead server answers 502 for its share; with it, nothing fails.
        plain = [http_request(gh.web, "/p", host="plain.test").status for _ in range(6)]
        assert plain.count(502) == 3 and plain.count(200) == 3, plain
        retried = [http_request(gh.web, "/r", host="retry.test") for _ in range(20)]
        assert [r.status for r in retried] == [200] * 20
        assert all(r.backend == "live" for r in retried)

        # WebSocket upgrades are retried until the 101: every handshake lands on the live server.
        for _ in range(4):
            ws = WSClient(gh.web, "retry.test")
            ws.send_text("hello")
            assert ws.recv() == (1, b"hello")
            ws.close()

        # A connection reset after the request was sent: the body (within 64 KiB) is sent again.
        body = bytes(range(256)) * 80  # 20 KiB
        for _ in range(8):
            r = http_request(gh.web, "/upload", host="reset.test", method="POST", body=body)
            assert r.status == 200, r
            assert r.json()["body_sha256"] == sha(body)
        assert resetter.requests >= 3, "the resetting server was tried and skipped"

        # A body past the replay bound is not sent again: the resetting server's share fails.
        before = resetter.requests
        big = bytes(range(256)) * 400  # 100 KiB
        statuses = [http_request(gh.web, "/upload", host="reset.test", method="POST", body=big).status for _ in range(4)]
        assert statuses.count(502) == resetter.requests - before >= 1, statuses
        assert statuses.count(200) == 4 - statuses.count(502)

    finally:
        resetter.close()


def test_buffering_limits_and_whole_bodies(launcher, backends):
    be = backends("be")
    gh = launcher.start({"http": {
        "routers": {
            "buf": router("Host(`buf.test`)", "svc", middlewares=["limit"]),
            "resp": router("Host(`resp.test`)", "svc", middlewares=["small-responses"]),
        },
        "middlewares": {
            "limit": {"buffering": {"maxRequestBodyBytes": 10000}},
            "small-responses": {"buffering": {"maxResponseBodyBytes": 1000}},
        },
        "services": {"svc": service(be.url)},
    }})
    # Content-Length over the limit: 413 at once, without the body being sent or read.
    sock = open_socket(gh.web, timeout=5)
    try:
        sock.sendall(b"POST /too-big HTTP/1.1\r\nHost: buf.test\r\nContent-Length: 50000000\r\n\r\n")
        sock.settimeout(3)
        head = sock.recv(4096)
    finally:
        sock.close()
    assert status_of(head) == 413, head
    assert be.requests_to("/too-big") == []

    # Chunked: 413 once the count passes the limit.
    r = http_request(gh.web, "/chunked-big", host="buf.test", method="POST",
                     body=[b"x" * 4000] * 3, encode_chunked=True)
    assert r.status == 413
    assert be.requests_to("/chunked-big") == []
    r = http_request(gh.web, "/chunked-ok", host="buf.test", method="POST",
                     body=[b"y" * 4000, b"z" * 4000], encode_chunked=True)
    assert r.status == 200
    assert r.json()["body_sha256"] == sha(b"y" * 4000 + b"z" * 4000)

    # The request is forwarded only when its body has been read whole.
    sock = open_socket(gh.web, timeout=5)
    try:
        sock.sendall(b"POST /slow HTTP/1.1\r\nHost: buf.test\r\nContent-Length: 2000\r\n\r\n" + b"a" * 1000)
        time.sleep(0.5)
        assert be.requests_to("/slow") == [], "forwarded before the body was whole"
        sock.sendall(b"a" * 1000)
        sock.settimeout(5)
        reply = b""
        while b"body_sha256" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    finally:
        sock.close()
    assert status_of(reply) == 200
    assert be.requests_to("/slow")[0].body_len == 2000

    # maxResponseBodyBytes: a response announced larger gets 500, a smaller one passes.
    assert http_request(gh.web, "/bytes/5000", host="resp.test").status == 500
    small = http_request(gh.web, "/bytes/800", host="resp.test")
    assert small.status == 200 and len(small.body) == 800
    # Of unannounced length: held whole and sent with its length, or 500 once past the limit,
    # without waiting for the rest of a long stream (1000 chunks 10 ms apart).
    assert http_request(gh.web, "/bytes/5000?chunked=1", host="resp.test").status == 500
    small = http_request(gh.web, "/bytes/800?chunked=1", host="resp.test")
    assert small.status == 200 and small.body == pattern_bytes(800)
    assert small.header("content-length") == "800" and small.header("transfer-encoding") is None
    started = time.monotonic()
    assert http_request(gh.web, "/drip?n=1000&interval=0.01", host="resp.test").status == 500
    assert time.monotonic() - started < 6

def test_buffering_retry_expression_on_a_status(launcher, backends):
    a = backends("a")
    b = backends("b")
    gh = launcher.start({"http": {
        "routers": {
            "again": router("Host(`again.test`)", "split", middlewares=["again"]),
            "once": router("Host(`once.test`)", "split"),
        },
        "middlewares": {"again": {"buffering": {"retryExpression": "ResponseCode() == 503 && Attempts() < 3"}}},
        # Server a answers /status/503 to every request (its URL adds the /status prefix).
        "services": {"split": service(a.url + "/status", b.url)},
    }})
    once = [http_request(gh.web, "/503", host="once.test").status for _ in range(4)]
    assert sorted(once) == [200, 200, 503, 503]
    again = [http_request(gh.web, "/503", host="again.test") for _ in range(6)]
    assert [r.status for r in again] == [200] * 6
    assert all(r.backend == "b" for r in again)
    assert len(a.requests_to("/status/503")) >= 5


def test_mirroring_copies_a_share_with_bodies(launcher, backends):
    main = backends("main")
    mirror = backends("mirror")
    nested_mirror = backends("nested-mirror")
    down = f"http://{LOOPBACK}:{free_port()}"
    gh = launcher.start({"http": {
        "routers": {
            "m": router("Host(`m.test`)", "mirrored"),
            "d": router("Host(`d.test`)", "to-down"),
            "n": router("Host(`n.test`)", "outer"),
        },
        "services": {
            "main": service(main.url),
            "mirror": service(mirror.url),
            "down": service(down),
            "mirrored": {"mirroring": {"service": "main", "maxBodySize": 4096,
                                       "mirrors": [{"name": "mirror", "percent": 50}]}},
            "to-down": {"mirroring": {"service": "main", "mirrors": [{"name": "down", "percent": 100}]}},
            "nested-mirror": service(nested_mirror.url),
            "inner": {"mirroring": {"service": "main", "mirrors": [{"name": "nested-mirror", "percent": 100}]}},
            "outer": {"weighted": {"services": [{"name": "inner", "weight": 1}]}},
        },
    }})
    bodies = [bytes([i]) * (1000 + i) for i in range(20)]
    for i, body in enumerate(bodies):
        r = http_request(gh.web, f"/copy/{i}", host="m.test", method="POST", body=body)
        assert r.status == 200 and r.backend == "main"
        assert r.json()["body_sha256"] == sha(body)
    assert wait_until(lambda: len(mirror.requests_to("/copy/")) >= 10, 5)
    time.sleep(0.3)
    copies = mirror.requests_to("/copy/")
    assert len(copies) == 10, [c.target for c in copies]
    # Traefik's counter: requests 1, 3, 5… (0-based 0, 2, 4…), each with its own body.
    assert sorted(int(c.target.rsplit("/", 1)[1]) for c in copies) == list(range(0, 20, 2))
    for c in copies:
        assert c.body_sha256 == sha(bodies[int(c.target.rsplit("/", 1)[1])])
    assert len(main.requests_to("/copy/")) == 20

    # A body over maxBodySize is not mirrored, whatever the counter says.
    for i in range(4):
        r = http_request(gh.web, f"/large/{i}", host="m.test", method="POST", body=b"L" * 5000)
        assert r.status == 200
    time.sleep(0.5)
    assert mirror.requests_to("/large/") == []

    # A mirror that is down: the main exchange is unaffected, and not slowed.
    start = time.monotonic()
    results = [http_request(gh.web, f"/main-only/{i}", host="d.test", method="POST", body=b"q" * 100) for i in range(10)]
    assert [r.status for r in results] == [200] * 10
    assert time.monotonic() - start < 5
    assert len(main.requests_to("/main-only/")) == 10

    # A mirroring service inside a weighted one mirrors too.
    for i in range(3):
        assert http_request(gh.web, f"/nested/{i}", host="n.test").status == 200
    assert wait_until(lambda: len(nested_mirror.requests_to("/nested/")) == 3, 5)


def test_retry_and_buffering_over_http2(launcher, backends, certs, tmp_path):
    live = backends("live")
    dead = f"http://{LOOPBACK}:{free_port()}"
    leaf = certs.leaf("h2r.test")
    gh = launcher.start({
        "http": {
            "routers": {"h2": router("Host(`h2r.test`)", "pair", tls={}, middlewares=["retry", "limit"])},
            "middlewares": {"retry": {"retry": {"attempts": 2}}, "limit": {"buffering": {"maxRequestBodyBytes": 10000}}},
            "services": {"pair": service(dead, live.url)},
        },
        "tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]},
    })
    port = gh.websecure
    small = tmp_path / "small.bin"
    small.write_bytes(b"s" * 5000)
    large = tmp_path / "large.bin"
    large.write_bytes(b"l" * 20000)

    def post(path: str, body) -> tuple[int, str, str]:
        r = curl("--http2", "-k", "--resolve", f"h2r.test:{port}:127.0.0.1", "--data-binary", f"@{body}",
                 "-w", "\n%{http_code} %{http_version}", f"https://h2r.test:{port}{path}")
        assert r.returncode == 0, r.stderr.decode()
        text, _, tail = r.stdout.decode(errors="replace").rpartition("\n")
        status, version = tail.split(" ")
        return int(status), version, text

    for i in range(4):
        status, version, text = post(f"/h2/{i}", small)
        assert (status, version) == (200, "2")
        assert json.loads(text)["body_sha256"] == sha(b"s" * 5000)
    status, version, _ = post("/h2/large", large)
    assert (status, version) == (413, "2")
    assert live.requests_to("/h2/large") == []


def test_stale_pooled_connection_is_retried_with_its_body(launcher):
    forgetful = Forgetful()
    try:
        gh = launcher.start({"http": {
            "routers": {"stale": router("Host(`stale.test`)", "forgetful")},
            "services": {"forgetful": service(forgetful.url)},
        }})
        bodies = [bytes([65 + i]) * (2000 + i) for i in range(4)]
        # One client connection: its requests run on one event loop, whose pool holds the backend
        # connection between them.
        client = http.client.HTTPConnection(LOOPBACK, gh.web, timeout=10)
        try:
            for body in bodies:
                client.request("POST", "/stale", body=body, headers={"Host": "stale.test"})
                r = client.getresponse()
                assert (r.status, r.read()) == (200, b"ok")
        finally:
            client.close()
        # Every request after the first met a pooled connection the backend had given up: each was
        # sent again, body and all, on a fresh one; none failed.
        assert forgetful.bodies == [sha(b) for b in bodies]
        assert wait_until(lambda: forgetful.dropped == len(bodies) - 1, 2), forgetful.dropped
        assert forgetful.connections == len(bodies)
    finally:
        forgetful.close()
