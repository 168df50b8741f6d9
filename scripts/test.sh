#!/usr/bin/env bash
# The whole test suite: builds, runs the Swift unit tests, then the end-to-end tests against the
# real binary with real clients (curl, openssl, h2load); tests/integration/run.sh installs the
# tools and Python packages those need (as root), and under CI=true a missing one is a failure.
# Usage: scripts/test.sh            (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

# Real peers the Swift tests use: pebble + pebble-challtestsrv (ACME), dig (DNS), lego (an ACME
# client driving pebble through Gatehouse's DNS server), openssl. Installed when missing and root.
need_apt=()
command -v pebble >/dev/null || need_apt+=(pebble)
command -v dig >/dev/null || need_apt+=(dnsutils)
command -v lego >/dev/null || need_apt+=(lego)
command -v openssl >/dev/null || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing ${need_apt[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing tools: ${need_apt[*]} (run as root to install them; under CI=true their tests fail)" >&2
  fi
fi

echo "== swift build"
swift build
echo "== swift test (unit)"
swift test

echo "== end-to-end (pytest)"
GATEHOUSE_BIN="$(swift build --show-bin-path)/gatehouse" exec tests/integration/run.sh
