#!/usr/bin/env bash
# install.sh — installs fql under a prefix, so that it runs from any folder on its bundled dataset:
#     bash scripts/install.sh [--prefix DIR] [--force]        (default prefix: ~/.local)
# puts the release build at PREFIX/bin/fql, the bundled dataset (Datasets/) at PREFIX/share/fql/Datasets (where
# fql looks beside its own place when neither --data, $FQL_DATA nor ./Datasets says otherwise) and shell
# completion scripts at PREFIX/share/fql/completions.
# It replaces only what an earlier install made (marked by PREFIX/share/fql/.installed-by-fql): a fql or a
# share/fql it did not make is left untouched and the install stops, unless --force says to replace them.
# FQL_BINARY=PATH installs that binary instead of building one (the tests use it).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="$HOME/.local"
force=0
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --force) force=1; shift ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument $1 (--prefix DIR, --force)" >&2; exit 2 ;;
    esac
done

share="$prefix/share/fql"
marker="$share/.installed-by-fql"
if [ "$force" = 0 ]; then
    if [ -e "$share" ] && [ ! -f "$marker" ]; then
        echo "install.sh: $share exists and was not made by this script; left untouched (--force replaces it)" >&2
        exit 1
    fi
    if [ -e "$prefix/bin/fql" ] && [ ! -f "$marker" ]; then
        echo "install.sh: $prefix/bin/fql exists and was not installed by this script; left untouched (--force replaces it)" >&2
        exit 1
    fi
fi

binary="${FQL_BINARY:-}"
if [ -z "$binary" ]; then
    source scripts/setup.sh
    swift build -c release --product fql >&2
    binary=.build/release/fql
fi

# Everything is put beside its place first, then moved in: an interrupted install leaves the old one whole.
mkdir -p "$prefix/bin" "$prefix/share"
staging="$(mktemp -d "$prefix/share/.fql-install.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/fql"
cp -R Datasets "$staging/fql/Datasets"
touch "$staging/fql/.installed-by-fql"
# Shell completion scripts (swift-argument-parser's), in fql's own share folder: nothing is written elsewhere.
mkdir -p "$staging/fql/completions"
"$binary" --generate-completion-script bash > "$staging/fql/completions/fql.bash"
"$binary" --generate-completion-script zsh > "$staging/fql/completions/_fql"
"$binary" --generate-completion-script fish > "$staging/fql/completions/fql.fish"
cp "$binary" "$staging/fql-binary"
chmod 755 "$staging/fql-binary"
if [ -e "$share" ]; then rm -rf "$share"; fi
mv "$staging/fql" "$share"
mv -f "$staging/fql-binary" "$prefix/bin/fql"
echo "installed $prefix/bin/fql and its dataset at $share/Datasets"
echo "completions: source $share/completions/fql.bash in ~/.bashrc (zsh: _fql, fish: fql.fish, same folder)"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "add $prefix/bin to PATH to run fql by name" ;;
esac
