#!/bin/bash
# make check-windows (issue #19): odflash.exe, odemu.exe and the unit
# tests as Windows programs under Wine, with Windows paths (C:\...).
# Wine starts slowly (about a second a process tree), so the scenarios run
# as two batch files in one `wine cmd /c` each: every step writes its
# stdout, stderr and exit code (%ERRORLEVEL%) to files, and this script
# judges them afterwards.  Prints "ok"/"not ok"/"# SKIP" lines and closes
# with "windows: N passed, N failed, N skipped".
#
# Env: ODF_WIN (build/win: odflash.exe, odemu.exe, tests/*.exe),
# WINE (wine), WINEPREFIX (ODF_WIN/wineprefix, made on first use).
. "$(dirname "$0")/../e2e/lib/tap.sh"
W=${ODF_WIN:-build/win}
W=$(cd "$W" && pwd)
WINE=${WINE:-wine}
export WINEPREFIX=${WINEPREFIX:-$W/wineprefix} WINEDEBUG=-all
PASS=0 FAIL=0 SKIPS=0
ok() { echo "ok - $1"; PASS=$((PASS + 1)); }
nok() { echo "not ok - $1${2:+: $2}"; FAIL=$((FAIL + 1)); }
skip() { echo "# SKIP $1: $2"; SKIPS=$((SKIPS + 1)); }

# the Windows name of a Unix path: Wine's Z: drive is /
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

T=$(mktemp -d "$WINEPREFIX/drive_c/odftest.XXXXXX" 2>/dev/null) || {
	mkdir -p "$WINEPREFIX/drive_c"
	T=$(mktemp -d "$WINEPREFIX/drive_c/odftest.XXXXXX")
}
WT="C:\\$(basename "$T")"	# the same directory as Windows sees it
trap 'rm -rf "$T"; "${WINESERVER:-wineserver}" -k 2>/dev/null || true' EXIT
mkdir -p "$T/out"
ODF="$(winpath "$W/odflash.exe")"
EMU="$(winpath "$W/odemu.exe")"

# ---- batch files -------------------------------------------------------------
BAT=""
step() { # NAME, command line (Windows syntax)
	BAT+="$2 >out\\$1.out 2>out\\$1.err"$'\r\n'
	BAT+="echo %ERRORLEVEL% >out\\$1.rc"$'\r\n'
}
runbat() { # NAME: run the collected steps in one cmd.exe
	printf '@echo off\r\ncd /d %s\r\n%s' "$WT" "$BAT" >"$T/$1.bat"
	BAT=""
	(cd "$T" && "$WINE" cmd /c "$WT\\$1.bat" </dev/null >/dev/null 2>&1) || true
}
rc() { tr -d ' \r\n' <"$T/out/$1.rc" 2>/dev/null || echo missing; }
out() { tr -d '\r' <"$T/out/$1.out" 2>/dev/null || true; }
err() { tr -d '\r' <"$T/out/$1.err" 2>/dev/null || true; }
checkrc() { # NAME, want, label
	local got; got=$(rc "$1")
	if [ "$got" = "$2" ]; then ok "$3 (exit $2)"
	else nok "$3" "exit $got, expected $2; stderr: $(err "$1" | head -c 300)"; fi
}
fsame() { cmp -s "$T/$1" "$T/$2"; }

# ---- batch 1: unit tests, drives and images ----------------------------------
S='set ODFLASH_STATE_DIR='"$WT"'\state'
BAT+="$S"$'\r\n'
# the session sweep's sampled variant (its whole sweep is Linux's job)
BAT+="set ODF_SWEEP_SAMPLE=1"$'\r\n'
# ODF_WIN_FULL=1 (make check-windows-full): every unit test program;
# else the ones on what differs on Windows (files, paths, state dir,
# journal, locks, CLI words, the emulator's state file), which run in
# seconds; the emulator-heavy ones take minutes each under Wine.
if [ "${ODF_WIN_FULL:-0}" = 1 ]; then
	UNITS=$(cd "$W/tests" && ls *.exe | sed 's/\.exe$//')
else
	UNITS="test_cli_helpers test_cli_drive test_image_load test_session_journal
test_transport_winname
test_util_ctx test_scsi_cdb test_sense test_emu_models test_image_nec"
fi
n_unit=0
for b in $UNITS; do
	t="$W/tests/$b.exe"
	step "unit-$b" "$(winpath "$t")"
	n_unit=$((n_unit + 1))
