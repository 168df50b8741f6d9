"""`gatehouse dns test PROVIDER DOMAIN` (the credential pre-flight) against each DNS provider API
fake in tests/integration/dnsfakes/, run in this process so the test sees every request and every
TXT record the fake holds.

Each fake follows its provider's documented contract (paths, auth header, bodies, error bodies)
and serves the records it holds over DNS, where the pre-flight finds the zone by SOA and checks
that the probe record is visible. Nothing here talks to a live service.

The CLI's contract: stdout lines `zone: ok (...)` (or `zone: skipped` for providers that need no
zone), `present: ok`, `propagation: ok (...)`, `cleanup: ok`, then `result: ok` (exit 0) or
`result: failed at <step>: <kind>: <detail>` (exit 1). The provider's first API call is in the
present step (the zone step is a DNS lookup), so a wrong credential fails there.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import sys
from dataclasses import dataclass, field
from typing import Callable

import pytest

from support import REPO_ROOT, gatehouse_binary, run, unavailable

sys.path.insert(0, str(REPO_ROOT / "tests" / "integration" / "dnsfakes"))
from cloudflare import CloudflareFake  # noqa: E402
from digitalocean import DigitalOceanFake  # noqa: E402
from gandiv5 import GandiV5Fake  # noqa: E402
from gcloud import GCloudFake  # noqa: E402
from hetzner import HetznerFake  # noqa: E402
from httpreq import HTTPReqFake  # noqa: E402
from ovh import OVHFake  # noqa: E402
from porkbun import PorkbunFake  # noqa: E402
from route53 import Route53Fake  # noqa: E402


@dataclass
class Case:
    """One provider: its fake, what the fake accepts, and the environment the CLI gets."""
    provider: str
    fake: type
    # What the fake accepts (its --credential entries), given a scratch folder.
    accepts: Callable[[pathlib.Path], dict[str, str]]
    # lego's variables for the right credential, given the fake's base URL and the folder.
    env: Callable[[str, pathlib.Path], dict[str, str]]
    # The variables that make the credential wrong.
    wrong: Callable[[pathlib.Path], dict[str, str]]
    domain: str = "www.example.com"
    zone_step: str = "zone: ok"
    # What must never be printed, given the folder (read once the fake has started).
    secrets: Callable[[pathlib.Path], list[str]] = lambda _: []
    # More checks on the fake after a successful run.
    check: Callable[[object], None] = lambda fake: None
    needs: list[str] = field(default_factory=list)


def key_lines(path: pathlib.Path) -> list[str]:
    """The base64 lines of a service account's private key."""
    import json
    key = json.loads(path.read_text())["private_key"]
    return [line for line in key.splitlines() if line and not line.startswith("-----")]


def bearer_only(fake) -> None:
    writes = [r for r in fake.requests if r.method in ("PUT", "POST", "DELETE")]
    assert writes and all((r.header("Authorization") or "").startswith("Bearer ") for r in writes)


def refreshed(fake) -> None:
    assert any(r.path.endswith("/refresh") for r in fake.requests), "the zone was never refreshed"


TIMING = {"PROPAGATION_TIMEOUT": "20", "POLLING_INTERVAL": "1"}


def tuned(prefix: str, values: dict[str, str]) -> dict[str, str]:
    return {**values, **{f"{prefix}_{key}": value for key, value in TIMING.items()}}


