"""`/metrics` on the admin listener with the real binary, parsed by prometheus_client's own text
parser: request counters match the requests made (by code and method, per entry point, router and
service), histograms are consistent, a killed backend shows server up 0, a reload increments the
reload counter, a served certificate's not-after and serial match its file, TLS handshakes and
handshake failures are counted, open connections follow the sockets held."""
from __future__ import annotations

import calendar
import socket
import ssl
import time

import pytest

import support
from support import LOOPBACK, dump_yaml, free_port, port_accepts, router, service, wait_until

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:  # pragma: no cover - the install script provides it
    text_string_to_metric_families = None


def scrape(port: int) -> dict[tuple[str, frozenset], float]:
    """Every sample of /metrics as {(sample name, labels): value}."""
    if text_string_to_metric_families is None:
        support.unavailable("python package prometheus-client (tests/integration/requirements.txt)")
    res = support.curl("-sS", "-D", "-", f"http://{LOOPBACK}:{port}/metrics", timeout=10)
    assert res.returncode == 0, res.stderr
    head, _, body = res.stdout.decode().partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 200"), head
    assert "content-type: text/plain; version=0.0.4; charset=utf-8" in head.lower(), head
    samples: dict[tuple[str, frozenset], float] = {}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples, name: str, **labels) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def matching(samples, name: str, **labels) -> list[tuple[dict, float]]:
    out = []
    for (sample_name, label_set), v in samples.items():
        d = dict(label_set)
        if sample_name == name and all(d.get(k) == val for k, val in labels.items()):
            out.append((d, v))
    return out


def dynamic(app_url: str, spare_url: str, leaf, extra_router: bool = False) -> dict:
    routers = {
        "app": router("Host(`a.test`)", "app", entry_points=["web"]),
        "spare": router("Host(`spare.test`)", "spare", entry_points=["web"]),
        "secure": router("Host(`metrics.test`)", "app", entry_points=["websecure"], tls={}),
    }
    if extra_router:
        routers["later"] = router("Host(`later.test`)", "app", entry_points=["web"])
    spare = service(spare_url)
    spare["loadBalancer"]["healthCheck"] = {"path": "/health", "interval": "300ms", "timeout": "200ms"}
    return {
        "http": {"routers": routers, "services": {"app": service(app_url), "spare": spare}},
        "tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]},
    }


@pytest.fixture
def metrics_gh(launcher, backends, certs):
    support.require_tool("curl")
    app, spare = backends("app"), backends("spare")
    leaf = certs.leaf("metrics.test")
    port = free_port()
    gh = launcher.start(provider_dir={"routes.yml": dynamic(app.url, spare.url, leaf)},
                        static_extra={"admin": {"address": f"{LOOPBACK}:{port}"}})
    assert wait_until(lambda: port_accepts(port), 15), f"admin port not open:\n{gh.logs()[-3000:]}"
    gh.admin_port = port
    gh.app, gh.spare, gh.leaf = app, spare, leaf
    return gh


def test_request_counters_match_the_requests_made(metrics_gh):
    gh, port = metrics_gh, metrics_gh.admin_port
    for _ in range(3):
        assert support.http_request(gh.web, "/x", host="a.test").status == 200
    for _ in range(2):
        assert support.http_request(gh.web, "/y", host="a.test", method="POST", body=b"hi").status == 200
    assert support.http_request(gh.web, "/", host="nobody.test").status == 404

    s = scrape(port)
    router_get = dict(router="app@file", service="app@file", code="200", method="GET", protocol="http")
    router_post = dict(router_get, method="POST")
    assert value(s, "gatehouse_router_requests_total", **router_get) == 3, matching(s, "gatehouse_router_requests_total")
    assert value(s, "gatehouse_router_requests_total", **router_post) == 2
    assert value(s, "gatehouse_service_requests_total", service="app@file", code="200", method="GET", protocol="http") == 3
    ep = dict(entrypoint="web", protocol="http")
    assert value(s, "gatehouse_entrypoint_requests_total", code="200", method="GET", **ep) == 3
    assert value(s, "gatehouse_entrypoint_requests_total", code="200", method="POST", **ep) == 2
    assert value(s, "gatehouse_entrypoint_requests_total", code="404", method="GET", **ep) == 1
    # A request no router took counts for the entry point only.
    assert not [m for m in matching(s, "gatehouse_router_requests_total") if m[0]["code"] == "404"]

    # Histograms: cumulative buckets at Traefik's bounds, +Inf and _count equal to the counter.
    buckets = matching(s, "gatehouse_router_request_duration_seconds_bucket", **router_get)
    assert sorted(float(b[0]["le"]) for b in buckets) == [0.1, 0.3, 1.2, 5.0, float("inf")]
    by_le = {float(b[0]["le"]): b[1] for b in buckets}
    bounds = sorted(by_le)
    assert all(by_le[a] <= by_le[b] for a, b in zip(bounds, bounds[1:])), by_le
    assert by_le[float("inf")] == 3
    assert value(s, "gatehouse_router_request_duration_seconds_count", **router_get) == 3
    assert 0 < value(s, "gatehouse_router_request_duration_seconds_sum", **router_get) < 15

    # More requests move the counters by exactly that many.
    assert support.http_request(gh.web, "/z", host="a.test", method="DELETE").status == 200
    s2 = scrape(port)
    assert value(s2, "gatehouse_router_requests_total", **dict(router_get, method="DELETE")) == 1
    assert value(s2, "gatehouse_router_requests_total", **router_get) == 3


