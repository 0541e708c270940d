#!/bin/bash
# Fuzz every parser of odflash with libFuzzer (clang, ASan + UBSan).
#
#   tools/fuzz.sh [--budget N | --seconds S] [--targets "T..."] [--list]
#
#   --budget N    N executions per target (libFuzzer -runs=N; the seed
#                 corpus replay counts in them)
#   --seconds S   S seconds per target (default 60 when no --budget);
#                 with --budget, whichever comes first ends the target
#   --targets     targets to run, in order (default: all; FUZZ_TARGETS)
#   --smoke N     for make check: every seed and regression input once,
#                 then N runs from an empty corpus with inputs of at most
#                 4096 bytes (execs = seeds + N)
#   --list        print the target names and exit
#   --seeds       rewrite the recorded seeds of the answer and driver
#                 targets in tests/fuzz/corpus (tests/fuzz/mkanswers.c:
#                 every odemu model's answers) and exit
#
# Targets (one binary per source; the environment's ODF_FUZZ_TARGET
# names the target it plays):
#   image parsers  tests/fuzz/fuzz_image.c: all, forms, one per family
#                  parser, ihex, srec, exe (updater .exe extraction)
#   answers        tests/fuzz/fuzz_answer.c: the SCSI answer parsers
#                  (INQUIRY, VPD, GET CONFIGURATION, MODE SENSE, sense
#                  data, READ BUFFER descriptor, media event, RPC state)
#   drivers        tests/fuzz/fuzz_driver.c: drv-<driver>, each driver's
#                  probe fed fuzzed answers through a fake transport, and
#                  drv-identify (INQUIRY + serial + every probe)
#   host files     tests/fuzz/fuzz_host.c: journal (journal.jsonl lines),
#                  sidecar (a backup's FILE.json read by recovery), mounts,
#                  power (power_supply), sysfs (scan and name resolution)
#   emu-state      tests/fuzz/fuzz_emustate.c: the odemu state file loader
# Any other tests/fuzz/fuzz_NAME.c is a target NAME of its own.
#
# Seeds: tests/fuzz/corpus/<target>/ (committed; crash regressions too),
# plus built images from tests/fuzz/mkcorpus.c for the image targets.
# Prints one row per target and a total:
#   target  execs  crashes  leaks  timeouts  cov  secs
# (cov: libFuzzer's last "cov:" figure; an out-of-memory counts as a
# crash).  Exits 1 on any finding or build failure, 2 on a usage error.
# Without libFuzzer every target is built with tests/fuzz/standalone.c and
# replays its seed corpus under ASan/UBSan only (execs = seeds, cov "-").
# Environment: FUZZ_OUT (build/output dir, default build/fuzz), FUZZ_CC
# (clang), FUZZ_OPT (optimisation, -O1), FUZZ_NICE (run under nice -n N),
# FUZZ_JOBS (parallel compiles, 2), FUZZ_MAXLEN (libFuzzer -max_len, default 1100000),
# FUZZ_IMAGE_MAXLEN (the image targets' -max_len in long runs, default
# 65536: their seeds are cut to heads and tails of that size, merged, and
# a line under the row gives the coverage of the full-size seeds alone and
# of the run's corpus with them added: what only full-size inputs reach is
# replayed, not fuzzed; 0 = the full-size seeds and FUZZ_MAXLEN as for the
# others), FUZZ_RUNS and
# FUZZ_SECONDS (as --budget and --seconds).
# A finding's input stays in $FUZZ_OUT/<target>/ (crash-*, leak-*,
# timeout-*, oom-*) with the log $FUZZ_OUT/<target>/fuzz_<target>.log;
# replay one with ODF_FUZZ_TARGET=<target> $FUZZ_OUT/bin/fuzz_<source>
# FILE.
set -u
cd "$(dirname "$0")/.." || exit 2
SECS=${FUZZ_SECONDS:-}
RUNS=${FUZZ_RUNS:-}
OUT=${FUZZ_OUT:-build/fuzz}
CLANG=${FUZZ_CC:-clang}
JOBS=${FUZZ_JOBS:-2}
MAXLEN=${FUZZ_MAXLEN:-1100000}
IMAXLEN=${FUZZ_IMAGE_MAXLEN:-65536}
IMAGE_TARGETS="all forms nec pioneer plextor lg-renesas mtk-ff mtk-8051 spc
	mt1959 btc sd616 ihex srec exe"
ANSWER_TARGETS="inquiry vpd config modesense sense bufdesc media rpc"
DRIVER_TARGETS="drv-identify drv-nec drv-ps3 drv-plextor drv-pioneer
	drv-mtk-ff drv-mtk-8051 drv-lg drv-spc drv-mt1959 drv-btc drv-sd616"
