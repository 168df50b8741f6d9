"""Automatic HTTPS when things go wrong, and the certificate lifecycle commands, against real pebble.

badNonce storms, a CA that is down when Gatehouse starts, Gatehouse killed with SIGKILL in the middle of
an order, revocation (`gatehouse certs revoke`, confirmed by pebble), a forced renewal (`gatehouse certs
renew`) under a bounded loop of verified TLS handshakes, and a restart with a valid stored certificate.
"""
from __future__ import annotations

import os
import re
import signal
import time

from acme_support import HandshakeLoop, is_pebble_leaf, served_leaf
from support import http_request, wait_until

HOST = "a.example.com"


def pebble_new_order_requests(pebble) -> int:
    """Every newOrder POST pebble received since its start (accepted or refused)."""
    return len(re.findall(r"POST /order-plz ", pebble.logs()))


def test_issues_while_pebble_rejects_half_the_nonces(acme_lab):
    sc = acme_lab.scenario("http-01", pebble_env={"PEBBLE_WFE_NONCEREJECT": "50"})
    assert "Configured to reject 50% of good nonces" in sc.pebble.logs()
    leaf = sc.wait_for_pebble_leaf(timeout=60)
    assert leaf.verified, leaf.verify_text
    rec = sc.gw.record([HOST])
    assert rec is not None and rec["status"] == "valid" and rec["serial"] == leaf.serial, sc.gw.certs_list()


def test_ca_down_at_start_serves_default_then_issues_with_backoff(acme_lab):
    sc = acme_lab.scenario("http-01", start_pebble=False)
    gw = sc.gw
    # Meanwhile: the default certificate for the name, and the other routers serve.
    leaf = served_leaf(gw.websecure, HOST)
    assert "Gatehouse default certificate" in leaf.subject, leaf.subject
    assert not is_pebble_leaf(leaf)
    r = http_request(gw.web, "/while-ca-down", host="plain.example.com")
    assert (r.status, r.backend) == (200, sc.backend.name)
    assert wait_until(lambda: gw.error_lines(HOST), 10), \
        f"no error line naming {HOST} while the CA is down:\n{gw.gh.logs()[-3000:]}"
    time.sleep(3)
    attempts = len(gw.error_lines(HOST))
    assert 1 <= attempts <= 12, f"{attempts} error lines in ~4 s with a 1 s initial backoff: no backoff?\n" \
                                f"{gw.gh.logs()[-3000:]}"
    # The CA comes up: with the backoff at 1 s, 2 s, 4 s ... issuance follows within seconds.
    sc.pebble.start()
    started = time.monotonic()
    leaf = sc.wait_for_pebble_leaf(timeout=30)
    assert leaf.verified, leaf.verify_text
    assert time.monotonic() - started < 25
    rec = gw.record([HOST])
    assert rec is not None and rec["status"] == "valid", gw.certs_list()
    assert gw.gh.alive()


def test_kill_during_order_then_restart_issues_once(acme_lab):
    sc = acme_lab.scenario("http-01", label="killed")
    gw, pebble = sc.gw, sc.pebble
    # Freeze the CA the moment Gatehouse has an order: it cannot get further, then it dies mid-order.
    created = wait_until(lambda: gw.gh.log_lines_matching("order created"), 30, interval=0.005)
    pebble.pause()
    try:
        assert created, f"no 'order created' line:\n{gw.gh.logs()[-3000:]}"
        time.sleep(0.5)
        os.killpg(gw.gh.pid, signal.SIGKILL)
        gw.gh.wait_exit(10)
        assert not gw.gh.alive()
    finally:
        pebble.resume()
    assert pebble.issued_serials() == [], \
        "the order was finalized before the CA was frozen; this run proves nothing about a kill mid-order"

    gw2 = acme_lab.restart(gw)
    sc.gw = gw2
    leaf = sc.wait_for_pebble_leaf(timeout=40)
    assert leaf.verified, leaf.verify_text
    time.sleep(1.5)  # would a second, duplicate order follow?
    assert pebble.issued_serials() == [leaf.serial], \
        f"expected exactly one certificate issued (one key), pebble issued {pebble.issued_serials()}"
    records = gw2.records_for([HOST])
    assert len(records) == 1, f"duplicate stored certificates for {HOST}: {records}"
    assert records[0]["status"] == "valid" and records[0]["serial"] == leaf.serial, records


