#!/bin/bash
# sg3_utils against emulated drives through libodemu-preload.so: the
# standard SPC firmware path (READ BUFFER 2/3, WRITE BUFFER mode 7, the
# unit attention after activation, a USB bridge's transfer cap) and the
# NEC vendor path (ReadRAM, safe mode) with sg_raw.
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
ODEMU=$B/odemu
PRE=$B/libodemu-preload.so
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-emu-sg3.XXXXXX)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/xdg
cd "$T" || exit 2

check() { # name, command...
	local name=$1; shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else nok "$name"; fi
}
PRELOAD=$(preload_lib "$PRE")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
sg() { LD_PRELOAD=$PRELOAD ODEMU_MAP=/dev/sg90=$T/spc,/dev/sg91=$T/nec "$@"; }

for t in sg_inq sg_raw sg_scan sg_turs sg_write_buffer; do
	command -v $t >/dev/null || { nok "sg3-utils installed ($t missing)"; exit 1; }
done

check "odemu new spc-generic" "$ODEMU" new spc-generic spc --serial SPC0001
check "odemu new nec-nd3500" "$ODEMU" new nec-nd3500 nec
check "odemu new refuses to overwrite" test "$("$ODEMU" new spc-generic spc 2>&1; echo "rc=$?")" != ""
run "$ODEMU" new spc-generic spc >/dev/null 2>&1
check "odemu new on an existing state exits 1" test $RC -eq 1

out=$(sg sg_inq /dev/sg90 2>&1) || true
check "sg_inq shows the SPC model" grep -q "Product identification: GENERIC DVD-RW" <<<"$out"
check "sg_inq shows PDT 5" grep -q "PDT=5" <<<"$out"
check "sg_inq shows revision 1.00" grep -q "Product revision level: 1.00" <<<"$out"
out=$(sg sg_inq -p 0x80 /dev/sg90 2>&1) || true
check "sg_inq VPD 80h serial" grep -q "Unit serial number: SPC0001" <<<"$out"
out=$(sg sg_inq /dev/sg91 2>&1) || true
check "sg_inq shows the NEC model" grep -q "Product identification: DVD_RW ND-3500AG" <<<"$out"

out=$(sg sg_raw -r 4 /dev/sg90 3c 03 00 00 00 00 00 00 04 00 2>&1) || true
check "READ BUFFER mode 3 descriptor (2^12, 0xF0000)" grep -q "0c 0f 00 00" <<<"$out"
out=$(sg sg_raw -r 16 /dev/sg90 3c 02 00 00 00 00 00 00 10 00 2>&1) || true
check "READ BUFFER mode 2 reads the active image" grep -q "ODFSPCFW" <<<"$out"
run sg sg_raw -r 16 /dev/sg90 3c 02 00 0f 00 00 00 00 10 00 >/dev/null 2>&1
check "READ BUFFER beyond capacity is rejected" test $RC -ne 0

run sg sg_turs /dev/sg90 >/dev/null 2>&1
check "TUR without a disc fails (not ready)" test $RC -eq 2

"$ODEMU" mkimage spc-generic --version 1.23 -o img123 2>/dev/null
check "odemu mkimage writes an image" test -s img123
run sg sg_write_buffer --mode=7 --bpw=32768 --in=img123 /dev/sg90 >wb.log 2>&1
check "sg_write_buffer mode 7, 32 KiB chunks" test $RC -eq 0
out=$(sg sg_turs -v /dev/sg90 2>&1) || true
check "sg_turs sees the unit attention (microcode changed)" grep -q "Microcode has been changed" <<<"$out"
out=$(sg sg_inq /dev/sg90 2>&1) || true
check "sg_inq reports 1.23 after activation" grep -q "Product revision level: 1.23" <<<"$out"

"$ODEMU" fault spc --max-transfer 8192 || nok "odemu fault --max-transfer"
"$ODEMU" mkimage spc-generic --version 1.24 -o img124 2>/dev/null
out=$(sg sg_write_buffer --mode=7 --bpw=32768 --in=img124 /dev/sg90 2>&1) && RC=0 || RC=$?
rc=$RC
check "32 KiB chunks fail behind an 8 KiB bridge" test $rc -ne 0
check "... as an OS error (EINVAL)" grep -qi "invalid argument" <<<"$out"
out=$(sg sg_inq /dev/sg90 2>&1) || true
check "... and nothing changed (still 1.23)" grep -q "Product revision level: 1.23" <<<"$out"
run sg sg_write_buffer --mode=7 --bpw=8192 --in=img124 /dev/sg90 >/dev/null 2>&1
check "8 KiB chunks pass the bridge" test $RC -eq 0
sg sg_turs /dev/sg90 >/dev/null 2>&1 || true
out=$(sg sg_inq /dev/sg90 2>&1) || true
check "sg_inq reports 1.24" grep -q "Product revision level: 1.24" <<<"$out"

