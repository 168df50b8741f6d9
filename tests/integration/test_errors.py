"""Error answers: 404, 502, 504, 400 (malformed and smuggling-shaped requests), 431."""
from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from support import free_port, http_request, raw_exchange, router, service, status_of


@pytest.fixture(scope="module")
def env(module_launcher, module_backends):
    ok = module_backends("ok")
    smuggle = module_backends("smuggle")
    flaky = module_backends("flaky")
    slow = module_backends("slow")
    dead_port = free_port()  # nothing listens there
    # web has a small header limit (http.maxHeaderBytes); roomy keeps Traefik's default of 1 MiB.
    gh = module_launcher.start(entrypoints={"web": {"http": {"maxHeaderBytes": 65536}}, "roomy": {}}, dynamic={"http": {
        "routers": {
            "ok": router("Host(`ok.test`)", "ok", entry_points=["web", "roomy"]),
            "smuggle": router("Host(`smuggle.test`)", "smuggle"),
            "refused": router("Host(`refused.test`)", "refused"),
            "flaky": router("Host(`flaky.test`)", "flaky"),
            "slow": router("Host(`slow.test`)", "slow"),
        },
        "services": {
            "ok": service(ok.url),
            "smuggle": service(smuggle.url),
            "refused": service(f"http://127.0.0.1:{dead_port}"),
            "flaky": service(flaky.url),
            "slow": service(slow.url, servers_transport="short"),
        },
        "serversTransports": {"short": {"forwardingTimeouts": {"responseHeaderTimeout": "1s"}}},
    }})
    return SimpleNamespace(gh=gh, ok=ok, smuggle=smuggle, flaky=flaky, slow=slow)


def test_no_router_is_404(env):
    r = http_request(env.gh.web, "/", host="nobody.test")
    assert r.status == 404
    assert r.body == b"404 page not found\n"


def test_backend_refusing_is_502(env):
    r = http_request(env.gh.web, "/", host="refused.test")
    assert r.status == 502, r


@pytest.mark.parametrize("path", ["/reset", "/close"])
def test_backend_reset_or_close_without_answer_is_502(env, path):
    r = http_request(env.gh.web, path, host="flaky.test")
    assert r.status == 502, r
    # the same service still answers afterwards
    r = http_request(env.gh.web, "/fine", host="flaky.test")
    assert (r.status, r.backend) == (200, "flaky")


def test_backend_error_statuses_pass_through(env):
    for code in (404, 500, 503):
        r = http_request(env.gh.web, f"/status/{code}", host="ok.test")
        assert r.status == code
        assert r.backend == "ok", f"{code} was not the backend's own answer: {r}"


def test_response_header_timeout_is_504(env):
    r = http_request(env.gh.web, "/?sleep=4", host="slow.test", timeout=20)
    assert r.status == 504, r
    assert 0.8 <= r.elapsed <= 3.0, f"504 after {r.elapsed:.2f}s with responseHeaderTimeout 1s"
    r = http_request(env.gh.web, "/?sleep=0.1", host="slow.test")
    assert (r.status, r.backend) == (200, "slow")


@pytest.mark.parametrize("raw", [
    b"this is not an http request at all\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: ok.test\r\nNoColonHere\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: ok.test\r\nBad Name: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: ok.test\r\nContent-Length: abc\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: ok.test\r\nContent-Length: -5\r\n\r\n",
    b"GET / HTTP/1.1\r\nUser-Agent: no-host\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: ok.test\r\nHost: smuggle.test\r\n\r\n",
], ids=["garbage", "no-colon", "space-in-name", "cl-not-a-number", "cl-negative", "no-host", "two-hosts"])
def test_malformed_request_is_400(env, raw):
    data, how = raw_exchange(env.gh.web, raw, timeout=10)
    assert status_of(data) == 400, f"answer: {data[:300]!r} ({how})"


def smuggling_attempt(env, head: bytes, body: bytes):
    env.smuggle.reset_stats()
    data, how = raw_exchange(env.gh.web, head + body, timeout=10)
    assert status_of(data) == 400, f"answer: {data[:300]!r} ({how})"
    assert data.count(b"HTTP/1.1 ") == 1, f"more than one answer: {data!r}"
    assert how in ("eof", "reset"), "the connection was left open after a smuggling-shaped request"
    time.sleep(0.3)
    assert env.smuggle.requests == [], f"backend received {[r.target for r in env.smuggle.requests]}"


def test_content_length_with_chunked_is_400_and_closed(env):
    body = b"0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: smuggle.test\r\n\r\n"
    head = (b"POST /front HTTP/1.1\r\nHost: smuggle.test\r\nContent-Length: %d\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" % len(body))
    smuggling_attempt(env, head, body)


def test_two_different_content_lengths_is_400_and_closed(env):
    body = b"hello world!GET /smuggled HTTP/1.1\r\nHost: smuggle.test\r\n\r\n"
    head = b"POST /front HTTP/1.1\r\nHost: smuggle.test\r\nContent-Length: 12\r\nContent-Length: 5\r\n\r\n"
    smuggling_attempt(env, head, body)


def test_oversized_header_is_431(env):
    env.ok.reset_stats()
    raw = b"GET / HTTP/1.1\r\nHost: ok.test\r\nX-Big: " + b"a" * (100 * 1024) + b"\r\n\r\n"
    data, how = raw_exchange(env.gh.web, raw, timeout=10)
    assert status_of(data) == 431, f"answer: {data[:300]!r} ({how})"
    assert env.ok.requests == []


def test_many_headers_over_limit_is_431(env):
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 1000) for i in range(120))
    data, how = raw_exchange(env.gh.web, b"GET / HTTP/1.1\r\nHost: ok.test\r\n" + headers + b"\r\n", timeout=10)
    assert status_of(data) == 431, f"answer: {data[:300]!r} ({how})"


def test_large_header_under_limit_is_accepted(env):
    r = http_request(env.gh.web, "/", host="ok.test", headers={"X-Big": "b" * (32 * 1024)})
    assert r.status == 200, r
    assert r.echo_header("X-Big") == "b" * (32 * 1024)


def test_default_header_limit_is_traefiks_one_mebibyte(env):
    # 200 KiB of headers pass where no maxHeaderBytes is set (in five, as the test backend takes
    # lines of at most 64 KiB); the same headers are refused on web (64 KiB).
    big = {f"X-Big-{i}": str(i) * (40 * 1024) for i in range(5)}
    r = http_request(env.gh.ports["roomy"], "/", host="ok.test", headers=big)
    assert r.status == 200, r
    assert all(r.echo_header(name) == value for name, value in big.items())
    raw = (b"GET / HTTP/1.1\r\nHost: ok.test\r\n"
           + b"".join(f"{name}: {value}\r\n".encode() for name, value in big.items()) + b"\r\n")
    data, how = raw_exchange(env.gh.web, raw, timeout=10)
    assert status_of(data) == 431, f"answer: {data[:300]!r} ({how})"


def test_proxy_keeps_serving_after_errors(env):
    r = http_request(env.gh.web, "/", host="ok.test")
    assert (r.status, r.backend) == (200, "ok")
    assert env.gh.alive()
