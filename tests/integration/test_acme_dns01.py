"""DNS-01 end to end: pebble validates TXT records that Gatehouse published in BIND 9.

pebble's `-dnsserver` points at a BIND started here on a loopback port, authoritative for
`example.test` and `other.test`, both dynamic with TSIG keys. Gatehouse's resolver uses
`dnsChallenge.provider: rfc2136` with credentials the way Traefik users set them (lego's
`RFC2136_*` variables in the environment, their `_FILE` variants, or a `credentialsFile`), or
`providers:` sending one zone to `rfc2136` and the other to `exec` (a script that runs nsupdate).
Each certificate holds an apex and its wildcard, which share `_acme-challenge.<domain>`: both TXT
values must be there while pebble validates. The served certificate's SANs are read with openssl;
afterwards BIND holds no challenge record.

The zones' NS records point at 127.0.0.1:53, where nobody listens, so the resolvers set
`propagation.disableANSChecks` and the check asks the configured resolver (BIND itself).
"""
from __future__ import annotations

import base64
import os
import pathlib
import secrets
import subprocess
import sys
import textwrap

import pytest

import support
from acme_support import RESOLVER, EMAIL, _spawn, _stop, free_dns_port, served_leaf, is_pebble_leaf
from support import LOOPBACK, free_port, require_tool, run, service, wait_until

ZONES = ("example.test", "other.test")
KEY_NAME = "gatehouse-key"


class LocalBind:
    """BIND 9 (`named -g`) on 127.0.0.1:<free port>, authoritative and dynamic for `zones`, updates
    allowed with one TSIG key (hmac-sha256). Stopped by `stop()`."""

    def __init__(self, workdir: pathlib.Path, zones=ZONES):
        self.named = require_tool("named")
        self.nsupdate = require_tool("nsupdate")
        self.dig = require_tool("dig")
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.zones = zones
        self.port = free_dns_port()
        self.secret = base64.b64encode(secrets.token_bytes(32)).decode()
        self.log_path = workdir / "named.log"
        self.proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"{LOOPBACK}:{self.port}"

    def start(self) -> "LocalBind":
        zone_blocks = []
        for zone in self.zones:
            (self.workdir / f"{zone}.zone").write_text(textwrap.dedent(f"""\
                $TTL 60
                @ IN SOA ns.{zone}. admin.{zone}. 1 60 60 600 60
                @ IN NS ns.{zone}.
                ns IN A 127.0.0.1
                @ IN A 127.0.0.1
                """))
            zone_blocks.append(f'zone "{zone}" {{ type primary; file "{self.workdir}/{zone}.zone"; '
                               f'allow-update {{ key "{KEY_NAME}"; }}; }};')
        conf = self.workdir / "named.conf"
        conf.write_text(textwrap.dedent(f"""\
            key "{KEY_NAME}" {{ algorithm hmac-sha256; secret "{self.secret}"; }};
            options {{
                directory "{self.workdir}";
                pid-file "{self.workdir}/named.pid";
                listen-on port {self.port} {{ 127.0.0.1; }};
                listen-on-v6 {{ none; }};
                recursion no;
                dnssec-validation no;
                notify no;
            }};
            controls {{ }};
            """) + "\n".join(zone_blocks) + "\n")
        self.proc = _spawn([self.named, "-g", "-c", str(conf)], self.log_path, cwd=self.workdir)
        ok = wait_until(lambda: self.proc.poll() is not None or self.soa_serial("example.test") is not None, 15, 0.1)
        if self.proc.poll() is not None or not ok:
            raise AssertionError(f"named did not start:\n{self.log_path.read_text(errors='replace')[-3000:]}")
        return self

    def stop(self) -> None:
        _stop(self.proc)

    def soa_serial(self, zone: str) -> str | None:
        res = run([self.dig, "@127.0.0.1", "-p", str(self.port), "+short", "+time=1", "+tries=1", "SOA", zone], timeout=10)
        out = res.stdout.decode().split()
        return out[2] if res.returncode == 0 and len(out) >= 3 else None

    def txt(self, name: str) -> list[str]:
        res = run([self.dig, "@127.0.0.1", "-p", str(self.port), "+short", "+time=1", "+tries=2", "TXT", name], timeout=10)
        return [line.strip().strip('"') for line in res.stdout.decode().splitlines() if line.strip()]

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def env(self) -> dict[str, str]:
        """lego's RFC2136_* variables for this server."""
        return {"RFC2136_NAMESERVER": self.address, "RFC2136_TSIG_KEY": KEY_NAME,
                "RFC2136_TSIG_SECRET": self.secret, "RFC2136_TSIG_ALGORITHM": "hmac-sha256."}

    def exec_hook(self, path: pathlib.Path) -> pathlib.Path:
        """A lego `exec` script (`present|cleanup FQDN VALUE`) that writes into this BIND with nsupdate,
        and records each call in `<path>.calls`."""
        path.write_text(textwrap.dedent(f"""\
            #!{sys.executable}
            import subprocess, sys
            action, fqdn, value = sys.argv[1], sys.argv[2], sys.argv[3]
            with open({str(path) + '.calls'!r}, "a") as log:
                log.write(f"{{action}} {{fqdn}}\\n")
            verb = "add" if action == "present" else "delete"
            ttl = "60 " if verb == "add" else ""
            script = (f"server 127.0.0.1 {self.port}\\n"
                      f"update {{verb}} {{fqdn}} {{ttl}}TXT \\"{{value}}\\"\\nsend\\n")
            subprocess.run([{self.nsupdate!r}, "-y", "hmac-sha256:{KEY_NAME}:{self.secret}"],
                           input=script.encode(), check=True, timeout=20)
            """))
        path.chmod(0o755)
        return path


