#!/bin/bash
# Issue #12 items 5, 7 and 8, each against the emulator's truth (odemu
# show/log/dumpflash):
#  - a dump is parsed and checksum-checked before it is called a backup;
#    a drive in safe mode is dumped as found, named and recorded so (exit 7);
#  - exit codes: no dump possible = 5 for every family and refusing drive,
#    in dump, flash (backup) and --dry-run; a busy drive = 5; --chunk over
#    the protocol's maximum and --bootcode --crossflash are usage errors;
#    usage errors with --json print one JSON object;
#  - a bridge that drops vendor opcodes is named as such (exit 5, nothing
#    sent past the probe), not "the image does not fit"; an SPC drive
#    behind an 8 KiB bridge is backed up in 8 KiB reads; dump --chunk.
. "$(dirname "$0")/lib/tap.sh"
e2e_setup dumps
fresh() { rm -f "$2" "$2".*; $EMU new "$1" "$2" --version "${3:-1.00}" --serial D1 >/dev/null 2>&1; }
lastj() { $B/odflash history -n 1 --json 2>/dev/null | jq -c '.entries[0]'; }

# ================= item 5: dumps are checked =================
$EMU mkimage nec-nd3500 -o v2.bin --version 2.00 >/dev/null 2>&1
fresh nec-nd3500 g.state
out=$($ODF dump emu:g.state -o good.bin 2>/dev/null) && RC=0 || RC=$?
check "normal-mode dump: exit 0" 0 $RC
says "normal-mode dump: says it was checked" "$out" "a valid image (parsed, checksum good)"
check "normal-mode dump: the sidecar says valid" "true checksum-good" "$(jq -r '"\(.valid) \(.check)"' good.bin.json)"
check "normal-mode dump: identify agrees (checksum ok)" true \
	"$($B/odflash identify good.bin --json 2>/dev/null | jq -r '.files[0].checksum.ok')"
$EMU dumpflash g.state -o g.flash >/dev/null 2>&1
# the firmware body: flash 0x6000, 0xFA000 bytes (as flash_pipeline.sh)
cmp -s <(tail -c +$((0x6000 + 1)) g.flash | head -c $((0xFA000))) <(head -c $((0xFA000)) good.bin) &&
	ok "normal-mode dump: its body is the drive's flash (truth)" ||
	nok "normal-mode dump: its body is the drive's flash (truth)"

# SIGINT during a dump: held to the end of the read, then exit 5, no file
fresh nec-nd3500 i.state
$EMU fault i.state --signal-after-cmds 30 --signal INT >/dev/null 2>&1
J=$($ODF dump emu:i.state -o i.bin --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
check "SIGINT during a dump: exit 5, interrupted" "5 interrupted" "$RC $(printf '%s' "$J" | jget .result)"
[ ! -e i.bin ] && ok "SIGINT during a dump: no file" || nok "SIGINT during a dump: no file"
check "SIGINT during a dump: the drive is left in normal mode (truth)" normal "$(emu i.state .mode)"

# a drive left in safe mode by a flash killed mid-erase
fresh nec-nd3500 k.state
$EMU fault k.state --signal-after-cmds 60 --signal KILL >/dev/null 2>&1
rc=0; { $ODF flash emu:k.state v2.bin --yes --no-backup >/dev/null 2>&1; } 2>/dev/null || rc=$?
check "the killed flash left the drive in safe mode (truth)" "137 safe" "$rc $(emu k.state .mode)"
J=$($ODF dump emu:k.state --json 2>err.txt | tail -n 1) && RC=0 || RC=$?
check "safe-mode dump: exit 7, never 0" 7 $RC
check "safe-mode dump: result as-found" "as-found true" "$(printf '%s' "$J" | jq -r '"\(.result) \(.as_found)"')"
f=$(printf '%s' "$J" | jget .file)
case $f in *_AS-FOUND_not-a-valid-image.bin) ok "safe-mode dump: the file is named as found ($f)" ;;
*) nok "safe-mode dump: the file is named as found" "$f" ;; esac
[ -s "$f" ] && ok "safe-mode dump: the bytes are kept" || nok "safe-mode dump: the bytes are kept"
check "safe-mode dump: the sidecar says as-found, not valid, safe mode" \
	"false|as-found, not a valid image|safe" "$(jq -r '"\(.valid)|\(.note)|\(.mode)"' "$f.json")"
