"""Fake of the Hetzner Cloud API's DNS zones (https://docs.hetzner.cloud/reference/cloud#zones),
as lego's `hetzner` provider (HETZNER_API_TOKEN, its hetznerv1 code) and Gatehouse's use it.

Credential: TOKEN, accepted only as `Authorization: Bearer <TOKEN>`; anything else (including
the legacy DNS Console's `Auth-API-Token` header) gets Hetzner's 401 body.

    GET  /v1/zones/{zone}/rrsets/{name}/{type}                       {"rrset": {...}} or 404
    POST /v1/zones/{zone}/rrsets/{name}/{type}/actions/add_records    {"ttl"?, "records": [{"value"}]}
    POST /v1/zones/{zone}/rrsets/{name}/{type}/actions/remove_records {"records": [{"value"}]}
    GET  /v1/actions/{id}                                            "running" once, then "success"

Strict: JSON content type, TXT values must be quoted strings (422 invalid_input otherwise),
errors are {"error": {"code", "message", "details"}}; a zone the project lacks gets 404 not_found.

The legacy DNS Console API (https://dns.hetzner.com/api-docs), with credential KEY accepted only
as `Auth-API-Token: <KEY>` (401 {"message": "Invalid authentication credentials"} otherwise):

    GET    /api/v1/zones?name={zone}          {"zones": [{"id", "name"}]}, or 404 with an empty list
    GET    /api/v1/records?zone_id={id}       {"records": [...]}
    POST   /api/v1/records                    {"name", "ttl", "type", "value", "zone_id"} -> {"record"}
    DELETE /api/v1/records/{id}               200, or 404
"""
from __future__ import annotations

import re
import sys

from base import FakeProvider, Reply, Request, main

RRSET = re.compile(r"^/v1/zones/([^/]+)/rrsets/([^/]+)/([A-Z]+)$")
ACTION = re.compile(r"^/v1/zones/([^/]+)/rrsets/([^/]+)/([A-Z]+)/actions/(add_records|remove_records)$")
GET_ACTION = re.compile(r"^/v1/actions/(\d+)$")


def failure(status: int, code: str, message: str, details: dict | None = None) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message, "details": details or {}}})


def unquote(value: str) -> str:
    return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")


