"""Hot reload of the file provider: watched directory, last good version per file, reload storms."""
from __future__ import annotations

import http.client
import os
import threading
import time

from support import LOOPBACK, dump_yaml, http_request, router, service, wait_until

# A change is applied within 1 s: ~200 ms poll + 300 ms quiet period + build.
RELOAD_WITHIN = 1.0


def routes(name: str, be) -> dict:
    return {"http": {"routers": {name: router(f"Host(`{name}.test`)", f"svc-{name}")},
                     "services": {f"svc-{name}": service(be.url)}}}


def write(path, data) -> None:
    """Write in place (not rename), the way an editor or a config tool may; the watcher must cope."""
    with open(path, "w") as f:
        f.write(dump_yaml(data))


def status(port: int, host: str) -> int:
    return http_request(port, host=host, timeout=5).status


def applied_within(port: int, host: str, expected: int, timeout: float = RELOAD_WITHIN) -> float | None:
    """Seconds until `host` answers `expected`, or None after `timeout`."""
    start = time.monotonic()
    ok = wait_until(lambda: status(port, host) == expected, timeout, interval=0.02)
    return time.monotonic() - start if ok else None


def test_router_file_added_then_removed(launcher, backends):
    base, extra = backends("base"), backends("extra")
    gh = launcher.start(provider_dir={"base.yml": routes("base", base)})
    ddir = gh.workdir / "dynamic.d"
    assert status(gh.web, "base.test") == 200
    assert status(gh.web, "extra.test") == 404

    write(ddir / "extra.yml", routes("extra", extra))
    took = applied_within(gh.web, "extra.test", 200)
    assert took is not None, f"new router file not applied within {RELOAD_WITHIN}s; log:\n{gh.logs()[-3000:]}"
    assert http_request(gh.web, host="extra.test").backend == "extra"
    assert gh.log_lines_matching("configuration reloaded")

    os.remove(ddir / "extra.yml")
    took = applied_within(gh.web, "extra.test", 404)
    assert took is not None, f"removed router file still routed after {RELOAD_WITHIN}s"
    assert status(gh.web, "base.test") == 200


