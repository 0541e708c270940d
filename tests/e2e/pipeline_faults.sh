#!/bin/bash
# The flash pipeline against the faults users meet, deterministically
# (odemu faults fire at an exact command, never sleeps-and-hope):
#  - SIGINT/SIGTERM before and past the point of no return (odemu
#    --signal-after-cmds raises it in odflash right after command N);
#  - SIGKILL mid-write leaves the drive in safe mode: recover;
#  - re-enumeration at the commit (and at the bootcode read) on NEC;
#  - a disc in the drive: refused without --eject, ejected with it; a
#    locked tray: refused, unchanged;
#  - NEC bootcode flash: needs the second confirmation, writes and reads
#    back, power cut during the erase (recoverable) and during the boot
#    block write (dead: said so), firmware flashed after it.  The
#    emulator's INFERRED bootcode facts are pinned here: the boot block
#    ends in its word sum, the drive erases it itself, and restarts into
#    the new boot code (revision 0.06 after the write).
. "$(dirname "$0")/lib/tap.sh"
e2e_setup faults
jfield() { jkey "$1"; }
jbool() { jq -r --arg k "$1" 'first(.. | objects | select(has($k)) | .[$k])'; }
fresh() { rm -f "$1" "$1".*; $EMU new "${2:-nec-nd3500}" "$1" --version 1.00 --serial F1 >/dev/null 2>&1; }
# index (1-based command count of a fresh drive) of the first command
# whose CDB starts with $2, in the log of state $1
first() { $EMU log "$1" | grep " cdb=$2" | head -n 1 | cut -d' ' -f1; }

$EMU mkimage nec-nd3500 -o v2.bin --version 2.00 >/dev/null 2>&1
head -c 1024004 v2.bin >v2-noboot.bin	# the same firmware, no bootcode tag
fresh ref.state
run $ODF flash emu:ref.state v2.bin --yes --no-backup >/dev/null 2>&1
check "reference flash" 0 $RC
want=$(fsha ref.state)
stage=$(first ref.state "cb 01")
erase=$(first ref.state "cb 04")
[ -n "$stage" ] && [ -n "$erase" ] && [ "$erase" -gt "$stage" ] &&
	ok "reference trace: stage at command $stage, first erase at $erase" ||
	nok "reference trace" "stage=$stage erase=$erase"

