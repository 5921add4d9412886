#!/usr/bin/env bash
# bench.sh — FQL against DuckDB and SQLite on SYNTHETIC statements (issue 12): builds fql-bench in
# release mode and runs scripts/bench.py, which generates the statements with ../shared/bench/gen.py
# into $BENCH_DIR (default /tmp/fql-bench, never Datasets/), runs the seven questions in each engine,
# checks that they agree and prints the table. Arguments go to bench.py:
#     bash scripts/bench.sh --rows 10000000 --reps 5
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product fql-bench >&2
exec python3 scripts/bench.py "$@"
