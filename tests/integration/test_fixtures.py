"""Real-world Traefik files (shared fixtures) load unchanged, and their routers route.

Only addresses are rewritten: entry point ports to free loopback ports, the ACME storage path into a
temporary directory, and backend addresses (http URLs, TCP addresses) to loopback backends started here.
"""
from __future__ import annotations

import pathlib
import re
import time
from types import SimpleNamespace

import pytest
import yaml

import support
from support import Backend, free_port, http_request

# Backend addresses in the fixtures -> the loopback backend that stands in for each of them.
URL_RE = re.compile(r"""(?P<lead>\burl:\s*["']?)(?P<scheme>https?)://(?P<host>\[[0-9A-Fa-f:.]+\]|[^/:"'\s]+)(?::(?P<port>\d+))?""")
ADDR_RE = re.compile(r"""(?P<lead>\baddress:\s*["']?)(?P<host>\[[0-9A-Fa-f:.]+\]|[^:"'\s\[]*):(?P<port>\d+)""")
CRASH_MARKERS = ("Fatal error", "Segmentation fault", "panic:", "SIGSEGV", "SIGILL", "Illegal instruction")


def _fixture_files() -> tuple[list[str], list[str]]:
    try:
        d = support.fixtures_dir()
    except BaseException:  # reported by the tests that need the files
        return ["<missing>"], ["<missing>"]
    files = sorted(p.name for p in d.iterdir() if p.suffix in (".yml", ".yaml", ".toml"))
    return [f for f in files if "static" in f], [f for f in files if "static" not in f]


STATIC_FILES, DYNAMIC_FILES = _fixture_files()


class BackendMap:
    """One loopback backend per original backend address, created on first sight."""

    def __init__(self, pool):
        self.pool = pool
        self.by_original: dict[str, Backend] = {}

    def get(self, original: str) -> Backend:
        if original not in self.by_original:
            self.by_original[original] = self.pool(original)
        return self.by_original[original]

    def rewrite(self, text: str) -> str:
        def url(m):
            original = f"{m['host']}:{m['port'] or ('443' if m['scheme'] == 'https' else '80')}"
            return f"{m['lead']}http://{self.get(original).address}"

        def addr(m):
            original = m["host"] + ":" + m["port"]
            return m["lead"] + self.get(original).address

        return ADDR_RE.sub(addr, URL_RE.sub(url, text))


def read_fixture(name: str) -> str:
    return (support.fixtures_dir() / name).read_text()


def assert_running_without_crash(gh):
    time.sleep(1.0)
    assert gh.alive(), f"gatehouse exited ({gh.proc.returncode}):\n{gh.logs()[-3000:]}"
    logs = gh.logs()
    for marker in CRASH_MARKERS:
        assert marker not in logs, f"crash marker {marker!r} in the log:\n{logs[-3000:]}"
    r = http_request(gh.web, "/", host="no-such-router.test")
    assert r.status == 404


def start_with_dynamic(launcher, backends, names: list[str]):
    bmap = BackendMap(backends)
    files = {name: bmap.rewrite(read_fixture(name)) for name in names}
    gh = launcher.start(provider_dir=files)
    return SimpleNamespace(gh=gh, bmap=bmap, files=files)


def tls_get(gh, host, path="/", port=None):
    return http_request(port or gh.websecure, path, host=host, tls=True)


# ---------------------------------------------------------------------------------------------
# every file loads
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", DYNAMIC_FILES)
def test_dynamic_fixture_loads(launcher, backends, name):
    if name == "<missing>":
        support.fixtures_dir()
    env = start_with_dynamic(launcher, backends, [name])
    assert_running_without_crash(env.gh)


def rewrite_static(text: str, tmp: pathlib.Path, dynamic_path: pathlib.Path) -> tuple[str, dict[str, int]]:
    """Ports -> free loopback ports (by entry point), ACME storage -> tmp, plus a file provider and DEBUG logs."""
    parsed = yaml.safe_load(text) or {}
    eps = list((parsed.get("entryPoints") or {}).keys())
    ports = {ep: free_port() for ep in eps}
    it = iter(eps)

    def addr(m):
        ep = next(it)
        return f'{m["lead"]}"127.0.0.1:{ports[ep]}"'

    text = re.sub(r'(?P<lead>\baddress:\s*)"?[^"\n]*"?', addr, text, count=len(eps))
    text = re.sub(r"(\bstorage:\s*)\S+", lambda m: f"{m.group(1)}{tmp / 'acme-storage.json'}", text)
    top = {k.lower() for k in parsed}
    if "providers" not in top:
        text += f"\nproviders:\n  file:\n    filename: {dynamic_path}\n"
    if "log" not in top:
        text += "\nlog:\n  level: DEBUG\n"
    return text, ports


