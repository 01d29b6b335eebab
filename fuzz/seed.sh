#!/bin/sh
# Seed the fuzz corpora from the repository's specs, examples and tests.
# Run from the repository root: fuzz/seed.sh
set -e
mkdir -p fuzz/corpus/parse fuzz/corpus/check fuzz/corpus/eval fuzz/corpus/fmt
find specs tests examples -name '*.kh' | while read -r f; do
  cp "$f" "fuzz/corpus/parse/$(echo "$f" | tr / _)"
  cp "$f" "fuzz/corpus/fmt/$(echo "$f" | tr / _)"
done
find examples tests -name '*.json' ! -name '*expect*' | while read -r f; do
  cp "$f" "fuzz/corpus/eval/$(echo "$f" | tr / _)"
done
# check reads one token per byte: any bytes will do as a start.
head -c 256 /dev/urandom > fuzz/corpus/check/random
