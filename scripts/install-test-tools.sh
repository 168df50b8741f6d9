#!/usr/bin/env bash
# Installs the real peers the tests use, when they are missing and we are root (or in a venv for
# the Python packages): curl, openssl, h2load, wrk (HTTP clients), pebble + pebble-challtestsrv
# (ACME CA), dig (DNS), BIND 9 with nsupdate (RFC 2136 with TSIG), lego (an ACME client proving
# the pebble fixtures), htpasswd (password hashes), and pytest with its plugins and schemathesis.
# Without root it only says what is missing; under CI=true the tests needing it then fail.
# Used by scripts/test.sh (before the Swift tests, which use pebble, dig, lego and openssl) and by
# tests/integration/run.sh (which may run alone).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v h2load >/dev/null || need_apt+=(nghttp2-client)
command -v wrk >/dev/null || need_apt+=(wrk)
command -v htpasswd >/dev/null || need_apt+=(apache2-utils)
command -v pebble >/dev/null || need_apt+=(pebble)
command -v dig >/dev/null || need_apt+=(dnsutils)
command -v named >/dev/null || [ -x /usr/sbin/named ] || need_apt+=(bind9)
command -v nsupdate >/dev/null || need_apt+=(bind9-utils)
command -v lego >/dev/null || need_apt+=(lego)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing ${need_apt[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing tools: ${need_apt[*]} (run as root to install them; under CI=true their tests fail)" >&2
  fi
fi
if ! python3 -c 'import pytest, pytest_timeout, yaml, brotli, prometheus_client, schemathesis' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] || [ -n "${VIRTUAL_ENV:-}" ]; then
    python3 -m pip install -q -r tests/integration/requirements.txt \
      || python3 -m pip install -q --break-system-packages -r tests/integration/requirements.txt
  else
    echo "missing Python packages: pip install -r tests/integration/requirements.txt" >&2
  fi
fi
