"""A reload storm under real load generators: wrk (HTTP/1.1 keep-alive) and h2load (HTTP/2 over TLS)
run for a bounded time while the watched directory is rewritten 100 times (routers, services and
certificates added, changed and removed). No request may fail, no connection may be reset, and the
routes served afterwards are exactly those of the last files."""
from __future__ import annotations

import os
import re
import subprocess
import threading
import time

from support import dump_yaml, http_request, require_tool, router, service, wait_until

LOAD_SECONDS = 18
REWRITES = 100
CHURN_FILES = 7


def _write(path, data) -> None:
    with open(path, "w") as f:
        f.write(dump_yaml(data))


def _storm_routes(be, *, extra_server: bool) -> dict:
    """The routers under load: one per entry point, matched by path so both load generators hit them."""
    urls = [be.url, be.url] if extra_server else [be.url]
    return {"http": {
        "routers": {
            "storm-plain": router("PathPrefix(`/storm`)", "svc-storm", entry_points=["web"]),
            "storm-tls": router("PathPrefix(`/storm`)", "svc-storm", entry_points=["websecure"], tls={}),
        },
        "services": {"svc-storm": service(*urls, pass_host_header=not extra_server)},
    }}


def _churn_routes(i: int, be) -> dict:
    return {"http": {"routers": {f"churn{i}": router(f"Host(`churn{i}.test`)", f"svc-churn{i}")},
                     "services": {f"svc-churn{i}": service(be.url)}}}


def _wrk_result(output: str) -> dict:
    requests = re.search(r"(\d+) requests in", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def _h2load_result(output: str) -> dict:
    counts = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                       r"(\d+) errored, (\d+) timeout", output)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", output)
    if not counts or not codes:
        return {"unparsed": output[-2000:]}
    total, started, done, succeeded, failed, errored, timeout = map(int, counts.groups())
    return {"done": done, "succeeded": succeeded, "failed": failed, "errored": errored, "timeout": timeout,
            "2xx": int(codes.group(1)), "non_2xx": sum(int(n) for n in codes.groups()[1:]),
            "h2": "h2" in output.split("Application protocol:")[-1][:20] if "Application protocol:" in output else False}


def test_reload_storm_under_wrk_and_h2load(launcher, backends, certs):
    wrk, h2load = require_tool("wrk"), require_tool("h2load")
    be = backends("storm")
    leaves = [certs.leaf(f"storm-cert{n}.test", key_type="ec") for n in range(2)]
    gh = launcher.start(provider_dir={"storm.yml": _storm_routes(be, extra_server=False)})
    ddir = gh.workdir / "dynamic.d"
    assert http_request(gh.web, "/storm/warm").status == 200

    outputs: dict[str, str] = {}

    def run(name: str, argv: list[str]) -> None:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=LOAD_SECONDS + 30)
        outputs[name] = done.stdout + done.stderr

    loads = [
        threading.Thread(target=run, args=("wrk", [wrk, "-t1", "-c4", f"-d{LOAD_SECONDS}s", "--latency",
                                                  f"http://127.0.0.1:{gh.web}/storm/wrk"])),
        threading.Thread(target=run, args=("h2load", [h2load, "-t1", "-c4", "-m8", f"-D{LOAD_SECONDS}",
                                                     f"https://127.0.0.1:{gh.websecure}/storm/h2"])),
    ]
    for t in loads:
        t.start()
    time.sleep(1)

    present: dict[int, int] = {}  # churn file slot -> router number in it
    try:
        for i in range(REWRITES):
            slot = i % CHURN_FILES
            _write(ddir / f"churn-{slot}.yml", _churn_routes(i, be))  # add a router, or replace one
            present[slot] = i
            if i % 3 == 1:  # remove another file (and its router and service)
                gone = (i + 3) % CHURN_FILES
                if gone in present:
                    os.remove(ddir / f"churn-{gone}.yml")
                    del present[gone]
            if i % 5 == 2:  # change the service under load: servers and passHostHeader
                _write(ddir / "storm.yml", _storm_routes(be, extra_server=(i // 5) % 2 == 0))
            if i % 4 == 3:  # certificates come and go
                if (i // 4) % 3 == 2:
                    if (ddir / "tls.yml").exists():
                        os.remove(ddir / "tls.yml")
                else:
                    leaf = leaves[(i // 4) % 2]
                    _write(ddir / "tls.yml", {"tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]}})
            # Bursts and pauses, so the debounced watcher applies many distinct versions.
            time.sleep(0.35 if i % 3 == 0 else 0.05)
    finally:
        for t in loads:
            t.join(timeout=LOAD_SECONDS + 40)

    reloads = len(gh.log_lines_matching("configuration reloaded"))
    wrk_result = _wrk_result(outputs.get("wrk", ""))
    h2_result = _h2load_result(outputs.get("h2load", ""))
    assert wrk_result["requests"] > 300, outputs.get("wrk")
    assert wrk_result["socket_errors"] == 0 and wrk_result["non_2xx"] == 0, outputs.get("wrk")
    assert "unparsed" not in h2_result, h2_result
    assert h2_result["h2"], outputs.get("h2load")
    assert h2_result["done"] > 300, outputs.get("h2load")
    assert (h2_result["failed"], h2_result["errored"], h2_result["timeout"], h2_result["non_2xx"]) == (0, 0, 0, 0), \
        outputs.get("h2load")
    # The watcher debounces (300 ms quiet, at most 600 ms deferred): a dozen or more distinct versions.
    assert reloads >= 10, f"only {reloads} reloads happened during the storm"

    # The routes now served are exactly those of the last files.
    expected = set(present.values())

    def settled() -> bool:
        return all(http_request(gh.web, host=f"churn{n}.test").status == (200 if n in expected else 404)
                   for n in range(REWRITES))

    assert wait_until(settled, 3, interval=0.2), (
        f"routes after the storm differ from the last files: expected churn{sorted(expected)}; log:\n{gh.logs()[-3000:]}")
