#!/bin/bash
# Issue #12 item 6: the write-ahead journal.  A flash killed mid-erase
# (SIGKILL, as when the host freezes or loses power) is in `history` as
# interrupted, with serial, sha256 and backup; `recover DEVICE` without a
# file takes the journal's file and the drive runs it (odemu show,
# dumpflash); with no unfinished flash it offers the last good backup;
# history filters by device and -n; a cut journal line is skipped with a
# warning; a signal before any change is exit 5 "interrupted", journaled.
. "$(dirname "$0")/lib/tap.sh"
e2e_setup journal
J="$T/state/odflash/journal.jsonl"
fresh() { rm -f "$1" "$1".*; $EMU new nec-nd3500 "$1" --version 1.00 --serial "$2" >/dev/null 2>&1; }
# the last history entry (JSON) for a device
last() { $B/odflash history --device "$1" -n 1 --json 2>/dev/null | jq -c '.entries[0]'; }

$EMU mkimage nec-nd3500 -o v2.bin --version 2.00 >/dev/null 2>&1
sha=$($B/odflash identify v2.bin --json 2>/dev/null | jget '.files[0].sha256')
[ ${#sha} = 64 ] && ok "the image's sha256 is known ($sha)" || nok "the image's sha256" "$sha"

# ---- reference: a whole flash with its backup, to find the first erase ----
fresh ref.state R0
run $ODF flash emu:ref.state v2.bin --yes >/dev/null 2>&1
check "reference flash" 0 $RC
want=$(fsha ref.state)
erase=$($EMU log ref.state | grep " cdb=cb 04" | head -n 1 | cut -d' ' -f1)
[ -n "$erase" ] && ok "reference: first erase at command $erase" || nok "reference: first erase"

# ---- SIGKILL mid-erase ----
fresh k.state K1
$EMU fault k.state --signal-after-cmds $((erase + 3)) --signal KILL >/dev/null 2>&1
rc=0; { $ODF flash emu:k.state v2.bin --yes >/dev/null 2>&1; } 2>/dev/null || rc=$?
check "SIGKILL mid-erase kills odflash" 137 $rc
check "the killed flash left the drive in safe mode (truth)" safe "$(emu k.state .mode)"
e=$(last emu:k.state)
check "history: the killed flash is interrupted" interrupted "$(printf '%s' "$e" | jget .result)"
check "history: no outcome recorded" false "$(printf '%s' "$e" | jq -r .outcome_recorded)"
check "history: exit code null (never known)" null "$(printf '%s' "$e" | jq -r .exit_code)"
check "history: the serial" K1 "$(printf '%s' "$e" | jget .serial)"
check "history: the image's sha256" "$sha" "$(printf '%s' "$e" | jget .sha256)"
check "history: the file, absolute" "$T/v2.bin" "$(printf '%s' "$e" | jget .file)"
bk=$(printf '%s' "$e" | jget .backup)
[ -n "$bk" ] && [ -s "$bk" ] && ok "history: the backup path, and the backup exists" ||
	nok "history: the backup path" "$bk"
n=$(printf '%s' "$e" | jget .plan_steps)
[ "${n:-0}" -gt 0 ] && ok "history: the plan size ($n steps)" || nok "history: the plan size" "$n"
txt=$($B/odflash history --device emu:k.state 2>&1)
printf '%s\n' "$txt" | has -E " flash +interrupted " &&
	ok "history text: flash interrupted" || nok "history text: flash interrupted" "$txt"
says "history text: serial, sha256, backup path and what to do" "$txt" \
	"serial K1" "sha256 $sha" "backup $bk" "odflash recover emu:k.state"

# ---- SIGKILL during the backup read: journaled, the drive never written ----
fresh kb.state KB
old=$(fsha kb.state)
$EMU fault kb.state --signal-after-cmds 20 --signal KILL >/dev/null 2>&1
rc=0; { $ODF flash emu:kb.state v2.bin --yes >/dev/null 2>&1; } 2>/dev/null || rc=$?
check "SIGKILL during the backup kills odflash" 137 $rc
check "... the flash is unchanged, normal mode (truth)" "$old normal" "$(fsha kb.state) $(emu kb.state .mode)"
e=$(last emu:kb.state)
# after 20 commands odflash is inside a read bracketed by safe mode,
# journaled before safe mode is entered: phase "mode", mode "safe" (the
# drive may be in it; here it is not: normal above)
check "... history: interrupted, phase mode, safe (a read in safe mode, before any write)" \
	"interrupted mode safe false" \
	"$(printf '%s' "$e" | jq -r '"\(.result) \(.phase) \(.mode) \(.outcome_recorded)"')"
says "... history text says nothing was written" "$($B/odflash history --device emu:kb.state 2>&1)" \
	"during a read in safe mode, before it wrote anything"
run $ODF recover emu:kb.state --yes >/dev/null 2>&1
check "... recover DEVICE does not offer that file (nothing unfinished, no backup): exit 1" 1 $RC

# ---- recover DEVICE without FILE: the journal's file ----
msg=$($ODF recover emu:k.state --yes 2>&1 >/dev/null) && RC=0 || RC=$?
check "recover DEVICE (no FILE) after the kill" 0 $RC
says "recover names the file and why" "$msg" "$T/v2.bin" "did not end" "interrupted" "serial K1"
check "recovered: normal mode (truth)" normal "$(emu k.state .mode)"
check "recovered: revision 2.00 (truth)" 2.00 "$(emu k.state .revision)"
check "recovered: the flash equals a clean flash of v2.bin (truth)" "$want" "$(fsha k.state)"
e=$(last emu:k.state)
check "history: the recovery is ok" ok "$(printf '%s' "$e" | jget .result)"
check "history: the recovery is a recover" recover "$(printf '%s' "$e" | jget .op)"
n=$($B/odflash history --device emu:k.state --json 2>/dev/null | jq '[.entries[] | select(.result == "interrupted")] | length')
check "history: the interrupted flash stays interrupted" 1 "$n"

# ---- a drive power cut mid-erase: the run knows it failed; recover DEVICE ----
fresh p.state P1
$EMU fault p.state --power-cut-after-cmds $((erase + 3)) >/dev/null 2>&1
run $ODF flash emu:p.state v2.bin --yes >/dev/null 2>&1
check "power cut mid-erase: exit 6" 6 $RC
check "... history: failed, exit 6, the file" "failed 6 $T/v2.bin" \
	"$(last emu:p.state | jq -r '"\(.result) \(.exit_code) \(.file)"')"
$EMU power-on p.state >/dev/null 2>&1
check "... after power-on the drive is in safe mode (truth)" safe "$(emu p.state .mode)"
msg=$($ODF recover emu:p.state --yes 2>&1 >/dev/null) && RC=0 || RC=$?
check "... recover DEVICE (no FILE)" 0 $RC
says "... it takes the failed flash's file" "$msg" "$T/v2.bin" "did not end (failed)"
check "... the drive runs 2.00, the flash a clean v2.bin (truth)" "2.00 $want" \
	"$(emu p.state .revision) $(fsha p.state)"

# ---- recover DEVICE without FILE, nothing unfinished: the last good backup ----
fresh b.state B1
run $ODF flash emu:b.state v2.bin --yes >/dev/null 2>&1
check "flash with a backup" 0 $RC
bk=$(last emu:b.state | jget .backup)
msg=$($ODF recover emu:b.state --yes 2>&1 >/dev/null) && RC=0 || RC=$?
check "recover DEVICE (no FILE) with a backup and no unfinished flash" 0 $RC
says "recover offers the last good backup and says why" "$msg" "$bk" "last good backup" "revision 1.00" "serial B1"
check "the drive runs the backed-up 1.00 again (truth)" 1.00 "$(emu b.state .revision)"

# ---- recover DEVICE without FILE: the backup changed since (its sha256 is
# no longer its sidecar's: recovery.c backup_state) ----
fresh bc.state BC1
run $ODF flash emu:bc.state v2.bin --yes >/dev/null 2>&1
check "flash with a backup (to be changed)" 0 $RC
bkc=$(last emu:bc.state | jget .backup)
printf 'x' | dd of="$bkc" bs=1 seek=4096 conv=notrunc 2>/dev/null
msg=$($ODF recover emu:bc.state --yes 2>&1 >/dev/null) && RC=0 || RC=$?
check "recover DEVICE whose only backup changed: usage error (give FILE)" 1 $RC
says "... and says the backup was passed over as changed" "$msg" "$bkc would have been offered but is changed"

# ---- recover DEVICE without FILE, nothing recorded ----
fresh n.state N1
old=$(fsha n.state)
msg=$($ODF recover emu:n.state --yes 2>&1 >/dev/null) && RC=0 || RC=$?
check "recover DEVICE with nothing in the journal: usage error" 1 $RC
says "it says the journal has nothing for this drive" "$msg" "no FILE given" "serial N1" "odflash recover emu:n.state FILE"
check "nothing recorded: flash unchanged (truth)" "$old" "$(fsha n.state)"

# ---- recover DEVICE without FILE: the recorded file changed since ----
fresh c.state C1
$EMU fault c.state --signal-after-cmds $((erase + 3)) --signal KILL >/dev/null 2>&1
cp v2.bin v2c.bin
rc=0; { $ODF flash emu:c.state v2c.bin --yes >/dev/null 2>&1; } 2>/dev/null || rc=$?
printf 'x' | dd of=v2c.bin bs=1 seek=4096 conv=notrunc 2>/dev/null
msg=$($ODF recover emu:c.state --yes 2>&1 >/dev/null) && RC=0 || RC=$?
check "the interrupted flash's file changed since: recover takes the backup" 0 $RC
says "... and says the file was passed over as changed" "$msg" "$T/v2c.bin is changed" "last good backup"
check "... the drive runs its backed-up 1.00 (truth)" 1.00 "$(emu c.state .revision)"

# ---- history filters ----
n=$($B/odflash history --json 2>/dev/null | jq '.entries | length')
m=$($B/odflash history --device emu:b.state --json 2>/dev/null | jq '.entries | length')
o=$($B/odflash history --device emu:b.state --json 2>/dev/null | jq '[.entries[] | select(.device != "emu:b.state")] | length')
[ "$n" -gt "$m" ] && [ "$m" = 2 ] && [ "$o" = 0 ] &&
	ok "history --device: only that drive's $m of $n entries" || nok "history --device" "all $n, b $m, others $o"
check "history -n 1: one entry" 1 "$($B/odflash history -n 1 --json 2>/dev/null | jq '.entries | length')"
check "history -n 1: the newest" "$($B/odflash history --json 2>/dev/null | jq -c '.entries[-1]')" \
	"$($B/odflash history -n 1 --json 2>/dev/null | jq -c '.entries[0]')"
run $B/odflash history -n 0 --json >out.json 2>/dev/null
check "history -n 0: usage error" 1 $RC
check "history -n 0 --json: one JSON object" usage-error "$(jget .result <out.json)"

# ---- a cut journal line ----
n=$($B/odflash history --json 2>/dev/null | jq '.entries | length')
printf '{"id":"cut","phase":"intent","op":"fla' >>"$J"
err=$($B/odflash history 2>&1 >/dev/null) && RC=0 || RC=$?
check "history with a cut last line: exit 0" 0 $RC
says "history warns about the cut line" "$err" "1 line" "not a whole record" "skipped"
check "the cut line is skipped, the rest kept" "$n" "$($B/odflash history --json 2>/dev/null | jq '.entries | length')"
fresh d.state D1
run $ODF flash emu:d.state v2.bin --yes --no-backup >/dev/null 2>&1
check "a flash after the cut line" 0 $RC
check "its entry is whole (the cut line was closed first)" ok "$(last emu:d.state | jget .result)"
check "history: one line skipped, $((n + 1)) entries" "1 $((n + 1))" \
	"$($B/odflash history --json 2>/dev/null | jq -r '"\(.skipped_lines) \(.entries | length)"')"

# ---- a signal before any change: exit 5, interrupted, journaled ----
fresh s.state S1
old=$(fsha s.state)
$EMU fault s.state --signal-after-cmds 20 --signal INT >/dev/null 2>&1
out=$($ODF flash emu:s.state v2.bin --yes --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
check "SIGINT during the backup read: exit 5" 5 $RC
check "... result interrupted" interrupted "$(printf '%s' "$out" | jget .result)"
check "... changed false" false "$(printf '%s' "$out" | jq -r .changed)"
check "... the flash is unchanged (truth)" "$old" "$(fsha s.state)"
check "... the drive is in normal mode (truth)" normal "$(emu s.state .mode)"
e=$(last emu:s.state)
check "... journaled as interrupted with exit 5" "interrupted 5" \
	"$(printf '%s' "$e" | jq -r '"\(.result) \(.exit_code)"')"
exit 0