HOST_TARGETS="journal sidecar mounts power sysfs emu-state"
IMAGE_TARGETS=$(echo $IMAGE_TARGETS)
DRIVER_TARGETS=$(echo $DRIVER_TARGETS)
KNOWN="image answer driver host emustate"
OTHER=""
for f in tests/fuzz/fuzz_*.c; do
	n=$(basename "$f" .c); n=${n#fuzz_}
	case " $KNOWN " in *" $n "*) ;; *) OTHER="$OTHER $n" ;; esac
done
ALL_TARGETS=$(echo $IMAGE_TARGETS $ANSWER_TARGETS $DRIVER_TARGETS \
	$HOST_TARGETS $OTHER)
TARGETS=${FUZZ_TARGETS:-$ALL_TARGETS}
SEEDS=0
SMOKE=${FUZZ_SMOKE:-}

usage() {
	echo "usage: tools/fuzz.sh [--budget N | --seconds S] [--targets \"T...\"] [--list]" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--budget) [ $# -ge 2 ] || usage; RUNS=$2; shift 2 ;;
	--seconds) [ $# -ge 2 ] || usage; SECS=$2; shift 2 ;;
	--targets) [ $# -ge 2 ] || usage; TARGETS=$2; shift 2 ;;
	--list) echo $ALL_TARGETS; exit 0 ;;
	--seeds) SEEDS=1; shift ;;
	--smoke) [ $# -ge 2 ] || usage; SMOKE=$2; shift 2 ;;
	*) usage ;;
	esac
done
case ${RUNS:-1}${SECS:-1}${SMOKE:-1} in *[!0-9]*) usage ;; esac
[ -n "$RUNS$SECS" ] || SECS=60
for t in $TARGETS; do
	case " $ALL_TARGETS " in *" $t "*) ;; *)
		echo "tools/fuzz.sh: unknown target $t (--list names them)" >&2
		exit 2 ;;
	esac
done

src_of() {
	case " $IMAGE_TARGETS " in *" $1 "*) echo image; return ;; esac
	case " $ANSWER_TARGETS " in *" $1 "*) echo answer; return ;; esac
	case $1 in
	drv-*) echo driver ;;
	emu-state) echo emustate ;;
	journal|sidecar|mounts|power|sysfs) echo host ;;
	*) echo "$1" ;;
	esac
}

NICE=()
[ -n "${FUZZ_NICE:-}" ] && NICE=(nice -n "$FUZZ_NICE")
mkdir -p "$OUT/obj"
CFLAGS="-std=c11 -D_GNU_SOURCE -g ${FUZZ_OPT:--O1} -Iinclude -Ilib -Iemu
	-fno-omit-frame-pointer -DODF_VERSION=\"fuzz\""
LIBS="-lsgutils2 -ljson-c -lnettle -lm"

libfuzzer=1
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);
int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)
{ (void)d; (void)n; return 0; }' > "$OUT/probe.c"
"$CLANG" -fsanitize=fuzzer -o "$OUT/probe" "$OUT/probe.c" 2>/dev/null ||
	libfuzzer=0
if [ $libfuzzer = 1 ]; then
	SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
	LSAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
	MAIN=""
else
	SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
	LSAN=$SAN
	MAIN=tests/fuzz/standalone.c
fi

