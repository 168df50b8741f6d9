"""Fake of a webhook following lego's `httpreq` contract (https://go-acme.github.io/lego/dns/httpreq/),
default mode:

    POST /present  {"fqdn": "_acme-challenge.example.com.", "value": "..."}   -> 200, record added
    POST /cleanup  {"fqdn": "_acme-challenge.example.com.", "value": "..."}   -> 200, that value removed

Credentials: USERNAME and PASSWORD, when given, are required as HTTP Basic authentication
(401 with `WWW-Authenticate: Basic` otherwise). Strict: only POST, `Content-Type:
application/json`, a JSON object with exactly the string members fqdn (fully qualified, with its
trailing dot) and value (400 otherwise; a RAW-mode body {"domain","token","keyAuth"} is refused);
a name in none of the fake's zones gets 404.
"""
from __future__ import annotations

import base64
import sys

from base import FakeProvider, Reply, Request, main


class HTTPReqFake(FakeProvider):
    name = "httpreq"

    def handle(self, request: Request) -> Reply:
        if self.credentials.get("USERNAME"):
            expected = "Basic " + base64.b64encode(
                f"{self.credentials['USERNAME']}:{self.credentials.get('PASSWORD', '')}".encode()).decode()
            if request.header("Authorization") != expected:
                return Reply(401, "Unauthorized\n", headers={"WWW-Authenticate": 'Basic realm="acme"'}, content_type="text/plain")
        if request.path not in ("/present", "/cleanup"):
            return Reply(404, "404 page not found\n", content_type="text/plain")
        if request.method != "POST":
            return Reply(405, "method not allowed\n", content_type="text/plain")
        if (request.header("Content-Type") or "").split(";")[0].strip() != "application/json":
            return Reply(400, "expected Content-Type: application/json\n", content_type="text/plain")
        try:
            body = request.json()
        except ValueError:
            return Reply(400, "invalid JSON\n", content_type="text/plain")
        if not isinstance(body, dict) or set(body) != {"fqdn", "value"} \
                or not all(isinstance(body[k], str) and body[k] for k in ("fqdn", "value")):
            return Reply(400, "expected {\"fqdn\", \"value\"}\n", content_type="text/plain")
        if not body["fqdn"].endswith("."):
            return Reply(400, "fqdn must be fully qualified (trailing dot)\n", content_type="text/plain")
        if self.zone_for(body["fqdn"]) is None:
            return Reply(404, f"no zone for {body['fqdn']}\n", content_type="text/plain")
        if request.path == "/present":
            self.dns.add_txt(body["fqdn"], body["value"])
        else:
            self.dns.remove_txt(body["fqdn"], body["value"])
        return Reply(200, {"ok": True})


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(HTTPReqFake)
