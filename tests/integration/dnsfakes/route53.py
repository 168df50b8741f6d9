"""A fake of Amazon Route 53's REST API (2013-04-01), the parts DNS-01 uses, with SigV4 checked.

Contract followed (https://docs.aws.amazon.com/Route53/latest/APIReference/):
- Every request is signed with AWS Signature Version 4, header form: the fake recomputes the
  signature from the request as received with the secret it knows. An unknown access key is
  HTTP 403 InvalidClientTokenId; a wrong signature, a scope other than
  <day>/us-east-1/route53/aws4_request, an unsigned Host or X-Amz-Date, or a date more than
  15 minutes off is HTTP 403 SignatureDoesNotMatch; a missing Authorization header is HTTP 403
  MissingAuthenticationToken. With a session token configured, X-Amz-Security-Token must be
  sent and signed (else HTTP 403 InvalidClientTokenId).
- Errors are <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>;
  a bad change batch is <InvalidChangeBatch><Messages><Message/>…</Messages></InvalidChangeBatch>.
- GET /2013-04-01/hostedzonesbyname?dnsname=&maxitems= lists zones in DNS order from dnsname.
- GET /2013-04-01/hostedzone/{id}/rrset?name=&type=&maxitems= lists record sets from that name.
  An unknown zone id is HTTP 404 NoSuchHostedZone.
- POST /2013-04-01/hostedzone/{id}/rrset (Content-Type application/xml or text/xml) takes a
  ChangeResourceRecordSetsRequest with CREATE / UPSERT / DELETE of whole record sets. TXT values
  must be in double quotes; DELETE must match the set exactly; CREATE of an existing set fails.
- GET /2013-04-01/change/{id}: PENDING on the first poll, INSYNC afterwards.

Credentials (--credential): AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optionally AWS_SESSION_TOKEN.
Extra: --credential DENY_WRITES=1 answers every change with HTTP 403 AccessDenied;
--credential THROTTLE=N answers the first N signed requests with HTTP 400 Throttling.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import sys
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

from base import FakeProvider, Reply, Request, main

NS = "https://route53.amazonaws.com/doc/2013-04-01/"
VERSION = "2013-04-01"


def xml_reply(status: int, body: str) -> Reply:
    return Reply(status, '<?xml version="1.0"?>\n' + body, content_type="text/xml")


def error(status: int, code: str, message: str, kind: str = "Sender") -> Reply:
    return xml_reply(status, f'<ErrorResponse xmlns="{NS}"><Error><Type>{kind}</Type><Code>{code}</Code>'
                             f'<Message>{escape(message)}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>')


def invalid_batch(*messages: str) -> Reply:
    items = "".join(f"<Message>{escape(m)}</Message>" for m in messages)
    return xml_reply(400, f'<InvalidChangeBatch xmlns="{NS}"><Messages>{items}</Messages><RequestId>{uuid.uuid4()}</RequestId></InvalidChangeBatch>')


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sigv4_encode(text: str) -> str:
    return urllib.parse.quote(text, safe="-_.~")


def canonical_request(method: str, raw_path: str, headers: dict[str, str], signed: list[str], body: bytes) -> str:
    path, _, query = raw_path.partition("?")
    canonical_path = "/".join(sigv4_encode(urllib.parse.unquote(segment)) for segment in path.split("/")) or "/"
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    canonical_query = "&".join(f"{k}={v}" for k, v in sorted((sigv4_encode(k), sigv4_encode(v)) for k, v in pairs))
    canonical_headers = "".join(f"{name}:{' '.join(headers.get(name, '').split())}\n" for name in signed)
    return "\n".join([method, canonical_path, canonical_query, canonical_headers, ";".join(signed),
                      hashlib.sha256(body).hexdigest()])


def signature(secret: str, day: str, region: str, service: str, amz_date: str, canonical: str) -> str:
    key = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    scope = f"{day}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def dns_order(name: str) -> list[str]:
    return list(reversed(name.lower().rstrip(".").split(".")))


class Route53Fake(FakeProvider):
    name = "route53"

    def __init__(self, zones, credentials):
        super().__init__(zones, credentials)
        self.zone_ids = {"Z" + hashlib.sha1(z.encode()).hexdigest()[:13].upper(): z for z in self.zones}
        self.sets: dict[tuple[str, str, str], dict] = {}   # (zone id, name with dot, type) -> {ttl, values}
        self.changes: dict[str, int] = {}                   # change id -> polls so far
        self.throttled = 0

    # -- SigV4 --------------------------------------------------------------------------------

    def verify(self, request: Request) -> Reply | None:
        authorization = request.header("Authorization")
        if not authorization:
            return error(403, "MissingAuthenticationToken", "Missing Authentication Token")
        match = re.fullmatch(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                             r"SignedHeaders=([a-z0-9;\-]+), Signature=([0-9a-f]{64})", authorization)
        if match is None:
            return error(403, "IncompleteSignature", "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.")
        key_id, day, region, service, signed_text, sent = match.groups()
        if key_id != self.credentials.get("AWS_ACCESS_KEY_ID"):
            return error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        if region != "us-east-1" or service != "route53":
            return error(403, "SignatureDoesNotMatch", f"Credential should be scoped to a valid region and service, not '{region}/{service}'.")
        signed = signed_text.split(";")
        if "host" not in signed or "x-amz-date" not in signed or signed != sorted(signed):
            return error(403, "SignatureDoesNotMatch", "Host and X-Amz-Date must be signed, in order.")
        amz_date = request.header("X-Amz-Date") or ""
        try:
            when = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            return error(403, "IncompleteSignature", "X-Amz-Date is missing or malformed.")
        if amz_date[:8] != day or abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) > 900:
            return error(403, "SignatureDoesNotMatch", "Signature expired or the date does not match the credential scope.")
        token = self.credentials.get("AWS_SESSION_TOKEN")
        if token and (request.header("X-Amz-Security-Token") != token or "x-amz-security-token" not in signed):
            return error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
        canonical = canonical_request(request.method, request.raw_path, request.headers, signed, request.body)
        expected = signature(self.credentials.get("AWS_SECRET_ACCESS_KEY", ""), day, region, service, amz_date, canonical)
        if not hmac.compare_digest(expected, sent):
            return error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. "
                                                       "Check your AWS Secret Access Key and signing method.")
        return None

    # -- requests -----------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        refusal = self.verify(request)
        if refusal is not None:
            return refusal
        if self.throttled < int(self.credentials.get("THROTTLE", "0")):
            self.throttled += 1
            return error(400, "Throttling", "Rate exceeded")
        parts = [p for p in request.path.split("/") if p]
        if not parts or parts[0] != VERSION:
            return error(404, "UnknownOperationException", "Unknown operation")
        parts = parts[1:]
        if parts == ["hostedzonesbyname"] and request.method == "GET":
            return self.list_zones(request)
        if len(parts) == 3 and parts[0] == "hostedzone" and parts[2] == "rrset":
            zone = self.zone_ids.get(parts[1])
            if zone is None:
                return error(404, "NoSuchHostedZone", f"No hosted zone found with ID: {parts[1]}")
            if request.method == "GET":
                return self.list_sets(request, parts[1])
            if request.method == "POST":
                return self.change(request, parts[1], zone)
        if len(parts) == 2 and parts[0] == "change" and request.method == "GET":
            polls = self.changes.get(parts[1])
            if polls is None:
                return error(404, "NoSuchChange", f"A change with the specified change ID does not exist: {parts[1]}")
            self.changes[parts[1]] = polls + 1
            return xml_reply(200, f'<GetChangeResponse xmlns="{NS}">{self.change_info(parts[1], "PENDING" if polls == 0 else "INSYNC")}</GetChangeResponse>')
        return error(404, "UnknownOperationException", "Unknown operation")

    @staticmethod
    def change_info(change_id: str, status: str) -> str:
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return f"<ChangeInfo><Id>/change/{change_id}</Id><Status>{status}</Status><SubmittedAt>{now}</SubmittedAt></ChangeInfo>"

    def list_zones(self, request: Request) -> Reply:
        start = request.query.get("dnsname", [""])[0]
        maxitems = int(request.query.get("maxitems", ["100"])[0])
        ordered = sorted(self.zone_ids.items(), key=lambda item: dns_order(item[1]))
        chosen = [item for item in ordered if not start or dns_order(item[1]) >= dns_order(start)][:maxitems]
        zones = "".join(f"<HostedZone><Id>/hostedzone/{zone_id}</Id><Name>{name}.</Name><CallerReference>fake-{zone_id}</CallerReference>"
                        f"<Config><PrivateZone>false</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone>"
                        for zone_id, name in chosen)
        return xml_reply(200, f'<ListHostedZonesByNameResponse xmlns="{NS}"><HostedZones>{zones}</HostedZones>'
                              f'<DNSName>{escape(start)}</DNSName><IsTruncated>false</IsTruncated><MaxItems>{maxitems}</MaxItems>'
                              f'</ListHostedZonesByNameResponse>')

    def list_sets(self, request: Request, zone_id: str) -> Reply:
        start = request.query.get("name", [""])[0].lower()
        maxitems = int(request.query.get("maxitems", ["300"])[0])
        keys = sorted((key for key in self.sets if key[0] == zone_id), key=lambda key: (dns_order(key[1]), key[2]))
        if start:
            keys = [key for key in keys if dns_order(key[1]) >= dns_order(start)]
        items = ""
        for key in keys[:maxitems]:
            entry = self.sets[key]
            values = "".join(f"<ResourceRecord><Value>{escape(v)}</Value></ResourceRecord>" for v in entry["values"])
            items += (f"<ResourceRecordSet><Name>{key[1]}</Name><Type>{key[2]}</Type><TTL>{entry['ttl']}</TTL>"
                      f"<ResourceRecords>{values}</ResourceRecords></ResourceRecordSet>")
        return xml_reply(200, f'<ListResourceRecordSetsResponse xmlns="{NS}"><ResourceRecordSets>{items}</ResourceRecordSets>'
                              f'<IsTruncated>{"true" if len(keys) > maxitems else "false"}</IsTruncated><MaxItems>{maxitems}</MaxItems>'
                              f'</ListResourceRecordSetsResponse>')

    def change(self, request: Request, zone_id: str, zone: str) -> Reply:
        if (request.header("Content-Type") or "").split(";")[0].strip() not in ("application/xml", "text/xml"):
            return error(415, "UnsupportedMediaType", "Content-Type must be application/xml")
        if self.credentials.get("DENY_WRITES"):
            return error(403, "AccessDenied", f"User is not authorized to perform: route53:ChangeResourceRecordSets on resource: hostedzone/{zone_id}")
        try:
            root = ET.fromstring(request.body)
        except ET.ParseError as problem:
            return error(400, "InvalidInput", f"Could not parse the request: {problem}")
        q = lambda tag: f"{{{NS}}}{tag}"  # noqa: E731
        if root.tag != q("ChangeResourceRecordSetsRequest"):
            return error(400, "InvalidInput", f"Unexpected root element {root.tag}")
        changes = root.findall(f"{q('ChangeBatch')}/{q('Changes')}/{q('Change')}")
        if not changes:
            return error(400, "InvalidInput", "ChangeBatch must contain at least one Change")
        staged = dict(self.sets)
        problems = []
        for change in changes:
            action = change.findtext(q("Action"))
            rrset = change.find(q("ResourceRecordSet"))
            if action not in ("CREATE", "DELETE", "UPSERT") or rrset is None:
                return error(400, "InvalidInput", "Each Change needs an Action (CREATE, DELETE, UPSERT) and a ResourceRecordSet")
            name = (rrset.findtext(q("Name")) or "").lower()
            name = name if name.endswith(".") else name + "."
            kind = rrset.findtext(q("Type")) or ""
            ttl_text = rrset.findtext(q("TTL"))
            values = [v.text or "" for v in rrset.findall(f"{q('ResourceRecords')}/{q('ResourceRecord')}/{q('Value')}")]
            if name.rstrip(".") != zone and not name.rstrip(".").endswith("." + zone):
                problems.append(f"RRSet with DNS name {name} is not permitted in zone {zone}.")
                continue
            if ttl_text is None or not ttl_text.isdigit() or not values:
                return error(400, "InvalidInput", "A ResourceRecordSet needs a TTL and at least one ResourceRecord")
            if kind == "TXT":
                for value in values:
                    if not re.fullmatch(r'("([^"\\]|\\.)*"\s*)+', value):
                        problems.append(f"Invalid Resource Record: 'FATAL problem: InvalidCharacterString "
                                        f"(Value should be enclosed in quotation marks) encountered with '{value}''")
            key = (zone_id, name, kind)
            entry = {"ttl": int(ttl_text), "values": values}
            if action == "CREATE" and key in staged:
                problems.append(f"Tried to create resource record set [name='{name}', type='{kind}'] but it already exists")
            elif action == "DELETE" and staged.get(key) != entry:
                problems.append(f"Tried to delete resource record set [name='{name}', type='{kind}'] but "
                                + ("it was not found" if key not in staged else "the values provided do not match the current values"))
            elif action == "DELETE":
                del staged[key]
            else:
                staged[key] = entry
        if problems:
            return invalid_batch(*problems)
        for key in set(self.sets) | set(staged):
            if key[2] != "TXT" or self.sets.get(key) == staged.get(key):
                continue
            for value in self.sets.get(key, {}).get("values", []):
                self.dns.remove_txt(key[1], self.unquote(value))
            for value in staged.get(key, {}).get("values", []):
                self.dns.add_txt(key[1], self.unquote(value))
        self.sets = staged
        change_id = "C" + uuid.uuid4().hex[:13].upper()
        self.changes[change_id] = 0
        return xml_reply(200, f'<ChangeResourceRecordSetsResponse xmlns="{NS}">{self.change_info(change_id, "PENDING")}'
                              f'</ChangeResourceRecordSetsResponse>')

    @staticmethod
    def unquote(value: str) -> str:
        return "".join(re.sub(r"\\(.)", r"\1", part) for part in re.findall(r'"((?:[^"\\]|\\.)*)"', value))


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    main(Route53Fake)
