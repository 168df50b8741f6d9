"""Routing: rules, priorities, entry points, TLS/plaintext split, load balancing, redirections."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from support import ALT_LOOPBACK, http_request, router, service

NAMES = ["a", "b", "api", "header", "method", "query", "clientip", "regexp", "logic", "path",
         "pathre", "lb1", "lb2", "prio-a", "prio-b", "tls", "ep"]


@pytest.fixture(scope="module")
def env(module_launcher, module_backends):
    be = {n: module_backends(n) for n in NAMES}
    routers = {
        "host-a": router("Host(`a.test`)", "svc-a"),
        "host-b": router("Host(`b.test`)", "svc-b"),
        "api": router("Host(`a.test`) && PathPrefix(`/api`)", "svc-api"),
        "canary": router("Host(`h.test`) && Header(`X-Env`, `canary`)", "svc-header"),
        "h-default": router("Host(`h.test`)", "svc-a"),
        "delete": router("Host(`m.test`) && Method(`DELETE`)", "svc-method"),
        "m-default": router("Host(`m.test`)", "svc-a"),
        "fast": router("Host(`qq.test`) && Query(`mode`, `fast`)", "svc-query"),
        "qq-default": router("Host(`qq.test`)", "svc-a"),
        "from-alt": router("Host(`c.test`) && ClientIP(`127.0.0.2/32`)", "svc-clientip"),
        "c-default": router("Host(`c.test`)", "svc-a"),
        "regexp": router("HostRegexp(`^[a-z]+\\.regex\\.test$`)", "svc-regexp"),
        "logic-or": router("Host(`o1.test`) || Host(`o2.test`)", "svc-logic"),
        "logic-not": router("Host(`n.test`) && !PathPrefix(`/private`)", "svc-logic"),
        "exact-path": router("Host(`path.test`) && Path(`/exact`)", "svc-path"),
        "path-re": router("Host(`pr.test`) && PathRegexp(`^/v[0-9]+/items$`)", "svc-pathre"),
        # explicit priority beats the default (rule length)
        "prio-short-high": router("Host(`p.test`)", "svc-prio-a", priority=1000),
        "prio-long-low": router("Host(`p.test`) && PathPrefix(`/x`)", "svc-prio-b"),
        "q-short": router("Host(`q.test`)", "svc-prio-a"),
        "q-long-prio1": router("Host(`q.test`) && PathPrefix(`/`)", "svc-prio-b", priority=1),
        "lb": router("Host(`lb.test`)", "svc-lb"),
        "tls-only": router("Host(`tls.test`)", "svc-tls", tls={}),
        "secure-ep-only": router("Host(`ep.test`)", "svc-ep", entry_points=["websecure"]),
        "broken-service": router("Host(`broken.test`)", "does-not-exist"),
    }
    services = {f"svc-{n}": service(be[n].url) for n in NAMES if n not in ("lb1", "lb2")}
    services["svc-lb"] = service(be["lb1"].url, be["lb2"].url)
    gh = module_launcher.start({"http": {"routers": routers, "services": services}})
    return SimpleNamespace(gh=gh, be=be)


def get(env, host, path="/", **kw):
    return http_request(env.gh.web, path, host=host, **kw)


@pytest.mark.parametrize("host,path,expected", [
    ("a.test", "/", "a"),
    ("b.test", "/", "b"),
    ("a.test", "/api", "api"),
    ("a.test", "/api/v1/users?x=1", "api"),
    ("a.test", "/apiary", "api"),          # PathPrefix is a plain prefix
    ("a.test", "/other/api", "a"),
    ("A.TEST", "/", "a"),                  # host match is case-insensitive
    ("o1.test", "/", "logic"),
    ("o2.test", "/", "logic"),
    ("n.test", "/public", "logic"),
    ("path.test", "/exact", "path"),
    ("pr.test", "/v2/items", "pathre"),
    ("abc.regex.test", "/", "regexp"),
    ("p.test", "/x/1", "prio-a"),           # priority 1000 beats the longer rule
    ("q.test", "/", "prio-a"),              # priority 1 loses to the default (length 14)
])
def test_rule_routes_to_backend(env, host, path, expected):
    r = get(env, host, path)
    assert r.status == 200, f"{host}{path}: {r}"
    assert r.backend == expected, f"{host}{path} went to {r.backend}, expected {expected}"
    assert r.json()["target"] == path


def test_host_with_port_matches_host_rule(env):
    r = get(env, f"b.test:{env.gh.web}")
    assert (r.status, r.backend) == (200, "b")


@pytest.mark.parametrize("host,path", [
    ("unknown.test", "/"),
    ("n.test", "/private/x"),
    ("path.test", "/exact/more"),
    ("pr.test", "/vx/items"),
    ("ab1.regex.test", "/"),
    ("x.abc.regex.test", "/"),
])
def test_no_match_is_404(env, host, path):
    r = get(env, host, path)
    assert r.status == 404, f"{host}{path}: {r}"
    assert r.body.strip() == b"404 page not found"


def test_header_rule(env):
    assert get(env, "h.test", headers={"X-Env": "canary"}).backend == "header"
    assert get(env, "h.test", headers={"X-Env": "stable"}).backend == "a"
    assert get(env, "h.test").backend == "a"


def test_method_rule(env):
    assert get(env, "m.test", method="DELETE").backend == "method"
    assert get(env, "m.test", method="GET").backend == "a"
    assert get(env, "m.test", method="POST", body=b"x").backend == "a"


def test_query_rule(env):
    assert get(env, "qq.test", "/?mode=fast").backend == "query"
    assert get(env, "qq.test", "/?a=1&mode=fast").backend == "query"
    assert get(env, "qq.test", "/?mode=slow").backend == "a"
    assert get(env, "qq.test", "/").backend == "a"


def test_client_ip_rule(env):
    assert get(env, "c.test", source=ALT_LOOPBACK).backend == "clientip"
    assert get(env, "c.test", source="127.0.0.1").backend == "a"
    # a client cannot claim another address with X-Forwarded-For (127.0.0.1 is not trusted here)
    assert get(env, "c.test", source="127.0.0.1", headers={"X-Forwarded-For": "127.0.0.2"}).backend == "a"


def test_load_balancer_uses_every_server(env):
    seen = [get(env, "lb.test").backend for _ in range(10)]
    assert set(seen) == {"lb1", "lb2"}, seen


def test_tls_router_only_answers_on_tls(env):
    plain = get(env, "tls.test")
    assert plain.status == 404, plain
    secure = http_request(env.gh.web, "/", host="tls.test", tls=True)
    assert (secure.status, secure.backend) == (200, "tls")


def test_plain_router_does_not_answer_on_tls(env):
    r = http_request(env.gh.web, "/", host="a.test", tls=True)
    assert r.status == 404, r


def test_entry_point_restriction(env):
    assert get(env, "ep.test").status == 404
    r = http_request(env.gh.websecure, "/", host="ep.test")
    assert (r.status, r.backend) == (200, "ep")


def test_router_with_unknown_service_is_disabled_and_logged(env):
    assert get(env, "broken.test").status == 404
    assert env.gh.log_lines_matching("broken-service"), \
        "no log line names the router 'broken-service' that references an unknown service"
    assert get(env, "a.test").status == 200


def test_entry_point_redirection_to_https(launcher, backends):
    be = backends("secure")
    gh = launcher.start(
        {"http": {"routers": {"app": router("Host(`a.test`)", "app", tls={})},
                  "services": {"app": service(be.url)}}},
        entrypoints={"web": {"http": {"redirections": {"entryPoint": {
            "to": "websecure", "scheme": "https", "permanent": True}}}},
            "websecure": {}})
    r = http_request(gh.web, "/some/path?q=1", host=f"a.test:{gh.web}")
    assert r.status in (301, 308), r
    assert r.header("Location") == f"https://a.test:{gh.websecure}/some/path?q=1"
    assert be.requests == []
    ok = http_request(gh.websecure, "/some/path?q=1", host=f"a.test:{gh.websecure}", tls=True)
    assert (ok.status, ok.backend) == (200, "secure")
