#!/bin/bash
# Emulated drives against the byte sequences peer flashers send (the CDB
# and data layout each source builds), through libodemu-preload.so and
# sg_raw.  Each block names the repository@commit file:function the bytes
# come from.
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
ODEMU=$B/odemu
PRE=$B/libodemu-preload.so
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-peer.XXXXXX)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/xdg
cd "$T" || exit 2

check() { # name, command...: ok when the command succeeds
	local name=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else nok "$name"; fi
}
PRELOAD=$(preload_lib "$PRE")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
sg() { LD_PRELOAD=$PRELOAD ODEMU_MAP=/dev/sg90=$T/drive "$@"; }
command -v sg_raw >/dev/null || { nok "sg3-utils installed (sg_raw missing)"; exit 1; }
hex8() { printf '%02x %02x %02x %02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }
rev_of() { sg sg_inq /dev/sg90 2>/dev/null | sed -n 's/.*Product revision level: *//p'; }

# ---- 1. Optiarc AD-7170A, binflash Flash2MOpti -------------------------------
# Liggy/binflash@5cfb543 necinterface.cpp:Flash2MOpti with
# necinternal.cpp: SetSafeMode CC 01 01 00 'D770' 01 00 00 00;
# WriteRAMOpti(buf+i, 0x30000+i, 8): CB 01 A3..A0 00 00 08 00 00 00 and
# 8 x 0x1004 = 32,800 bytes: 32 KiB of image, then 32 zero bytes;
# SendChecksum(file[0x1C0000..1], index 0, area 0): CC 04 C1 C0 00 00 00
# 00 00 00 00 00; EraseSingleBlock CB 04 / FlashSingleBlock CB 02 for
# blocks 3..30 (bit b%8 of byte 8-b/8); SetSafeMode CC 01 00 ... to leave.
"$ODEMU" mkimage optiarc-ad7170 -o fw.bin --version 1.77 >/dev/null 2>&1
check "AD-7170A image is one binflash chunk (1835016 bytes)" test "$(stat -c %s fw.bin)" = 1835016
csum=$(od -An -tx1 -j $((0x1C0000)) -N2 fw.bin | tr -d ' \n')
head -c 32 /dev/zero >zeros
opti_flash() { # layout: binflash | interleaved -> prints the checksum answer
	local k a out
	for ((k = 0; k < 0x1C0000; k += 0x8000)); do
		if [ "$1" = binflash ]; then
			{ dd if=fw.bin bs=4096 skip=$((k / 4096)) count=8 2>/dev/null; cat zeros; } >chunk
		else
			: >chunk
			for u in 0 1 2 3 4 5 6 7; do
				dd if=fw.bin bs=4096 skip=$((k / 4096 + u)) count=1 2>/dev/null >>chunk
				head -c 4 /dev/zero >>chunk
			done
		fi
		a=$((0x30000 + k))
		sg sg_raw -s 32800 -i chunk /dev/sg90 cb 01 $(hex8 $a) 00 00 08 00 00 00 >/dev/null 2>&1 ||
			{ echo "stage 0x$(printf %x $a) refused"; return; }
	done
	out=$(sg sg_raw /dev/sg90 cc 04 ${csum:0:2} ${csum:2:2} 00 00 00 00 00 00 00 00 2>&1) && echo accepted ||
		echo "$out"
}
blocks() { # op
	local b byte bytes i
	for ((b = 3; b <= 30; b++)); do
		bytes=""
		for ((i = 2; i <= 8; i++)); do
			if [ $i -eq $((8 - b / 8)) ]; then byte=$((1 << (b % 8))); else byte=0; fi
			bytes="$bytes $(printf %02x $byte)"
		done
		sg sg_raw /dev/sg90 cb $1 $bytes 00 00 00 >/dev/null 2>&1 || return 1
	done
}
"$ODEMU" new optiarc-ad7170 drive --version 1.03 >/dev/null 2>&1
check "AD-7170A comes up 1.03" test "$(rev_of)" = 1.03
check "AD-7170A enters safe mode D770" sg sg_raw /dev/sg90 cc 01 01 00 44 37 37 30 01 00 00 00
out=$(opti_flash interleaved)
check "4 zeros after every 4 KiB: staged shifted, checksum refused 05/24/00" grep -qi "invalid field in cdb" <<<"$out"
out=$(opti_flash binflash)
check "binflash's WriteRAMOpti layout: checksum accepted" test "$out" = accepted
check "erase blocks 3..30 (CB 04)" blocks 04
check "program blocks 3..30 (CB 02)" blocks 02
run sg sg_raw /dev/sg90 cc 01 00 00 44 37 37 30 01 00 00 00 >/dev/null 2>&1
check "the AD-7170A boots the new firmware 1.77" test "$(rev_of)" = 1.77
"$ODEMU" dumpflash drive -o flash.bin >/dev/null 2>&1
check "flash 0x30000.. holds the image byte for byte" cmp -s <(head -c $((0x1C0000)) fw.bin) \
	<(dd if=flash.bin bs=65536 skip=3 count=28 2>/dev/null)
rm -f drive

# ---- 5. Plextor PX-716A, QPxTool pxfw ---------------------------------------
# speed47/qpxtool@fc1cf4c lib/qpxtransport/qpx_mmc.cpp:wait_unit_ready
# (need_media 0) accepts TEST UNIT READY 02/3A/01 or 02/3A/02 only;
# console/pxfw/pxfw.cpp:fwblk_send: 3B 04|05 00 OFF(BE24) LEN(BE24) 00 00
# 00 (12 bytes), fwblk = 4096 for a PX-716A, mode 05 on the last block.
"$ODEMU" new plextor-px716 drive >/dev/null 2>&1
"$ODEMU" mkimage plextor-px716 -o px.bin --version 1.99 >/dev/null 2>&1
check "the PX-716A comes up on another version" test "$(rev_of)" != 1.99
out=$(sg sg_turs -v /dev/sg90 2>&1 || true)
check "no disc, tray closed: 02/3A/01 (MEDIUM NOT PRESENT - TRAY CLOSED)" grep -qi "tray closed" <<<"$out"
n=$(stat -c %s px.bin)
bad=0
for ((off = 0; off < n; off += 4096)); do
	mode=04; [ $((off + 4096)) -ge "$n" ] && mode=05
	dd if=px.bin bs=4096 skip=$((off / 4096)) count=1 2>/dev/null >blk
	o=$(printf '%06x' $off)
	sg sg_raw -s 4096 -i blk /dev/sg90 3b $mode 00 ${o:0:2} ${o:2:2} ${o:4:2} 00 10 00 00 00 00 >/dev/null 2>&1 ||
		{ [ $mode = 05 ] || bad=$((bad + 1)); }
done
check "pxfw's 4 KiB WRITE BUFFER mode 4 blocks are taken" test $bad -eq 0
run sg sg_turs /dev/sg90 >/dev/null 2>&1	# the unit attention of the reset
check "the PX-716A runs the new firmware 1.99" test "$(rev_of)" = 1.99
out=$(sg sg_raw -s 8192 -i px.bin /dev/sg90 3b 04 00 00 00 00 00 20 00 00 2>&1 || true)
check "an 8 KiB block (neither pxfw's nor redumper's) is refused" grep -qi "invalid field in cdb" <<<"$out"
rm -f drive

# ---- 4. Pioneer DVR-104, DVRFlash Downgrade ---------------------------------
# rpc1dev/DVRFlash@8ccb1b7 DVRFlash.cpp:Downgrade: "Reset key" 3B 01 F3 00
# 00 00 00 00 00 00 sent X2_DATA_OUT with length 0, then "Read
# pseudorandom data" 3C 01 F2 00 00 00 00 04 00 00, 0x400 bytes in.
# sg_raw without -s sends the first as no data: a drive cannot tell.
"$ODEMU" new pioneer-dvr104 drive >/dev/null 2>&1
check "DVR-104 takes the 0-length reset key 3B 01 F3 as no data" sg sg_raw /dev/sg90 3b 01 f3 00 00 00 00 00 00 00
run sg sg_raw -r 1024 -o seed /dev/sg90 3c 01 f2 00 00 00 00 04 00 00 >/dev/null 2>&1
check "... and then gives its 0x400 bytes of seeded data" test "$(stat -c %s seed 2>/dev/null)" = 1024
out=$(sg sg_raw /dev/sg90 3b 01 f3 00 00 00 00 00 10 00 2>&1 || true)
check "a reset key that announces 16 bytes but sends none is refused" grep -qi "invalid field in cdb" <<<"$out"
rm -f drive

# ---- 2. NEC dumps, binflash DumpFirmware ------------------------------------
# Liggy/binflash@5cfb543 necinternal.cpp:GetIDFromDriveType: no case for
# K355 (ND-3550A), so ID 0 and necinterface.cpp DumpFirmware (FlashSize2M)
# reads in normal mode, ReadRAM CC 00 A3..A0 00 10 00 00 00 00 (4 KiB, no
# "RD"+ID); for D770 it reads the ID as ReadRAM(0x30000, 1):
# CC 00 00 03 00 00 00 00 01 00 00 00, and FirmwareID.xlsx has AD-7170A B4h
# at position 0, ND-3550A 93h at position 0.
"$ODEMU" new nec-nd3550 drive >/dev/null 2>&1
"$ODEMU" dumpflash drive -o flash.bin >/dev/null 2>&1
run sg sg_raw -r 4096 -o blk /dev/sg90 cc 00 00 01 00 00 00 10 00 00 00 00 >/dev/null 2>&1
check "ND-3550A answers binflash's normal-mode ReadRAM 0x10000 without an ID" \
	cmp -s blk <(dd if=flash.bin bs=4096 skip=16 count=1 2>/dev/null)
check "... whose first byte is the dump ID 93h" test "$(od -An -tx1 -N1 blk | tr -d ' ')" = 93
rm -f drive
"$ODEMU" new optiarc-ad7170 drive >/dev/null 2>&1
run sg sg_raw -r 4 -o id /dev/sg90 cc 00 00 03 00 00 00 00 01 00 00 00 >/dev/null 2>&1
check "AD-7170A gives the dump ID byte at 0x30000 in normal mode: B4h" test "$(od -An -tx1 -N1 id 2>/dev/null | tr -d ' ')" = b4
out=$(sg sg_raw -r 4096 /dev/sg90 cc 00 00 03 00 00 00 10 00 00 00 00 2>&1 || true)
check "... but not the firmware itself" grep -qi "invalid field in cdb" <<<"$out"
run sg sg_raw /dev/sg90 cc 01 01 00 44 37 37 30 01 00 00 00 >/dev/null 2>&1
run sg sg_raw -r 4096 -o blk /dev/sg90 cc 00 00 03 00 00 00 10 00 52 44 b4 >/dev/null 2>&1
check "in safe mode with RD B4h it gives the firmware" test "$(od -An -tx1 -N1 blk 2>/dev/null | tr -d ' ')" = b4
"$ODEMU" mkimage optiarc-ad7170 -o fw.bin >/dev/null 2>&1
check "odemu mkimage writes B4h as the AD-7170A firmware's first byte" test "$(od -An -tx1 -N1 fw.bin | tr -d ' ')" = b4
run "$B/odflash" identify fw.bin >id.txt 2>&1
check "... and odflash reads it as a D770 image whose checksum holds" grep -q "nec D770.*checksum ok" id.txt
rm -f drive

# ---- 6. NEC naming ------------------------------------------------------------
# Liggy/binflash@5cfb543 necinternal.cpp:IsSafeMode: INQUIRY revision
# "0.xx" = the boot code answers, whether SetSafeMode started it or the
# firmware failed its check; GetDriveID(K350) = "K310" is the ID
# DumpFirmware writes at the end of a dump, the ID block says "K350".
"$ODEMU" new nec-nd3500 drive --version 1.00 >/dev/null 2>&1
"$ODEMU" mkimage nec-nd3500 -o nec.bin --version 2.00 >/dev/null 2>&1
check "the ND-3500A file ends in K31005, like binflash's dumps" test "$(tail -c 6 nec.bin)" = K31005
run sg sg_raw -r 32 -o idb /dev/sg90 cc 00 00 00 48 00 00 00 20 00 00 00 >/dev/null 2>&1
check "... while the drive's ID block at 0x4800 says K350" test "$(head -c 4 idb)" = K350
# a power cut in the middle of the flash leaves the boot code running
"$ODEMU" fault drive --power-cut-after-cmds 60 >/dev/null 2>&1
run "$B/odflash" flash "emu:$T/drive" nec.bin --yes --no-backup >/dev/null 2>&1
run "$ODEMU" power-on drive >/dev/null 2>&1
check "the drive answers 0.05 (its boot code)" test "$(rev_of)" = 0.05
emode=$("$ODEMU" show drive --json | jkey mode)
omode=$("$B/odflash" info "emu:$T/drive" --json 2>/dev/null | jkey mode || true)
check "odemu show and odflash info name that state with one word ($emode/$omode)" test -n "$emode" -a "$emode" = "$omode"
rm -f drive

# ---- 3. LG Renesas, devilsclaw flasher on Linux -------------------------------
# devilsclaw/flasher@864b3ee flasher/lg_renesas.c:firm_flasher + lgren_write:
# 3B src A3..A0 00 L1 L0 44, 32 KiB chunks at their file offsets to the
# cache (src 02), the last one to memory (src 05), and nothing after it
# (lgren_diag commented out).  Its Linux path sends each command with
# CDROM_SEND_PACKET: a 12-byte packet, so 3B goes as 10 bytes + 00 00.
# Every sg_raw below opens the drive again: the write must go on.
"$ODEMU" new lg-gsa4163b drive --version 1.00 >/dev/null 2>&1
"$ODEMU" mkimage lg-gsa4163b -o lg.bin --version 2.00 >/dev/null 2>&1
n=$(stat -c %s lg.bin)
bad=0
for ((off = 0; off < n; off += 0x8000)); do
	k=$((n - off < 0x8000 ? n - off : 0x8000))
	src=02; [ $((off + k)) -ge "$n" ] && src=05
	dd if=lg.bin bs=32768 skip=$((off / 32768)) count=1 2>/dev/null >blk
	sg sg_raw -s $k -i blk /dev/sg90 3b $src $(hex8 $off) 00 $(printf '%02x %02x' $((k >> 8)) $((k & 255))) 44 00 00 \
		>/dev/null 2>&1 || bad=$((bad + 1))
done
check "the 12-byte 3B packets are taken" test $bad -eq 0
out=$(sg sg_turs -v /dev/sg90 2>&1 || true)
check "the last chunk to memory started the write (02/04/07)" grep -qi "operation in progress" <<<"$out"
for i in 1 2 3 4; do run sg sg_turs /dev/sg90 >/dev/null 2>&1; done
check "the drive, opened again for every command, finished and runs 2.00" test "$(rev_of)" = 2.00
