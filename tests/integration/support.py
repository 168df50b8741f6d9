"""Helpers shared by Gatehouse's end-to-end tests.

Everything here talks to real sockets on loopback only: a flexible HTTP/1.1 backend
(keep-alive, header echo, sleeps, byte streams, body counting, WebSocket echo), a
WebSocket client, small HTTP clients, a certificate factory built on the openssl CLI and
the Gatehouse process wrapper (config files, start, readiness, logs, teardown).
"""
from __future__ import annotations

import atexit
import base64
import hashlib
import http
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import sys
import ssl
import struct
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import pytest
import yaml

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
IS_CI = os.environ.get("CI", "").strip().lower() == "true"
LOOPBACK = "127.0.0.1"
ALT_LOOPBACK = "127.0.0.2"  # a second client source address (Linux answers all of 127/8)
MiB = 1024 * 1024
GiB = 1024 * MiB


# --------------------------------------------------------------------------------------
# Tools and prerequisites
# --------------------------------------------------------------------------------------

def unavailable(message: str) -> None:
    """A prerequisite is missing: fail under CI=true (never silently pass), skip otherwise."""
    if IS_CI:
        pytest.fail(message + " (CI=true: missing prerequisites are failures)", pytrace=False)
    pytest.skip(message)


def require_tool(name: str) -> str:
    """Path of an external tool (curl, openssl, h2load); fails under CI=true when missing, else skips."""
    path = shutil.which(name)
    if path is None:
        unavailable(f"required tool {name!r} is not installed "
                    f"(apt-get install -y curl openssl nghttp2-client, or tests/integration/run.sh as root)")
    return path


def gatehouse_binary() -> str:
    path = os.environ.get("GATEHOUSE_BIN") or str(REPO_ROOT / ".build" / "debug" / "gatehouse")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        unavailable(f"gatehouse binary not found at {path} (run `swift build` or set GATEHOUSE_BIN)")
    return path


def fixtures_dir() -> pathlib.Path:
    """The shared Traefik configuration fixtures (real-world files that must load unchanged)."""
    candidates = [os.environ.get("GATEHOUSE_TRAEFIK_FIXTURES"),
                  str(REPO_ROOT / "Tests" / "ConfigTests" / "Fixtures"),  # the repository's copy
                  str(REPO_ROOT / "fixtures" / "traefik"),
                  "/work/shared/fixtures/traefik"]
    for c in candidates:
        if c and pathlib.Path(c).is_dir():
            return pathlib.Path(c)
    unavailable("Traefik fixtures directory not found (set GATEHOUSE_TRAEFIK_FIXTURES)")
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------------------

_ports_lock = threading.Lock()
_ports_handed_out: set[int] = set()


def bound_socket(host: str = LOOPBACK, kind: int = socket.SOCK_STREAM, reuse_addr: bool = False) -> socket.socket:
    """A socket bound to a kernel-chosen port that free_port() has not handed out (a gateway the
    session configured with that port may not have bound it yet); the port is then reserved too."""
    rejected = []
    try:
        for _ in range(200):
            s = socket.socket(socket.AF_INET, kind)
            if reuse_addr:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, 0))
            port = s.getsockname()[1]
            with _ports_lock:
                if port not in _ports_handed_out:
                    _ports_handed_out.add(port)
                    return s
            rejected.append(s)  # kept open meanwhile, so the kernel offers another port
        raise RuntimeError("no unclaimed port found")
    finally:
        for r in rejected:
            r.close()


def free_port(host: str = LOOPBACK) -> int:
    """A loopback TCP port that was free a moment ago and that this session has not handed out."""
    for _ in range(200):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((host, 0))
            port = s.getsockname()[1]
        finally:
            s.close()
        with _ports_lock:
            if port not in _ports_handed_out:
                _ports_handed_out.add(port)
                return port
    raise RuntimeError("no free port found")