says "safe-mode dump: the loud warning" "$(cat err.txt)" "THE DUMP IS NOT A BACKUP" "NOT a valid image" "safe mode"
says "safe-mode dump: the reason names the wrong checksum" "$(printf '%s' "$J" | jget .error.message)" "checksum is wrong"
check "safe-mode dump: identify of the file says checksum wrong (truth of the bytes)" false \
	"$($B/odflash identify "$f" --json 2>/dev/null | jq -r '.files[0].checksum.ok')"
check "safe-mode dump: the journal records it as-found with its file" "dump as-found $T/$f" \
	"$(lastj | jq -r '"\(.op) \(.result) \(.file)"')"
out=$($ODF dump emu:k.state -o k2.bin 2>/dev/null) || true
case $out in *dumped*) nok "safe-mode dump: never the plain 'dumped N bytes'" "$out" ;;
*) ok "safe-mode dump: never the plain 'dumped N bytes'" ;; esac
[ ! -e k2.bin ] && [ -s k2_AS-FOUND_not-a-valid-image.bin ] &&
	ok "safe-mode dump -o k2.bin: written as k2_AS-FOUND_not-a-valid-image.bin" ||
	nok "safe-mode dump -o k2.bin: written as k2_AS-FOUND_not-a-valid-image.bin"

# ================= item 7: exit codes =================
# no dump possible: one code (5) in dump, flash (backup) and --dry-run
n=0
for m in ps3-bd plextor-px716 pioneer-dvr109 tsst-tsh353c spc-quiet spc-refuse; do
	fresh $m n.state
	$EMU mkimage $m -o n2.bin --version 2.00 >/dev/null 2>&1
	old=$(fsha n.state)
	run $ODF dump emu:n.state -o nd.bin
	r1=$RC
	run $ODF flash emu:n.state n2.bin --yes --crossflash
	r2=$RC
	run $ODF flash emu:n.state n2.bin --dry-run --crossflash
	r3=$RC
	check "$m: no dump = exit 5 in dump, flash and --dry-run" "5 5 5" "$r1 $r2 $r3"
	[ ! -e nd.bin ] && [ "$(fsha n.state)" = "$old" ] &&
		ok "$m: no file written, the flash unchanged (truth)" ||
		nok "$m: no file written, the flash unchanged (truth)"
	rm -f nd.bin n2.bin
	n=$((n + 1))
done 2>/dev/null
count_is "no-dump exit code checked for every family without a dump" 6 $n

# a busy drive: another process holds it
fresh nec-nd3500 busy.state
exec 9>busy.state.lock
flock -n 9 && ok "busy drive: this shell holds the drive's lock" || nok "busy drive: lock taken"
J=$($ODF flash emu:busy.state v2.bin --yes --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
check "busy drive: flash exit 5" 5 $RC
says "busy drive: says it is in use" "$(printf '%s' "$J" | jget .error.message)" "in use"
run $ODF info emu:busy.state >/dev/null 2>&1
check "busy drive: info exit 5" 5 $RC
exec 9>&-
check "busy drive: untouched (truth)" 1.00 "$(emu busy.state .revision)"

# conflicting options
fresh nec-nd3500 c.state
old=$(fsha c.state)
J=$($ODF flash emu:c.state v2.bin --yes --chunk 1M --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
check "--chunk over the NEC maximum: usage error" 1 $RC
says "--chunk over the maximum: says the maximum" "$(printf '%s' "$J" | jget .error.message)" "a chunk of 1048576 bytes is more than" "nec"
check "--chunk over the maximum: nothing written (truth)" "$old" "$(fsha c.state)"
fresh spc-generic sc.state
run $ODF dump emu:sc.state -o x.bin --chunk 1M 2>/dev/null
check "dump --chunk over the SPC maximum: usage error" 1 $RC
[ ! -e x.bin ] && ok "dump --chunk over the maximum: no file" || nok "dump --chunk over the maximum: no file"
$EMU mkboot nec-nd3500 -o boot.bin >/dev/null 2>&1
run $ODF flash emu:c.state boot.bin --bootcode --crossflash --yes --yes-bootcode 2>/dev/null
check "--bootcode --crossflash: usage error" 1 $RC
check "--bootcode --crossflash: nothing written (truth)" "$old" "$(fsha c.state)"
# usage errors with --json: one JSON object on stdout
n=0
for args in "flash --json" "recover --json" "dump --json" "history --bogus --json" \
	    "flash emu:c.state v2.bin --chunk 0 --json" "recover emu:c.state a b --json" \
	    "history -n x --json" "-q -v history --json"; do
	out=$($B/odflash $args 2>/dev/null) && RC=0 || RC=$?
	check "usage error, one JSON object: odflash $args" "1 1 usage-error" \
		"$RC $(printf '%s' "$out" | jq -s length) $(printf '%s' "$out" | jget .result)"
	n=$((n + 1))
done
count_is "usage errors with --json" 8 $n

# ================= item 8: bridges told apart from wrong files =================
n=0
for m in nec-nd3500 optiarc-ad7170 tsst-se506cb tsst-tsh353c; do
	fresh $m br.state
	$EMU fault br.state --drop-vendor-opcodes >/dev/null 2>&1
	$EMU mkimage $m -o br2.bin --version 2.00 >/dev/null 2>&1
	old=$(fsha br.state)
	J=$($ODF flash emu:br.state br2.bin --yes --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
	check "$m behind a vendor-dropping bridge: refused, exit 5" 5 $RC
	e=$(printf '%s' "$J" | jget .error.message)
	says "$m: names the bridge" "$e" "the vendor commands do not reach the drive" "bridge likely filters them"
	says "$m: says to connect it directly" "$(printf '%s' "$J" | jget .error.hint)" "connect the drive directly"
	case $e in *"does not fit"*) nok "$m: not 'the image does not fit'" "$e" ;;
	*) ok "$m: not 'the image does not fit'" ;; esac
	check "$m: flash unchanged (truth)" "$old" "$(fsha br.state)"
	ops=$($EMU log br.state | sed 's/.* cdb=\([0-9a-f][0-9a-f]\).*/\1/' | sort -u | tr '\n' ' ')
	case " $ops" in *" 3b "*|*" 1b "*|*" 00 "*) nok "$m: nothing sent past the probe" "opcodes: $ops" ;;
	*) ok "$m: nothing sent past the probe (opcodes: $ops)" ;; esac
	run $ODF dump emu:br.state -o brd.bin
	check "$m: dump refused the same way (exit 5)" 5 $RC
	rm -f brd.bin br2.bin
	n=$((n + 1))
