#!/usr/bin/env bash
# setup.sh — installs what FiscalQL needs on a fresh Debian machine (libedit-dev), once.
# Sourced by scripts/repl.sh and scripts/test.sh.
set -euo pipefail
if ! pkg-config --exists libedit 2>/dev/null || [ ! -f /usr/include/histedit.h ]; then
    echo "setup: installing libedit-dev" >&2
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libedit-dev pkg-config >&2
fi
if ! command -v tmux >/dev/null 2>&1; then
    echo "setup: installing tmux (the REPL tests drive fql in a terminal)" >&2
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tmux >&2
fi
