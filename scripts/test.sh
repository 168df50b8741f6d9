#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, runs the Swift unit tests, then the
# end-to-end tests against the real binary with real clients (curl, openssl, h2load).
# Usage: scripts/test.sh            (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v openssl >/dev/null || need_apt+=(openssl)
command -v h2load >/dev/null || need_apt+=(nghttp2-client)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing ${need_apt[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing tools: ${need_apt[*]} (run as root to install them)" >&2
  fi
fi
python3 -c 'import pytest' 2>/dev/null || python3 -m pip install -q pytest
if [ -f tests/integration/requirements.txt ]; then
  python3 -m pip install -q -r tests/integration/requirements.txt
fi

echo "== swift build"
swift build
echo "== swift test (unit)"
swift test

echo "== end-to-end (pytest)"
GATEHOUSE_BIN="$(swift build --show-bin-path)/gatehouse" python3 -m pytest -q tests/integration
