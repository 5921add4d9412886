#!/usr/bin/env bash
# test.sh — installs what is missing (system packages; DuckDB and Spark for the SQL tests), then builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
bash scripts/engines.sh duckdb spark
swift build --build-tests
# A hang fails the run after 20 minutes instead of holding CI to its limit.
timeout -k 10 1200 swift test --skip-build
