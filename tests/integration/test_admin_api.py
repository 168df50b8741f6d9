"""The admin API with the real binary: `gatehouse token create` while the server runs, the auth
matrix over real HTTP, Traefik's read-only API showing a disabled router with its error, the
OpenAPI document listing every route it serves, browser protection, reloads, a unix socket."""
from __future__ import annotations

import json
import os
import signal
import subprocess

import pytest

import support
from support import LOOPBACK, dump_yaml, free_port, port_accepts, router, service, wait_until

BAD_RULE = "Hots(`broken.test`)"


def dynamic(backend_url: str) -> dict:
    return {"http": {
        "routers": {
            "good": router("Host(`good.test`)", "app"),
            "broken": router(BAD_RULE, "app"),
        },
        "services": {"app": service(backend_url)},
    }}


def token_command(gh, *args: str) -> subprocess.CompletedProcess:
    return support.run([gh.binary, "token", *args, "--data-dir", str(gh.data_dir)], timeout=60)


def create_token(gh, name: str, scopes: str) -> str:
    res = token_command(gh, "create", "--name", name, "--scope", scopes)
    assert res.returncode == 0, f"token create failed: {res.stderr.decode(errors='replace')}"
    out = res.stdout.decode()
    lines = out.splitlines()
    assert len(lines) == 1 and out.endswith("\n"), f"stdout must be the token alone: {out!r}"
    token = lines[0]
    assert token.startswith("gh_") and len(token) == 46, token
    return token


