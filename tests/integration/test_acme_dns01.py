"""DNS-01 end to end: pebble validates TXT records that Gatehouse published in BIND 9.

pebble's `-dnsserver` points at a BIND started on a loopback port (bind_support.BindServer),
authoritative for `example.test`, dynamic with TSIG keys. Gatehouse's resolver uses
`dnsChallenge.provider: rfc2136` with credentials the way Traefik users set them (lego's
`RFC2136_*` variables in the environment, their `_FILE` variants, or a `credentialsFile`), or
`providers:` sending the zone to `rfc2136` and a suffix below it to `exec` (a script that runs
nsupdate).
Each certificate holds an apex and its wildcard, which share `_acme-challenge.<domain>`: both TXT
values must be there while pebble validates. The served certificate's SANs are read with openssl;
afterwards BIND holds no challenge record.

`rfc2136` names its nameserver as the zone's server, so the zone is found and the record checked
there (the default, authoritative check). The zone's NS record points at 127.0.0.1:53, where
nobody listens, so the resolver with `exec` sets `propagation.disableANSChecks` and the check asks
the configured resolver (BIND itself).
"""
from __future__ import annotations

import pathlib
import sys
import textwrap

import pytest

from acme_support import EMAIL, RESOLVER, is_pebble_leaf, served_leaf
from bind_support import KEYS, BindServer, bind_server  # noqa: F401  (bind_server is a fixture)
import support
from support import free_port, run, service, wait_until