done 2>/dev/null
count_is "vendor-dropping bridge cases" 4 $n

# an SPC drive behind an 8 KiB bridge: the backup is made in 8 KiB reads
$EMU mkimage spc-generic -o s250.bin --version 2.50 >/dev/null 2>&1
fresh spc-generic s8.state 2.00
$EMU dumpflash s8.state -o s8.before >/dev/null 2>&1
$EMU fault s8.state --max-transfer 8192 >/dev/null 2>&1
J=$($ODF flash emu:s8.state s250.bin --yes --json 2>/dev/null | tail -n 1) && RC=0 || RC=$?
bk=$(printf '%s' "$J" | jget .backup)
[ -n "$bk" ] && [ -s "$bk" ] && ok "8 KiB bridge: flash with a backup, the backup was made" ||
	nok "8 KiB bridge: the backup was made" "rc $RC: $(printf '%s' "$J" | jget .error.message)"
# spc-generic keeps its firmware at 0x10000 of the flash
cmp -s "$bk" <(tail -c +$((0x10000 + 1)) s8.before | head -c "$(stat -c %s "$bk")") &&
	ok "8 KiB bridge: the backup is the drive's old flash (truth)" ||
	nok "8 KiB bridge: the backup is the drive's old flash (truth)"
check "8 KiB bridge: the drive runs 2.50 (truth)" 2.50 "$(emu s8.state .revision)"
check "8 KiB bridge: backed up, flashed and read back: exit 0" 0 $RC
big=$($EMU log s8.state | awk 'w { next } $2 == "cdb=3b" { w = 1; next } $2 == "cdb=3c" && $3 == "02" { for (i = 1; i <= NF; i++) if ($i ~ /^len=/) { sub("len=", "", $i); if ($i + 0 > 8192) n++ } } END { print n + 0 }')
check "8 KiB bridge: no READ BUFFER data read over 8 KiB in the backup" 0 "$big"

# dump --chunk: reads of that size (the emulator's log)
fresh spc-generic dc.state
run $ODF dump emu:dc.state -o dc.bin --chunk 4096 >/dev/null 2>&1
check "dump --chunk 4096: exit 0" 0 $RC
n=$($EMU log dc.state | awk '$2 == "cdb=3c" && $3 == "02" && /len=4096 /' | wc -l)
sz=$(stat -c %s dc.bin)
check "dump --chunk 4096: every data read is 4 KiB (twice over the buffer)" $((2 * sz / 4096)) "$n"
exit 0
