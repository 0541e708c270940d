#!/bin/bash
# ps3-bd through odflash: the dsd-nexus libps3drive sequence (eject, TUR
# no medium, WRITE BUFFER mode 7 in 32 KiB chunks, TUR until done).  No
# dump in the protocol; a drive left in boot code is not recoverable.
MODEL=ps3-bd DRIVER=ps3 OTHER="" DUMP="" RECOVER=no
BADSUM=0x40 TRUNC=500000 CAP_BAD=1024 CAP_OK=16384
FOREIGN=plextor-px716 VENDOR_OPS=no CHUNK_BAD=1000
. "$(dirname "$0")/lib/family.inc"

# ---- the drive says the update failed: the poll stops at once ---------------------
# dsd-nexus ps3drive_fw.c stops its TUR poll on 04/3E/01, 05/24/00 and
# 05/26/00; the poll budget is 60 s, so a poll that ignores the fatal
# answer runs into the 20 s limit below.
for sense in 04/3E/01 05/26/00; do
	F="$T/fail.state"
	rm -f "$F" "$F.log"
	$EMU new "$MODEL" "$F" --version 1.00 --serial FAIL1 >/dev/null 2>&1
	$EMU fault "$F" --fail-commit "$sense" >/dev/null 2>&1
	before=$(fsha "$F")
	t0=$(date +%s)
	msg=$($ODF flash "emu:$F" v2.bin --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
	rc=$RC
	dt=$(($(date +%s) - t0))
	check "drive answers $sense after the download: flash failed (exit 6)" 6 $rc
	[ $dt -lt 20 ] && ok "$sense: the poll stopped at once (${dt} s)" ||
		nok "$sense: the poll stopped at once" "${dt} s"
	echo "$msg" | has "$sense" && ok "$sense: the message names the sense" ||
		nok "$sense: the message names the sense" "$msg"
	[ "$(fsha "$F")" = "$before" ] && ok "$sense: the drive kept its flash" ||
		nok "$sense: the drive kept its flash"
	$EMU power-on "$F" >/dev/null 2>&1
	run $ODF flash "emu:$F" v2.bin --yes --no-backup >/dev/null 2>&1
	check "$sense: after a reset the next flash works" 0 $RC
	rev=$($B/odflash info "emu:$F" --json 2>/dev/null | jfield revision)
	[ "$rev" = 2.00 ] && ok "$sense: then info shows 2.00" || nok "$sense: then info shows 2.00" "$rev"
done
