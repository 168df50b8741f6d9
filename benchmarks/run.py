#!/usr/bin/env python3
"""Gatehouse benchmark harness: Gatehouse side by side with nginx, HAProxy, Caddy.

Python 3.11 standard library only. See benchmarks/README.md.

Layout of a run:
  * one shared origin: nginx (own prefix, 1 worker) on 127.0.0.1:19000, core 1
  * every selected proxy started at once, each on its own ports, pinned to core 0
  * load generator (wrk / h2load / the in-process RSS client) on core 1
  * for every load: a warm-up per proxy, then `repeat` rounds, each round
    running the proxies one after another (the order rotates per round)
  * CPU per request = utime+stime of every process in the proxy's session
    (master + workers + threads) over the run / requests completed
Everything is on loopback, every load run is bounded by --duration, and every
process started is killed (by process group) on exit, Ctrl-C included.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PEERS_DIR = HERE / "peers"
DEFAULT_GATEHOUSE = REPO / ".build" / "release" / "gatehouse"

ALL_PEERS = ["gatehouse", "nginx", "haproxy", "caddy"]
HOST = "bench.local"
BACKEND_PORT = 19000
PROBE_PORT = 19443
PORTS = {  # (plain HTTP, TLS)
    "gatehouse": (18080, 18443),
    "nginx": (18180, 18543),
    "haproxy": (18280, 18643),
    "caddy": (18380, 18743),
}
PROXY_CPU = "0"
LOAD_CPU = "1"
CLK_TCK = os.sysconf("SC_CLK_TCK")
BODY = {"/1k": 1024, "/64k": 64 * 1024}
NOISE_PCT = 10  # % of a core used by other processes that marks a run noisy
STEAL_PCT = 5   # % hypervisor steal (mean of both cores) that marks a run noisy

# tool -> Debian package
TOOLS = {
    "nginx": "nginx",
    "haproxy": "haproxy",
    "caddy": "caddy",
    "h2load": "nghttp2-client",
    "wrk": "wrk",
    "openssl": "openssl",
    "taskset": "util-linux",
    "cc": "gcc",
}

# TLS clients (wrk, h2load, openssl) all read this: TLS 1.3 with one suite and
# one group, so every proxy negotiates the same thing whatever its preferences.
CLIENT_OPENSSL_CNF = """\
openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1.3
Ciphersuites = TLS_AES_128_GCM_SHA256
Groups = X25519
"""

# h2load sets its own TLS 1.3 suite list (ignoring the config above)
H2LOAD_SUITE = "--tls13-ciphers=TLS_AES_128_GCM_SHA256"

LOADS = [
    {
        "key": "plain_h1",
        "title": "plain HTTP/1.1 1 KiB keep-alive",
        "how": "wrk -t1 -c50, Host: bench.local, http://…/1k",
        "tool": "wrk", "tls": False, "path": "/1k", "conns": 50,
    },
    {
        "key": "tls_h1",
        "title": "HTTPS HTTP/1.1 1 KiB keep-alive",
        "how": "wrk -t1 -c50 https://…/1k",
        "tool": "wrk", "tls": True, "path": "/1k", "conns": 50,
    },
    {
        "key": "tls_h2",
        "title": "HTTPS h2 1 KiB",
        "how": "h2load -t1 -c50 -m10 https://bench.local/1k",
        "tool": "h2load", "tls": True, "path": "/1k", "conns": 50, "streams": 10,
    },
    {
        "key": "tls_new",
        "title": "new TLS connection + 1 request (full handshake)",
        "how": "wrk -t1 -c50 -H 'Connection: close', no session resumption",
        "tool": "wrk", "tls": True, "path": "/1k", "conns": 50, "close": True,
    },
    {
        "key": "tls_64k",
        "title": "HTTPS HTTP/1.1 64 KiB keep-alive",
        "how": "wrk -t1 -c50 https://…/64k",
        "tool": "wrk", "tls": True, "path": "/64k", "conns": 50,
    },
    {
        # Gatehouse only: the same load as plain_h1 through a router with a middleware chain
        # (headers, ipAllowList, rateLimit with a limit never reached, stripPrefix; compress off).
        "key": "plain_h1_mw",
        "title": "plain HTTP/1.1 1 KiB keep-alive through headers, ipAllowList, rateLimit, stripPrefix (Gatehouse only)",
        "how": "wrk -t1 -c50, Host: bench.local, http://…/mw/1k",
        "tool": "wrk", "tls": False, "path": "/mw/1k", "conns": 50, "only": ["gatehouse"],
    },
]

# rows of the main table: (load key, metric, label, unit, lower_is_better)
MAIN_ROWS = [
    ("plain_h1", "cpu_us", "plain HTTP/1.1 1 KiB keep-alive", "CPU µs/req", True),
    ("tls_h1", "cpu_us", "HTTPS HTTP/1.1 1 KiB keep-alive", "CPU µs/req", True),
    ("tls_h2", "cpu_us", "HTTPS h2 1 KiB (50 conns × 10 streams)", "CPU µs/req", True),
    ("tls_new", "cpu_us", "new TLS connection + 1 request (full handshake)", "CPU µs/req", True),
    ("tls_64k", "mib_s", "HTTPS 64 KiB keep-alive throughput", "MiB/s", False),
    ("tls_64k", "cpu_us", "HTTPS 64 KiB keep-alive", "CPU µs/req", True),
    ("rss", "rss_conns", "RSS holding 1,000 idle keep-alive TLS connections", "MiB", True),
    ("rss", "rss_idle", "RSS with no connections (before the 1,000)", "MiB", True),
]


class HarnessError(Exception):
    pass


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# process management


class Proc:
    """A process started in its own session; stopped by killing its group."""

    registry: list["Proc"] = []

    def __init__(self, name: str, argv: list[str], logfile: Path, env=None, cwd=None):
        self.name = name
        self.argv = argv
        self.logfile = logfile
        self._log = open(logfile, "ab")
        self.popen = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            env=env, cwd=cwd, start_new_session=True)
        self.pid = self.popen.pid
        Proc.registry.append(self)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, grace: float = 5.0) -> None:
        if self.popen.returncode is None:
            try:
                os.killpg(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        # whatever is left in the group (workers, or a leader that ignored TERM)
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.popen.wait(2)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()
        if self in Proc.registry:
            Proc.registry.remove(self)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.logfile.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    @classmethod
    def stop_all(cls) -> None:
        for p in list(reversed(cls.registry)):
            p.stop(grace=3.0)


def run_bounded(argv: list[str], timeout: float, env=None) -> tuple[int, str]:
    """Run a load generator (own process group), killed if it outlives `timeout`."""
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out.decode(errors="replace")
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return -9, out.decode(errors="replace") + f"\n[killed after {timeout:.0f} s]"
    except BaseException:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        raise


def _sig_to_exit(signum, _frame):
    raise SystemExit(128 + signum)


# --------------------------------------------------------------------------
# /proc readings


def _proc_stat_fields(pid: str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
    except OSError:
        return None
    # fields after "(comm)": state ppid pgrp session ...
    return data[data.rfind(")") + 2:].split()


def session_pids(sid: int) -> list[int]:
    """Every live process whose session is `sid` (the proxy and its workers)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        f = _proc_stat_fields(entry)
        if f is not None and int(f[3]) == sid:
            pids.append(int(entry))
    return pids


