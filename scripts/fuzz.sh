#!/usr/bin/env bash
# fuzz.sh TARGET SECONDS — fuzzes one way into FiscalQL with libFuzzer (swiftc -sanitize=fuzzer):
#   query     FQL text through lexer, parser, checker and evaluator, on the bundled dataset
#   document  bytes as a disclosure document through the importer
#   pdfwords  text as poppler's `pdftotext -tsv` words of a PDF, through the PDF reader and the importer
#   dataset   text as statements.tsv through the dataset reader
# The build goes to .build-fuzz/ (ignored by git; linked with lld: gold fails on libFuzzer's driver); the corpus grows in .build-fuzz/corpus/TARGET from the
# seeds in Fuzz/corpus/TARGET; a crash or hang is written to .build-fuzz/crashes/ — make it a case of
# Tests/fqlTests/Malformed/ (or a seed here) once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?"usage: scripts/fuzz.sh query|document|pdfwords|dataset SECONDS"}
seconds=${2:-60}
case "$target" in query|document|pdfwords|dataset) ;; *) echo "fuzz.sh: no target $target (query, document, pdfwords, dataset)" >&2; exit 2;; esac
source scripts/setup.sh
swift build -c release --product fql-fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -parse-as-library -Xswiftc -use-ld=lld >&2
mkdir -p ".build-fuzz/corpus/$target" .build-fuzz/crashes
# Swift's backtracer would catch a crash before libFuzzer can write the input that caused it.
SWIFT_BACKTRACE=enable=no FQL_FUZZ_TARGET="$target" exec .build-fuzz/release/fql-fuzz ".build-fuzz/corpus/$target" "Fuzz/corpus/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -artifact_prefix=.build-fuzz/crashes/
