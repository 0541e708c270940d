#!/bin/bash
# Run every test and print one closing line "N passed, N failed, N skipped".
#   unit:     each $ODF_BUILD/tests/test_* (cmocka; each test case counts)
#   e2e:      each tests/e2e/*.sh (TAP-style "ok - ..." / "not ok - ..." lines,
#             "# SKIP name: why" for a skip; run with ODF_BIN pointing at
#             the build's binaries).  A script that exits non-zero or
#             writes anything to stderr counts as one more failure.
#   valgrind: each unit binary of $ODF_VALGRIND_BUILD under valgrind (one
#             count per binary)
# Env: ODF_BUILD (default build), ODF_VALGRIND_BUILD (empty = skip),
#      ODF_ONLY_VALGRIND=1, ODF_TEST_FILTER=substring, ODF_JOBS=N (tests
#      run at once; default: the number of cores), ODF_TIMES=FILE (the
#      per-test record below; default build/test-times.txt),
#      ODF_PLAIN_BUILD=DIR (a second build, e.g. the plain one beside the
#      sanitizer one) with ODF_PLAIN_TESTS="name ..." (unit binaries or
#      e2e scripts that run in it too, reported as name@plain) and
#      ODF_PLAIN_ONLY="name ..." (that run in it instead of ODF_BUILD),
#      ODF_VALGRIND_SKIP="name ..." (unit binaries not run under
#      valgrind).  A name in these lists that names no test fails the run.
# Each test's wall and CPU seconds (its processes' user+system time, from
# bash's `times` in the job's subshell) go to ODF_TIMES, one line each:
# "cpu wall kind name", the costliest first; the 10 costliest are printed
# as "# time" lines before the closing line.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${ODF_BUILD:-build}
VB=${ODF_VALGRIND_BUILD:-}
FILTER=${ODF_TEST_FILTER:-}
pass=0 fail=0 skip=0
failed_names=()
skipped=()
logdir=$(mktemp -d /tmp/odf-tests.XXXXXX)
# Emulated drives rewrite their state file after every change: on tmpfs
# that costs nothing, on ext4 each rename-over flushes data.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR=/dev/shm
fi

count_cmocka() { # $1 = log, $2 = name
	local p f
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$1" | tail -n 1)
	p=${p:-0} f=${f:-0} s=${s:-0}
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	[ "$f" -gt 0 ] && failed_names+=("$2")
	return 0
}

