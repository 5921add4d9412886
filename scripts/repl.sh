#!/usr/bin/env bash
# repl.sh — builds fql and starts it on the bundled dataset (Datasets/).
# Arguments are passed to fql: `bash scripts/repl.sh -e 'final | sum'`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --product fql >&2
exec .build/debug/fql --data Datasets "$@"
