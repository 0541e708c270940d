#!/bin/bash
# Issue #12: every outcome tells the truth about the drive.  Each case does
# what one row of the issue's table says and asserts the truth: the exit
# code and JSON result/changed of odflash against the emulated drive's
# ground truth (odemu show --json, odemu dumpflash).
. "$(dirname "$0")/lib/tap.sh"
e2e_setup outcomes
fresh() { rm -f "$2" "$2".*; $EMU new "$1" "$2" --version "$3" --serial O1 >/dev/null 2>&1; }
# odflash ... --json: the result object (the last line of stdout)
flashj() { J=$($ODF "$@" --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?; }
field() { printf '%s' "$J" | jq -r ".$1 | tostring"; }

# ---- row 1: spc-generic behind an 8 KiB bridge: written in 8 KiB chunks,
# read back in 8 KiB reads too (the path's cap), so verified ----
$EMU mkimage spc-generic -o s250.bin --version 2.50 >/dev/null 2>&1
fresh spc-generic s.state 2.00
$EMU fault s.state --max-transfer 8192 >/dev/null 2>&1
flashj flash emu:s.state s250.bin --yes --no-backup
check "8 KiB bridge: written and read back: exit 0" 0 $RC
check "8 KiB bridge: changed is true" true "$(field changed)"
check "8 KiB bridge: verified by reading back" "ok readback" "$(field result) $(field verified)"
check "8 KiB bridge: the drive runs 2.50 (truth)" 2.50 "$(emu s.state .revision)"

# ---- row 2: nd3500, power cut during the read-back ----
$EMU mkimage nec-nd3500 -o n2.bin --version 2.00 >/dev/null 2>&1
fresh nec-nd3500 n.state 1.00
$EMU fault n.state --power-cut-after-cmds 600 >/dev/null 2>&1
flashj flash emu:n.state n2.bin --yes
check "nd3500, power cut in the read-back: exit 7, not 2/3" 7 $RC
check "nd3500, power cut in the read-back: changed is true" true "$(field changed)"
check "nd3500: the cut did happen (drive powered off)" off "$(emu n.state .power)"
$EMU power-on n.state >/dev/null 2>&1
check "nd3500 after power-on runs the new firmware (truth)" 2.00 "$(emu n.state .revision)"
check "nd3500 after power-on: normal mode" normal "$(emu n.state .mode)"

# ---- row 3: LG, SIGINT during the wait after the SEND DIAGNOSTIC commit ----
$EMU mkimage lg-gsa4163b -o l2.bin --version 2.00 >/dev/null 2>&1
fresh lg-gsa4163b l.state 1.00
$EMU fault l.state --signal-after-cmds 40 >/dev/null 2>&1
flashj flash emu:l.state l2.bin --yes --no-backup
check "LG, SIGINT after the commit: the drive is new (truth)" 2.00 "$(emu l.state .revision)"
check "LG, SIGINT after the commit: changed is true" true "$(field changed)"
check "LG, SIGINT after the commit: signal recorded" 2 "$(field signal)"
[ "$(field result)" != interrupted ] && ok "LG, SIGINT after the commit: not 'interrupted'" ||
	nok "LG, SIGINT after the commit: not 'interrupted'" "$J"
case $(field error) in *"before anything was written"*|*unchanged*)
	nok "LG, SIGINT after the commit: no 'unchanged' claim" "$J" ;;
*) ok "LG, SIGINT after the commit: no 'unchanged' claim" ;; esac
check "LG, SIGINT after the commit: exit 0 (the write completed and re-identified)" 0 $RC