# Phase 1 runs every test as a background job, ODF_JOBS at a time
# (default: the number of cores), each into its own log, stderr and exit
# files; phase 2 reads them in a fixed order, so the output and the counts
# do not depend on which job finished first.
JOBS=${ODF_JOBS:-$(nproc 2>/dev/null || echo 1)}
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || JOBS=1
PB=${ODF_PLAIN_BUILD:-}
PLAIN_TESTS=${ODF_PLAIN_TESTS:-} PLAIN_ONLY=${ODF_PLAIN_ONLY:-}
VG_SKIP=${ODF_VALGRIND_SKIP:-}
[ -z "$PB" ] && PLAIN_TESTS="" PLAIN_ONLY=""
listed() { [[ " $2 " == *" $1 "* ]]; }	# name, list
units=() e2es=() vgs=()
if [ "${ODF_ONLY_VALGRIND:-0}" != 1 ]; then
	for t in "$B"/tests/test_* ${PB:+"$PB"/tests/test_*}; do
		[ -x "$t" ] || continue
		n=$(basename "$t")
		[ -n "$FILTER" ] && [[ "$n" != *"$FILTER"* ]] && continue
		if [ -n "$PB" ] && [ "$t" = "$PB/tests/$n" ]; then
			listed "$n" "$PLAIN_TESTS $PLAIN_ONLY" && units+=("$n@plain")
		else
			listed "$n" "$PLAIN_ONLY" || units+=("$n")
		fi
	done
	for s in tests/e2e/*.sh; do
		[ -f "$s" ] || continue
		n=$(basename "$s" .sh)
		[ -n "$FILTER" ] && [[ "$n" != *"$FILTER"* ]] && continue
		listed "$n" "$PLAIN_ONLY" || e2es+=("$n")
		listed "$n" "$PLAIN_TESTS $PLAIN_ONLY" && e2es+=("$n@plain")
	done
fi
if [ -n "$VB" ] && command -v valgrind >/dev/null; then
	for t in "$VB"/tests/test_*; do
		[ -x "$t" ] || continue
		n=$(basename "$t")
		[ -n "$FILTER" ] && [[ "$n" != *"$FILTER"* ]] && continue
		listed "$n" "$VG_SKIP" && continue
		vgs+=("$n")
	done
fi
# a listed name must name a test: a typo would drop it from every build
unknown=()
for n in $PLAIN_TESTS $PLAIN_ONLY $VG_SKIP; do
	[ -x "${PB:-$B}/tests/$n" ] || [ -x "${VB:-$B}/tests/$n" ] ||
		[ -f "tests/e2e/$n.sh" ] || unknown+=("$n")
done

launch() { # $1 = log name, rest = the command; stdin is never a terminal
	local n=$1
	shift
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
	( t0=$EPOCHREALTIME
	  "$@" >"$logdir/$n.log" 2>"$logdir/$n.err" </dev/null
	  echo $? >"$logdir/$n.rc"
	  t1=$EPOCHREALTIME
	  # the second line of `times`: this job's children, user and system
	  # (a builtin in this shell: in a pipeline it would be a new one)
	  times >"$logdir/$n.times"
	  sed -n '2s/m/ /g; 2s/s//g; 2p' "$logdir/$n.times" |
		  awk -v w0="$t0" -v w1="$t1" -v n="$n" \
		      '{ printf "%.1f %.1f %s\n", $1 * 60 + $2 + $3 * 60 + $4,
		         w1 - w0, n }' >"$logdir/$n.time" ) &
}
# NAME@plain runs in the plain build
unit_cmd() {
	local n=${1%@plain} b=$B
	[ "$n" != "$1" ] && b=$PB
	ODF_BIN="$b" "$b/tests/$n" 2>&1
}
e2e_cmd() {
	local n=${1%@plain} b=$B
	[ "$n" != "$1" ] && b=$PB
	ODF_BIN="$b" bash "tests/e2e/$n.sh"
}
vg_cmd() {
	ODF_BIN="$VB" valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$VB/tests/$1" 2>&1
}
# the longest first: the rig and the rescue boot test boot guests, the
# plain build's sweeps, valgrind runs every binary
guests() { [ "$1" = rig ] || [ "$1" = rescue ]; }
for n in "${e2es[@]}"; do guests "$n" && launch "e2e-$n" e2e_cmd "$n"; done
for n in "${e2es[@]}"; do [[ $n = *@plain ]] && launch "e2e-$n" e2e_cmd "$n"; done
for n in "${units[@]}"; do [[ $n = *@plain ]] && launch "unit-$n" unit_cmd "$n"; done
for n in "${vgs[@]}"; do launch "vg-$n" vg_cmd "$n"; done
for n in "${e2es[@]}"; do ! guests "$n" && [[ $n != *@plain ]] && launch "e2e-$n" e2e_cmd "$n"; done
for n in "${units[@]}"; do [[ $n != *@plain ]] && launch "unit-$n" unit_cmd "$n"; done
wait

for n in "${units[@]}"; do
	echo "== unit $n"
	rc=$(cat "$logdir/unit-$n.rc" 2>/dev/null || echo 99)
	cat "$logdir/unit-$n.log"
	count_cmocka "$logdir/unit-$n.log" "$n"
	if [ "$rc" -ne 0 ] && ! grep -q '^\[  FAILED  \]' "$logdir/unit-$n.log"; then
		fail=$((fail + 1)); failed_names+=("$n (exit $rc)")
	fi
done
for n in "${e2es[@]}"; do
	echo "== e2e $n"
	rc=$(cat "$logdir/e2e-$n.rc" 2>/dev/null || echo 99)
	cat "$logdir/e2e-$n.log"
	# "# SKIP name: why" lines count as skips and are repeated at the end
	while IFS= read -r l; do skipped+=("$l"); done \
		< <(sed -n 's/^# SKIP //p' "$logdir/e2e-$n.log")
	p=$(grep -c '^ok ' "$logdir/e2e-$n.log")
	f=$(grep -c '^not ok ' "$logdir/e2e-$n.log")
	s=$(grep -c '^# SKIP ' "$logdir/e2e-$n.log")
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	[ "$f" -gt 0 ] && failed_names+=("$n")
	if [ "$rc" -ne 0 ]; then
		echo "not ok - $n: the script exited $rc"
		fail=$((fail + 1)); failed_names+=("$n (exit $rc)")
	fi
	if [ -s "$logdir/e2e-$n.err" ]; then
		echo "not ok - $n: the script wrote to stderr:"
		sed 's/^/#   /' "$logdir/e2e-$n.err" | head -n 40
		fail=$((fail + 1)); failed_names+=("$n (stderr)")
	fi
	if [ $((p + f + s)) -eq 0 ]; then
		echo "not ok - $n: the script reported no result"
		fail=$((fail + 1)); failed_names+=("$n (no result)")
	fi
done
for n in "${unknown[@]}"; do
	echo "not ok - ODF_PLAIN_TESTS/ODF_PLAIN_ONLY/ODF_VALGRIND_SKIP name $n: no such test"
	fail=$((fail + 1)); failed_names+=("unknown test name $n")
done
if [ -n "$VB" ] && ! command -v valgrind >/dev/null; then
	echo "valgrind not installed: run 'make deps'"; fail=$((fail + 1))
fi
for n in "${vgs[@]}"; do
	echo "== valgrind $n"
	if [ "$(cat "$logdir/vg-$n.rc" 2>/dev/null)" = 0 ]; then
		pass=$((pass + 1))
	else
		cat "$logdir/vg-$n.log"
		fail=$((fail + 1)); failed_names+=("valgrind $n")
	fi
done

# the per-test record: "cpu wall kind name", costliest first
TIMES=${ODF_TIMES:-build/test-times.txt}
mkdir -p "$(dirname "$TIMES")"
cat "$logdir"/*.time 2>/dev/null |
	sed 's/ \(unit\|e2e\|vg\)-/ \1 /' | sort -k1,1 -g -r >"$TIMES"
rm -rf "$logdir"
if [ ${#skipped[@]} -gt 0 ]; then
	echo "SKIPPED:"; printf '  %s\n' "${skipped[@]}"
fi
if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed:"; printf '  %s\n' "${failed_names[@]}"
fi
awk '{ c += $1 } END { printf "# time: %d tests, %.0f s of CPU in all (%s)\n",
	NR, c, FILENAME }' "$TIMES"
head -n 10 "$TIMES" | awk '{ printf "# time %7.1f s CPU %7.1f s wall  %s %s\n",
	$1, $2, $3, $4 }'
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
