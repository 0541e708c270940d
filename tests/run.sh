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
#      ODF_ONLY_VALGRIND=1, ODF_TEST_FILTER=substring.
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

if [ "${ODF_ONLY_VALGRIND:-0}" != 1 ]; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		n=$(basename "$t")
		[ -n "$FILTER" ] && [[ "$n" != *"$FILTER"* ]] && continue
		echo "== unit $n"
		ODF_BIN="$B" "$t" >"$logdir/$n.log" 2>&1
		rc=$?
		cat "$logdir/$n.log"
		count_cmocka "$logdir/$n.log" "$n"
		if [ $rc -ne 0 ] && ! grep -q '^\[  FAILED  \]' "$logdir/$n.log"; then
			fail=$((fail + 1)); failed_names+=("$n (exit $rc)")
		fi
	done
	for s in tests/e2e/*.sh; do
		[ -f "$s" ] || continue
		n=$(basename "$s" .sh)
		[ -n "$FILTER" ] && [[ "$n" != *"$FILTER"* ]] && continue
		echo "== e2e $n"
		ODF_BIN="$B" bash "$s" >"$logdir/$n.log" 2>"$logdir/$n.err" </dev/null
		rc=$?
		cat "$logdir/$n.log"
		# "# SKIP name: why" lines count as skips and are repeated at the end
		while IFS= read -r l; do skipped+=("$l"); done \
			< <(sed -n 's/^# SKIP //p' "$logdir/$n.log")
		p=$(grep -c '^ok ' "$logdir/$n.log")
		f=$(grep -c '^not ok ' "$logdir/$n.log")
		s=$(grep -c '^# SKIP ' "$logdir/$n.log")
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
		[ "$f" -gt 0 ] && failed_names+=("$n")
		if [ $rc -ne 0 ]; then
			echo "not ok - $n: the script exited $rc"
			fail=$((fail + 1)); failed_names+=("$n (exit $rc)")
		fi
		if [ -s "$logdir/$n.err" ]; then
			echo "not ok - $n: the script wrote to stderr:"
			sed 's/^/#   /' "$logdir/$n.err" | head -n 40
			fail=$((fail + 1)); failed_names+=("$n (stderr)")
		fi
		if [ $((p + f + s)) -eq 0 ]; then
			echo "not ok - $n: the script reported no result"
			fail=$((fail + 1)); failed_names+=("$n (no result)")
		fi
	done
fi

if [ -n "$VB" ]; then
	if command -v valgrind >/dev/null; then
		for t in "$VB"/tests/test_*; do
			[ -x "$t" ] || continue
			n=$(basename "$t")
			[ -n "$FILTER" ] && [[ "$n" != *"$FILTER"* ]] && continue
			echo "== valgrind $n"
			if ODF_BIN="$VB" valgrind -q --error-exitcode=99 \
				--leak-check=full --errors-for-leak-kinds=definite \
				"$t" >"$logdir/vg-$n.log" 2>&1; then
				pass=$((pass + 1))
			else
				cat "$logdir/vg-$n.log"
				fail=$((fail + 1)); failed_names+=("valgrind $n")
			fi
		done
	else
		echo "valgrind not installed: run 'make deps'"; fail=$((fail + 1))
	fi
fi

rm -rf "$logdir"
if [ ${#skipped[@]} -gt 0 ]; then
	echo "SKIPPED:"; printf '  %s\n' "${skipped[@]}"
fi
if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed:"; printf '  %s\n' "${failed_names[@]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
