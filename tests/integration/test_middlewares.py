"""Router middlewares on the data plane: headers, path rewriting, redirects and the IP allow list,
run in the listed order, built once per configuration, and a router with a middleware that cannot
be served disabled alone."""
from __future__ import annotations

import json

from support import curl, http_request, router, service

TRUSTED = {"forwardedHeaders": {"trustedIPs": ["127.0.0.1/32"]}}


def config(be) -> dict:
    return {"http": {
        "routers": {
            "api": router("Host(`api.test`)", "svc", middlewares=["security", "strip-api"]),
            "admin": router("Host(`admin.test`)", "svc", middlewares=["admin-chain"]),
            "old": router("Host(`old.test`)", "svc", middlewares=["to-https"]),
            "locked": router("Host(`locked.test`)", "svc", middlewares=["grpc"]),
            "digest": router("Host(`digest.test`)", "svc", middlewares=["auth"]),
            "broken": router("Host(`broken.test`)", "svc", middlewares=["security", "broken"]),
            "plain": router("Host(`plain.test`)", "svc"),
        },
        "middlewares": {
            "security": {"headers": {
                "frameDeny": True, "contentTypeNosniff": True, "browserXssFilter": True,
                "referrerPolicy": "strict-origin-when-cross-origin", "stsSeconds": 63072000,
                "forceSTSHeader": True, "customRequestHeaders": {"X-From-Gateway": "yes", "X-Drop": ""},
                "customResponseHeaders": {"X-Served-By": "gatehouse"},
            }},
            "strip-api": {"stripPrefix": {"prefixes": ["/api"]}},
            "only-office": {"ipAllowList": {"sourceRange": ["203.0.113.0/24"], "ipStrategy": {"depth": 1}}},
            "admin-chain": {"chain": {"middlewares": ["security", "only-office", "rewrite"]}},
            "rewrite": {"replacePathRegex": {"regex": "^/users/([0-9]+)$", "replacement": "/u?id=$1"}},
            "to-https": {"redirectScheme": {"scheme": "https", "port": "8443", "permanent": True}},
            # Traefik's documented example entry: user "test", password "test".
            "auth": {"digestAuth": {"users": ["test:traefik:a2688e031edb4be6a3797f3882655c05"], "headerField": "X-User"}},
            "grpc": {"grpcWeb": {"allowOrigins": ["*"]}},
            "broken": {"ipAllowList": {"sourceRange": ["10.0.0.0/8", "not-an-ip"]}},
        },
        "services": {"svc": service(be.url)},
    }}


def test_headers_and_strip_prefix_reach_backend_and_client(launcher, backends):
    be = backends("mw")
    gh = launcher.start(config(be))
    r = http_request(gh.web, "/api/items?x=1", host="api.test", headers={"X-Drop": "secret"})
    assert r.status == 200
    assert r.header("x-frame-options") == "DENY"
    assert r.header("x-content-type-options") == "nosniff"
    assert r.header("x-xss-protection") == "1; mode=block"
    assert r.header("referrer-policy") == "strict-origin-when-cross-origin"
    assert r.header("strict-transport-security") == "max-age=63072000"
    assert r.header("x-served-by") == "gatehouse"
    seen = be.wait_for_request("/items")
    assert seen is not None and seen.target == "/items?x=1"
    assert seen.header("x-forwarded-prefix") == "/api"
    assert seen.header("x-from-gateway") == "yes"
    assert seen.header("x-drop") is None
    # The router without middlewares is untouched.
    plain = http_request(gh.web, "/api/items", host="plain.test")
    assert plain.status == 200 and plain.header("x-frame-options") is None


def test_allow_list_uses_forwarded_for_from_trusted_proxy_and_keeps_security_headers(launcher, backends):
    be = backends("mw")
    gh = launcher.start(config(be), entrypoints={"web": TRUSTED, "websecure": {}})
    allowed = http_request(gh.web, "/users/42", host="admin.test", headers={"X-Forwarded-For": "203.0.113.9"})
    assert allowed.status == 200, allowed.body
    seen = be.wait_for_request("/u")
    assert seen is not None and seen.target == "/u?id=42"
    assert seen.header("x-replaced-path") == "/users/42"
    # The gateway appends its peer after the middlewares, as Traefik's forwarder does.
    assert seen.header("x-forwarded-for") == "203.0.113.9, 127.0.0.1"

    refused = http_request(gh.web, "/users/42", host="admin.test", headers={"X-Forwarded-For": "198.51.100.1"})
    assert refused.status == 403
    assert refused.body == b"Forbidden"
    assert refused.header("x-frame-options") == "DENY", "headers listed before the allow list apply to its answer"
    assert not be.requests_to("/users")


