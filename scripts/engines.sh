#!/usr/bin/env bash
# engines.sh — installs what `fql --engine duckdb` needs, once: DuckDB's Python package in a virtual
# environment beside the build (.build/engines/venv, which fql finds; $FQL_PYTHON overrides it), and
# python3-venv where Debian lacks it. Run by scripts/test.sh (the SQL differential tests) and by hand
# before the first `fql --engine duckdb`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
venv=.build/engines/venv
if [ -x "$venv/bin/python3" ] && "$venv/bin/python3" -c 'import duckdb' 2>/dev/null; then exit 0; fi
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    install_packages python3-venv "a virtual environment for DuckDB's Python package"
fi
echo "engines: installing duckdb into $venv (first use)" >&2
# A broken environment this script made (it has pyvenv.cfg) is made again; anything else is left alone.
if [ -e "$venv" ]; then
    [ -f "$venv/pyvenv.cfg" ] || { echo "engines: $venv is not a Python environment; move it away" >&2; exit 1; }
    rm -rf "$venv"
fi
python3 -m venv "$venv"
"$venv/bin/python3" -m pip install --quiet --disable-pip-version-check duckdb