@pytest.fixture
def bind(tmp_path):
    server = LocalBind(tmp_path / "bind").start()
    yield server
    server.stop()


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


def start(acme_lab, bind, dns_challenge: dict, dynamic_for, env: dict[str, str], label: str):
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


def assert_cleaned(bind, *names: str) -> None:
    ok = wait_until(lambda: all(not bind.txt(f"_acme-challenge.{n}") for n in names), 15, 0.2)
    left = {n: bind.txt(f"_acme-challenge.{n}") for n in names}
    assert ok, f"challenge records left in BIND: {left}"


def base_challenge(bind, **extra) -> dict:
    return {"provider": "rfc2136", "resolvers": [bind.address],
            "propagation": {"disableANSChecks": True, "interval": "200ms", "timeout": "30s"}, **extra}


def test_rfc2136_from_environment_issues_apex_and_wildcard(acme_lab, bind):
    pebble, gw = start(acme_lab, bind, base_challenge(bind), lambda url: wildcard_dynamic(url, "example.test"),
                       bind.env(), "rfc2136-env")
    leaf = wait_for_leaf(gw, pebble, "example.test")
    assert sorted(leaf.sans) == ["*.example.test", "example.test"]
    www = served_leaf(gw.websecure, "www.example.test", cafile=str(pebble.trust_path), verify_hostname="www.example.test")
    assert www.serial == leaf.serial and www.verified, www.verify_text
    assert_cleaned(bind, "example.test")
    # BIND accepted signed updates for both values on the one name (apex and wildcard).
    assert bind.logs().count("updating zone 'example.test/IN': adding an RR at '_acme-challenge.example.test' TXT") >= 2, \
        bind.logs()[-3000:]
    assert bind.secret not in gw.gh.logs() + gw.gh.stdout()


def test_rfc2136_file_variants(acme_lab, bind, tmp_path):
    secret_file = tmp_path / "tsig-secret"
    secret_file.write_text(bind.secret + "\n")
    key_file = tmp_path / "tsig-key"
    key_file.write_text(KEY_NAME + "\n")
    env = bind.env()
    del env["RFC2136_TSIG_SECRET"], env["RFC2136_TSIG_KEY"]
    env.update({"RFC2136_TSIG_SECRET_FILE": str(secret_file), "RFC2136_TSIG_KEY_FILE": str(key_file)})
    pebble, gw = start(acme_lab, bind, base_challenge(bind), lambda url: wildcard_dynamic(url, "example.test"),
                       env, "rfc2136-file")
    leaf = wait_for_leaf(gw, pebble, "example.test")
    assert sorted(leaf.sans) == ["*.example.test", "example.test"]
    assert_cleaned(bind, "example.test")


def test_rfc2136_credentials_file(acme_lab, bind, tmp_path):
    creds = tmp_path / "rfc2136.env"
    creds.write_text("# lego names\n" + "".join(f'export {k}="{v}"\n' for k, v in bind.env().items()))
    pebble, gw = start(acme_lab, bind, base_challenge(bind, credentialsFile=str(creds)),
                       lambda url: wildcard_dynamic(url, "example.test"), {}, "rfc2136-credfile")
    leaf = wait_for_leaf(gw, pebble, "example.test")
    assert sorted(leaf.sans) == ["*.example.test", "example.test"]
    assert_cleaned(bind, "example.test")


def test_providers_by_suffix_rfc2136_and_exec_in_one_certificate(acme_lab, bind, tmp_path):
    hook = bind.exec_hook(tmp_path / "nsupdate-hook.py")
    challenge = {
        "resolvers": [bind.address],
        "propagation": {"disableANSChecks": True, "interval": "200ms", "timeout": "30s"},
        "providers": [
            {"suffix": "example.test", "provider": "rfc2136"},
            {"suffix": "other.test", "provider": "exec", "credentials": {"EXEC_PATH": str(hook)}},
        ],
    }

    def dynamic(url):
        return {"http": {
            "routers": {"secure": {"rule": "Host(`example.test`) || Host(`app.other.test`)", "service": "backend",
                                   "entryPoints": ["websecure"],
                                   "tls": {"certResolver": RESOLVER,
                                           "domains": [{"main": "example.test",
                                                        "sans": ["*.example.test", "app.other.test"]}]}}},
            "services": {"backend": service(url)},
        }}

    pebble, gw = start(acme_lab, bind, challenge, dynamic, bind.env(), "providers")
    leaf = wait_for_leaf(gw, pebble, "app.other.test")
    assert sorted(leaf.sans) == ["*.example.test", "app.other.test", "example.test"]
    def calls() -> list[str]:
        return [c.rstrip(".") for c in pathlib.Path(str(hook) + ".calls").read_text().splitlines()]

    # exec took only its suffix's name; rfc2136 took the rest.
    assert "present _acme-challenge.app.other.test" in calls(), calls()
    assert not any("example.test" in c for c in calls()), calls()
    assert_cleaned(bind, "example.test", "app.other.test")
    assert wait_until(lambda: "cleanup _acme-challenge.app.other.test" in calls(), 10), calls()


def test_resolver_without_credentials_is_disabled_and_the_gateway_runs(acme_lab, bind):
    pebble, gw = start(acme_lab, bind, base_challenge(bind), lambda url: wildcard_dynamic(url, "example.test"),
                       {}, "rfc2136-missing")
    assert wait_until(lambda: gw.error_lines("certificate resolver disabled", "certificatesResolvers.pebble.acme.dnsChallenge",
                                             "RFC2136_"), 10), gw.gh.logs()[-3000:]
    assert gw.gh.alive()
    assert pebble.orders_created() == 0
