"""Automatic HTTPS against a real ACME CA (pebble): HTTP-01, TLS-ALPN-01 and DNS-01.

Each test starts its own pebble whose validation port for the challenge under test is Gatehouse's
entry point (httpPort -> web, tlsPort -> websecure) and whose other validation port points at a port
nobody listens on, so only the configured challenge type can succeed. For DNS-01, pebble's resolver is
Gatehouse's built-in DNS server and nothing else answers DNS. Afterwards the served leaf must chain to
pebble's root through its intermediate, name the right hosts, and HTTPS must reach the backend.
"""
from __future__ import annotations

import datetime
import json


from acme_support import RESOLVER, Scenario, is_pebble_leaf
from support import curl, http_request, require_tool, run, wait_until


def https_to_backend(sc: Scenario, host: str, path: str = "/acme-e2e") -> dict:
    """GET https://host/path through Gatehouse, verifying the chain against pebble's root+intermediate."""
    port = sc.gw.websecure
    r = curl("--cacert", str(sc.pebble.trust_path), "--resolve", f"{host}:{port}:127.0.0.1",
             "-w", "\n%{http_code}", f"https://{host}:{port}{path}")
    assert r.returncode == 0, f"curl failed ({r.returncode}): {r.stderr.decode(errors='replace')}"
    body, _, code = r.stdout.decode().rpartition("\n")
    assert code == "200", (code, body[:500])
    echo = json.loads(body)
    assert echo["backend"] == sc.backend.name and echo["target"] == path, echo
    return echo


def assert_issued(sc: Scenario, *, servername: str | None = None) -> dict:
    """The served leaf is pebble's, verifies, names sc.names; certs list has one valid record for it."""
    leaf = sc.wait_for_pebble_leaf(timeout=30, servername=servername)
    assert leaf.verified, f"chain does not verify against pebble's root+intermediate: {leaf.verify_text}"
    assert leaf.chain_length == 2, f"expected leaf + pebble intermediate, got {leaf.chain_length} certificates"
    assert sorted(leaf.sans) == sorted(sc.names), leaf.sans
    assert sc.pebble.cert_status(leaf.serial)["Status"] == "Valid"
    assert leaf.serial in sc.pebble.issued_serials()

    records = sc.gw.records_for(sc.names)
    assert len(records) == 1, f"expected one stored certificate for {sc.names}, got {records}"
    rec = records[0]
    assert rec["status"] == "valid", rec
    assert rec["resolver"] == RESOLVER, rec
    assert rec["serial"] == leaf.serial, (rec["serial"], leaf.serial)
    assert "Pebble Intermediate CA" in rec["issuer"], rec
    assert rec["inUse"] is True, rec
    not_after = datetime.datetime.fromisoformat(rec["notAfter"].replace("Z", "+00:00"))
    assert not_after > datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30), rec
    assert isinstance(rec["daysLeft"], (int, float)) and rec["daysLeft"] > 30, rec
    assert rec["id"], rec
    return rec


def assert_order_logged(sc: Scenario, challenge: str) -> None:
    gh = sc.gw.gh
    for step in ("order created", "validating", "stored", "serving"):
        assert gh.wait_for_log(step, timeout=5), f"no {step!r} line in the log:\n{gh.logs()[-3000:]}"
    chosen = gh.log_lines_matching("challenge chosen")
    assert chosen and all(challenge in ln.lower() for ln in chosen), \
        f"'challenge chosen' lines should name {challenge}: {chosen}"
    assert gh.log_lines_matching("finalized") or gh.log_lines_matching("certificate downloaded"), gh.logs()[-3000:]
    assert not sc.gw.error_lines(), f"error lines during a clean issuance: {sc.gw.error_lines()}"
    # Private keys (account and certificate) never reach the log.
    logs = gh.logs() + gh.stdout()
    assert "PRIVATE KEY" not in logs and "BEGIN EC" not in logs, "private key material in the log"


def test_http01_issues_and_serves(acme_lab):
    sc = acme_lab.scenario("http-01")
    assert_issued(sc)
    assert_order_logged(sc, "http-01")
    assert f"http://a.example.com:{sc.gw.web}/.well-known/acme-challenge/" in sc.pebble.logs(), \
        "pebble did not validate over HTTP on Gatehouse's web entry point"
    https_to_backend(sc, "a.example.com")
    # The plain router on web keeps working next to the challenge responder.
    r = http_request(sc.gw.web, "/plain", host="plain.example.com")
    assert (r.status, r.backend) == (200, sc.backend.name)


def test_tls_alpn01_issues_and_serves(acme_lab):
    sc = acme_lab.scenario("tls-alpn-01")
    assert_issued(sc)
    assert_order_logged(sc, "tls-alpn-01")
    assert "Attempting to validate w/ HTTP" not in sc.pebble.logs()
    https_to_backend(sc, "a.example.com")


def test_dns01_wildcard_and_apex_through_builtin_dns(acme_lab):
    sc = acme_lab.scenario("dns-01", domains=[{"main": "example.com", "sans": ["*.example.com"]}])
    assert sorted(sc.names) == ["*.example.com", "example.com"]
    assert_issued(sc)  # SNI a.example.com: covered by the wildcard
    assert_order_logged(sc, "dns-01")
    # One certificate for both names: the apex and any one-label name get the same leaf.
    for name in ("example.com", "other.example.com"):
        leaf = sc.leaf(name)
        assert is_pebble_leaf(leaf) and leaf.verified, (name, leaf.subject, leaf.verify_text)
        assert sorted(leaf.sans) == ["*.example.com", "example.com"]
    https_to_backend(sc, "a.example.com")
    # Gatehouse's DNS server (pebble's only resolver) is up and holds no stale challenge record.
    dig = require_tool("dig")
    dns_port = int(sc.pebble.dns_server.rsplit(":", 1)[1])

    def txt_answers() -> list[str] | None:
        res = run([dig, "@127.0.0.1", "-p", str(dns_port), "+time=2", "+tries=1", "+norecurse",
                   "_acme-challenge.example.com", "TXT"], timeout=15)
        out = res.stdout.decode(errors="replace")
        if "status:" not in out:
            return None
        return [ln for ln in out.splitlines() if "\tTXT\t" in ln and not ln.startswith(";")]

    assert txt_answers() is not None, "Gatehouse's DNS server does not answer"
    assert wait_until(lambda: txt_answers() == [], 5), f"challenge TXT records left behind: {txt_answers()}"


def test_certs_list_table(acme_lab):
    sc = acme_lab.scenario("http-01")
    rec = assert_issued(sc)
    res = sc.gw.certs("list")
    assert res.returncode == 0, res.stderr.decode(errors="replace")
    lines = [ln for ln in res.stdout.decode().splitlines() if ln.strip()]
    header = lines[0]
    for column in ("NAMES", "STATUS", "ISSUER", "NOT AFTER", "DAYS LEFT", "RESOLVER"):
        assert column in header, header
    rows = [ln for ln in lines[1:] if "a.example.com" in ln]
    assert len(rows) == 1, lines
    assert "valid" in rows[0] and RESOLVER in rows[0] and str(rec["daysLeft"]) in rows[0], rows[0]
