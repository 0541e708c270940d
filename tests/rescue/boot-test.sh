#!/bin/bash
# Boot test of the rescue image (issue #17): `make check-rescue`, run by
# `make check` (ODF_RESCUE=0 skips it).  Builds the test image
# (tools/mkrescue.sh --test: the shipped image plus odemu, the TCMU modules
# and tests/rescue/hook.sh), then boots it under QEMU (TCG, nice) as a USB
# stick (qemu-xhci + usb-storage) with an ide-cd beside it:
#   1. SeaBIOS, -M pc (ata_piix): job flash:ND-3500AG:nec-217.bin
#      -> backup, its sidecar and the journal's ok line with the file's
#      sha256, read from the stick with mtools after QEMU exits
#   2. OVMF, -M q35 (ahci): the same job with nec-218.bin and a power cut
#      part way through programming (odemu fault --power-cut-after-bytes)
#      -> exit 6, the journal says failed
#   3. SeaBIOS: job recover:ND-3500AG (no file: the journal names it)
#      -> the journal's recover ok line with nec-218.bin's sha256
# Prints each boot's time to the rescue's ready line (host wall clock
# from QEMU's start, and the guest's uptime).  A loud "# SKIP" where QEMU,
# OVMF or the image cannot be had.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/e2e/lib/tap.sh"
set +e
OUT=$ROOT/build/rescue/test
mkdir -p "$OUT"
TMO=${RESCUE_TIMEOUT:-480}
IMG=$OUT/test.img
export MTOOLS_SKIP_CHECK=1

t0=$(date +%s)
"$ROOT/tools/mkrescue.sh" --test "$IMG" 2>"$OUT/build.log"
rc=$?
if [ $rc = 2 ]; then
	skip "rescue boot" "RESCUE NOT RUN: $(tail -n 1 "$OUT/build.log")"; exit 0
fi
[ $rc = 0 ] || { nok "rescue: tools/mkrescue.sh --test (exit $rc, log $OUT/build.log)"; sed 's/^/# /' "$OUT/build.log" | tail -n 20; exit 1; }
ok "rescue: test image built in $(( $(date +%s) - t0 )) s ($(stat -c %s "$IMG") bytes)"
command -v qemu-system-x86_64 >/dev/null ||
	{ skip "rescue boot" "RESCUE NOT RUN: qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"; exit 0; }
# KVM when it works (tests/rig/accel.sh probes it), else TCG
. "$ROOT/tests/rig/accel.sh"
qemu_accel "$ROOT/build/rescue/work1/iso/boot/vmlinuz" "$OUT"
echo "# rescue: QEMU accelerator $ACCEL: $ACCEL_WHY"
OVMF=
for f in /usr/share/ovmf/OVMF.fd /usr/share/OVMF/OVMF.fd; do [ -f $f ] && { OVMF=$f; break; }; done

# the ODFLASH partition: the one whose FAT label is ODFLASH, found in the
# MBR's four entries (16 bytes each from offset 446, the start LBA as a
# little-endian 32-bit word at +8: the MBR layout, UEFI spec 2.10 §5.2.1)
P=
for i in 0 1 2 3; do
	lba=$(od -An -tu4 -j $((446 + 16 * i + 8)) -N4 "$IMG" | tr -d ' ')
	[ "${lba:-0}" -gt 0 ] || continue
	[ "$(mlabel -i "$IMG@@$((lba * 512))" -s :: 2>/dev/null | sed 's/.* is //; s/ *$//')" = ODFLASH ] &&
		{ P=$((lba * 512)); break; }
done
[ -n "$P" ] && ok "rescue: the image has a FAT partition labelled ODFLASH (offset $P)" ||
	{ nok "rescue: the image has a FAT partition labelled ODFLASH"; exit 1; }
FAT="$IMG@@$P"

"$ROOT/build/odemu" mkimage nec-nd3500 -o "$OUT/nec-217.bin" --version 2.17 >/dev/null 2>&1 &&
"$ROOT/build/odemu" mkimage nec-nd3500 -o "$OUT/nec-218.bin" --version 2.18 >/dev/null 2>&1 ||
	{ nok "rescue: odemu mkimage"; exit 1; }
