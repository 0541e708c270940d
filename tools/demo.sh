#!/bin/bash
# The main job, on an emulated drive: create an NEC ND-3500 with its real
# timings, make a newer firmware image, then scan, info, identify, flash
# (with a progress bar), verify, and show the history.  Every step is the
# real odflash; a step that fails stops the demo with its exit code, and
# the demo never claims a flash it did not do.
# Env: ODF_BIN (default build), DEMO_DIR (default: a new temp directory,
# kept so the state and journal can be inspected), DEMO_TIME_SCALE (1).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${ODF_BIN:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
ODF=$B/odflash
EMU=$B/odemu
D=${DEMO_DIR:-$(mktemp -d /tmp/odflash-demo.XXXXXX)}
mkdir -p "$D"
export XDG_STATE_HOME=$D/state
STATE=$D/nd3500.state
IMG=$D/ND3500A-2.18.bin
DEV=emu:$STATE

for x in "$ODF" "$EMU"; do
	[ -x "$x" ] || { echo "demo: $x is not built (run 'make')" >&2; exit 1; }
done

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Create an emulated NEC ND-3500 (real erase/program/transfer timings)" \
	"$EMU" new nec-nd3500 "$STATE" --time-scale "${DEMO_TIME_SCALE:-1}"
step "Make a newer firmware image for it" \
	"$EMU" mkimage nec-nd3500 -o "$IMG" --version 2.18
export ODFLASH_EMU=$STATE
step "Scan for drives (ODFLASH_EMU adds the emulated one)" "$ODF" scan
step "What is this drive?" "$ODF" info "$DEV"
step "What is this file?" "$ODF" identify "$IMG"

set +e
step "Flash it (backup first, then erase/program, then read back)" \
	"$ODF" flash "$DEV" "$IMG" --yes
rc=$?
set -e
if [ $rc -ne 0 ]; then
	echo
	echo "demo: 'odflash flash' exited $rc: the drive was NOT flashed." >&2
	echo "demo: state kept in $D" >&2
	exit $rc
fi
step "Verify: does the drive hold the file?" "$ODF" verify "$DEV" "$IMG"
step "The drive after the flash" "$ODF" info "$DEV"
step "History (from the journal in $XDG_STATE_HOME/odflash)" "$ODF" history
echo
echo "demo: done; files in $D"
