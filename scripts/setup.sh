#!/usr/bin/env bash
# setup.sh — installs what FiscalQL needs on a fresh Debian machine, once: libedit-dev (the REPL),
# poppler-utils (pdftotext, which fql import uses to read PDFs) and tmux (the REPL test).
# Sourced by scripts/repl.sh and scripts/test.sh.
set -euo pipefail

# install PACKAGE… REASON: apt-get install, as root or through sudo.
install_packages() {
    local reason="${*: -1}"
    local packages=("${@:1:$#-1}")
    echo "setup: installing ${packages[*]} ($reason)" >&2
    local sudo=""
    if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >&2
}

if ! pkg-config --exists libedit 2>/dev/null || [ ! -f /usr/include/histedit.h ]; then
    install_packages libedit-dev pkg-config "the REPL's line editing"
fi
if ! command -v pdftotext >/dev/null 2>&1; then
    install_packages poppler-utils "fql import reads PDFs with pdftotext"
fi
if ! command -v tmux >/dev/null 2>&1; then
    install_packages tmux "the REPL tests drive fql in a terminal"
fi
