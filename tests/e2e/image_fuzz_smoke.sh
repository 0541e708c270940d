#!/bin/bash
# Smoke run of the image-parser fuzzers (tools/fuzz.sh) for make check:
# a fixed number of libFuzzer runs per target (or a corpus replay without
# libFuzzer), built and run in a temporary directory.  Prints "ok - ..." lines.
set -u
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="$tmp/state"
if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
	echo "ok - image fuzz smoke skipped: clang not installed"
	exit 0
fi
FUZZ_OUT="$tmp/fuzz" FUZZ_RUNS=${FUZZ_RUNS:-300} tools/fuzz.sh
