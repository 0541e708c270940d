#!/bin/bash
# dvd+rw-tools' own btcflash (Debian package dvd+rw-tools, /usr/bin/btcflash,
# built from btcflash.cpp, public domain) flashes the emulated btc-drw1008
# through libodemu-preload.so, and odflash sends the same commands:
#   - `odemu mkimage btc-drw1008 -o F.hex` is banked Intel HEX that
#     btcflash's loadfirmware takes (16 banks, ":00000155AA" separators);
#   - btcflash (main: 256 x 3B 06 00 <off+20h> 00 10 00 00, the 32-byte
#     header with calcsum's 16-bit sum at 30..31, 3B 07, sleep(50), TEST
#     UNIT READY until GOOD or 02/3A, INQUIRY) brings the drive to 2.00;
#     its sleep(50) runs in the drive's modelled time (ODEMU_SLEEP=drive,
#     the drive's time scale 0.001: 50 ms of wall time);
#   - odflash's WRITE BUFFER commands on a second drive are the same 258
#     CDBs in the same order as btcflash's (the emulator's command logs),
#     and both flashes end byte-identical (the header sum each sent was
#     accepted by the drive, which checks it against the pieces);
#   - a file btcflash refuses (a record checksum, a cut file) odflash
#     refuses too (exit 4), the drive untouched.
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
EMU=$B/odemu
ODF="$B/odflash -q"
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-btcflash.XXXXXX)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/xdg ODF_REOPEN_DELAY_MS=10 ODF_POLL_MS=5 ODF_WAIT_MAX_MS=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
cd "$T" || exit 2
PRELOAD=$(preload_lib "$B/libodemu-preload.so")
command -v btcflash >/dev/null ||
	{ nok "btcflash installed (Debian dvd+rw-tools; make deps installs it)"; exit 1; }
btc() { # state, file: btcflash answering YES, through the preload
	echo YES | LD_PRELOAD=$PRELOAD ODEMU_MAP=/dev/sr90=$T/$1 ODEMU_SLEEP=drive \
		btcflash /dev/sr90 "$2"
}
wb() { grep ' cdb=3b ' "$1" | sed 's/^[0-9]* //; s/ status=.*//'; }

# ---- the file ------------------------------------------------------------------
"$EMU" mkimage btc-drw1008 -o fw.hex --version 2.00 >/dev/null 2>&1
check "mkimage writes Intel HEX: 15 bank separators :00000155AA" 15 "$(grep -c '^:00000155AA$' fw.hex)"
check "... 65536 data records of 16 bytes" 65536 "$(grep -c '^:10....00' fw.hex)"
check "... and the end record last" ":00000001FF" "$(tail -1 fw.hex)"
js=$($ODF identify fw.hex --json 2>/dev/null)
check "odflash identify: family btc" btc "$(echo "$js" | jget '.files[0].family')"
check "... target DRW1008" DRW1008 "$(echo "$js" | jget '.files[0].target')"
check "... version 2.00" 2.00 "$(echo "$js" | jget '.files[0].version')"
check "... Intel HEX decoded to 1 MiB" "ihex 1048576" "$(echo "$js" | jget '.files[0].form + " " + (.files[0].size|tostring)')"
sum=$(echo "$js" | jget '.files[0].note' | sed -n 's/.*byte sum \([0-9A-F]*\).*/\1/p')

# ---- btcflash flashes the emulated drive ---------------------------------------------
"$EMU" new btc-drw1008 A --version 1.00 --serial BTC1 --time-scale 0.001 >/dev/null 2>&1
t0=$SECONDS
run btc A fw.hex >out.txt 2>&1
check "btcflash exits 0" 0 $RC
says "btcflash reads the file and the drive" "$(cat out.txt)" \
	"Firmware checksum is $sum" \
	"Drive is currently:     [BTC     ][DVD+-RW DRW1008 ][1.00]" \
	"Firmware appears to be: [BTC     ][DVD+-RW DRW1008 ][2.00]"
says "btcflash: the drive is now 2.00" "$(cat out.txt)" \
	"Drive is now:           [BTC     ][DVD+-RW DRW1008 ][2.00]"
check "the emulated drive runs 2.00 in normal mode" "2.00 normal" \
	"$("$EMU" show A --json | jget '.revision + " " + .mode')"
ns=$("$EMU" show A --json | jget '.counters.modeled_ns')
[ "${ns:-0}" -ge 50000000000 ] && [ $((SECONDS - t0)) -lt 40 ] &&
	ok "btcflash's 50 s wait ran in the drive's modelled time ($((ns / 1000000000)) s modelled, $((SECONDS - t0)) s of wall time)" ||
	nok "btcflash's 50 s wait ran in the drive's modelled time" "modelled ${ns:-?} ns, $((SECONDS - t0)) s"
tail=$(sed -n '/ cdb=3b 07 /,$p' A.log | grep ' cdb=00 ' | sed 's/.*sense=//' | tr '\n' ' ')
case $tail in
"02/04/01 "*) ok "after mode 7 the drive was busy (02/04/01), btcflash polled on: $tail" ;;
*) nok "after mode 7 the drive was busy (02/04/01) first" "$tail" ;;
esac

