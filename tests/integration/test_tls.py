"""TLS: SNI certificate selection, default certificates, chains, protocol versions, ALPN."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from support import curl, http_request, require_tool, router, run, served_certificate, service


@pytest.fixture(scope="module")
def pki(certs):
    return SimpleNamespace(
        rsa=certs.leaf("rsa.test", key_type="rsa", key_format="traditional"),      # BEGIN RSA PRIVATE KEY
        ecdsa=certs.leaf("ecdsa.test", key_type="ec", key_format="traditional"),   # BEGIN EC PRIVATE KEY
        wild=certs.leaf("*.wild.test", key_type="ec", key_format="pkcs8"),        # BEGIN PRIVATE KEY
        exact_in_wild=certs.leaf("exact.wild.test", key_type="rsa"),
        store_default=certs.leaf("store-default.test", key_type="rsa"),
        root=certs.root,
    )


def tls_dynamic(be, pki, with_default: bool):
    tls = {"certificates": [{"certFile": c.cert, "keyFile": c.key}
                            for c in (pki.rsa, pki.ecdsa, pki.wild, pki.exact_in_wild)]}
    if with_default:
        tls["stores"] = {"default": {"defaultCertificate": {"certFile": pki.store_default.cert,
                                                            "keyFile": pki.store_default.key}}}
    return {
        "http": {
            "routers": {
                "rsa": router("Host(`rsa.test`)", "svc", tls={}),
                "ecdsa": router("Host(`ecdsa.test`)", "svc", tls={}),
                "wild": router("HostRegexp(`^.+\\.wild\\.test$`)", "svc", tls={}),
                "plain": router("Host(`rsa.test`)", "svc-plain"),
            },
            "services": {"svc": service(be.url), "svc-plain": service(be.url)},
        },
        "tls": tls,
    }


@pytest.fixture(scope="module")
def env(module_launcher, module_backends, pki):
    be = module_backends("tls-backend")
    gh = module_launcher.start(tls_dynamic(be, pki, with_default=True))
    return SimpleNamespace(gh=gh, be=be, pki=pki)


@pytest.fixture(scope="module")
def env_nodefault(module_launcher, module_backends, pki):
    be = module_backends("tls-backend-nodefault")
    gh = module_launcher.start(tls_dynamic(be, pki, with_default=False))
    return SimpleNamespace(gh=gh, be=be, pki=pki)


def test_sni_selects_rsa_certificate(env):
    c = served_certificate(env.gh.websecure, "rsa.test")
    assert "CN = rsa.test" in c.subject, c.subject
    assert c.sans == ["rsa.test"]
    assert c.public_key_algorithm == "rsaEncryption"


def test_sni_selects_ecdsa_certificate(env):
    c = served_certificate(env.gh.websecure, "ecdsa.test")
    assert "CN = ecdsa.test" in c.subject, c.subject
    assert c.public_key_algorithm == "id-ecPublicKey"


def test_sni_is_case_insensitive(env):
    c = served_certificate(env.gh.websecure, "RSA.Test")
    assert "CN = rsa.test" in c.subject, c.subject


def test_wildcard_certificate(env):
    c = served_certificate(env.gh.websecure, "foo.wild.test")
    assert c.sans == ["*.wild.test"], c.sans


def test_exact_name_beats_wildcard(env):
    c = served_certificate(env.gh.websecure, "exact.wild.test")
    assert "CN = exact.wild.test" in c.subject, c.subject


def test_wildcard_covers_one_label_only(env):
    c = served_certificate(env.gh.websecure, "a.b.wild.test")
    assert "store-default.test" in c.subject, c.subject


def test_unknown_sni_gets_store_default_certificate(env):
    c = served_certificate(env.gh.websecure, "nobody.test")
    assert "CN = store-default.test" in c.subject, c.subject


def test_no_sni_gets_store_default_certificate(env):
    c = served_certificate(env.gh.websecure, None)
    assert "CN = store-default.test" in c.subject, c.subject


def test_generated_default_certificate_without_store_default(env_nodefault):
    for name in ("nobody.test", None):
        c = served_certificate(env_nodefault.gh.websecure, name)
        assert "Gatehouse default certificate" in c.subject, (name, c.subject)
    c = served_certificate(env_nodefault.gh.websecure, "rsa.test")
    assert "CN = rsa.test" in c.subject


def test_full_chain_is_served(env):
    c = served_certificate(env.gh.websecure, "rsa.test")
    assert c.chain_length == 2, f"expected leaf + intermediate, got {c.chain_length} certificates"
    assert "Gatehouse Test Intermediate CA" in c.issuer


@pytest.mark.parametrize("name", ["rsa.test", "ecdsa.test", "foo.wild.test"])
def test_curl_verifies_chain_against_test_root(env, name):
    port = env.gh.websecure
    r = curl("--cacert", env.pki.root, "--resolve", f"{name}:{port}:127.0.0.1",
             "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}", f"https://{name}:{port}/")
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode().strip() == "200 0"


def test_tls_request_reaches_backend_on_both_entry_points(env):
    for port in (env.gh.websecure, env.gh.web):
        r = http_request(port, "/x", host="ecdsa.test", tls=True)
        assert (r.status, r.backend) == (200, "tls-backend"), (port, r)


def test_same_port_serves_plaintext_and_tls(env):
    plain = http_request(env.gh.websecure, "/", host="rsa.test")
    assert plain.status == 200 and plain.echo_header("X-Forwarded-Proto") == "http"
    secure = http_request(env.gh.websecure, "/", host="rsa.test", tls=True)
    assert secure.status == 200 and secure.echo_header("X-Forwarded-Proto") == "https"


def s_client(port, *args):
    openssl = require_tool("openssl")
    return run([openssl, "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "rsa.test", *args],
               input=b"", timeout=20)


@pytest.mark.parametrize("flag", ["-tls1", "-tls1_1"])
def test_old_tls_versions_refused(env, flag):
    # SECLEVEL=0 lets this OpenSSL actually offer TLS 1.0/1.1, so a refusal comes from the server.
    r = s_client(env.gh.websecure, flag, "-cipher", "DEFAULT:@SECLEVEL=0")
    out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    assert "no protocols available" not in out, "the local OpenSSL did not offer the protocol: test is void"
    assert r.returncode != 0, f"{flag} handshake succeeded:\n{out[-1500:]}"
    assert "BEGIN CERTIFICATE" not in out and "Cipher is (NONE)" in out, out[-1500:]


@pytest.mark.parametrize("flag,version", [("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")])
def test_modern_tls_versions_accepted(env, flag, version):
    r = s_client(env.gh.websecure, flag)
    out = r.stdout.decode(errors="replace")
    assert r.returncode == 0, out[-1500:] + r.stderr.decode(errors="replace")[-1500:]
    # "New, TLSv1.3, Cipher is ..." names the negotiated version; the "Protocol :" line of the
    # SSL-Session block only appears once a session ticket has been read.
    v = re.escape(version)
    assert re.search(rf"Protocol\s*:\s*{v}|New, {v},", out), out[-1500:]


def test_alpn_negotiates_h2_and_http11(env):
    port = env.gh.websecure
    common = ["-k", "--resolve", f"rsa.test:{port}:127.0.0.1", "-o", "/dev/null", "-w", "%{http_code} %{http_version}"]
    h2 = curl("--http2", *common, f"https://rsa.test:{port}/")
    assert h2.stdout.decode().strip() == "200 2", h2.stderr.decode()
    h1 = curl("--http1.1", *common, f"https://rsa.test:{port}/")
    assert h1.stdout.decode().strip() == "200 1.1", h1.stderr.decode()


def test_openssl_alpn_h2(env):
    r = s_client(env.gh.websecure, "-alpn", "h2,http/1.1")
    assert "ALPN protocol: h2" in r.stdout.decode(errors="replace")
    r = s_client(env.gh.websecure, "-alpn", "http/1.1")
    assert "ALPN protocol: http/1.1" in r.stdout.decode(errors="replace")