class HetznerFake(FakeProvider):
    name = "hetzner"

    def __init__(self, zones, credentials):
        super().__init__(zones, credentials)
        self.ttls: dict[str, int] = {}
        self.actions: dict[int, int] = {}  # id -> polls seen
        self.next_action = 1000
        self.console_records: dict[str, dict] = {}

    def owner(self, zone: str, name: str) -> str:
        return zone if name == "@" else f"{name}.{zone}"

    def action(self, command: str) -> Reply:
        self.next_action += 1
        self.actions[self.next_action] = 0
        return Reply(201, {"action": {"id": self.next_action, "command": command, "status": "running", "progress": 0,
                                      "started": "2026-01-01T00:00:00Z", "finished": None, "resources": [], "error": None}})

    def console(self, request: Request) -> Reply:
        key = self.credentials.get("KEY", "")
        if not key or request.header("Auth-API-Token") != key:
            return Reply(401, {"message": "Invalid authentication credentials"})
        zone_ids = {f"zone{index + 1:04d}": zone for index, zone in enumerate(self.zones)}
        if request.method == "GET" and request.path == "/api/v1/zones":
            name = (request.query.get("name") or [""])[0].lower()
            zones = [{"id": zid, "name": zone, "ttl": 86400} for zid, zone in zone_ids.items() if zone == name]
            if not zones:
                return Reply(404, {"zones": [], "error": {"message": "zone not found", "code": 404}})
            return Reply(200, {"zones": zones, "meta": {"pagination": {"page": 1, "per_page": 100, "total_entries": len(zones)}}})
        if request.method == "GET" and request.path == "/api/v1/records":
            zid = (request.query.get("zone_id") or [""])[0]
            if zid not in zone_ids:
                return Reply(404, {"records": [], "error": {"message": "zone not found", "code": 404}})
            return Reply(200, {"records": [r for r in self.console_records.values() if r["zone_id"] == zid]})
        if request.method == "POST" and request.path == "/api/v1/records":
            if (request.header("Content-Type") or "").split(";")[0] != "application/json":
                return Reply(422, {"error": {"message": "invalid content type", "code": 422}})
            body = request.json()
            if not isinstance(body, dict) or body.get("zone_id") not in zone_ids or not body.get("type") \
                    or not isinstance(body.get("name"), str) or not isinstance(body.get("value"), str) or not body["value"]:
                return Reply(422, {"record": {}, "error": {"message": "422 Unprocessable Entity: invalid record", "code": 422}})
            self.next_action += 1
            rid = f"rec{self.next_action}"
            record = {"id": rid, "type": body["type"], "name": body["name"], "value": body["value"],
                      "ttl": body.get("ttl"), "zone_id": body["zone_id"]}
            self.console_records[rid] = record
            if record["type"] == "TXT":
                self.dns.add_txt(self.owner(zone_ids[record["zone_id"]], record["name"].lower()), record["value"])
            return Reply(200, {"record": record})
        if request.method == "DELETE" and request.path.startswith("/api/v1/records/"):
            record = self.console_records.pop(request.path.rsplit("/", 1)[1], None)
            if record is None:
                return Reply(404, {"error": {"message": "record not found", "code": 404}})
            if record["type"] == "TXT":
                self.dns.remove_txt(self.owner(zone_ids[record["zone_id"]], record["name"].lower()), record["value"])
            return Reply(200)
        return Reply(404, {"error": {"message": "not found", "code": 404}})

    def handle(self, request: Request) -> Reply:
        if request.path.startswith("/api/v1/"):
            return self.console(request)
        token = self.credentials.get("TOKEN", "")
        if not token or request.header("Authorization") != f"Bearer {token}":
            return failure(401, "unauthorized", "unable to authenticate")

        match = GET_ACTION.match(request.path)
        if match and request.method == "GET":
            action_id = int(match.group(1))
            if action_id not in self.actions:
                return failure(404, "not_found", "action not found")
            self.actions[action_id] += 1
            done = self.actions[action_id] > 1
            return Reply(200, {"action": {"id": action_id, "command": "add_rrset_records", "status": "success" if done else "running",
                                          "progress": 100 if done else 50, "resources": [], "error": None}})

        action = ACTION.match(request.path)
        match = action or RRSET.match(request.path)
        if not match:
            return failure(404, "not_found", "not found")
        zone, name, rtype = match.group(1).lower(), match.group(2).lower(), match.group(3)
        if zone not in self.zones:
            return failure(404, "not_found", "zone not found")
        owner = self.owner(zone, name)
        values = self.dns.txt(owner) if rtype == "TXT" else []

        if not action:
            if request.method != "GET":
                return failure(405, "method_not_allowed", "method not allowed")
            if not values:
                return failure(404, "not_found", "rrset not found")
            return Reply(200, {"rrset": {"id": f"{name}/{rtype}", "name": name, "type": rtype, "ttl": self.ttls.get(owner),
                                         "labels": {}, "protection": {"change": False},
                                         "records": [{"value": '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"', "comment": ""} for v in values],
                                         "zone": self.zones.index(zone) + 1}})

        if request.method != "POST":
            return failure(405, "method_not_allowed", "method not allowed")
        if (request.header("Content-Type") or "").split(";")[0] != "application/json":
            return failure(415, "unsupported_media_type", "Content-Type must be application/json")
        try:
            body = request.json()
        except ValueError:
            return failure(400, "json_error", "invalid JSON")
        records = body.get("records") if isinstance(body, dict) else None
        if not isinstance(records, list) or not records:
            return failure(422, "invalid_input", "invalid input in field 'records'",
                           {"fields": [{"name": "records", "messages": ["must contain at least one record"]}]})
        new = []
        for record in records:
            value = record.get("value") if isinstance(record, dict) else None
            if not isinstance(value, str) or len(value) < 2 or not (value.startswith('"') and value.endswith('"')):
                return failure(422, "invalid_input", "invalid input in field 'records'",
                               {"fields": [{"name": "records", "messages": ["TXT record values must be quoted"]}]})
            new.append(unquote(value))
        if action.group(4) == "add_records":
            ttl = body.get("ttl")
            if ttl is not None and (not isinstance(ttl, int) or ttl < 60):
                return failure(422, "invalid_input", "invalid input in field 'ttl'",
                               {"fields": [{"name": "ttl", "messages": ["must be at least 60"]}]})
            if ttl is not None:
                self.ttls[owner] = ttl
            for value in new:
                self.dns.add_txt(owner, value)
            return self.action("add_rrset_records")
        if not values:
            return failure(404, "not_found", "rrset not found")
        for value in new:
            self.dns.remove_txt(owner, value)
        return self.action("remove_rrset_records")


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(HetznerFake)