# the journal's sha256 is the firmware image's, as odflash identify gives it
# (an NEC file's 6-byte header is not part of it)
fsum() { "$ROOT/build/odflash" identify --json "$1" | jq -r '.files[0].sha256'; }
S217=$(fsum "$OUT/nec-217.bin")
S218=$(fsum "$OUT/nec-218.bin")
mcopy -o -i "$FAT" "$OUT/nec-217.bin" "$OUT/nec-218.bin" ::/firmware/ &&
	ok "rescue: firmware files placed on the stick with mcopy" ||
	nok "rescue: firmware files placed on the stick with mcopy"

# set_cfg LINES: the stick's odflash.cfg
set_cfg() { printf '%s\n' "$@" >"$OUT/odflash.cfg"; mcopy -o -i "$FAT" "$OUT/odflash.cfg" ::/odflash.cfg; }
# boot NAME FIRMWARE(seabios|ovmf): boot once; the console in $OUT/NAME.log
boot() {
	local name=$1 fw=$2 m=pc bios=() con=$OUT/$1.log s e ready
	if [ $fw = ovmf ]; then m=q35; bios=(-bios "$OVMF"); fi
	rm -f "$con"
	s=$(date +%s.%N)
	nice -n 10 timeout "$TMO" qemu-system-x86_64 -M $m -accel $ACCEL -m 1024 -smp 1 \
		"${bios[@]}" -display none -no-reboot -monitor none -serial "file:$con" \
		-device qemu-xhci,id=xhci \
		-drive "if=none,id=stick,format=raw,file=$IMG" \
		-device usb-storage,bus=xhci.0,drive=stick,removable=on \
		-drive "if=none,id=cd0,media=cdrom,readonly=on" -device ide-cd,drive=cd0 \
		</dev/null >"$OUT/$name.qemu.log" 2>&1 &
	local pid=$! t=
	# the host's time to the ready line: poll the console log
	while kill -0 $pid 2>/dev/null; do
		if [ -z "$t" ] && grep -q 'ODFLASH-RESCUE-READY' "$con" 2>/dev/null; then
			t=$(date +%s.%N)
		fi
		sleep 0.2
	done
	wait $pid; QRC=$?
	e=$(date +%s.%N)
	ready=$(tr -d '\r' <"$con" | sed -n 's/.*ODFLASH-RESCUE-READY uptime \([0-9.]*\) s.*/\1/p' | head -n 1)
	if [ -n "$t" ]; then
		echo "# rescue boot $name ($fw): ready (menu or job) $(awk "BEGIN { printf \"%.1f\", $t - $s }") s after QEMU started (guest uptime ${ready} s), QEMU exit $QRC after $(awk "BEGIN { printf \"%.1f\", $e - $s }") s"
	else
		echo "# rescue boot $name ($fw): no ready line; QEMU exit $QRC after $(awk "BEGIN { printf \"%.1f\", $e - $s }") s"
	fi
	if [ $QRC = 124 ]; then nok "rescue: boot $name did not end within $TMO s (console $con)"; return 1; fi
	[ -s "$con" ] || { skip "rescue boot $name" "RESCUE NOT RUN: QEMU did not start: $(tail -n 1 "$OUT/$name.qemu.log")"; return 2; }
	[ -n "$t" ] && ok "rescue: boot $name ($fw) reached the ready line" ||
		{ nok "rescue: boot $name ($fw) reached the ready line (console $con)"; return 1; }
}
# stick_journal: the journal from the stick
stick_journal() { mtype -i "$FAT" ::/odflash-state/journal.jsonl 2>/dev/null; }