def port_accepts(port: int, host: str = LOOPBACK, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(predicate: Callable[[], Any], timeout: float, interval: float = 0.05) -> Any:
    """Poll predicate until it returns a truthy value or timeout passes; returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


# --------------------------------------------------------------------------------------
# Deterministic byte patterns (the backend streams them; clients can hash what they got)
# --------------------------------------------------------------------------------------

PATTERN_BLOCK = bytes(range(256)) * 4096  # 1 MiB


def pattern_bytes(n: int) -> bytes:
    reps, rest = divmod(n, len(PATTERN_BLOCK))
    return PATTERN_BLOCK * reps + PATTERN_BLOCK[:rest]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------
# WebSocket framing (RFC 6455), used by the backend and by the test client
# --------------------------------------------------------------------------------------

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def ws_accept_value(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()


def _ws_mask(data: bytes, key: bytes) -> bytes:
    n = len(data)
    if n == 0:
        return b""
    m = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(m, "big")).to_bytes(n, "big")


def ws_frame(opcode: int, payload: bytes, *, mask: bool, fin: bool = True) -> bytes:
    b1 = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", b1, (0x80 if mask else 0) | n)
    elif n < 65536:
        head = struct.pack("!BBH", b1, (0x80 if mask else 0) | 126, n)
    else:
        head = struct.pack("!BBQ", b1, (0x80 if mask else 0) | 127, n)
    if mask:
        key = os.urandom(4)
        return head + key + _ws_mask(payload, key)
    return head + payload


def _read_n(rfile, n: int) -> bytes:
    data = rfile.read(n)
    if data is None or len(data) < n:
        raise ConnectionError(f"connection closed while reading {n} bytes")
    return data


def ws_read_frame(rfile) -> tuple[bool, int, bytes, bool] | None:
    """(fin, opcode, payload, was_masked), or None on a clean EOF before a frame."""
    head = rfile.read(2)
    if not head:
        return None
    if len(head) < 2:
        raise ConnectionError("truncated frame header")
    b1, b2 = head[0], head[1]
    fin, opcode = bool(b1 & 0x80), b1 & 0x0F
    masked, n = bool(b2 & 0x80), b2 & 0x7F
    if n == 126:
        n = struct.unpack("!H", _read_n(rfile, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", _read_n(rfile, 8))[0]
    key = _read_n(rfile, 4) if masked else b""
    payload = _read_n(rfile, n) if n else b""
    if masked:
        payload = _ws_mask(payload, key)
    return fin, opcode, payload, masked


# --------------------------------------------------------------------------------------
# The backend
# --------------------------------------------------------------------------------------

def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def _header_all(headers: list[tuple[str, str]], name: str) -> list[str]:
    name = name.lower()
    return [v for k, v in headers if k.lower() == name]


@dataclass
class BackendRequest:
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    conn_id: int
    client: tuple[str, int]
    body_len: int = 0
    body_sha256: str | None = None
    body_complete: bool = False
    expect_continue: bool = False

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    def header_all(self, name: str) -> list[str]:
        return _header_all(self.headers, name)

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


class Backend:
    """A threaded HTTP/1.1 origin on loopback.

    - any path: 200, JSON echo of the request (method, target, headers as [name, value]
      pairs in arrival order, body length and SHA-256, connection id), header X-Backend;
    - `?sleep=S`: waits S seconds before answering (the request is recorded first);
    - `/bytes/N`: N bytes of PATTERN (Content-Length, or chunked with `?chunked=1`);
    - `/drip?n=K&interval=S`: chunked response, K chunks S seconds apart;
    - `/status/N`: answers status N;
    - `/reset`: reads the request, then resets the connection (RST);
    - `/close`: reads the request, then closes without answering;
    - `/count...`: counts the body without hashing it (for the 1 GiB uploads);
    - `Upgrade: websocket`: RFC 6455 handshake, then echoes every message.
    Bodies (Content-Length or chunked) are read and counted; `Expect: 100-continue` gets an
    interim 100. `connections` counts accepted TCP connections.
    """

    def __init__(self, name: str, host: str = LOOPBACK, port: int = 0, comes_back: bool = False):
        """`port` 0 picks a free one; a given port brings a stopped backend back where it was (the
        first backend on that port must have been made with `comes_back=True`)."""
        self.name = name
        self.host = host
        if port:
            # Coming back on its old port, whose connections linger in TIME_WAIT: both the first
            # and this listener need SO_REUSEADDR.
            self._lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._lsock.bind((host, port))
        else:
            self._lsock = bound_socket(host, reuse_addr=comes_back)
        self._lsock.listen(512)
        self.port = self._lsock.getsockname()[1]
        self.lock = threading.Lock()
        self.connections = 0
        self.requests: list[BackendRequest] = []
        self.ws_messages = 0
        self.ws_unmasked_frames = 0
        self._open: set[socket.socket] = set()
        self._closed = False
        self._thread = threading.Thread(target=self._accept_loop, name=f"backend-{name}", daemon=True)
        self._thread.start()

    # -- public --------------------------------------------------------------------
    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def reset_stats(self) -> None:
        with self.lock:
            self.connections = 0
            self.requests.clear()
            self.ws_messages = 0
            self.ws_unmasked_frames = 0

    def requests_to(self, path_prefix: str) -> list[BackendRequest]:
        with self.lock:
            return [r for r in self.requests if r.target.startswith(path_prefix)]

    def wait_for_request(self, path_prefix: str, timeout: float = 10) -> BackendRequest | None:
        found = wait_until(lambda: self.requests_to(path_prefix), timeout)
        return found[-1] if found else None

    def close(self) -> None:
        self._closed = True
        try:
            self._lsock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._lsock.close()
        with self.lock:
            conns = list(self._open)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                c.close()
            except OSError:
                pass

    # -- internals -----------------------------------------------------------------
    def _accept_loop(self) -> None:
        conn_id = 0
        while not self._closed:
            try:
                conn, addr = self._lsock.accept()
            except OSError:
                break
            conn_id += 1
            with self.lock:
                self.connections += 1
                self._open.add(conn)
            threading.Thread(target=self._serve, args=(conn, addr, conn_id),
                             name=f"backend-{self.name}-{conn_id}", daemon=True).start()

    def _serve(self, conn: socket.socket, addr, conn_id: int) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        rfile = conn.makefile("rb", buffering=256 * 1024)
        served = 0
        try:
            while not self._closed:
                if not self._serve_one(conn, rfile, addr, conn_id):
                    break
                served += 1
        except (OSError, ValueError, ConnectionError) as e:
            # Shown with a failing test's captured output: why a connection ended unexpectedly.
            if not self._closed:
                print(f"backend {self.name}: connection {conn_id} from {addr} ended after {served} "
                      f"request(s): {e!r}", file=sys.stderr)
        finally:
            with self.lock:
                self._open.discard(conn)
            try:
                rfile.close()
                conn.close()
            except OSError:
                pass

    def _serve_one(self, conn, rfile, addr, conn_id) -> bool:
        line = rfile.readline(65537)
        while line in (b"\r\n", b"\n"):
            line = rfile.readline(65537)
        if not line:
            return False
        parts = line.decode("latin-1").rstrip("\r\n").split(" ")
        if len(parts) != 3:
            # Shown with a failing test's captured output: the proxy sent something that is not
            # a request line (the connection is closed after the 400).
            print(f"backend {self.name}: connection {conn_id} from {addr}: bad request line {line[:200]!r}", file=sys.stderr)
            self._send_simple(conn, 400, b"bad request line", keep=False)
            return False
        method, target, version = parts
        headers: list[tuple[str, str]] = []
        while True:
            h = rfile.readline(65537)
            if not h:
                return False
            if h in (b"\r\n", b"\n"):
                break
            name, _, value = h.decode("latin-1").partition(":")
            headers.append((name.strip(), value.strip()))
        req = BackendRequest(method, target, version, headers, conn_id, addr)
        path, _, query = target.partition("?")
        params = urllib.parse.parse_qs(query)
        with self.lock:
            self.requests.append(req)

        if (_header(headers, "upgrade") or "").lower() == "websocket":
            self._websocket(conn, rfile, req)
            return False

        te = (_header(headers, "transfer-encoding") or "").lower()
        cl = _header(headers, "content-length")
        has_body = "chunked" in te or (cl is not None and int(cl) > 0)
        if has_body and (_header(headers, "expect") or "").lower() == "100-continue":
            req.expect_continue = True
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        hasher = None if path.startswith("/count") else hashlib.sha256()
        counter = [0]

        def sink(chunk):
            counter[0] += len(chunk)
            if hasher is not None:
                hasher.update(chunk)

        if "chunked" in te:
            while True:
                size_line = rfile.readline(4096)
                if not size_line:
                    raise ConnectionError("eof in chunked body")
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    while True:
                        t = rfile.readline(65537)
                        if not t or t in (b"\r\n", b"\n"):
                            break
                    break
                self._read_body(rfile, size, sink)
                if rfile.read(2) != b"\r\n":
                    raise ConnectionError("bad chunk terminator")
        elif cl is not None:
            self._read_body(rfile, int(cl), sink)
        req.body_len = counter[0]
        req.body_sha256 = hasher.hexdigest() if hasher is not None else None
        req.body_complete = True

        conn_tokens = {t.strip().lower() for t in (_header(headers, "connection") or "").split(",")}
        keep = ("close" not in conn_tokens) if version == "HTTP/1.1" else ("keep-alive" in conn_tokens)

        if "sleep" in params:
            time.sleep(float(params["sleep"][0]))

        if path == "/reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return False
        if path == "/close":
            return False
        if path.startswith("/bytes/"):
            n = int(path[len("/bytes/"):])
            self._send_bytes(conn, n, chunked=params.get("chunked") == ["1"], keep=keep,
                             head=method == "HEAD")
            return keep
        if path == "/drip":
            n = int(params.get("n", ["3"])[0])
            interval = float(params.get("interval", ["0.5"])[0])
            conn.sendall(self._head(200, [("Content-Type", "text/plain"),
                                          ("Transfer-Encoding", "chunked")], keep))
            for i in range(n):
                if i:
                    time.sleep(interval)
                piece = f"chunk {i}\n".encode()
                conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            conn.sendall(b"0\r\n\r\n")
            return keep
        status = 200
        if path.startswith("/status/"):
            status = int(path[len("/status/"):])
        body = json.dumps({
            "backend": self.name,
            "method": method,
            "target": target,
            "version": version,
            "headers": headers,
            "body_len": req.body_len,
            "body_sha256": req.body_sha256,
            "conn_id": conn_id,
            "expect_continue": req.expect_continue,
        }).encode()
        extra = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        conn.sendall(self._head(status, extra, keep) + (b"" if method == "HEAD" or status in (204, 304) else body))
        return keep

    @staticmethod
    def _read_body(rfile, n: int, sink) -> None:
        buf = memoryview(bytearray(min(n, MiB) or 1))
        remaining = n
        while remaining:
            k = rfile.readinto(buf[:min(remaining, len(buf))])
            if not k:
                raise ConnectionError("eof in body")
            sink(buf[:k])
            remaining -= k

    def _head(self, status: int, headers: list[tuple[str, str]], keep: bool) -> bytes:
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = "Status"
        lines = [f"HTTP/1.1 {status} {reason}", f"X-Backend: {self.name}"]
        lines += [f"{k}: {v}" for k, v in headers]
        if not keep:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _send_simple(self, conn, status: int, body: bytes, keep: bool) -> None:
        conn.sendall(self._head(status, [("Content-Length", str(len(body)))], keep) + body)

    def _send_bytes(self, conn, n: int, chunked: bool, keep: bool, head: bool) -> None:
        if chunked:
            conn.sendall(self._head(200, [("Content-Type", "application/octet-stream"),
                                          ("Transfer-Encoding", "chunked")], keep))
        else:
            conn.sendall(self._head(200, [("Content-Type", "application/octet-stream"),
                                          ("Content-Length", str(n))], keep))
        if head:
            return
        block = memoryview(PATTERN_BLOCK)
        remaining = n
        while remaining:
            k = min(remaining, len(block))
            if chunked:
                conn.sendall(b"%x\r\n" % k)
                conn.sendall(block[:k])
                conn.sendall(b"\r\n")
            else:
                conn.sendall(block[:k])
            remaining -= k
        if chunked:
            conn.sendall(b"0\r\n\r\n")

    def _websocket(self, conn, rfile, req: BackendRequest) -> None:
        key = req.header("sec-websocket-key") or ""
        conn.sendall(self._head(101, [("Upgrade", "websocket"), ("Connection", "Upgrade"),
                                      ("Sec-WebSocket-Accept", ws_accept_value(key))], keep=True))
        message_op, parts = None, []
        while True:
            frame = ws_read_frame(rfile)
            if frame is None:
                return
            fin, opcode, payload, masked = frame
            if not masked:
                with self.lock:
                    self.ws_unmasked_frames += 1
            if opcode == OP_CLOSE:
                conn.sendall(ws_frame(OP_CLOSE, payload[:125], mask=False))
                return
            if opcode == OP_PING:
                conn.sendall(ws_frame(OP_PONG, payload, mask=False))
                continue
            if opcode == OP_PONG:
                continue
            if opcode in (OP_TEXT, OP_BINARY):
                message_op, parts = opcode, [payload]
            else:
                parts.append(payload)
            if fin and message_op is not None:
                with self.lock:
                    self.ws_messages += 1
                conn.sendall(ws_frame(message_op, b"".join(parts), mask=False))
                message_op, parts = None, []


class BackendPool:
    """Creates backends and closes them all at teardown."""

    def __init__(self):
        self.backends: list[Backend] = []

    def __call__(self, name: str) -> Backend:
        b = Backend(name)
        self.backends.append(b)
        return b

    def close(self) -> None:
        for b in self.backends:
            b.close()
        self.backends.clear()


# --------------------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------------------

def client_tls_context(alpn: Iterable[str] | None = ("http/1.1",), cafile: str | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cafile:
        ctx.load_verify_locations(cafile)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    return ctx


def open_socket(port: int, *, tls: bool = False, sni: str | None = None, source: str | None = None,
                timeout: float = 15, alpn: Iterable[str] | None = ("http/1.1",), cafile: str | None = None):
    sock = socket.create_connection((LOOPBACK, port), timeout=timeout,
                                    source_address=(source, 0) if source else None)
    if tls:
        sock = client_tls_context(alpn, cafile).wrap_socket(sock, server_hostname=sni or None)
    return sock


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    elapsed: float = 0.0

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    @property
    def backend(self) -> str | None:
        return self.header("X-Backend")

    def json(self) -> dict:
        return json.loads(self.body)

    def echo_header(self, name: str) -> str | None:
        """A request header as the backend received it (from the backend's JSON echo)."""
        return _header([tuple(h) for h in self.json()["headers"]], name)

    def echo_header_all(self, name: str) -> list[str]:
        return _header_all([tuple(h) for h in self.json()["headers"]], name)

    def __repr__(self) -> str:
        return f"<Response {self.status} backend={self.backend} body={self.body[:200]!r}>"


def http_request(port: int, path: str = "/", *, host: str | None = "a.test", method: str = "GET",
                 headers: dict[str, str] | list[tuple[str, str]] | None = None, body=None,
                 tls: bool = False, sni: str | None = None, source: str | None = None,
                 timeout: float = 15, encode_chunked: bool = False) -> Response:
    """One request on a fresh connection with http.client. sni defaults to the Host's name."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout,
                                      source_address=(source, 0) if source else None)
    if tls:
        if sni is None:
            name = host.rsplit(":", 1)[0] if host else None
        else:
            name = sni or None  # "" means: send no SNI
        conn.sock = open_socket(port, tls=True, sni=name, source=source, timeout=timeout)
    try:
        start = time.monotonic()
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host)
        items = headers.items() if isinstance(headers, dict) else (headers or [])
        for k, v in items:
            conn.putheader(k, v)
        if body is not None and not encode_chunked and isinstance(body, (bytes, bytearray)):
            conn.putheader("Content-Length", str(len(body)))
        if encode_chunked:
            conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        if body is not None:
            if encode_chunked:
                for piece in body:
                    if piece:
                        conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
                conn.send(b"0\r\n\r\n")
            else:
                conn.send(body)
        resp = conn.getresponse()
        data = resp.read()
        return Response(resp.status, resp.reason, resp.getheaders(), data, time.monotonic() - start)
    finally:
        conn.close()


def raw_exchange(port: int, data: bytes, *, timeout: float = 5, tls: bool = False, sni: str | None = None,
                 source: str | None = None) -> tuple[bytes, str]:
    """Send raw bytes, read until the server closes (or timeout). Returns (bytes, how) where how is
    'eof', 'reset' or 'timeout'."""
    sock = open_socket(port, tls=tls, sni=sni, source=source, timeout=timeout)
    chunks = []
    how = "eof"
    deadline = time.monotonic() + timeout
    try:
        sock.sendall(data)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                how = "timeout"
                break
            sock.settimeout(left)
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                how = "timeout"
                break
            except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
                how = "reset"
                break
            if not chunk:
                break
            chunks.append(chunk)
    except (ConnectionResetError, BrokenPipeError):
        how = "reset"
    finally:
        sock.close()
    return b"".join(chunks), how


STATUS_LINE = re.compile(rb"^HTTP/1\.[01] (\d{3})")


def status_of(raw: bytes) -> int | None:
    m = STATUS_LINE.match(raw)
    return int(m.group(1)) if m else None


def wait_closed(sock: socket.socket, timeout: float) -> tuple[float, bytes, str]:
    """Block until the peer closes the connection; returns (seconds waited, bytes read, how)."""
    start = time.monotonic()
    got = []
    deadline = start + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return time.monotonic() - start, b"".join(got), "timeout"
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return time.monotonic() - start, b"".join(got), "timeout"
        except (ConnectionResetError, ssl.SSLError):
            return time.monotonic() - start, b"".join(got), "reset"
        if not chunk:
            return time.monotonic() - start, b"".join(got), "eof"
        got.append(chunk)


class WSClient:
    """A minimal RFC 6455 client (masked frames), plain or TLS."""

    def __init__(self, port: int, host: str, path: str = "/ws", *, tls: bool = False, sni: str | None = None,
                 source: str | None = None, timeout: float = 15, headers: dict[str, str] | None = None):
        self.sock = open_socket(port, tls=tls, sni=sni or host.rsplit(":", 1)[0], source=source,
                                timeout=timeout, alpn=("http/1.1",))
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
                 f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.rfile = self.sock.makefile("rb")
        status_line = self.rfile.readline(65537).decode("latin-1")
        self.response_headers: list[tuple[str, str]] = []
        while True:
            h = self.rfile.readline(65537)
            if not h or h in (b"\r\n", b"\n"):
                break
            k, _, v = h.decode("latin-1").partition(":")
            self.response_headers.append((k.strip(), v.strip()))
        self.status = int(status_line.split(" ")[1]) if status_line.startswith("HTTP/") else None
        if self.status != 101:
            raise AssertionError(f"WebSocket handshake answered {status_line.strip()!r} "
                                 f"headers={self.response_headers}")
        accept = _header(self.response_headers, "sec-websocket-accept")
        if accept != ws_accept_value(key):
            raise AssertionError(f"bad Sec-WebSocket-Accept {accept!r}")

    def send(self, opcode: int, payload: bytes, fin: bool = True) -> None:
        self.sock.sendall(ws_frame(opcode, payload, mask=True, fin=fin))

    def send_text(self, text: str) -> None:
        self.send(OP_TEXT, text.encode())

    def send_binary(self, data: bytes) -> None:
        self.send(OP_BINARY, data)

    def recv(self) -> tuple[int, bytes]:
        """Next complete message (control frames are returned as they come)."""
        op, parts = None, []
        while True:
            frame = ws_read_frame(self.rfile)
            if frame is None:
                raise ConnectionError("connection closed")
            fin, opcode, payload, masked = frame
            if masked:
                raise AssertionError("server frames must not be masked")
            if opcode >= 0x8:
                return opcode, payload
            if opcode != OP_CONT:
                op, parts = opcode, [payload]
            else:
                parts.append(payload)
            if fin:
                return op, b"".join(parts)

    def close(self, code: int = 1000) -> tuple[int, bytes] | None:
        try:
            self.send(OP_CLOSE, struct.pack("!H", code))
            reply = self.recv()
        except (OSError, ConnectionError):
            reply = None
        try:
            self.sock.close()
        except OSError:
            pass
        return reply


def run(cmd: list[str], *, timeout: float = 60, input: bytes | None = None, check: bool = False,
        **kw) -> subprocess.CompletedProcess:
    """subprocess.run in its own process group; the group is killed if the timeout passes."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kw)
    try:
        out, err = proc.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        raise AssertionError(f"command timed out after {timeout}s: {' '.join(cmd)}\n"
                             f"stdout: {out[-2000:]!r}\nstderr: {err[-2000:]!r}")
    res = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if check and res.returncode != 0:
        raise AssertionError(f"command failed ({res.returncode}): {' '.join(cmd)}\n"
                             f"stdout: {out[-2000:]!r}\nstderr: {err[-2000:]!r}")
    return res


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def curl(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    exe = require_tool("curl")
    return run([exe, "-sS", "--max-time", str(int(timeout)), *args], timeout=timeout + 10)


# --------------------------------------------------------------------------------------
# Certificates (openssl CLI): a root CA, an intermediate, leaves with full-chain PEMs
# --------------------------------------------------------------------------------------

@dataclass
class Leaf:
    name: str
    cert: str        # full chain PEM: leaf + intermediate
    key: str
    leaf_only: str
    key_type: str


class CertFactory:
    def __init__(self, directory: pathlib.Path):
        self.openssl = require_tool("openssl")
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self._leaves: dict[str, Leaf] = {}
        self.root_key, self.root = str(self.dir / "root.key"), str(self.dir / "root.pem")
        self._ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", self.root_key, "-out", self.root,
                   "-days", "30", "-subj", "/O=Gatehouse Tests/CN=Gatehouse Test Root CA",
                   "-addext", "basicConstraints=critical,CA:TRUE",
                   "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        self.inter_key, self.inter = str(self.dir / "inter.key"), str(self.dir / "inter.pem")
        csr = str(self.dir / "inter.csr")
        self._ossl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", self.inter_key, "-out", csr,
                   "-subj", "/O=Gatehouse Tests/CN=Gatehouse Test Intermediate CA")
        ext = self.dir / "inter.ext"
        ext.write_text("basicConstraints=critical,CA:TRUE,pathlen:0\n"
                       "keyUsage=critical,keyCertSign,cRLSign\n"
                       "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n")
        self._ossl("x509", "-req", "-in", csr, "-CA", self.root, "-CAkey", self.root_key, "-CAcreateserial",
                   "-out", self.inter, "-days", "30", "-extfile", str(ext))

    def _ossl(self, *args: str) -> subprocess.CompletedProcess:
        return run([self.openssl, *args], timeout=60, check=True)

    def leaf(self, name: str, sans: list[str] | None = None, *, key_type: str = "rsa",
             key_format: str = "pkcs8", cn: str | None = None) -> Leaf:
        """A leaf issued by the intermediate. key_type rsa|ec; key_format pkcs8|traditional."""
        if name in self._leaves:
            return self._leaves[name]
        sans = sans or [name]
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        key = str(self.dir / f"{base}.key")
        if key_type == "rsa" and key_format == "traditional":
            self._ossl("genrsa", "-traditional", "-out", key, "2048")
        elif key_type == "rsa":
            self._ossl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key)
        elif key_type == "ec" and key_format == "traditional":
            self._ossl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key)
        else:
            self._ossl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key)
        csr = str(self.dir / f"{base}.csr")
        self._ossl("req", "-new", "-key", key, "-out", csr, "-subj", f"/O=Gatehouse Tests/CN={cn or name}")
        ext = self.dir / f"{base}.ext"
        usage = "digitalSignature,keyEncipherment" if key_type == "rsa" else "digitalSignature"
        ext.write_text("basicConstraints=critical,CA:FALSE\n"
                       f"keyUsage=critical,{usage}\nextendedKeyUsage=serverAuth\n"
                       "subjectAltName=" + ",".join(f"DNS:{s}" for s in sans) + "\n")
        leaf_only = str(self.dir / f"{base}.leaf.pem")
        self._ossl("x509", "-req", "-in", csr, "-CA", self.inter, "-CAkey", self.inter_key, "-CAcreateserial",
                   "-out", leaf_only, "-days", "30", "-extfile", str(ext))
        chain = str(self.dir / f"{base}.pem")
        pathlib.Path(chain).write_text(pathlib.Path(leaf_only).read_text() + pathlib.Path(self.inter).read_text())
        leaf = Leaf(name, chain, key, leaf_only, key_type)
        self._leaves[name] = leaf
        return leaf


