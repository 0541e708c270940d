#!/bin/bash
# MediaTek MT1959 rules beyond the family matrix (tests/e2e/family_mt1959.sh):
# the CMAC against openssl's, identify's refusals, the config-ID and
# product crossflash refusals (the crossflash OmniDrive pairs, with the
# unit's data carried over, is tests/e2e/mt1959_crossflash.sh: here no
# backup of the unit exists, so it is refused), the drive's own config
# block kept, a
# drive that never becomes ready after the write (exit 6, not redumper's
# "flashing success"), boot mode after a cut write and its recovery.
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-e2e-mt1959.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
export XDG_STATE_HOME="$T/state" ODF_REOPEN_DELAY_MS=10 ODF_POLL_MS=5
ODF="$B/odflash -q"
EMU="$B/odemu"

$EMU mkimage lg-bh16ns40 -o v2.bin --version 2.00 >/dev/null 2>&1
$EMU mkimage lg-bu40n -o bu5.bin --version 2.00 >/dev/null 2>&1
$EMU mkimage asus-bw16d1ht -o asus.bin --version 3.10 >/dev/null 2>&1

# ---- the CMAC, against an independent implementation --------------------------
if command -v openssl >/dev/null && command -v python3 >/dev/null; then
	python3 - v2.bin r.bin mac.hex <<'PY'
import struct, sys
b = open(sys.argv[1], 'rb').read()
en, st, end, mac = struct.unpack('<3L16s', b[0x10400:0x10400 + 28])
r = bytearray(b[st:end + 1])
for i in range(0, len(r), 16):
    r[i:i + 16] = r[i:i + 16][::-1]
open(sys.argv[2], 'wb').write(r)
open(sys.argv[3], 'w').write(bytes(reversed(mac)).hex().upper())
PY
	got=$(openssl mac -cipher AES-128-CBC \
		-macopt hexkey:BD209408E35E526A36235234434FE8AB -in r.bin CMAC)
	[ "$got" = "$(cat mac.hex)" ] && ok "range 0's CMAC equals openssl's AES-CMAC" ||
		nok "range 0's CMAC equals openssl's AES-CMAC" "$got"
else
	skip "CMAC against openssl" "openssl or python3 missing"
fi

# ---- identify -------------------------------------------------------------------
out=$($B/odflash identify v2.bin 2>&1)
has "mt1959 MT1959 Boot JB8 (HL-DT-ST BD-RE BH16NS40), version 2.00" <<<"$out" &&
	has "checksum ok" <<<"$out" && ok "identify names family, config ID, version, CMAC ok" ||
	nok "identify names family, config ID, version, CMAC ok" "$out"
cp v2.bin flip.bin
printf '\x00' | dd of=flip.bin bs=1 seek=$((0x1E0200)) conv=notrunc 2>/dev/null
cmp -s v2.bin flip.bin && printf '\x01' | dd of=flip.bin bs=1 seek=$((0x1E0200)) conv=notrunc 2>/dev/null
run $B/odflash identify flip.bin >/dev/null 2>&1
check "identify refuses a flipped byte in range 1 (exit 4)" 4 $RC
head -c 1500000 v2.bin >cut.bin
msg=$($B/odflash identify cut.bin 2>&1) && RC=0 || RC=$?
check "identify refuses a cut file (exit 4)" 4 $RC
has "MT1959" <<<"$msg" && ok "the cut file is named as an MT1959 image" ||
	nok "the cut file is named as an MT1959 image" "$msg"

# ---- refusals: config ID, product crossflash --------------------------------------
S="$T/d.state"
$EMU new lg-bh16ns40 "$S" --version 1.00 --serial UNIT1 >/dev/null 2>&1
before=$(fsha "$S")
for args in "bu5.bin" "bu5.bin --crossflash" "asus.bin" "asus.bin --crossflash"; do
	# shellcheck disable=SC2086
	run $ODF flash "emu:$S" $args --yes --no-backup </dev/null >/dev/null 2>&1
	check "refuse $args on a JB8 BH16NS40 (exit 5)" 5 $RC
done
msg=$($ODF flash "emu:$S" asus.bin --crossflash --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
has "no verified backup of this unit" <<<"$msg" &&
	ok "the paired crossflash without a backup names what is missing" ||
	nok "the paired crossflash without a backup names what is missing" "$msg"
[ "$(fsha "$S")" = "$before" ] && ok "refusals left the flash untouched" ||
	nok "refusals left the flash untouched"

# ---- the drive's own config block stays ----------------------------------------------
$EMU dumpflash "$S" -o own.bin >/dev/null 2>&1
run $ODF flash "emu:$S" v2.bin --yes --no-backup >/dev/null 2>&1
check "flash 2.00" 0 $RC
$EMU dumpflash "$S" -o after.bin >/dev/null 2>&1
cmp -s <(tail -c +$((0x3001)) own.bin | head -c 32) <(tail -c +$((0x3001)) after.bin | head -c 32) &&
	ok "the drive's own 0x3000 block is intact" || nok "the drive's own 0x3000 block is intact"
cmp -s <(tail -c +$((0x3001)) v2.bin | head -c 32) <(tail -c +$((0x3001)) after.bin | head -c 32) &&
	nok "the file's 0x3000 block was not written" "it was" ||
	ok "the file's 0x3000 block was not written"

# ---- never ready after the write: exit 6 with the state -------------------------------
N="$T/n.state"
$EMU new lg-bh16ns40 "$N" --version 1.00 --serial UNIT2 >/dev/null 2>&1
$EMU fault "$N" --fail-commit 02/04/01 >/dev/null 2>&1
msg=$($ODF flash "emu:$N" v2.bin --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "a drive that never becomes ready: exit 6" 6 $RC
has "did not become ready" <<<"$msg" && ok "the failure says the drive did not become ready" ||
	nok "the failure says the drive did not become ready" "$msg"

# ---- a cut inside the write: boot mode, recover --------------------------------------
P="$T/p.state"
$EMU new asus-bw16d1ht "$P" --version 3.02 --serial UNIT3 >/dev/null 2>&1
$EMU fault "$P" --power-cut-after-bytes 300000 >/dev/null 2>&1
$ODF flash "emu:$P" asus.bin --yes --no-backup >/dev/null 2>&1 || true
$EMU power-on "$P" >/dev/null 2>&1
js=$($B/odflash info "emu:$P" --json 2>/dev/null)
[ "$(jget .mode <<<"$js")" = boot ] && [ "$(jget .revision <<<"$js")" = BOOT ] &&
	ok "a cut write leaves the BW-16D1HT in boot mode (revision BOOT)" ||
	nok "a cut write leaves the BW-16D1HT in boot mode (revision BOOT)" "$js"
run $ODF recover "emu:$P" asus.bin --yes >/dev/null 2>&1
check "recover from boot mode" 0 $RC
[ "$($B/odflash info "emu:$P" --json 2>/dev/null | jget .revision)" = 3.10 ] &&
	ok "recovered: revision 3.10" || nok "recovered: revision 3.10"