# seed corpus generator for the image targets (no sanitizers)
"$CLANG" $CFLAGS -o "$OUT/mkcorpus" tests/fuzz/mkcorpus.c lib/image/*.c \
	lib/util/error.c lib/util/bytes.c -lnettle || {
	echo "tools/fuzz.sh: cannot build the seed generator" >&2; exit 1; }

# libodf and libodemu, instrumented once into one archive (a header
# newer than the archive rebuilds everything; a source, its object)
LIB="$OUT/obj/libfuzz.a"
[ "$(cat "$OUT/obj/flags" 2>/dev/null)" = "$CLANG $SAN ${FUZZ_OPT:--O1}" ] ||
	rm -f "$LIB" "$OUT"/obj/*.o
if [ -f "$LIB" ] && [ -n "$(find include lib emu -maxdepth 2 -name '*.h' \
	-newer "$LIB" | head -n 1)" ]; then
	rm -f "$LIB" "$OUT"/obj/*.o
fi
srcs=(lib/*/*.c emu/*.c)
todo=()
for s in "${srcs[@]}"; do
	o="$OUT/obj/$(echo "${s%.c}" | tr / _).o"
	[ -f "$o" ] && [ "$o" -nt "$s" ] || todo+=("$s")
done
if [ ${#todo[@]} -gt 0 ]; then
	rm -f "$LIB"
	export CLANG SAN CFLAGS OUT
	printf '%s\n' "${todo[@]}" | xargs -P "$JOBS" -I{} sh -c \
		'o="$OUT/obj/$(echo "$(dirname {})/$(basename {} .c)" | tr / _).o"
		 $CLANG $CFLAGS $SAN -c -o "$o" {} || { rm -f "$o"; exit 1; }' || {
		echo "tools/fuzz.sh: instrumented build of the library failed" >&2
		exit 1; }
fi
if [ ! -f "$LIB" ]; then
	ar rcs "$LIB" "$OUT"/obj/*.o || exit 1
	echo "$CLANG $SAN ${FUZZ_OPT:--O1}" > "$OUT/obj/flags"
fi

if [ $SEEDS = 1 ]; then
	"$CLANG" $CFLAGS $SAN tests/fuzz/mkanswers.c -o "$OUT/mkanswers" \
		"$LIB" $LIBS && "$OUT/mkanswers" tests/fuzz/corpus
	exit
fi

fail=0
tot_e=0 tot_c=0 tot_l=0 tot_t=0 tot_s=0
row() { printf '%-14s %12s %8s %6s %9s %6s %7s\n' "$@"; }
# one binary per source; the target is chosen by ODF_FUZZ_TARGET
mkdir -p "$OUT/bin"
for src in $(for t in $TARGETS; do src_of "$t"; done | sort -u); do
	"$CLANG" $CFLAGS $LSAN "tests/fuzz/fuzz_$src.c" $MAIN \
		-o "$OUT/bin/fuzz_$src" "$LIB" $LIBS || {
		echo "tools/fuzz.sh: fuzz_$src does not build" >&2; exit 1; }
done
if [ -n "$SMOKE" ]; then
	what="--smoke $SMOKE"
else
	what="${RUNS:+--budget $RUNS }${SECS:+--seconds $SECS}"
fi
echo "# tools/fuzz.sh $what (libFuzzer: $([ $libfuzzer = 1 ] && echo yes || echo "no, seed replay only"))"
row target execs crashes leaks timeouts cov secs
for t in $TARGETS; do
	n=fuzz_$t
	dir="$OUT/$t"
	corpus="$dir/corpus"
	src=$(src_of "$t")
	bin="$PWD/$OUT/bin/fuzz_$src"
	case $OUT in /*) bin="$OUT/bin/fuzz_$src" ;; esac
	mkdir -p "$corpus"
	rm -rf "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* \
		"$dir"/slow-unit-* "$dir/quick"
	# image targets, long runs: the seeds go to full/, the run's corpus
	# gets their cuts (below)
	seeddir=$corpus
	cut=0
	if [ "$src" = image ] && [ $libfuzzer = 1 ] && [ -z "$SMOKE" ] &&
	   [ "$IMAXLEN" != 0 ]; then
		cut=1
		seeddir="$dir/full"
		rm -rf "$seeddir"; mkdir -p "$seeddir"
	fi
	case $t in
	ihex|srec|exe)	# the forms seeds of that kind only
		ext=$(case $t in ihex) echo hex ;; srec) echo s19 ;; *) echo exe ;; esac)
		rm -rf "$dir/seeds"; mkdir -p "$dir/seeds"
		"$OUT/mkcorpus" "$dir/seeds" forms &&
			cp "$dir"/seeds/*."$ext" "$seeddir"/ || {
			echo "not ok - $n: seed corpus"; fail=1; continue; } ;;
	*)	if [ "$src" = image ] && ! "$OUT/mkcorpus" "$seeddir" "$t"; then
			echo "not ok - $n: seed corpus"; fail=1; continue
		fi ;;
	esac
	for c in "tests/fuzz/corpus/$t" "tests/fuzz/corpus/forms"; do
		[ -d "$c" ] || continue
		[ "$c" = tests/fuzz/corpus/forms ] &&
			case $t in all|forms) ;; *) continue ;; esac
		cp "$c"/* "$seeddir"/
	done
	if [ $cut = 1 ]; then
		# Full-size images run at 10 to 1,000 execs/s (the parsers
		# scan and hash megabytes); the run takes inputs of at most
		# IMAXLEN bytes: each seed that is longer gives its head and
		# its tail of 256, 4096 and IMAXLEN bytes (what a parser reads
		# first: headers at the start, NEC's ID at the end), and the
		# corpus is minimised (-merge=1).  The full-size seeds are
		# replayed once for the coverage they reach alone, printed
		# under the row to compare with the run's.
		big=0 nfull=0
		for f in "$seeddir"/*; do
			sz=$(stat -c %s "$f"); b=$(basename "$f")
			nfull=$((nfull + 1)); [ "$sz" -gt "$big" ] && big=$sz
			if [ "$sz" -le "$IMAXLEN" ]; then
				cp "$f" "$corpus/"; continue
			fi
			for k in 256 4096 "$IMAXLEN"; do
				head -c "$k" "$f" >"$corpus/$b.head$k"
				tail -c "$k" "$f" >"$corpus/$b.tail$k"
			done
		done
		export ODF_FUZZ_TARGET=$t
		fullcov=$(cd "$dir" && "${NICE[@]}" "$bin" -runs=0 \
			-max_len="$big" -rss_limit_mb=2048 full 2>&1 |
			grep -oE 'INITED cov: [0-9]+' | tail -n 1 | tr -dc 0-9)
		rm -rf "$dir/min"; mkdir -p "$dir/min"
		(cd "$dir" && "${NICE[@]}" "$bin" -merge=1 -max_len="$IMAXLEN" \
			-rss_limit_mb=2048 min corpus >"merge.log" 2>&1) &&
			rm -rf "$corpus" && mv "$dir/min" "$corpus"
		fullnote="# $t: the $nfull full-size seeds (at most $big bytes) replayed alone: cov ${fullcov:-?}; the run: inputs of at most $IMAXLEN bytes from $(ls "$corpus" | wc -l) merged units"
	fi
	export ODF_FUZZ_TARGET=$t
	t0=$(date +%s)
	if [ $libfuzzer = 0 ] || [ -n "$SMOKE" ]; then
		# every seed and regression input once, as files
		seeds=$(ls "$corpus" | wc -l)
		(cd "$dir" && "${NICE[@]}" "$bin" corpus/* >"$n.log" 2>&1)
		c=$?
		[ $c = 0 ] || { c=1; tail -n 30 "$dir/$n.log"; }
	fi
	if [ $libfuzzer = 0 ]; then
		secs=$(( $(date +%s) - t0 ))
		row "$t" "$seeds" "$c" 0 0 - "$secs"
		tot_e=$((tot_e + seeds)); tot_c=$((tot_c + c)); tot_s=$((tot_s + secs))
		[ $c = 0 ] || fail=1
		continue
	fi
	if [ -n "$SMOKE" ]; then
		# then SMOKE runs from nothing, small inputs (quick/)
		mkdir -p "$dir/quick"
		lim="-runs=$SMOKE -max_len=4096"
		cdir=quick
	else
		lim="${RUNS:+-runs=$RUNS} ${SECS:+-max_total_time=$SECS} -max_len=$MAXLEN"
		[ $cut = 1 ] && lim="${lim% -max_len=*} -max_len=$IMAXLEN"
		cdir=corpus
		c=0 seeds=0
	fi
	(cd "$dir" && "${NICE[@]}" "$bin" $lim -timeout=20 \
		-rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix=./ "$cdir" >>"$n.log" 2>&1)
	rc=$?
	secs=$(( $(date +%s) - t0 ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$n.log" | tail -n 1)
	[ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$dir/$n.log" | tail -n 1 | tr -d '#')
	execs=$(( ${execs:-0} + seeds ))
	cov=$(grep -oE 'cov: [0-9]+' "$dir/$n.log" | tail -n 1 | tr -dc 0-9)
	l=$(ls "$dir" | grep -c '^leak-')
	to=$(ls "$dir" | grep -c '^timeout-')
	c=$(( c + $(ls "$dir" | grep -cE '^(crash|oom)-') ))
	if [ $rc != 0 ] && [ $((c + l + to)) = 0 ]; then
		c=1	# died without writing an input (a harness fault)
	fi
	row "$t" "$execs" "$c" "$l" "$to" "${cov:--}" "$secs"
	if [ $cut = 1 ]; then
		# the run's corpus and the full-size seeds together: the
		# edges above the run's own figure are the ones only
		# full-size inputs reach, replayed here but not fuzzed
		allcov=$(cd "$dir" && "${NICE[@]}" "$bin" -runs=0 \
			-max_len="$big" -rss_limit_mb=2048 corpus full 2>&1 |
			grep -oE 'INITED cov: [0-9]+' | tail -n 1 | tr -dc 0-9)
		echo "$fullnote; with the full-size seeds added to the run's corpus: cov ${allcov:-?}"
	fi
	if [ $((c + l + to)) != 0 ]; then
		fail=1
		grep -m 3 -E 'ERROR|SUMMARY|runtime error' "$dir/$n.log" | sed 's/^/#   /'
		echo "#   log: $dir/$n.log; inputs: $(cd "$dir" && ls | grep -E '^(crash|leak|timeout|oom)-' | sed "s|^|$dir/|" | tr '\n' ' ')"
	fi
	tot_e=$((tot_e + execs)); tot_c=$((tot_c + c)); tot_l=$((tot_l + l))
	tot_t=$((tot_t + to)); tot_s=$((tot_s + secs))
done
row total "$tot_e" "$tot_c" "$tot_l" "$tot_t" - "$tot_s"
exit $fail
