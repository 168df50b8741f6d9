"""Response-body middlewares on the data plane: compress (gzip and br, decoded by the client),
errors (a second backend serves the pages), streaming through compress with flushInterval -1,
and contentType sniffing."""
from __future__ import annotations

import gzip
import json
import os
import socket
import threading
import time
import zlib

import pytest

from support import LOOPBACK, curl, free_port, http_request, open_socket, router, service

try:
    import brotli
except ImportError:  # pragma: no cover - depends on the machine
    brotli = None


def need_brotli():
    if brotli is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the brotli module (tests/integration/requirements.txt) is missing")
        pytest.skip("the brotli module is not installed (pip install -r tests/integration/requirements.txt)")


class RawOrigin:
    """An origin on loopback whose every answer is written by `respond(conn, sent)`, one request
    per connection; `sent` collects the times the answer's pieces went out."""

    def __init__(self, respond):
        self.respond = respond
        self.sent: list[float] = []
        self.sock = socket.socket()
        self.sock.bind((LOOPBACK, 0))
        self.sock.listen(8)
        self.closed = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.sock.getsockname()[1]}"

    def _serve(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    piece = conn.recv(4096)
                    if not piece:
                        break
                    data += piece
                try:
                    self.respond(conn, self.sent)
                except OSError:
                    pass

    def close(self):
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept
        except OSError:
            pass
        self.sock.close()
        self.thread.join(timeout=5)


def server_sent_events(conn, sent, n: int = 4, interval: float = 0.4):
    """text/event-stream, chunked: `n` events `interval` seconds apart."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                 b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    for i in range(n):
        if i:
            time.sleep(interval)
        event = f"data: event {i}\n\n".encode()
        sent.append(time.monotonic())
        conn.sendall(b"%x\r\n%s\r\n" % (len(event), event))
    conn.sendall(b"0\r\n\r\n")


def untyped_html(conn, sent):
    """An HTML page with no Content-Type."""
    body = b"<!DOCTYPE html><html><body>hello</body></html>"
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))


@pytest.fixture
def env(launcher, backends):
    app, pages = backends("app"), backends("pages")
    sse = RawOrigin(server_sent_events)
    untyped = RawOrigin(untyped_html)
    gh = launcher.start({"http": {
        "routers": {
            "zip": router("Host(`zip.test`)", "app", middlewares=["compress"]),
            "zipbr": router("Host(`br.test`)", "app", middlewares=["compress-br-first"]),
            "drip": router("Host(`drip.test`)", "app-streaming", middlewares=["compress-small"]),
            "sse": router("Host(`sse.test`)", "sse", middlewares=["compress"]),
            "err": router("Host(`err.test`)", "app", middlewares=["errors"]),
            "errbad": router("Host(`errbad.test`)", "app", middlewares=["errors-unknown"]),
            "sniff": router("Host(`sniff.test`)", "app", middlewares=["sniff"]),
            "sniff-untyped": router("Host(`untyped.test`)", "untyped", middlewares=["sniff"]),
            "untyped": router("Host(`untyped-plain.test`)", "untyped"),
            "plain": router("Host(`plain.test`)", "app"),
            "slowflush": router("Host(`slowflush.test`)", "app-slow-flush"),
            "errdead": router("Host(`errdead.test`)", "dead", middlewares=["compress", "errors"]),
        },
        "middlewares": {
            "compress": {"compress": {}},
            "compress-br-first": {"compress": {"encodings": ["br", "gzip"]}},
            "compress-small": {"compress": {"minResponseBodyBytes": 1}},
            "errors": {"errors": {"status": ["500-599", "404", "418"], "service": "pages",
                                  "query": "/status/200?code={status}&was={originalStatus}",
                                  "statusRewrites": {"418": 400}}},
            "errors-unknown": {"errors": {"status": ["500"], "service": "nowhere", "query": "/"}},
            "sniff": {"contentType": {}},
        },
        "services": {
            "app": service(app.url),
            "pages": service(pages.url),
            "untyped": service(untyped.url),
            "dead": service(f"http://{LOOPBACK}:{free_port()}"),
            "sse": {"loadBalancer": {"servers": [{"url": sse.url}], "responseForwarding": {"flushInterval": "-1"}}},
            "app-streaming": {"loadBalancer": {"servers": [{"url": app.url}],
                                               "responseForwarding": {"flushInterval": "-1"}}},
            "app-slow-flush": {"loadBalancer": {"servers": [{"url": app.url}],
                                                "responseForwarding": {"flushInterval": "10s"}}},
        },
    }})
    yield gh, app, pages, sse
    sse.close()
    untyped.close()


def test_gzip_and_br_decode_to_the_backend_body(env):
    gh, app, _, _ = env
    plain = http_request(gh.web, "/bytes/100000", host="plain.test")
    assert plain.status == 200 and len(plain.body) == 100000

    z = http_request(gh.web, "/bytes/100000", host="zip.test", headers={"Accept-Encoding": "gzip"})
    assert z.status == 200
    assert z.header("Content-Encoding") == "gzip"
    assert z.header("Content-Length") is None
    assert "Accept-Encoding" in (z.header("Vary") or "")
    assert len(z.body) < 100000
    assert gzip.decompress(z.body) == plain.body

    # Default order (zstd, br, gzip): br wins over gzip at equal q; q-values win over order.
    need_brotli()
    b = http_request(gh.web, "/bytes/100000", host="zip.test", headers={"Accept-Encoding": "gzip, br"})
    assert b.header("Content-Encoding") == "br"
    assert brotli.decompress(b.body) == plain.body
    q = http_request(gh.web, "/bytes/100000", host="br.test", headers={"Accept-Encoding": "br;q=0.5, gzip"})
    assert q.header("Content-Encoding") == "gzip"
    assert gzip.decompress(q.body) == plain.body


def test_curl_compressed_and_what_is_not_compressed(env):
    gh, _, _, _ = env
    out = curl("--compressed", "-D", "-", "-H", "Host: zip.test", f"http://127.0.0.1:{gh.web}/bytes/20000?chunked=1")
    assert out.returncode == 0, out.stderr
    head, _, body = out.stdout.partition(b"\r\n\r\n")
    assert b"content-encoding: br" in head.lower()
    assert len(body) == 20000
    # Below minResponseBodyBytes (Content-Length 100), no Accept-Encoding, HEAD: sent as they came.
    small = http_request(gh.web, "/bytes/100", host="zip.test", headers={"Accept-Encoding": "gzip"})
    assert small.header("Content-Encoding") is None and len(small.body) == 100
    none = http_request(gh.web, "/bytes/5000", host="zip.test")
    assert none.header("Content-Encoding") is None and len(none.body) == 5000
    head_only = http_request(gh.web, "/bytes/5000", host="zip.test", method="HEAD", headers={"Accept-Encoding": "gzip"})
    assert head_only.header("Content-Encoding") is None and head_only.header("Content-Length") == "5000"


def _read_chunks_with_times(sock, deadline: float) -> tuple[bytes, list[tuple[float, bytes]]]:
    """Reads an HTTP/1.1 chunked response; returns the head and each chunk's payload with its
    arrival time."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += sock.recv(65536)
    head, _, buf = buf.partition(b"\r\n\r\n")
    chunks = []
    while time.monotonic() < deadline:
        while b"\r\n" not in buf:
            buf += sock.recv(65536)
        size_line, _, buf = buf.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        while len(buf) < size + 2:
            buf += sock.recv(65536)
        payload, buf = buf[:size], buf[size + 2:]
        if size == 0:
            break
        chunks.append((time.monotonic(), payload))
    return head, chunks


def _stream(port: int, host: str, path: str, accept: str) -> tuple[bytes, list[tuple[float, bytes]]]:
    sock = open_socket(port, timeout=15)
    try:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: {accept}\r\n"
                     f"Connection: close\r\n\r\n".encode())
        return _read_chunks_with_times(sock, time.monotonic() + 15)
    finally:
        sock.close()


