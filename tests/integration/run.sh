#!/usr/bin/env bash
# End-to-end tests of the gatehouse binary against real clients and backends on loopback.
# Installs what is missing when run as root, then runs pytest from the repository root.
# GATEHOUSE_BIN overrides the binary (default .build/debug/gatehouse). Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/../.."

need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v h2load >/dev/null || need_apt+=(nghttp2-client)
# ACME tests: pebble (+ pebble-challtestsrv), dig for the built-in DNS server, lego to prove the fixtures.
command -v pebble >/dev/null || need_apt+=(pebble)
command -v dig >/dev/null || need_apt+=(dnsutils)
command -v lego >/dev/null || need_apt+=(lego)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing ${need_apt[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing tools: ${need_apt[*]} (run as root to install them)" >&2
  fi
fi
if ! python3 -c 'import pytest, pytest_timeout, yaml' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] || [ -n "${VIRTUAL_ENV:-}" ]; then
    python3 -m pip install -q -r tests/integration/requirements.txt \
      || python3 -m pip install -q --break-system-packages -r tests/integration/requirements.txt
  else
    echo "missing Python packages: pip install -r tests/integration/requirements.txt" >&2
  fi
fi

exec python3 -m pytest -q tests/integration "$@"
