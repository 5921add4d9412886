#!/usr/bin/env bash
# engines.sh — installs what `fql --engine duckdb` and `fql --engine spark` need, once: the engines' Python
# packages (duckdb; pyspark for spark) in a virtual environment beside the build (.build/engines/venv, which
# fql finds; $FQL_PYTHON overrides it), python3-venv where Debian lacks it, and for Spark a Java runtime
# where there is none. `bash scripts/engines.sh` installs DuckDB; `bash scripts/engines.sh duckdb spark`
# both (scripts/test.sh, for the SQL differential tests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(duckdb)
venv=.build/engines/venv
for engine in "${engines[@]}"; do
    case "$engine" in
        duckdb) module=duckdb ;;
        spark) module=pyspark ;;
        *) echo "engines: unknown engine $engine (duckdb or spark)" >&2; exit 2 ;;
    esac
    if [ "$engine" = spark ] && ! command -v java >/dev/null 2>&1; then
        install_packages openjdk-17-jre-headless "Spark runs on Java"
    fi
    if [ -x "$venv/bin/python3" ] && "$venv/bin/python3" -c "import $module" 2>/dev/null; then continue; fi
    if [ ! -x "$venv/bin/python3" ]; then
        if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
            install_packages python3-venv "a virtual environment for the engines' Python packages"
        fi
        # A broken environment this script made (it has pyvenv.cfg) is made again; anything else is left alone.
        if [ -e "$venv" ]; then
            [ -f "$venv/pyvenv.cfg" ] || { echo "engines: $venv is not a Python environment; move it away" >&2; exit 1; }
            rm -rf "$venv"
        fi
        python3 -m venv "$venv"
    fi
    echo "engines: installing $module into $venv (first use)" >&2
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "$module"
done
