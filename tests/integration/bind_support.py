"""BIND 9 for DNS-01 tests: a throw-away authoritative server on loopback with dynamic zones and TSIG keys.

`BindServer` writes a named.conf into a temporary directory, starts `named -g` (foreground,
no privilege drop: the tests run as root) on 127.0.0.1 with a free port for UDP and TCP, waits
until it answers the zone's SOA, and stops it at teardown. It serves:

- `example.test.` (dynamic): TXT updates below it are granted to the hmac-sha256 key
  (`gatehouse-sha256.`), the hmac-sha512 key (`gatehouse-sha512.`) and the hmac-sha1 key
  (`gatehouse-sha1.`) by `update-policy`; `ns.example.test.` and `www.example.test.` have A
  records (127.0.0.1).
- `locked.test.` (static, `allow-update { none; }`): every update is REFUSED.

`dnssec-validation no; recursion no;`: names outside both zones are REFUSED.

    with BindServer(tmp_path) as bind:
        env = bind.rfc2136_env("hmac-sha512")   # RFC2136_* variables for gatehouse/lego
        bind.txt("_acme-challenge.www.example.test")  # values seen now, through dig
        bind.nsupdate(["update add x.example.test. 60 TXT \\"v\\""], key="hmac-sha256")

The pytest fixture `bind_server` gives a started server (and fails under CI=true, via
support.unavailable, when named or dig is missing: `apt-get install -y bind9 bind9-utils dnsutils`).
"""
from __future__ import annotations

import base64
import hashlib
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

import support

ZONE = "example.test."
LOCKED_ZONE = "locked.test."

# Fixed test secrets (base64), one per algorithm; nothing here protects anything real.
KEYS = {
    "hmac-sha256": ("gatehouse-sha256.", base64.b64encode(hashlib.sha256(b"gatehouse sha256 test key").digest()).decode()),
    "hmac-sha512": ("gatehouse-sha512.", base64.b64encode(hashlib.sha512(b"gatehouse sha512 test key").digest()).decode()),
    "hmac-sha1": ("gatehouse-sha1.", base64.b64encode(hashlib.sha1(b"gatehouse sha1 test key").digest()).decode()),
}


def require_bind() -> tuple[str, str, str]:
    """Paths of named, dig and nsupdate; a missing one fails under CI=true and skips otherwise."""
    paths = []
    for tool in ("named", "dig", "nsupdate"):
        path = shutil.which(tool) or (f"/usr/sbin/{tool}" if os.path.exists(f"/usr/sbin/{tool}") else None)
        if path is None:
            support.unavailable(f"{tool} is not installed (apt-get install -y bind9 bind9-utils dnsutils)")
        paths.append(path)
    return paths[0], paths[1], paths[2]


def _free_udp_and_tcp_port() -> int:
    """A loopback port free for both TCP and UDP a moment ago, not handed out to others."""
    for _ in range(100):
        port = support.free_port()
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            udp.bind((support.LOOPBACK, port))
            return port
        except OSError:
            continue
        finally:
            udp.close()
    raise RuntimeError("no port free for both TCP and UDP")