def test_drip_streams_chunk_by_chunk_through_gzip(env):
    gh, _, _, _ = env
    head, chunks = _stream(gh.web, "drip.test", "/drip?n=4&interval=0.5", "gzip")
    assert b"content-encoding: gzip" in head.lower()
    # Each backend chunk is flushed as it comes: the first decodes well before the last is sent.
    decoder = zlib.decompressobj(16 + 15)
    seen = [(t, text) for t, text in ((t, decoder.decompress(p)) for t, p in chunks) if text]
    assert seen[0][1] == b"chunk 0\n"
    assert seen[-1][0] - seen[0][0] > 1.0
    assert b"".join(text for _, text in seen) == b"chunk 0\nchunk 1\nchunk 2\nchunk 3\n"


def test_server_sent_events_are_not_held_back(env):
    gh, _, _, sse = env
    need_brotli()
    head, chunks = _stream(gh.web, "sse.test", "/events", "br")
    assert b"content-encoding: br" in head.lower()
    decoder = brotli.Decompressor()
    seen = []
    for arrived, payload in chunks:
        text = decoder.process(payload)
        if text:
            seen.append((arrived, text))
    assert b"".join(t for _, t in seen) == b"".join(f"data: event {i}\n\n".encode() for i in range(4))
    # The first event reached the client before the backend sent the second.
    assert seen[0][1].startswith(b"data: event 0")
    assert seen[0][0] < sse.sent[1] + 0.05


