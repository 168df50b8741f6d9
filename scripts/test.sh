#!/usr/bin/env bash
# The whole test suite: builds, runs the Swift unit tests, then the end-to-end tests against the
# real binary with real clients (curl, openssl, h2load) and the real ACME CA pebble;
# scripts/install-test-tools.sh installs what they need (as root), and under CI=true a missing
# one is a failure.
# Usage: scripts/test.sh            (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

# Real peers the tests use (pebble, dig, lego, openssl, curl, h2load, pytest): installed when
# missing and root; the Swift tests already need some of them.
scripts/install-test-tools.sh

echo "== swift build"
swift build
echo "== swift test (unit)"
# One test at a time: on a 2-core machine the parallel run saturates the cooperative pool (RSA
# keys, provider fakes, BIND, pebble) and starves the tests that measure timeouts.
swift test --no-parallel

echo "== end-to-end (pytest)"
GATEHOUSE_BIN="$(swift build --show-bin-path)/gatehouse" exec tests/integration/run.sh
