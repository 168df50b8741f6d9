"""What every DNS provider API fake shares.

A fake is a small HTTP server that follows one provider's documented API contract (paths,
auth header, request and response bodies, error bodies) and keeps the TXT records it is asked
to create in a FakeZoneDNS, which serves them over DNS, so zone discovery, propagation checks
and a CA's validation see them.

Run one as a process (Swift tests and pytest both do):

    python3 tests/integration/dnsfakes/cloudflare.py --zones example.com,example.org [--credential NAME=VALUE ...]

It prints one JSON line, {"http": PORT, "dns": PORT, "url": "http://127.0.0.1:PORT"}, then serves
until stdin closes or it gets SIGTERM. `--credential` sets what the fake accepts (a token, a key
pair); other values are refused the way the real service refuses them.

Subclasses set `name` and implement `handle(request) -> Reply`.
"""
from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import sys
import threading
import urllib.parse
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from fake_dns import FakeZoneDNS  # noqa: E402


@dataclass
class Request:
    method: str
    path: str                       # without the query
    query: dict[str, list[str]]
    headers: dict[str, str]         # lower-cased names
    body: bytes
    raw_path: str                   # path and query as sent

    def json(self):
        return json.loads(self.body.decode() or "null")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass
class Reply:
    status: int
    body: bytes | str | dict | list | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


class FakeProvider:
    """Base class: owns the DNS side and the HTTP server; subclasses answer requests."""

    name = "fake"

    def __init__(self, zones: list[str], credentials: dict[str, str]):
        self.zones = [z.lower().rstrip(".") for z in zones]
        self.credentials = credentials
        self.dns = FakeZoneDNS(self.zones)
        self.requests: list[Request] = []
        self.lock = threading.Lock()

    # Subclasses override.
    def handle(self, request: Request) -> Reply:
        return Reply(404, {"error": "not found"})

    def zone_for(self, name: str) -> str | None:
        return self.dns.zone_of(name)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> http.server.ThreadingHTTPServer:
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parsed = urllib.parse.urlsplit(self.path)
                request = Request(
                    method=self.command, path=parsed.path, query=urllib.parse.parse_qs(parsed.query),
                    headers={k.lower(): v for k, v in self.headers.items()}, body=body, raw_path=self.path)
                with provider.lock:
                    provider.requests.append(request)
                    try:
                        reply = provider.handle(request)
                    except Exception as error:  # a fake bug shows as a 500 with the reason
                        reply = Reply(500, {"fake_error": repr(error)})
                payload = reply.encoded()
                self.send_response(reply.status)
                if payload:
                    self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

        server = http.server.ThreadingHTTPServer((host, port), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


def main(provider_class: type[FakeProvider]) -> None:
    """Command-line entry point of a fake: see the module documentation."""
    parser = argparse.ArgumentParser(description=f"fake {provider_class.name} DNS API")
    parser.add_argument("--zones", default="example.com")
    parser.add_argument("--credential", action="append", default=[], help="NAME=VALUE the fake accepts")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    credentials = dict(item.split("=", 1) for item in args.credential)
    provider = provider_class([z for z in args.zones.split(",") if z], credentials)
    server = provider.serve(port=args.port)
    port = server.server_address[1]
    print(json.dumps({"http": port, "dns": provider.dns.port, "url": f"http://127.0.0.1:{port}"}), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    server.shutdown()
    provider.dns.close()
