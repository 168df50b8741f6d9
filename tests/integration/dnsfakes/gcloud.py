"""A fake of Google Cloud DNS API v1 and Google's OAuth 2.0 token endpoint (JWT bearer grant).

Contract followed (https://cloud.google.com/dns/docs/reference/rest/v1,
https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
- POST /token, `Content-Type: application/x-www-form-urlencoded`, grant_type
  `urn:ietf:params:oauth:grant-type:jwt-bearer` and an RS256 JWT `assertion` whose iss is the
  service account, aud the token URI, scope a Cloud DNS scope, iat/exp at most an hour apart
  and around now. The signature is checked with the account's public key. Refusals:
  HTTP 400 {"error": "invalid_grant", "error_description": "Invalid JWT Signature."} (or the
  claim problem), HTTP 401 {"error": "invalid_client", …} for an unknown issuer. Success:
  {"access_token", "expires_in": 3599, "token_type": "Bearer"}.
- Cloud DNS under /dns/v1/projects/{project}/…: `Authorization: Bearer <issued token>` (else
  HTTP 401 UNAUTHENTICATED); another project is HTTP 403 PERMISSION_DENIED; errors are
  {"error": {"code", "message", "errors": [{"reason", "message", "domain"}], "status"}}.
  managedZones?dnsName=; managedZones/{zone}/rrsets?name=&type=; POST managedZones/{zone}/changes
  with additions/deletions of whole record sets (`Content-Type: application/json`): a deletion
  must match the current set exactly (HTTP 412 conditionNotMet), an addition must not exist
  after the deletions (HTTP 409 alreadyExists); changes/{id} is "pending" when created, "done"
  when read back. An unknown zone is HTTP 404 notFound.

The fake makes the service accounts itself (RSA keys by `openssl genpkey`) and writes their
JSON keys, token_uri pointing at itself: --credential ACCOUNT_FILE=<path> (accepted) and
optionally --credential STRANGER_ACCOUNT_FILE=<path> (same client_email, a key Google does not
know). Project: gatehouse-test.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse

from base import FakeProvider, Reply, Request, main

PROJECT = "gatehouse-test"
CLIENT_EMAIL = "dns-solver@gatehouse-test.iam.gserviceaccount.com"
SCOPES = {"https://www.googleapis.com/auth/ndev.clouddns.readwrite", "https://www.googleapis.com/auth/cloud-platform"}
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def google_error(code: int, status: str, reason: str, message: str) -> Reply:
    return Reply(code, {"error": {"code": code, "message": message, "status": status,
                                  "errors": [{"message": message, "domain": "global", "reason": reason}]}})


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_key() -> tuple[str, int, int]:
    """A 2048-bit RSA key: (PKCS#8 PEM, modulus, public exponent)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "key.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path],
                       check=True, capture_output=True)
        pem = open(path).read()
        modulus = subprocess.run(["openssl", "rsa", "-in", path, "-noout", "-modulus"], check=True, capture_output=True, text=True)
    return pem, int(modulus.stdout.strip().split("=", 1)[1], 16), 65537


def rs256_valid(signing_input: bytes, signature: bytes, modulus: int, exponent: int) -> bool:
    size = (modulus.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    decoded = pow(int.from_bytes(signature, "big"), exponent, modulus).to_bytes(size, "big")
    digest = SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(digest) - 3) + b"\x00" + digest
    return decoded == expected


