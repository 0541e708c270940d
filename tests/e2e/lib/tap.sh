#!/bin/bash
# Sourced by every tests/e2e/*.sh: strict shell, TAP-style results, and
# helpers that fail loudly instead of comparing empty strings.
#
#   ok NAME / nok NAME [WHY] / skip NAME WHY    one result line each
#   check NAME WANT GOT                         ok when WANT = GOT
#   run CMD...                                  runs CMD, never aborts the
#                                               script; its exit code in $RC
#   fsha STATE                                  sha256 of the emulated flash;
#                                               an unreadable flash fails
#   jget FILTER                                 one value from JSON on stdin
#                                               (jq), "" when absent
#   count_is NAME WANT GOT                      a loop's case count
#   says NAME TEXT NEEDLE...                    ok when TEXT holds each
#   e2e_tmp NAME / e2e_setup NAME               the usual start (below)
#
# The runner (tests/run.sh) counts "ok"/"not ok"/"# SKIP" lines and fails
# a script that exits non-zero or writes anything to stderr: with
# `set -eu -o pipefail` a shell error, a failing command that is not
# checked, or an unset variable ends the script with a failure.
set -eu -o pipefail

TAP_FAILS=0
ok() { echo "ok - $1"; }
nok() {
	echo "not ok - $1${2:+: $2}"
	TAP_FAILS=$((TAP_FAILS + 1))
}
skip() { echo "# SKIP $1: $2"; }
check() { # name, expected, actual
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1" "got $3, expected $2"; fi
}
run() { RC=0; "$@" || RC=$?; }

# The emulated flash's sha256.  When the flash cannot be read the
# reason goes to stderr (which fails the script in the runner) and a
# value no other call returns is printed, so "unchanged" never holds
# between two unreadable flashes.
TAP_FSHA_N=0
fsha() {
	local f
	f=$(mktemp "${TMPDIR:-/tmp}/odf-fsha.XXXXXX")
	TAP_FSHA_N=$((TAP_FSHA_N + 1))
	if ! "${EMU:?fsha needs \$EMU}" dumpflash "$1" -o "$f" >/dev/null 2>&1 ||
	   [ ! -s "$f" ]; then
		rm -f "$f"
		echo "fsha: cannot read the flash of $1" >&2
		echo "unreadable-flash-$$-$TAP_FSHA_N-$RANDOM"
		return 0
	fi
	sha256sum <"$f" | cut -c1-64
	rm -f "$f"
}

# jget FILTER: a jq filter on stdin's JSON; null and absent give "".
# Input that is not JSON makes jq complain on stderr (a test failure).
jget() { jq -r "($1) // empty"; }

# A loop states how many cases it ran and the test asserts that count.
count_is() { # name, expected, actual
	if [ "$2" = "$3" ] && [ "$3" -gt 0 ]; then
		ok "$1 ($3 cases ran)"
	else
		nok "$1" "$3 cases ran, expected $2"
	fi
}

# jkey NAME: the first value of key NAME anywhere in stdin's JSON ("" when
# absent or null), e.g. `odemu show S --json | jkey commands`.
jkey() {
	jq -r --arg k "$1" \
		'first(.. | objects | select(has($k)) | .[$k]) // empty'
}

# has PATTERN...: grep that reads all of stdin (grep -q stops early, and
# under pipefail the writer's SIGPIPE would fail the pipeline).
has() { grep "$@" >/dev/null; }

# preload_lib PATH: the LD_PRELOAD value for libodemu-preload.so at PATH;
# a sanitizer build of it needs the ASan runtime loaded first in programs
# that were not built with it.
preload_lib() {
	local asan
	asan=$(ldd "$1" 2>/dev/null | sed -n 's/.*libasan[^ ]* => \([^ ]*\).*/\1/p')
	if [ -n "$asan" ]; then echo "$asan:$1"; else echo "$1"; fi
}

# says NAME TEXT NEEDLE...: ok when TEXT holds every NEEDLE, else a
# failure naming the first one missing.
says() {
	local n=$1 h=$2 w
	shift 2
	for w in "$@"; do
		case $h in *"$w"*) ;; *) nok "$n" "no '$w' in: $h"; return ;; esac
	done
	ok "$n"
}

# e2e_tmp NAME: B = the build's binaries (ODF_BIN, absolute), T = a fresh
# temporary directory (removed at exit), and the script runs in T.
e2e_tmp() {
	B=${ODF_BIN:-build}
	B=$(cd "$B" && pwd)
	T=$(mktemp -d "${TMPDIR:-/tmp}/odf-e2e-$1.XXXXXX")
	trap 'rm -rf "$T"' EXIT
	cd "$T" || exit 2
}

# e2e_setup NAME: e2e_tmp, odflash's state in T/state, a drive that comes
# back at once, ODF = quiet odflash, EMU = odemu, and `emu STATE FILTER`
# (one field of `odemu show --json`).
e2e_setup() {
	e2e_tmp "$1"
	export XDG_STATE_HOME="$T/state" ODF_REOPEN_DELAY_MS=1
	ODF="$B/odflash -q"
	EMU="$B/odemu"
}
emu() { "${EMU:?emu needs \$EMU}" show "$1" --json | jget "$2"; }
