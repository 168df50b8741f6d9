"""Fake of the OVHcloud API's DNS zones (https://api.ovh.com/console/#/domain/zone), as lego's
`ovh` provider and Gatehouse's use it.

Credentials: AK, AS, CK (application key authentication: every request but GET /auth/time is
signed, "$1$" + sha1_hex(AS+"+"+CK+"+"+METHOD+"+"+URL+"+"+BODY+"+"+TIMESTAMP), and the fake
recomputes it), and optionally TOKEN (accepted as `Authorization: Bearer <TOKEN>`) or
CLIENT_ID/CLIENT_SECRET (POST /auth/oauth2/token, client credentials grant, issues a bearer).
Errors are OVH's bodies: INVALID_KEY, INVALID_CREDENTIAL (403), INVALID_SIGNATURE (400),
"This service does not exist" (404) for a zone the account does not hold.

    GET    /1.0/auth/time                                    Unix time, unauthenticated
    POST   /1.0/domain/zone/{zone}/record                    {"fieldType","subDomain","target","ttl"}
    GET    /1.0/domain/zone/{zone}/record?fieldType=&subDomain=   [ids]
    GET    /1.0/domain/zone/{zone}/record/{id}               the record
    DELETE /1.0/domain/zone/{zone}/record/{id}               null
    POST   /1.0/domain/zone/{zone}/refresh                   null: publishes the changes

As at OVH, created and deleted records reach the zone's DNS only when the zone is refreshed.
"""
from __future__ import annotations

import hashlib
import re
import sys
import time
import urllib.parse

from base import FakeProvider, Reply, Request, main

RECORDS = re.compile(r"^/1\.0/domain/zone/([^/]+)/record$")
RECORD = re.compile(r"^/1\.0/domain/zone/([^/]+)/record/(\d+)$")
REFRESH = re.compile(r"^/1\.0/domain/zone/([^/]+)/refresh$")
FIELD_TYPES = {"A", "AAAA", "CAA", "CNAME", "DKIM", "DMARC", "DNAME", "LOC", "MX", "NAPTR", "NS", "PTR", "SPF", "SRV", "SSHFP", "TLSA", "TXT"}


def error(status: int, code: str, http_code: str, message: str) -> Reply:
    return Reply(status, {"errorCode": code, "httpCode": http_code, "message": message})


def not_found(message: str = "This service does not exist") -> Reply:
    return Reply(404, {"class": "Client::NotFound", "message": message})


def invalid(message: str) -> Reply:
    return Reply(400, {"class": "Client::BadRequest", "message": message})


def signature(secret: str, consumer: str, method: str, url: str, body: str, timestamp: str) -> str:
    return "$1$" + hashlib.sha1("+".join([secret, consumer, method, url, body, timestamp]).encode()).hexdigest()


