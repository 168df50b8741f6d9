"""A fake of Cloudflare's v4 API (https://developers.cloudflare.com/api/), the parts DNS-01 uses.

Contract followed:
- Every answer is the v4 envelope {"success", "errors": [{"code", "message"}], "messages",
  "result"} (plus "result_info" on lists).
- Authentication: `Authorization: Bearer <API token>`, or the global key pair `X-Auth-Email` +
  `X-Auth-Key`. A malformed or missing header is HTTP 400 code 6003 "Invalid request headers"
  with an error_chain (6111 for Authorization, 6102/6103 for the key pair); an unknown token is
  HTTP 403 code 9109 "Invalid access token"; an unknown key pair HTTP 403 code 9103 "Unknown
  X-Auth-Key or X-Auth-Email". A token allowed only to read zones (CF_ZONE_API_TOKEN) gets HTTP
  403 code 10000 "Authentication error" on dns_records.
- GET /zones?name=&page=&per_page= lists the zones the credential sees (an empty list for an
  unknown name); GET/POST /zones/{id}/dns_records, DELETE /zones/{id}/dns_records/{record id}.
  An unknown zone id is HTTP 404 code 7003; a record that exists already is HTTP 400 code 81058;
  deleting an unknown record is HTTP 404 code 81044; a TTL other than 1 or 60…86400 is HTTP 400
  code 9021. POST bodies must be `Content-Type: application/json` with type, name and content.

Credentials (--credential): CF_DNS_API_TOKEN, CF_ZONE_API_TOKEN, CF_API_EMAIL + CF_API_KEY.
"""
from __future__ import annotations

import hashlib
import re
import sys
import uuid

from base import FakeProvider, Reply, Request, main


def envelope(result=None, status: int = 200, errors: list | None = None, result_info: dict | None = None) -> Reply:
    body = {"success": not errors, "errors": errors or [], "messages": [], "result": result}
    if result_info is not None:
        body["result_info"] = result_info
    return Reply(status, body)


def failure(status: int, code: int, message: str, chain: list | None = None) -> Reply:
    error = {"code": code, "message": message}
    if chain:
        error["error_chain"] = chain
    return envelope(None, status, [error])


