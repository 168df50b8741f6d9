"""WebSocket through the proxy (plain and TLS): upgrade, echo, large and fragmented messages."""
from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from support import OP_BINARY, OP_CLOSE, OP_CONT, OP_PING, OP_PONG, OP_TEXT, WSClient, http_request, router, service


@pytest.fixture(scope="module")
def env(module_launcher, module_backends, certs):
    be = module_backends("ws")
    leaf = certs.leaf("ws.test")
    gh = module_launcher.start({
        "http": {"routers": {"ws": router("Host(`ws.test`)", "ws"),
                             "ws-tls": router("Host(`ws.test`)", "ws", tls={})},
                 "services": {"ws": service(be.url)}},
        "tls": {"certificates": [{"certFile": leaf.cert, "keyFile": leaf.key}]}})
    return SimpleNamespace(gh=gh, be=be)


@pytest.mark.parametrize("tls", [False, True], ids=["ws", "wss"])
def test_echo(env, tls):
    port = env.gh.websecure if tls else env.gh.web
    ws = WSClient(port, "ws.test", "/ws/echo", tls=tls)
    try:
        for i in range(20):
            ws.send_text(f"message {i} ✓")
            assert ws.recv() == (OP_TEXT, f"message {i} ✓".encode())
        blob = os.urandom(3000)
        ws.send_binary(blob)
        assert ws.recv() == (OP_BINARY, blob)
    finally:
        reply = ws.close()
    assert reply is not None and reply[0] == OP_CLOSE, f"no close frame echoed: {reply}"
    hs = env.be.requests_to("/ws/echo")[-1]
    assert hs.header("X-Forwarded-Proto") == ("wss" if tls else "ws")
    assert (hs.header("Upgrade") or "").lower() == "websocket"
    assert "upgrade" in (hs.header("Connection") or "").lower()
    assert hs.header("Sec-WebSocket-Key")
    assert env.be.ws_unmasked_frames == 0


@pytest.mark.parametrize("tls", [False, True], ids=["ws", "wss"])
def test_large_message(env, tls):
    port = env.gh.websecure if tls else env.gh.web
    ws = WSClient(port, "ws.test", "/ws/large", tls=tls)
    try:
        blob = os.urandom(4 * 1024 * 1024)
        ws.send_binary(blob)
        op, data = ws.recv()
        assert op == OP_BINARY and len(data) == len(blob) and data == blob
    finally:
        ws.close()


def test_fragmented_message_and_ping(env):
    ws = WSClient(env.gh.web, "ws.test", "/ws/frag")
    try:
        ws.send(OP_TEXT, b"hel", fin=False)
        ws.send(OP_CONT, b"lo ", fin=False)
        ws.send(OP_CONT, b"world", fin=True)
        assert ws.recv() == (OP_TEXT, b"hello world")
        ws.send(OP_PING, b"are you there")
        assert ws.recv() == (OP_PONG, b"are you there")
    finally:
        ws.close()


def test_many_concurrent_connections(env):
    clients = [WSClient(env.gh.web, "ws.test", f"/ws/many/{i}") for i in range(10)]
    try:
        for i, c in enumerate(clients):
            c.send_text(f"hi {i}")
        for i, c in enumerate(clients):
            assert c.recv() == (OP_TEXT, f"hi {i}".encode())
    finally:
        for c in clients:
            c.close()


def test_http_still_works_after_websockets(env):
    r = http_request(env.gh.web, "/plain", host="ws.test")
    assert (r.status, r.backend) == (200, "ws")
