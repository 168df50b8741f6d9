"""ACME helpers for the end-to-end tests: pebble, pebble-challtestsrv, lego, and Gatehouse wired to them.

Everything listens on loopback, on ports chosen free at run time, and every process started here is
stopped by `AcmeLab.close()` (and, as a last resort, at interpreter exit).

- `ListenerPKI`: a throwaway CA and a `localhost`/`127.0.0.1` certificate for pebble's own HTTPS
  listeners (pebble 2.4 from Debian ships none). Gatehouse trusts the CA through
  `serversTransports.default.rootCAs`; lego through `LEGO_CA_CERTIFICATES`.
- `ChallTestSrv`: mock DNS that answers A queries with 127.0.0.1 (pebble's resolver for HTTP-01 and
  TLS-ALPN-01) and takes TXT records over its management API (lego's DNS-01 in the fixture checks).
- `Pebble`: one pebble process; its roots and intermediates are new on every start, so `start()`
  fetches them from the management port. Counts orders and issued serials from its log, and reads
  revocation status from `/cert-status-by-serial/<serial>`.
- `AcmeLab`: the per-test factory that starts the three and a Gatehouse configured for a challenge
  type, plus the `gatehouse certs` CLI, served-certificate inspection and a bounded handshake loop.
"""
from __future__ import annotations

import atexit
import collections
import hashlib
import json
import os
import pathlib
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterable

import support
from support import (LOOPBACK, Gatehouse, GatehouseLauncher, dump_yaml, free_port, require_tool, run,
                     service, wait_until)

RESOLVER = "pebble"
EMAIL = "ops@example.com"
RETRY_ENV = {"GATEHOUSE_ACME_RETRY_INITIAL": "1s"}
CHALLENGES = ("http-01", "tls-alpn-01", "dns-01")
PEM_CERT = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?", re.S)

_LIVE: list[subprocess.Popen] = []
ACTIVE_PEBBLES: list["Pebble"] = []   # for failure reports (conftest adds their log tails)


@atexit.register
def _kill_leftovers() -> None:
    """No pebble or challtestsrv outlives the test session, even when a teardown did not run."""
    for proc in list(_LIVE):
        _stop(proc)


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None:
        return
    if proc.poll() is None:
        support._kill_group(proc)
    if proc in _LIVE:
        _LIVE.remove(proc)


def _spawn(cmd: list[str], log: pathlib.Path, env: dict[str, str] | None = None,
           cwd: pathlib.Path | None = None) -> subprocess.Popen:
    full_env = dict(os.environ)
    full_env.update(env or {})
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True, env=full_env, cwd=str(cwd) if cwd else None)
    _LIVE.append(proc)
    return proc


def free_dns_port() -> int:
    """A loopback port free for both UDP and TCP (a DNS server listens on both)."""
    for _ in range(100):
        port = free_port()
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind((LOOPBACK, port))
            return port
        except OSError:
            continue
        finally:
            u.close()
    raise RuntimeError("no port free for both UDP and TCP")


def normalize_serial(serial: str) -> str:
    """Lower-case hex without leading zeros or colons (pebble's and `certs list --json`'s form)."""
    s = serial.strip().lower().replace(":", "")
    if s.startswith("0x"):
        s = s[2:]
    return s.lstrip("0") or "0"


# --------------------------------------------------------------------------------------
# PKI for pebble's own listeners
# --------------------------------------------------------------------------------------

@dataclass
class ListenerPKI:
    """A CA and the certificate pebble's ACME and management listeners present (localhost, 127.0.0.1)."""
    ca: str
    cert: str
    key: str

    @classmethod
    def create(cls, directory: pathlib.Path) -> "ListenerPKI":
        openssl = require_tool("openssl")
        directory.mkdir(parents=True, exist_ok=True)
        ca_key, ca = directory / "listener-ca.key", directory / "listener-ca.pem"
        key, csr, cert = directory / "listener.key", directory / "listener.csr", directory / "listener.pem"
        ext = directory / "listener.ext"

        def ossl(*args: str) -> None:
            run([openssl, *args], timeout=60, check=True)

        ossl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", str(ca_key), "-out", str(ca), "-days", "30",
             "-subj", "/O=Gatehouse Tests/CN=Pebble Listener Test CA",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        ossl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", str(key), "-out", str(csr), "-subj", "/O=Gatehouse Tests/CN=localhost")
        ext.write_text("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                       "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")
        ossl("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
             "-out", str(cert), "-days", "30", "-extfile", str(ext))
        return cls(str(ca), str(cert), str(key))

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca)


