"""`gatehouse dns test gcloud DOMAIN` against the Cloud DNS + OAuth fake (dnsfakes/gcloud.py),
which makes the service accounts, writes their JSON keys (token_uri pointing at itself) and
checks the JWT's RS256 signature with the account's public key.

The pre-flight finds the zone by SOA at the fake's DNS; the provider gets its access token and
changes the TXT set in the present step, so an account whose key Google does not know fails at
`present: authentication`. The private key must never appear in the output.
Nothing here talks to the real Google Cloud.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import subprocess
import sys

import pytest

from support import REPO_ROOT, gatehouse_binary, run, unavailable

FAKE = REPO_ROOT / "tests" / "integration" / "dnsfakes" / "gcloud.py"


@pytest.fixture
def fake(tmp_path):
    if shutil.which("openssl") is None:
        unavailable("openssl is needed by the gcloud fake to make service account keys (apt-get install -y openssl)")
    process = subprocess.Popen([sys.executable, str(FAKE), "--zones", "example.com",
                                "--credential", f"ACCOUNT_FILE={tmp_path / 'account.json'}",
                                "--credential", f"STRANGER_ACCOUNT_FILE={tmp_path / 'stranger.json'}"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        if not line:
            unavailable("the gcloud fake did not start")
        ports = json.loads(line)
        ports["account"], ports["stranger"] = tmp_path / "account.json", tmp_path / "stranger.json"
        yield ports
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def key_lines(path) -> list[str]:
    key = json.loads(path.read_text())["private_key"]
    return [line for line in key.splitlines() if line and not line.startswith("-----")]


def preflight(fake, account) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GCE_")}
    env.update({"GCE_SERVICE_ACCOUNT_FILE": str(account), "GCE_API_URL": fake["url"] + "/dns/v1",
                "GCE_PROPAGATION_TIMEOUT": "20", "GCE_POLLING_INTERVAL": "1"})
    result = run([gatehouse_binary(), "dns", "test", "gcloud", "www.example.com",
                  "--resolvers", f"127.0.0.1:{fake['dns']}"], env=env, timeout=90)
    out, err = result.stdout, result.stderr
    return result.returncode, out.decode() if isinstance(out, bytes) else out, err.decode() if isinstance(err, bytes) else err


def txt_answers(dns_port: int, name: str) -> int:
    """How many TXT answers the fake's DNS gives for `name`."""
    query = struct.pack("!HHHHHH", 0x4242, 0x0000, 1, 0, 0, 0)
    for label in name.split("."):
        query += bytes([len(label)]) + label.encode()
    query += b"\x00" + struct.pack("!HH", 16, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.sendto(query, ("127.0.0.1", dns_port))
        answer, _ = s.recvfrom(4096)
    return struct.unpack("!H", answer[6:8])[0]


def test_preflight_with_the_right_account_succeeds_and_leaves_nothing(fake):
    code, out, err = preflight(fake, fake["account"])
    assert code == 0, out + err
    lines = out.splitlines()
    assert any(line.startswith("zone: ok") for line in lines), out
    assert "present: ok" in lines, out
    assert any(line.startswith("propagation: ok") for line in lines), out
    assert "cleanup: ok" in lines, out
    assert lines[-1] == "result: ok", out
    assert not any(line in out + err for line in key_lines(fake["account"]))
    assert txt_answers(fake["dns"], "_acme-challenge.www.example.com") == 0, "the probe record was left behind"


def test_preflight_with_an_unknown_key_fails_at_present_as_authentication(fake):
    code, out, err = preflight(fake, fake["stranger"])
    assert code == 1, out + err
    assert out.splitlines()[-1].startswith("result: failed at present: authentication"), out
    assert not any(line in out + err for line in key_lines(fake["stranger"]))
