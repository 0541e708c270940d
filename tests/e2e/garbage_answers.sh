#!/bin/bash
# A lying drive (issue #18): `odemu fault --garbage-answers SEED` answers
# every data-in command with random lengths, bytes, sense and status.
# The seeds FIRST .. FIRST+N-1 are split in lanes (2 per job: an
# nec-nd3500 and a spc-generic drive); a lane sets the fault once to its
# first seed and the drive's seed moves on by one each time odflash
# closes it, so each run meets the next seed (asserted from the command
# log's "garbage S/k" notes and `odemu show` at the end).  The seed picks
# the command: scan, info, dump, flash --dry-run --yes or flash --yes,
# text or --json.  Each run must:
#   - end with a documented exit code (scan 0; info 0, 2, 3 or 5; dump and
#     both flashes 2, 3 or 5: nothing identified, nothing written) and,
#     when not 0, an error (text: an "odflash: " line; JSON: a code);
#     with --json, stdout is one JSON document;
#   - not crash (no signal, no sanitizer report: the SAN=1 build aborts on
#     UBSan, ASan exits 86 here), not hang (each run is killed after
#     GARBAGE_TIMEOUT s, default 60: a kill is a failure);
#   - send no write or commit: the drive's command log holds no data-out
#     command and no no-data command but TEST UNIT READY (00h), START
#     STOP UNIT (1Bh) and PREVENT ALLOW MEDIUM REMOVAL (1Eh).
# After all seeds: every drive's flash has the sha256 it had, and no file
# was written outside the state dir but the drives' own and dump.bin.
# `odflash identify` reads files only: a lying drive cannot reach it.
# Env: GARBAGE_SEEDS (default 150; `make check-garbage-full` runs 10000),
#      GARBAGE_FIRST (first seed, default 1), GARBAGE_JOBS (seeds run at
#      once, default 1).
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
EMU=$B/odemu
ODF=$B/odflash
NSEEDS=${GARBAGE_SEEDS:-150}
FIRST=${GARBAGE_FIRST:-1}
JOBS=${GARBAGE_JOBS:-1}
TMO=${GARBAGE_TIMEOUT:-60}
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-garbage.XXXXXX)
trap 'rm -rf "$T"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
unset ODFLASH_STATE_DIR SUDO_USER ODFLASH_EMU
cd "$T" || exit 2

# two families: NEC (vendor opcodes) and the SPC-4 WRITE BUFFER drive
MODELS=(nec-nd3500 spc-generic)
for m in "${MODELS[@]}"; do
	"$EMU" new "$m" "tmpl-$m" >/dev/null 2>&1
	"$EMU" mkimage "$m" -o "fw-$m.bin" >/dev/null 2>&1
	# the flash as made, from a copy (fsha does not touch the template)
	cp "tmpl-$m" "sha-$m"
	echo "$(fsha "sha-$m")" >"tmpl-$m.sha"
	rm -f "sha-$m" "sha-$m".*
done

# One run on lane drive $3 (model) in directory $2 with seed $1 (the
# drive's seed now: it advances by one when odflash closes the drive);
# the seed picks the command and text or --json.  Prints "V seed ...:
# why" per violation and "R kind".
KINDS=(scan info dump dry-run flash)
one_seed() {
	local s=$1 dir=$2 m=$3 k=$(($1 % 5)) j= want f rc=0 bad= e
	cd "$dir" || return
	[ $((s / 10 % 2)) = 1 ] && j=--json
	case $k in
	0) want="0"; f="scan" ;;
	1) want="0 2 3 5"; f="info emu:$dir/$m" ;;
	2) want="2 3 5"; f="dump emu:$dir/$m -o dump.bin" ;;
	3) want="2 3 5"; f="flash emu:$dir/$m $T/fw-$m.bin --dry-run --yes" ;;
	4) want="2 3 5"; f="flash emu:$dir/$m $T/fw-$m.bin --yes" ;;
	esac
	: >"$m.log"	# this run's commands only
	HOME="$dir/home" XDG_STATE_HOME="$dir/xdg" ODFLASH_EMU="$dir/$m" \
		timeout -k 5 "$TMO" "$ODF" $j $f >out 2>err || rc=$?
	case " $want " in *" $rc "*) ;; *) bad="exit $rc, expected one of $want" ;; esac
	{ [ "$rc" = 124 ] || [ "$rc" = 137 ]; } && bad="hung: killed after ${TMO} s"
	e=$(<err)
	if [[ "$e" =~ (Sanitizer|runtime\ error:)[^$'\n']* ]]; then
		bad="${bad:+$bad; }sanitizer: ${BASH_REMATCH[0]}"
	fi
	if [ -n "$j" ] && [ -z "$bad" ]; then
		jq -e --argjson rc "$rc" 'if $rc == 0 then true
			elif (.error | type) == "object" then .error.code | strings
			else .code | strings end' out >/dev/null 2>&1 ||
			bad="exit $rc: stdout is not one JSON document with an error code: $(head -c 200 out)"
	elif [ -z "$bad" ] && [ "$rc" != 0 ] && [[ "$e" != odflash:* ]] &&
	     [[ "$e" != *$'\nodflash: '* ]]; then
		bad="exit $rc without an error line: ${e:0:200}"
	fi
	[ -z "$bad" ] || echo "V $s $m $j $f: $bad"
	# the seed the drive used, and no write or commit reached it
	awk -v s="$s" -v what="V $s $m $j $f" '
		/ \(garbage / { g++; if (index($0, " (garbage " s "/") == 0) wrong++ }
		/ dir=out / || (/ dir=none / && $2 !~ /^cdb=(00|1b|1e)$/) {
			if (w++ < 3) cmds = cmds $0 ";" }
		END {
			if (g && wrong) print what ": the drive did not answer with seed " s
			if (w) print what ": a write/commit command arrived: " cmds
		}' "$m.log"
	echo "R ${KINDS[$k]}"
}