# ---- row 5: nd3500 with a disc, flash --yes: refused unless --eject ----
fresh nec-nd3500 d.state 1.00
$EMU fault d.state --disc on >/dev/null 2>&1
old=$(fsha d.state)
J=$($ODF flash emu:d.state n2.bin --yes --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
check "a disc, no --eject: refused (exit 5)" 5 $RC
check "a disc, no --eject: result refused" refused "$(field result)"
check "a disc, no --eject: changed is false" false "$(field changed)"
case $(field error) in *"a disc is in the drive"*) ok "a disc, no --eject: says why" ;;
*) nok "a disc, no --eject: says why" "$J" ;; esac
check "a disc, no --eject: the tray stays closed (truth)" false "$($EMU show d.state --json | jq -r .tray_open)"
check "a disc, no --eject: flash unchanged (truth)" "$old" "$(fsha d.state)"
msg=$($ODF flash emu:d.state n2.bin --yes --eject 2>&1 >/dev/null) && RC=0 || RC=$?
check "a disc, --eject: flashed" 0 $RC
case $msg in *"ejecting it (--eject)"*) ok "a disc, --eject: the eject is announced without -v" ;;
*) nok "a disc, --eject: the eject is announced without -v" "$msg" ;; esac
check "a disc, --eject: the tray was opened (truth)" true "$($EMU show d.state --json | jq -r .tray_open)"
check "a disc, --eject: the drive runs 2.00 (truth)" 2.00 "$(emu d.state .revision)"

# ---- row 6: --dry-run exits with the code the real run would ----
dry_vs_real() { # name, state, file, args...: the dry run and the real run agree
	local n=$1 st=$2 f=$3 rd rr old; shift 3
	old=$(fsha "$st")
	run $ODF flash "emu:$st" "$f" --yes --dry-run "$@" >/dev/null 2>&1; rd=$RC
	check "$n: the dry run changed nothing (truth)" "$old" "$(fsha "$st")"
	run $ODF flash "emu:$st" "$f" --yes "$@" >/dev/null 2>&1; rr=$RC
	check "$n: the real run refuses (exit 5)" 5 $rr
	check "$n: the dry run exits as the real run" $rr $rd
}
# an SPC drive behind an 8 KiB bridge is backed up in 8 KiB reads, so
# the dry run and the real run both go through (issue #12 item 8)
fresh spc-generic s8.state 2.00
$EMU fault s8.state --max-transfer 8192 >/dev/null 2>&1
old=$(fsha s8.state)
run $ODF flash emu:s8.state s250.bin --yes --dry-run >/dev/null 2>&1; rd=$RC
check "8 KiB bridge: the dry run changed nothing (truth)" "$old" "$(fsha s8.state)"
run $ODF flash emu:s8.state s250.bin --yes >/dev/null 2>&1
check "8 KiB bridge: the dry run and the real run (backup, flash, read-back) both exit 0" "0 0" "$rd $RC"
check "8 KiB bridge: the real run flashed 2.50 (truth)" 2.50 "$(emu s8.state .revision)"
for m in ps3-bd pioneer-dvr109; do
	$EMU mkimage $m -o $m.bin --version 1.10 >/dev/null 2>&1
	fresh $m $m.state 1.00
	dry_vs_real "$m without --no-backup" $m.state $m.bin
done
fresh nec-nd3500 dd.state 1.00
$EMU fault dd.state --disc on >/dev/null 2>&1
dry_vs_real "nd3500 with a disc" dd.state n2.bin --no-backup

# ---- row 4: plextor-px716 at 1.11, never flashed, verify px-1.12.bin ----
$EMU mkimage plextor-px716 -o px-1.12.bin --version 1.12 >/dev/null 2>&1
fresh plextor-px716 px.state 1.11
J=$($ODF verify emu:px.state px-1.12.bin --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
check "plextor verify of an image without a version: exit 7" 7 $RC
check "plextor verify: result cannot-verify" cannot-verify "$(field result)"
case $(field error) in *"nothing was compared"*) ok "plextor verify: says what could not be compared" ;;
*) nok "plextor verify: says what could not be compared" "$J" ;; esac
check "plextor verify: the drive still runs 1.11 (truth)" 1.11 "$(emu px.state .revision)"
# the same for a flash: written and re-identified, but nothing compared
J=$($ODF flash emu:px.state px-1.12.bin --yes --no-backup --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
check "plextor flash of an image without a version: exit 7" 7 $RC
check "plextor flash: result cannot-verify" cannot-verify "$(field result)"
check "plextor flash: changed is true" true "$(field changed)"
case $(field error) in *"was written"*"cannot verify"*"nothing was compared"*) ok "plextor flash: says it was written and nothing was compared" ;;
*) nok "plextor flash: says it was written and nothing was compared" "$J" ;; esac
check "plextor flash: not called verified" null "$(field verified)"
check "plextor flash: the drive runs 1.12 (truth)" 1.12 "$(emu px.state .revision)"
