"""Bodies: 1 GiB up and down at bounded memory, chunked and Content-Length bodies intact,
Expect: 100-continue, streamed (unbuffered) responses, backpressure."""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import threading
import time
from types import SimpleNamespace

import pytest

from support import (GiB, MiB, curl, http_request, open_socket, pattern_bytes, require_tool, router,
                     service, sha256_hex)

RSS_LIMIT_MIB = 200
BIG = 1 * GiB


class RssSampler:
    """Samples VmRSS of a process every 50 ms while a transfer runs."""

    def __init__(self, gh):
        self.gh = gh
        self.max_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.max_kib = max(self.max_kib, self.gh.rss_kib())
                self.samples += 1
            except OSError:
                pass
            self._stop.wait(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def max_mib(self) -> float:
        return self.max_kib / 1024


@pytest.fixture(scope="module")
def env(module_launcher, module_backends):
    be = module_backends("stream")
    gh = module_launcher.start({"http": {"routers": {"big": router("Host(`big.test`)", "big")},
                                         "services": {"big": service(be.url)}}}, log_level="INFO")
    return SimpleNamespace(gh=gh, be=be)


def _kill(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_upload_1gib_chunked_with_curl(env):
    curl_bin, head_bin = require_tool("curl"), require_tool("head")
    producer = subprocess.Popen([head_bin, "-c", str(BIG), "/dev/zero"], stdout=subprocess.PIPE,
                                start_new_session=True)
    client = subprocess.Popen([curl_bin, "-sS", "--max-time", "300", "-T", "-", "-H", "Host: big.test",
                               "-w", "\n%{http_code}", f"http://127.0.0.1:{env.gh.web}/count/upload"],
                              stdin=producer.stdout, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              start_new_session=True)
    producer.stdout.close()
    start = time.monotonic()
    try:
        with RssSampler(env.gh) as rss:
            out, err = client.communicate(timeout=330)
    finally:
        for p in (client, producer):
            if p.poll() is None:
                _kill(p)
    elapsed = time.monotonic() - start
    body, _, code = out.decode().rpartition("\n")
    assert code == "200", f"curl: {err.decode()} body={body[:300]}"
    echo = json.loads(body)
    assert echo["body_len"] == BIG, f"backend counted {echo['body_len']} bytes, sent {BIG}"
    assert rss.max_mib < RSS_LIMIT_MIB, f"gatehouse RSS reached {rss.max_mib:.0f} MiB during a 1 GiB upload"
    print(f"1 GiB upload: {elapsed:.1f}s ({BIG / MiB / elapsed:.0f} MiB/s), max RSS {rss.max_mib:.0f} MiB")


@pytest.mark.slow
@pytest.mark.timeout(420)
def test_download_1gib(env):
    with RssSampler(env.gh) as rss:
        start = time.monotonic()
        r = curl("-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-H", "Host: big.test",
                 f"http://127.0.0.1:{env.gh.web}/bytes/{BIG}", timeout=300)
        elapsed = time.monotonic() - start
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode().split() == ["200", str(BIG)]
    assert rss.max_mib < RSS_LIMIT_MIB, f"gatehouse RSS reached {rss.max_mib:.0f} MiB during a 1 GiB download"
    print(f"1 GiB download: {elapsed:.1f}s ({BIG / MiB / elapsed:.0f} MiB/s), max RSS {rss.max_mib:.0f} MiB")


@pytest.mark.timeout(180)
def test_slow_reader_gets_backpressure(env):
    """The client stops reading: Gatehouse must stop reading from the backend, not buffer 512 MiB."""
    size = 512 * MiB
    sock = open_socket(env.gh.web, timeout=60)
    try:
        sock.sendall(b"GET /bytes/%d HTTP/1.1\r\nHost: big.test\r\n\r\n" % size)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed before the response head: {data[:300]!r}"
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head[:300]
        got = len(rest)
        while got < MiB:
            chunk = sock.recv(65536)
            assert chunk, "connection closed early"
            got += len(chunk)
        baseline = env.gh.rss_kib() / 1024
        time.sleep(2.5)  # the backend could push the whole body to an unbounded proxy in this time
        paused = env.gh.rss_kib() / 1024
        assert paused - baseline < 100, (
            f"gatehouse RSS grew {paused - baseline:.0f} MiB ({baseline:.0f} -> {paused:.0f}) while the client "
            f"was not reading: no backpressure")
        buf = bytearray(MiB)
        while got < size:
            n = sock.recv_into(buf)
            if not n:
                break
            got += n
    finally:
        sock.close()
    assert got == size


def _random_body(n: int) -> bytes:
    return os.urandom(n)


def test_content_length_request_body_intact(env):
    body = _random_body(5 * MiB + 123)
    r = http_request(env.gh.web, "/upload", host="big.test", method="POST", body=body)
    assert r.status == 200
    echo = r.json()
    assert echo["body_len"] == len(body)
    assert echo["body_sha256"] == sha256_hex(body)


def test_chunked_request_body_intact(env):
    body = _random_body(5 * MiB + 7)
    sizes = [1, 10, 4096, 65536, 100_000, 1 << 20]
    pieces, pos, i = [], 0, 0
    while pos < len(body):
        n = sizes[i % len(sizes)]
        pieces.append(body[pos:pos + n])
        pos += n
        i += 1
    r = http_request(env.gh.web, "/upload", host="big.test", method="POST", body=pieces, encode_chunked=True)
    assert r.status == 200
    echo = r.json()
    assert echo["body_len"] == len(body)
    assert echo["body_sha256"] == sha256_hex(body)


def test_empty_post_body(env):
    r = http_request(env.gh.web, "/upload", host="big.test", method="POST", body=b"")
    assert r.status == 200 and r.json()["body_len"] == 0


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_response_body_intact(env, chunked):
    n = 8 * MiB + 5
    r = http_request(env.gh.web, f"/bytes/{n}" + ("?chunked=1" if chunked else ""), host="big.test", timeout=60)
    assert r.status == 200
    assert len(r.body) == n
    assert sha256_hex(r.body) == sha256_hex(pattern_bytes(n))


def test_head_request_has_no_body(env):
    r = http_request(env.gh.web, "/bytes/1000", host="big.test", method="HEAD", timeout=10)
    assert r.status == 200
    assert r.header("Content-Length") == "1000"
    assert r.body == b""
    r = http_request(env.gh.web, "/", host="big.test")  # the connection pool is still healthy
    assert r.status == 200


def test_expect_100_continue_with_curl(env, tmp_path):
    f = tmp_path / "body.bin"
    body = _random_body(2 * MiB)
    f.write_bytes(body)
    r = curl("-v", "-H", "Host: big.test", "-H", "Expect: 100-continue", "--data-binary", f"@{f}",
             "-H", "Content-Type: application/octet-stream", f"http://127.0.0.1:{env.gh.web}/upload", timeout=30)
    assert r.returncode == 0, r.stderr.decode()
    verbose = r.stderr.decode(errors="replace")
    assert "HTTP/1.1 100 Continue" in verbose, f"no interim 100 Continue reached curl:\n{verbose[-2000:]}"
    echo = json.loads(r.stdout)
    assert echo["body_len"] == len(body)
    assert echo["body_sha256"] == sha256_hex(body)


def test_streamed_response_is_not_buffered(env):
    conn = http.client.HTTPConnection("127.0.0.1", env.gh.web, timeout=15)
    try:
        start = time.monotonic()
        conn.request("GET", "/drip?n=3&interval=1", headers={"Host": "big.test"})
        resp = conn.getresponse()
        assert resp.status == 200
        first = resp.read1(100)
        first_at = time.monotonic() - start
        rest = resp.read()
        total = time.monotonic() - start
    finally:
        conn.close()
    assert first.startswith(b"chunk 0"), first
    assert first_at < 0.9, f"first chunk arrived after {first_at:.2f}s: the response was buffered"
    assert (first + rest) == b"chunk 0\nchunk 1\nchunk 2\n"
    assert total >= 1.8
