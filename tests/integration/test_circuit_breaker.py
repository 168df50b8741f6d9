"""circuitBreaker on the data plane: a failing backend trips the breaker, which then answers
503 itself for fallbackDuration without reaching the backend; after the recovery a healthy
backend serves again. Each router has its own breaker; a bad expression disables its router."""
from __future__ import annotations

import time

from support import http_request, router, service, wait_until

FALLBACK = 3.0
RECOVERY = 1.0


def config(be) -> dict:
    return {"http": {
        "routers": {
            "guarded": router("Host(`cb.test`)", "svc", middlewares=["breaker"]),
            "other": router("Host(`other.test`)", "svc", middlewares=["breaker"]),
            "bad": router("Host(`bad.test`)", "svc", middlewares=["bad-breaker"]),
        },
        "middlewares": {
            "breaker": {"circuitBreaker": {
                "expression": "ResponseCodeRatio(500, 600, 0, 600) > 0.5",
                "checkPeriod": "50ms",
                "fallbackDuration": f"{int(FALLBACK)}s",
                "recoveryDuration": f"{int(RECOVERY * 1000)}ms",
            }},
            "bad-breaker": {"circuitBreaker": {"expression": "NetworkErrorRatio() >> 0.5"}},
        },
        "services": {"svc": service(be.url)},
    }}


def test_breaker_trips_answers_503_without_backend_then_recovers(launcher, backends):
    be = backends("cb")
    gh = launcher.start(config(be))
    assert http_request(gh.web, "/ok", host="cb.test").status == 200

    # Failing answers trip it: the first 500 checked is already above one half of the answers.
    statuses = []
    for _ in range(20):
        r = http_request(gh.web, "/status/500", host="cb.test")
        statuses.append(r.status)
        if r.status == 503:
            break
        time.sleep(0.06)
    assert statuses[-1] == 503, statuses
    assert set(statuses[:-1]) == {500}, statuses
    tripped_at = time.monotonic()

    # While tripped the breaker answers itself: nothing reaches the backend, healthy paths included.
    be.reset_stats()
    for path in ("/ok", "/status/500", "/again"):
        r = http_request(gh.web, path, host="cb.test")
        assert r.status == 503, (path, r.status, r.body)
        assert r.body == b"Service Unavailable"
        assert r.header("content-type") == "text/plain; charset=utf-8"
    assert not be.requests, [req.target for req in be.requests]

    # The other router lists the same middleware but has its own breaker, still closed.
    assert http_request(gh.web, "/ok", host="other.test").status == 200

    # After fallbackDuration the first request starts the recovery (as in oxy, the ramp begins
    # with it, at a share of none); once recoveryDuration is over the (now healthy) backend
    # serves every request.
    remaining = FALLBACK - (time.monotonic() - tripped_at)
    if remaining > 0.5:
        assert http_request(gh.web, "/ok", host="cb.test").status == 503
    time.sleep(max(0.0, FALLBACK - (time.monotonic() - tripped_at)) + 0.1)
    assert http_request(gh.web, "/ok", host="cb.test").status == 503
    time.sleep(RECOVERY + 0.2)
    served = [http_request(gh.web, f"/healthy/{i}", host="cb.test").status for i in range(10)]
    assert served == [200] * 10, served
    assert len(be.requests_to("/healthy/")) == 10


def test_recovery_lets_a_growing_share_through(launcher, backends):
    be = backends("cb")
    gh = launcher.start(config(be))
    assert wait_until(lambda: http_request(gh.web, "/status/500", host="cb.test").status == 503, timeout=5)
    time.sleep(FALLBACK + 0.05)
    # During the recovery some requests pass (the share grows from none to half) and some are
    # still answered by the breaker.
    seen = []
    deadline = time.monotonic() + RECOVERY * 0.9
    while time.monotonic() < deadline:
        seen.append(http_request(gh.web, "/ok", host="cb.test").status)
        time.sleep(0.01)
    assert 200 in seen and 503 in seen, seen
    assert seen.index(200) > 0, "the first request of the recovery is refused: the share starts at none"


def test_bad_expression_disables_its_router_only(launcher, backends):
    be = backends("cb")
    gh = launcher.start(config(be))
    lines = gh.wait_for_log("disabled", "bad", timeout=2)
    assert lines and "http.middlewares.bad-breaker.circuitBreaker.expression" in lines[0], gh.logs()[-2000:]
    assert http_request(gh.web, "/", host="bad.test").status == 404
    assert http_request(gh.web, "/", host="cb.test").status == 200