def test_revoke_is_reported_by_pebble_and_stops_serving(acme_lab):
    sc = acme_lab.scenario("http-01")
    leaf = sc.wait_for_pebble_leaf(timeout=30)
    res = sc.gw.revoke(HOST, reason="keyCompromise")
    assert res.returncode == 0, (res.stdout + res.stderr).decode(errors="replace")
    status = sc.pebble.cert_status(leaf.serial)
    assert status["Status"] == "Revoked", status
    assert status["Reason"] == 1, f"keyCompromise is reason code 1: {status}"
    records = sc.gw.records_for([HOST])
    revoked = [r for r in records if r["serial"] == leaf.serial]
    assert all(r["status"] == "revoked" for r in revoked), records
    assert revoked or any(r["serial"] != leaf.serial for r in records), \
        f"the revoked certificate is neither marked revoked nor replaced: {records}"
    # The running gateway drops it within ~2 s (default certificate until a new one is issued).
    assert wait_until(lambda: served_leaf(sc.gw.websecure, HOST).serial != leaf.serial, 5, interval=0.2), \
        "the revoked certificate is still served"
    # The transition is recorded with its reason, and the audit log has the revocation.
    history = sc.gw.certs("history", HOST)
    text = (history.stdout + history.stderr).decode(errors="replace")
    assert history.returncode == 0, text
    assert "valid -> revoked" in text and "keyCompromise" in text, text
    assert "certificate.revoked" in text, text


def test_forced_renewal_swaps_without_a_failed_handshake(acme_lab):
    sc = acme_lab.scenario("http-01")
    first = sc.wait_for_pebble_leaf(timeout=30)
    loop = HandshakeLoop(sc.gw.websecure, HOST, str(sc.pebble.trust_path), max_count=4000, max_seconds=40)
    loop.start()
    try:
        assert wait_until(lambda: loop.count >= 20 or not loop.is_alive(), 15)
        res = sc.gw.renew(HOST)
        assert res.returncode == 0, (res.stdout + res.stderr).decode(errors="replace")
        swapped = wait_until(lambda: len(loop.sequence) > 1 or not loop.is_alive(), 15, interval=0.05)
        assert swapped and len(loop.sequence) > 1, \
            f"no new certificate served within 15 s of `certs renew` ({loop.count} handshakes)"
        after = loop.count
        wait_until(lambda: loop.count >= after + 50 or not loop.is_alive(), 15)
    finally:
        loop.finish()
    assert loop.failures == [], f"{len(loop.failures)} of {loop.count} handshakes failed: {loop.failures[:5]}"
    assert len(loop.sequence) == 2 and loop.sequence[0] == first.serial, \
        f"served serials in order {loop.sequence}: expected the old one, then the new one, no flapping"
    new_serial = loop.sequence[1]
    assert sc.pebble.cert_status(new_serial)["Status"] == "Valid"
    assert sc.pebble.issued_serials() == [first.serial, new_serial]
    rec = wait_until(lambda: (r := sc.gw.record([HOST])) and r["status"] == "valid" and r["serial"] == new_serial,
                     10)
    assert rec, f"certs list does not show the renewed certificate as valid: {sc.gw.certs_list()}"


def test_restart_with_valid_stored_certificate_makes_no_acme_round_trip(acme_lab):
    sc = acme_lab.scenario("http-01")
    leaf = sc.wait_for_pebble_leaf(timeout=30)
    assert sc.gw.gh.wait_for_log("stored", timeout=5)
    orders = pebble_new_order_requests(sc.pebble)
    assert orders >= 1
    sc.gw.gh.send_signal(signal.SIGTERM)
    assert sc.gw.gh.wait_exit(15) is not None, "gatehouse did not stop on SIGTERM"

    sc.gw = acme_lab.restart(sc.gw)
    again = sc.wait_for_pebble_leaf(timeout=10)
    assert again.serial == leaf.serial, "a different certificate after the restart"
    time.sleep(2)
    assert pebble_new_order_requests(sc.pebble) == orders, "the restarted gateway ordered again"
    assert sc.pebble.issued_serials() == [leaf.serial]
    assert not sc.gw.gh.log_lines_matching("order created")
    rec = sc.gw.record([HOST])
    assert rec is not None and rec["serial"] == leaf.serial and rec["status"] == "valid", sc.gw.certs_list()