class GCloudFake(FakeProvider):
    name = "gcloud"

    def __init__(self, zones, credentials):
        super().__init__(zones, credentials)
        self.key_pem, self.modulus, self.exponent = make_key()
        self.key_id = secrets.token_hex(20)
        self.tokens: set[str] = set()
        self.sets: dict[tuple[str, str, str], dict] = {}     # (zone name, rrset name, type) -> rrset
        self.changes: dict[tuple[str, str], dict] = {}
        self.managed = {z.replace(".", "-"): z for z in self.zones}

    def serve(self, host: str = "127.0.0.1", port: int = 0):
        server = super().serve(host, port)
        token_uri = f"http://127.0.0.1:{server.server_address[1]}/token"
        if self.credentials.get("ACCOUNT_FILE"):
            self.write_account(self.credentials["ACCOUNT_FILE"], self.key_pem, self.key_id, token_uri)
        if self.credentials.get("STRANGER_ACCOUNT_FILE"):
            stranger, _, _ = make_key()
            self.write_account(self.credentials["STRANGER_ACCOUNT_FILE"], stranger, secrets.token_hex(20), token_uri)
        return server

    @staticmethod
    def write_account(path: str, pem: str, key_id: str, token_uri: str) -> None:
        account = {"type": "service_account", "project_id": PROJECT, "private_key_id": key_id, "private_key": pem,
                   "client_email": CLIENT_EMAIL, "client_id": "1234567890", "token_uri": token_uri,
                   "auth_uri": "https://accounts.google.com/o/oauth2/auth"}
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
            json.dump(account, file)

    def handle(self, request: Request) -> Reply:
        if request.path == "/token":
            return self.token(request)
        if not request.path.startswith("/dns/v1/"):
            return google_error(404, "NOT_FOUND", "notFound", "Not Found")
        authorization = request.header("Authorization") or ""
        if not authorization.startswith("Bearer ") or authorization[7:] not in self.tokens:
            return google_error(401, "UNAUTHENTICATED", "authError", "Request had invalid authentication credentials. "
                                "Expected OAuth 2 access token, login cookie or other valid authentication credential.")
        parts = request.path.split("/")[3:]   # projects/{p}/managedZones/...
        if len(parts) < 3 or parts[0] != "projects" or parts[2] != "managedZones":
            return google_error(404, "NOT_FOUND", "notFound", "Not Found")
        if parts[1] != PROJECT:
            return google_error(403, "PERMISSION_DENIED", "forbidden", f"Forbidden: the caller may not use project {parts[1]}")
        rest = parts[3:]
        if not rest and request.method == "GET":
            wanted = request.query.get("dnsName", [None])[0]
            zones = [{"kind": "dns#managedZone", "name": name, "dnsName": zone + ".", "visibility": "public", "id": str(abs(hash(zone)))}
                     for name, zone in sorted(self.managed.items()) if wanted is None or zone + "." == wanted.lower()]
            return Reply(200, {"kind": "dns#managedZonesListResponse", "managedZones": zones})
        zone_name = rest[0] if rest else None
        if zone_name not in self.managed:
            return google_error(404, "NOT_FOUND", "notFound", f"The 'parameters.managedZone' resource named '{zone_name}' does not exist.")
        if rest[1:] == ["rrsets"] and request.method == "GET":
            name = request.query.get("name", [None])[0]
            kind = request.query.get("type", [None])[0]
            items = [s for (z, n, t), s in sorted(self.sets.items()) if z == zone_name
                     and (name is None or n == name.lower()) and (kind is None or t == kind)]
            return Reply(200, {"kind": "dns#resourceRecordSetsListResponse", "rrsets": items})
        if rest[1:] == ["changes"] and request.method == "POST":
            return self.create_change(request, zone_name)
        if len(rest) == 3 and rest[1] == "changes" and request.method == "GET":
            change = self.changes.get((zone_name, rest[2]))
            if change is None:
                return google_error(404, "NOT_FOUND", "notFound", f"The 'parameters.changeId' resource named '{rest[2]}' does not exist.")
            change["status"] = "done"
            return Reply(200, change)
        return google_error(404, "NOT_FOUND", "notFound", "Not Found")

    def token(self, request: Request) -> Reply:
        if request.method != "POST" or (request.header("Content-Type") or "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            return Reply(400, {"error": "invalid_request", "error_description": "Invalid Content-Type or method"})
        form = urllib.parse.parse_qs(request.body.decode())
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
            return Reply(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"})
        assertion = (form.get("assertion") or [""])[0]
        pieces = assertion.split(".")
        if len(pieces) != 3:
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT: not a JWS"})
        try:
            header, claims, signature = json.loads(b64url_decode(pieces[0])), json.loads(b64url_decode(pieces[1])), b64url_decode(pieces[2])
        except ValueError:
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT: cannot decode"})
        if header.get("alg") != "RS256":
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT: alg must be RS256"})
        if claims.get("iss") != CLIENT_EMAIL:
            return Reply(401, {"error": "invalid_client", "error_description": "The OAuth client was not found."})
        if claims.get("aud") != f"http://{request.header('Host')}/token":
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT: aud is not the token URI"})
        now = time.time()
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int) or exp - iat > 3600 or exp < now or iat > now + 300:
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT: Token must be a short-lived token "
                                                                            "(60 minutes) and in a reasonable timeframe."})
        if not set(str(claims.get("scope", "")).split()) & SCOPES:
            return Reply(400, {"error": "invalid_scope", "error_description": "Invalid OAuth scope or ID token audience provided."})
        if not rs256_valid(f"{pieces[0]}.{pieces[1]}".encode(), signature, self.modulus, self.exponent):
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        if "kid" in header and header["kid"] != self.key_id:
            return Reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        self.tokens.add(token)
        return Reply(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def create_change(self, request: Request, zone_name: str) -> Reply:
        if (request.header("Content-Type") or "").split(";")[0].strip() != "application/json":
            return google_error(400, "INVALID_ARGUMENT", "invalid", "Invalid Content-Type")
        try:
            body = request.json()
        except ValueError:
            return google_error(400, "INVALID_ARGUMENT", "parseError", "Parse Error")
        additions, deletions = body.get("additions", []), body.get("deletions", [])
        if not additions and not deletions:
            return google_error(400, "INVALID_ARGUMENT", "required", "The 'entity.change' parameter is required but was missing.")
        zone = self.managed[zone_name]
        staged = dict(self.sets)
        for index, rrset in enumerate(deletions):
            key = (zone_name, str(rrset.get("name", "")).lower(), rrset.get("type"))
            if staged.get(key) != self.normalized(rrset):
                return google_error(412, "FAILED_PRECONDITION", "conditionNotMet",
                                    f"Precondition not met for 'entity.change.deletions[{index}]'")
            del staged[key]
        for index, rrset in enumerate(additions):
            name = str(rrset.get("name", "")).lower()
            if not name.endswith(".") or not (name[:-1] == zone or name[:-1].endswith("." + zone)):
                return google_error(400, "INVALID_ARGUMENT", "invalid", f"Invalid value for 'entity.change.additions[{index}].name': '{name}'")
            if not rrset.get("type") or not isinstance(rrset.get("rrdatas"), list) or not rrset["rrdatas"]:
                return google_error(400, "INVALID_ARGUMENT", "required", f"The 'entity.change.additions[{index}].rrdata' parameter is required but was missing.")
            key = (zone_name, name, rrset["type"])
            if key in staged:
                return google_error(409, "ALREADY_EXISTS", "alreadyExists",
                                    f"The resource 'entity.change.additions[{index}]' named '{name} ({rrset['type']})' already exists")
            staged[key] = self.normalized(rrset)
        for key in set(self.sets) | set(staged):
            if key[2] != "TXT" or self.sets.get(key) == staged.get(key):
                continue
            for data in self.sets.get(key, {}).get("rrdatas", []):
                self.dns.remove_txt(key[1], self.text(data))
            for data in staged.get(key, {}).get("rrdatas", []):
                self.dns.add_txt(key[1], self.text(data))
        self.sets = staged
        change_id = str(len(self.changes) + 1)
        change = {"kind": "dns#change", "id": change_id, "status": "pending", "additions": additions, "deletions": deletions,
                  "startTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
        self.changes[(zone_name, change_id)] = change
        return Reply(200, dict(change))

    @staticmethod
    def normalized(rrset: dict) -> dict:
        return {"kind": "dns#resourceRecordSet", "name": str(rrset.get("name", "")).lower(), "type": rrset.get("type"),
                "ttl": rrset.get("ttl", 300), "rrdatas": list(rrset.get("rrdatas", []))}

    @staticmethod
    def text(data: str) -> str:
        if not data.startswith('"'):
            return data
        import re
        return "".join(re.sub(r"\\(.)", r"\1", part) for part in re.findall(r'"((?:[^"\\]|\\.)*)"', data))


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(GCloudFake)
