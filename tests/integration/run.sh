#!/usr/bin/env bash
# End-to-end tests of the gatehouse binary against real clients and backends on loopback.
# Installs what is missing when run as root (scripts/install-test-tools.sh), then runs pytest
# from the repository root.
# GATEHOUSE_BIN overrides the binary (default .build/debug/gatehouse). Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/../.."

scripts/install-test-tools.sh
exec python3 -m pytest -q tests/integration "$@"