class OVHFake(FakeProvider):
    name = "ovh"

    def __init__(self, zones, credentials):
        super().__init__(zones, credentials)
        self.records: dict[int, dict] = {}        # id -> record, as the API shows it
        self.published: dict[int, dict] = {}      # what the zone's DNS serves (after refresh)
        self.next_id = 5000000001
        self.tokens: set[str] = set()

    def authenticate(self, request: Request) -> Reply | None:
        authorization = request.header("Authorization") or ""
        if authorization.startswith("Bearer "):
            token = authorization[len("Bearer "):]
            if token and (token == self.credentials.get("TOKEN") or token in self.tokens):
                return None
            return Reply(401, {"class": "Client::Unauthorized", "message": "Invalid token"})
        if request.header("X-Ovh-Application") != self.credentials.get("AK"):
            return error(403, "INVALID_KEY", "403 Forbidden", "Invalid application key")
        if request.header("X-Ovh-Consumer") != self.credentials.get("CK"):
            return error(403, "INVALID_CREDENTIAL", "403 Forbidden", "This credential does not exist")
        timestamp = request.header("X-Ovh-Timestamp") or ""
        if not timestamp.isdigit() or abs(int(timestamp) - int(time.time())) > 300:
            return error(400, "QUERY_TIME_OUT", "400 Bad Request", "Query out of time")
        url = f"http://{request.header('Host')}{request.raw_path}"
        expected = signature(self.credentials.get("AS", ""), self.credentials.get("CK", ""), request.method, url,
                             request.body.decode(), timestamp)
        if request.header("X-Ovh-Signature") != expected:
            return error(400, "INVALID_SIGNATURE", "400 Bad Request", "Invalid signature")
        return None

    def publish(self, zone: str) -> None:
        for rid in [r for r, rec in self.published.items() if rec["zone"] == zone]:
            rec = self.published.pop(rid)
            self.dns.remove_txt(self.owner(rec), self.unquote(rec["target"]))
        for rid, rec in self.records.items():
            if rec["zone"] == zone:
                self.published[rid] = dict(rec)
                if rec["fieldType"] == "TXT":
                    self.dns.add_txt(self.owner(rec), self.unquote(rec["target"]))

    @staticmethod
    def owner(rec: dict) -> str:
        return f"{rec['subDomain']}.{rec['zone']}" if rec["subDomain"] else rec["zone"]

    @staticmethod
    def unquote(value: str) -> str:
        return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value

    def handle(self, request: Request) -> Reply:
        if request.method == "GET" and request.path == "/1.0/auth/time":
            return Reply(200, str(int(time.time())))
        if request.method == "POST" and request.path == "/auth/oauth2/token":
            form = urllib.parse.parse_qs(request.body.decode())
            if (request.header("Content-Type") or "").split(";")[0] != "application/x-www-form-urlencoded":
                return Reply(400, {"error": "invalid_request"})
            if (form.get("grant_type") != ["client_credentials"] or not self.credentials.get("CLIENT_ID")
                    or form.get("client_id") != [self.credentials["CLIENT_ID"]]
                    or form.get("client_secret") != [self.credentials.get("CLIENT_SECRET")]):
                return Reply(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
            token = f"eyJ.fake.{len(self.tokens) + 1}"
            self.tokens.add(token)
            return Reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": "all"})

        refused = self.authenticate(request)
        if refused:
            return refused
        if request.body and (request.header("Content-Type") or "").split(";")[0] != "application/json":
            return invalid("Invalid content type, expected application/json")

        for pattern in (RECORDS, RECORD, REFRESH):
            match = pattern.match(request.path)
            if match:
                break
        else:
            return not_found("Got an invalid (or empty) URL")
        zone = match.group(1).lower()
        if zone not in self.zones:
            return not_found()

        if pattern is RECORDS and request.method == "POST":
            try:
                body = request.json()
            except ValueError:
                return invalid("Invalid JSON received")
            if not isinstance(body, dict) or body.get("fieldType") not in FIELD_TYPES:
                return invalid("[fieldType] Given data (%s) does not belong to the NamedResolutionFieldTypeEnum enumeration" % (body or {}).get("fieldType") if isinstance(body, dict) else "Invalid body")
            if not isinstance(body.get("target"), str) or not body["target"]:
                return invalid("Missing parameter(s) : target")
            sub = body.get("subDomain", "")
            ttl = body.get("ttl", 0)
            if not isinstance(sub, str) or not isinstance(ttl, int):
                return invalid("[subDomain/ttl] invalid type")
            rid = self.next_id
            self.next_id += 1
            self.records[rid] = {"id": rid, "zone": zone, "subDomain": sub.lower(), "fieldType": body["fieldType"],
                                 "target": body["target"], "ttl": ttl}
            return Reply(200, self.records[rid])
        if pattern is RECORDS and request.method == "GET":
            field = request.query.get("fieldType", [None])[0]
            sub = request.query.get("subDomain", [None])[0]
            if "subDomain" in request.raw_path and sub is None:
                sub = ""  # ?subDomain= (the apex) parses as absent
            ids = [rid for rid, rec in self.records.items() if rec["zone"] == zone
                   and (field is None or rec["fieldType"] == field) and (sub is None or rec["subDomain"] == sub.lower())]
            return Reply(200, ids)
        if pattern is RECORD:
            rid = int(match.group(2))
            rec = self.records.get(rid)
            if rec is None or rec["zone"] != zone:
                return not_found(f"The requested object (id = {rid}) does not exist")
            if request.method == "GET":
                return Reply(200, rec)
            if request.method == "DELETE":
                del self.records[rid]
                return Reply(200, "null")
        if pattern is REFRESH and request.method == "POST":
            self.publish(zone)
            return Reply(200, "null")
        return Reply(405, {"class": "Client::MethodNotAllowed", "message": "Method not allowed"})


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(OVHFake)
