"""The gateway-node files (shared fixtures) loaded from the watched provider directory, with their
backend addresses rewritten to loopback: TLS passthrough to a backend holding its own certificate,
the "name" workload terminated at Gatehouse, and removal of a file taking its route away within 1 s.
"""
from __future__ import annotations

import os
import re
import time

import support
from support import http_request, served_certificate, wait_until
from test_tcp import TCPPeer, echo_once, self_signed, tls_client

PASSTHROUGH = "zos-fqdn-passthrough.yaml"
NAME_PROXY = "zos-name-proxy.yaml"
PASSTHROUGH_NAME = "remote.omar.grid.tf"
PROXY_NAME = "workloadname.gent01.dev.grid.tf"
ADDRESS_RE = re.compile(r"(address:\s*)\S+")
URL_RE = re.compile(r"(url:\s*)http://\S+")


def fixture_text(name: str) -> str:
    path = support.fixtures_dir() / name
    if not path.exists():
        support.unavailable(f"{name} missing from {support.fixtures_dir()}")
    return path.read_text()


def start_gateway_node(launcher, peer: TCPPeer, http_url: str):
    passthrough = fixture_text(PASSTHROUGH)
    name_proxy = fixture_text(NAME_PROXY)
    # Only the backend addresses change; spelling (`loadbalancer`, `passthrough: "true"`) stays as found.
    assert 'passthrough: "true"' in passthrough and "loadbalancer:" in passthrough
    files = {
        PASSTHROUGH: ADDRESS_RE.sub(lambda m: m.group(1) + peer.address, passthrough),
        NAME_PROXY: URL_RE.sub(lambda m: m.group(1) + http_url, name_proxy),
    }
    assert peer.address in files[PASSTHROUGH] and http_url in files[NAME_PROXY]
    return launcher.start(provider_dir=files)


def test_gateway_node_files_route_and_removal_takes_effect_within_a_second(launcher, backends, tmp_path):
    peer = TCPPeer("fqdn-workload", cert=self_signed(tmp_path / "workload", PASSTHROUGH_NAME, "Workload Own Cert"))
    http_backend = backends("name-workload")
    try:
        gh = start_gateway_node(launcher, peer, http_backend.url)
        ddir = gh.workdir / "dynamic.d"

        # Passthrough: openssl s_client sees the workload's own certificate, issued by itself.
        served = served_certificate(gh.websecure, PASSTHROUGH_NAME)
        assert "Workload Own Cert" in served.subject and "Workload Own Cert" in served.issuer, served.subject
        with tls_client(gh.websecure, PASSTHROUGH_NAME) as sock:
            assert echo_once(sock, b"end to end\n") == b"end to end\n"

        # Name proxy: TLS ends at Gatehouse (its certificate, not the workload's), the HTTP backend gets the request.
        gateway_cert = served_certificate(gh.websecure, PROXY_NAME)
        assert "Workload Own Cert" not in gateway_cert.subject
        assert "Gatehouse" in gateway_cert.subject, gateway_cert.subject
        r = http_request(gh.websecure, "/status", host=PROXY_NAME, tls=True)
        assert (r.status, r.backend) == (200, "name-workload"), r
        assert http_backend.wait_for_request("/status", timeout=5) is not None

        # Deleting the passthrough file removes the route within 1 s.
        os.remove(ddir / PASSTHROUGH)
        start = time.monotonic()
        gone = wait_until(lambda: "Workload Own Cert" not in served_certificate(gh.websecure, PASSTHROUGH_NAME).subject,
                          1.0, interval=0.05)
        assert gone, f"passthrough route still served {time.monotonic() - start:.2f}s after its file was deleted"

        # Deleting the name-proxy file removes that route within 1 s too.
        os.remove(ddir / NAME_PROXY)
        gone = wait_until(lambda: http_request(gh.websecure, "/", host=PROXY_NAME, tls=True, timeout=2).status == 404,
                          1.0, interval=0.05)
        assert gone, "name-proxy route still served 1 s after its file was deleted"
        assert gh.alive()
    finally:
        peer.close()
