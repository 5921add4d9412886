#!/usr/bin/env bash
# repl.sh — builds fql in release mode (users meet the real speed) and starts it on the bundled
# dataset (Datasets/). Arguments are passed to fql: `bash scripts/repl.sh -e 'final | sum'`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product fql >&2
exec .build/release/fql --data Datasets "$@"