class CloudflareFake(FakeProvider):
    name = "cloudflare"

    def __init__(self, zones, credentials):
        super().__init__(zones, credentials)
        self.zone_ids = {hashlib.md5(z.encode()).hexdigest(): z for z in self.zones}
        self.records: dict[str, dict] = {}

    # -- authentication ---------------------------------------------------------------------

    def authenticate(self, request: Request) -> tuple[str | None, Reply | None]:
        """Returns ("dns" | "zone", None) or (None, the refusal)."""
        authorization = request.header("Authorization")
        email, key = request.header("X-Auth-Email"), request.header("X-Auth-Key")
        if authorization is not None:
            match = re.fullmatch(r"Bearer ([A-Za-z0-9_\-]+)", authorization)
            if match is None:
                return None, failure(400, 6003, "Invalid request headers",
                                     [{"code": 6111, "message": "Invalid format for Authorization header"}])
            token = match.group(1)
            if token and token == self.credentials.get("CF_DNS_API_TOKEN"):
                return "dns", None
            if token and token == self.credentials.get("CF_ZONE_API_TOKEN"):
                return "zone", None
            return None, failure(403, 9109, "Invalid access token")
        if email is None and key is None:
            return None, failure(400, 6003, "Invalid request headers",
                                 [{"code": 6111, "message": "Invalid format for Authorization header"}])
        chain = []
        if not email or "@" not in email:
            chain.append({"code": 6102, "message": "Invalid format for X-Auth-Email header"})
        if not key or not re.fullmatch(r"[0-9a-fA-F]{37}", key):
            chain.append({"code": 6103, "message": "Invalid format for X-Auth-Key header"})
        if chain:
            return None, failure(400, 6003, "Invalid request headers", chain)
        if email == self.credentials.get("CF_API_EMAIL") and key == self.credentials.get("CF_API_KEY"):
            return "dns", None
        return None, failure(403, 9103, "Unknown X-Auth-Key or X-Auth-Email")

    # -- requests ---------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        scope, refusal = self.authenticate(request)
        if refusal is not None:
            return refusal
        parts = [p for p in request.path.split("/") if p]
        if parts[:2] != ["client", "v4"]:
            return failure(404, 7000, "No route for that URI")
        parts = parts[2:]
        if parts == ["zones"] and request.method == "GET":
            return self.list_zones(request)
        if len(parts) >= 3 and parts[0] == "zones" and parts[2] == "dns_records":
            zone = self.zone_ids.get(parts[1])
            if zone is None:
                return failure(404, 7003, "Could not route to /zones/%s/dns_records, perhaps your object identifier is invalid?" % parts[1])
            if scope != "dns":
                return failure(403, 10000, "Authentication error")
            if len(parts) == 3 and request.method == "GET":
                return self.list_records(request, parts[1])
            if len(parts) == 3 and request.method == "POST":
                return self.create_record(request, parts[1], zone)
            if len(parts) == 4 and request.method == "DELETE":
                return self.delete_record(parts[1], parts[3])
            return failure(405, 10405, "Method not allowed for this endpoint")
        return failure(404, 7000, "No route for that URI")

    @staticmethod
    def page(request: Request, items: list) -> Reply:
        try:
            page = int(request.query.get("page", ["1"])[0])
            per_page = int(request.query.get("per_page", ["20"])[0])
        except ValueError:
            return failure(400, 1001, "Invalid page or per_page")
        if page < 1 or not 5 <= per_page <= 5000:
            return failure(400, 1001, "Invalid page or per_page")
        chunk = items[(page - 1) * per_page: page * per_page]
        total_pages = max(1, -(-len(items) // per_page))
        return envelope(chunk, result_info={"page": page, "per_page": per_page, "count": len(chunk),
                                            "total_count": len(items), "total_pages": total_pages})

    def list_zones(self, request: Request) -> Reply:
        wanted = request.query.get("name", [None])[0]
        zones = [{"id": zone_id, "name": name, "status": "active"}
                 for zone_id, name in sorted(self.zone_ids.items(), key=lambda item: item[1])
                 if wanted is None or name == wanted.lower()]
        return self.page(request, zones)

    def list_records(self, request: Request, zone_id: str) -> Reply:
        def wanted(key: str):
            return request.query.get(key, [None])[0]
        items = [r for r in self.records.values() if r["zone_id"] == zone_id
                 and (wanted("type") is None or r["type"] == wanted("type"))
                 and (wanted("name") is None or r["name"] == wanted("name").lower())
                 and (wanted("content") is None or r["content"] == wanted("content"))]
        return self.page(request, items)

    def create_record(self, request: Request, zone_id: str, zone: str) -> Reply:
        if (request.header("Content-Type") or "").split(";")[0].strip() != "application/json":
            return failure(415, 6007, "Malformed JSON in request body")
        try:
            body = request.json()
        except ValueError:
            return failure(400, 6007, "Malformed JSON in request body")
        if not isinstance(body, dict):
            return failure(400, 6007, "Malformed JSON in request body")
        for field in ("type", "name", "content"):
            if not isinstance(body.get(field), str) or not body[field]:
                return failure(400, 1004, "DNS Validation Error", [{"code": 1004, "message": f"DNS record {field} is required"}])
        name = body["name"].lower().rstrip(".")
        if name != zone and not name.endswith("." + zone):
            return failure(400, 1004, "DNS Validation Error", [{"code": 1004, "message": "record name is not in the zone"}])
        ttl = body.get("ttl", 1)
        if not isinstance(ttl, int) or not (ttl == 1 or 60 <= ttl <= 86400):
            return failure(400, 9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.")
        for existing in self.records.values():
            if (existing["zone_id"], existing["type"], existing["name"], existing["content"]) == (zone_id, body["type"], name, body["content"]):
                return failure(400, 81058, "An identical record already exists.")
        record = {"id": uuid.uuid4().hex, "zone_id": zone_id, "zone_name": zone, "type": body["type"],
                  "name": name, "content": body["content"], "ttl": ttl, "proxied": False}
        self.records[record["id"]] = record
        if record["type"] == "TXT":
            self.dns.add_txt(name, record["content"])
        return envelope(record)

    def delete_record(self, zone_id: str, record_id: str) -> Reply:
        record = self.records.get(record_id)
        if record is None or record["zone_id"] != zone_id:
            return failure(404, 81044, "Record does not exist.")
        del self.records[record_id]
        if record["type"] == "TXT":
            self.dns.remove_txt(record["name"], record["content"])
        return envelope({"id": record_id})


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(CloudflareFake)