done
step new-d "$EMU new nec-nd3500 d.state --version 1.00"
step new-r "$EMU new nec-nd3500 r.state --version 1.00"
step new-ref "$EMU new nec-nd3500 ref.state --version 1.00 --serial PC1"
step new-s "$EMU new spc-generic s.state"
step mk-good "$EMU mkimage nec-nd3500 -o good.bin --version 2.00"
step mk-other "$EMU mkimage nec-nd3550 -o other.bin --version 2.00"
step mk-spc "$EMU mkimage spc-generic -o spc.bin --version 2.00"
t0=$(date +%s)
runbat setup
t1=$(date +%s)
echo "# batch 1 (unit tests and setup): $((t1 - t0)) s"

# unit tests: cmocka's own summary lines
units=0
for b in $UNITS; do
	units=$((units + 1))
	# cmocka writes its summary lines to stderr
	p=$(err "unit-$b" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(err "unit-$b" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	if [ "$(rc "unit-$b")" = 0 ] && [ -n "$p" ] && [ -z "$f" ]; then
		ok "unit $b.exe ($p tests)"
	else
		nok "unit $b.exe" "exit $(rc "unit-$b"), passed ${p:-?}, failed ${f:-0}: $( (out "unit-$b"; err "unit-$b") | grep -m3 -E 'FAILED|ERROR|error|Could not' | tr '\n' ' ')"
	fi
done
count_is "unit test programs run under Wine" "$n_unit" "$units"

for s in new-d new-r new-ref new-s mk-good mk-other mk-spc; do
	checkrc $s 0 "odemu.exe $s"
done
[ -s "$T/good.bin" ] || { nok "odemu.exe mkimage wrote good.bin"; }
head -c 500000 "$T/good.bin" >"$T/trunc.bin"
cp "$T/good.bin" "$T/badsum.bin"
printf '\x55' | dd of="$T/badsum.bin" bs=1 seek=4096 conv=notrunc 2>/dev/null

# ---- batch 2: the emu: scenarios ---------------------------------------------
E="emu:$WT\\d.state"
R="emu:$WT\\r.state"
BAT+="$S"$'\r\n'
step info "$ODF info $E --json"
step dump "$ODF -q dump $E -o dump.bin"
step flash0 "$EMU dumpflash d.state -o flash0.bin"
step flash "$ODF -q flash $E good.bin --yes"
step info2 "$ODF info $E --json"
step verify "$ODF -q verify $E good.bin"
step verify-old "$ODF -q verify $E dump.bin"
step history "$ODF history --json"
# refusals: the flash stays byte-identical
step r-before "$EMU dumpflash r.state -o r-before.bin"
step r-model "$ODF -q flash $R other.bin --yes"
step r-trunc "$ODF -q flash $R trunc.bin --yes"
step r-sum "$ODF -q flash $R badsum.bin --yes"
step r-missing "$ODF -q flash $R nonexistent.bin --yes"
step r-noyes "$ODF -q flash $R good.bin <NUL"
step r-after "$EMU dumpflash r.state -o r-after.bin"
# power cut in the middle of the write, then recover
step ref-flash "$ODF -q flash emu:$WT\\ref.state good.bin --yes --no-backup"
step ref-dump "$EMU dumpflash ref.state -o ref.bin"
CUTS="20 40 60"
for n in $CUTS; do
	step "p$n-new" "$EMU new nec-nd3500 p$n.state --version 1.00 --serial PC1"
	step "p$n-fault" "$EMU fault p$n.state --power-cut-after-cmds $n"
	BAT+="set ODF_REOPEN_DELAY_MS=1"$'\r\n'
	step "p$n-flash" "$ODF -q flash emu:$WT\\p$n.state good.bin --yes --no-backup"
	step "p$n-on" "$EMU power-on p$n.state"
	step "p$n-recover" "$ODF -q recover emu:$WT\\p$n.state good.bin --yes"
	BAT+="set ODF_REOPEN_DELAY_MS="$'\r\n'
	step "p$n-dump" "$EMU dumpflash p$n.state -o p$n.bin"
done
# the state directory by default: %LOCALAPPDATA%\odflash
BAT+="set ODFLASH_STATE_DIR="$'\r\n'"set LOCALAPPDATA=$WT\\local"$'\r\n'
step local-flash "$ODF -q flash emu:$WT\\s.state spc.bin --yes"
BAT+="set ODFLASH_STATE_DIR=relative\\dir"$'\r\n'
step rel-state "$ODF -q history"
BAT+="$S"$'\r\n'
# Windows device names (no drive of that name under Wine)
step dev-none "$ODF info Q:"
step dev-notcd "$ODF info C:"
step dev-linux "$ODF info /dev/sr0"
step scan "$ODF scan --json"
step tcmu "$EMU tcmu s.state"
t0=$(date +%s)
runbat scen
t1=$(date +%s)
echo "# batch 2 (emu: scenarios): $((t1 - t0)) s"

checkrc info 0 "info emu:C:\\...\\d.state"
check "info picks the nec driver" nec "$(out info | jget .driver)"
checkrc dump 0 "dump to dump.bin"
checkrc flash0 0 "odemu.exe dumpflash"
if [ -s "$T/flash0.bin" ] && [ -s "$T/dump.bin" ] &&
   cmp -s <(tail -c +$((0x6000 + 1)) "$T/flash0.bin" | head -c $((0xFA000))) \
	  <(head -c $((0xFA000)) "$T/dump.bin"); then
	ok "the dump equals the emulated flash body"
else
	nok "the dump equals the emulated flash body"
fi
checkrc flash 0 "flash good.bin (2.00)"
check "info shows 2.00 after the flash" 2.00 "$(out info2 | jget .revision)"
checkrc verify 0 "verify against the flashed image"
checkrc verify-old 7 "verify against the old firmware fails"
ls "$T"/state/backups/*.bin.json >/dev/null 2>&1 &&
	ok "automatic backup with its sidecar in ODFLASH_STATE_DIR (C:\\...)" ||
	nok "automatic backup with its sidecar in ODFLASH_STATE_DIR"
out history | has '"op": *"flash"' && ok "history --json lists the flash" ||
	nok "history --json lists the flash" "$(out history | head -c 200)"
checkrc r-model 5 "refuse: wrong model"
checkrc r-trunc 4 "refuse: truncated file"
checkrc r-sum 4 "refuse: bad checksum"
checkrc r-missing 4 "refuse: missing file"
checkrc r-noyes 5 "refuse: no --yes without a terminal"
[ -s "$T/r-before.bin" ] && fsame r-before.bin r-after.bin &&
	ok "refusals left the flash byte-identical" ||
	nok "refusals left the flash byte-identical"
checkrc ref-flash 0 "reference flash"
cuts=0
for n in $CUTS; do
	cuts=$((cuts + 1))
	f=$(rc "p$n-flash")
	if [ "$f" != 0 ] && [ "$(rc "p$n-recover")" = 0 ] && [ -s "$T/ref.bin" ] &&
	   fsame ref.bin "p$n.bin"; then
		ok "power cut after $n commands (flash exit $f), recover: the new firmware"
	else
		nok "power cut after $n commands" "flash exit $f, recover exit $(rc "p$n-recover"): $(err "p$n-recover" | head -c 300)"
	fi
done
count_is "power-cut cases" 3 "$cuts"
checkrc local-flash 0 "flash with the default state directory"
ls "$T"/local/odflash/backups/*.bin >/dev/null 2>&1 &&
	ok "default state directory is %LOCALAPPDATA%\\odflash" ||
	nok "default state directory is %LOCALAPPDATA%\\odflash" "$(ls -R "$T/local" 2>&1 | head -5)"
err rel-state | has 'must be an absolute path (C:' &&
	ok "the relative state dir message names the Windows form" ||
	nok "the relative state dir message" "$(err rel-state)"
checkrc dev-none 2 "info Q: (no such drive letter)"
err dev-none | has 'device Q: does not exist' && ok "info Q: says it does not exist" ||
	nok "info Q: message" "$(err dev-none)"
checkrc dev-notcd 2 "info C: (not an optical drive)"
err dev-notcd | has 'C: is not an optical drive' && ok "info C: says it is no optical drive" ||
	nok "info C: message" "$(err dev-notcd)"
err dev-notcd | has 'D:, \\\\.\\D: or CdRom0' && ok "the hint gives the Windows device names" ||
	nok "the hint gives the Windows device names" "$(err dev-notcd)"
checkrc dev-linux 2 "info /dev/sr0 on Windows"
checkrc scan 0 "scan"
out scan | jq -e 'type == "array" or type == "object"' >/dev/null 2>&1 &&
	ok "scan --json is JSON" || nok "scan --json is JSON" "$(out scan | head -c 200)"
r=$(rc tcmu)
[ "$r" != 0 ] && err tcmu | has 'no.*Windows\|Linux kernel' &&
	ok "odemu tcmu says it needs Linux (exit $r)" ||
	nok "odemu tcmu on Windows" "exit $r: $(err tcmu)"

echo "windows: $PASS passed, $FAIL failed, $SKIPS skipped"
[ "$FAIL" = 0 ]