@pytest.mark.parametrize("name", STATIC_FILES)
def test_static_fixture_loads(launcher, backends, tmp_path, name):
    if name == "<missing>":
        support.fixtures_dir()
    dyn = tmp_path / "empty-dynamic.yml"
    dyn.write_text("{}\n")
    text, ports = rewrite_static(read_fixture(name), tmp_path, dyn)
    gh = launcher.start_raw(text, ports, label="static-fixture")
    time.sleep(1.0)
    assert gh.alive(), gh.logs()[-3000:]
    for marker in CRASH_MARKERS:
        assert marker not in gh.logs()


# ---------------------------------------------------------------------------------------------
# the files' routers route
# ---------------------------------------------------------------------------------------------

def test_acme_static_with_acme_dynamic_routes_example_com(launcher, backends, tmp_path):
    if "acme-static.yml" not in STATIC_FILES or "acme-dynamic.yml" not in DYNAMIC_FILES:
        support.unavailable("acme fixtures missing")
    bmap = BackendMap(backends)
    dyn = tmp_path / "acme-dynamic.yml"
    dyn.write_text(bmap.rewrite(read_fixture("acme-dynamic.yml")))
    text, ports = rewrite_static(read_fixture("acme-static.yml"), tmp_path, dyn)
    assert set(ports) == {"web", "websecure"}
    gh = launcher.start_raw(text, ports, label="acme")
    r = http_request(ports["websecure"], "/", host="example.com", tls=True)
    assert (r.status, r.backend) == (200, "localhost:8080"), r
    # the router is TLS-only and bound to websecure
    assert http_request(ports["websecure"], "/", host="example.com").status == 404
    assert http_request(ports["web"], "/", host="example.com", tls=True).status == 404
    assert gh.alive()


def test_zos_name_proxy_routes_over_tls(launcher, backends):
    if "zos-name-proxy.yaml" not in DYNAMIC_FILES:
        support.unavailable("zos-name-proxy.yaml missing")
    env = start_with_dynamic(launcher, backends, ["zos-name-proxy.yaml"])
    host = "workloadname.gent01.dev.grid.tf"
    expected = "[2a02:1802:5e:0:1000::1]:9000"
    for port in (env.gh.websecure, env.gh.web):  # no entryPoints: every entry point
        r = tls_get(env.gh, host, port=port)
        assert (r.status, r.backend) == (200, expected), (port, r)
    assert http_request(env.gh.web, "/", host=host).status == 404  # tls router: not on plaintext


def test_zos_fqdn_passthrough_starts(launcher, backends):
    if "zos-fqdn-passthrough.yaml" not in DYNAMIC_FILES:
        support.unavailable("zos-fqdn-passthrough.yaml missing")
    env = start_with_dynamic(launcher, backends, ["zos-fqdn-passthrough.yaml"])
    assert_running_without_crash(env.gh)


def check_api_admin(env):
    api, admin = "10.43.167.83:8000", "10.43.12.7:3000"
    cases = [("api", "api.myhoneydue.com", "/", api),
             ("api", "myhoneydue.com", "/", api),
             ("api-auth", "myhoneydue.com", "/api/auth/login", api),
             ("admin", "admin.myhoneydue.com", "/", admin)]
    for router_name, host, path, expected in cases:
        r = tls_get(env.gh, host, path)
        if r.status == 404 and r.backend is None:
            name_re = re.compile(rf"(?<![\w-]){re.escape(router_name)}(?![\w-])")
            lines = [ln for ln in env.gh.log_lines_matching("error") if name_re.search(ln)]
            assert lines, (f"router {router_name} answers 404 for {host}{path} and no error names it in the log:\n"
                           f"{env.gh.logs()[-3000:]}")
            continue
        if r.backend is None:
            # a middleware answered itself (ipAllowList 403, basicAuth 401, rateLimit 429): only on admin/api
            assert r.status in (401, 403, 429), f"{host}{path}: {r}"
            continue
        assert (r.status, r.backend) == (200, expected), f"{host}{path}: {r}"
        assert r.json()["target"] == path


def test_api_admin_middlewares_routes(launcher, backends):
    if "api-admin-middlewares.yml" not in DYNAMIC_FILES:
        support.unavailable("api-admin-middlewares.yml missing")
    env = start_with_dynamic(launcher, backends, ["api-admin-middlewares.yml"])
    check_api_admin(env)
    assert env.gh.alive()


def test_all_dynamic_fixtures_together_in_one_directory(launcher, backends):
    if "<missing>" in DYNAMIC_FILES:
        support.fixtures_dir()
    env = start_with_dynamic(launcher, backends, DYNAMIC_FILES)
    if "zos-name-proxy.yaml" in DYNAMIC_FILES:
        r = tls_get(env.gh, "workloadname.gent01.dev.grid.tf")
        assert (r.status, r.backend) == (200, "[2a02:1802:5e:0:1000::1]:9000"), r
    if "acme-dynamic.yml" in DYNAMIC_FILES:
        # certResolver certctl is not defined in this static configuration: the router still serves
        r = tls_get(env.gh, "example.com")
        assert (r.status, r.backend) == (200, "localhost:8080"), r
    if "api-admin-middlewares.yml" in DYNAMIC_FILES:
        check_api_admin(env)
    assert_running_without_crash(env.gh)
