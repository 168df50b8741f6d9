"""`gatehouse dns test route53 DOMAIN` against the Route 53 API fake (dnsfakes/route53.py), which
verifies every request's SigV4 signature with the secret it knows.

The pre-flight finds the zone by SOA at the fake's DNS, then the provider looks the hosted zone
up and changes the TXT set (present), waits for it over DNS, and removes it. The first signed
call is in the present step, so a wrong secret fails at `present: authentication`.
Nothing here talks to the real AWS.
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

KEY_ID = "AKIDGATEHOUSEPYTEST"
SECRET = "route53-pytest-secret-1123581321345589"
FAKE = REPO_ROOT / "tests" / "integration" / "dnsfakes" / "route53.py"


@pytest.fixture
def fake():
    process = subprocess.Popen([sys.executable, str(FAKE), "--zones", "example.com",
                                "--credential", f"AWS_ACCESS_KEY_ID={KEY_ID}", "--credential", f"AWS_SECRET_ACCESS_KEY={SECRET}"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        if not line:
            unavailable("the Route 53 fake did not start")
        yield json.loads(line)
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def preflight(fake, secret: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": secret, "AWS_ENDPOINT_URL_ROUTE_53": fake["url"],
                "AWS_MAX_RETRIES": "0", "AWS_PROPAGATION_TIMEOUT": "20", "AWS_POLLING_INTERVAL": "1"})
    result = run([gatehouse_binary(), "dns", "test", "route53", "www.example.com",
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


def test_preflight_with_the_right_keys_succeeds_and_leaves_nothing(fake):
    code, out, err = preflight(fake, SECRET)
    assert code == 0, out + err
    lines = out.splitlines()
    assert any(line.startswith("zone: ok") for line in lines), out
    assert "present: ok" in lines, out
    assert any(line.startswith("propagation: ok") for line in lines), out
    assert "cleanup: ok" in lines, out
    assert lines[-1] == "result: ok", out
    assert SECRET not in out + err
    assert txt_answers(fake["dns"], "_acme-challenge.www.example.com") == 0, "the probe record was left behind"


def test_preflight_with_a_wrong_secret_fails_at_present_as_authentication(fake):
    wrong = "route53-wrong-secret-2718281828459045"
    code, out, err = preflight(fake, wrong)
    assert code == 1, out + err
    assert out.splitlines()[-1].startswith("result: failed at present: authentication"), out
    assert wrong not in out + err and SECRET not in out + err
