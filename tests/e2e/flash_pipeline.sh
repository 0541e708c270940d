#!/bin/bash
# odflash dump/flash/verify/recover/history through emulated drives:
# happy path per driver, every refusal leaves the flash byte-identical.
. "$(dirname "$0")/lib/tap.sh"
e2e_tmp flash
export XDG_STATE_HOME="$T/state"
ODF="$B/odflash -q"
EMU="$B/odemu"

# ---- happy path per driver ---------------------------------------------------
# model, fw start, fw length in the dump file (from binflash DumpFirmware)
for spec in "nec-nd3500 0x6000 0xFA000" "nec-nd3550 0x10000 0x1E0000" \
	    "optiarc-ad7170 0x30000 0x1C0000" "spc-generic 0 0"; do
	set -- $spec
	m=$1 start=$(($2)) len=$(($3))
	st="$T/$m.state"
	$EMU new "$m" "$st" --version 1.00 >/dev/null 2>&1
	drv=$($B/odflash info "emu:$st" --json | jget .driver)
	want=nec; if [ "$m" = spc-generic ]; then want=spc; fi
	[ "$drv" = "$want" ] && ok "$m: info picks driver $want" || nok "$m: info picks driver $want" "$drv"
	run $ODF dump "emu:$st" -o "$m-dump.bin" >/dev/null 2>&1
	rc=$RC
	check "$m: dump" 0 $rc
	$EMU dumpflash "$st" -o "$m-flash.bin" >/dev/null 2>&1
	if [ $rc = 0 ]; then
		if [ "$len" -gt 0 ]; then
			cmp -s <(tail -c +$((start + 1)) "$m-flash.bin" | head -c $len) \
			       <(head -c $len "$m-dump.bin") &&
				ok "$m: dump equals the flash body" ||
				nok "$m: dump equals the flash body"
		else
			[ -s "$m-dump.bin" ] && ok "$m: dump not empty" ||
				nok "$m: dump not empty"
		fi
	fi
	$EMU mkimage "$m" -o "$m-new.bin" --version 2.00 >/dev/null 2>&1
	run $ODF flash "emu:$st" "$m-new.bin" --yes >/dev/null 2>&1
	check "$m: flash 2.00" 0 $RC
	rev=$($B/odflash info "emu:$st" --json | jget .revision)
	[ "$rev" = 2.00 ] && ok "$m: info shows 2.00" || nok "$m: info shows 2.00" "$rev"
	run $ODF verify "emu:$st" "$m-new.bin" >/dev/null 2>&1
	check "$m: verify" 0 $RC
	run $ODF verify "emu:$st" "$m-dump.bin" >/dev/null 2>&1
	check "$m: verify against the old firmware fails" 7 $RC
done
$B/odflash history --json 2>/dev/null | has '"op": *"flash"' &&
	ok "history lists the flashes" || nok "history lists the flashes"
n=$($B/odflash history 2>/dev/null | grep -c ' flash ')
[ "$n" -ge 1 ] && ok "history text" || nok "history text"
ls "$XDG_STATE_HOME"/odflash/backups/*.bin.json >/dev/null 2>&1 &&
	ok "automatic backup with sidecar" || nok "automatic backup with sidecar"

# ---- refusals: exit code and byte-identical flash -----------------------------
S="$T/r.state"
$EMU new nec-nd3500 "$S" --version 1.00 >/dev/null 2>&1
$EMU mkimage nec-nd3500 -o good.bin --version 2.00 >/dev/null 2>&1
$EMU mkimage nec-nd3550 -o other.bin --version 2.00 >/dev/null 2>&1
head -c 500000 good.bin >trunc.bin
cp good.bin badsum.bin
printf '\x55' | dd of=badsum.bin bs=1 seek=4096 conv=notrunc 2>/dev/null
before=$(fsha "$S")
refuse() { # name, expected rc, args...
	local name=$1 want=$2; shift 2
	run $ODF "$@" </dev/null >/dev/null 2>&1
	local rc=$RC
	check "refuse $name (exit $want)" "$want" $rc
	[ "$(fsha "$S")" = "$before" ] && ok "refuse $name: flash unchanged" ||
		nok "refuse $name: flash unchanged"
}
refuse "wrong model" 5 flash "emu:$S" other.bin --yes
refuse "truncated file" 4 flash "emu:$S" trunc.bin --yes
refuse "bad checksum" 4 flash "emu:$S" badsum.bin --yes
refuse "missing file" 4 flash "emu:$S" nonexistent.bin --yes
refuse "no --yes without a terminal" 5 flash "emu:$S" good.bin
c=$($EMU show "$S" --json | jget .counters.commands)
$ODF flash "emu:$S" good.bin </dev/null >/dev/null 2>&1 || true
c2=$($EMU show "$S" --json | jget .counters.commands)
[ -n "$c" ] && [ "$c" = "$c2" ] && ok "no --yes: no command sent" || nok "no --yes: no command sent" "$c -> $c2"
$EMU fault "$S" --max-transfer 2048 >/dev/null 2>&1
refuse "bridge cap below 4 KiB" 5 flash "emu:$S" good.bin --yes --no-backup
$EMU fault "$S" --clear >/dev/null 2>&1
$ODF flash "emu:$S" good.bin --yes --backup "$T/exists.bin" >/dev/null 2>&1 ||
	nok "flash with --backup to a new file"
before=$(fsha "$S")
refuse "existing --backup file" 5 flash "emu:$S" good.bin --yes --backup "$T/exists.bin"
refuse "dry run" 0 flash "emu:$S" good.bin --dry-run

# --dry-run prints the whole plan: 69 commands for the 1 MiB family,
# after the backup's read plan (reads are plans too, issue #12): 250
# ReadRAM, then safe mode entered, INQUIRY, and left (marked cleanup)
$B/odflash flash "emu:$S" good.bin --dry-run >dry.txt 2>/dev/null || true
n=$(awk '/^plan:/ { w = 1 } w && / CMD /' dry.txt | wc -l)
check "dry run lists 69 commands" 69 "$n"
n=$(awk '/^read plan:/ { r = 1 } /^plan:/ { r = 0 } r && / CMD /' dry.txt | wc -l)
check "dry run shows the backup's read plan: 253 commands" 253 "$n"
tail=$(awk '/^read plan:/ { r = 1 } /^plan:/ { r = 0 } r && / CMD /' dry.txt |
	tail -3 | awk '{ print $NF }' | tr '\n' ' ')
[ "$tail" = "version) version) mode " ] &&
	has '\[cleanup\]  leave safe mode' <dry.txt &&
	ok "the read plan ends: enter safe mode, INQUIRY, leave safe mode [cleanup]" ||
	nok "the read plan ends: enter safe mode, INQUIRY, leave safe mode [cleanup]" "$tail"

# --chunk 4096 on a 4 KiB bridge: 250 staging commands
$EMU fault "$S" --max-transfer 4096 >/dev/null 2>&1
n=$($B/odflash flash "emu:$S" good.bin --dry-run | grep -c 'CB 01 ') || true
check "4 KiB bridge: 250 WriteRAM of 4 KiB" 250 "$n"
$EMU fault "$S" --clear >/dev/null 2>&1
# The power cut at every command of a whole NEC flash: power_cuts_nec.sh
# (plain build only: 115 flashes and recovers, 548 CPU-s under ASan).
exit 0
