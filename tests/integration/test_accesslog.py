"""Access log: Traefik's JSON fields and its common (CLF) line format."""
from __future__ import annotations

import json
import re
from types import SimpleNamespace


from support import http_request, router, service, wait_until


def start(launcher, backends, fmt):
    be = backends(f"log-{fmt}")
    gh = launcher.start({"http": {"routers": {"app": router("Host(`log.test`)", "app-svc")},
                                  "services": {"app-svc": service(be.url)}}},
                        access_log={"format": fmt}, log_level="INFO")
    return SimpleNamespace(gh=gh, be=be)


def wait_lines(gh, n, timeout=10):
    return wait_until(lambda: gh.access_log_lines() if len(gh.access_log_lines()) >= n else None, timeout) or \
        gh.access_log_lines()


def test_json_access_log(launcher, backends):
    env = start(launcher, backends, "json")
    r = http_request(env.gh.web, "/hello/world", host="log.test", headers={"User-Agent": "e2e-agent"})
    assert r.status == 200
    miss = http_request(env.gh.web, "/missing", host="nobody.test")
    assert miss.status == 404
    lines = wait_lines(env.gh, 2)
    assert len(lines) >= 2, f"access log has {len(lines)} lines: {lines}"
    entries = [json.loads(line) for line in lines]
    hit = next((e for e in entries if e.get("RequestPath") == "/hello/world"), None)
    assert hit is not None, f"no entry for /hello/world in {entries}"
    assert hit["DownstreamStatus"] == 200
    assert hit["RequestMethod"] == "GET"
    assert hit["RouterName"] == "app@file"
    assert hit["ServiceName"] == "app-svc@file"
    addr = hit.get("ServiceAddr") or ""
    url = hit.get("ServiceURL") or ""
    assert env.be.address in (addr, url.removeprefix("http://")), f"ServiceAddr={addr!r} ServiceURL={url!r}"
    assert hit["entryPointName"] == "web"
    assert hit["DownstreamContentSize"] == len(r.body)
    assert isinstance(hit["Duration"], (int, float)) and hit["Duration"] > 0
    assert hit.get("RequestHost") in (None, "log.test")
    assert hit.get("ClientHost") in (None, "127.0.0.1")
    assert hit.get("RequestProtocol") in (None, "HTTP/1.1")
    miss_entry = next((e for e in entries if e.get("RequestPath") == "/missing"), None)
    assert miss_entry is not None and miss_entry["DownstreamStatus"] == 404


CLF = re.compile(
    r'^(?P<client>\S+) - (?P<user>\S+) \[(?P<date>\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] '
    r'"(?P<method>\S+) (?P<path>\S+) (?P<proto>[^"]+)" (?P<status>\d{3}) (?P<size>\d+|-) '
    r'"(?P<referer>[^"]*)" "(?P<agent>[^"]*)" (?P<count>\d+) "(?P<router>[^"]*)" "(?P<service>[^"]*)" '
    r'(?P<ms>\d+)ms$')


def test_common_access_log(launcher, backends):
    env = start(launcher, backends, "common")
    r = http_request(env.gh.web, "/clf/path", host="log.test",
                     headers={"User-Agent": "e2e-agent/1.0", "Referer": "http://ref.test/"})
    assert r.status == 200
    lines = wait_lines(env.gh, 1)
    assert lines, "access log is empty"
    m = next((CLF.match(line) for line in lines if "/clf/path" in line), None)
    assert m is not None, f"no Traefik CLF line for /clf/path in: {lines}"
    assert m["client"] == "127.0.0.1"
    assert (m["method"], m["path"], m["proto"]) == ("GET", "/clf/path", "HTTP/1.1")
    assert m["status"] == "200"
    assert m["size"] == str(len(r.body))
    # Traefik prints "-" for both unless request headers are kept in the access log fields
    assert m["referer"] in ("http://ref.test/", "-")
    assert m["agent"] in ("e2e-agent/1.0", "-")
    assert m["router"] == "app@file"
    assert m["service"] == env.be.url
