#!/bin/bash
# Issue #12: a read in NEC safe mode killed (SIGKILL: odflash cannot
# clean up) leaves the drive in safe mode.  The journal holds the read's
# intent ("mode" line, written before safe mode is entered), so history
# says "interrupted" and names `odflash recover DEVICE`, which leaves safe
# mode and writes nothing: after it the drive runs its own firmware, the
# flash byte-identical.  The index: after command 531 of a whole nd3550
# flash, inside the backup's read in safe mode (tests/sweep: the same
# case, truth_sweep_nec.sh); checked below before anything else.
. "$(dirname "$0")/lib/tap.sh"
e2e_setup recover_leave_mode
export ODF_WAIT_MAX_MS=0 ODF_POLL_MS=1

$EMU new nec-nd3550 d.st --version 1.00 --serial LEAVE1 >/dev/null 2>&1
$EMU mkimage nec-nd3550 -o v2.bin --version 2.00 >/dev/null 2>&1
before=$(fsha d.st)
$EMU fault d.st --signal-after-cmds 531 --signal KILL
# the subshell's stderr takes bash's "Killed" line
RC=0
( $ODF flash emu:d.st v2.bin --yes --json >out.json; exit $? ) 2>/dev/null || RC=$?
check "odflash killed by SIGKILL in the backup read" 137 "$RC"
check "the drive is left in safe mode" safe "$(emu d.st .mode)"
check "its flash is unchanged" "$before" "$(fsha d.st)"

hist=$($B/odflash history --json)
check "history: the run is interrupted" interrupted \
	"$(echo "$hist" | jget '.entries[-1].result')"
check "history: it was killed in safe mode" safe \
	"$(echo "$hist" | jget '.entries[-1].mode')"
check "history: names the recover command" "odflash recover emu:d.st" \
	"$(echo "$hist" | jget '.entries[-1].recover_command')"
text=$($B/odflash history)
says "history text says the drive may still be in safe mode" "$text" \
	"during a read in safe mode" "\`odflash recover emu:d.st\` takes it out"

# a dry run shows the leave plan and sends nothing
run $B/odflash recover emu:d.st --dry-run >/dev/null 2>&1
check "recover --dry-run exits 0" 0 "$RC"
out=$($B/odflash recover emu:d.st --dry-run 2>&1)
says "the dry run shows the question and the one-step plan" "$out" \
	"out of safe mode?" "nothing is written" "leave safe mode"
check "after the dry run the drive is still in safe mode" safe \
	"$(emu d.st .mode)"

# without a terminal and without --yes: refused, nothing sent
run $ODF recover emu:d.st </dev/null 2>/dev/null
check "recover without --yes and no terminal: exit 5" 5 "$RC"

out=$($B/odflash recover emu:d.st --yes 2>&1)
RC=$?
check "recover DEVICE exits 0" 0 "$RC"
says "it says why: the journal's interrupted read, nothing written" "$out" \
	"killed during a read in safe mode" "flashing nothing" \
	"safe mode left" "revision 1.00"
check "the drive runs in normal mode" normal "$(emu d.st .mode)"
check "at its own revision" 1.00 "$(emu d.st .revision)"
check "the flash is byte-identical to before" "$before" "$(fsha d.st)"
check "the recover is journaled ok" ok \
	"$($B/odflash history --json | jget '.entries[-1].result')"

# once in normal mode, recover DEVICE finds nothing to leave and no file
run $ODF recover emu:d.st --yes </dev/null 2>/dev/null
check "a second recover DEVICE: nothing unfinished, no backup: exit 1" 1 "$RC"
check "the drive still runs 1.00" 1.00 "$(emu d.st .revision)"
[ "$TAP_FAILS" = 0 ]