PEM_CERT = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


@dataclass
class ServedCertificate:
    subject: str
    issuer: str
    sans: list[str]
    public_key_algorithm: str
    chain_length: int
    s_client_output: str


def served_certificate(port: int, servername: str | None, *, extra_args: Iterable[str] = ()) -> ServedCertificate:
    """Connect with `openssl s_client` (SNI = servername, or none) and describe the served leaf."""
    openssl = require_tool("openssl")
    cmd = [openssl, "s_client", "-connect", f"{LOOPBACK}:{port}", "-showcerts"]
    cmd += ["-servername", servername] if servername else ["-noservername"]
    cmd += list(extra_args)
    res = run(cmd, input=b"", timeout=20)
    out = res.stdout.decode("latin-1", "replace")
    pems = PEM_CERT.findall(out)
    if not pems:
        raise AssertionError(f"openssl s_client got no certificate from port {port} (SNI {servername!r}), "
                             f"rc={res.returncode}\nstdout: {out[-1500:]}\nstderr: {res.stderr.decode('latin-1')[-1500:]}")
    leaf = pems[0].encode()
    info = run([openssl, "x509", "-noout", "-subject", "-issuer", "-ext", "subjectAltName"],
               input=leaf, timeout=20, check=True).stdout.decode()
    text = run([openssl, "x509", "-noout", "-text"], input=leaf, timeout=20, check=True).stdout.decode()
    subject = re.search(r"^subject=\s*(.*)$", info, re.M)
    issuer = re.search(r"^issuer=\s*(.*)$", info, re.M)
    sans = re.findall(r"DNS:([^,\s]+)", info)
    alg = re.search(r"Public Key Algorithm:\s*(\S+)", text)
    return ServedCertificate(subject.group(1) if subject else "", issuer.group(1) if issuer else "", sans,
                             alg.group(1) if alg else "", len(pems), out)


