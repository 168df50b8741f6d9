"""Fake of Gandi LiveDNS v5 (https://api.gandi.net/docs/livedns/), as Gatehouse's gandiv5 uses it.

Credential: PAT=<personal access token>, accepted only as `Authorization: Bearer <PAT>`.
The deprecated `Authorization: Apikey <key>` header (and the older `X-Api-Key`) is answered
with Gandi's 403 body whatever the key, as Gandi answers it; another token gets Gandi's 401.

    GET    /v5/livedns/domains/{fqdn}                       the domain, or 404
    GET    /v5/livedns/domains/{fqdn}/records/{name}/TXT    the rrset (values in quotes), or 404
    PUT    /v5/livedns/domains/{fqdn}/records/{name}/TXT    {"rrset_ttl", "rrset_values"}: replace, 201
    DELETE /v5/livedns/domains/{fqdn}/records/{name}/TXT    204, or 404

PUT needs `Content-Type: application/json`, a non-empty list of strings and a TTL in
300..2592000, or it gets Gandi's 400 body.
"""
from __future__ import annotations

import re
import sys

from base import FakeProvider, Reply, Request, main

UNAUTHORIZED = {"code": 401, "message": "The server could not verify that you authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad api key), or your access token has expired",
                "object": "HTTPUnauthorized", "cause": "Unauthorized"}
FORBIDDEN = {"code": 403, "message": "Access was denied to this resource.", "object": "HTTPForbidden", "cause": "Forbidden"}
NOT_FOUND = {"code": 404, "message": "The resource could not be found.", "object": "HTTPNotFound", "cause": "Not Found"}

DOMAIN = re.compile(r"^/v5/livedns/domains/([^/]+)$")
RRSET = re.compile(r"^/v5/livedns/domains/([^/]+)/records/([^/]+)/([A-Z]+)$")


def bad_request(name: str, description: str) -> Reply:
    return Reply(400, {"code": 400, "cause": "Bad Request", "message": "Invalid request", "object": "LiveDNSError",
                       "errors": [{"location": "body", "name": name, "description": description}]})


def unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


class GandiV5Fake(FakeProvider):
    name = "gandiv5"

    def __init__(self, zones, credentials):
        super().__init__(zones, credentials)
        self.ttls: dict[str, int] = {}

    def owner(self, fqdn: str, name: str) -> str:
        return fqdn if name == "@" else f"{name}.{fqdn}"

    def handle(self, request: Request) -> Reply:
        authorization = request.header("Authorization") or ""
        if authorization.lower().startswith("apikey") or request.header("X-Api-Key") is not None:
            return Reply(403, FORBIDDEN)
        if authorization != f"Bearer {self.credentials.get('PAT', '')}" or not self.credentials.get("PAT"):
            return Reply(401, UNAUTHORIZED)

        match = DOMAIN.match(request.path)
        if match:
            fqdn = match.group(1).lower()
            if request.method != "GET":
                return Reply(405, {"code": 405, "message": "Method not allowed", "object": "HTTPMethodNotAllowed", "cause": "Method Not Allowed"})
            if fqdn not in self.zones:
                return Reply(404, NOT_FOUND)
            return Reply(200, {"fqdn": fqdn, "automatic_snapshots": True,
                               "domain_records_href": f"/v5/livedns/domains/{fqdn}/records"})

        match = RRSET.match(request.path)
        if not match:
            return Reply(404, NOT_FOUND)
        fqdn, name, rtype = match.group(1).lower(), match.group(2).lower(), match.group(3)
        if fqdn not in self.zones or rtype != "TXT":
            return Reply(404, NOT_FOUND)
        owner = self.owner(fqdn, name)
        values = self.dns.txt(owner)

        if request.method == "GET":
            if not values:
                return Reply(404, NOT_FOUND)
            return Reply(200, {"rrset_name": name, "rrset_type": "TXT", "rrset_ttl": self.ttls.get(owner, 10800),
                               "rrset_values": [f'"{v}"' for v in values],
                               "rrset_href": f"https://api.gandi.net/v5/livedns/domains/{fqdn}/records/{name}/TXT"})
        if request.method == "PUT":
            if not (request.header("Content-Type") or "").startswith("application/json"):
                return Reply(415, {"code": 415, "message": "Unsupported Media Type", "object": "HTTPUnsupportedMediaType", "cause": "Unsupported Media Type"})
            try:
                body = request.json()
            except ValueError:
                return bad_request("body", "Invalid JSON")
            if not isinstance(body, dict):
                return bad_request("body", "an object is required")
            new = body.get("rrset_values")
            if not isinstance(new, list) or not new or not all(isinstance(v, str) and v for v in new):
                return bad_request("rrset_values", "Shorter than minimum length 1.")
            ttl = body.get("rrset_ttl", 10800)
            if not isinstance(ttl, int) or not 300 <= ttl <= 2592000:
                return bad_request("rrset_ttl", "Must be between 300 and 2592000.")
            for value in values:
                self.dns.remove_txt(owner, value)
            for value in new:
                self.dns.add_txt(owner, unquote(value))
            self.ttls[owner] = ttl
            return Reply(201, {"message": "DNS Record Created"})
        if request.method == "DELETE":
            if not values:
                return Reply(404, NOT_FOUND)
            for value in values:
                self.dns.remove_txt(owner, value)
            return Reply(204)
        return Reply(405, {"code": 405, "message": "Method not allowed", "object": "HTTPMethodNotAllowed", "cause": "Method Not Allowed"})


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(GandiV5Fake)
