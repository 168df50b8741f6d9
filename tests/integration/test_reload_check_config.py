"""`gatehouse check-config`: the static file and every dynamic file it points to, issues with location."""
from __future__ import annotations

import pathlib
import subprocess

from support import dump_yaml, gatehouse_binary, router, service


def check(static: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([gatehouse_binary(), "check-config", "--config", str(static)],
                          capture_output=True, text=True, timeout=60)


def layout(tmp_path: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    ddir = tmp_path / "dynamic.d"
    ddir.mkdir()
    for name, text in files.items():
        (ddir / name).write_text(text)
    static = tmp_path / "static.yml"
    static.write_text(dump_yaml({"entryPoints": {"web": {"address": "127.0.0.1:8080"}},
                                 "providers": {"file": {"directory": str(ddir), "watch": True}}}))
    return static


def test_clean_configuration_passes(tmp_path):
    good = {"http": {"routers": {"a": router("Host(`a.test`)", "s")}, "services": {"s": service("http://127.0.0.1:9")}}}
    result = check(layout(tmp_path, {"a.yml": dump_yaml(good)}))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok" in result.stdout


def test_every_dynamic_file_is_checked_with_file_line_and_key(tmp_path):
    broken_syntax = "http:\n  routers:\n    x: {rule: Host(`x.test`), service: s\n"
    missing_service = dump_yaml({"http": {"routers": {"a": router("Host(`a.test`)", "nope")},
                                          "services": {"s": service("http://127.0.0.1:9")}}})
    unknown_key = "http:\n  routers:\n    b:\n      rule: Host(`b.test`)\n      servce: s\n"
    bad_rule = "http:\n  routers:\n    r:\n      rule: Host(`r.test`\n      service: s\n"
    static = layout(tmp_path, {"a.yml": missing_service, "b.yml": unknown_key, "c.yml": broken_syntax,
                               "d.yml": bad_rule})
    result = check(static)
    out = result.stdout
    assert result.returncode != 0, out
    ddir = static.parent / "dynamic.d"
    lines = out.splitlines()
    # The unknown service: file a.yml, the line of `service:`, key path http.routers.a.service.
    svc = [ln for ln in lines if "http.routers.a.service" in ln]
    assert svc and str(ddir / "a.yml") in svc[0], out
    service_line = next(i for i, t in enumerate(missing_service.splitlines(), 1) if "service: nope" in t)
    assert f"a.yml:{service_line}:" in svc[0], out
    # The unknown key, with its line.
    assert any(f"{ddir / 'b.yml'}:5:" in ln and "servce" in ln for ln in lines), out
    # A rule that does not parse, at its own line.
    assert any(f"{ddir / 'd.yml'}:4:" in ln and "http.routers.r.rule" in ln for ln in lines), out
    # The syntax error names the file and a line.
    assert any(str(ddir / "c.yml") + ":" in ln and "error" in ln for ln in lines), out


def test_broken_static_file_fails(tmp_path):
    static = tmp_path / "static.yml"
    static.write_text("entryPoints:\n  web:\n    adress: ':80'\n")
    result = check(static)
    assert result.returncode != 0
    assert f"{static}:3:" in result.stdout and "adress" in result.stdout, result.stdout
