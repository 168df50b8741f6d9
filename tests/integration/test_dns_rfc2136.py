"""`gatehouse dns test rfc2136` against a real BIND 9 (bind_support): TSIG-signed RFC 2136 updates.

BIND accepting the UPDATE proves the TSIG MAC; `result: ok` also needs BIND's signed answer to
verify, so both directions of RFC 8945 are checked against BIND's own implementation.
"""
from __future__ import annotations

import os

import pytest

import support
from bind_support import BindServer, bind_server  # noqa: F401  (pytest fixture)

WRONG_SECRET = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def dns_test(env: dict[str, str], domain: str, *args: str, timeout: float = 90):
    binary = support.gatehouse_binary()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RFC2136_")}
    res = support.run([binary, "dns", "test", "rfc2136", domain, "--timeout", "15s", *args],
                      env={**clean, **env}, timeout=timeout)
    out = res.stdout.decode()
    return res.returncode, out, res.stderr.decode()


def lines(out: str) -> dict[str, str]:
    return {line.split(":", 1)[0]: line for line in out.splitlines() if ":" in line}


@pytest.mark.parametrize("algorithm,trailing_dot", [("hmac-sha256", False), ("hmac-sha512", False),
                                                    ("hmac-sha256", True), ("hmac-sha1", True)])
def test_preflight_ok_and_nothing_left(bind_server: BindServer, algorithm: str, trailing_dot: bool):
    code, out, err = dns_test(bind_server.rfc2136_env(algorithm, trailing_dot=trailing_dot), "www.example.test")
    got = lines(out)
    assert code == 0, (out, err, bind_server.log()[-2000:])
    assert got["zone"] == "zone: ok (example.test.)"
    assert got["present"] == "present: ok"
    assert got["propagation"] == f"propagation: ok (visible at {bind_server.address})"
    assert got["cleanup"] == "cleanup: ok"
    assert out.strip().splitlines()[-1] == "result: ok"
    assert bind_server.txt("_acme-challenge.www.example.test") == []


def test_wrong_secret_is_an_authentication_failure_at_present(bind_server: BindServer):
    code, out, err = dns_test(bind_server.rfc2136_env("hmac-sha256", secret=WRONG_SECRET), "www.example.test")
    assert code == 1, (out, err)
    last = out.strip().splitlines()[-1]
    assert last.startswith("result: failed at present: authentication: "), out
    assert "BADSIG" in last
    assert WRONG_SECRET not in out + err
    assert bind_server.txt("_acme-challenge.www.example.test") == []


def test_unknown_key_name_is_an_authentication_failure(bind_server: BindServer):
    env = bind_server.rfc2136_env("hmac-sha256")
    env["RFC2136_TSIG_KEY"] = "nobody-knows-me."
    code, out, _ = dns_test(env, "www.example.test")
    assert code == 1
    assert out.strip().splitlines()[-1].startswith("result: failed at present: authentication: "), out
    assert "BADKEY" in out


def test_unknown_zone_is_zone_not_found(bind_server: BindServer):
    code, out, err = dns_test(bind_server.rfc2136_env("hmac-sha256"), "www.unknown.test")
    assert code == 1, (out, err)
    last = out.strip().splitlines()[-1]
    assert last.startswith("result: failed at zone: zone not found: "), out
    assert bind_server.address in last and "_acme-challenge.www.unknown.test." in last


def test_zone_without_update_rights_is_permission(bind_server: BindServer):
    code, out, _ = dns_test(bind_server.rfc2136_env("hmac-sha256"), "www.locked.test")
    assert code == 1
    assert out.strip().splitlines()[-1].startswith("result: failed at present: permission: "), out


def test_tsig_file_and_credentials_file(bind_server: BindServer, tmp_path):
    """RFC2136_TSIG_FILE (a BIND key statement) given through --credentials-file, nothing in the environment."""
    creds = tmp_path / "rfc2136.env"
    creds.write_text(f"RFC2136_NAMESERVER={bind_server.address}\n"
                     f"RFC2136_TSIG_FILE={bind_server.key_file('hmac-sha512')}\n")
    code, out, err = dns_test({}, "*.example.test", "--credentials-file", str(creds))
    assert code == 0, (out, err)
    assert out.strip().splitlines()[-1] == "result: ok"
    assert bind_server.txt("_acme-challenge.example.test") == []


def test_existing_values_at_the_name_are_kept(bind_server: BindServer):
    """An apex and its wildcard share the name: the probe's clean-up removes only its own value."""
    res = bind_server.nsupdate(['update add _acme-challenge.www.example.test. 60 TXT "other-value"'])
    assert res.returncode == 0, res.stderr
    code, out, _ = dns_test(bind_server.rfc2136_env("hmac-sha256"), "www.example.test")
    assert code == 0, out
    assert bind_server.txt("_acme-challenge.www.example.test") == ["other-value"]


def test_unsigned_update_is_refused_by_a_keyed_zone(bind_server: BindServer):
    code, out, _ = dns_test({"RFC2136_NAMESERVER": bind_server.address}, "www.example.test")
    assert code == 1
    last = out.strip().splitlines()[-1]
    assert last.startswith("result: failed at present: permission: "), out


def test_providers_lists_rfc2136_with_its_secret_marked():
    binary = support.gatehouse_binary()
    res = support.run([binary, "dns", "providers"], timeout=30)
    out = res.stdout.decode()
    assert res.returncode == 0
    assert "rfc2136:" in out
    assert "RFC2136_NAMESERVER [required]" in out
    assert "RFC2136_TSIG_SECRET [secret]" in out