def test_errors_serve_the_page_with_the_original_status(env):
    gh, app, pages, _ = env
    r = http_request(gh.web, "/status/503", host="err.test")
    assert r.status == 503
    assert r.backend == "pages"
    echo = r.json()
    assert echo["target"] == "/status/200?code=503&was=503"
    assert echo["method"] == "GET"
    assert r.echo_header("Host") == "err.test"

    rewritten = http_request(gh.web, "/status/418", host="err.test")
    assert rewritten.status == 400
    assert rewritten.json()["target"] == "/status/200?code=400&was=418"
    missing = http_request(gh.web, "/status/404", host="err.test")
    assert missing.status == 404 and missing.json()["target"] == "/status/200?code=404&was=404"

    # The proxy's own 502 for a backend that refuses connections gets the page too.
    dead = http_request(gh.web, "/x", host="errdead.test", headers={"Accept-Encoding": "gzip"})
    assert dead.status == 502 and dead.backend == "pages"
    assert dead.json()["target"] == "/status/200?code=502&was=502"

    ok = http_request(gh.web, "/status/201", host="err.test")
    assert ok.status == 201 and ok.backend == "app"
    assert app.requests_to("/status/503")

    # A page service that does not exist disables only the routers using that middleware.
    assert http_request(gh.web, "/", host="errbad.test").status == 404
    assert http_request(gh.web, "/", host="plain.test").status == 200


def test_content_type_sniffed_when_backend_sends_none(env):
    gh, _, _, _ = env
    # The backend's own type is kept.
    r = http_request(gh.web, "/bytes/64", host="sniff.test")
    assert r.header("Content-Type") == "application/octet-stream"
    # None sent: sniffed from the body with the contentType middleware, left absent without it.
    sniffed = http_request(gh.web, "/", host="untyped.test")
    assert sniffed.status == 200
    assert sniffed.header("Content-Type") == "text/html; charset=utf-8"
    assert sniffed.body.startswith(b"<!DOCTYPE html>")
    bare = http_request(gh.web, "/", host="untyped-plain.test")
    assert bare.status == 200 and bare.header("Content-Type") is None


def test_flush_interval_delays_only_small_writes_of_known_length(env):
    gh, _, _, _ = env
    # A 10 s interval: a large body of known length still flows (flushed whenever enough is
    # pending), and the end is flushed at once.
    started = time.monotonic()
    big = http_request(gh.web, "/bytes/600000", host="slowflush.test")
    assert big.status == 200 and len(big.body) == 600000
    small = http_request(gh.web, "/bytes/10", host="slowflush.test")
    assert small.status == 200 and len(small.body) == 10
    assert time.monotonic() - started < 5
    # Unknown length (chunked) is flushed after every read, as Go's ReverseProxy does.
    _, chunks = _stream(gh.web, "slowflush.test", "/drip?n=3&interval=0.5", "identity")
    assert [p for _, p in chunks] == [b"chunk 0\n", b"chunk 1\n", b"chunk 2\n"]
    assert chunks[-1][0] - chunks[0][0] > 0.8


def test_http2_compress_and_error_page(launcher, backends, certs):
    app, pages = backends("app2"), backends("pages2")
    leaf = certs.leaf("h2zip.test")
    gh = launcher.start({"http": {
        "routers": {"h2": router("Host(`h2zip.test`)", "app", tls={}, middlewares=["compress", "errors"])},
        "middlewares": {"compress": {"compress": {}},
                        "errors": {"errors": {"status": ["500-599"], "service": "pages", "query": "/page/{status}"}}},
        "services": {"app": service(app.url), "pages": service(pages.url)},
    }, "tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]}})
    port = gh.websecure
    base = ["--http2", "-k", "--resolve", f"h2zip.test:{port}:127.0.0.1", "-D", "-"]
    out = curl(*base, "--compressed", f"https://h2zip.test:{port}/bytes/300000")
    assert out.returncode == 0, out.stderr
    head, _, body = out.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/2 200")
    assert b"content-encoding: br" in head.lower()
    assert len(body) == 300000
    err = curl(*base, f"https://h2zip.test:{port}/status/502")
    head, _, body = err.stdout.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/2 502")
    assert json.loads(body)["target"] == "/page/502"