# a lane: one drive in directory p$1 with seeds $2 .. $3
run_lane() { # lane first last
	local l=$1 dir=$T/p$1 m=${MODELS[$(($1 % ${#MODELS[@]}))]} s bad next
	mkdir "$dir" "$dir/home"
	cp "$T/tmpl-$m" "$dir/$m"
	"$EMU" fault "$dir/$m" --garbage-answers "$2" >/dev/null
	for s in $(seq "$2" "$3"); do one_seed "$s" "$dir" "$m"; done
	cd "$dir" || return
	# every run opened the drive once: the seed moved on by the runs
	next=$("$EMU" show "$m" --json | jkey garbage_answers)
	echo "S $(($3 - $2 + 1)) $((next - $2))"
	[ "$(fsha "$m")" = "$(cat "$T/tmpl-$m.sha")" ] ||
		echo "V lane $l $m: the flash changed"
	# nothing written outside the state dir but the drive's own files and
	# the dump asked for
	bad=$(find . -type f ! -path './xdg/odflash/*' ! -name 'dump.bin' \
		! -name 'dump.bin.json' ! -name out ! -name err \
		! -name "$m" ! -name "$m.log" ! -name "$m.lock" | head -3 | tr '\n' ' ')
	[ -z "$bad" ] || echo "V lane $l: files outside the state dir: $bad"
	return 0
}

start=$(date +%s)
LANES=$((2 * JOBS))
for l in $(seq 0 $((LANES - 1))); do
	lo=$((FIRST + NSEEDS * l / LANES))
	hi=$((FIRST + NSEEDS * (l + 1) / LANES - 1))
	[ "$hi" -ge "$lo" ] || continue
	run_lane "$l" "$lo" "$hi" >"results.$l" &
	[ $(( (l + 1) % JOBS )) = 0 ] && wait
done
wait
cat results.* >results
wall=$(($(date +%s) - start))
nseeds=$(awk '/^S / { n += $3 } END { print n + 0 }' results)
nruns=$(grep -c '^R ' results || true)
nviol=$(grep -c '^V ' results || true)
{ grep '^V ' results || true; } | head -20 | sed 's/^V /# violation: seed /'
count_is "odflash runs against the lying drive" "$NSEEDS" "$nruns"
count_is "seeds the drives moved through (seeds $FIRST to $((FIRST + NSEEDS - 1)), one a run)" "$NSEEDS" "$nseeds"
exp=(0 0 0 0 0)
for s in $(seq "$FIRST" $((FIRST + NSEEDS - 1))); do
	exp[$((s % 5))]=$((exp[s % 5] + 1))
done
for k in 0 1 2 3 4; do
	count_is "... of them ${KINDS[$k]}" "${exp[$k]}" \
		"$(grep -c "^R ${KINDS[$k]}\$" results || true)"
done
check "violations (crash, hang, undocumented exit, no error line, a write/commit sent, flash changed, a file outside the state dir)" \
	0 "$nviol"
echo "# garbage answers: $nseeds seeds, $nruns runs, $nviol violations, ${wall} s wall ($JOBS at once)"
exit $((TAP_FAILS > 0))
