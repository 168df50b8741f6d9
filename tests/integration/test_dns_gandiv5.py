"""`gatehouse dns test gandiv5 DOMAIN` (the credential pre-flight) against the Gandi LiveDNS v5 fake
(tests/integration/dnsfakes/gandiv5.py), run in this process so the test sees every request and
every TXT record it holds. The token must travel as `Authorization: Bearer`; the fake refuses the deprecated Apikey header with 403.

Contract of the CLI: stdout lines `zone: ok (...)`, `present: ok`, `propagation: ok (...)`,
`cleanup: ok`, then `result: ok` (exit 0) or `result: failed at <step>: <kind>: <detail>` (exit 1).
Nothing here talks to the live service.
"""
from __future__ import annotations

import os
import sys

import pytest

from support import REPO_ROOT, gatehouse_binary, run

sys.path.insert(0, str(REPO_ROOT / "tests" / "integration" / "dnsfakes"))
from gandiv5 import GandiV5Fake  # noqa: E402

SECRET = "pat-pytest-5e0c1b7a"
WRONG = "wrong-pat-pytest-5e0c1b7a"
DOMAIN = "example.com"


@pytest.fixture
def fake():
    provider = GandiV5Fake([DOMAIN], {"PAT": SECRET})
    server = provider.serve()
    try:
        yield provider, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        provider.dns.close()


def preflight(base: str, dns_port: int, overrides: dict[str, str] | None = None):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update({"GANDIV5_PERSONAL_ACCESS_TOKEN": SECRET, "GANDIV5_API_URL": base + "/v5/livedns"})
    env.update(overrides or {})
    return run([gatehouse_binary(), "dns", "test", "gandiv5", DOMAIN, "--resolvers", f"127.0.0.1:{dns_port}"],
               env=env, timeout=120)


def test_the_right_credential_passes_every_step_and_leaves_no_record(fake):
    fake, base = fake
    result = preflight(base, fake.dns.port)
    out = result.stdout.decode()
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert result.returncode == 0, out + result.stderr.decode()
    assert any(line.startswith("zone: ok") for line in lines), out
    assert "present: ok" in lines and "cleanup: ok" in lines, out
    assert any(line.startswith("propagation: ok") for line in lines), out
    assert lines[-1] == "result: ok", out
    method, path = ("PUT", "/records/")
    assert any(r.method == method and path in r.path for r in fake.requests), "the probe record was never written"
    assert fake.dns.all_txt() == {}, f"records left behind: {fake.dns.all_txt()}"
    assert all(r.header("Authorization") == f"Bearer {SECRET}" for r in fake.requests if r.method == "PUT")
    assert SECRET not in out and SECRET not in result.stderr.decode()


def test_a_wrong_credential_fails_at_present_as_authentication_without_showing_it(fake):
    fake, base = fake
    result = preflight(base, fake.dns.port, {"GANDIV5_PERSONAL_ACCESS_TOKEN": WRONG})
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 1, out + err
    assert "result: failed at present: authentication" in out, out
    assert fake.dns.all_txt() == {}
    for secret in (SECRET, WRONG):
        assert secret not in out and secret not in err
