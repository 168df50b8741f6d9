"""`gatehouse dns test digitalocean DOMAIN` against the DigitalOcean API fake
(dnsfakes/digitalocean.py).

The pre-flight finds the zone by SOA at the fake's DNS, creates a probe TXT record through the
API, waits until the fake's DNS serves it, and removes it. The provider's first API call is in
the present step, so a wrong token fails at `present: authentication`.
Nothing here talks to the real DigitalOcean.
"""
from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys

import pytest

from support import REPO_ROOT, gatehouse_binary, run, unavailable

TOKEN = "dop_v1_pytest_token_1414213562373095"
FAKE = REPO_ROOT / "tests" / "integration" / "dnsfakes" / "digitalocean.py"


@pytest.fixture
def fake():
    process = subprocess.Popen([sys.executable, str(FAKE), "--zones", "example.com", "--credential", f"DO_AUTH_TOKEN={TOKEN}"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        if not line:
            unavailable("the DigitalOcean fake did not start")
        yield json.loads(line)
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def preflight(fake, token: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DO_")}
    env.update({"DO_AUTH_TOKEN": token, "DO_API_URL": fake["url"], "DO_PROPAGATION_TIMEOUT": "20", "DO_POLLING_INTERVAL": "1"})
    result = run([gatehouse_binary(), "dns", "test", "digitalocean", "www.example.com",
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


def test_preflight_with_the_right_token_succeeds_and_leaves_nothing(fake):
    code, out, err = preflight(fake, TOKEN)
    assert code == 0, out + err
    lines = out.splitlines()
    assert any(line.startswith("zone: ok") for line in lines), out
    assert "present: ok" in lines, out
    assert any(line.startswith("propagation: ok") for line in lines), out
    assert "cleanup: ok" in lines, out
    assert lines[-1] == "result: ok", out
    assert TOKEN not in out + err
    assert txt_answers(fake["dns"], "_acme-challenge.www.example.com") == 0, "the probe record was left behind"


def test_preflight_with_a_wrong_token_fails_at_present_as_authentication(fake):
    wrong = "dop_v1_wrong_token_1732050807568877"
    code, out, err = preflight(fake, wrong)
    assert code == 1, out + err
    assert out.splitlines()[-1].startswith("result: failed at present: authentication"), out
    assert wrong not in out + err and TOKEN not in out + err
