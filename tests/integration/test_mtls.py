"""Mutual TLS per router: clientAuth with caFiles and the clientAuthType values."""
from __future__ import annotations

import pathlib
import re
from types import SimpleNamespace

import pytest

from support import curl, require_tool, router, run, service


class ClientPKI:
    """A client CA and client certificates made with openssl (extendedKeyUsage clientAuth)."""

    def __init__(self, directory: pathlib.Path, label: str):
        self.openssl = require_tool("openssl")
        self.dir = directory
        self.ca_key, self.ca = str(directory / f"{label}-ca.key"), str(directory / f"{label}-ca.pem")
        self._ossl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                   "-keyout", self.ca_key, "-out", self.ca, "-days", "30",
                   "-subj", f"/O=Gatehouse Tests/CN={label} client CA",
                   "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")

    def _ossl(self, *args: str) -> None:
        run([self.openssl, *args], timeout=60, check=True)

    def client(self, name: str) -> SimpleNamespace:
        key, csr, cert = (str(self.dir / f"{name}.{ext}") for ext in ("key", "csr", "pem"))
        self._ossl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                   "-keyout", key, "-out", csr, "-subj", f"/O=Gatehouse Tests/CN={name}")
        ext = self.dir / f"{name}.ext"
        ext.write_text("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                       "extendedKeyUsage=clientAuth\n")
        self._ossl("x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", self.ca_key, "-CAcreateserial",
                   "-out", cert, "-days", "30", "-extfile", str(ext))
        return SimpleNamespace(cert=cert, key=key)


@pytest.fixture(scope="module")
def env(module_launcher, module_backends, certs, tmp_path_factory):
    directory = tmp_path_factory.mktemp("mtls")
    trusted = ClientPKI(directory, "trusted")
    stranger = ClientPKI(directory, "stranger")
    be = module_backends("mtls-backend")
    leaves = [certs.leaf(n, key_type="ec") for n in ("secure.test", "optional.test", "open.test",
                                                         "any.test", "request.test", "pass.test")]
    dynamic = {
        "http": {
            "routers": {
                "secure": router("Host(`secure.test`)", "svc", tls={"options": "mtls"}),
                "optional": router("Host(`optional.test`)", "svc", tls={"options": "optional"}),
                "open": router("Host(`open.test`)", "svc", tls={}),
                "any": router("Host(`any.test`)", "svc", tls={"options": "any"}),
                "request": router("Host(`request.test`)", "svc", tls={"options": "request"}),
                "pass": router("Host(`pass.test`)", "svc", tls={"options": "mtls"}, middlewares=["pass-cert"]),
            },
            "middlewares": {"pass-cert": {"passTLSClientCert": {"pem": True, "info": {
                "notBefore": True, "notAfter": True, "sans": True,
                "subject": {"organization": True, "commonName": True}, "issuer": {"commonName": True},
            }}}},
            "services": {"svc": service(be.url)},
        },
        "tls": {
            "certificates": [{"certFile": leaf.cert, "keyFile": leaf.key} for leaf in leaves],
            "options": {
                "mtls": {"clientAuth": {"caFiles": [trusted.ca], "clientAuthType": "RequireAndVerifyClientCert"}},
                # Inline PEM instead of a path.
                "optional": {"clientAuth": {"caFiles": [pathlib.Path(trusted.ca).read_text()],
                                            "clientAuthType": "VerifyClientCertIfGiven"}},
                "any": {"clientAuth": {"clientAuthType": "RequireAnyClientCert"}},
                "request": {"clientAuth": {"clientAuthType": "RequestClientCert"}},
            },
        },
    }
    gh = module_launcher.start(dynamic)
    return SimpleNamespace(gh=gh, be=be, good=trusted.client("alice"), bad=stranger.client("mallory"))


def get(env, name: str, client=None):
    port = env.gh.websecure
    args = ["-k", "--http1.1", "--resolve", f"{name}:{port}:127.0.0.1", "-o", "/dev/null", "-w", "%{http_code}"]
    if client is not None:
        args += ["--cert", client.cert, "--key", client.key]
    r = curl(*args, f"https://{name}:{port}/", timeout=10)
    return r.returncode, r.stdout.decode().strip(), r.stderr.decode()


def test_require_and_verify_refuses_without_certificate(env):
    rc, code, err = get(env, "secure.test")
    assert rc != 0 and code in ("", "000"), (rc, code, err)


def test_require_and_verify_accepts_certificate_from_ca(env):
    assert get(env, "secure.test", env.good)[:2] == (0, "200")


def test_require_and_verify_refuses_certificate_from_other_ca(env):
    rc, code, err = get(env, "secure.test", env.bad)
    assert rc != 0 and code in ("", "000"), (rc, code, err)


def test_require_and_verify_handshake_refused_by_openssl(env):
    openssl = require_tool("openssl")
    r = run([openssl, "s_client", "-connect", f"127.0.0.1:{env.gh.websecure}", "-servername", "secure.test",
             "-tls1_2"], input=b"", timeout=20)
    out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    # TLS 1.2: the server's refusal ends the handshake itself, with an alert.
    assert r.returncode != 0 and re.search(r"alert (handshake failure|certificate required)", out), out[-1500:]


def test_verify_if_given(env):
    assert get(env, "optional.test")[:2] == (0, "200")
    assert get(env, "optional.test", env.good)[:2] == (0, "200")
    rc, code, err = get(env, "optional.test", env.bad)
    assert rc != 0 and code in ("", "000"), (rc, code, err)


def test_host_without_options_needs_no_certificate(env):
    assert get(env, "open.test")[:2] == (0, "200")


def test_require_any_needs_a_certificate_but_does_not_verify_it(env):
    rc, code, err = get(env, "any.test")
    assert rc != 0 and code in ("", "000"), (rc, code, err)
    assert get(env, "any.test", env.bad)[:2] == (0, "200")


def test_request_accepts_with_or_without_certificate(env):
    assert get(env, "request.test")[:2] == (0, "200")
    assert get(env, "request.test", env.bad)[:2] == (0, "200")


@pytest.mark.parametrize("http_version", ["--http1.1", "--http2"])
def test_client_certificate_passed_to_backend(env, http_version):
    import calendar
    import time
    import urllib.parse
    port = env.gh.websecure
    path = f"/pass-{http_version.strip('-')}"
    r = curl("-k", http_version, "--resolve", f"pass.test:{port}:127.0.0.1", "--cert", env.good.cert, "--key", env.good.key,
             "-o", "/dev/null", "-w", "%{http_code}", f"https://pass.test:{port}{path}", timeout=10)
    assert (r.returncode, r.stdout.decode()) == (0, "200"), r.stderr.decode()
    seen = env.be.wait_for_request(path)
    assert seen is not None
    pem_text = pathlib.Path(env.good.cert).read_text()
    body = "".join(line for line in pem_text.splitlines() if not line.startswith("-----"))
    assert urllib.parse.unquote_plus(seen.header("x-forwarded-tls-client-cert")) == body
    assert "%2B" in seen.header("x-forwarded-tls-client-cert") or "%2F" in seen.header("x-forwarded-tls-client-cert") \
        or "+" not in body and "/" not in body, "the PEM is URL-escaped as Traefik sends it"
    info = urllib.parse.unquote_plus(seen.header("x-forwarded-tls-client-cert-info"))
    dates = run([require_tool("openssl"), "x509", "-in", env.good.cert, "-noout", "-startdate", "-enddate"],
                timeout=10, check=True).stdout.decode()
    when = dict(line.split("=", 1) for line in dates.strip().splitlines())
    not_before, not_after = (calendar.timegm(time.strptime(when[k], "%b %d %H:%M:%S %Y %Z")) for k in ("notBefore", "notAfter"))
    assert info == (f'Subject="O=Gatehouse Tests,CN=alice";Issuer="CN=trusted client CA";'
                    f'NB="{not_before}";NA="{not_after}"'), info


def test_no_client_certificate_headers_without_a_certificate(env):
    # request.test asks for no verification and this request sends no certificate: nothing to pass,
    # and a client cannot forge the headers (the entry point drops them from untrusted clients).
    port = env.gh.websecure
    r = curl("-k", "--http1.1", "--resolve", f"open.test:{port}:127.0.0.1", "-H", "X-Forwarded-Tls-Client-Cert: forged",
             "-o", "/dev/null", "-w", "%{http_code}", f"https://open.test:{port}/forged", timeout=10)
    assert r.stdout.decode() == "200"
    seen = env.be.wait_for_request("/forged")
    assert seen is not None and seen.header("x-forwarded-tls-client-cert") is None