def call(port: int, path: str, *, token: str | None = None, method: str = "GET",
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """curl a path; returns status, headers (lowercased names) and body."""
    args = ["-X", method, "-D", "-", "-o", "/dev/stdout"]
    if method == "HEAD":
        args = ["-I"]
    if token is not None:
        args += ["-H", f"Authorization: Bearer {token}"]
    for name, value in (headers or {}).items():
        args += ["-H", f"{name}: {value}"]
    res = support.curl(*args, f"http://{LOOPBACK}:{port}{path}", timeout=10)
    assert res.returncode == 0, res.stderr
    raw = res.stdout
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    status = int(lines[0].split()[1])
    fields = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            fields[name.strip().lower()] = value.strip()
    return status, fields, body


@pytest.fixture
def admin_gh(launcher, backends):
    support.require_tool("curl")
    backend = backends("app")
    port = free_port()
    gh = launcher.start(provider_dir={"routes.yml": dynamic(backend.url)},
                        static_extra={"admin": {"address": f"{LOOPBACK}:{port}"}})
    assert wait_until(lambda: port_accepts(port), 15), f"admin port not open:\n{gh.logs()[-3000:]}"
    gh.admin_port = port
    return gh


def test_token_created_while_running_and_the_auth_matrix(admin_gh):
    gh, port = admin_gh, admin_gh.admin_port

    status, _, body = call(port, "/ping")
    assert (status, body) == (200, b"OK")

    status, fields, body = call(port, "/api/http/routers")
    assert status == 401
    assert fields.get("www-authenticate") == 'Bearer realm="gatehouse"'
    assert "message" in json.loads(body)

    reader = create_token(gh, "reader", "ingress.read")
    acme = create_token(gh, "acme-bot", "acme.manage")
    assert reader != acme

    status, fields, _ = call(port, "/api/http/routers", token="gh_" + "x" * 43)
    assert status == 401 and 'error="invalid_token"' in fields.get("www-authenticate", "")

    status, fields, _ = call(port, "/api/http/routers", token=acme)
    assert status == 403 and 'scope="ingress.read"' in fields.get("www-authenticate", "")

    status, fields, body = call(port, "/api/http/routers", token=reader)
    assert status == 200, body
    assert fields.get("content-type") == "application/json"
    routers = {r["name"]: r for r in json.loads(body)}
    assert set(routers) == {"good@file", "broken@file"}
    assert routers["good@file"]["status"] == "enabled"
    assert routers["good@file"]["rule"] == "Host(`good.test`)"
    broken = routers["broken@file"]
    assert broken["status"] == "disabled"
    assert broken["rule"] == BAD_RULE
    assert len(broken["error"]) == 1 and "Hots" in broken["error"][0], broken

    status, _, body = call(port, "/api/http/routers/broken@file", token=reader)
    assert status == 200 and json.loads(body)["status"] == "disabled"

    for path in ["/api/rawdata", "/api/overview", "/api/http/services", "/api/http/middlewares",
                 "/api/tcp/routers", "/api/tcp/services", "/api/entrypoints"]:
        for token, expected in [(None, 401), (acme, 403), (reader, 200)]:
            status, _, body = call(port, path, token=token)
            assert status == expected, f"{path} with {'no token' if token is None else 'a token'}: {status} {body!r}"
            if expected == 200:
                json.loads(body)

    overview = json.loads(call(port, "/api/overview", token=reader)[2])
    assert overview["http"]["routers"] == {"total": 2, "warnings": 0, "errors": 1}

    # The tokens never reach the logs, and the database holds none of them.
    logs = gh.logs() + gh.stdout()
    db = b"".join((gh.data_dir / f"gatehouse.db{s}").read_bytes()
                  for s in ("", "-wal", "-shm") if (gh.data_dir / f"gatehouse.db{s}").exists())
    for token in (reader, acme):
        assert token not in logs and token[3:] not in logs
        assert token.encode() not in db and token[3:].encode() not in db


def test_openapi_document_lists_every_route_it_serves(admin_gh):
    gh, port = admin_gh, admin_gh.admin_port
    admin = create_token(gh, "root", "admin")
    status, _, _ = call(port, "/api/v1/openapi.json")
    assert status == 401
    status, fields, body = call(port, "/api/v1/openapi.json", token=admin)
    assert status == 200 and fields.get("content-type") == "application/json"
    document = json.loads(body)
    assert document["openapi"].startswith("3.1")
    names = {"/api/entrypoints/{name}": "web", "/api/http/routers/{name}": "good@file",
             "/api/http/services/{name}": "app@file"}
    operations = [(method.upper(), path) for path, ops in document["paths"].items() for method in ops]
    assert ("GET", "/ping") in operations and ("GET", "/api/http/routers") in operations
    assert ("GET", "/api/v1/openapi.json") in operations
    for method, path in operations:
        concrete = path.replace("{name}", names.get(path, "missing@file")).replace("{id}", "missing")
        concrete = concrete.replace("{host}", "missing.example.com")
        status, _, body = call(port, concrete, token=admin, method=method)
        if method == "POST" and "{id}" not in path:
            # Issuing and exposing need a body: refused without one, naming the field.
            assert status in (400, 422) and b"field" in body, f"{method} {concrete}: {status} {body!r}"
        elif "{id}" in path or "{host}" in path:
            # No certificate has that id (this gateway has no resolver).
            assert status == 404 and b"not found" in body, f"{method} {concrete}: {status} {body!r}"
        elif path in names or "{name}" not in path:
            assert status == 200, f"{method} {concrete}: {status} {body!r}"
        else:
            assert status == 404 and b"not found" in body, f"{method} {concrete}: {status} {body!r}"
    # And what is not documented is not served.
    for path in ["/api/v1/nothing", "/api/version", "/dashboard/"]:
        assert call(port, path, token=admin)[0] == 404, path


def test_foreign_origins_and_preflights_are_refused(admin_gh):
    gh, port = admin_gh, admin_gh.admin_port
    reader = create_token(gh, "reader", "ingress.read")
    status, fields, _ = call(port, "/api/rawdata", token=reader, headers={"Origin": "http://evil.example"})
    assert status == 403 and "access-control-allow-origin" not in fields
    status, fields, _ = call(port, "/api/rawdata", method="OPTIONS", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert status == 403 and not any(k.startswith("access-control-") for k in fields)
    status, _, _ = call(port, "/api/rawdata", token=reader, headers={"Origin": f"http://{LOOPBACK}:{port}"})
    assert status == 200


def test_list_revoke_and_reload(admin_gh):
    gh, port = admin_gh, admin_gh.admin_port
    reader = create_token(gh, "reader", "ingress.read")
    assert call(port, "/api/overview", token=reader)[0] == 200

    dup = token_command(gh, "create", "--name", "reader", "--scope", "admin")
    assert dup.returncode != 0 and dup.stdout == b"" and b"reader" in dup.stderr
    bad = token_command(gh, "create", "--name", "x", "--scope", "ingress.read,root")
    assert bad.returncode != 0 and bad.stdout == b"" and b"root" in bad.stderr

    listing = token_command(gh, "list")
    assert listing.returncode == 0
    text = listing.stdout.decode()
    assert "reader" in text and "ingress.read" in text and reader not in text and reader[3:] not in text

    # A fixed file: the router comes back enabled in the API after the reload.
    backend_url = json.loads(call(port, "/api/http/services/app@file", token=reader)[2])["loadBalancer"]["servers"][0]["url"]
    fixed = dynamic(backend_url)
    fixed["http"]["routers"]["broken"]["rule"] = "Host(`broken.test`)"
    (gh.workdir / "dynamic.d" / "routes.yml").write_text(dump_yaml(fixed))

    def broken_status():
        return json.loads(call(port, "/api/http/routers/broken@file", token=reader)[2]).get("status")
    assert wait_until(lambda: broken_status() == "enabled", 10), "the reload did not reach the admin API"

    revoke = token_command(gh, "revoke", "reader")
    assert revoke.returncode == 0
    assert call(port, "/api/overview", token=reader)[0] == 401


def test_unix_socket_and_shutdown(launcher, backends, tmp_path):
    curl = support.require_tool("curl")
    backend = backends("app")
    sock = tmp_path / "admin.sock"
    gh = launcher.start(provider_dir={"routes.yml": dynamic(backend.url)},
                        static_extra={"admin": {"address": f"unix:{sock}"}})
    assert wait_until(lambda: sock.exists(), 15), gh.logs()[-3000:]
    assert (sock.stat().st_mode & 0o777) == 0o600
    token = create_token(gh, "local", "ingress.read")

    def over_socket(*args):
        return support.run([curl, "-sS", "--max-time", "10", "--unix-socket", str(sock), *args], timeout=20)

    res = over_socket("http://admin/ping")
    assert res.stdout == b"OK"
    res = over_socket("-o", "/dev/null", "-w", "%{http_code}", "http://admin/api/http/routers")
    assert res.stdout == b"401"
    res = over_socket("-H", f"Authorization: Bearer {token}", "http://admin/api/http/routers")
    assert {r["name"] for r in json.loads(res.stdout)} == {"good@file", "broken@file"}
    res = over_socket("-o", "/dev/null", "-w", "%{http_code}", "-H", f"Authorization: Bearer {token}",
                      "-H", "Origin: http://localhost", "http://admin/api/http/routers")
    assert res.stdout == b"403", "a unix socket has no web origin: every Origin is refused"

    gh.send_signal(signal.SIGTERM)
    assert gh.wait_exit(20) == 0, gh.logs()[-3000:]
    res = over_socket("http://admin/ping")
    assert res.returncode != 0


def test_admin_address_taken_fails_the_start(launcher, backends):
    import socket
    support.require_tool("curl")
    blocker = socket.socket()
    blocker.bind((LOOPBACK, 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    try:
        gh = launcher.start(dynamic={}, static_extra={"admin": {"address": f"{LOOPBACK}:{port}"}}, wait=False)
        code = gh.wait_exit(20)
        assert code not in (None, 0), "gatehouse must not run without the admin API it was asked for"
        assert "admin API cannot listen" in gh.logs()
    finally:
        blocker.close()


def test_no_admin_key_no_admin_listener(launcher, backends):
    gh = launcher.start(provider_dir={"routes.yml": dynamic(backends("app").url)})
    assert "admin API listening" not in gh.logs()
