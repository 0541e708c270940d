#!/bin/bash
# Fuzz the firmware-image parsers with libFuzzer.  tests/fuzz/fuzz_image.c
# is built once per target (-DODF_FUZZ_TARGET=...): "all" (every parser
# through detection, hints and inspection), "forms" (detection, Intel HEX,
# S-records, updater .exe scan) and one per family parser; any other
# tests/fuzz/fuzz_NAME.c is target NAME.
#   FUZZ_TARGETS  targets to run, in order (default: all of them)
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_RUNS     if set, a fixed number of runs instead (smoke tests)
#   FUZZ_OUT      build/output directory (default build/fuzz)
#   FUZZ_CC       clang (libFuzzer needs it)
#   FUZZ_NICE     if set, run the fuzzers under `nice -n $FUZZ_NICE`
# Without libFuzzer, each target is built with tests/fuzz/standalone.c and
# run over its seed corpus only.  Prints "ok - ..." / "not ok - ..." lines
# (with libFuzzer's executions, coverage and time); exits non-zero if a
# target crashed.  Crash inputs stay in $FUZZ_OUT/<target>/.
set -u
cd "$(dirname "$0")/.." || exit 2
SECS=${FUZZ_SECONDS:-60}
RUNS=${FUZZ_RUNS:-}
OUT=${FUZZ_OUT:-build/fuzz}
CLANG=${FUZZ_CC:-clang}
IMAGE_TARGETS="all forms nec pioneer plextor lg-renesas mtk-ff mtk-8051 spc"
# any other tests/fuzz/fuzz_NAME.c is a target NAME of its own
OTHER=""
for f in tests/fuzz/fuzz_*.c; do
	n=$(basename "$f" .c); n=${n#fuzz_}
	[ "$n" = image ] || OTHER="$OTHER $n"
done
TARGETS=${FUZZ_TARGETS:-$IMAGE_TARGETS$OTHER}
NICE=()
[ -n "${FUZZ_NICE:-}" ] && NICE=(nice -n "$FUZZ_NICE")
mkdir -p "$OUT"
CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Ilib -fno-omit-frame-pointer"
SRC="lib/image/*.c lib/util/error.c lib/util/bytes.c"
fail=0

# seed corpus generator: built images of every family (no sanitizers)
"$CLANG" $CFLAGS -o "$OUT/mkcorpus" tests/fuzz/mkcorpus.c $SRC -lnettle || {
	echo "not ok - build fuzz corpus generator"; exit 1; }

libfuzzer=1
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);
int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)
{ (void)d; (void)n; return 0; }' > "$OUT/probe.c"
"$CLANG" -fsanitize=fuzzer -o "$OUT/probe" "$OUT/probe.c" 2>/dev/null || libfuzzer=0

# the library, instrumented once for every target
if [ $libfuzzer = 1 ]; then
	SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
	LSAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
	MAIN=""
else
	SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
	LSAN=$SAN
	MAIN=tests/fuzz/standalone.c
fi
mkdir -p "$OUT/obj"
objs=()
for s in $SRC; do
	o="$OUT/obj/$(basename "$s" .c).o"
	"$CLANG" $CFLAGS $SAN -c -o "$o" "$s" || {
		echo "not ok - fuzz build of $s"; exit 1; }
	objs+=("$o")
done

for t in $TARGETS; do
	n=fuzz_$t
	dir="$OUT/$t"
	corpus="$dir/corpus"
	mkdir -p "$corpus"
	if [ ! -f "tests/fuzz/fuzz_$t.c" ]; then
		"$OUT/mkcorpus" "$corpus" "$t" || {
			echo "not ok - $n corpus"; fail=1; continue; }
	fi
	for c in "tests/fuzz/corpus/$t" "tests/fuzz/corpus/forms"; do
		[ -d "$c" ] || continue
		[ "$c" = tests/fuzz/corpus/forms ] && [ "$t" != all ] && continue
		cp "$c"/* "$corpus"/
	done
	if [ -f "tests/fuzz/fuzz_$t.c" ]; then
		src=("tests/fuzz/fuzz_$t.c")
	else
		src=(-DODF_FUZZ_TARGET="\"$t\"" tests/fuzz/fuzz_image.c)
	fi
	if ! "$CLANG" $CFLAGS $LSAN "${src[@]}" -o "$dir/$n" \
		$MAIN "${objs[@]}" -lnettle; then
		echo "not ok - $n builds"; fail=1; continue
	fi
	if [ $libfuzzer = 0 ]; then
		if "$dir/$n" "$corpus"/* >"$dir/$n.log" 2>&1; then
			echo "ok - $n: libFuzzer unavailable, corpus replayed under ASan/UBSan"
		else
			tail -n 40 "$dir/$n.log"
			echo "not ok - $n: corpus replay crashed"; fail=1
		fi
		continue
	fi
	if [ -n "$RUNS" ]; then
		lim="-runs=$RUNS"
	else
		lim="-max_total_time=$SECS"
	fi
	t0=$(date +%s)
	if (cd "$dir" && "${NICE[@]}" "./$n" $lim -max_len=2200000 \
		-rss_limit_mb=2048 -print_final_stats=1 corpus \
		>"$n.log" 2>&1); then
		res=ok
	else
		res=crash
	fi
	secs=$(( $(date +%s) - t0 ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$n.log")
	cov=$(grep -E '^#[0-9]+' "$dir/$n.log" | tail -n 1 |
		sed -n 's/.*\(cov: [0-9]*\).*\(ft: [0-9]*\).*\(corp: [0-9]*\).*/\1 \2 \3/p')
	stats="${execs:-?} executions in ${secs} s, ${cov:-no coverage line}"
	if [ $res = ok ]; then
		echo "ok - $n: libFuzzer ($lim) found nothing: $stats"
	else
		tail -n 40 "$dir/$n.log"
		echo "not ok - $n: libFuzzer found a crash after $stats (see $dir/$n.log, $dir/crash-*)"
		fail=1
	fi
done
exit $fail
