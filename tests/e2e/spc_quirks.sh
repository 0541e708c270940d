#!/bin/bash
# The standard SPC path on drives that do not advertise microcode
# download, the two ways the real-kernel rig meets them
# (docs/internals/rig.md §2-§3):
#   spc-quiet  answers like Linux scsi_debug ptype=5: GET CONFIGURATION and
#              READ BUFFER 05/20/00, WRITE BUFFER taken, UNIT ATTENTION
#              3F/16 after every download command, a medium that an eject
#              only stops (TEST UNIT READY 02/04/02);
#   spc-refuse answers like QEMU ide-cd/scsi-cd: READ and WRITE BUFFER
#              05/20/00.
# The same flows as tests/rig/guest/scen-{sdebug,qemu}.sh, without QEMU.
. "$(dirname "$0")/lib/tap.sh"
e2e_tmp spcq
export XDG_STATE_HOME="$T/state"
ODF="$B/odflash"
EMU="$B/odemu"
# number of WRITE BUFFER (3Bh) commands the drive saw, from its command log
nwb() { grep -ci 'cdb=3b 0[57]' "$1.log" || true; }

# ---- spc-quiet (scsi_debug-like): flash succeeds across the unit attentions
Q="$T/q.state"
$EMU new spc-quiet "$Q" --version 1.00 >/dev/null 2>&1
$EMU mkimage spc-quiet -o q2.bin --version 2.00 >/dev/null 2>&1
$ODF info "emu:$Q" >info.txt 2>&1 || nok "spc-quiet: info runs"
grep -q '^driver: *spc' info.txt && grep -q 'does not advertise microcode download; trying WRITE BUFFER' info.txt &&
	ok "spc-quiet: info picks spc and says it does not advertise microcode download" ||
	nok "spc-quiet: info picks spc and says it does not advertise microcode download"
before=$(fsha "$Q")
run $ODF dump "emu:$Q" -o qd.bin >/dev/null 2>err.txt
check "spc-quiet: dump is refused (no READ BUFFER: no dump, exit 5)" 5 $RC
[ ! -e qd.bin ] && grep -q 'READ BUFFER' err.txt && ok "spc-quiet: dump says why and writes no file" ||
	nok "spc-quiet: dump says why and writes no file"
run $ODF flash "emu:$Q" q2.bin --yes >/dev/null 2>err.txt
check "spc-quiet: flash with a backup is refused (the drive cannot be read: exit 5)" 5 $RC
grep -q -- '--no-backup' err.txt && ok "spc-quiet: the refusal names --no-backup" ||
	nok "spc-quiet: the refusal names --no-backup"
[ "$(fsha "$Q")" = "$before" ] && ok "spc-quiet: flash unchanged after the refusal" ||
	nok "spc-quiet: flash unchanged after the refusal"
run $ODF -v flash "emu:$Q" q2.bin --yes --no-backup --chunk 32768 >/dev/null 2>err.txt
check "spc-quiet: flash --no-backup succeeds" 0 $RC
n=$(grep -c 'unit attention 06/3F/16, draining and resending' err.txt) || true
[ "$n" -ge 2 ] && ok "spc-quiet: the 3F/16 unit attention between chunks is drained and the chunk resent ($n times)" ||
	nok "spc-quiet: the 3F/16 unit attention between chunks is drained and the chunk resent" "$n times"
grep -q 'the drive stopped but does not report "no medium"' err.txt &&
	ok "spc-quiet: a medium that cannot be unloaded: the stopped unit (02/04/02) is accepted" ||
	nok "spc-quiet: a medium that cannot be unloaded: the stopped unit (02/04/02) is accepted"
grep -q 'does not advertise microcode download; trying WRITE BUFFER' err.txt &&
	ok "spc-quiet: the log says it tries WRITE BUFFER unadvertised" ||
	nok "spc-quiet: the log says it tries WRITE BUFFER unadvertised"
rev=$($ODF info "emu:$Q" --json | jget .revision)
[ "$rev" = 2.00 ] && ok "spc-quiet: info shows 2.00" || nok "spc-quiet: info shows 2.00" "$rev"
run $ODF verify "emu:$Q" q2.bin >/dev/null 2>&1
check "spc-quiet: verify (by identity)" 0 $RC

# ---- spc-refuse (QEMU-like): every flash is a refusal, drive untouched
R="$T/r.state"
$EMU new spc-refuse "$R" --version 1.00 >/dev/null 2>&1
$EMU mkimage spc-refuse -o r2.bin --version 2.00 >/dev/null 2>&1
before=$(fsha "$R")
run $ODF dump "emu:$R" -o rd.bin >/dev/null 2>err.txt
check "spc-refuse: dump is refused (no dump, exit 5)" 5 $RC
[ ! -e rd.bin ] && [ -s err.txt ] && ok "spc-refuse: dump says why and writes no file" ||
	nok "spc-refuse: dump says why and writes no file"
run $ODF flash "emu:$R" r2.bin --yes --backup "$T/rb.bin" >/dev/null 2>err.txt
check "spc-refuse: flash with a backup is refused (exit 5)" 5 $RC
[ ! -e "$T/rb.bin" ] && ok "spc-refuse: no backup file left behind" ||
	nok "spc-refuse: no backup file left behind"
run $ODF flash "emu:$R" r2.bin --yes --no-backup >/dev/null 2>err.txt
check "spc-refuse: flash --no-backup is rejected at the first WRITE BUFFER" 3 $RC
grep -q 'nothing was written' err.txt && grep -q '05/20/00' err.txt &&
	ok "spc-refuse: the refusal says the drive rejected WRITE BUFFER and nothing was written" ||
	nok "spc-refuse: the refusal says the drive rejected WRITE BUFFER and nothing was written"
grep -q 'odflash recover' err.txt && nok "spc-refuse: no recovery advice for an untouched drive" ||
	ok "spc-refuse: no recovery advice for an untouched drive"
n=$(nwb "$R")
[ "$n" = 1 ] && ok "spc-refuse: exactly one WRITE BUFFER sent (no retry of a rejection)" ||
	nok "spc-refuse: exactly one WRITE BUFFER sent (no retry of a rejection)" "$n"
[ "$(fsha "$R")" = "$before" ] && ok "spc-refuse: flash unchanged" ||
	nok "spc-refuse: flash unchanged"
$ODF history --json | jq -e 'any(.. | objects; .result? == "rejected" and .exit_code? == 3)' >/dev/null &&
	ok "spc-refuse: history records the refusal with exit 3" ||
	nok "spc-refuse: history records the refusal with exit 3"

exit 0
