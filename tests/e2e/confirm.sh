#!/bin/bash
# Issue #12 item 4: nothing happens before the user agrees to it.  The
# question comes before anything that touches the drive beyond
# identification reads and names what will happen (the backup's path, an
# eject, a same-version reflash, a downgrade, a crossflash); "no" leaves the
# drive as it was with no command past identification sent; a guarded
# downgrade (Pioneer DVR-104) needs --allow-downgrade; --dry-run shows the
# question.  The prompt reads a terminal: `script` gives odflash a pty.
. "$(dirname "$0")/lib/tap.sh"
e2e_tmp confirm
export XDG_STATE_HOME="$T/state" ODF_REOPEN_DELAY_MS=1 ODF_WAIT_MAX_MS=0
ODF="$B/odflash -q"
EMU="$B/odemu"
fresh() { rm -f "$2" "$2".*; $EMU new "$1" "$2" --version "$3" --serial C1 >/dev/null 2>&1; }
# answer ANSWER CMD...: run odflash on a pty, typing ANSWER at the prompt;
# its output (prompt included) in $OUT, its exit code in $RC
answer() {
	local a=$1 cmd; shift
	printf -v cmd '%q ' "$@"
	OUT=$(printf '%s\n' "$a" | script -qec "$cmd" /dev/null 2>&1) && RC=0 || RC=$?
}
backups() { find "$XDG_STATE_HOME" -path '*backups*' -type f 2>/dev/null | wc -l; }
# every command in the drive's log is an identification read: INQUIRY,
# TEST UNIT READY, REQUEST SENSE, GET CONFIGURATION, or a vendor ID read
# of at most 128 bytes (NEC ReadRAM of the ID block, Pioneer 3C 02 F1, LG
# and MediaTek ID reads); prints the offending lines
not_ident() {
	awk '{ op = substr($2, 5, 2); dir = ""; len = 0
	       for (i = 3; i <= NF; i++) {
		       if ($i ~ /^dir=/) dir = substr($i, 5)
		       if ($i ~ /^len=/) len = substr($i, 5) + 0
	       }
	       if (op == "12" || op == "00" || op == "03" || op == "46") next
	       # NEC: ReadRAM (CC 00) only, never SetSafeMode (CC 01)
	       if (op == "cc" && $3 != "00") { print; next }
	       if (dir == "in" && len <= 128) next
	       print }' "$1.log"
}

$EMU mkimage nec-nd3500 -o n1.bin --version 1.00 >/dev/null 2>&1
$EMU mkimage nec-nd3500 -o n2.bin --version 2.00 >/dev/null 2>&1

# ---- "no" at the prompt: nothing past identification, no backup ----------------
fresh nec-nd3500 n.state 1.00
old=$(fsha n.state)
answer n $ODF flash emu:n.state n2.bin
check "answer no: exit 5 (not confirmed)" 5 $RC
printf '%s' "$OUT" | has "not confirmed" && ok "answer no: says not confirmed" ||
	nok "answer no: says not confirmed" "$OUT"
printf '%s' "$OUT" | has "saved to $XDG_STATE_HOME/odflash/backups/_NEC_DVD_RW_ND-3500AG_1.00_" &&
	ok "the question names the backup's path" || nok "the question names the backup's path" "$OUT"
printf '%s' "$OUT" | has "version: 2.00 replaces 1.00 (an upgrade)" &&
	ok "the question names the upgrade" || nok "the question names the upgrade" "$OUT"
printf '%s' "$OUT" | has "enters safe mode for a moment" &&
	ok "the question names the moment in safe mode (bootcode)" ||
	nok "the question names the moment in safe mode (bootcode)" "$OUT"
check "answer no: flash byte-identical (truth)" "$old" "$(fsha n.state)"
check "answer no: the drive is in normal mode (truth)" normal "$(emu n.state .mode)"
check "answer no: no backup file written" 0 "$(backups)"
n=$(wc -l <n.state.log)
[ "$n" -gt 3 ] && ok "answer no: the drive got its identification ($n commands)" ||
	nok "answer no: the drive got its identification" "$n commands"
bad=$(not_ident n.state)
[ -z "$bad" ] && ok "answer no: every command sent was an identification read (no safe mode, no dump read)" ||
	nok "answer no: only identification reads" "$bad"
has "cdb=cc 01" <n.state.log && nok "answer no: safe mode never entered" || ok "answer no: safe mode never entered"

# ---- "yes" at the prompt: the flash goes on, the named backup is written ------------
answer y $ODF flash emu:n.state n2.bin
check "answer yes: flashed (exit 0)" 0 $RC
check "answer yes: the drive runs 2.00 (truth)" 2.00 "$(emu n.state .revision)"
check "answer yes: one backup and its sidecar written" 2 "$(backups)"

