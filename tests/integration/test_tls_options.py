"""TLS options per router (tls.options): versions, ALPN, sniStrict, broken options."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from support import curl, dump_yaml, require_tool, router, run, served_certificate, service, wait_until


@pytest.fixture(scope="module")
def pki(certs):
    return SimpleNamespace(
        modern=certs.leaf("modern.test", key_type="ec"),
        h1=certs.leaf("h1.test", key_type="ec"),
        plain=certs.leaf("plain.test", key_type="ec"),
        broken=certs.leaf("broken.test", key_type="ec"),
    )


def certificates(*leaves):
    return [{"certFile": leaf.cert, "keyFile": leaf.key} for leaf in leaves]


@pytest.fixture(scope="module")
def env(module_launcher, module_backends, pki):
    be = module_backends("tls-options-backend")
    dynamic = {
        "http": {
            "routers": {
                "modern": router("Host(`modern.test`)", "svc", tls={"options": "modern"}),
                "h1": router("Host(`h1.test`)", "svc", tls={"options": "h1@file"}),
                "plain": router("Host(`plain.test`)", "svc", tls={}),
                "broken": router("Host(`broken.test`)", "svc", tls={"options": "broken"}),
            },
            "services": {"svc": service(be.url)},
        },
        "tls": {
            "certificates": certificates(pki.modern, pki.h1, pki.plain, pki.broken),
            "options": {
                "modern": {"minVersion": "VersionTLS13"},
                "h1": {"alpnProtocols": ["http/1.1"]},
                "broken": {"cipherSuites": ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_NOT_A_SUITE"]},
            },
        },
    }
    gh = module_launcher.start(dynamic)
    return SimpleNamespace(gh=gh, be=be)


def s_client(port, servername, *args):
    openssl = require_tool("openssl")
    name = ["-servername", servername] if servername else ["-noservername"]
    r = run([openssl, "s_client", "-connect", f"127.0.0.1:{port}", *name, *args], input=b"", timeout=20)
    return r, r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")


def negotiated(out: str, version: str) -> bool:
    v = re.escape(version)
    return re.search(rf"Protocol\s*:\s*{v}|New, {v},", out) is not None


def test_min_version_tls13_refuses_tls12(env):
    r, out = s_client(env.gh.websecure, "modern.test", "-tls1_2")
    assert r.returncode != 0, out[-1500:]
    assert "BEGIN CERTIFICATE" not in out and "Cipher is (NONE)" in out, out[-1500:]


def test_min_version_tls13_accepts_tls13(env):
    r, out = s_client(env.gh.websecure, "modern.test", "-tls1_3")
    assert r.returncode == 0 and negotiated(out, "TLSv1.3"), out[-1500:]


def test_other_host_still_accepts_tls12(env):
    r, out = s_client(env.gh.websecure, "plain.test", "-tls1_2")
    assert r.returncode == 0 and negotiated(out, "TLSv1.2"), out[-1500:]


def test_options_follow_the_name_not_the_certificate(env):
    # No certificate covers this name: the default options apply (TLS 1.2 allowed).
    r, out = s_client(env.gh.websecure, "unknown.test", "-tls1_2")
    assert r.returncode == 0 and negotiated(out, "TLSv1.2"), out[-1500:]


def curl_version(port, name, *flags):
    r = curl(*flags, "-k", "--resolve", f"{name}:{port}:127.0.0.1", "-o", "/dev/null",
             "-w", "%{http_code} %{http_version}", f"https://{name}:{port}/")
    return r.stdout.decode().strip(), r.stderr.decode()


def test_alpn_http11_only_makes_http2_client_fall_back(env):
    assert curl_version(env.gh.websecure, "h1.test", "--http2") == ("200 1.1", "")
    assert curl_version(env.gh.websecure, "plain.test", "--http2")[0] == "200 2"


def test_broken_options_refuse_their_host_and_are_reported(env):
    r, out = s_client(env.gh.websecure, "broken.test")
    assert r.returncode != 0 and "BEGIN CERTIFICATE" not in out, out[-1500:]
    logs = env.gh.logs()
    assert "tls.options.broken.cipherSuites[1]" in logs, logs[-3000:]
    assert 'router \\"broken@file\\"' in logs or 'router "broken@file"' in logs, logs[-3000:]
    # Every other host keeps serving.
    assert curl_version(env.gh.websecure, "plain.test", "--http1.1")[0] == "200 1.1"


@pytest.fixture(scope="module")
def strict(module_launcher, module_backends, pki):
    be = module_backends("sni-strict-backend")
    dynamic = {
        "http": {
            "routers": {"plain": router("Host(`plain.test`)", "svc", tls={})},
            "services": {"svc": service(be.url)},
        },
        "tls": {
            "certificates": certificates(pki.plain),
            "options": {"default": {"sniStrict": True}},
        },
    }
    return module_launcher.start(dynamic)


def test_sni_strict_refuses_unknown_name(strict):
    r, out = s_client(strict.websecure, "unknown.test")
    assert r.returncode != 0, out[-1500:]
    assert "BEGIN CERTIFICATE" not in out and "Cipher is (NONE)" in out, out[-1500:]


def test_sni_strict_refuses_missing_sni(strict):
    r, out = s_client(strict.websecure, None)
    assert r.returncode != 0 and "BEGIN CERTIFICATE" not in out, out[-1500:]


def test_sni_strict_serves_known_name(strict):
    c = served_certificate(strict.websecure, "plain.test")
    assert "CN = plain.test" in c.subject, c.subject
    r = curl("-k", "--resolve", f"plain.test:{strict.websecure}:127.0.0.1", "-o", "/dev/null", "-w", "%{http_code}",
             f"https://plain.test:{strict.websecure}/")
    assert r.stdout.decode().strip() == "200", r.stderr.decode()


def test_options_added_by_reload_apply_to_new_connections(launcher, backends, pki):
    be = backends("tls-options-reload")
    base = {
        "http": {"routers": {"plain": router("Host(`plain.test`)", "svc", tls={})}, "services": {"svc": service(be.url)}},
        "tls": {"certificates": certificates(pki.plain)},
    }
    gh = launcher.start(provider_dir={"base.yml": base})
    r, out = s_client(gh.websecure, "plain.test", "-tls1_2")
    assert r.returncode == 0, out[-1500:]
    changed = dict(base, http={"routers": {"plain": router("Host(`plain.test`)", "svc", tls={"options": "modern"})},
                               "services": {"svc": service(be.url)}})
    changed["tls"] = {"certificates": certificates(pki.plain), "options": {"modern": {"minVersion": "VersionTLS13"}}}
    with open(gh.workdir / "dynamic.d" / "base.yml", "w") as f:
        f.write(dump_yaml(changed))
    refused = wait_until(lambda: s_client(gh.websecure, "plain.test", "-tls1_2")[0].returncode != 0, 5, interval=0.1)
    assert refused, f"TLS 1.2 still accepted after the reload; log:\n{gh.logs()[-3000:]}"
    r, out = s_client(gh.websecure, "plain.test", "-tls1_3")
    assert r.returncode == 0 and negotiated(out, "TLSv1.3"), out[-1500:]


def test_entry_point_http_tls_makes_its_routers_tls_with_its_options(launcher, backends, certs):
    """`entryPoints.<n>.http.tls` gives routers without their own `tls` TLS on that entry point, with
    its options; on other entry points the same router stays plaintext (Traefik)."""
    be = backends("ep-tls")
    leaf = certs.leaf("ep.test", key_type="ec")
    gh = launcher.start({
        "http": {"routers": {"ep": router("Host(`ep.test`)", "svc")}, "services": {"svc": service(be.url)}},
        "tls": {"certificates": certificates(leaf), "options": {"strict13": {"minVersion": "VersionTLS13"}}},
    }, entrypoints={"web": {}, "websecure": {"http": {"tls": {"options": "strict13"}}}})
    from support import http_request
    assert http_request(gh.websecure, "/", host="ep.test", tls=True).status == 200
    assert http_request(gh.websecure, "/", host="ep.test").status == 404, "TLS-only on the entry point with http.tls"
    assert http_request(gh.web, "/", host="ep.test").status == 200, "plaintext on the entry point without it"
    r, out = s_client(gh.websecure, "ep.test", "-tls1_2")
    assert r.returncode != 0, "the entry point's options apply: TLS 1.2 refused"
    r, out = s_client(gh.websecure, "ep.test", "-tls1_3")
    assert r.returncode == 0 and negotiated(out, "TLSv1.3"), out[-1500:]