# --------------------------------------------------------------------------------------
# The Gatehouse process
# --------------------------------------------------------------------------------------

LIVE_INSTANCES: list["Gatehouse"] = []


@atexit.register
def _kill_leftovers() -> None:
    """Last resort if a fixture teardown did not run: no gatehouse outlives the test session."""
    for gh in list(LIVE_INSTANCES):
        gh.stop()


def dump_yaml(data) -> str:
    return data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, default_flow_style=False)


class GatehouseExited(AssertionError):
    pass


class Gatehouse:
    """One `gatehouse serve` process: its files, ports and logs. Killed (process group) at teardown."""

    def __init__(self, workdir: pathlib.Path, static_path: pathlib.Path, ports: dict[str, int], *,
                 args: Iterable[str] | None = None, data_dir: pathlib.Path | None = None,
                 env: dict[str, str] | None = None, access_log: pathlib.Path | None = None):
        self.workdir = workdir
        self.static_path = static_path
        self.ports = dict(ports)
        self.data_dir = data_dir or (workdir / "data")
        self.access_log = access_log
        self.binary = gatehouse_binary()
        self.args = list(args) if args is not None else ["serve", "--config", str(static_path),
                                                         "--data-dir", str(self.data_dir)]
        self.env = env
        self.stderr_path = workdir / "stderr.log"
        self.stdout_path = workdir / "stdout.log"
        self.proc: subprocess.Popen | None = None

    # -- process ---------------------------------------------------------------------
    def start(self) -> "Gatehouse":
        env = dict(os.environ)
        env.update(self.env or {})
        with open(self.stdout_path, "ab") as out, open(self.stderr_path, "ab") as err:
            self.proc = subprocess.Popen([self.binary, *self.args], stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=err, start_new_session=True, env=env, cwd=str(self.workdir))
        LIVE_INSTANCES.append(self)
        return self

    def wait_ready(self, timeout: float = 30) -> "Gatehouse":
        deadline = time.monotonic() + timeout
        pending = set(self.ports.values())
        while True:
            if self.proc.poll() is not None:
                raise GatehouseExited(f"gatehouse exited with {self.proc.returncode} before its ports opened; "
                                      f"stderr:\n{self.logs()[-4000:]}")
            pending = {p for p in pending if not port_accepts(p, timeout=0.2)}
            if not pending:
                # Only for validating the suite against other proxies that load config after binding.
                time.sleep(float(os.environ.get("GATEHOUSE_READY_DELAY", "0")))
                return self
            if time.monotonic() > deadline:
                raise AssertionError(f"gatehouse ports {sorted(pending)} not accepting after {timeout}s; "
                                     f"stderr:\n{self.logs()[-4000:]}")
            time.sleep(0.05)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def wait_exit(self, timeout: float) -> int | None:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            _kill_group(self.proc)
        elif self.proc is not None:
            # the main process is gone; make sure nothing it started lingers
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self in LIVE_INSTANCES:
            LIVE_INSTANCES.remove(self)

    # -- observation -----------------------------------------------------------------
    def port(self, entry_point: str = "web") -> int:
        return self.ports[entry_point]

    @property
    def web(self) -> int:
        return self.ports["web"]

    @property
    def websecure(self) -> int:
        return self.ports["websecure"]

    def logs(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stdout(self) -> str:
        try:
            return self.stdout_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_lines_matching(self, *needles: str) -> list[str]:
        """Log lines (stderr and stdout) that contain every needle, case-insensitively."""
        lines = (self.logs() + "\n" + self.stdout()).splitlines()
        return [ln for ln in lines if all(n.lower() in ln.lower() for n in needles)]

    def wait_for_log(self, *needles: str, timeout: float = 5) -> list[str]:
        return wait_until(lambda: self.log_lines_matching(*needles), timeout)

    def rss_kib(self) -> int:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def access_log_lines(self) -> list[str]:
        if self.access_log is None or not self.access_log.exists():
            return []
        return [ln for ln in self.access_log.read_text(errors="replace").splitlines() if ln.strip()]


class GatehouseLauncher:
    """Writes configuration files, starts Gatehouse instances, and kills them at teardown."""

    def __init__(self, base: pathlib.Path):
        self.base = base
        self.instances: list[Gatehouse] = []
        self.counter = 0

    def new_dir(self, label: str = "gh") -> pathlib.Path:
        self.counter += 1
        d = self.base / f"{label}-{self.counter}"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def start(self, dynamic: dict | str | None = None, *,
              entrypoints: dict[str, dict] | None = None,
              log_level: str = "DEBUG",
              access_log: dict | None = None,
              static_extra: dict | None = None,
              provider_dir: dict[str, str | dict] | None = None,
              env: dict[str, str] | None = None,
              wait: bool = True, label: str = "gh") -> Gatehouse:
        """Start Gatehouse with entry points web + websecure (or `entrypoints`: name -> extra keys; each gets
        address 127.0.0.1:<free port> unless it has one). `dynamic` goes to one file (providers.file.filename);
        `provider_dir` (file name -> content) to a directory (providers.file.directory)."""
        wd = self.new_dir(label)
        eps = entrypoints if entrypoints is not None else {"web": {}, "websecure": {}}
        ports: dict[str, int] = {}
        static_eps: dict[str, dict] = {}
        for name, extra in eps.items():
            extra = dict(extra or {})
            if "address" not in extra:
                ports[name] = free_port()
                extra = {"address": f"{LOOPBACK}:{ports[name]}", **extra}
            else:
                ports[name] = int(str(extra["address"]).rsplit(":", 1)[1])
            static_eps[name] = extra
        static: dict[str, Any] = {"entryPoints": static_eps}
        if provider_dir is not None:
            ddir = wd / "dynamic.d"
            ddir.mkdir()
            for fname, content in provider_dir.items():
                (ddir / fname).write_text(dump_yaml(content))
            static["providers"] = {"file": {"directory": str(ddir)}}
        else:
            dyn_path = wd / "dynamic.yml"
            dyn_path.write_text(dump_yaml(dynamic if dynamic is not None else {}))
            static["providers"] = {"file": {"filename": str(dyn_path)}}
        static["log"] = {"level": log_level}
        access_path = None
        if access_log is not None:
            access_path = wd / "access.log"
            static["accessLog"] = {"filePath": str(access_path), **access_log}
        if static_extra:
            static.update(static_extra)
        static_path = wd / "static.yml"
        static_path.write_text(dump_yaml(static))
        gh = Gatehouse(wd, static_path, ports, access_log=access_path, env=env)
        self.instances.append(gh)
        gh.start()
        if wait:
            gh.wait_ready()
        return gh

    def start_raw(self, static_text: str, ports: dict[str, int], *, files: dict[str, str] | None = None,
                  wait: bool = True, label: str = "raw", args: list[str] | None = None) -> Gatehouse:
        """Start with a static file given verbatim (extra files are written next to it first)."""
        wd = self.new_dir(label)
        for fname, content in (files or {}).items():
            p = wd / fname
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(content)
        static_path = wd / "static.yml"
        static_path.write_text(static_text)
        gh = Gatehouse(wd, static_path, ports, args=args)
        if args is not None:
            gh.args = args
        self.instances.append(gh)
        gh.start()
        if wait:
            gh.wait_ready()
        return gh

    def close(self) -> None:
        for gh in self.instances:
            gh.stop()
        self.instances.clear()


def router(rule: str, service: str, *, entry_points: list[str] | None = None, tls: dict | None = None,
           priority: int | None = None, middlewares: list[str] | None = None) -> dict:
    r: dict[str, Any] = {"rule": rule, "service": service}
    if entry_points is not None:
        r["entryPoints"] = entry_points
    if tls is not None:
        r["tls"] = tls
    if priority is not None:
        r["priority"] = priority
    if middlewares is not None:
        r["middlewares"] = middlewares
    return r


def service(*urls: str, pass_host_header: bool | None = None, servers_transport: str | None = None) -> dict:
    lb: dict[str, Any] = {"servers": [{"url": u} for u in urls]}
    if pass_host_header is not None:
        lb["passHostHeader"] = pass_host_header
    if servers_transport is not None:
        lb["serversTransport"] = servers_transport
    return {"loadBalancer": lb}