# ---- --json: the question asked is in the result and names the backup written -----
fresh nec-nd3500 j.state 1.00
J=$($ODF flash emu:j.state n2.bin --yes --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
check "--json flash: exit 0" 0 $RC
bk=$(printf '%s' "$J" | jq -r .backup)
printf '%s' "$J" | jq -r .confirmation | has "saved to $bk first" &&
	ok "--json: the confirmation names the backup that was written" ||
	nok "--json: the confirmation names the backup that was written" "$J"

# ---- same version, downgrade without a guard: stated in words ----------------------
out=$($ODF flash emu:j.state n2.bin --dry-run 2>&1) && RC=0 || RC=$?
check "dry run, same version: exit 0" 0 $RC
printf '%s' "$out" | has "dry run: the real run asks" && ok "--dry-run prints the confirmation" ||
	nok "--dry-run prints the confirmation" "$out"
printf '%s' "$out" | has "a reflash of 2.00, the version the drive already runs" &&
	ok "the question names a same-version reflash" || nok "the question names a same-version reflash" "$out"
out=$($ODF flash emu:j.state n1.bin --dry-run --no-backup 2>&1) && RC=0 || RC=$?
check "dry run, NEC downgrade (no guard): exit 0" 0 $RC
printf '%s' "$out" | has "a DOWNGRADE from 2.00 to the older 1.00" &&
	ok "the question names a downgrade" || nok "the question names a downgrade" "$out"
printf '%s' "$out" | has "backup: none (--no-backup)" &&
	ok "the question says there is no backup (--no-backup)" || nok "the question says no backup" "$out"

# ---- a disc and --eject: announced in the question, sent only after the yes --------
fresh nec-nd3500 d.state 1.00
$EMU fault d.state --disc on >/dev/null 2>&1
old=$(fsha d.state)
answer n $ODF flash emu:d.state n2.bin --eject --no-backup
check "disc, --eject, answer no: exit 5" 5 $RC
printf '%s' "$OUT" | has "eject: a disc is in the drive" && ok "the question names the eject" ||
	nok "the question names the eject" "$OUT"
check "disc, --eject, answer no: the tray stays closed (truth)" false "$($EMU show d.state --json | jq -r .tray_open)"
check "disc, --eject, answer no: flash byte-identical (truth)" "$old" "$(fsha d.state)"
has "cdb=1b" <d.state.log && nok "disc, answer no: no START STOP UNIT sent" ||
	ok "disc, answer no: no START STOP UNIT sent"

# ---- Pioneer DVR-104: a downgrade needs --allow-downgrade -------------------------------
$EMU mkimage pioneer-dvr104 -o p110.bin --version 1.10 >/dev/null 2>&1
$EMU mkimage pioneer-dvr104 -o p140.bin --version 1.40 >/dev/null 2>&1
fresh pioneer-dvr104 p.state 1.30
old=$(fsha p.state)
msg=$($ODF flash emu:p.state p110.bin --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "DVR-104 downgrade without --allow-downgrade: refused (exit 5)" 5 $RC
case $msg in *"a downgrade"*"anti-downgrade"*"--allow-downgrade"*) ok "the refusal says why and what to do" ;;
*) nok "the refusal says why and what to do" "$msg" ;; esac
check "DVR-104 refused downgrade: flash byte-identical (truth)" "$old" "$(fsha p.state)"
bad=$(not_ident p.state)
[ -z "$bad" ] && ok "DVR-104 refused downgrade: only identification reads sent" ||
	nok "DVR-104 refused downgrade: only identification reads sent" "$bad"
run $ODF flash emu:p.state p110.bin --dry-run --no-backup >/dev/null 2>&1
check "DVR-104 downgrade, dry run: exits as the real run (5)" 5 $RC
out=$($ODF flash emu:p.state p110.bin --dry-run --no-backup --allow-downgrade 2>&1) && RC=0 || RC=$?
check "DVR-104 downgrade, --allow-downgrade dry run: exit 0" 0 $RC
printf '%s' "$out" | has "a DOWNGRADE from 1.30 to the older 1.10; the drive guards against older firmware" &&
	ok "the question names the guarded downgrade" || nok "the question names the guarded downgrade" "$out"
run $ODF flash emu:p.state p110.bin --yes --no-backup --allow-downgrade >/dev/null 2>&1
check "DVR-104 downgrade with --allow-downgrade: flashed (exit 0)" 0 $RC
check "DVR-104 with --allow-downgrade: the drive runs 1.10 (truth)" 1.10 "$(emu p.state .revision)"
run $ODF flash emu:p.state p140.bin --yes --no-backup >/dev/null 2>&1
check "DVR-104 upgrade needs no --allow-downgrade (exit 0)" 0 $RC
check "DVR-104 upgrade: the drive runs 1.40 (truth)" 1.40 "$(emu p.state .revision)"

# ---- crossflash: from which model to which ----------------------------------------------
$EMU mkimage lg-gdr8164b -o gdr.bin --version 2.00 >/dev/null 2>&1
fresh lg-gsa4163b l.state 1.00
out=$($ODF flash emu:l.state gdr.bin --dry-run --no-backup --crossflash 2>&1) && RC=0 || RC=$?
check "LG crossflash dry run: exit 0" 0 $RC
printf '%s' "$out" | has "CROSSFLASH (--crossflash): the drive, a GSA-4163B, will run firmware made for GDR8164B" &&
	ok "the question names the crossflash, from which model to which" ||
	nok "the question names the crossflash" "$out"

# ---- recover --dry-run: the question, nothing sent ------------------------------------------
J=$($ODF recover emu:j.state n2.bin --dry-run --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
check "recover --dry-run: exit 0" 0 $RC
check "recover --dry-run: result dry-run" dry-run "$(printf '%s' "$J" | jq -r .result)"
q=$(printf '%s' "$J" | jq -r .confirmation)
case $q in "Recover _NEC DVD_RW ND-3500AG"*"backup: none (a recovery writes without one)"*) true ;; *) false ;; esac &&
	ok "recover --dry-run: the confirmation is in the JSON" ||
	nok "recover --dry-run: the confirmation is in the JSON" "$J"
