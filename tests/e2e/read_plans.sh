#!/bin/bash
# Reads are plans too (issue #12 item 2): the NEC reads that need safe
# mode (the backup, dump, the bootcode version) run through the plan
# executor as a bracketed plan, enter ... reads ... leave (cleanup), under
# the same signal policy as a write.  A SIGINT inside the bracket leaves
# the drive in normal mode, exit 5 "interrupted", the flash unchanged.
. "$(dirname "$0")/lib/tap.sh"
e2e_tmp reads
export XDG_STATE_HOME="$T/state"
export ODF_WAIT_MAX_MS=0 ODF_REOPEN_DELAY_MS=1 ODF_POLL_MS=1
EMU="$B/odemu"
ODF="$B/odflash"

$EMU mkimage nec-nd3500 -o v2.bin --version 2.00 >/dev/null 2>&1
$EMU mkimage nec-nd3550 -o v2-3550.bin --version 2.00 >/dev/null 2>&1

# the command index (from a fresh drive) of the Kth "enter safe mode"
# (CC 01 01) of a reference run of: odflash ARGS (DEVICE = emu:ref)
enter_at() {
	local model=$1 k=$2
	shift 2
	rm -f ref ref.log
	$EMU new "$model" ref --version 1.00 --serial R1 >/dev/null 2>&1
	XDG_STATE_HOME="$T/refstate" "$ODF" -q "${@/DEVICE/emu:ref}" \
		>/dev/null 2>&1 || true
	$EMU log ref | awk -v k="$k" '/cdb=cc 01 01 / && ++n == k { print $1 }'
}

# signal_case NAME MODEL K SIG ARGS...: SIG right after the Kth enter of
# safe mode of the reference run is answered
signal_case() {
	local name=$1 model=$2 k=$3 sig=$4
	shift 4
	local at before
	at=$(enter_at "$model" "$k" "$@")
	if [ -z "$at" ]; then
		nok "$name: the reference run enters safe mode $k times" "none"
		return
	fi
	rm -f s out.bin
	$EMU new "$model" s --version 1.00 --serial S1 >/dev/null 2>&1
	before=$(fsha s)
	$EMU fault s --signal-after-cmds "$at" --signal "$sig" >/dev/null 2>&1
	run "$ODF" -q --json "${@/DEVICE/emu:s}" >out.json 2>err.txt
	check "$name: SIG$sig after command $at (in safe mode): exit 5" 5 "$RC"
	[ "$(jq -r .result out.json)" = interrupted ] &&
		[ "$(jq -r '.changed // false' out.json)" = false ] &&
		ok "$name: result interrupted, changed false" ||
		nok "$name: result interrupted, changed false" "$(cat out.json)"
	[ "$($EMU show s --json | jget .mode)" = normal ] &&
		ok "$name: the drive was left in normal mode (leave safe mode ran as cleanup)" ||
		nok "$name: the drive was left in normal mode" "$($EMU show s | grep mode)"
	[ "$(fsha s)" = "$before" ] && ok "$name: flash byte-identical" ||
		nok "$name: flash byte-identical"
	$EMU log s | tail -1 | has 'cdb=cc 01 00 ' &&
		ok "$name: the last command sent was leave safe mode" ||
		nok "$name: the last command sent was leave safe mode" "$($EMU log s | tail -1)"
}

# nd3500 flash: enter 1 = the bootcode version, 2 = the first backup read
# (the 1 MiB dump enters after its reads for the bootcode version)
signal_case "nd3500 backup read" nec-nd3500 2 INT flash DEVICE v2.bin --yes
[ -z "$(ls state/odflash/backups 2>/dev/null)" ] &&
	ok "nd3500 backup read: no backup file was written" ||
	nok "nd3500 backup read: no backup file was written" "$(ls state/odflash/backups)"
"$ODF" history --json >hist.json 2>/dev/null
[ "$(jq -r '[.entries[] | select(.op == "flash")] | last | .result' hist.json)" = interrupted ] &&
	ok "nd3500 backup read: the journal says interrupted" ||
	nok "nd3500 backup read: the journal says interrupted" "$(cat hist.json)"
signal_case "nd3500 bootcode version" nec-nd3500 1 TERM flash DEVICE v2.bin --yes
# nd3550: its dump enters safe mode first (DumpFirmware with the dump ID)
signal_case "nd3550 backup read" nec-nd3550 2 INT flash DEVICE v2-3550.bin --yes
signal_case "nd3550 dump" nec-nd3550 1 INT dump DEVICE -o out.bin
[ ! -e out.bin ] && ok "nd3550 dump: no file written" ||
	nok "nd3550 dump: no file written"

# --dry-run shows the read plan of the backup with its bracket
rm -f s
$EMU new nec-nd3550 s --version 1.00 >/dev/null 2>&1
"$ODF" flash emu:s v2-3550.bin --dry-run >dry.txt 2>/dev/null || true
first=$(awk '/^read plan:/ { r = 1; next } r && / CMD / { print $NF; exit }' dry.txt)
lastl=$(awk '/^read plan:/ { r = 1 } /^plan:/ { r = 0 } r && / CMD /' dry.txt | tail -1)
[ "$first" = mode ] && echo "$lastl" | has '\[cleanup\]  leave safe mode' &&
	ok "--dry-run shows the nd3550 backup read plan: enter safe mode ... leave safe mode [cleanup]" ||
	nok "--dry-run shows the nd3550 backup read plan" "$first / $lastl"
exit 0