def exec_hook(bind: BindServer, path: pathlib.Path) -> pathlib.Path:
    """A lego `exec` script (`present|cleanup FQDN VALUE`) that writes into `bind` with nsupdate (signed
    with the hmac-sha256 key), and records each call in `<path>.calls`."""
    name, secret = KEYS["hmac-sha256"]
    path.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import subprocess, sys
        action, fqdn, value = sys.argv[1], sys.argv[2], sys.argv[3]
        with open({str(path) + '.calls'!r}, "a") as log:
            log.write(f"{{action}} {{fqdn}}\\n")
        if not fqdn.endswith("."):
            fqdn += "."
        verb = "add" if action == "present" else "delete"
        ttl = "60 " if verb == "add" else ""
        script = (f"server {bind.host} {bind.port}\\n"
                  f"update {{verb}} {{fqdn}} {{ttl}}TXT \\"{{value}}\\"\\nsend\\n")
        subprocess.run([{bind.nsupdate_path!r}, "-y", "hmac-sha256:{name}:{secret}"],
                       input=script.encode(), check=True, timeout=20)
        """))
    path.chmod(0o755)
    return path


def require_provider(name: str, tmp_path: pathlib.Path) -> None:
    """Fails under CI=true, else skips, when the gatehouse binary has no DNS provider `name`
    (`gatehouse check-config` lists the names it has)."""
    static = tmp_path / f"provider-{name}.yml"
    static.write_text(f"certificatesResolvers:\n  r:\n    acme:\n      dnsChallenge: {{provider: {name}}}\n")
    res = run([support.gatehouse_binary(), "check-config", "--config", str(static)], timeout=30)
    if f'unknown DNS provider "{name}"' in res.stdout.decode(errors="replace"):
        support.unavailable(f"this gatehouse build has no DNS provider {name!r}")


def dns_resolver(pebble, dns_challenge: dict) -> dict:
    return {"acme": {"caServer": pebble.directory, "email": EMAIL, "dnsChallenge": dns_challenge}}


def wildcard_dynamic(backend_url: str, main: str) -> dict:
    """A router for `main` asking the resolver for `main` and `*.main` in one certificate."""
    return {"http": {
        "routers": {"secure": {"rule": f"Host(`{main}`) || Host(`www.{main}`)", "service": "backend",
                               "entryPoints": ["websecure"],
                               "tls": {"certResolver": RESOLVER, "domains": [{"main": main, "sans": [f"*.{main}"]}]}}},
        "services": {"backend": service(backend_url)},
    }}


def start(acme_lab, bind: BindServer, dns_challenge: dict, dynamic_for, env: dict[str, str], label: str):
    ports = {"web": free_port(), "websecure": free_port()}
    unused = free_port()
    pebble = acme_lab.pebble(http_port=unused, tls_port=unused, dns_server=bind.address)
    backend = acme_lab.backends(label)
    gw = acme_lab.gateway(ports=ports, resolvers={RESOLVER: dns_resolver(pebble, dns_challenge)},
                          dynamic=dynamic_for(backend.url), env=env, label=label)
    return pebble, gw


def wait_for_leaf(gw, pebble, servername: str, timeout: float = 60):
    last = []

    def issued():
        try:
            leaf = served_leaf(gw.websecure, servername, cafile=str(pebble.trust_path))
        except AssertionError:
            return False
        last[:] = [leaf]
        return is_pebble_leaf(leaf)

    if not wait_until(issued, timeout, 0.25):
        raise AssertionError(f"no pebble certificate for {servername} after {timeout}s; "
                             f"gatehouse log:\n{gw.gh.logs()[-4000:]}\npebble log:\n{pebble.logs()[-2000:]}")
    return last[0]


def assert_cleaned(bind: BindServer, *names: str) -> None:
    ok = wait_until(lambda: all(not bind.txt(f"_acme-challenge.{n}") for n in names), 15, 0.2)
    left = {n: bind.txt(f"_acme-challenge.{n}") for n in names}
    assert ok, f"challenge records left in BIND: {left}"


def base_challenge(bind: BindServer, **extra) -> dict:
    return {"provider": "rfc2136", "resolvers": [bind.address],
            "propagation": {"interval": "200ms", "timeout": "30s"}, **extra}


def test_rfc2136_from_environment_issues_apex_and_wildcard(acme_lab, bind_server):
    bind = bind_server
    env = bind.rfc2136_env("hmac-sha256", trailing_dot=True)
    pebble, gw = start(acme_lab, bind, base_challenge(bind), lambda url: wildcard_dynamic(url, "example.test"),
                       env, "rfc2136-env")
    leaf = wait_for_leaf(gw, pebble, "example.test")
    assert sorted(leaf.sans) == ["*.example.test", "example.test"]
    www = served_leaf(gw.websecure, "www.example.test", cafile=str(pebble.trust_path), verify_hostname="www.example.test")
    assert www.serial == leaf.serial and www.verified, www.verify_text
    assert_cleaned(bind, "example.test")
    # BIND took signed updates adding two values at the one name (apex and wildcard), and removed both.
    log = bind.log()
    assert log.count("adding an RR at '_acme-challenge.example.test' TXT") >= 2, log[-3000:]
    assert log.count("deleting an RR at _acme-challenge.example.test TXT") + \
        log.count("deleting an RR at '_acme-challenge.example.test' TXT") >= 2, log[-3000:]
    assert env["RFC2136_TSIG_SECRET"] not in gw.gh.logs() + gw.gh.stdout()


def test_rfc2136_file_variants(acme_lab, bind_server, tmp_path):
    bind = bind_server
    env = bind.rfc2136_env("hmac-sha512")
    for name in ("RFC2136_TSIG_SECRET", "RFC2136_TSIG_KEY", "RFC2136_NAMESERVER"):
        path = tmp_path / name.lower()
        path.write_text(env.pop(name) + "\n")
        env[name + "_FILE"] = str(path)
    pebble, gw = start(acme_lab, bind, base_challenge(bind), lambda url: wildcard_dynamic(url, "example.test"),
                       env, "rfc2136-file")
    leaf = wait_for_leaf(gw, pebble, "example.test")
    assert sorted(leaf.sans) == ["*.example.test", "example.test"]
    assert_cleaned(bind, "example.test")


def test_rfc2136_credentials_file(acme_lab, bind_server, tmp_path):
    bind = bind_server
    creds = tmp_path / "rfc2136.env"
    creds.write_text("# lego's names\n" + "".join(f'export {k}="{v}"\n' for k, v in bind.rfc2136_env("hmac-sha256").items()))
    pebble, gw = start(acme_lab, bind, base_challenge(bind, credentialsFile=str(creds)),
                       lambda url: wildcard_dynamic(url, "example.test"), {}, "rfc2136-credfile")
    leaf = wait_for_leaf(gw, pebble, "example.test")
    assert sorted(leaf.sans) == ["*.example.test", "example.test"]
    assert_cleaned(bind, "example.test")


def test_providers_by_suffix_rfc2136_and_exec_in_one_certificate(acme_lab, bind_server, tmp_path):
    require_provider("exec", tmp_path)
    bind = bind_server
    hook = exec_hook(bind, tmp_path / "nsupdate-hook.py")
    challenge = {
        "resolvers": [bind.address],
        "propagation": {"disableANSChecks": True, "interval": "200ms", "timeout": "30s"},
        "providers": [
            {"suffix": "example.test", "provider": "rfc2136"},
            {"suffix": "hook.example.test", "provider": "exec", "credentials": {"EXEC_PATH": str(hook)}},
        ],
    }

    def dynamic(url):
        return {"http": {
            "routers": {"secure": {"rule": "Host(`example.test`) || Host(`app.hook.example.test`)", "service": "backend",
                                   "entryPoints": ["websecure"],
                                   "tls": {"certResolver": RESOLVER,
                                           "domains": [{"main": "example.test",
                                                        "sans": ["*.example.test", "app.hook.example.test"]}]}}},
            "services": {"backend": service(url)},
        }}

    pebble, gw = start(acme_lab, bind, challenge, dynamic, bind.rfc2136_env("hmac-sha256"), "providers")
    leaf = wait_for_leaf(gw, pebble, "app.hook.example.test")
    assert sorted(leaf.sans) == ["*.example.test", "app.hook.example.test", "example.test"]

    def calls() -> list[str]:
        return [c.rstrip(".") for c in pathlib.Path(str(hook) + ".calls").read_text().splitlines()]

    # exec took only its suffix's name; rfc2136 took the rest (through BIND's log).
    assert "present _acme-challenge.app.hook.example.test" in calls(), calls()
    assert all(c.endswith("_acme-challenge.app.hook.example.test") for c in calls()), calls()
    assert bind.log().count("adding an RR at '_acme-challenge.example.test' TXT") >= 2, bind.log()[-3000:]
    assert_cleaned(bind, "example.test", "app.hook.example.test")
    assert wait_until(lambda: "cleanup _acme-challenge.app.hook.example.test" in calls(), 10), calls()


def test_resolver_without_credentials_is_disabled_and_the_gateway_runs(acme_lab, bind_server):
    bind = bind_server
    pebble, gw = start(acme_lab, bind, base_challenge(bind), lambda url: wildcard_dynamic(url, "example.test"),
                       {}, "rfc2136-missing")
    assert wait_until(lambda: gw.error_lines("certificate resolver disabled",
                                             "certificatesResolvers.pebble.acme.dnsChallenge", "RFC2136_"), 10), \
        gw.gh.logs()[-3000:]
    assert gw.gh.alive()
    assert pebble.orders_created() == 0


def test_zone_not_found_reaches_the_certificate_status(acme_lab, bind_server):
    bind = bind_server

    def dynamic(url):
        return {"http": {
            "routers": {"secure": {"rule": "Host(`app.elsewhere.test`)", "service": "backend",
                                   "entryPoints": ["websecure"], "tls": {"certResolver": RESOLVER}}},
            "services": {"backend": service(url)},
        }}

    pebble, gw = start(acme_lab, bind, base_challenge(bind), dynamic, bind.rfc2136_env("hmac-sha256"), "zone-not-found")
    found = []

    def failed():
        record = gw.record(["app.elsewhere.test"])
        found[:] = [record]
        return record is not None and "DNS-01 zone lookup" in (record.get("lastError") or "")

    assert wait_until(failed, 30, 0.25), found
    error = found[0]["lastError"]
    # Which step, for which name, asked of whom (rfc2136 finds its zone at its nameserver, as lego does).
    assert f"zone not found for _acme-challenge.app.elsewhere.test. via {bind.address}" in error, error
    assert bind.rfc2136_env("hmac-sha256")["RFC2136_TSIG_SECRET"] not in error
    assert not bind.txt("_acme-challenge.app.elsewhere.test")
