"""forwardAuth against a small authentication server run by the test: allow (configured headers
copied onto the request, cookies onto the response), deny (the service's status, headers and body
returned to the client), redirects made absolute, and an unreachable service."""
from __future__ import annotations

import http.server
import threading

import pytest

from support import LOOPBACK, free_port, http_request, router, service


class AuthServer:
    """Allows `Authorization: Bearer good`; sends `X-Want-Redirect` clients to /login; denies the rest."""

    def __init__(self):
        self.seen: list[dict[str, str]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the stdlib's name
                outer.seen.append({k.lower(): v for k, v in self.headers.items()} | {"_method": self.command, "_path": self.path})
                if self.headers.get("Authorization") == "Bearer good":
                    self.send_response(200)
                    self.send_header("X-Auth-User", "alice")
                    self.send_header("X-Auth-Role", "admin")
                    self.send_header("X-Not-Copied", "1")
                    self.send_header("Set-Cookie", "session=abc; Path=/")
                    self.send_header("Set-Cookie", "tracking=1; Path=/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.headers.get("X-Want-Redirect"):
                    self.send_response(302)
                    self.send_header("Location", "/login?next=1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b"denied by auth"
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Bearer realm="test"')
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def auth():
    server = AuthServer()
    yield server
    server.close()


def start(launcher, be, address: str, entrypoints: dict | None = None, **options):
    return launcher.start(entrypoints=entrypoints, dynamic={"http": {
        "routers": {"app": router("Host(`app.test`)", "svc", middlewares=["sso"])},
        "middlewares": {"sso": {"forwardAuth": {"address": address, **options}}},
        "services": {"svc": service(be.url)},
    }})


def test_allowed_request_gets_the_configured_headers_and_cookies(launcher, backends, auth):
    be = backends("app")
    gh = start(launcher, be, f"http://{LOOPBACK}:{auth.port}/verify",
               authResponseHeaders=["X-Auth-User"], authResponseHeadersRegex="^X-Auth-R", addAuthCookiesToResponse=["session"])
    r = http_request(gh.web, "/orders/7?full=1", host="app.test",
                     headers={"Authorization": "Bearer good", "X-Auth-User": "mallory"})
    assert r.status == 200, r
    seen = be.wait_for_request("/orders/7")
    assert seen is not None
    assert seen.header_all("x-auth-user") == ["alice"], "the client's own X-Auth-User must be replaced"
    assert seen.header("x-auth-role") == "admin"
    assert seen.header("x-not-copied") is None
    cookies = [v for k, v in r.headers if k.lower() == "set-cookie"]
    assert cookies == ["session=abc; Path=/"], cookies
    asked = auth.seen[-1]
    assert asked["_method"] == "GET" and asked["_path"] == "/verify"
    assert asked["x-forwarded-method"] == "GET"
    assert asked["x-forwarded-uri"] == "/orders/7?full=1"
    assert asked["x-forwarded-host"] == "app.test"
    assert asked["x-forwarded-proto"] == "http"
    assert asked["x-forwarded-for"] == "127.0.0.1"
    assert asked["authorization"] == "Bearer good"


def test_denied_request_gets_the_auth_answer_and_never_reaches_the_backend(launcher, backends, auth):
    be = backends("app")
    gh = start(launcher, be, f"http://{LOOPBACK}:{auth.port}/verify")
    r = http_request(gh.web, "/secret", host="app.test", method="POST", body=b"payload",
                     headers={"Authorization": "Bearer bad", "X-Forwarded-Uri": "/spoofed"})
    assert r.status == 401
    assert r.body == b"denied by auth"
    assert r.header("www-authenticate") == 'Bearer realm="test"'
    assert not be.requests_to("/secret")
    assert auth.seen[-1]["x-forwarded-uri"] == "/secret", "untrusted X-Forwarded-Uri is replaced"
    assert auth.seen[-1]["x-forwarded-method"] == "POST"
    # A redirect from the service is passed on, its relative Location made absolute.
    redirect = http_request(gh.web, "/secret", host="app.test", headers={"X-Want-Redirect": "1"})
    assert redirect.status == 302
    assert redirect.header("location") == f"http://{LOOPBACK}:{auth.port}/login?next=1"


def test_preserve_request_method_and_trusted_forward_headers(launcher, backends, auth):
    be = backends("app")
    # The entry point must trust the client too, or it drops X-Forwarded-* before any middleware.
    trusted = {"web": {"forwardedHeaders": {"trustedIPs": ["127.0.0.1/32"]}}, "websecure": {}}
    gh = start(launcher, be, f"http://{LOOPBACK}:{auth.port}/verify", entrypoints=trusted,
               preserveRequestMethod=True, trustForwardHeader=True)
    r = http_request(gh.web, "/x", host="app.test", method="POST", body=b"",
                     headers={"Authorization": "Bearer good", "X-Forwarded-Uri": "/original"})
    assert r.status == 200
    assert auth.seen[-1]["_method"] == "POST"
    assert auth.seen[-1]["x-forwarded-uri"] == "/original"


def test_unreachable_auth_service_answers_500(launcher, backends):
    be = backends("app")
    gh = start(launcher, be, f"http://{LOOPBACK}:{free_port()}/verify")
    r = http_request(gh.web, "/", host="app.test", headers={"Authorization": "Bearer good"})
    assert r.status == 500
    assert not be.requests_to("/")
