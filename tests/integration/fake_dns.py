"""An authoritative DNS server for the zones a fake DNS provider API manages.

The provider fakes (tests/integration/dnsfakes/) keep the TXT records their API creates in a
FakeZoneDNS, which answers for them over UDP and TCP on loopback, so the whole DNS-01 path runs:
zone discovery by SOA, propagation checks, and pebble's validation (`pebble -dnsserver`).

Answers, for names inside a served zone: SOA at the apex; TXT records where some exist;
NOERROR/NODATA or NXDOMAIN with the zone's SOA in the authority section otherwise. Names
outside every zone get REFUSED, as an authoritative-only server answers them.
"""
from __future__ import annotations

import socket
import socketserver
import struct
import threading

TYPE_TXT, TYPE_SOA, TYPE_NS, TYPE_ANY = 16, 6, 2, 255
RCODE_NOERROR, RCODE_FORMERR, RCODE_NXDOMAIN, RCODE_REFUSED = 0, 1, 3, 5


def _canonical(name: str) -> str:
    return name.lower().rstrip(".")


def _encode_name(name: str) -> bytes:
    out = b""
    for label in _canonical(name).split("."):
        if label:
            raw = label.encode()
            out += bytes([len(raw)]) + raw
    return out + b"\x00"


def _decode_question(packet: bytes) -> tuple[str, int, int]:
    offset, labels = 12, []
    while True:
        length = packet[offset]
        offset += 1
        if length == 0:
            break
        if length & 0xC0:
            raise ValueError("compressed name in question")
        labels.append(packet[offset:offset + length].decode("ascii", "replace"))
        offset += length
    qtype, _ = struct.unpack("!HH", packet[offset:offset + 4])
    return ".".join(labels), qtype, offset + 4


class FakeZoneDNS:
    """Serves `zones` (apex names) and the TXT records added with add_txt."""

    def __init__(self, zones: list[str], host: str = "127.0.0.1"):
        self.zones = [_canonical(z) for z in zones]
        self._txt: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self.queries: list[tuple[str, int]] = []
        handler = self._handle

        class UDP(socketserver.BaseRequestHandler):
            def handle(self):
                data, sock = self.request
                reply = handler(data)
                if reply:
                    sock.sendto(reply, self.client_address)

        class TCP(socketserver.BaseRequestHandler):
            def handle(self):
                try:
                    while True:
                        head = self.request.recv(2)
                        if len(head) < 2:
                            return
                        (length,) = struct.unpack("!H", head)
                        data = b""
                        while len(data) < length:
                            chunk = self.request.recv(length - len(data))
                            if not chunk:
                                return
                            data += chunk
                        reply = handler(data)
                        if reply:
                            self.request.sendall(struct.pack("!H", len(reply)) + reply)
                except OSError:
                    return

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        # UDP and TCP on one port number: the UDP port the system picks may be taken for TCP
        # (another test's connection), so pick again until both bind.
        for attempt in range(50):
            self._udp = socketserver.ThreadingUDPServer((host, 0), UDP)
            port = self._udp.server_address[1]
            try:
                self._tcp = socketserver.ThreadingTCPServer((host, port), TCP)
                break
            except OSError:
                self._udp.server_close()
                if attempt == 49:
                    raise
        self._tcp.daemon_threads = True
        self._udp.daemon_threads = True
        self.host, self.port = host, port
        for server in (self._udp, self._tcp):
            threading.Thread(target=server.serve_forever, daemon=True).start()

    @property
    def address(self) -> str:
        """`host:port`, for dnsChallenge.resolvers and pebble's -dnsserver."""
        return f"{self.host}:{self.port}"

    def add_txt(self, name: str, value: str) -> None:
        with self._lock:
            values = self._txt.setdefault(_canonical(name), [])
            if value not in values:
                values.append(value)

    def remove_txt(self, name: str, value: str) -> bool:
        with self._lock:
            values = self._txt.get(_canonical(name), [])
            if value in values:
                values.remove(value)
                return True
            return False

    def txt(self, name: str) -> list[str]:
        with self._lock:
            return list(self._txt.get(_canonical(name), []))

    def all_txt(self) -> dict[str, list[str]]:
        with self._lock:
            return {name: list(values) for name, values in self._txt.items() if values}

    def zone_of(self, name: str) -> str | None:
        name = _canonical(name)
        matches = [z for z in self.zones if name == z or name.endswith("." + z)]
        return max(matches, key=len) if matches else None

    def close(self) -> None:
        for server in (self._udp, self._tcp):
            server.shutdown()
            server.server_close()

    # -- wire ---------------------------------------------------------------------------

    def _soa(self, zone: str) -> bytes:
        rdata = _encode_name("ns1." + zone) + _encode_name("hostmaster." + zone) + struct.pack("!IIIII", 1, 3600, 600, 86400, 60)
        return _encode_name(zone) + struct.pack("!HHIH", TYPE_SOA, 1, 60, len(rdata)) + rdata

    def _txt_rr(self, name: str, value: str) -> bytes:
        raw = value.encode()
        chunks = b"".join(bytes([len(raw[i:i + 255])]) + raw[i:i + 255] for i in range(0, max(len(raw), 1), 255))
        return _encode_name(name) + struct.pack("!HHIH", TYPE_TXT, 1, 0, len(chunks)) + chunks

    def _handle(self, packet: bytes) -> bytes | None:
        if len(packet) < 12:
            return None
        ident, flags, qdcount = struct.unpack("!HHH", packet[:6])
        rd = flags & 0x0100
        try:
            if qdcount != 1:
                raise ValueError("one question expected")
            name, qtype, end = _decode_question(packet)
        except (ValueError, IndexError, struct.error):
            return struct.pack("!HHHHHH", ident, 0x8000 | rd | RCODE_FORMERR, 0, 0, 0, 0)
        self.queries.append((_canonical(name), qtype))
        question = packet[12:end]
        zone = self.zone_of(name)
        answers, authority, rcode = [], [], RCODE_NOERROR
        if zone is None:
            rcode = RCODE_REFUSED
        else:
            values = self.txt(name)
            exists = bool(values) or _canonical(name) == zone or any(
                n.endswith("." + _canonical(name)) for n in self.all_txt())
            if qtype in (TYPE_TXT, TYPE_ANY) and values:
                answers = [self._txt_rr(name, v) for v in values]
            elif qtype == TYPE_SOA and _canonical(name) == zone:
                answers = [self._soa(zone)]
            elif qtype == TYPE_NS and _canonical(name) == zone:
                rdata = _encode_name("ns1." + zone)
                answers = [_encode_name(zone) + struct.pack("!HHIH", TYPE_NS, 1, 60, len(rdata)) + rdata]
            else:
                authority = [self._soa(zone)]
                if not exists:
                    rcode = RCODE_NXDOMAIN
        aa = 0x0400 if zone is not None else 0
        header = struct.pack("!HHHHHH", ident, 0x8000 | aa | rd | rcode, 1, len(answers), len(authority), 0)
        return header + question + b"".join(answers) + b"".join(authority)