CASES = [
    Case("cloudflare", CloudflareFake,
         accepts=lambda _: {"CF_DNS_API_TOKEN": "cf-dns-token-pytest-31415"},
         env=lambda url, _: tuned("CLOUDFLARE", {"CF_DNS_API_TOKEN": "cf-dns-token-pytest-31415",
                                                 "CLOUDFLARE_BASE_URL": url + "/client/v4"}),
         wrong=lambda _: {"CF_DNS_API_TOKEN": "cf-wrong-token-27182818"},
         secrets=lambda _: ["cf-dns-token-pytest-31415", "cf-wrong-token-27182818"]),
    Case("route53", Route53Fake,
         accepts=lambda _: {"AWS_ACCESS_KEY_ID": "AKIDGATEHOUSEPYTEST",
                            "AWS_SECRET_ACCESS_KEY": "route53-pytest-secret-1123581321345589"},
         env=lambda url, _: tuned("AWS", {"AWS_ACCESS_KEY_ID": "AKIDGATEHOUSEPYTEST",
                                          "AWS_SECRET_ACCESS_KEY": "route53-pytest-secret-1123581321345589",
                                          "AWS_ENDPOINT_URL_ROUTE_53": url, "AWS_MAX_RETRIES": "0"}),
         wrong=lambda _: {"AWS_SECRET_ACCESS_KEY": "route53-wrong-secret-2718281828459045"},
         secrets=lambda _: ["route53-pytest-secret-1123581321345589", "route53-wrong-secret-2718281828459045"]),
    Case("digitalocean", DigitalOceanFake,
         accepts=lambda _: {"DO_AUTH_TOKEN": "dop_v1_pytest_token_1414213562373095"},
         env=lambda url, _: tuned("DO", {"DO_AUTH_TOKEN": "dop_v1_pytest_token_1414213562373095", "DO_API_URL": url}),
         wrong=lambda _: {"DO_AUTH_TOKEN": "dop_v1_wrong_token_1732050807568877"},
         secrets=lambda _: ["dop_v1_pytest_token_1414213562373095", "dop_v1_wrong_token_1732050807568877"]),
    # The fake writes two service accounts' keys: one it knows, one signed by a key it does not.
    Case("gcloud", GCloudFake,
         accepts=lambda d: {"ACCOUNT_FILE": str(d / "account.json"), "STRANGER_ACCOUNT_FILE": str(d / "stranger.json")},
         env=lambda url, d: tuned("GCE", {"GCE_SERVICE_ACCOUNT_FILE": str(d / "account.json"), "GCE_API_URL": url + "/dns/v1"}),
         wrong=lambda d: {"GCE_SERVICE_ACCOUNT_FILE": str(d / "stranger.json")},
         secrets=lambda d: key_lines(d / "account.json") + key_lines(d / "stranger.json"),
         needs=["openssl"]),
    # Gandi: the token travels as `Authorization: Bearer`, never the deprecated Apikey header.
    Case("gandiv5", GandiV5Fake, domain="example.com",
         accepts=lambda _: {"PAT": "pat-pytest-5e0c1b7a"},
         env=lambda url, _: {"GANDIV5_PERSONAL_ACCESS_TOKEN": "pat-pytest-5e0c1b7a", "GANDIV5_API_URL": url + "/v5/livedns"},
         wrong=lambda _: {"GANDIV5_PERSONAL_ACCESS_TOKEN": "wrong-pat-pytest-5e0c1b7a"},
         secrets=lambda _: ["pat-pytest-5e0c1b7a", "wrong-pat-pytest-5e0c1b7a"], check=bearer_only),
    # OVH: signed requests; a record reaches DNS only once the zone is refreshed.
    Case("ovh", OVHFake, domain="example.com",
         accepts=lambda _: {"AK": "ak-pytest", "AS": "as-pytest-9a8b7c6d", "CK": "ck-pytest-3d2c1b"},
         env=lambda url, _: {"OVH_ENDPOINT": url + "/1.0", "OVH_APPLICATION_KEY": "ak-pytest",
                             "OVH_APPLICATION_SECRET": "as-pytest-9a8b7c6d", "OVH_CONSUMER_KEY": "ck-pytest-3d2c1b"},
         wrong=lambda _: {"OVH_APPLICATION_SECRET": "wrong-as-pytest-9a8b7c6d"},
         secrets=lambda _: ["as-pytest-9a8b7c6d", "wrong-as-pytest-9a8b7c6d"], check=refreshed),
    # httpreq is handed the record's name only: no zone step.
    Case("httpreq", HTTPReqFake, domain="example.com", zone_step="zone: skipped",
         accepts=lambda _: {"USERNAME": "acme", "PASSWORD": "hook-pytest-71f0e2"},
         env=lambda url, _: {"HTTPREQ_ENDPOINT": url, "HTTPREQ_USERNAME": "acme", "HTTPREQ_PASSWORD": "hook-pytest-71f0e2"},
         wrong=lambda _: {"HTTPREQ_PASSWORD": "wrong-hook-pytest-71f0e2"},
         secrets=lambda _: ["hook-pytest-71f0e2", "wrong-hook-pytest-71f0e2"]),
    # Hetzner: the Cloud API (what lego's hetzner uses for HETZNER_API_TOKEN).
    Case("hetzner", HetznerFake, domain="example.com",
         accepts=lambda _: {"TOKEN": "hcloud-pytest-2b9d4e"},
         env=lambda url, _: {"HETZNER_API_TOKEN": "hcloud-pytest-2b9d4e", "HETZNER_API_URL": url + "/v1"},
         wrong=lambda _: {"HETZNER_API_TOKEN": "wrong-hcloud-pytest-2b9d4e"},
         secrets=lambda _: ["hcloud-pytest-2b9d4e", "wrong-hcloud-pytest-2b9d4e"]),
    Case("porkbun", PorkbunFake, domain="example.com",
         accepts=lambda _: {"APIKEY": "pk1_pytest", "SECRET": "sk1_pytest_4c3b2a"},
         env=lambda url, _: {"PORKBUN_API_KEY": "pk1_pytest", "PORKBUN_SECRET_API_KEY": "sk1_pytest_4c3b2a",
                             "PORKBUN_API_URL": url + "/api/json/v3"},
         wrong=lambda _: {"PORKBUN_SECRET_API_KEY": "wrong-sk1_pytest_4c3b2a"},
         secrets=lambda _: ["sk1_pytest_4c3b2a", "wrong-sk1_pytest_4c3b2a"]),
]


