"""Connection reuse: pooled keep-alive connections to backends, client keep-alive and Connection: close."""
from __future__ import annotations

import http.client
import os
import threading
from types import SimpleNamespace

import pytest

from support import http_request, raw_exchange, router, service, status_of


@pytest.fixture
def env(launcher, backends):
    be = backends("pooled")
    gh = launcher.start({"http": {"routers": {"app": router("Host(`pool.test`)", "app")},
                                  "services": {"app": service(be.url)}}})
    return SimpleNamespace(gh=gh, be=be)


def test_sequential_requests_reuse_backend_connections(env):
    conn = http.client.HTTPConnection("127.0.0.1", env.gh.web, timeout=15)
    local_ports = set()
    try:
        for i in range(50):
            conn.request("GET", f"/seq/{i}", headers={"Host": "pool.test"})
            local_ports.add(conn.sock.getsockname()[1])
            resp = conn.getresponse()
            resp.read()
            assert resp.status == 200
    finally:
        conn.close()
    assert len(local_ports) == 1, "the client connection itself was not kept alive"
    assert len(env.be.requests) == 50
    assert env.be.connections <= 2, f"backend saw {env.be.connections} TCP connections for 50 requests"


def test_separate_client_connections_share_the_pool(env):
    for i in range(20):
        assert http_request(env.gh.web, f"/fresh/{i}", host="pool.test").status == 200
    # one pool per event loop is fine: at most one connection per core
    limit = max(2, os.cpu_count() or 2)
    assert env.be.connections <= limit, f"backend saw {env.be.connections} TCP connections for 20 sequential requests"


def test_concurrent_clients_are_all_served(env):
    errors, statuses = [], []

    def worker(k):
        try:
            for i in range(10):
                statuses.append(http_request(env.gh.web, f"/c/{k}/{i}", host="pool.test").status)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors[:3]
    assert statuses == [200] * 80
    assert env.be.connections <= 8 + max(2, os.cpu_count() or 2)


def test_client_connection_close_is_honoured(env):
    raw, how = raw_exchange(env.gh.web, b"GET /bye HTTP/1.1\r\nHost: pool.test\r\nConnection: close\r\n\r\n",
                            timeout=10)
    assert status_of(raw) == 200, raw[:200]
    assert how == "eof", f"connection not closed after Connection: close ({how})"


def test_pipelined_requests_answered_in_order(env):
    req = b"".join(b"GET /pipe/%d HTTP/1.1\r\nHost: pool.test\r\n\r\n" % i for i in range(3))
    raw, _ = raw_exchange(env.gh.web, req + b"GET /pipe/last HTTP/1.1\r\nHost: pool.test\r\nConnection: close\r\n\r\n",
                          timeout=15)
    assert raw.count(b"HTTP/1.1 200") == 4, raw[:500]
    order = [raw.find(b'"/pipe/%s"' % s) for s in (b"0", b"1", b"2", b"last")]
    assert all(p >= 0 for p in order) and order == sorted(order), order