def test_truncated_file_keeps_last_good_version_until_fixed(launcher, backends):
    base, more = backends("base"), backends("more")
    gh = launcher.start(provider_dir={"base.yml": routes("base", base)})
    path = gh.workdir / "dynamic.d" / "base.yml"
    text = path.read_text()
    # Cut the file mid-way and leave an unterminated flow sequence: a syntax error on a known line.
    path.write_text(text[: len(text) // 2] + "\n  - [\n")
    lines = gh.wait_for_log("not loaded", "base.yml", timeout=2 * RELOAD_WITHIN)
    assert lines, f"no error naming the broken file; log:\n{gh.logs()[-3000:]}"
    assert any("line=" in ln or "line " in ln for ln in lines), lines
    # The last good version still serves.
    for _ in range(5):
        assert status(gh.web, "base.test") == 200

    fixed = {"http": {"routers": {**routes("base", base)["http"]["routers"], **routes("more", more)["http"]["routers"]},
                      "services": {**routes("base", base)["http"]["services"], **routes("more", more)["http"]["services"]}}}
    write(path, fixed)
    assert applied_within(gh.web, "more.test", 200) is not None, "the fixed file was not applied"
    assert status(gh.web, "base.test") == 200


def test_same_router_in_two_files_disables_only_that_router(launcher, backends):
    a, b = backends("a"), backends("b")
    gh = launcher.start(provider_dir={"a.yml": routes("a", a)})
    ddir = gh.workdir / "dynamic.d"
    clash = {"http": {"routers": {"a": router("Host(`other.test`)", "svc-b"), "b": router("Host(`b.test`)", "svc-b")},
                      "services": {"svc-b": service(b.url)}}}
    write(ddir / "b.yml", clash)
    assert applied_within(gh.web, "b.test", 200) is not None
    assert status(gh.web, "a.test") == 404, "a router defined in two files must be disabled"
    assert gh.wait_for_log("defined in 2 files", timeout=1)


def test_reload_storm_fails_no_request(launcher, backends):
    be = backends("storm")
    gh = launcher.start(provider_dir={"base.yml": routes("storm", be)})
    ddir = gh.workdir / "dynamic.d"
    stop = threading.Event()
    results = {"ok": 0, "failed": []}

    def load() -> None:
        # Keep-alive clients, bounded in time (stopped below) and in count.
        conn = http.client.HTTPConnection(LOOPBACK, gh.web, timeout=5)
        deadline = time.monotonic() + 30
        count = 0
        while not stop.is_set() and time.monotonic() < deadline and count < 20000:
            count += 1
            try:
                conn.request("GET", f"/r{count}", headers={"Host": "storm.test"})
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    results["ok"] += 1
                else:
                    results["failed"].append(resp.status)
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(LOOPBACK, gh.web, timeout=5)
            except Exception as error:  # noqa: BLE001 - every failure is counted
                results["failed"].append(repr(error))
                conn.close()
                conn = http.client.HTTPConnection(LOOPBACK, gh.web, timeout=5)
        conn.close()

    threads = [threading.Thread(target=load) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for i in range(50):
            # Other routers come and go; the one under load stays the same.
            write(ddir / "churn.yml", routes(f"churn{i}", be))
            if i % 10 == 9:
                write(ddir / "base.yml", routes("storm", be))  # same content: nothing to apply
            # Bursts and pauses: the quiet period and the 600 ms cap turn them into a dozen or more swaps.
            time.sleep(0.05 if i % 2 else 0.4)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=40)
    reloads = len(gh.log_lines_matching("configuration reloaded"))
    assert results["failed"] == [], f"{len(results['failed'])} failed requests: {results['failed'][:10]}"
    assert results["ok"] > 100, results
    assert reloads >= 10, f"only {reloads} reloads happened during the storm"
    assert status(gh.web, "churn49.test") == 200 or applied_within(gh.web, "churn49.test", 200) is not None


def test_router_with_bad_rule_or_missing_service_is_disabled_rest_applies(launcher, backends):
    base, good = backends("base"), backends("good")
    gh = launcher.start(provider_dir={"base.yml": routes("base", base)})
    mixed = {"http": {"routers": {"good": router("Host(`good.test`)", "svc-good"),
                                  "badrule": router("Host(`bad.test`", "svc-good"),
                                  "nosvc": router("Host(`nosvc.test`)", "missing")},
                      "services": {"svc-good": service(good.url)}}}
    write(gh.workdir / "dynamic.d" / "mixed.yml", mixed)
    assert applied_within(gh.web, "good.test", 200) is not None
    assert status(gh.web, "base.test") == 200
    assert status(gh.web, "nosvc.test") == 404
    assert gh.wait_for_log("disabled", "badrule", timeout=1), gh.logs()[-3000:]
    assert gh.wait_for_log("disabled", "nosvc", timeout=1), gh.logs()[-3000:]


def test_certificate_file_added_by_reload_is_served(launcher, backends, certs):
    from support import served_certificate
    be = backends("tls")
    leaf = certs.leaf("reload-cert.test", key_type="ec")
    gh = launcher.start(provider_dir={"base.yml": routes("base", be)})
    before = served_certificate(gh.websecure, "reload-cert.test")
    assert "reload-cert.test" not in before.sans, "the certificate must not be served before the reload"
    write(gh.workdir / "dynamic.d" / "tls.yml", {"tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]}})
    served = wait_until(lambda: "reload-cert.test" in served_certificate(gh.websecure, "reload-cert.test").sans,
                        RELOAD_WITHIN + 1, interval=0.1)
    assert served, f"certificate from the new file not served; log:\n{gh.logs()[-3000:]}"


def test_static_file_change_logs_restart_warning(launcher, backends):
    be = backends("base")
    gh = launcher.start(provider_dir={"base.yml": routes("base", be)})
    assert not gh.log_lines_matching("static configuration changed")
    gh.static_path.write_text(gh.static_path.read_text() + "\n# edited while running\n")
    lines = gh.wait_for_log("static configuration changed", "restart", timeout=2)
    assert lines and str(gh.static_path) in lines[0], gh.logs()[-2000:]
    assert status(gh.web, "base.test") == 200, "the running configuration is untouched"


def test_in_flight_request_finishes_after_its_route_is_removed(launcher, backends):
    base, slow = backends("base"), backends("slow")
    gh = launcher.start(provider_dir={"base.yml": routes("base", base), "slow.yml": routes("slow", slow)})
    outcome: dict = {}

    def slow_request() -> None:
        try:
            outcome["response"] = http_request(gh.web, "/drip?n=6&interval=0.5", host="slow.test", timeout=10)
        except Exception as error:  # noqa: BLE001 - reported below
            outcome["error"] = repr(error)

    t = threading.Thread(target=slow_request)
    t.start()
    assert slow.wait_for_request("/drip", timeout=5) is not None
    os.remove(gh.workdir / "dynamic.d" / "slow.yml")
    assert applied_within(gh.web, "slow.test", 404) is not None, "the route was not removed"
    assert t.is_alive(), "the slow response ended before the reload; the test proves nothing"
    t.join(timeout=15)
    assert "error" not in outcome, outcome
    response = outcome["response"]
    assert response.status == 200
    assert response.body == b"".join(f"chunk {i}\n".encode() for i in range(6)), response.body