@pytest.fixture(params=CASES, ids=[case.provider for case in CASES])
def lab(request, tmp_path):
    """A provider case with its fake serving example.com: (case, fake, base URL, folder)."""
    case: Case = request.param
    for tool in case.needs:
        if shutil.which(tool) is None:
            unavailable(f"{tool} is needed by the {case.provider} fake (apt-get install -y {tool})")
    fake = case.fake(["example.com"], case.accepts(tmp_path))
    server = fake.serve()
    try:
        yield case, fake, f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()
        fake.dns.close()


def preflight(case: Case, fake, url: str, folder: pathlib.Path, overrides: dict[str, str] | None = None):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(case.env(url, folder))
    env.update(overrides or {})
    result = run([gatehouse_binary(), "dns", "test", case.provider, case.domain, "--resolvers", f"127.0.0.1:{fake.dns.port}"],
                 env=env, timeout=120)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def test_the_right_credential_passes_every_step_and_leaves_no_record(lab):
    case, fake, url, folder = lab
    code, out, err = preflight(case, fake, url, folder)
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert code == 0, out + err
    assert any(line.startswith(case.zone_step) for line in lines), out
    assert "present: ok" in lines and "cleanup: ok" in lines, out
    assert any(line.startswith("propagation: ok") for line in lines), out
    assert lines[-1] == "result: ok", out
    assert any(r.method in ("POST", "PUT", "PATCH") for r in fake.requests), "the probe record was never written"
    assert fake.dns.all_txt() == {}, f"records left behind: {fake.dns.all_txt()}"
    case.check(fake)
    for secret in case.secrets(folder):
        assert secret not in out + err


def test_a_wrong_credential_fails_at_present_as_authentication_without_showing_it(lab):
    case, fake, url, folder = lab
    code, out, err = preflight(case, fake, url, folder, case.wrong(folder))
    assert code == 1, out + err
    assert out.splitlines()[-1].startswith("result: failed at present: authentication"), out
    assert fake.dns.all_txt() == {}
    for secret in case.secrets(folder):
        assert secret not in out + err