def test_forwarded_for_from_untrusted_client_is_not_believed(launcher, backends):
    be = backends("mw")
    gh = launcher.start(config(be))  # no trustedIPs: X-Forwarded-For from the client is dropped
    r = http_request(gh.web, "/users/42", host="admin.test", headers={"X-Forwarded-For": "203.0.113.9"})
    assert r.status == 403


def test_redirect_scheme(launcher, backends):
    be = backends("mw")
    gh = launcher.start(config(be))
    r = http_request(gh.web, "/path?q=1", host="old.test")
    assert r.status == 301
    assert r.header("location") == "https://old.test:8443/path?q=1"
    post = http_request(gh.web, "/path", host="old.test", method="POST", body=b"")
    assert post.status == 308


def test_router_with_unavailable_or_broken_middleware_is_disabled_alone(launcher, backends):
    be = backends("mw")
    gh = launcher.start(config(be))
    assert http_request(gh.web, "/", host="locked.test").status == 404
    assert gh.wait_for_log("disabled", "locked", timeout=1), gh.logs()[-2000:]
    assert http_request(gh.web, "/", host="broken.test").status == 404
    lines = gh.wait_for_log("disabled", "broken", timeout=1)
    assert lines and "sourceRange[1]" in lines[0], gh.logs()[-2000:]
    assert http_request(gh.web, "/", host="plain.test").status == 200


def test_request_body_waits_while_bcrypt_is_checked_off_the_event_loop(launcher, backends):
    import base64
    import subprocess
    from support import require_tool, sha256_hex, pattern_bytes
    htpasswd = require_tool("htpasswd")
    entry = subprocess.run([htpasswd, "-nbB", "-C", "8", "uploader", "p4ss"], capture_output=True, text=True,
                           check=True).stdout.strip()
    be = backends("upload")
    gh = launcher.start({"http": {
        "routers": {"up": router("Host(`up.test`)", "svc", middlewares=["auth"])},
        "middlewares": {"auth": {"basicAuth": {"users": [entry], "removeHeader": True, "headerField": "X-User"}}},
        "services": {"svc": service(be.url)},
    }})
    body = pattern_bytes(300_000)
    good = "Basic " + base64.b64encode(b"uploader:p4ss").decode()
    r = http_request(gh.web, "/upload", host="up.test", method="POST", body=body, headers={"Authorization": good})
    assert r.status == 200, r
    seen = be.wait_for_request("/upload")
    assert seen is not None and seen.body_sha256 == sha256_hex(body) and seen.body_len == len(body)
    assert seen.header("authorization") is None and seen.header("x-user") == "uploader"
    bad = "Basic " + base64.b64encode(b"uploader:nope").decode()
    refused = http_request(gh.web, "/upload", host="up.test", method="POST", body=body, headers={"Authorization": bad})
    assert refused.status == 401
    assert len(be.requests_to("/upload")) == 1
    # The connection still serves other requests while hashes are checked.
    assert http_request(gh.web, "/", host="up.test", headers={"Authorization": good}).status == 200


def test_in_flight_limit_counts_requests_until_they_finish(launcher, backends):
    import threading
    be = backends("slow")
    gh = launcher.start({"http": {
        "routers": {"one": router("Host(`one.test`)", "svc", middlewares=["one-at-a-time"])},
        "middlewares": {"one-at-a-time": {"inFlightReq": {"amount": 1}}},
        "services": {"svc": service(be.url)},
    }})
    done = {}
    slow = threading.Thread(target=lambda: done.setdefault("r", http_request(gh.web, "/drip?n=4&interval=0.3", host="one.test")))
    slow.start()
    assert be.wait_for_request("/drip", timeout=5) is not None
    second = http_request(gh.web, "/other", host="one.test")
    assert second.status == 429 and second.body == b"Too Many Requests\n"
    slow.join(timeout=10)
    assert done["r"].status == 200
    assert http_request(gh.web, "/other", host="one.test").status == 200, "the finished request no longer counts"


def test_digest_auth_with_curl(launcher, backends):
    be = backends("mw")
    gh = launcher.start(config(be))
    url = f"http://digest.test:{gh.web}/private"
    resolve = ["--resolve", f"digest.test:{gh.web}:127.0.0.1"]
    refused = curl(*resolve, "-o", "/dev/null", "-D", "-", url)
    assert b"401" in refused.stdout.split(b"\r\n")[0], refused.stdout
    assert b'WWW-Authenticate: Digest realm="traefik"' in refused.stdout, refused.stdout
    wrong = curl(*resolve, "--digest", "-u", "test:nope", "-o", "/dev/null", "-w", "%{http_code}", url)
    assert wrong.stdout == b"401"
    ok = curl(*resolve, "--digest", "-u", "test:test", url)
    assert ok.returncode == 0, ok.stderr
    echo = json.loads(ok.stdout)
    assert echo["target"] == "/private"
    assert dict((k.lower(), v) for k, v in echo["headers"]).get("x-user") == "test"