# a damaged image: flip a byte of the body, WRITE BUFFER mode 5 -> 05/26/00
cp img124 bad && printf '\xAA' | dd of=bad bs=1 seek=4096 conv=notrunc 2>/dev/null
"$ODEMU" fault spc --clear
before=$("$ODEMU" show spc --json | jget .flash_sha256)
sg sg_turs /dev/sg90 >/dev/null 2>&1 || true
out=$(sg sg_raw -s 983040 -i bad /dev/sg90 3b 05 00 00 00 00 0f 00 00 00 2>&1) || true
check "a bad image is refused (mode 5): invalid field in parameter list" grep -qi "invalid field in parameter list" <<<"$out"
after=$("$ODEMU" show spc --json | jget .flash_sha256)
check "... and nothing was saved" test -n "$before" -a "$before" = "$after"

# NEC: ReadRAM ID at 0x4800, safe mode with the wrong and the right ID
out=$(sg sg_raw -r 32 /dev/sg91 cc 00 00 00 48 00 00 00 20 00 00 00 2>&1) || true
check "NEC ReadRAM 0x4800 gives K350" grep -q "K350" <<<"$out"
run sg sg_raw /dev/sg91 cc 01 01 00 4b 33 35 30 01 00 00 00 >/dev/null 2>&1
check "NEC safe mode refuses ID K350" test $RC -ne 0
run sg sg_raw /dev/sg91 cc 01 01 00 4b 33 31 30 01 00 00 00 >/dev/null 2>&1
check "NEC safe mode accepts K310" test $RC -eq 0
out=$(sg sg_inq /dev/sg91 2>&1) || true
check "safe-mode INQUIRY shows bootcode 0.05" grep -q "Product revision level: 0.05" <<<"$out"
sg sg_raw /dev/sg91 cc 01 00 00 4b 33 31 30 01 00 00 00 >/dev/null 2>&1
out=$(sg sg_inq /dev/sg91 2>&1) || true
check "leaving safe mode boots 2.16 again" grep -q "Product revision level: 2.16" <<<"$out"

# drop vendor opcodes: the bridge answers 05/20/00
"$ODEMU" fault nec --drop-vendor-opcodes
out=$(sg sg_raw -r 32 /dev/sg91 cc 00 00 00 48 00 00 00 20 00 00 00 2>&1) || true
check "a bridge that drops vendor opcodes answers invalid opcode" grep -qi "invalid command operation code" <<<"$out"
log=$("$ODEMU" log nec) || true
check "odemu log records the commands" grep -q "cdb=cc 00 00 00 48 00 00 00 20 00 00 00 dir=in len=32" <<<"$log"

# power cut: the node disappears
"$ODEMU" fault nec --clear --power-cut-after-cmds 0
out=$(sg sg_turs /dev/sg91 2>&1) || true
check "a power cut fails the command with DID_NO_CONNECT" grep -q "DID_NO_CONNECT" <<<"$out"
run sg sg_inq /dev/sg91 >/dev/null 2>&1
check "a powered-off drive cannot be opened" test $RC -ne 0
check "odemu show tells power off" grep -q '"power":"off"' <<<"$("$ODEMU" show nec --json)"
"$ODEMU" power-on nec 2>/dev/null
out=$(sg sg_inq /dev/sg91 2>&1) || true
check "after power-on the drive answers 2.16" grep -q "Product revision level: 2.16" <<<"$out"

# the SCSI host number: 90 + the drive's index, or ODEMU_HOST_BASE + it
out=$(sg sg_scan /dev/sg90 /dev/sg91 2>&1) || true
check "sg_scan: the drives on hosts 90 and 91" grep -q \
	"^/dev/sg90: scsi90 channel=0 id=0 lun=0" <<<"$out"
check "... the second on 91" grep -q "^/dev/sg91: scsi91 " <<<"$out"
out=$(ODEMU_HOST_BASE=0 sg sg_scan /dev/sg90 /dev/sg91 2>&1) || true
check "ODEMU_HOST_BASE=0: hosts 0 and 1" grep -q \
	"^/dev/sg90: scsi0 channel=0 id=0 lun=0" <<<"$out"
check "... the second on 1" grep -q "^/dev/sg91: scsi1 " <<<"$out"

# a descriptor the preload did not open (as wineserver passes one to a
# Wine program): a mapped path that is a regular file, opened by another
# name (a symbolic link), is taken for the drive at its first ioctl
: >placeholder
ln -s placeholder link
pl() { LD_PRELOAD=$PRELOAD ODEMU_MAP=$T/placeholder=$T/spc "$@"; }
out=$(pl sg_inq "$T/link" 2>&1) || true
check "sg_inq through a link to a mapped regular file: the drive answers" \
	grep -q "Product identification: GENERIC DVD-RW" <<<"$out"
run env LD_PRELOAD="$PRELOAD" ODEMU_MAP="$T/elsewhere=$T/spc" \
	sg_inq "$T/link" >/dev/null 2>&1
check "... not when the mapped path is another (a plain file: no SG_IO)" \
	test $RC -ne 0

run "$ODEMU" show missing >/dev/null 2>err.txt
rc=$RC
check "odemu show of a missing state exits 2" test $rc -eq 2
check "... and says how to create one" grep -q "create one with odemu new MODEL" err.txt
exit 0
