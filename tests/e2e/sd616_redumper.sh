#!/bin/bash
# The Samsung SD-616F byte sequence, pinned against redumper
# (superg/redumper@2ab9a42 drive/flash_sd616.ixx:redumper_flash_sd616 with
# drive/flash_tsst.ixx:flash_tsst, scsi/cmd.ixx:cmd_flash_tsst,
# scsi/mmc.ixx CDB12_FlashTSST and FLASH_TSST_Mode):
#   - the 0x20000-byte file goes into a zeroed 0x30000-byte stream: file
#     [0, 0x10000) at 0, [0x10000, 0x1F800) at 0x10400, [0x1F800, 0x20000)
#     at 0x20000, [0x10400, 0x1F800) at 0x20800 (built here in Python from
#     that description, apart from odflash's code);
#   - the stream in three 0x10000-byte pieces, FF 00 01 00 00 <mode> 00 00
#     00 00 00 00 with mode START 00, CONTINUE FF, END_128KB 02.
# sg_raw sends that through libodemu-preload.so to one emulated drive,
# odflash flashes another: the FF 00 01 commands (CDB and length) are the
# same (odflash also sends FF 00 FF .. AA first, to learn whether the path
# carries opcode FFh: ignored by the drive),
# and so is each drive's flash after it.  A stream laid out otherwise (the
# file sent as is, in two pieces, or the map of flash_sd616.ixx at
# superg/redumper@5bb9383, a commit outside 2ab9a42's history) is refused
# by the emulated drive (INFERRED, emu/proto_sd616.c).
# redumper reads nothing back: odflash verifies by the drive's identity
# and says so.
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
EMU=$B/odemu
ODF="$B/odflash -q"
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-sd616.XXXXXX)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/xdg ODF_REOPEN_DELAY_MS=10 ODF_POLL_MS=5
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
cd "$T" || exit 2
PRELOAD=$(preload_lib "$B/libodemu-preload.so")
command -v sg_raw >/dev/null || { nok "sg3-utils installed (sg_raw missing)"; exit 1; }
sg() { LD_PRELOAD=$PRELOAD ODEMU_MAP=/dev/sg90=$T/$1 "${@:2}"; }
ff() { grep ' cdb=ff 00 01 ' "$1" | sed 's/^[0-9]* //; s/ status=.*//'; }

"$EMU" mkimage samsung-sd616f -o fw.bin --version F200 >/dev/null 2>&1
check "the SD-616F file is 128 KiB" 131072 "$(stat -c %s fw.bin)"
python3 - <<'PY'
f = open("fw.bin", "rb").read()
s = bytearray(0x30000)
s[0:0x10000] = f[0:0x10000]
s[0x10400:0x1FC00] = f[0x10000:0x1F800]
s[0x20000:0x20800] = f[0x1F800:0x20000]
s[0x20800:0x2FC00] = f[0x10400:0x1F800]
for i in range(3):
    open("piece%d" % i, "wb").write(s[i * 0x10000:(i + 1) * 0x10000])
# the file as is, cut in 64 KiB: not redumper's stream
open("raw0", "wb").write(f[0:0x10000])
open("raw1", "wb").write(f[0x10000:0x20000])
PY
send() { # state, mode, piece
	sg "$1" sg_raw -s 65536 -i "$3" /dev/sg90 ff 00 01 00 00 "$2" 00 00 00 00 00 00 >/dev/null 2>&1
}
"$EMU" new samsung-sd616f R --version F100 --serial SD1 >/dev/null 2>&1
ok=0
send R 00 piece0 && ok=$((ok + 1))
send R ff piece1 && ok=$((ok + 1))
send R 02 piece2 && ok=$((ok + 1))
check "redumper's three FF 00 01 pieces (ST 00, FF, 02) are taken" 3 $ok
check "the drive runs F200 after them" "F200 normal" "$("$EMU" show R --json | jget '.revision + " " + .mode')"

"$EMU" new samsung-sd616f O --version F100 --serial SD1 >/dev/null 2>&1
run $ODF flash emu:O fw.bin --yes --no-backup >/dev/null 2>&1
check "odflash flashes the SD-616F (exit 0)" 0 $RC
check "odflash sent 3 FF 00 01 commands" 3 "$(ff O.log | wc -l)"
# odflash's own path check, not redumper's: FF 00 FF .. AA (ignored by the
# drive) when it identifies the drive, never between the three pieces
idx=$(grep -n ' cdb=ff 00 01 ' O.log | cut -d: -f1 | tr '\n' ' ')
set -- $idx
probes=$(grep -c ' cdb=ff 00 ff ' O.log || true)
[ "$probes" -ge 1 ] && [ $# = 3 ] && [ $(($3 - $1)) = 2 ] &&
	ok "the three pieces go back to back (log lines $idx); odflash's $probes FF 00 FF path checks lie outside them" ||
	nok "the three pieces go back to back" "lines $idx, $probes path checks"
if cmp -s <(ff R.log) <(ff O.log); then
	ok "odflash's FF CDBs and lengths are redumper's: $(ff O.log | cut -c5-22 | tr '\n' ' ')"
else
	nok "odflash's FF CDBs are redumper's" "$(diff <(ff R.log) <(ff O.log) | tr '\n' ' ')"
fi
check "the two drives' flashes are byte-identical" "$(fsha R)" "$(fsha O)"
out=$($ODF verify emu:O fw.bin 2>&1) && RC=0 || RC=$?
check "verify exits 0" 0 $RC
says "verify says it checked the identity only" "$out" "identity only"

# streams that are not redumper's
"$EMU" new samsung-sd616f X --version F100 --serial SD1 >/dev/null 2>&1
before=$(fsha X)
send X 00 raw0
run send X 02 raw1
check "the file sent as is in two pieces is refused" 1 "$([ $RC != 0 ] && echo 1 || echo 0)"
python3 - <<'PY'
f = open("fw.bin", "rb").read()
# flash_sd616.ixx at superg/redumper@5bb9383: 0x400 of file 0xFC00 at
# 0x10000, file 0x10000.. at 0x10400, 0x800 of file 0x1F800 at 0x20000,
# file 0x10400.. at 0x20800
s = bytearray(0x30000)
s[0:0x10000] = f[0:0x10000]
s[0x10000:0x10400] = f[0xFC00:0x10000]
s[0x10400:0x1FC00] = f[0x10000:0x1F800]
s[0x20000:0x20800] = f[0x1F800:0x20000]
s[0x20800:0x2FC00] = f[0x10400:0x1F800]
open("old1", "wb").write(s[0x10000:0x20000])
PY
send X 00 piece0
out=$(sg X sg_raw -s 65536 -i old1 /dev/sg90 ff 00 01 00 00 ff 00 00 00 00 00 00 2>&1) || true
says "a stream whose gap is not zero is refused (INVALID FIELD IN PARAMETER LIST)" "$out" "parameter list"
check "the refused streams left the flash untouched" "$before" "$(fsha X)"
