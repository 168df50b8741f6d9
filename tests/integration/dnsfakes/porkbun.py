"""Fake of Porkbun's API v3 DNS calls (https://porkbun.com/api/json/v3/documentation), as lego's
`porkbun` provider and Gatehouse's use them.

Credentials: APIKEY and SECRET, which every request carries in its JSON body as `apikey` and
`secretapikey` (a wrong or missing pair gets {"status": "ERROR", "message": "Invalid API key. (002)"}).
Every call is a POST with `Content-Type: application/json`.

    POST /api/json/v3/dns/create/{domain}                           {"name","type","content","ttl"} -> {"status","id"}
    POST /api/json/v3/dns/retrieveByNameType/{domain}/{type}[/{sub}]  -> {"status","records":[...]}
    POST /api/json/v3/dns/delete/{domain}/{id}                        -> {"status"}

A domain not in the account gets {"status":"ERROR","message":"Invalid domain."}; the domain
"locked.<zone>"-style opt-out is not modelled. A TTL below 600 is raised to 600, as Porkbun does.
"""
from __future__ import annotations

import re
import sys

from base import FakeProvider, Reply, Request, main

CREATE = re.compile(r"^/api/json/v3/dns/create/([^/]+)$")
RETRIEVE = re.compile(r"^/api/json/v3/dns/retrieveByNameType/([^/]+)/([A-Z]+)(?:/([^/]+))?$")
DELETE = re.compile(r"^/api/json/v3/dns/delete/([^/]+)/(\d+)$")


def error(message: str, status: int = 400) -> Reply:
    return Reply(status, {"status": "ERROR", "message": message})


class PorkbunFake(FakeProvider):
    name = "porkbun"

    def __init__(self, zones, credentials):
        super().__init__(zones, credentials)
        self.records: dict[str, dict] = {}
        self.next_id = 260000001

    def handle(self, request: Request) -> Reply:
        if request.method != "POST":
            return error("All API calls must use the POST method.", 405)
        if (request.header("Content-Type") or "").split(";")[0] != "application/json":
            return error("Invalid content type, expected application/json.")
        try:
            body = request.json()
        except ValueError:
            return error("Invalid JSON.")
        if not isinstance(body, dict):
            return error("Invalid JSON.")
        if (not self.credentials.get("APIKEY") or body.get("apikey") != self.credentials["APIKEY"]
                or body.get("secretapikey") != self.credentials.get("SECRET")):
            return error("Invalid API key. (002)", 403)

        for pattern in (CREATE, RETRIEVE, DELETE):
            match = pattern.match(request.path)
            if match:
                break
        else:
            return error("Invalid command.", 404)
        domain = match.group(1).lower()
        if domain not in self.zones:
            return error("Invalid domain.")

        if pattern is CREATE:
            name, rtype, content = body.get("name", ""), body.get("type"), body.get("content")
            if rtype not in ("A", "MX", "CNAME", "ALIAS", "TXT", "NS", "AAAA", "SRV", "TLSA", "CAA", "HTTPS", "SVCB", "SSHFP"):
                return error("Invalid type.")
            if not isinstance(content, str) or not content:
                return error("Content is required.")
            if not isinstance(name, str):
                return error("Invalid name.")
            ttl = body.get("ttl", "600")
            try:
                ttl = max(int(ttl), 600)
            except (TypeError, ValueError):
                return error("Invalid TTL.")
            rid = str(self.next_id)
            self.next_id += 1
            fqdn = f"{name.lower()}.{domain}" if name else domain
            self.records[rid] = {"id": rid, "name": fqdn, "type": rtype, "content": content, "ttl": str(ttl),
                                 "prio": "0", "notes": "", "domain": domain}
            if rtype == "TXT":
                self.dns.add_txt(fqdn, content)
            return Reply(200, {"status": "SUCCESS", "id": int(rid)})
        if pattern is RETRIEVE:
            rtype, sub = match.group(2), (match.group(3) or "").lower()
            fqdn = f"{sub}.{domain}" if sub else domain
            found = [{k: v for k, v in r.items() if k != "domain"} for r in self.records.values()
                     if r["domain"] == domain and r["type"] == rtype and r["name"] == fqdn]
            return Reply(200, {"status": "SUCCESS", "cloudflare": "enabled", "records": found})
        rid = match.group(2)
        record = self.records.get(rid)
        if record is None or record["domain"] != domain:
            return error("Invalid record ID.")
        del self.records[rid]
        if record["type"] == "TXT":
            self.dns.remove_txt(record["name"], record["content"])
        return Reply(200, {"status": "SUCCESS"})


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(PorkbunFake)
