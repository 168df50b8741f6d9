"""A fake of DigitalOcean's API v2 domain records (https://docs.digitalocean.com/reference/api/).

Contract followed:
- `Authorization: Bearer <token>`; anything else is HTTP 401 {"id": "unauthorized", "message":
  "Unable to authenticate you"}.
- GET /v2/domains/{domain}/records?type=&name=<full name>&page=&per_page= →
  {"domain_records": [...], "links": {"pages": {"next": …}}, "meta": {"total": n}}; record
  names in answers are relative to the domain ("@" for the apex).
- POST /v2/domains/{domain}/records with `Content-Type: application/json` and type, name
  (relative to the domain), data, ttl (≥ 30) → 201 {"domain_record": {...}}; a bad body is
  HTTP 422 {"id": "unprocessable_entity", …}.
- DELETE /v2/domains/{domain}/records/{id} → 204.
- An unknown domain or record is HTTP 404 {"id": "not_found", "message": "The resource you were
  accessing could not be found."}.

Credentials (--credential): DO_AUTH_TOKEN; READ_ONLY_TOKEN (a token whose writes get HTTP 403
{"id": "forbidden", "message": "You do not have access for the attempted action."}).
"""
from __future__ import annotations

import itertools
import sys

from base import FakeProvider, Reply, Request, main

NOT_FOUND = Reply(404, {"id": "not_found", "message": "The resource you were accessing could not be found."})


class DigitalOceanFake(FakeProvider):
    name = "digitalocean"

    def __init__(self, zones, credentials):
        super().__init__(zones, credentials)
        self.records: dict[int, dict] = {}
        self.ids = itertools.count(3352892)

    def handle(self, request: Request) -> Reply:
        authorization = request.header("Authorization") or ""
        token = authorization[len("Bearer "):] if authorization.startswith("Bearer ") else None
        read_only = token is not None and token == self.credentials.get("READ_ONLY_TOKEN")
        if not token or (token != self.credentials.get("DO_AUTH_TOKEN") and not read_only):
            return Reply(401, {"id": "unauthorized", "message": "Unable to authenticate you"})
        parts = [p for p in request.path.split("/") if p]
        if len(parts) < 4 or parts[:2] != ["v2", "domains"] or parts[3] != "records":
            return NOT_FOUND
        domain = parts[2].lower()
        if domain not in self.zones:
            return NOT_FOUND
        if request.method != "GET" and read_only:
            return Reply(403, {"id": "forbidden", "message": "You do not have access for the attempted action."})
        if len(parts) == 4 and request.method == "GET":
            return self.list(request, domain)
        if len(parts) == 4 and request.method == "POST":
            return self.create(request, domain)
        if len(parts) == 5 and request.method == "DELETE":
            record = self.records.get(int(parts[4])) if parts[4].isdigit() else None
            if record is None or record["domain"] != domain:
                return NOT_FOUND
            del self.records[record["id"]]
            self.dns.remove_txt(self.full_name(record["name"], domain), record["data"])
            return Reply(204)
        return Reply(405, {"id": "method_not_allowed", "message": "Method not allowed"})

    @staticmethod
    def full_name(name: str, domain: str) -> str:
        return domain if name == "@" else f"{name}.{domain}"

    def list(self, request: Request, domain: str) -> Reply:
        kind = request.query.get("type", [None])[0]
        name = request.query.get("name", [None])[0]
        page = int(request.query.get("page", ["1"])[0])
        per_page = min(int(request.query.get("per_page", ["20"])[0]), 200)
        items = [self.public(r) for r in self.records.values() if r["domain"] == domain
                 and (kind is None or r["type"] == kind)
                 and (name is None or self.full_name(r["name"], domain) == name.lower().rstrip("."))]
        chunk = items[(page - 1) * per_page: page * per_page]
        links = {}
        if page * per_page < len(items):
            query = f"type={kind or ''}&name={name or ''}&page={page + 1}&per_page={per_page}"
            base = f"http://{request.header('Host')}{request.path}"
            links = {"pages": {"next": f"{base}?{query}"}}
        return Reply(200, {"domain_records": chunk, "links": links, "meta": {"total": len(items)}})

    @staticmethod
    def public(record: dict) -> dict:
        return {k: v for k, v in record.items() if k != "domain"}

    def create(self, request: Request, domain: str) -> Reply:
        if (request.header("Content-Type") or "").split(";")[0].strip() != "application/json":
            return Reply(415, {"id": "unsupported_media_type", "message": "Content-Type must be application/json"})
        try:
            body = request.json()
        except ValueError:
            return Reply(400, {"id": "bad_request", "message": "unable to parse the request body"})
        if not isinstance(body, dict) or body.get("type") not in ("TXT", "A", "AAAA", "CNAME"):
            return Reply(422, {"id": "unprocessable_entity", "message": "type is not included in the list"})
        name, data, ttl = body.get("name"), body.get("data"), body.get("ttl", 1800)
        if not isinstance(name, str) or not name or name.endswith("."):
            return Reply(422, {"id": "unprocessable_entity", "message": "name is invalid"})
        if not isinstance(data, str) or not data:
            return Reply(422, {"id": "unprocessable_entity", "message": "data is required"})
        if not isinstance(ttl, int) or ttl < 30:
            return Reply(422, {"id": "unprocessable_entity", "message": "ttl must be at least 30"})
        record = {"id": next(self.ids), "type": body["type"], "name": name.lower(), "data": data, "priority": None,
                  "port": None, "ttl": ttl, "weight": None, "flags": None, "tag": None, "domain": domain}
        self.records[record["id"]] = record
        if record["type"] == "TXT":
            self.dns.add_txt(self.full_name(record["name"], domain), data)
        return Reply(201, {"domain_record": self.public(record)})


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(DigitalOceanFake)