# ---- boot 1: SeaBIOS, backup + flash + read-back
set_cfg "job=flash:ND-3500AG:nec-217.bin" "after=poweroff"
if boot seabios1 seabios; then
	has() { tr -d '\r' <"$OUT/seabios1.log" | grep -qE "$1"; }
	has 'JOB-RESULT flash exit 0' && ok "rescue: SeaBIOS: the flash job ended with exit 0" ||
		nok "rescue: SeaBIOS: the flash job ended with exit 0"
	has 'drive /dev/s[rg][0-9]+: _NEC DVD_RW ND-3500AG' &&
		ok "rescue: the job matched the emulated drive, not QEMU's ide-cd" ||
		nok "rescue: the job matched the emulated drive, not QEMU's ide-cd"
	bk=$(mdir -b -i "$FAT" ::/odflash-state/backups/ 2>/dev/null | grep -E '2\.16_.*\.bin$' | head -n 1)
	if [ -n "$bk" ]; then
		ok "rescue: the backup is on the stick (${bk##*/})"
		mcopy -n -i "$FAT" "$bk" "$OUT/backup.bin" && mcopy -n -i "$FAT" "$bk.json" "$OUT/backup.json" &&
		[ "$(jq -r .sha256 "$OUT/backup.json")" = "$(sha256sum "$OUT/backup.bin" | cut -d' ' -f1)" ] &&
		[ "$(jq -r .valid "$OUT/backup.json")" = true ] &&
			ok "rescue: its sidecar is on the stick, valid, with the backup's sha256" ||
			nok "rescue: its sidecar is on the stick, valid, with the backup's sha256"
	else
		nok "rescue: the backup is on the stick"
	fi
	n=$(stick_journal | jq -c "select(.op == \"flash\" and .phase == \"outcome\" and .result == \"ok\" and .sha256 == \"$S217\" and .revision_after == \"2.17\")" | wc -l)
	[ "$n" = 1 ] && ok "rescue: the stick's journal has the flash's ok line with nec-217.bin's sha256" ||
		nok "rescue: the stick's journal has the flash's ok line with nec-217.bin's sha256 ($n lines)"
	mtype -i "$FAT" ::/rescue.log 2>/dev/null | grep -q 'JOB-RESULT flash exit 0' &&
		ok "rescue: rescue.log on the stick records the job" ||
		nok "rescue: rescue.log on the stick records the job"
	tr -d '\r' <"$OUT/seabios1.log" | grep -q ' /dev/sr[0-9]* .*vfat\| on /dev/sr' &&
		nok "rescue: no optical drive was mounted" || ok "rescue: no optical drive was mounted"
fi

# ---- boot 2: OVMF, a power cut part way through programming
if [ -z "$OVMF" ]; then
	skip "rescue boot on OVMF" "RESCUE NOT RUN on UEFI: no OVMF.fd (apt-get install ovmf)"
else
	set_cfg "job=flash:ND-3500AG:nec-218.bin" "after=poweroff"
	echo "--power-cut-after-bytes 300000" >"$OUT/fault"
	mmd -i "$FAT" ::/test 2>/dev/null
	mcopy -o -i "$FAT" "$OUT/fault" ::/test/fault
	if boot ovmf-cut ovmf; then
		tr -d '\r' <"$OUT/ovmf-cut.log" | grep -q 'JOB-RESULT flash exit 6' &&
			ok "rescue: OVMF: the flash cut part way ends with exit 6" ||
			nok "rescue: OVMF: the flash cut part way ends with exit 6"
		n=$(stick_journal | jq -c "select(.op == \"flash\" and .phase == \"outcome\" and .result != \"ok\" and .sha256 == \"$S218\")" | wc -l)
		[ "$n" = 1 ] && ok "rescue: the stick's journal records the failed flash" ||
			nok "rescue: the stick's journal records the failed flash ($n lines)"
		# ---- boot 3: recover from the journal
		set_cfg "job=recover:ND-3500AG" "after=poweroff"
		if boot seabios-recover seabios; then
			tr -d '\r' <"$OUT/seabios-recover.log" | grep -q 'JOB-RESULT recover exit 0' &&
				ok "rescue: the second boot recovers the drive (exit 0)" ||
				nok "rescue: the second boot recovers the drive (exit 0)"
			n=$(stick_journal | jq -c "select(.op == \"recover\" and .phase == \"outcome\" and .result == \"ok\" and .sha256 == \"$S218\" and .revision_after == \"2.18\")" | wc -l)
			[ "$n" = 1 ] && ok "rescue: the journal's recover ok line names nec-218.bin's sha256" ||
				nok "rescue: the journal's recover ok line names nec-218.bin's sha256 ($n lines)"
		fi
	fi
fi
echo "# rescue: $(( $(date +%s) - t0 )) s in all, $TAP_FAILS failed; consoles in $OUT"
exit $((TAP_FAILS > 0))