# ---- signals ----------------------------------------------------------------------
for sig in INT TERM; do
	fresh s.state
	old=$(fsha s.state)
	$EMU fault s.state --signal-after-cmds "$stage" --signal $sig >/dev/null 2>&1
	msg=$($ODF flash emu:s.state v2.bin --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
	check "SIG$sig while staging (before the point of no return): exit 5" 5 $RC
	[ "$(fsha s.state)" = "$old" ] && ok "SIG$sig before the point of no return: flash unchanged" ||
		nok "SIG$sig before the point of no return: flash unchanged"
	says "SIG$sig before the point of no return: says nothing changed" "$msg" "unchanged"
	mode=$($EMU show s.state --json 2>/dev/null | jfield mode)
	[ "$mode" = normal ] && ok "SIG$sig early: the drive left safe mode" || nok "SIG$sig early: the drive left safe mode" "$mode"

	fresh s.state
	$EMU fault s.state --signal-after-cmds $((erase + 3)) --signal $sig >/dev/null 2>&1
	msg=$($ODF flash emu:s.state v2.bin --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
	check "SIG$sig mid-erase: odflash finishes the flash (exit 0)" 0 $RC
	[ "$(fsha s.state)" = "$want" ] && ok "SIG$sig mid-erase: the whole new firmware is in flash" ||
		nok "SIG$sig mid-erase: the whole new firmware is in flash"
	says "SIG$sig mid-erase: tells why it did not stop" "$msg" "half written" "once the drive is safe"
done
# the journal says what the signal did
$B/odflash history | has -E " flash +interrupted " &&
	ok "journal records the interrupted flash" || nok "journal records the interrupted flash"

# ---- SIGKILL mid-write: a drive left in safe mode, recovered ------------------------
fresh k.state
$EMU fault k.state --signal-after-cmds $((stage + 2)) --signal KILL >/dev/null 2>&1
rc=0; { $ODF flash emu:k.state v2.bin --yes --no-backup >/dev/null 2>&1; } 2>/dev/null || rc=$?
check "SIGKILL mid-stage kills odflash" 137 $rc
mode=$($B/odflash info emu:k.state --json 2>/dev/null | jfield mode)
[ "$mode" = safe ] && ok "the killed flash left the drive in safe mode" || nok "drive in safe mode" "$mode"
run $ODF flash emu:k.state v2.bin --yes --no-backup </dev/null >/dev/null 2>&1
check "flash refuses a drive in safe mode (recover is the way)" 5 $RC
run $ODF recover emu:k.state v2.bin --yes >/dev/null 2>&1
check "recover a drive in safe mode" 0 $RC
[ "$(fsha k.state)" = "$want" ] && ok "recovered: new firmware in flash" || nok "recovered: new firmware in flash"

# ---- re-enumeration on NEC ----------------------------------------------------------
# --reenumerate-skip 1: the restart after the bootcode read passes, the
# commit's restart (leave safe mode) drops the drive off the bus 3 opens
fresh re.state
$EMU fault re.state --reenumerate 3 --reenumerate-skip 1 >/dev/null 2>&1
run $ODF flash emu:re.state v2.bin --yes --no-backup >/dev/null 2>&1
check "NEC: re-enumeration after the commit, reopened by identity" 0 $RC
[ "$(fsha re.state)" = "$want" ] && ok "re-enumeration after the commit: new firmware" || nok "re-enumeration after the commit: new firmware"
left=$($EMU show re.state --json | jkey reenumerate_left)
[ "$left" = 0 ] && ok "the re-enumeration did happen" || nok "the re-enumeration did happen" "left=$left"
fresh re.state
$EMU fault re.state --reenumerate 2 >/dev/null 2>&1
run $ODF flash emu:re.state v2.bin --yes --no-backup >/dev/null 2>&1
check "NEC: re-enumeration after the bootcode read's safe-mode visit" 0 $RC

# ---- disc in the drive ---------------------------------------------------------------
fresh d.state
$EMU fault d.state --disc on >/dev/null 2>&1
old=$(fsha d.state)
msg=$($ODF flash emu:d.state v2.bin --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "a disc without --eject: refused (exit 5)" 5 $RC
[ "$(fsha d.state)" = "$old" ] && ok "a disc without --eject: flash byte-identical" ||
	nok "a disc without --eject: flash byte-identical"
[ "$($EMU show d.state --json | jq -r .tray_open)" = false ] &&
	ok "a disc without --eject: the tray stays closed" ||
	nok "a disc without --eject: the tray stays closed"
says "a disc without --eject: says why and what to do" "$msg" "a disc is in the drive" "--eject"
msg=$($ODF flash emu:d.state v2.bin --yes --no-backup --eject 2>&1 >/dev/null) && RC=0 || RC=$?
check "a disc that ejects (--eject): flashed" 0 $RC
says "a disc that ejects (--eject): the eject is announced" "$msg" "ejecting it"
fresh d.state
$EMU fault d.state --disc on --tray-locked on >/dev/null 2>&1
old=$(fsha d.state)
msg=$($ODF flash emu:d.state v2.bin --yes --no-backup --eject 2>&1 >/dev/null) && RC=0 || RC=$?
check "a disc that will not eject (tray locked, --eject): refused (exit 5)" 5 $RC
[ "$(fsha d.state)" = "$old" ] && ok "tray locked: flash byte-identical" || nok "tray locked: flash byte-identical"
says "tray locked: tells the user to remove the disc" "$msg" "remove the disc" "nothing was changed"
out=$($ODF flash emu:d.state v2.bin --yes --no-backup --eject --json 2>/dev/null) || true
[ "$(echo "$out" | jget .result)" = refused ] &&
	ok "tray locked: JSON result refused" || nok "tray locked: JSON result refused"

# ---- NEC bootcode flash ----------------------------------------------------------------
$EMU mkboot nec-nd3500 -o boot06.bin --version 06 >/dev/null 2>&1
fresh b.state
old=$(fsha b.state)
c0=$($EMU show b.state --json | jkey commands)
msg=$($ODF flash emu:b.state boot06.bin --bootcode --yes </dev/null 2>&1 >/dev/null) && RC=0 || RC=$?
check "bootcode: --yes alone refuses (exit 5)" 5 $RC
says "bootcode: the refusal names the missing second confirmation" "$msg" "--yes-bootcode"
run $ODF flash emu:b.state boot06.bin --bootcode </dev/null >/dev/null 2>&1
check "bootcode: no confirmation at all refuses (exit 5)" 5 $RC
run $ODF flash emu:b.state boot06.bin --yes-bootcode --yes </dev/null >/dev/null 2>&1
check "bootcode: --yes-bootcode without --bootcode is a usage error" 1 $RC
c1=$($EMU show b.state --json | jkey commands)
[ "$(fsha b.state)" = "$old" ] && [ "$c0" = "$c1" ] &&
	ok "bootcode refusals: flash byte-identical, no command sent" ||
	nok "bootcode refusals: flash byte-identical, no command sent" "commands $c0 -> $c1"
head -c 1000 boot06.bin >short.bin
run $ODF flash emu:b.state short.bin --bootcode --yes --yes-bootcode >/dev/null 2>&1
check "bootcode: a file of the wrong size is refused (exit 4)" 4 $RC
run $ODF flash emu:b.state v2.bin --bootcode --yes --yes-bootcode >/dev/null 2>&1
check "bootcode: a firmware file passed as bootcode is refused (exit 4)" 4 $RC
n=$($B/odflash flash emu:b.state boot06.bin --bootcode --dry-run | grep -c 'BOOTCODE') || true
[ "$n" -ge 1 ] && ok "bootcode: dry run marks the boot block write" || nok "bootcode: dry run marks the boot block write"
[ "$(fsha b.state)" = "$old" ] && ok "bootcode dry run: flash unchanged" || nok "bootcode dry run: flash unchanged"

out=$($ODF flash emu:b.state boot06.bin --bootcode --yes --yes-bootcode --json 2>"$T/err") && RC=0 || RC=$?
check "bootcode: flash with both confirmations" 0 $RC
[ "$(echo "$out" | jfield result)" = ok ] && ok "bootcode: JSON result ok" || nok "bootcode: JSON result ok" "$out"
says "bootcode: says the firmware must be flashed next" "$(cat "$T/err")" "no firmware" "odflash recover"
cmp -s <($EMU dumpflash b.state -o /dev/stdout 2>/dev/null | head -c 16384) boot06.bin &&
	ok "bootcode: the boot block holds the file" || nok "bootcode: the boot block holds the file"
rev=$($B/odflash info emu:b.state --json 2>/dev/null | jfield revision)
[ "$rev" = 0.06 ] && ok "bootcode: the drive answers with bootcode 0.06" || nok "bootcode: drive answers 0.06" "$rev"
# the backup's name is decided before the question, when the bootcode
# version is not read yet (safe mode comes after the yes): the JSON names it
ls "$XDG_STATE_HOME"/odflash/backups/*_bootcode_*.bin >/dev/null 2>&1 &&
	ok "bootcode: the old bootcode was backed up" || nok "bootcode: the old bootcode was backed up"
check "bootcode: the JSON names the old bootcode version" 05 "$(echo "$out" | jfield bootcode)"
bk=$(ls "$XDG_STATE_HOME"/odflash/backups/*_bootcode_*.bin | head -n 1) || true
$EMU mkboot nec-nd3500 -o boot05.bin >/dev/null 2>&1
fresh b5.state
cmp -s <($EMU dumpflash b5.state -o /dev/stdout 2>/dev/null | head -c 16384) "$bk" &&
	ok "bootcode: the backup equals the drive's old boot block" || nok "bootcode: backup equals the old boot block"
$B/odflash history 2>/dev/null | has " bootcode ok " &&
	ok "bootcode: journal entry" || nok "bootcode: journal entry"
run $ODF recover emu:b.state v2.bin --yes >/dev/null 2>&1
check "firmware tagged for bootcode 05 refused on bootcode 06" 5 $RC
run $ODF recover emu:b.state v2-noboot.bin --yes >/dev/null 2>&1
check "firmware flashed after the bootcode" 0 $RC
rev=$($B/odflash info emu:b.state --json 2>/dev/null | jfield revision)
[ "$rev" = 2.00 ] && ok "after bootcode + firmware: runs 2.00" || nok "after bootcode + firmware: runs 2.00" "$rev"

# power cut while the firmware area is erased: the old bootcode survives
fresh bref.state
$ODF flash emu:bref.state boot06.bin --bootcode --yes --yes-bootcode --no-backup >/dev/null 2>&1
berase=$(first bref.state "cb 04")
fresh pc.state
$EMU fault pc.state --power-cut-after-cmds $((berase + 2)) >/dev/null 2>&1
msg=$($ODF flash emu:pc.state boot06.bin --bootcode --yes --yes-bootcode --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "bootcode: power cut during the erase (exit 6)" 6 $RC
says "bootcode, cut during the erase: says the bootcode is intact and how to recover" "$msg" "old bootcode is intact" "odflash recover"
$EMU power-on pc.state >/dev/null 2>&1
[ "$($EMU show pc.state --json 2>/dev/null | jbool bootcode_broken)" = false ] &&
	ok "bootcode, cut during the erase: boot block intact" || nok "boot block intact"
run $ODF recover emu:pc.state v2.bin --yes >/dev/null 2>&1
check "bootcode, cut during the erase: recover with the firmware" 0 $RC

# power cut in the middle of the boot block write: dead, and said so
fresh pd.state
$EMU fault pd.state --power-cut-after-bytes 4000 >/dev/null 2>&1
msg=$($ODF flash emu:pd.state boot06.bin --bootcode --yes --yes-bootcode --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "bootcode: power cut during the boot block write (exit 6)" 6 $RC
says "bootcode, cut during the write: says no software can repair it" "$msg" "bootcode write was interrupted" "no software" "external flash programmer"
$EMU power-on pd.state >/dev/null 2>&1
[ "$($EMU show pd.state --json 2>/dev/null | jbool bootcode_broken)" = true ] &&
	ok "bootcode, cut during the write: odemu shows a broken bootcode" || nok "odemu shows a broken bootcode"
run $B/odflash info emu:pd.state >/dev/null 2>&1
check "bootcode, cut during the write: the drive does not answer (exit 2)" 2 $RC
exit 0