def https_get(url: str, context: ssl.SSLContext, timeout: float = 5) -> tuple[int, bytes]:
    """GET over HTTPS; (status, body). HTTP error statuses are returned, not raised."""
    try:
        with urllib.request.urlopen(url, context=context, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


# --------------------------------------------------------------------------------------
# pebble-challtestsrv
# --------------------------------------------------------------------------------------

class ChallTestSrv:
    """pebble-challtestsrv with only its DNS server (A queries answer 127.0.0.1) and management API."""

    def __init__(self, workdir: pathlib.Path):
        self.binary = require_tool("pebble-challtestsrv")
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.dns_port = free_dns_port()
        self.management_port = free_port()
        self.log_path = workdir / "challtestsrv.log"
        self.proc: subprocess.Popen | None = None

    @property
    def dns_address(self) -> str:
        return f"{LOOPBACK}:{self.dns_port}"

    def start(self) -> "ChallTestSrv":
        cmd = [self.binary, "-dns01", self.dns_address, "-management", f"{LOOPBACK}:{self.management_port}",
               "-defaultIPv4", LOOPBACK, "-defaultIPv6", "", "-http01", "", "-https01", "", "-tlsalpn01", "",
               "-doh", ""]
        if "-doh" not in self._help():
            cmd = cmd[:-2]  # pebble 2.4's challtestsrv has no DoH server
        self.proc = _spawn(cmd, self.log_path, cwd=self.workdir)
        ok = wait_until(lambda: self.proc.poll() is not None or support.port_accepts(self.management_port), 10)
        if self.proc.poll() is not None or not ok:
            raise AssertionError(f"pebble-challtestsrv did not start:\n{self.logs()[-2000:]}")
        return self

    def _help(self) -> str:
        res = run([self.binary, "-h"], timeout=10)
        return (res.stdout + res.stderr).decode(errors="replace")

    def _post(self, path: str, payload: dict) -> None:
        req = urllib.request.Request(f"http://{LOOPBACK}:{self.management_port}{path}",
                                     data=json.dumps(payload).encode(), method="POST")
        with urllib.request.urlopen(req, timeout=5) as resp:
            if resp.status != 200:
                raise AssertionError(f"challtestsrv {path} answered {resp.status}")

    def set_txt(self, host: str, value: str) -> None:
        self._post("/set-txt", {"host": host if host.endswith(".") else host + ".", "value": value})

    def clear_txt(self, host: str) -> None:
        self._post("/clear-txt", {"host": host if host.endswith(".") else host + "."})

    def logs(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        _stop(self.proc)


# --------------------------------------------------------------------------------------
# pebble
# --------------------------------------------------------------------------------------

class Pebble:
    """One pebble process. Ports are chosen at construction, so a gateway can be configured (and even
    started) before the CA runs; `start()` may be called again after `stop()` (new roots each time)."""

    def __init__(self, workdir: pathlib.Path, pki: ListenerPKI, *, http_port: int, tls_port: int,
                 dns_server: str | None, env: dict[str, str] | None = None):
        self.binary = require_tool("pebble")
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.pki = pki
        self.port = free_port()
        self.management_port = free_port()
        self.http_port = http_port
        self.tls_port = tls_port
        self.dns_server = dns_server
        self.env = {"PEBBLE_VA_NOSLEEP": "1", **(env or {})}
        self.config_path = workdir / "pebble-config.json"
        self.config_path.write_text(json.dumps({"pebble": {
            "listenAddress": f"{LOOPBACK}:{self.port}",
            "managementListenAddress": f"{LOOPBACK}:{self.management_port}",
            "certificate": pki.cert,
            "privateKey": pki.key,
            "httpPort": http_port,
            "tlsPort": tls_port,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": False,
        }}, indent=2))
        self.log_path = workdir / "pebble.log"
        self.root_path = workdir / "pebble-root.pem"
        self.intermediate_path = workdir / "pebble-intermediate.pem"
        self.trust_path = workdir / "pebble-roots-and-intermediate.pem"
        self.proc: subprocess.Popen | None = None
        self._log_offset = 0

    @property
    def directory(self) -> str:
        return f"https://{LOOPBACK}:{self.port}/dir"

    @property
    def management(self) -> str:
        return f"https://{LOOPBACK}:{self.management_port}"

    def start(self, timeout: float = 20) -> "Pebble":
        cmd = [self.binary, "-config", str(self.config_path)]
        if self.dns_server:
            cmd += ["-dnsserver", self.dns_server]
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self.proc = _spawn(cmd, self.log_path, env=self.env, cwd=self.workdir)
        ctx = self.pki.context()

        def ready() -> bool:
            if self.proc.poll() is not None:
                return True
            try:
                return (https_get(self.directory, ctx, timeout=2)[0] == 200
                        and https_get(self.management + "/roots/0", ctx, timeout=2)[0] == 200)
            except (OSError, ssl.SSLError):
                return False

        wait_until(ready, timeout, interval=0.05)
        if self.proc.poll() is not None:
            raise AssertionError(f"pebble exited with {self.proc.returncode}:\n{self.logs()[-3000:]}")
        root = self._fetch("/roots/0")
        intermediate = self._fetch("/intermediates/0")
        self.root_path.write_text(root)
        self.intermediate_path.write_text(intermediate)
        self.trust_path.write_text(root + intermediate)
        return self

    def _fetch(self, path: str) -> str:
        status, body = https_get(self.management + path, self.pki.context())
        text = body.decode()
        if status != 200 or "BEGIN CERTIFICATE" not in text:
            raise AssertionError(f"pebble management {path} answered {status}: {text[:300]!r}")
        return text if text.endswith("\n") else text + "\n"

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        _stop(self.proc)

    def pause(self) -> None:
        """SIGSTOP: the CA stops answering (connections hang) until `resume()`."""
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)

    # -- observation -----------------------------------------------------------------
    def logs(self, current_run_only: bool = True) -> str:
        try:
            with open(self.log_path, "rb") as f:
                if current_run_only:
                    f.seek(self._log_offset)
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def orders_created(self) -> int:
        """New orders pebble accepted since the last start ("Added order ... to the db")."""
        return len(re.findall(r'^Pebble .* Added order "', self.logs(), re.M))

    def issued_serials(self) -> list[str]:
        """Serials (lower hex) pebble issued since the last start."""
        return [normalize_serial(s) for s in re.findall(r"Issued certificate serial ([0-9a-fA-F]+) for order",
                                                         self.logs())]

    def cert_status(self, serial: str) -> dict | None:
        """Pebble's view of a certificate: {"Status": "Valid"|"Revoked", "Serial", "Reason"?, ...}."""
        status, body = https_get(f"{self.management}/cert-status-by-serial/{normalize_serial(serial)}",
                                 self.pki.context())
        if status == 404:
            return None
        if status != 200:
            raise AssertionError(f"pebble cert-status-by-serial answered {status}: {body[:300]!r}")
        return json.loads(body)


# --------------------------------------------------------------------------------------
# Served certificates
# --------------------------------------------------------------------------------------

@dataclass
class ServedLeaf:
    """The leaf a TLS server presented for an SNI name, as `openssl s_client` saw it."""
    serial: str               # normalized lower hex
    subject: str
    issuer: str
    sans: list[str]
    public_key_sha256: str
    verify_code: int | None   # s_client's "Verify return code" against the CAfile (0 = ok)
    verify_text: str
    chain_length: int
    output: str

    @property
    def verified(self) -> bool:
        return self.verify_code == 0


def served_leaf(port: int, servername: str, cafile: str | None = None,
                verify_hostname: str | None = None) -> ServedLeaf:
    """Handshake with `openssl s_client -servername NAME [-CAfile F -verify_hostname H]`."""
    openssl = require_tool("openssl")
    cmd = [openssl, "s_client", "-connect", f"{LOOPBACK}:{port}", "-servername", servername, "-showcerts"]
    if cafile:
        cmd += ["-CAfile", cafile]
    if verify_hostname:
        cmd += ["-verify_hostname", verify_hostname]
    res = run(cmd, input=b"", timeout=20)
    out = res.stdout.decode("latin-1", "replace")
    pems = PEM_CERT.findall(out)
    if not pems:
        raise AssertionError(f"openssl s_client got no certificate from port {port} (SNI {servername!r}), "
                             f"rc={res.returncode}\nstdout: {out[-1500:]}\n"
                             f"stderr: {res.stderr.decode('latin-1')[-1500:]}")
    leaf = pems[0].encode()
    info = run([openssl, "x509", "-noout", "-serial", "-subject", "-issuer", "-ext", "subjectAltName"],
               input=leaf, timeout=20, check=True).stdout.decode()
    pub = run([openssl, "x509", "-noout", "-pubkey"], input=leaf, timeout=20, check=True).stdout
    m_verify = re.search(r"Verify return code: (\d+) \(([^)]*)\)", out)

    def field_of(name: str) -> str:
        m = re.search(rf"^{name}=\s*(.*)$", info, re.M)
        return m.group(1).strip() if m else ""

    return ServedLeaf(
        serial=normalize_serial(field_of("serial")),
        subject=field_of("subject"),
        issuer=field_of("issuer"),
        sans=re.findall(r"DNS:([^,\s]+)", info),
        public_key_sha256=hashlib.sha256(pub).hexdigest(),
        verify_code=int(m_verify.group(1)) if m_verify else None,
        verify_text=m_verify.group(2) if m_verify else "",
        chain_length=len(pems),
        output=out,
    )


def is_pebble_leaf(leaf: ServedLeaf) -> bool:
    return "Pebble Intermediate CA" in leaf.issuer


class HandshakeLoop(threading.Thread):
    """TLS handshakes in a loop, each verified (chain to `cafile`, host name `name`), bounded in count and
    time. Records every failure and the serials seen, in order. Stop with `finish()`."""

    def __init__(self, port: int, name: str, cafile: str, *, max_count: int = 3000, max_seconds: float = 30):
        super().__init__(name=f"handshakes-{name}", daemon=True)
        self.port, self.server_name = port, name
        self.ctx = ssl.create_default_context(cafile=cafile)
        self.max_count, self.max_seconds = max_count, max_seconds
        self.count = 0
        self.failures: list[str] = []
        self.serials: collections.Counter[str] = collections.Counter()
        self.sequence: list[str] = []     # serials in the order they were first seen
        self._stop_event = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        deadline = time.monotonic() + self.max_seconds
        while not self._stop_event.is_set() and self.count < self.max_count and time.monotonic() < deadline:
            try:
                with socket.create_connection((LOOPBACK, self.port), timeout=5) as raw:
                    with self.ctx.wrap_socket(raw, server_hostname=self.server_name) as tls:
                        serial = normalize_serial(tls.getpeercert()["serialNumber"])
                with self._lock:
                    self.serials[serial] += 1
                    if not self.sequence or self.sequence[-1] != serial:
                        self.sequence.append(serial)
            except (OSError, ssl.SSLError, KeyError) as e:
                with self._lock:
                    self.failures.append(f"{type(e).__name__}: {e}")
            self.count += 1

    def seen(self, serial: str) -> int:
        with self._lock:
            return self.serials[serial]

    def finish(self, timeout: float = 15) -> None:
        self._stop_event.set()
        self.join(timeout)


# --------------------------------------------------------------------------------------
# lego (a plain ACME client, to prove the pebble fixtures on their own)
# --------------------------------------------------------------------------------------

@dataclass
class LegoResult:
    proc: subprocess.CompletedProcess
    path: pathlib.Path
    domains: list[str]

    @property
    def ok(self) -> bool:
        return self.proc.returncode == 0

    @property
    def output(self) -> str:
        return (self.proc.stdout + self.proc.stderr).decode(errors="replace")

    def _file(self, suffix: str) -> pathlib.Path:
        base = self.domains[0].replace("*", "_")
        return self.path / "certificates" / f"{base}{suffix}"

    @property
    def cert(self) -> pathlib.Path:
        """Leaf + issuer (lego bundles the chain)."""
        return self._file(".crt")

    @property
    def key(self) -> pathlib.Path:
        return self._file(".key")

    def serial(self) -> str:
        out = run([require_tool("openssl"), "x509", "-in", str(self.cert), "-noout", "-serial"],
                  timeout=20, check=True).stdout.decode()
        return normalize_serial(out.split("=", 1)[1])


def lego(pebble: Pebble, workdir: pathlib.Path, domains: list[str], challenge: str, *,
         challtestsrv: ChallTestSrv | None = None, command: Iterable[str] = ("run",),
         timeout: float = 90) -> LegoResult:
    """Run lego against `pebble` with one challenge type (http-01 on pebble's httpPort, tls-alpn-01 on
    its tlsPort, dns-01 through challtestsrv's TXT API)."""
    exe = require_tool("lego")
    workdir.mkdir(parents=True, exist_ok=True)
    args = [exe, "--server", pebble.directory, "--accept-tos", "--email", EMAIL, "--path", str(workdir)]
    for d in domains:
        args += ["--domains", d]
    env = {"LEGO_CA_CERTIFICATES": pebble.pki.ca}
    if challenge == "http-01":
        args += ["--http", "--http.port", f"{LOOPBACK}:{pebble.http_port}"]
    elif challenge == "tls-alpn-01":
        args += ["--tls", "--tls.port", f"{LOOPBACK}:{pebble.tls_port}"]
    elif challenge == "dns-01":
        assert challtestsrv is not None, "dns-01 with lego needs challtestsrv"
        hook = workdir / "dns-hook.py"
        hook.write_text(
            f"#!{sys.executable}\n"
            "# lego exec provider: present|cleanup FQDN VALUE -> pebble-challtestsrv management API\n"
            "import json, sys, urllib.request\n"
            "action, fqdn = sys.argv[1], sys.argv[2]\n"
            "path = '/set-txt' if action == 'present' else '/clear-txt'\n"
            "body = {'host': fqdn, 'value': sys.argv[3]} if action == 'present' else {'host': fqdn}\n"
            f"req = urllib.request.Request('http://{LOOPBACK}:{challtestsrv.management_port}' + path,\n"
            "                             data=json.dumps(body).encode(), method='POST')\n"
            "urllib.request.urlopen(req, timeout=5).read()\n")
        hook.chmod(0o755)
        env.update({"EXEC_PATH": str(hook), "EXEC_POLLING_INTERVAL": "1", "EXEC_PROPAGATION_TIMEOUT": "20",
                    "EXEC_SEQUENCE_INTERVAL": "1"})
        args += ["--dns", "exec", "--dns.disable-cp", "--dns.resolvers", challtestsrv.dns_address]
    else:
        raise ValueError(f"unknown challenge {challenge!r}")
    full_env = dict(os.environ)
    full_env.update(env)
    proc = run(args + list(command), timeout=timeout, env=full_env)
    return LegoResult(proc, workdir, list(domains))


# --------------------------------------------------------------------------------------
# Gatehouse wired to pebble
# --------------------------------------------------------------------------------------

def acme_resolver(pebble: Pebble, challenge: str, *, storage: str | None = None, key_type: str | None = None,
                  email: str = EMAIL, **extra: Any) -> dict:
    """`certificatesResolvers.<name>.acme` for `pebble` and one challenge type."""
    acme: dict[str, Any] = {"caServer": pebble.directory, "email": email}
    if storage is not None:
        acme["storage"] = storage
    if key_type is not None:
        acme["keyType"] = key_type
    if challenge == "http-01":
        acme["httpChallenge"] = {"entryPoint": "web"}
    elif challenge == "tls-alpn-01":
        acme["tlsChallenge"] = {}
    elif challenge == "dns-01":
        acme["dnsChallenge"] = {"provider": "builtin"}
    else:
        raise ValueError(f"unknown challenge {challenge!r}")
    acme.update(extra)
    return {"acme": acme}


def acme_dynamic(backend_url: str, *, host: str = "a.example.com", domains: list[dict] | None = None,
                 resolver: str = RESOLVER, plain_host: str = "plain.example.com") -> dict:
    """A TLS router for `host` with `certResolver`, and a plain-HTTP router for `plain_host`."""
    tls: dict[str, Any] = {"certResolver": resolver}
    if domains is not None:
        tls["domains"] = domains
    return {"http": {
        "routers": {
            "secure": {"rule": f"Host(`{host}`)", "service": "backend", "entryPoints": ["websecure"], "tls": tls},
            "plain": {"rule": f"Host(`{plain_host}`)", "service": "backend", "entryPoints": ["web"]},
        },
        "services": {"backend": service(backend_url)},
    }}


@dataclass
class AcmeGateway:
    """A Gatehouse process plus what it was started with (so it can be restarted on the same state)."""
    gh: Gatehouse
    static_path: pathlib.Path
    dynamic_path: pathlib.Path
    data_dir: pathlib.Path
    ports: dict[str, int]
    env: dict[str, str]

    @property
    def web(self) -> int:
        return self.ports["web"]

    @property
    def websecure(self) -> int:
        return self.ports["websecure"]

    # -- `gatehouse certs` ---------------------------------------------------------------
    def certs(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return run([support.gatehouse_binary(), "certs", *args, "--data-dir", str(self.data_dir)],
                   timeout=timeout)

    def certs_list(self) -> list[dict]:
        res = self.certs("list", "--json")
        if res.returncode != 0:
            raise AssertionError(f"gatehouse certs list --json failed ({res.returncode}): "
                                 f"{res.stderr.decode(errors='replace')[-2000:]}")
        data = json.loads(res.stdout)
        assert isinstance(data, list), f"certs list --json is not a JSON array: {res.stdout[:300]!r}"
        for rec in data:
            serial = rec.get("serial")
            if serial is not None:
                assert re.fullmatch(r"[0-9a-f]+", serial), f"serial is not lower-case hex: {rec}"
                # DER may carry a leading zero byte; compare numbers, as openssl and pebble print them.
                rec["serial"] = normalize_serial(serial)
        return data

    def records_for(self, names: Iterable[str]) -> list[dict]:
        want = sorted(n.lower() for n in names)
        return [r for r in self.certs_list() if sorted(n.lower() for n in r.get("names", [])) == want]

    def record(self, names: Iterable[str]) -> dict | None:
        found = self.records_for(names)
        return found[0] if len(found) == 1 else None

    def renew(self, name: str) -> subprocess.CompletedProcess:
        return self.certs("renew", name)

    def revoke(self, name: str, reason: str | None = None) -> subprocess.CompletedProcess:
        args = ["revoke", name]
        if reason:
            args += ["--reason", reason]
        return run([support.gatehouse_binary(), "certs", *args, "--data-dir", str(self.data_dir),
                    "--config", str(self.static_path)], timeout=60)

    # -- logs ------------------------------------------------------------------------------
    def error_lines(self, *needles: str) -> list[str]:
        """Log entries at error (or critical) level that contain every needle, case-insensitively
        (an entry is a log line plus any continuation lines of a multi-line message)."""
        found = []
        for entry in log_entries(self.gh.logs() + "\n" + self.gh.stdout()):
            if log_level(entry) in ("error", "critical") and all(n.lower() in entry.lower() for n in needles):
                found.append(entry)
        return found


_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\S+\s+(trace|debug|info|notice|warning|error|critical)\s", re.I)


def log_entries(text: str) -> list[str]:
    """swift-log lines (`<timestamp> <level> <label> : ...`), each with its continuation lines."""
    entries: list[str] = []
    for line in text.splitlines():
        if _LOG_LINE.match(line) or not entries:
            entries.append(line)
        else:
            entries[-1] += "\n" + line
    return entries


def log_level(entry: str) -> str:
    """The level word of a swift-log StreamLogHandler line, or "" for anything else."""
    m = _LOG_LINE.match(entry)
    return m.group(1).lower() if m else ""


@dataclass
class Scenario:
    """What `AcmeLab.scenario` set up: the CA side, the backend and the gateway."""
    challenge: str
    pebble: Pebble
    challtestsrv: ChallTestSrv | None
    backend: Any
    gw: AcmeGateway
    host: str
    names: list[str]

    def leaf(self, servername: str | None = None) -> ServedLeaf:
        name = servername or self.host
        return served_leaf(self.gw.websecure, name, cafile=str(self.pebble.trust_path), verify_hostname=name)

    def wait_for_pebble_leaf(self, timeout: float = 30, servername: str | None = None,
                             not_serial: str | None = None) -> ServedLeaf:
        """Poll the served certificate until it is a pebble leaf (and, if given, not `not_serial`)."""
        last: list[ServedLeaf] = []

        def issued() -> bool:
            try:
                leaf = self.leaf(servername)
            except AssertionError:
                return False
            last[:] = [leaf]
            return is_pebble_leaf(leaf) and (not_serial is None or leaf.serial != not_serial)

        if not wait_until(issued, timeout, interval=0.25):
            seen = f"{last[0].subject} issued by {last[0].issuer}" if last else "no certificate"
            raise AssertionError(
                f"no pebble certificate served for {servername or self.host!r} after {timeout}s "
                f"(last served: {seen}); pebble orders: {self.pebble.orders_created()}\n"
                f"gatehouse log tail:\n{self.gw.gh.logs()[-3000:]}\npebble log tail:\n{self.pebble.logs()[-2000:]}")
        return last[0]


class AcmeLab:
    """Per-test factory for pebble, challtestsrv and Gatehouse; `close()` stops all of them."""

    def __init__(self, base: pathlib.Path, pki: ListenerPKI, launcher: GatehouseLauncher | None, backends):
        self.base = base
        self.pki = pki
        self.launcher = launcher
        self.backends = backends
        self.pebbles: list[Pebble] = []
        self.challtestsrvs: list[ChallTestSrv] = []
        self.counter = 0

    def _dir(self, label: str) -> pathlib.Path:
        self.counter += 1
        d = self.base / f"{label}-{self.counter}"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def challtestsrv(self) -> ChallTestSrv:
        c = ChallTestSrv(self._dir("challtestsrv"))
        self.challtestsrvs.append(c)
        return c.start()

    def pebble(self, *, http_port: int | None = None, tls_port: int | None = None, dns_server: str | None,
               env: dict[str, str] | None = None, start: bool = True) -> Pebble:
        p = Pebble(self._dir("pebble"), self.pki, http_port=http_port or free_port(),
                   tls_port=tls_port or free_port(), dns_server=dns_server, env=env)
        self.pebbles.append(p)
        ACTIVE_PEBBLES.append(p)
        return p.start() if start else p

    def gateway(self, *, ports: dict[str, int], resolvers: dict[str, dict], dynamic: dict,
                dns_port: int | None = None, static_extra: dict | None = None, env: dict[str, str] | None = None,
                data_dir: pathlib.Path | None = None, wait: bool = True, label: str = "gatehouse") -> AcmeGateway:
        """Write the static and dynamic files and start `gatehouse serve` (with RETRY_ENV)."""
        wd = self.launcher.new_dir(label)
        dynamic_path = wd / "dynamic.yml"
        dynamic_path.write_text(dump_yaml(dynamic))
        static: dict[str, Any] = {
            "entryPoints": {name: {"address": f"{LOOPBACK}:{port}"} for name, port in ports.items()},
            "providers": {"file": {"filename": str(dynamic_path)}},
            "serversTransports": {"default": {"rootCAs": [self.pki.ca]}},
            "certificatesResolvers": resolvers,
            "log": {"level": "INFO"},
        }
        if dns_port is not None:
            static["dnsServer"] = {"address": f"{LOOPBACK}:{dns_port}"}
        static.update(static_extra or {})
        static_path = wd / "static.yml"
        static_path.write_text(dump_yaml(static))
        gw = AcmeGateway(gh=None, static_path=static_path, dynamic_path=dynamic_path,  # type: ignore[arg-type]
                         data_dir=data_dir or (wd / "data"), ports=dict(ports), env={**RETRY_ENV, **(env or {})})
        return self._launch(gw, wd, wait)

    def restart(self, gw: AcmeGateway, *, wait: bool = True) -> AcmeGateway:
        """Start a new process on the same files, data directory and ports (the old one must be gone);
        its logs go to a fresh directory."""
        assert not gw.gh.alive(), "stop or kill the running gateway first"
        return self._launch(gw, self.launcher.new_dir("restart"), wait)

    def _launch(self, gw: AcmeGateway, wd: pathlib.Path, wait: bool) -> AcmeGateway:
        gh = Gatehouse(wd, gw.static_path, gw.ports, data_dir=gw.data_dir, env=gw.env)
        self.launcher.instances.append(gh)
        gh.start()
        if wait:
            gh.wait_ready()
        return AcmeGateway(gh=gh, static_path=gw.static_path, dynamic_path=gw.dynamic_path, data_dir=gw.data_dir,
                           ports=gw.ports, env=gw.env)

    def scenario(self, challenge: str, *, host: str = "a.example.com", domains: list[dict] | None = None,
                 pebble_env: dict[str, str] | None = None, start_pebble: bool = True,
                 resolver_extra: dict | None = None, label: str | None = None,
                 static_extra: dict | None = None) -> Scenario:
        """pebble (+ challtestsrv for http-01/tls-alpn-01) and a Gatehouse whose router for `host` asks
        resolver "pebble" for a certificate with `challenge`. pebble's other challenge port points at a
        port nobody listens on, so only the configured challenge type can succeed."""
        assert challenge in CHALLENGES, challenge
        ports = {"web": free_port(), "websecure": free_port()}
        unused = free_port()
        cts = None
        dns_port = None
        if challenge == "dns-01":
            dns_port = free_dns_port()
            dns_server = f"{LOOPBACK}:{dns_port}"        # pebble asks Gatehouse's own DNS server
            http_port, tls_port = unused, unused
        else:
            cts = self.challtestsrv()
            dns_server = cts.dns_address
            http_port = ports["web"] if challenge == "http-01" else unused
            tls_port = ports["websecure"] if challenge == "tls-alpn-01" else unused
        pebble = self.pebble(http_port=http_port, tls_port=tls_port, dns_server=dns_server, env=pebble_env,
                             start=start_pebble)
        backend = self.backends(f"acme-{challenge}")
        names = [host]
        if domains:
            names = []
            for d in domains:
                names += [d["main"], *d.get("sans", [])]
        gw = self.gateway(ports=ports, dns_port=dns_port,
                          resolvers={RESOLVER: acme_resolver(pebble, challenge, **(resolver_extra or {}))},
                          dynamic=acme_dynamic(backend.url, host=host, domains=domains),
                          static_extra=static_extra, label=label or challenge)
        return Scenario(challenge, pebble, cts, backend, gw, host, names)

    def close(self) -> None:
        for p in self.pebbles:
            if p.proc is not None and p.proc.poll() is None:
                try:
                    p.resume()  # a stopped process dies on SIGKILL too, but be tidy
                except ProcessLookupError:
                    pass
            p.stop()
            if p in ACTIVE_PEBBLES:
                ACTIVE_PEBBLES.remove(p)
        for c in self.challtestsrvs:
            c.stop()
        self.pebbles.clear()
        self.challtestsrvs.clear()
