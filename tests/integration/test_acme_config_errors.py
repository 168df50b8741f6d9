"""Bad ACME input never takes the gateway down: the other routers keep serving, and the log says what is
wrong, naming the key or the file.

The resolver's CA (a pebble that is never started) is not needed: every case is decided before any
ACME traffic.
"""
from __future__ import annotations

import time

import pytest

from acme_support import RESOLVER, acme_dynamic, acme_resolver
from support import free_port, http_request, wait_until

CASES = {
    "malformed-email": {"resolver": {"email": "ops.example.com"}, "needles": ["email"]},
    "unknown-key-type": {"resolver": {"keyType": "EC999"}, "needles": ["keyType"]},
    "router-names-unknown-resolver": {"router_resolver": "nosuchresolver", "needles": ["nosuchresolver"]},
    "acme-json-not-json": {"storage_text": "{ this is not JSON", "needles": ["acme.json"]},
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_acme_input_keeps_other_routers_serving(acme_lab, tmp_path, case):
    spec = CASES[case]
    pebble = acme_lab.pebble(dns_server=None, start=False)
    backend = acme_lab.backends("plain")
    resolver_args = dict(spec.get("resolver", {}))
    if "storage_text" in spec:
        storage = tmp_path / "acme.json"
        storage.write_text(spec["storage_text"])
        resolver_args["storage"] = str(storage)
    key_type = resolver_args.pop("keyType", None)
    gw = acme_lab.gateway(
        ports={"web": free_port(), "websecure": free_port()},
        resolvers={RESOLVER: acme_resolver(pebble, "http-01", key_type=key_type, **resolver_args)},
        dynamic=acme_dynamic(backend.url, resolver=spec.get("router_resolver", RESOLVER)),
        label=case,
    )
    needles = spec["needles"]
    if "storage_text" in spec:
        needles = [str(tmp_path / "acme.json")]
    lines = wait_until(lambda: gw.error_lines(*needles), 10)
    assert lines, f"no error line naming {needles}:\n{gw.gh.logs()[-3000:]}"
    r = http_request(gw.web, "/still-serving", host="plain.example.com")
    assert (r.status, r.backend) == (200, backend.name), r
    time.sleep(0.5)
    assert gw.gh.alive(), f"gatehouse exited ({gw.gh.proc.returncode}):\n{gw.gh.logs()[-3000:]}"
    r = http_request(gw.web, "/still-serving-2", host="plain.example.com")
    assert r.status == 200
