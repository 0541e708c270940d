#!/bin/bash
# Smoke run of the image-parser fuzzers (tools/fuzz.sh) for make check:
# a fixed number of libFuzzer runs per target (or a corpus replay without
# libFuzzer), built and run in a temporary directory.  Prints "ok - ..." lines.
. "$(dirname "$0")/lib/tap.sh"
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="$tmp/state"
if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
	skip "image fuzz smoke" "${FUZZ_CC:-clang} is not installed (make deps installs it)"
	exit 0
fi
FUZZ_OUT="$tmp/fuzz" FUZZ_RUNS=${FUZZ_RUNS:-300} tools/fuzz.sh
