#!/bin/bash
# Issue #12's proof: the ground-truth sweep.  What odflash says (exit
# code, JSON result/changed/drive_state/recover_command, its message,
# the journal) against what the emulated drive is (odemu dumpflash: the
# flash bytes before vs after; odemu show: mode, revision), for every
# odemu model and a power cut / SIGINT / SIGTERM / SIGKILL after command
# i of a whole flash, an EIO at i, an 8 KiB cap from i, and fixed caps.  The properties and the
# case logic are in tests/sweep/sweep.py.
#
# In `make check`: a sampled subset (tests/e2e/truth_sweep.sh).  Here:
#   make check-sweep        sampled: the first flash change and the one
#                           before, the commit and two after, the first
#                           and last command, SWEEP_SPREAD (2) evenly
#                           spaced indexes per model
#   make check-sweep-full   SWEEP_FULL=1: every command index of every model
# Knobs: SWEEP_MODELS="m1 m2" (only these, in this order), SWEEP_FAULTS=
# "power-cut SIGINT SIGTERM SIGKILL EIO cap-from-i bridge-cap" (only these), SWEEP_JOBS=N
# (cases run in parallel, default 2), SWEEP_SPREAD=N, SWEEP_VERBOSE=1
# (keep the case directories; removed otherwise), ODF_BIN.
. "$(dirname "$0")/../e2e/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# the drive's state file is rewritten after every command: tmpfs when
# there is one
base=${TMPDIR:-/tmp}
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
T=$(mktemp -d "$base"/odf-sweep.XXXXXX)
[ "${SWEEP_VERBOSE:-0}" = 1 ] && echo "# case directories kept under $T" ||
	trap 'rm -rf "$T"' EXIT
# the plans' fixed pauses and poll intervals are for real drives; the
# emulated one counts commands, not time
export ODF_BIN="$B" SWEEP_TMP="$T/cases" SWEEP_COUNTS="$T/counts"
export ODF_WAIT_MAX_MS=0 ODF_REOPEN_DELAY_MS=1 ODF_POLL_MS=1
mkdir -p "$SWEEP_TMP"
run python3 "$HERE/sweep.py"
sweep_rc=$RC
if [ -s "$SWEEP_COUNTS" ]; then
	read -r planned ran <"$SWEEP_COUNTS"
	count_is "sweep ran every planned (model, i, fault) case" "$planned" "$ran"
else
	nok "sweep finished" "sweep.py exit $sweep_rc, no case count"
fi
[ "$sweep_rc" = 0 ] && [ "$TAP_FAILS" = 0 ]
