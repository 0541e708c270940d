#!/bin/bash
# Smoke run of every libFuzzer target (tools/fuzz.sh --smoke) for make
# check: each target replays its seeds and regression inputs
# (tests/fuzz/corpus/<target>/, the built images) once, then runs
# FUZZ_SMOKE (1000) inputs of at most 4 KiB from nothing; built -O0 in a
# temporary directory.  One "ok" line per target, and the count of
# targets is checked against tools/fuzz.sh --list.  The long runs are
# `make fuzz` / tools/fuzz.sh --budget N (CONTRIBUTING.md).
. "$(dirname "$0")/lib/tap.sh"
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
	skip "fuzz smoke" "${FUZZ_CC:-clang} is not installed (make deps installs it)"
	exit 0
fi
runs=${FUZZ_SMOKE:-1000}
want=$(tools/fuzz.sh --list | wc -w)
run env FUZZ_OUT="$tmp/fuzz" FUZZ_OPT=-O0 tools/fuzz.sh --smoke "$runs" \
	>"$tmp/table" 2>"$tmp/err"
nolf=0
if grep -q 'libFuzzer: no' "$tmp/table"; then
	# without libFuzzer only the seeds are replayed: not a fuzz run
	nolf=1
	skip "fuzz smoke" "clang has no libFuzzer (-fsanitize=fuzzer): seeds replayed under ASan/UBSan only"
fi
n=0
while read -r t execs c l to cov secs; do
	case $t in '#'*|target|total|'') continue ;; esac
	n=$((n + 1))
	if [ "$c$l$to" != 000 ]; then
		nok "fuzz $t" "$execs inputs, $c crashes, $l leaks, $to timeouts"
	elif [ $nolf = 1 ]; then
		:	# seeds replayed clean; the SKIP above says what is missing
	elif [ "$execs" -lt "$runs" ]; then
		nok "fuzz $t" "only $execs inputs ran, expected at least $runs"
	else
		ok "fuzz $t: $execs inputs, no crash, leak or timeout (cov $cov, ${secs}s)"
	fi
done <"$tmp/table"
grep '^#   ' "$tmp/table" || true
[ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err"
check "fuzz smoke: exit code of tools/fuzz.sh --smoke" 0 "$RC"
count_is "fuzz smoke targets" "$want" "$n"
exit $((TAP_FAILS > 0))
