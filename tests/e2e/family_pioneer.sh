#!/bin/bash
# pioneer-dvr109 through odflash: DVRFlash's sequence (ID block READ BUFFER
# 02/F1, kernel mode WRITE BUFFER 04/FF with model string and key, the
# normal part in 32 KiB chunks to buffer F0, commit 05/FF).  No dump in
# the protocol: verify re-identifies.  No checksum in the file format.
# A drive cut during the commit stays in kernel mode and is flashed again.
MODEL=pioneer-dvr109 DRIVER=pioneer OTHER="" DUMP="" RECOVER=yes
BADSUM="" TRUNC=1000000 CAP_BAD=16384 CAP_OK=32768
FOREIGN=tsst-se506cb VENDOR_OPS=no
# the plan's fixed pauses (100 ms per chunk, 10 s after the commit) are
# for real drives; the emulated one needs none
export ODF_WAIT_MAX_MS=0
. "$(dirname "$0")/lib/family.inc"

# ---- Pioneer specifics ----------------------------------------------------------
msg=$($ODF dump "emu:$S" -o dump2.bin 2>&1 >/dev/null) || true
case $msg in
*"Pioneer DVR protocol"*"no command that reads the firmware back"*"odflash verify"*)
	ok "dump says the Pioneer protocol has none and to verify instead" ;;
*)	nok "dump says the Pioneer protocol has none" "$msg" ;;
esac

patch_at() { # file offset text
	printf '%s' "$3" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc 2>/dev/null
}
before=$(fsha "$S")
cp v1.bin model110.bin
patch_at model110.bin 0x68 "DVD-RW  DVR-110 "
refuse "a DVR-110 image on a DVR-109" 5 flash "emu:$S" model110.bin --yes --no-backup
cp v1.bin xl.bin
patch_at xl.bin 0xD0 "PIO_ADV "
refuse "another kernel type's image (PIO_ADV on GENERAL)" 5 flash "emu:$S" xl.bin --yes --no-backup
cp v1.bin gen10.bin
patch_at gen10.bin 0xB4 "10  "
refuse "another generation's image, even with --crossflash" 5 flash "emu:$S" gen10.bin --yes --no-backup --crossflash
cp v1.bin nokind.bin
patch_at nokind.bin 0x110 "Xormal"
refuse "no Kernel/Normal marker" 4 flash "emu:$S" nokind.bin --yes --no-backup
head -c 131072 v1.bin >kernel.bin
patch_at kernel.bin 0x110 "Kernel"
$B/odflash identify kernel.bin 2>/dev/null | grep "kernel" >/dev/null &&
	ok "a 0x20000-byte Kernel part is identified" || nok "kernel part identified"
refuse "a kernel part alone" 5 flash "emu:$S" kernel.bin --yes --no-backup
refuse "--chunk 16384" 1 flash "emu:$S" v1.bin --yes --no-backup --chunk 16384

# power lost while the drive writes the normal part (byte counts inside
# the commit: the kept tail of a partly covered block is 0x8000 bytes,
# then 0x128000 bytes of the part, then the 12-byte boot record)
for n in 0x10000 0x100000 $((0x8000 + 0x128000 + 6)); do
	K="$T/k.state"
	rm -f "$K" "$K.log"
	$EMU new "$MODEL" "$K" --version 1.00 --serial PC1 >/dev/null 2>&1
	$EMU fault "$K" --power-cut-after-bytes $((n)) >/dev/null 2>&1
	run $ODF flash "emu:$K" v2.bin --yes --no-backup >/dev/null 2>&1
	check "cut after $n bytes of the commit: flash failed (exit 6)" 6 $RC
	$EMU power-on "$K" >/dev/null 2>&1
	mode=$($EMU show "$K" --json 2>/dev/null | jfield mode)
	rev=$($B/odflash info "emu:$K" --json 2>/dev/null | jfield revision)
	[ "$mode" = boot ] && [ "$rev" = 0000 ] &&
		ok "cut after $n: the drive stays in kernel mode (revision 0000)" ||
		nok "cut after $n: kernel mode" "mode $mode, revision $rev"
	run $ODF flash "emu:$K" v2.bin --yes --no-backup >/dev/null 2>&1
	check "cut after $n: flash refuses a drive in kernel mode" 5 $RC
	run $ODF recover "emu:$K" v2.bin --yes >/dev/null 2>&1
	check "cut after $n: recover" 0 $RC
	[ "$(fsha "$K")" = "$new" ] && ok "cut after $n: recovered flash equals a clean flash" ||
		nok "cut after $n: recovered flash equals a clean flash"
	if $EMU log "$K" | tail -n 60 | grep "cdb=3b 04 ff" >/dev/null; then
		nok "cut after $n: recovery skips the kernel-mode entry"
	else
		ok "cut after $n: recovery skips the kernel-mode entry"
	fi
done
