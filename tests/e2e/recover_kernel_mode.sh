#!/bin/bash
# Issue #12, `odflash recover DEVICE` without FILE for a family whose
# vendor mode no read enters: Pioneer's kernel mode.  Only NEC has reads
# that run in a vendor mode (plan_read's safe-mode bracket, journaled as
# phase "mode"; recover_leave_mode.sh).  A Pioneer drive enters kernel
# mode only through the flash plan's entry command (WRITE BUFFER
# 3B 04 FF, the point of no return, after the journal's intent), and no
# public source has a command that leaves kernel mode without flashing:
# rpc1dev/DVRFlash@8ccb1b7 DVRFlash.cpp main() sends after the entry only
# the chunks and the commit 3B 05 FF, which writes what was staged
# (lib/drivers/pioneer.c).  So a drive killed right after the entry is
#   - with the journal: recovered by `odflash recover DEVICE` with the
#     unfinished flash's file (not by leaving a mode: there is none to
#     leave without flashing), ending at the target;
#   - without a journal entry: refused (exit 1) with the command that
#     takes a FILE, the drive left as it was.
# The index: the entry is command 9 of a whole DVR-109 flash (checked).
. "$(dirname "$0")/lib/tap.sh"
e2e_setup recover_kernel_mode
export ODF_WAIT_MAX_MS=0 ODF_POLL_MS=1

$EMU new pioneer-dvr109 d.st --version 1.00 --serial KERN1 >/dev/null 2>&1
$EMU mkimage pioneer-dvr109 -o v2.bin --version 2.00 >/dev/null 2>&1
cp d.st pristine.st
before=$(fsha d.st)

# the entry's index, from a reference flash's command log
cp pristine.st ref.st
run $ODF flash emu:ref.st v2.bin --yes --no-backup
check "reference flash exits 0" 0 "$RC"
entry=$(grep -n 'cdb=3b 04 ff' ref.st.log | head -n 1 | cut -d: -f1)
check "the kernel-mode entry is command 9" 9 "$entry"
target=$(fsha ref.st)

$EMU fault d.st --signal-after-cmds "$entry" --signal KILL
RC=0
( $ODF flash emu:d.st v2.bin --yes --no-backup --json >out.json; exit $? ) \
	2>/dev/null || RC=$?
check "odflash killed right after the kernel-mode entry" 137 "$RC"
check "the drive is in kernel mode (odemu: boot)" boot "$(emu d.st .mode)"
check "its INQUIRY revision is 0000" 0000 "$(emu d.st .revision)"
check "its flash is unchanged" "$before" "$(fsha d.st)"
hist=$($B/odflash history --json)
check "history: the flash is interrupted" interrupted \
	"$(echo "$hist" | jget '.entries[-1].result')"
check "history: no read-mode line (phase intent, not mode)" intent \
	"$(echo "$hist" | jget '.entries[-1].phase')"

# no journal (another machine, another user): refused, asks for a FILE
out=$(env XDG_STATE_HOME="$T/other" $B/odflash recover emu:d.st --yes 2>&1) &&
	RC=0 || RC=$?
check "recover DEVICE without a journal entry: exit 1" 1 "$RC"
says "it says why and names the command with a FILE" "$out" \
	"no unfinished flash" "odflash recover emu:d.st FILE"
check "the drive is left in kernel mode" boot "$(emu d.st .mode)"
check "its flash still unchanged" "$before" "$(fsha d.st)"

# with the journal: the unfinished flash's file, flashed again
out=$($B/odflash recover emu:d.st --yes 2>&1) && RC=0 || RC=$?
check "recover DEVICE with the journal exits 0" 0 "$RC"
says "it takes the unfinished flash's file, not a mode leave" "$out" \
	"the file of the flash" "v2.bin"
check "the drive runs in normal mode" normal "$(emu d.st .mode)"
check "at the target revision" 2.00 "$(emu d.st .revision)"
check "its flash is the reference flash's" "$target" "$(fsha d.st)"
[ "$TAP_FAILS" = 0 ]
