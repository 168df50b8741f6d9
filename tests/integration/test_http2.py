"""HTTP/2 from clients over TLS (ALPN h2): GET, POST bodies, big responses, concurrent streams."""
from __future__ import annotations

import json
import os
import re
from types import SimpleNamespace

import pytest

from support import MiB, curl, pattern_bytes, require_tool, router, run, service, sha256_hex


@pytest.fixture(scope="module")
def env(module_launcher, module_backends, certs):
    be = module_backends("h2-backend")
    leaf = certs.leaf("h2.test")
    gh = module_launcher.start({
        "http": {"routers": {"h2": router("Host(`h2.test`)", "h2", tls={}),
                             # h2load has no --resolve: it connects to 127.0.0.1 and sends that as :authority
                             "by-ip": router("Host(`127.0.0.1`)", "h2", tls={})},
                 "services": {"h2": service(be.url)}},
        "tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]}}, log_level="INFO")
    return SimpleNamespace(gh=gh, be=be)


def h2curl(env, *args, path="/", timeout=60):
    port = env.gh.websecure
    return curl("--http2", "-k", "--resolve", f"h2.test:{port}:127.0.0.1", *args,
                f"https://h2.test:{port}{path}", timeout=timeout)


def split_status(out: bytes) -> tuple[str, str]:
    body, _, tail = out.decode(errors="replace").rpartition("\n")
    return body, tail


def test_get(env):
    r = h2curl(env, "-w", "\n%{http_code} %{http_version}", path="/h2/get?x=1")
    assert r.returncode == 0, r.stderr.decode()
    body, tail = split_status(r.stdout)
    assert tail == "200 2"
    echo = json.loads(body)
    assert echo["backend"] == "h2-backend"
    assert echo["target"] == "/h2/get?x=1"
    hdrs = {k.lower(): v for k, v in echo["headers"]}
    assert hdrs.get("host") == f"h2.test:{env.gh.websecure}"
    assert hdrs.get("x-forwarded-proto") == "https"
    assert echo["method"] == "GET"


def test_post_body(env, tmp_path):
    data = os.urandom(3 * MiB + 17)
    f = tmp_path / "body.bin"
    f.write_bytes(data)
    r = h2curl(env, "--data-binary", f"@{f}", "-H", "Content-Type: application/octet-stream",
               "-w", "\n%{http_code} %{http_version}", path="/h2/post")
    assert r.returncode == 0, r.stderr.decode()
    body, tail = split_status(r.stdout)
    assert tail == "200 2"
    echo = json.loads(body)
    assert echo["method"] == "POST"
    assert echo["body_len"] == len(data)
    assert echo["body_sha256"] == sha256_hex(data)


def test_large_download(env, tmp_path):
    n = 16 * MiB + 3
    out = tmp_path / "dl.bin"
    r = h2curl(env, "-o", str(out), "-w", "%{http_code} %{http_version}", path=f"/bytes/{n}")
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode() == "200 2"
    got = out.read_bytes()
    assert len(got) == n and sha256_hex(got) == sha256_hex(pattern_bytes(n))


def test_not_found_over_h2(env):
    port = env.gh.websecure
    r = curl("--http2", "-k", "--resolve", f"nobody.test:{port}:127.0.0.1", "-w", "\n%{http_code} %{http_version}",
             f"https://nobody.test:{port}/")
    body, tail = split_status(r.stdout)
    assert tail == "404 2", r.stderr.decode()
    assert body.strip() == "404 page not found"


def test_several_requests_on_one_connection(env):
    port = env.gh.websecure
    urls = [f"https://h2.test:{port}/multi/{i}" for i in range(5)]
    r = curl("--http2", "-k", "--resolve", f"h2.test:{port}:127.0.0.1", "-w", "%{http_code} %{num_connects}\n",
             "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", *urls)
    assert r.returncode == 0, r.stderr.decode()
    lines = r.stdout.decode().split()
    codes, connects = lines[0::2], lines[1::2]
    assert codes == ["200"] * 5
    assert sum(int(c) for c in connects) == 1, f"new connections per request: {connects}"


def test_h2load_concurrent_streams(env):
    h2load = require_tool("h2load")
    res = run([h2load, "-n", "200", "-c", "2", "-m", "10", f"https://127.0.0.1:{env.gh.websecure}/h2load"],
              timeout=120)
    out = res.stdout.decode(errors="replace")
    assert re.search(r"Application protocol:\s*h2", out), out[-2000:]
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", out)
    assert m, out[-2000:]
    assert int(m.group(4)) == 200, out[-2000:]
    s = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    assert s and int(s.group(1)) == 200, out[-2000:]
