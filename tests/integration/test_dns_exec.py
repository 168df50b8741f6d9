"""`gatehouse dns test exec` with hook scripts: one that writes into BIND (bind_support) through
nsupdate, and failing ones whose exit status and stderr must reach the report."""
from __future__ import annotations

import os
import stat

import support
from bind_support import KEYS, BindServer, bind_server  # noqa: F401  (pytest fixture)

NSUPDATE_HOOK = """#!/bin/sh
# lego's exec contract: $1 = present|cleanup, $2 = FQDN with its trailing dot, $3 = value.
set -e
case "$1" in
  present) op="update add $2 60 TXT \\"$3\\"" ;;
  cleanup) op="update delete $2 TXT \\"$3\\"" ;;
  *) echo "unknown action $1" >&2; exit 2 ;;
esac
printf 'server 127.0.0.1 %s\\nkey hmac-sha256:%s %s\\n%s\\nsend\\n' "$BIND_PORT" "$BIND_KEY_NAME" "$BIND_KEY_SECRET" "$op" | nsupdate -v
echo "$1 $2 $3" >> "$HOOK_LOG"
"""


def write_hook(tmp_path, body: str) -> str:
    path = tmp_path / "hook.sh"
    path.write_text(body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(path)


def dns_test(env: dict[str, str], domain: str, *args: str):
    binary = support.gatehouse_binary()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EXEC_")}
    res = support.run([binary, "dns", "test", "exec", domain, "--timeout", "15s", *args], env={**clean, **env}, timeout=90)
    return res.returncode, res.stdout.decode(), res.stderr.decode()


def test_nsupdate_hook_passes_the_preflight(bind_server: BindServer, tmp_path):
    support.require_tool("nsupdate")
    name, secret = KEYS["hmac-sha256"]
    log = tmp_path / "hook.log"
    env = {"EXEC_PATH": write_hook(tmp_path, NSUPDATE_HOOK), "BIND_PORT": str(bind_server.port),
           "BIND_KEY_NAME": name, "BIND_KEY_SECRET": secret, "HOOK_LOG": str(log)}
    code, out, err = dns_test(env, "www.example.test", "--resolvers", bind_server.address)
    assert code == 0, (out, err)
    got = out.strip().splitlines()
    assert got[0].startswith("zone: skipped")
    assert "present: ok" in got
    assert f"propagation: ok (visible at {bind_server.address})" in got
    assert "cleanup: ok" in got
    assert got[-1] == "result: ok"
    calls = log.read_text().splitlines()
    assert [c.split()[:2] for c in calls] == [["present", "_acme-challenge.www.example.test."],
                                               ["cleanup", "_acme-challenge.www.example.test."]]
    assert calls[0].split()[2] == calls[1].split()[2] and len(calls[0].split()[2]) == 43
    assert bind_server.txt("_acme-challenge.www.example.test") == []


def test_failing_hook_reports_status_and_stderr(tmp_path):
    hook = write_hook(tmp_path, "#!/bin/sh\necho 'debug noise' >&2\necho 'update failed: REFUSED for zone example.test' >&2\nexit 7\n")
    code, out, err = dns_test({"EXEC_PATH": hook}, "www.example.test", "--no-propagation-check")
    assert code == 1, (out, err)
    last = out.strip().splitlines()[-1]
    assert last.startswith("result: failed at present: rejected: "), out
    assert "exited with status 7" in last
    assert "update failed: REFUSED for zone example.test" in last


def test_hook_that_cannot_clean_up_fails_at_cleanup(tmp_path):
    hook = write_hook(tmp_path, '#!/bin/sh\nif [ "$1" = cleanup ]; then echo "cannot delete $2" >&2; exit 4; fi\nexit 0\n')
    code, out, _ = dns_test({"EXEC_PATH": hook}, "www.example.test", "--no-propagation-check")
    assert code == 1
    assert "present: ok" in out.splitlines()
    assert out.strip().splitlines()[-1].startswith(
        "result: failed at cleanup: rejected: ") and "cannot delete _acme-challenge.www.example.test." in out, out


def test_raw_mode_is_refused_with_a_reason(tmp_path):
    hook = write_hook(tmp_path, "#!/bin/sh\nexit 0\n")
    code, out, _ = dns_test({"EXEC_PATH": hook, "EXEC_MODE": "RAW"}, "www.example.test")
    assert code == 1
    assert out.strip().splitlines()[-1].startswith("result: failed at configuration: configuration: EXEC_MODE=RAW is not supported"), out