def cpu_seconds(sid: int) -> float:
    ticks = 0
    for pid in session_pids(sid):
        f = _proc_stat_fields(str(pid))
        if f is not None:
            ticks += int(f[11]) + int(f[12])  # utime + stime (all threads)
    return ticks / CLK_TCK


def rss_mib(sid: int) -> float:
    kib = 0
    for pid in session_pids(sid):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        kib += int(line.split()[1])
        except OSError:
            pass
    return kib / 1024


def core_busy_seconds(core: str) -> float:
    """user+nice+system time of one core (irq/softirq left out)."""
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith(f"cpu{core} "):
                v = line.split()
                return (int(v[1]) + int(v[2]) + int(v[3])) / CLK_TCK
    return 0.0


def steal_seconds() -> float:
    """Time the hypervisor took from our two cores (steal, both cores summed)."""
    total = 0
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith((f"cpu{PROXY_CPU} ", f"cpu{LOAD_CPU} ")):
                v = line.split()
                total += int(v[8]) if len(v) > 8 else 0
    return total / CLK_TCK


def own_cpu_seconds() -> float:
    """CPU of this harness plus its waited-for children (the load generators)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def established_on_port(port: int) -> int:
    n = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[3] == "01" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        n += 1
        except OSError:
            pass
    return n


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_listening(proc: Proc, ports: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pending = list(ports)
    while pending:
        if not proc.alive():
            raise HarnessError(f"{proc.name} exited with status {proc.popen.returncode} while starting")
        pending = [p for p in pending if not port_in_use(p)]
        if not pending:
            return
        if time.monotonic() > deadline:
            raise HarnessError(f"{proc.name} not listening on {pending} after {timeout:.0f} s")
        time.sleep(0.1)


def backend_accepts() -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{BACKEND_PORT}/backend_status", timeout=5) as r:
        text = r.read().decode()
    # "Active connections: N \nserver accepts handled requests\n A H R \n..."
    return int(text.splitlines()[2].split()[0])


# --------------------------------------------------------------------------
# tools, certificate, templates


def find_tool(name: str) -> str | None:
    path = shutil.which(name)
    if path is None:
        for d in ("/usr/sbin", "/sbin", "/usr/local/sbin"):
            cand = Path(d) / name
            if cand.exists():
                return str(cand)
    return path


def ensure_tools(needed: list[str], install: bool) -> dict[str, str]:
    missing = [t for t in needed if find_tool(t) is None]
    if missing and install:
        pkgs = sorted({TOOLS[t] for t in missing})
        log(f"installing {' '.join(pkgs)} with apt-get")
        # never let a package's postinst start a service (nginx would bind :80)
        guard = Path("/usr/sbin/policy-rc.d")
        made_guard = False
        if not guard.exists():
            guard.write_text("#!/bin/sh\nexit 101\n")
            guard.chmod(0o755)
            made_guard = True
        try:
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            r = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *pkgs], env=env)
            if r.returncode != 0:
                subprocess.run(["apt-get", "update"], env=env)
                r = subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *pkgs], env=env)
            if r.returncode != 0:
                raise HarnessError(f"apt-get install {' '.join(pkgs)} failed")
        finally:
            if made_guard:
                guard.unlink()
        missing = [t for t in needed if find_tool(t) is None]
    if missing:
        lines = [f"  {t:8} (Debian package {TOOLS[t]})" for t in missing]
        raise HarnessError("missing tools:\n" + "\n".join(lines) +
                           "\nrun again with --install, or: apt-get install -y " +
                           " ".join(sorted({TOOLS[t] for t in missing})))
    return {t: find_tool(t) for t in needed}


def fd_limits() -> dict[str, str]:
    """Open-file limits for the servers' configs, from our (inherited) limit."""
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return {"NOFILE": str(nofile), "MAXCONN": str(max(2048, min(16384, (nofile - 1000) // 2)))}


def render(template: str, values: dict[str, str]) -> str:
    text = (PEERS_DIR / template).read_text()
    for k, v in {**fd_limits(), **values}.items():
        text = text.replace(f"@@{k}@@", v)
    left = re.findall(r"@@[A-Z_]+@@", text)
    if left:
        raise HarnessError(f"{template}: unfilled placeholders {sorted(set(left))}")
    return text


def make_cert(tmp: Path) -> tuple[Path, Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    r = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "7",
         "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}"],
        capture_output=True, text=True)
    if r.returncode != 0:
        raise HarnessError(f"openssl req failed:\n{r.stderr}")
    pem = tmp / "combined.pem"  # HAProxy wants cert + key in one file
    pem.write_text(cert.read_text() + key.read_text())
    return cert, key, pem


def build_shim(tmp: Path) -> Path:
    out = tmp / "tls_client_shim.so"
    r = subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(out),
                        str(PEERS_DIR / "tls_client_shim.c"), "-ldl"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise HarnessError(f"building the TLS client shim failed:\n{r.stderr}")
    return out


def version_of(argv: list[str]) -> str:
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"? ({e})"
    text = (r.stdout + r.stderr).strip()
    return text.splitlines()[0].strip() if text else "?"


# --------------------------------------------------------------------------
# servers


class Backend:
    def __init__(self, tmp: Path, cert: Path, key: Path):
        self.dir = tmp / "backend"
        (self.dir / "www").mkdir(parents=True)
        for path, size in BODY.items():
            # fixed, printable bodies
            (self.dir / "www" / path.lstrip("/")).write_bytes((b"0123456789abcdef" * (size // 16))[:size])
        conf = self.dir / "nginx.conf"
        conf.write_text(render("backend-nginx.conf", {
            "DIR": str(self.dir), "BACKEND_PORT": str(BACKEND_PORT), "PROBE_PORT": str(PROBE_PORT),
            "CERT": str(cert), "KEY": str(key)}))
        self.argv = ["taskset", "-c", LOAD_CPU, find_tool("nginx"), "-p", str(self.dir),
                     "-e", str(self.dir / "error.log"), "-c", str(conf)]
        self.proc: Proc | None = None

    def start(self) -> None:
        for port in (BACKEND_PORT, PROBE_PORT):
            if port_in_use(port):
                raise HarnessError(f"port {port} is already in use (a backend left over?)")
        self.proc = Proc("backend", self.argv, self.dir / "stdout.log")
        try:
            wait_listening(self.proc, [BACKEND_PORT, PROBE_PORT], 10)
        except HarnessError as e:
            raise HarnessError(f"{e}\n--- backend log ---\n{self.proc.log_tail()}\n"
                               f"{(self.dir / 'error.log').read_text(errors='replace') if (self.dir / 'error.log').exists() else ''}")


class Peer:
    def __init__(self, name: str, tmp: Path, args, cert: Path, key: Path, pem: Path):
        self.name = name
        self.plain_port, self.tls_port = PORTS[name]
        self.dir = tmp / name
        self.dir.mkdir()
        self.status = "ok"          # ok | not built | failed
        self.failure = ""
        self.proc: Proc | None = None
        self.version = "?"
        self.tls_info: dict[str, str] = {}
        self.rss_baseline = None
        v = {"DIR": str(self.dir), "PLAIN_PORT": str(self.plain_port), "TLS_PORT": str(self.tls_port),
             "BACKEND_PORT": str(BACKEND_PORT), "HOST": HOST, "CERT": str(cert), "KEY": str(key),
             "PEM": str(pem)}
        env = dict(os.environ)
        if name == "gatehouse":
            binary = Path(args.gatehouse_bin)
            if not (binary.is_file() and os.access(binary, os.X_OK)):
                self.status, self.failure = "not built", f"{binary} not found"
                return
            if args.gatehouse_minimal_config:
                v["TRANSPORT_REF"] = v["TRANSPORTS"] = ""
            else:
                # same idle upstream pool as the other peers (Traefik's default is 200)
                v["TRANSPORT_REF"] = "        serversTransport: bench"
                v["TRANSPORTS"] = "  serversTransports:\n    bench:\n      maxIdleConnsPerHost: 1024"
            (self.dir / "dynamic.yml").write_text(render("gatehouse-dynamic.yml", v))
            static = self.dir / "static.yml"
            static.write_text(render("gatehouse-static.yml", v))
            self.argv = [str(binary), "serve", "--config", str(static), "--threads", "1",
                         *shlex.split(args.gatehouse_args)]
            self.version = version_of([str(binary), "version"])
        elif name == "nginx":
            conf = self.dir / "nginx.conf"
            conf.write_text(render("nginx.conf", v))
            self.argv = [find_tool("nginx"), "-p", str(self.dir), "-e", str(self.dir / "error.log"),
                         "-c", str(conf)]
            self.version = version_of([find_tool("nginx"), "-v"]).replace("nginx version: ", "")
        elif name == "haproxy":
            conf = self.dir / "haproxy.cfg"
            conf.write_text(render("haproxy.cfg", v))
            self.argv = [find_tool("haproxy"), "-db", "-f", str(conf)]
            self.version = version_of([find_tool("haproxy"), "-v"])
        elif name == "caddy":
            v["ROUTE"] = render("caddy-route.json", v)
            conf = self.dir / "caddy.json"
            conf.write_text(render("caddy.json", v))
            json.loads(conf.read_text())  # template sanity
            self.argv = [find_tool("caddy"), "run", "--config", str(conf)]
            env.update(GOMAXPROCS="1", HOME=str(self.dir), XDG_DATA_HOME=str(self.dir / "data"),
                       XDG_CONFIG_HOME=str(self.dir / "config"))
            self.version = "caddy " + version_of([find_tool("caddy"), "version"])
        self.env = env
        self.argv = ["taskset", "-c", PROXY_CPU, *self.argv]

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def fail(self, why: str) -> None:
        self.status, self.failure = "failed", why
        tail = self.proc.log_tail() if self.proc else ""
        extra = ""
        err = self.dir / "error.log"
        if err.exists():
            extra = "\n".join(err.read_text(errors="replace").splitlines()[-30:])
        log(f"{self.name} FAILED: {why}\n--- {self.name} log ({self.dir}) ---\n{tail}\n{extra}\n--- end ---")
        if self.proc:
            self.proc.stop()

    def start(self, timeout: float) -> None:
        for port in (self.plain_port, self.tls_port):
            if port_in_use(port):
                self.fail(f"port {port} already in use before start")
                return
        log(f"starting {self.name}: {' '.join(self.argv)}")
        self.proc = Proc(self.name, self.argv, self.dir / "stdout.log", env=self.env, cwd=self.dir)
        try:
            wait_listening(self.proc, [self.plain_port, self.tls_port], timeout)
        except HarnessError as e:
            self.fail(str(e))

    def check_alive(self) -> bool:
        if self.ok and not self.proc.alive():
            self.fail(f"exited during the benchmark with status {self.proc.popen.returncode}")
        return self.ok


# --------------------------------------------------------------------------
# load generators and their output


def parse_duration(num: str, unit: str) -> float:
    return float(num) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}[unit]


def parse_wrk(out: str) -> dict:
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h), ", out)
    if not m:
        raise HarnessError("cannot parse wrk output")
    res = {"requests": int(m.group(1)), "elapsed": parse_duration(m.group(2), m.group(3))}
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    res["bad_status"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    res["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if m:
            res[f"p{pct}_ms"] = parse_duration(m.group(1), m.group(2)) * 1000
    return res


def parse_h2load(out: str) -> dict:
    m = re.search(r"finished in ([\d.]+)(us|ms|s|m|h), ", out)
    r = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
                  r"(\d+) failed, (\d+) errored, (\d+) timeout", out)
    s = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    t = re.search(r"traffic: .*?\((\d+)\) total, .*?\((\d+)\) headers .*?, .*?\((\d+)\) data", out)
    if not (m and r and s):
        raise HarnessError("cannot parse h2load output")
    # "failed" includes "errored"; non-2xx answers are counted from the status codes
    res = {"elapsed": parse_duration(m.group(1), m.group(2)), "requests": int(r.group(3)),
           "succeeded": int(r.group(4)), "ok_2xx": int(s.group(1)),
           "socket_errors": int(r.group(5)) + int(r.group(7)),
           "bad_status": int(s.group(2)) + int(s.group(3)) + int(s.group(4)),
           "data_bytes": int(t.group(3)) if t else None}
    for k, pat in (("tls_protocol", r"TLS Protocol: (\S+)"), ("cipher", r"Cipher: (\S+)"),
                   ("key_exchange", r"Server Temp Key: (.+)"), ("alpn", r"Application protocol: (\S+)")):
        mm = re.search(pat, out)
        if mm:
            res[k] = mm.group(1).strip()
    return res


class Bench:
    def __init__(self, args, tmp: Path, shim: Path, backend: "Backend"):
        self.args = args
        self.backend = backend
        self.tmp = tmp
        self.shim = shim
        self.client_cnf = tmp / "client-openssl.cnf"
        self.client_cnf.write_text(CLIENT_OPENSSL_CNF)
        self.results: dict[str, dict[str, list[dict]]] = {}
        self.probe: dict = {}
        self.problems: list[str] = []

    def tls_env(self, no_resume: bool = False) -> dict:
        env = dict(os.environ, OPENSSL_CONF=str(self.client_cnf), LD_PRELOAD=str(self.shim),
                   BENCH_TLS_SNI=HOST)
        if no_resume:
            env["BENCH_TLS_NO_RESUME"] = "1"
        return env

    def load_argv(self, load: dict, port: int, duration: float) -> tuple[list[str], dict]:
        d = max(1, round(duration))
        if load["tool"] == "wrk":
            scheme = "https" if load["tls"] else "http"
            argv = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{load['conns']}", f"-d{d}s",
                    "--latency", "-H", f"Host: {HOST}"]
            if load.get("close"):
                argv += ["-H", "Connection: close"]
            argv.append(f"{scheme}://127.0.0.1:{port}{load['path']}")
            env = self.tls_env(no_resume=bool(load.get("close"))) if load["tls"] else dict(os.environ)
            return argv, env
        argv = ["taskset", "-c", LOAD_CPU, "h2load", "-t1", f"-c{load['conns']}", H2LOAD_SUITE,
                f"-m{load['streams']}", "-D", str(d), f"--connect-to=127.0.0.1:{port}",
                f"https://{HOST}{load['path']}"]
        return argv, self.tls_env()

    # -- preflight: the proxy answers correctly on every protocol we load it with
    def preflight(self, peer: Peer) -> None:
        n = 20
        checks = [
            ("plain HTTP/1.1", ["--h1", f"--connect-to=127.0.0.1:{peer.plain_port}", f"http://{HOST}/1k"], "/1k", None),
            ("HTTPS HTTP/1.1", ["--h1", f"--connect-to=127.0.0.1:{peer.tls_port}", f"https://{HOST}/1k"], "/1k", "http/1.1"),
            ("HTTPS h2", [f"--connect-to=127.0.0.1:{peer.tls_port}", f"https://{HOST}/1k"], "/1k", "h2"),
            ("HTTPS h2 64 KiB", [f"--connect-to=127.0.0.1:{peer.tls_port}", f"https://{HOST}/64k"], "/64k", "h2"),
        ]
        for what, extra, path, alpn in checks:
            argv = ["taskset", "-c", LOAD_CPU, "h2load", "-t1", "-c1", "-n", str(n), H2LOAD_SUITE, *extra]
            rc, out = run_bounded(argv, 30, env=self.tls_env())
            try:
                res = parse_h2load(out)
            except HarnessError:
                res = None
            problem = None
            if res is None or rc != 0:
                problem = "no usable answer"
            elif res["ok_2xx"] != n or res["succeeded"] != n:
                problem = f"{res['ok_2xx']}/{n} requests answered 2xx"
            elif res["data_bytes"] is not None and res["data_bytes"] != n * BODY[path]:
                problem = f"body bytes {res['data_bytes']} != {n} × {BODY[path]}"
            elif alpn and res.get("alpn") != alpn:
                problem = f"negotiated ALPN {res.get('alpn')!r}, expected {alpn!r}"
            if problem:
                peer.fail(f"preflight {what}: {problem}\n--- h2load ---\n{out.strip()}")
                return
            if alpn == "h2" and not peer.tls_info:
                peer.tls_info = {k: res.get(k, "?") for k in ("tls_protocol", "cipher", "key_exchange")}
        # the certificate served is ours, for bench.local, with SNI bench.local
        ctx = ssl.create_default_context(cafile=str(self.tmp / "cert.pem"))
        try:
            with socket.create_connection(("127.0.0.1", peer.tls_port), timeout=5) as s:
                with ctx.wrap_socket(s, server_hostname=HOST):
                    pass
        except (OSError, ssl.SSLError) as e:
            peer.fail(f"preflight: TLS handshake verifying the bench.local certificate failed: {e}")

    # -- the handshake probe: does this exact client command resume sessions?
    def handshake_probe(self, load: dict) -> None:
        probe_log = self.tmp / "backend" / "probe.log"
        counts = {}
        for label, no_resume in (("shim off (control)", False), ("as measured", True)):
            probe_log.write_text("")
            argv, _ = self.load_argv(load, PROBE_PORT, 1)
            env = self.tls_env(no_resume=no_resume)
            rc, out = run_bounded(argv, 20, env=env)
            time.sleep(0.3)
            lines = probe_log.read_text().splitlines()
            reused = sum(1 for l in lines if l.startswith("r "))
            proto = sorted({" ".join(l.split()[1:3]) for l in lines})
            counts[label] = {"connections": len(lines), "resumed": reused, "tls": proto}
        self.probe = counts
        measured = counts["as measured"]
        log(f"handshake probe: control {counts['shim off (control)']['resumed']}/"
            f"{counts['shim off (control)']['connections']} resumed; as measured "
            f"{measured['resumed']}/{measured['connections']} resumed ({', '.join(measured['tls'])})")
        if measured["connections"] == 0 or measured["resumed"] != 0:
            self.problems.append("handshake probe: the new-TLS-connection load resumed sessions "
                                 f"({measured}); that row is not full handshakes")

    def measure(self, peer: Peer, load: dict, duration: float) -> dict | None:
        port = peer.tls_port if load["tls"] else peer.plain_port
        argv, env = self.load_argv(load, port, duration)
        sid = peer.proc.pid
        self.wait_quiet()
        bsid = self.backend.proc.pid
        acc0 = backend_accepts()
        ours0 = own_cpu_seconds() + cpu_seconds(bsid)
        load_core0 = core_busy_seconds(LOAD_CPU)
        core0 = core_busy_seconds(PROXY_CPU)
        steal0 = steal_seconds()
        cpu0 = cpu_seconds(sid)
        t0 = time.monotonic()
        rc, out = run_bounded(argv, duration + 30, env=env)
        wall = time.monotonic() - t0
        cpu1 = cpu_seconds(sid)
        steal1 = steal_seconds()
        core1 = core_busy_seconds(PROXY_CPU)
        load_core1 = core_busy_seconds(LOAD_CPU)
        ours1 = own_cpu_seconds() + cpu_seconds(bsid)
        acc1 = backend_accepts()
        if not peer.check_alive():
            return None
        try:
            res = parse_wrk(out) if load["tool"] == "wrk" else parse_h2load(out)
        except HarnessError:
            log(f"{peer.name} {load['key']}: load generator exit {rc}, unparsable output:\n{out}")
            return {"error": f"load generator exit {rc}", "output": out[-2000:]}
        cpu = cpu1 - cpu0
        req = res["requests"]
        res.update({
            "cpu_s": round(cpu, 3),
            "wall_s": round(wall, 3),
            "rps": req / res["elapsed"] if res["elapsed"] else 0.0,
            "cpu_us": cpu * 1e6 / req if req else None,
            "proxy_cpu_pct": 100 * cpu / res["elapsed"] if res["elapsed"] else None,
            "core0_other_pct": max(0.0, 100 * ((core1 - core0) - cpu) / wall),
            # load core: minus the load generator, the origin and this harness
            "core1_other_pct": max(0.0, 100 * ((load_core1 - load_core0) - (ours1 - ours0)) / wall),
            # hypervisor steal, mean over the two cores
            "steal_pct": 100 * (steal1 - steal0) / wall / 2,
            "backend_new_conns": acc1 - acc0 - 1,  # -1: the status read itself
        })
        if load["path"] == "/64k":
            res["mib_s"] = req * BODY["/64k"] / res["elapsed"] / 2**20
        flags = []
        if res["bad_status"]:
            flags.append(f"{res['bad_status']} non-2xx/failed")
        if res["socket_errors"]:
            flags.append(f"{res['socket_errors']} socket errors")
        if req == 0:
            flags.append("no request completed")
        if flags:
            res["flags"] = flags
            self.problems.append(f"{peer.name} {load['key']}: {', '.join(flags)}")
        for core, key in ((PROXY_CPU, "core0_other_pct"), (LOAD_CPU, "core1_other_pct")):
            if res[key] > NOISE_PCT:
                res["noisy"] = True
                self.problems.append(f"{peer.name} {load['key']}: other processes used "
                                     f"{res[key]:.0f}% of core {core} during the run (noisy)")
        if res["steal_pct"] > STEAL_PCT:
            res["noisy"] = True
            self.problems.append(f"{peer.name} {load['key']}: the hypervisor stole "
                                 f"{res['steal_pct']:.0f}% of the cores during the run (noisy)")
        return res

    def wait_quiet(self) -> None:
        """With --wait-quiet S: wait up to S seconds for both cores to be idle."""
        if self.args.wait_quiet <= 0:
            return
        deadline = time.monotonic() + self.args.wait_quiet
        while True:
            busy = core_utilisation(0.5)[:2]
            if max(busy) <= NOISE_PCT or time.monotonic() > deadline:
                if max(busy) > NOISE_PCT:
                    log(f"cores still busy ({busy} %) after --wait-quiet; measuring anyway")
                return
            time.sleep(5)

    # -- RSS while holding N idle keep-alive TLS connections
    def measure_rss(self, peer: Peer, n: int) -> dict | None:
        sid = peer.proc.pid
        idle = rss_mib(sid)
        ctx = ssl.create_default_context(cafile=str(self.tmp / "cert.pem"))
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.set_alpn_protocols(["http/1.1"])
        t0 = time.monotonic()
        held, errors = asyncio.run(hold_connections(peer.tls_port, n, ctx, self._rss_reading(peer)))
        if not peer.check_alive():
            return None
        rss, established = held
        res = {"rss_idle": idle, "rss_conns": rss, "connections": n - len(errors),
               "server_established": established, "seconds": round(time.monotonic() - t0, 1)}
        if errors:
            res["flags"] = [f"{len(errors)} connections failed, e.g. {errors[0]}"]
            self.problems.append(f"{peer.name} rss: {res['flags'][0]}")
        elif established < n:
            res["flags"] = [f"only {established} connections still established at the proxy"]
            self.problems.append(f"{peer.name} rss: {res['flags'][0]}")
        return res

    def _rss_reading(self, peer: Peer):
        def read():
            return rss_mib(peer.proc.pid), established_on_port(peer.tls_port)
        return read


async def hold_connections(port: int, n: int, ctx: ssl.SSLContext, reading) -> tuple:
    """Open n TLS connections, one keep-alive request each, hold them, read RSS."""
    sem = asyncio.Semaphore(64)
    conns: list[asyncio.StreamWriter] = []
    errors: list[str] = []
    request = f"GET /1k HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()

    async def one():
        async with sem:
            try:
                r, w = await asyncio.wait_for(asyncio.open_connection(
                    "127.0.0.1", port, ssl=ctx, server_hostname=HOST), 30)
                conns.append(w)
                w.write(request)
                await w.drain()
                head = (await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 30)).decode("latin-1")
                status = head.split(" ", 2)[1]
                if status != "200":
                    raise ValueError(f"status {status}")
                m = re.search(r"^content-length:\s*(\d+)", head, re.I | re.M)
                if m:
                    await asyncio.wait_for(r.readexactly(int(m.group(1))), 30)
                elif re.search(r"^transfer-encoding:\s*chunked", head, re.I | re.M):
                    await asyncio.wait_for(r.readuntil(b"0\r\n\r\n"), 30)
                else:
                    raise ValueError("response without length")
                if re.search(r"^connection:\s*close", head, re.I | re.M):
                    raise ValueError("proxy closed the keep-alive connection")
            except Exception as e:  # noqa: BLE001 - reported, not raised
                errors.append(f"{type(e).__name__}: {e}")

    try:
        await asyncio.gather(*(one() for _ in range(n)))
        await asyncio.sleep(2.0)  # let the proxy settle (GC, pools)
        held = reading()
    finally:
        for w in conns:
            w.transport.abort()
        await asyncio.sleep(0.2)
    return held, errors


# --------------------------------------------------------------------------
# report


def median_of(runs: list[dict], metric: str):
    vals = [r[metric] for r in runs if r and r.get(metric) is not None]
    return statistics.median(vals) if vals else None


def flagged(runs: list[dict]) -> str:
    mark = ""
    if any(r and (r.get("flags") or r.get("error")) for r in runs):
        mark += " ⚠"
    if any(r and r.get("noisy") for r in runs):
        mark += " ≈"
    return mark


def fmt(v, metric: str) -> str:
    if v is None:
        return "—"
    if metric in ("mib_s", "rps"):
        return f"{v:,.0f}"
    if metric in ("rss_conns", "rss_idle", "cpu_us"):
        return f"{v:.1f}" if v < 1000 else f"{v:,.0f}"
    return f"{v:.1f}"


def cell(peer: Peer, runs, metric) -> str:
    if not peer.ok and not runs:
        return peer.status if peer.status == "not built" else "failed"
    if not runs:
        return "—"
    return fmt(median_of(runs, metric), metric) + flagged(runs)


def build_tables(bench: Bench, peers: list[Peer]) -> str:
    names = [p.name for p in peers]
    gh = next((p for p in peers if p.name == "gatehouse"), None)
    others = [p for p in peers if p.name != "gatehouse"]
    head = ["load", "unit (better)", *names] + ([f"gatehouse/{p.name}" for p in others] if gh else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
    for key, metric, label, unit, lower in MAIN_ROWS:
        row = [label, f"{unit} ({'lower' if lower else 'higher'})"]
        for p in peers:
            row.append(cell(p, bench.results.get(p.name, {}).get(key, []), metric))
        if gh:
            g = median_of(bench.results.get("gatehouse", {}).get(key, []), metric)
            for p in others:
                v = median_of(bench.results.get(p.name, {}).get(key, []), metric)
                row.append(f"{g / v:.2f}" if g is not None and v else "—")
        lines.append("| " + " | ".join(row) + " |")
    main = "\n".join(lines)

    head2 = ["load", *[f"{n} req/s" for n in names], *[f"{n} CPU%" for n in names]]
    lines = ["| " + " | ".join(head2) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head2) - 1)) + "|"]
    for load in LOADS:
        row = [load["title"]]
        for metric in ("rps", "proxy_cpu_pct"):
            for p in peers:
                row.append(cell(p, bench.results.get(p.name, {}).get(load["key"], []), metric))
        lines.append("| " + " | ".join(row) + " |")
    second = "\n".join(lines)
    if gh:
        with_chain = median_of(bench.results.get("gatehouse", {}).get("plain_h1_mw", []), "cpu_us")
        without = median_of(bench.results.get("gatehouse", {}).get("plain_h1", []), "cpu_us")
        if with_chain is not None and without:
            second += ("\n\nMiddleware chain (Gatehouse): plain HTTP/1.1 1 KiB through headers + ipAllowList + rateLimit "
                       "(limit never reached) + stripPrefix, compress off: "
                       f"{with_chain:.1f} CPU µs/req against {without:.1f} without middlewares, "
                       f"ratio {with_chain / without:.2f}.")
    return main, second


def machine_info() -> dict:
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    return {"nproc": os.cpu_count(), "cpu": model, "mem": mem, "kernel": platform.release()}


def core_utilisation(seconds: float = 1.0) -> list[float]:
    def snap():
        out = {}
        with open("/proc/stat") as f:
            for line in f:
                if re.match(r"cpu\d+ ", line):
                    v = [int(x) for x in line.split()[1:]]
                    out[line.split()[0]] = (sum(v) - v[3] - v[4], sum(v))
        return out
    a = snap()
    time.sleep(seconds)
    b = snap()
    return [round(100 * (b[c][0] - a[c][0]) / max(1, b[c][1] - a[c][1])) for c in sorted(a)]


def write_report(bench: Bench, peers: list[Peer], args, started: datetime.datetime,
                 env_info: dict, tool_versions: dict, out_path: Path) -> str:
    main, second = build_tables(bench, peers)
    m = env_info["machine"]
    cmd = shlex.join(["python3", *sys.argv])
    parts = [
        "# Gatehouse benchmark results",
        "",
        f"- date: {started.strftime('%Y-%m-%d %H:%M %Z').strip()} (took {env_info['took']})",
        f"- machine: {m['nproc']} cores, {m['cpu']}, {m['mem']} RAM, Linux {m['kernel']}",
        f"- command: `{cmd}` (duration {args.duration:g} s, repeat {args.repeat}, median shown)",
        f"- load before start: loadavg {' '.join(env_info['loadavg_start'])}, core busy {env_info['busy_start']} %; "
        f"at end: loadavg {' '.join(env_info['loadavg_end'])}",
        "- peers: " + "; ".join(f"{p.name}: {p.version if p.status != 'not built' else 'not built (' + p.failure + ')'}"
                                 for p in peers),
        "- tools: " + "; ".join(f"{k} {v}" for k, v in tool_versions.items()),
        f"- layout: proxy on core {PROXY_CPU} (taskset), load generator + shared nginx origin on core {LOAD_CPU}; "
        "loopback only; TLS clients pinned to TLS 1.3 / TLS_AES_128_GCM_SHA256 / X25519, SNI bench.local, "
        "ECDSA P-256 certificate",
    ]
    if any(p.tls_info for p in peers):
        parts.append("- negotiated (h2 preflight): " + "; ".join(
            f"{p.name} {p.tls_info.get('tls_protocol')} {p.tls_info.get('cipher')} {p.tls_info.get('key_exchange')}"
            for p in peers if p.tls_info))
    if bench.probe:
        c, mm = bench.probe["shim off (control)"], bench.probe["as measured"]
        parts.append(f"- full handshakes: the new-connection load command, aimed at a probe server with session "
                     f"cache + tickets on, resumed {mm['resumed']} of {mm['connections']} connections "
                     f"(plain wrk, control: {c['resumed']} of {c['connections']})")
    parts += [
        "",
        "CPU µs/req = proxy CPU time (utime+stime of all its processes and threads) / requests completed; "
        "lower is better. MiB/s: higher is better. RSS: sum of VmRSS over the proxy's processes; lower is better. "
        "`gatehouse/peer` < 1 means Gatehouse is better for CPU µs and RSS; > 1 means better for MiB/s. "
        f"⚠ = some run had errors or non-2xx answers; ≈ = other processes took more than {NOISE_PCT}% of the "
        f"proxy's core or of the load generator's core, or the hypervisor stole more than {STEAL_PCT}% "
        "(steal), during some run (see Problems).",
        "",
        main,
        "",
        "Achieved requests/s and the proxy's CPU use during the run (100% = the proxy's core saturated; "
        "below that the load generator's core was the limit).",
        "",
        second,
        "",
    ]
    if bench.problems or any(p.status == "failed" for p in peers):
        parts += ["## Problems", ""]
        parts += [f"- {p.name}: {p.failure.splitlines()[0]}" for p in peers if p.status == "failed"]
        parts += [f"- {x}" for x in bench.problems]
        parts.append("")
    parts += ["## Every run", "", "```json",
              json.dumps({p.name: bench.results.get(p.name, {}) for p in peers}, indent=1, default=str),
              "```", ""]
    text = "\n".join(parts)
    out_path.write_text(text)
    return main + "\n\n" + second


# --------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default=",".join(ALL_PEERS), help="comma list of peers (default: all)")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds per measured run (default 10)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per load and peer; the median is shown (default 3)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 2 s, 1 repeat, results to RESULTS.quick.md")
    ap.add_argument("--install", action="store_true", help="apt-get install missing tools")
    ap.add_argument("--connections", type=int, default=1000, help="idle TLS connections for the RSS row")
    ap.add_argument("--gatehouse-bin", default=os.environ.get("GATEHOUSE_BIN", str(DEFAULT_GATEHOUSE)))
    ap.add_argument("--gatehouse-args", default="", help="extra arguments for `gatehouse serve`")
    ap.add_argument("--gatehouse-minimal-config", action="store_true",
                    help="leave serversTransports (maxIdleConnsPerHost 1024) out of Gatehouse's dynamic config")
    ap.add_argument("--loads", default=",".join(l["key"] for l in LOADS) + ",rss",
                    help="comma list of loads (default all): " + ",".join(l["key"] for l in LOADS) + ",rss")
    ap.add_argument("--wait-quiet", type=float, default=0.0, metavar="S",
                    help="before each run wait up to S seconds for both cores to be idle (shared machines)")
    ap.add_argument("--start-timeout", type=float, default=30.0, help="seconds for a peer to listen")
    ap.add_argument("--output", help="Markdown results file (default benchmarks/RESULTS.md)")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (configs, logs)")
    args = ap.parse_args()
    if args.quick:
        args.duration, args.repeat = 2.0, 1
    out_path = Path(args.output) if args.output else HERE / ("RESULTS.quick.md" if args.quick else "RESULTS.md")
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    bad = [n for n in names if n not in ALL_PEERS]
    if bad or not names:
        ap.error(f"unknown peer(s) {bad}; choose from {ALL_PEERS}")
    names = [n for n in ALL_PEERS if n in names]
    loads_wanted = {x.strip() for x in args.loads.split(",") if x.strip()}
    unknown = loads_wanted - {l["key"] for l in LOADS} - {"rss"}
    if unknown:
        ap.error(f"unknown load(s) {sorted(unknown)}")
    if args.duration < 1 or args.repeat < 1:
        ap.error("--duration must be >= 1 and --repeat >= 1")

    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    signal.signal(signal.SIGTERM, _sig_to_exit)
    signal.signal(signal.SIGHUP, _sig_to_exit)
    if os.cpu_count() < 2:
        log("needs at least 2 cores (proxy on core 0, load on core 1)")
        return 2
    # the harness itself (and the RSS client in it) stays on the load core
    os.sched_setaffinity(0, {int(LOAD_CPU)})
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(hard, 65536), max(hard, 65536)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    started = datetime.datetime.now().astimezone()
    t_start = time.monotonic()
    env_info = {"machine": machine_info(), "loadavg_start": open("/proc/loadavg").read().split()[:3],
                "busy_start": core_utilisation()}
    if max(env_info["busy_start"][:2]) > 15:
        log(f"WARNING: cores busy before start ({env_info['busy_start']} %): numbers will be noisy")

    needed = ["nginx", "h2load", "wrk", "openssl", "taskset", "cc"] + [n for n in names if n in ("haproxy", "caddy")]
    tmp = Path(tempfile.mkdtemp(prefix="gatehouse-bench-"))
    tmp.chmod(0o755)  # nginx workers run as nobody and read the bodies below
    exit_code = 0
    peers: list[Peer] = []
    try:
        ensure_tools(needed, args.install)
        tool_versions = {
            "wrk": version_of(["wrk", "-v"]).split(" Copyright")[0].replace("wrk ", "", 1),
            "h2load": version_of(["h2load", "--version"]).replace("h2load ", "", 1),
            "openssl": version_of(["openssl", "version"]),
            "python": platform.python_version(),
        }
        cert, key, pem = make_cert(tmp)
        shim = build_shim(tmp)
        backend = Backend(tmp, cert, key)
        backend.start()
        log(f"backend nginx on 127.0.0.1:{BACKEND_PORT} (core {LOAD_CPU}), temp dir {tmp}")
        bench = Bench(args, tmp, shim, backend)

        peers = [Peer(n, tmp, args, cert, key, pem) for n in names]
        for p in peers:
            if p.status == "not built":
                log(f"gatehouse: not built ({p.failure}); its column will say so")
            elif p.ok:
                p.start(args.start_timeout)
            if p.ok:
                bench.preflight(p)
            if p.ok:
                log(f"{p.name} ready: {p.version}; {p.tls_info}")
        live = [p for p in peers if p.ok]
        warm = 1.0 if args.quick else 2.0

        if "rss" in loads_wanted:
            for rep in range(args.repeat):
                order = live[rep % len(live):] + live[:rep % len(live)] if live else []
                for p in order:
                    if not p.check_alive():
                        continue
                    log(f"rss {p.name} round {rep + 1}/{args.repeat}: {args.connections} TLS connections")
                    r = bench.measure_rss(p, args.connections)
                    if r:
                        bench.results.setdefault(p.name, {}).setdefault("rss", []).append(r)
                        log(f"  rss idle {r['rss_idle']:.1f} MiB, with {r['connections']} conns "
                            f"{r['rss_conns']:.1f} MiB ({r['server_established']} established)")
                    time.sleep(1.0)

        for load in LOADS:
            if load["key"] not in loads_wanted:
                continue
            if load.get("close"):
                bench.handshake_probe(load)
            peers_for_load = [p for p in live if p.name in load.get("only", [p.name])]
            for p in peers_for_load:
                if p.check_alive():
                    argv, env = bench.load_argv(load, p.tls_port if load["tls"] else p.plain_port, warm)
                    run_bounded(argv, warm + 30, env=env)
            for rep in range(args.repeat):
                alive = [p for p in peers_for_load if p.ok]
                order = alive[rep % len(alive):] + alive[:rep % len(alive)] if alive else []
                for p in order:
                    log(f"{load['key']} {p.name} round {rep + 1}/{args.repeat}")
                    r = bench.measure(p, load, args.duration)
                    if r is None:
                        continue
                    bench.results.setdefault(p.name, {}).setdefault(load["key"], []).append(r)
                    if "error" in r:
                        bench.problems.append(f"{p.name} {load['key']}: {r['error']}")
                    else:
                        extra = f", {r['mib_s']:.0f} MiB/s" if "mib_s" in r else ""
                        log(f"  {r['requests']} req, {r['rps']:,.0f} req/s, {r['cpu_us']:.1f} CPU µs/req"
                            f"{extra}, proxy CPU {r['proxy_cpu_pct']:.0f}%, others on core 0/1 "
                            f"{r['core0_other_pct']:.0f}%/{r['core1_other_pct']:.0f}%, steal {r['steal_pct']:.0f}%, "
                            f"backend new conns {r['backend_new_conns']}"
                            + (f" ⚠ {r['flags']}" if r.get("flags") else ""))
                    time.sleep(0.5)

        env_info["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
        env_info["took"] = f"{(time.monotonic() - t_start) / 60:.1f} min"
        tables = write_report(bench, peers, args, started, env_info, tool_versions, out_path)
        print(tables)
        print(f"\n(written to {out_path})")
        if bench.problems:
            log("problems:\n  " + "\n  ".join(bench.problems))
        if any(p.status == "failed" for p in peers):
            exit_code = 1
        if any(x.startswith("handshake probe") for x in bench.problems):
            exit_code = 1
    except HarnessError as e:
        log(f"ERROR: {e}")
        exit_code = 2
    except KeyboardInterrupt:
        log("interrupted")
        exit_code = 130
    finally:
        Proc.stop_all()
        if args.keep_tmp:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