def test_killed_backend_shows_server_up_zero(metrics_gh):
    gh, port = metrics_gh, metrics_gh.admin_port

    def up(name: str, url: str):
        return value(scrape(port), "gatehouse_service_server_up", service=name, url=url)

    assert wait_until(lambda: up("spare@file", gh.spare.url) == 1, 10), matching(scrape(port), "gatehouse_service_server_up")
    assert up("app@file", gh.app.url) == 1
    gh.spare.close()
    assert wait_until(lambda: up("spare@file", gh.spare.url) == 0, 10), matching(scrape(port), "gatehouse_service_server_up")
    assert up("app@file", gh.app.url) == 1


def test_reload_increments_the_reload_counter(metrics_gh):
    gh, port = metrics_gh, metrics_gh.admin_port
    before = scrape(port)
    loads = value(before, "gatehouse_config_reloads_total", result="success")
    assert loads is not None and loads >= 1
    assert value(before, "gatehouse_config_reloads_total", result="failure") == 0
    last = value(before, "gatehouse_config_last_reload_success")
    assert last is not None and abs(last - time.time()) < 300
    time.sleep(1.1)
    (gh.workdir / "dynamic.d" / "routes.yml").write_text(
        dump_yaml(dynamic(gh.app.url, gh.spare.url, gh.leaf, extra_router=True)))
    assert wait_until(lambda: support.http_request(gh.web, "/", host="later.test").status == 200, 10)
    assert wait_until(lambda: value(scrape(port), "gatehouse_config_reloads_total", result="success") == loads + 1, 5)
    after = scrape(port)
    assert value(after, "gatehouse_config_last_reload_success") > last


def _openssl_field(pem_path: str, flag: str) -> str:
    out = support.run([support.require_tool("openssl"), "x509", "-noout", flag, "-in", pem_path],
                      timeout=20, check=True).stdout.decode().strip()
    return out.split("=", 1)[1]


def test_certificate_not_after_and_tls_handshakes(metrics_gh):
    gh, port = metrics_gh, metrics_gh.admin_port
    not_after = calendar.timegm(time.strptime(_openssl_field(gh.leaf.leaf_only, "-enddate"), "%b %d %H:%M:%S %Y %Z"))
    serial = str(int(_openssl_field(gh.leaf.leaf_only, "-serial"), 16))
    s = scrape(port)
    certs = matching(s, "gatehouse_tls_certs_not_after", cn="metrics.test")
    assert len(certs) == 1, matching(s, "gatehouse_tls_certs_not_after")
    labels, v = certs[0]
    assert v == not_after
    assert labels["serial"] == serial and labels["sans"] == "metrics.test"

    assert support.http_request(gh.websecure, "/", host="metrics.test", tls=True).status == 200
    # A client that does not trust the certificate aborts the handshake with an alert.
    strict = ssl.create_default_context()
    with socket.create_connection((LOOPBACK, gh.websecure), timeout=5) as raw:
        with pytest.raises(ssl.SSLError):
            strict.wrap_socket(raw, server_hostname="metrics.test")

    def counted():
        s = scrape(port)
        done = sum(v for _, v in matching(s, "gatehouse_tls_handshakes_total", entrypoint="websecure"))
        failed = value(s, "gatehouse_tls_handshake_failures_total", entrypoint="websecure") or 0
        return done, failed, s
    assert wait_until(lambda: counted()[0] >= 1 and counted()[1] >= 1, 5), counted()
    s = counted()[2]
    versions = {l["tls_version"] for l, _ in matching(s, "gatehouse_tls_handshakes_total", entrypoint="websecure")}
    assert versions <= {"1.2", "1.3"} and versions, versions
    assert value(s, "gatehouse_entrypoint_requests_total", entrypoint="websecure", code="200", method="GET", protocol="http") == 1


def test_open_connections_follow_the_sockets(metrics_gh):
    gh, port = metrics_gh, metrics_gh.admin_port

    def open_on_web():
        return value(scrape(port), "gatehouse_open_connections", entrypoint="web", protocol="TCP") or 0

    assert wait_until(lambda: open_on_web() == 0, 10), open_on_web()
    held = [socket.create_connection((LOOPBACK, gh.web), timeout=5) for _ in range(2)]
    try:
        assert wait_until(lambda: open_on_web() == 2, 5), open_on_web()
    finally:
        for sock in held:
            sock.close()
    assert wait_until(lambda: open_on_web() == 0, 10), open_on_web()


def test_acme_order_counted_and_its_certificate_expiry_shown(acme_lab):
    """pebble issues over HTTP-01: one successful order, and the issued leaf's not-after and serial."""
    port = free_port()
    sc = acme_lab.scenario("http-01", static_extra={"admin": {"address": f"{LOOPBACK}:{port}"}})
    leaf = sc.wait_for_pebble_leaf(timeout=30)
    assert wait_until(lambda: port_accepts(port), 15)
    assert wait_until(lambda: value(scrape(port), "gatehouse_acme_orders_total", result="success") == 1, 10), \
        matching(scrape(port), "gatehouse_acme_orders_total")
    s = scrape(port)
    assert value(s, "gatehouse_acme_orders_total", result="failure") is None
    served = [labels for labels, _ in matching(s, "gatehouse_tls_certs_not_after") if labels["sans"] == sc.host]
    assert len(served) == 1, matching(s, "gatehouse_tls_certs_not_after")
    assert served[0]["serial"] == str(int(leaf.serial.replace(":", ""), 16))
