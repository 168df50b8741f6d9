"""schemathesis against the admin API's own OpenAPI document (/api/v1/openapi.json), with the real
binary and an admin token: no operation answers 5xx, and every response conforms to the schema the
document gives for its status. Bounded: a few examples per operation and a time budget."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

import support
from support import LOOPBACK, free_port, port_accepts, router, service, wait_until
from test_admin_api import call, create_token

MAX_EXAMPLES = 12
TIME_BUDGET_SECONDS = 45


def schemathesis_binary() -> str:
    found = shutil.which("schemathesis") or shutil.which("st")
    if found is None:
        support.unavailable("schemathesis is not installed (pip install -r tests/integration/requirements.txt)")
    return found


@pytest.fixture
def admin_gh(launcher, backends):
    support.require_tool("curl")
    backend = backends("app")
    port = free_port()
    gh = launcher.start(provider_dir={"routes.yml": {"http": {
        "routers": {"good": router("Host(`good.test`)", "app"), "broken": router("Hots(`broken.test`)", "app")},
        "services": {"app": service(backend.url)},
    }}}, static_extra={"admin": {"address": f"{LOOPBACK}:{port}"}})
    assert wait_until(lambda: port_accepts(port), 15), f"admin port not open:\n{gh.logs()[-3000:]}"
    gh.admin_port = port
    return gh


def test_schemathesis_finds_no_server_error_and_no_schema_violation(admin_gh, tmp_path):
    binary = schemathesis_binary()
    token = create_token(admin_gh, "fuzzer", "admin")
    status, _, body = call(admin_gh.admin_port, "/api/v1/openapi.json", token=token)
    assert status == 200
    document = json.loads(body)
    assert "/api/v1/dns-credentials/{id}/test" in document["paths"]
    schema = tmp_path / "openapi.json"
    schema.write_bytes(body)

    command = [
        binary, "run", str(schema),
        "--url", f"http://{LOOPBACK}:{admin_gh.admin_port}",
        "--header", f"Authorization: Bearer {token}",
        "--checks", "not_a_server_error,response_schema_conformance",
        "--max-examples", str(MAX_EXAMPLES),
        "--max-time", str(TIME_BUDGET_SECONDS),
        "--phases", "examples,coverage,fuzzing,stateful",
        "--workers", "1",
        "--request-timeout", "10",
        "--seed", "6",
        "--no-color",
    ]
    try:
        result = subprocess.run(command, capture_output=True, timeout=TIME_BUDGET_SECONDS + 120, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail(f"schemathesis ran past {TIME_BUDGET_SECONDS + 120}s")
    output = (result.stdout + result.stderr).decode(errors="replace").replace(token, "<token>")
    assert result.returncode == 0, f"schemathesis found problems:\n{output[-12000:]}"
    # The run exercised every documented operation (not a run that skipped everything).
    operations = sum(len(item) for item in document["paths"].values())
    assert f"Tested: {operations}" in output, output[-4000:]
    print(output[-1500:])
    assert admin_gh.alive(), admin_gh.logs()[-3000:]
