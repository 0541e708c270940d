#!/bin/bash
# docs/supported-drives.md must equal what tools/gen-drives prints from
# the driver registry (regenerate with `make docs`).
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
here=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x "$B/gen-drives" ]; then
	echo "not ok - supported-drives: $B/gen-drives missing"
	exit 0
fi
if diff -u "$here/docs/supported-drives.md" <("$B/gen-drives") >/dev/null; then
	echo "ok - docs/supported-drives.md equals the generated table"
else
	echo "not ok - docs/supported-drives.md is stale: run make docs"
fi
n=$("$B/gen-drives" | grep '^| [a-z0-9-]* |' | grep -vc '^| driver ') || true
[ "$n" -ge 6 ] && echo "ok - the table lists $n drivers" || echo "not ok - the table lists $n drivers"