# ---- odflash sends the same commands -------------------------------------------------
"$EMU" new btc-drw1008 Bd --version 1.00 --serial BTC1 >/dev/null 2>&1
run $ODF flash emu:Bd fw.hex --yes --no-backup >/dev/null 2>&1
check "odflash flashes a second drive (exit 0)" 0 $RC
check "btcflash sent 258 WRITE BUFFER commands" 258 "$(wb A.log | wc -l)"
if cmp -s <(wb A.log) <(wb Bd.log); then
	ok "odflash's 258 WRITE BUFFER CDBs are btcflash's, in order"
else
	nok "odflash's WRITE BUFFER CDBs are btcflash's" "$(diff <(wb A.log) <(wb Bd.log) | head -3 | tr '\n' ' ')"
fi
check "both flashes end byte-identical" "$(fsha A)" "$(fsha Bd)"

# ---- files btcflash refuses, odflash refuses -----------------------------------------
before=$(fsha A)
# a hex digit of a data record changed (3 -> 4 or so): its checksum fails
awk 'NR == 100 { c = substr($0, 12, 1); n = (c == "0") ? "1" : "0"; $0 = substr($0, 1, 11) n substr($0, 13) } { print }' fw.hex >bad.hex
cmp -s fw.hex bad.hex && nok "bad.hex differs from fw.hex"
run btc A bad.hex >out.txt 2>&1
says "btcflash refuses a record whose checksum fails" "$(cat out.txt)" "Checksum mismatch"
run $ODF identify bad.hex >/dev/null 2>&1
check "odflash identify refuses it (exit 4)" 4 $RC
run $ODF flash emu:A bad.hex --yes --no-backup >/dev/null 2>&1
check "odflash flash refuses it (exit 4)" 4 $RC
head -n 30000 fw.hex >cut.hex	# 6 whole banks and part of the 7th
run btc A cut.hex >out.txt 2>&1
says "btcflash refuses a cut file" "$(cat out.txt)" "Firmware file too small"
run $ODF identify cut.hex >/dev/null 2>&1
check "odflash identify refuses the cut file (exit 4)" 4 $RC
check "the drive is untouched by the refused files" "$before" "$(fsha A)"

# ---- the emulated drive's own checks (INFERRED, emu/proto_btc.c) ------------------------
if command -v sg_raw >/dev/null; then
	"$EMU" new btc-drw1008 S --version 1.00 --serial BTC4 >/dev/null 2>&1
	before=$(fsha S)
	head -c 4096 /dev/zero >z4k
	sgr() { LD_PRELOAD=$PRELOAD ODEMU_MAP=/dev/sg91=$T/S sg_raw "$@" 2>&1; }
	out=$(sgr -s 4096 -i z4k /dev/sg91 3b 06 00 00 00 20 00 10 00 00) && RC=0 || RC=$?
	check "one 4 KiB piece at buffer offset 20h is taken" 0 $RC
	out=$(sgr /dev/sg91 3b 07 00 00 00 00 00 00 00 00) || true
	says "mode 7 before the whole image and its header: COMMAND SEQUENCE ERROR" "$out" "sequence error"
	out=$(sgr -s 4096 -i z4k /dev/sg91 3b 06 00 00 10 00 00 10 00 00) || true
	says "a piece at an offset btcflash never uses (no +20h) is refused" "$out" "Invalid field in cdb"
	check "... and the flash is untouched" "$before" "$(fsha S)"
else
	nok "sg3-utils installed (sg_raw missing)"
fi

# ---- a drive that fails its write, a cut write, btcflash in boot mode -------------------
"$EMU" new btc-drw1008 F --version 1.00 --serial BTC2 >/dev/null 2>&1
"$EMU" fault F --fail-commit 04/3e/01 >/dev/null 2>&1
msg=$($ODF flash emu:F fw.hex --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "a drive that reports a failed write after mode 7: exit 6 (btcflash would poll on forever)" 6 $RC
says "... and odflash says the update failed" "$msg" "update failed"
"$EMU" new btc-drw1008 C --version 1.00 --serial BTC3 >/dev/null 2>&1
"$EMU" fault C --power-cut-after-bytes 300000 >/dev/null 2>&1
$ODF flash emu:C fw.hex --yes --no-backup >/dev/null 2>&1 || true
"$EMU" power-on C >/dev/null 2>&1
check "a write cut after 300000 bytes leaves the drive in its boot code (revision BOOT)" "boot BOOT" \
	"$("$B/odflash" info emu:C --json 2>/dev/null | jget '.mode + " " + .revision')"
run btc C fw.hex >out.txt 2>&1
check "btcflash flashes the drive in its boot code (exit 0)" 0 $RC
says "... which comes back on 2.00" "$(cat out.txt)" \
	"Drive is currently:     [BTC     ][DVD+-RW DRW1008 ][BOOT]" \
	"Drive is now:           [BTC     ][DVD+-RW DRW1008 ][2.00]"
check "... byte for byte the flash odflash wrote" "$(fsha Bd)" "$(fsha C)"
