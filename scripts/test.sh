#!/usr/bin/env bash
# test.sh — installs what is missing, then builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests
swift test --skip-build
