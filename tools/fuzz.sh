#!/bin/bash
# Fuzz the firmware-image parsers (tests/fuzz/fuzz_*.c) with libFuzzer.
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_RUNS     if set, a fixed number of runs instead (smoke tests)
#   FUZZ_OUT      build/output directory (default build/fuzz)
#   CC            clang (libFuzzer needs it)
# Without libFuzzer, each target is built with tests/fuzz/standalone.c and
# run over the seed corpus only.  Prints "ok - ..." / "not ok - ..." lines;
# exits non-zero if a target crashed.  Crash inputs stay in $FUZZ_OUT.
set -u
cd "$(dirname "$0")/.." || exit 2
SECS=${FUZZ_SECONDS:-60}
RUNS=${FUZZ_RUNS:-}
OUT=${FUZZ_OUT:-build/fuzz}
CLANG=${FUZZ_CC:-clang}
mkdir -p "$OUT"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Ilib -fno-omit-frame-pointer"
SRC="lib/image/*.c lib/util/error.c"
fail=0

# seed corpus: built images of every family + committed small files
"$CLANG" $CFLAGS -o "$OUT/mkcorpus" tests/fuzz/mkcorpus.c $SRC -lnettle || {
	echo "not ok - build fuzz corpus generator"; exit 1; }

libfuzzer=1
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);
int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)
{ (void)d; (void)n; return 0; }' > "$OUT/probe.c"
"$CLANG" -fsanitize=fuzzer -o "$OUT/probe" "$OUT/probe.c" 2>/dev/null || libfuzzer=0

for f in tests/fuzz/fuzz_*.c; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .c)
	parser=${n#fuzz_}
	corpus="$OUT/corpus/$parser"
	mkdir -p "$corpus"
	"$OUT/mkcorpus" "$corpus" || { echo "not ok - $n corpus"; fail=1; continue; }
	[ -d "tests/fuzz/corpus/$parser" ] && cp tests/fuzz/corpus/"$parser"/* "$corpus"/
	if [ $libfuzzer = 1 ]; then
		if ! "$CLANG" $CFLAGS -fsanitize=fuzzer,address,undefined \
			-fno-sanitize-recover=all -o "$OUT/$n" "$f" $SRC -lnettle; then
			echo "not ok - $n builds"; fail=1; continue
		fi
		if [ -n "$RUNS" ]; then
			lim="-runs=$RUNS"
		else
			lim="-max_total_time=$SECS"
		fi
		if (cd "$OUT" && "./$n" $lim -max_len=2200000 -rss_limit_mb=4096 \
			-print_final_stats=0 "corpus/$parser" >"$n.log" 2>&1); then
			echo "ok - $n: libFuzzer ($lim) found nothing"
		else
			tail -n 40 "$OUT/$n.log"
			echo "not ok - $n: libFuzzer found a crash (see $OUT/$n.log, crash-* files)"
			fail=1
		fi
	else
		if ! "$CLANG" $CFLAGS -fsanitize=address,undefined \
			-fno-sanitize-recover=all -o "$OUT/$n" "$f" \
			tests/fuzz/standalone.c $SRC -lnettle; then
			echo "not ok - $n builds (standalone)"; fail=1; continue
		fi
		if "$OUT/$n" "$corpus"/* >"$OUT/$n.log" 2>&1; then
			echo "ok - $n: libFuzzer unavailable, corpus replayed under ASan/UBSan"
		else
			tail -n 40 "$OUT/$n.log"
			echo "not ok - $n: corpus replay crashed"; fail=1
		fi
	fi
done
exit $fail
