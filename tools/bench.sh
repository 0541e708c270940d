#!/bin/sh
# Run every benchmark program (build/bench/bench_*; `make bench` builds
# them first) and print their figures.  BENCH_DIR overrides the directory.
cd "$(dirname "$0")/.." || exit 2
dir=${BENCH_DIR:-build/bench}
rc=0 n=0
for b in "$dir"/bench_*; do
	[ -x "$b" ] || continue
	n=$((n + 1))
	"$b" || { echo "bench: $(basename "$b") failed"; rc=1; }
done
[ $n -gt 0 ] || { echo "bench: no programs in $dir (run make bench)"; exit 1; }
exit $rc
