"""Load balancing: active and passive health checks under load (a server killed and brought back),
sticky sessions by cookie, weighted and failover services."""
from __future__ import annotations

import http.client
import re
import threading
import time

from support import LOOPBACK, Backend, http_request, router, service, wait_until

HEALTH_INTERVAL = 0.5
FAILURE_WINDOW = 2.0


def lb(*urls: str, **extra) -> dict:
    return {"loadBalancer": {"servers": [{"url": u} for u in urls], **extra}}


class Load:
    """Keep-alive clients in threads, bounded in time, recording (time, backend or error) per request."""

    def __init__(self, port: int, host: str, threads: int = 2, seconds: float = 20):
        self.port, self.host, self.seconds = port, host, seconds
        self.results: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=self.seconds + 10)

    def _run(self) -> None:
        deadline = time.monotonic() + self.seconds
        conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=5)
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                conn.request("GET", "/work", headers={"Host": self.host})
                resp = conn.getresponse()
                resp.read()
                outcome = resp.getheader("X-Backend") if resp.status == 200 else f"status {resp.status}"
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=5)
            except Exception as error:  # noqa: BLE001 - every failure is counted
                outcome = f"error {error!r}"
                conn.close()
                conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=5)
            with self.lock:
                self.results.append((time.monotonic(), outcome))
            time.sleep(0.005)
        conn.close()

    def since(self, t: float) -> list[str]:
        with self.lock:
            return [o for when, o in self.results if when >= t]


def test_killed_server_leaves_within_an_interval_and_comes_back(launcher, backends):
    a = backends("a")
    b = Backend("b", comes_back=True)
    port_b = b.port
    gh = launcher.start({"http": {
        "routers": {"app": router("Host(`app.test`)", "app")},
        "services": {"app": lb(a.url, b.url,
                               healthCheck={"path": "/health", "interval": f"{int(HEALTH_INTERVAL * 1000)}ms", "timeout": "300ms"},
                               passiveHealthCheck={"failureWindow": f"{int(FAILURE_WINDOW)}s", "maxFailedAttempts": 1})},
    }})
    revived = None
    try:
        with Load(gh.web, "app.test", threads=2, seconds=25) as load:
            assert wait_until(lambda: {"a", "b"} <= set(load.since(0)), 5), "both servers serve at first"
            killed_at = time.monotonic()
            b.close()
            time.sleep(HEALTH_INTERVAL + FAILURE_WINDOW + 1)
            after_kill = load.since(killed_at)
            failures = [o for o in after_kill if o not in ("a", "b")]
            # At most the requests in flight on b when it died, plus the one attempt that trips the
            # passive check (maxFailedAttempts 1), per client.
            assert len(failures) <= 2 * 2, failures
            settled = load.since(killed_at + HEALTH_INTERVAL)
            assert settled and all(o == "a" for o in settled), f"traffic still reaches b after one interval: {settled[:20]}"
            assert gh.wait_for_log("taken out", timeout=1), gh.logs()[-3000:]

            revived = Backend("b", port=port_b)
            back_at = time.monotonic()
            assert wait_until(lambda: "b" in load.since(back_at), FAILURE_WINDOW + 3 * HEALTH_INTERVAL + 2), \
                f"b did not come back; log:\n{gh.logs()[-3000:]}"
            assert all(o in ("a", "b") for o in load.since(back_at)), "no request fails when the server returns"
    finally:
        b.close()
        if revived:
            revived.close()


def test_health_check_request_and_expected_status(launcher, backends):
    a, b = backends("a"), backends("b")
    gh = launcher.start({"http": {
        "routers": {"app": router("Host(`app.test`)", "app")},
        "services": {"app": lb(a.url, b.url, healthCheck={
            "path": "/status/204", "interval": "300ms", "timeout": "1s", "hostname": "health.internal",
            "headers": {"X-Probe": "gatehouse"}, "status": 204})},
    }})
    probe = a.wait_for_request("/status/204", timeout=3)
    assert probe is not None and probe.header("host") == "health.internal" and probe.header("x-probe") == "gatehouse"
    seen = {http_request(gh.web, "/", host="app.test").backend for _ in range(8)}
    assert seen == {"a", "b"}


def test_sticky_cookie_keeps_a_client_on_one_server(launcher, backends):
    servers = [backends(n) for n in ("s1", "s2", "s3")]
    gh = launcher.start({"http": {
        "routers": {"app": router("Host(`sticky.test`)", "app")},
        "services": {"app": lb(*(s.url for s in servers),
                               sticky={"cookie": {"name": "gh_lb", "httpOnly": True, "secure": True, "sameSite": "lax"}})},
    }})
    first = http_request(gh.web, "/", host="sticky.test")
    cookie = first.header("set-cookie")
    assert cookie and re.match(r"gh_lb=[0-9a-f]{16}; Path=/; HttpOnly; Secure; SameSite=Lax$", cookie), cookie
    pair = cookie.split(";")[0]
    backends_seen = {http_request(gh.web, f"/r{i}", host="sticky.test", headers={"Cookie": pair}).backend for i in range(100)}
    assert backends_seen == {first.backend}
    spread = {http_request(gh.web, "/", host="sticky.test").backend for _ in range(30)}
    assert len(spread) == 3, "without the cookie requests spread over the servers"


def test_weighted_and_failover_services(launcher, backends):
    a, b, spare = backends("a"), backends("b"), backends("spare")
    gh = launcher.start({"http": {
        "routers": {
            "split": router("Host(`split.test`)", "split"),
            "safe": router("Host(`safe.test`)", "safe"),
        },
        "services": {
            "svc-a": lb(a.url), "svc-b": lb(b.url),
            "split": {"weighted": {"services": [{"name": "svc-a", "weight": 3}, {"name": "svc-b", "weight": 1}]}},
            "main": lb(f"http://{LOOPBACK}:1", healthCheck={"path": "/", "interval": "300ms", "timeout": "200ms"}),
            "backup": lb(spare.url),
            "safe": {"failover": {"service": "main", "fallback": "backup"}},
        },
    }})
    counts: dict[str, int] = {}
    for _ in range(40):
        name = http_request(gh.web, "/", host="split.test").backend
        counts[name] = counts.get(name, 0) + 1
    assert counts == {"a": 30, "b": 10}, counts
    assert wait_until(lambda: http_request(gh.web, "/", host="safe.test").backend == "spare", 3), \
        "the fallback serves while the main service's server fails its checks"