class BindServer:
    """One named process serving example.test. (dynamic, TSIG) and locked.test. on 127.0.0.1:port."""

    def __init__(self, directory: str | os.PathLike | None = None):
        self.named, self.dig, self.nsupdate_path = require_bind()
        self._own_directory = directory is None
        self.directory = pathlib.Path(directory or tempfile.mkdtemp(prefix="gatehouse-bind-"))
        self.directory.mkdir(parents=True, exist_ok=True)
        self.host = support.LOOPBACK
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path = self.directory / "named.log"

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, timeout: float = 20) -> "BindServer":
        last_error = ""
        for _ in range(3):  # the port may be taken between choosing and binding it
            self.port = _free_udp_and_tcp_port()
            self._write_configuration()
            log = open(self.log_path, "wb")
            self.process = subprocess.Popen(
                [self.named, "-g", "-c", str(self.directory / "named.conf")],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
            log.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                if self._answers():
                    return self
                time.sleep(0.1)
            last_error = self.log()[-3000:]
            self.stop()
        raise AssertionError(f"named did not start on 127.0.0.1:{self.port}:\n{last_error}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        if self._own_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "BindServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what tests use ----------------------------------------------------------------------

    @property
    def address(self) -> str:
        """`127.0.0.1:port`, as RFC2136_NAMESERVER and --resolvers take it."""
        return f"{self.host}:{self.port}"

    def rfc2136_env(self, algorithm: str = "hmac-sha256", *, secret: str | None = None,
                    trailing_dot: bool = False) -> dict[str, str]:
        """lego's RFC2136_* variables for the key of `algorithm` (another `secret` to test a wrong one)."""
        name, real_secret = KEYS[algorithm]
        return {
            "RFC2136_NAMESERVER": self.address,
            "RFC2136_TSIG_KEY": name,
            "RFC2136_TSIG_SECRET": secret if secret is not None else real_secret,
            "RFC2136_TSIG_ALGORITHM": algorithm + ("." if trailing_dot else ""),
        }

    def key_file(self, algorithm: str = "hmac-sha256") -> pathlib.Path:
        """A BIND key statement for `algorithm`'s key (what tsig-keygen writes), for RFC2136_TSIG_FILE."""
        name, secret = KEYS[algorithm]
        path = self.directory / f"{algorithm}.key"
        path.write_text(f'key "{name.rstrip(".")}" {{\n\talgorithm {algorithm};\n\tsecret "{secret}";\n}};\n')
        return path

    def txt(self, name: str) -> list[str]:
        """The TXT values at `name` now (each record's strings joined), asked with dig over UDP."""
        res = support.run([self.dig, f"@{self.host}", "-p", str(self.port), "+short", "+norecurse",
                           "+time=2", "+tries=2", "TXT", name], timeout=15)
        if res.returncode != 0:
            raise AssertionError(f"dig failed: {res.stdout!r} {res.stderr!r}")
        values = []
        for line in res.stdout.decode().splitlines():
            line = line.strip()
            if not line:
                continue
            parts = [p for p in line.split('"') if p.strip()]
            values.append("".join(parts))
        return values

    def query(self, name: str, rtype: str = "SOA") -> str:
        """dig's full answer for `name` `rtype` (status line included), for assertions on rcodes."""
        res = support.run([self.dig, f"@{self.host}", "-p", str(self.port), "+norecurse", "+time=2", "+tries=2",
                           rtype, name], timeout=15)
        return res.stdout.decode()

    def nsupdate(self, commands: list[str], key: str | None = "hmac-sha256") -> subprocess.CompletedProcess:
        """Runs nsupdate against this server with `commands` (a `send` is added), signed with `key`'s key."""
        script = [f"server {self.host} {self.port}"]
        if key is not None:
            name, secret = KEYS[key]
            script.append(f"key {key}:{name} {secret}")
        script += commands + ["send", ""]
        return support.run([self.nsupdate_path, "-v"], input="\n".join(script).encode(), timeout=30)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    # -- internals ---------------------------------------------------------------------------

    def _answers(self) -> bool:
        try:
            res = subprocess.run([self.dig, f"@{self.host}", "-p", str(self.port), "+norecurse", "+time=1",
                                  "+tries=1", "SOA", ZONE], capture_output=True, timeout=5)
        except subprocess.TimeoutExpired:
            return False
        return b"status: NOERROR" in res.stdout and b"SOA" in res.stdout

    def _write_configuration(self) -> None:
        d = self.directory
        keys = "".join(
            f'key "{name}" {{\n    algorithm {algorithm};\n    secret "{secret}";\n}};\n'
            for algorithm, (name, secret) in KEYS.items()
        )
        grants = "".join(f"        grant {name} zonesub TXT;\n" for name, _ in KEYS.values())
        (d / "named.conf").write_text(f"""
options {{
    directory "{d}";
    pid-file "{d}/named.pid";
    session-keyfile "{d}/session.key";
    managed-keys-directory "{d}";
    listen-on port {self.port} {{ 127.0.0.1; }};
    listen-on-v6 {{ none; }};
    recursion no;
    dnssec-validation no;
    notify no;
    allow-transfer {{ none; }};
}};
controls {{ }};
{keys}
zone "{ZONE}" {{
    type primary;
    file "{d}/example.test.zone";
    update-policy {{
{grants}    }};
}};
zone "{LOCKED_ZONE}" {{
    type primary;
    file "{d}/locked.test.zone";
    allow-update {{ none; }};
}};
""")
        for zone, path in ((ZONE, "example.test.zone"), (LOCKED_ZONE, "locked.test.zone")):
            target = d / path
            if target.exists():
                continue  # a restart keeps the zone as updated
            target.write_text(f"""$TTL 60
@   IN SOA ns.{ZONE} hostmaster.{ZONE} 1 3600 600 86400 60
@   IN NS  ns.{ZONE}
www IN A   127.0.0.1
""" + ("ns  IN A   127.0.0.1\n" if zone == ZONE else ""))


@pytest.fixture
def bind_server(tmp_path):
    """A started BindServer in the test's temporary directory; stopped afterwards."""
    server = BindServer(tmp_path / "bind")
    server.start()
    try:
        yield server
    finally:
        server.stop()
