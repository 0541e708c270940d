#!/bin/bash
# MediaTek MT1959 crossflash that keeps the drive's own data (issue #14):
# OmniDrive's README pairs the BW-16D1HT firmware with every desktop (JB8)
# drive, so a BW-16D1HT image goes onto an emulated BH16NS40 with
# --crossflash, carrying over the unit's signature (0x1E8000..0x1E84FF),
# calibration (0x1E9000..end; the MakeMKV forum's "Linux native flashing"
# layout) and 0x3000 block (redumper) from a verified backup of this serial
# in the state directory's backups/ folder; no source reads those ranges
# from the drive, so without such a backup the crossflash is refused
# (exit 5), as is a BU5 (slim) image on a JB8 drive even with --crossflash.
# Every refusal leaves the flash byte-identical.
. "$(dirname "$0")/lib/tap.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-e2e-mt59x.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
export XDG_STATE_HOME="$T/state" ODF_REOPEN_DELAY_MS=10 ODF_POLL_MS=5
ODF="$B/odflash -q"
EMU="$B/odemu"
BK="$T/state/odflash/backups"

# bytes LEN at OFF of FILE as hex
cut_at() { dd if="$1" iflag=skip_bytes,count_bytes skip=$(($2)) count=$(($3)) status=none; }
range() { cut_at "$@" | od -An -tx1 -v | tr -d ' \n'; }
# a sidecar as odflash's backups have (lib/session/backup.c write_sidecar)
sidecar() { # file vendor model serial [sha]
	local sha=${5:-$(sha256sum "$1" | cut -d' ' -f1)}
	jq -n --arg v "$2" --arg m "$3" --arg s "$4" --arg h "$sha" \
		--argjson n "$(stat -c %s "$1")" \
		'{vendor:$v, model:$m, serial:$s, sha256:$h, size:$n, valid:true,
		  driver:"mt1959", time:"2026-12-01T00:00:00Z"}' >"$1.json"
}
RANGES="0x3000:0x20 0x1E8000:0x500 0x1E9000:0x17000"

$EMU mkimage asus-bw16d1ht -o asus.bin --version 3.10 >/dev/null 2>&1
$EMU mkimage lg-bu40n -o bu5.bin --version 2.00 >/dev/null 2>&1
$EMU mkimage lg-bh16ns40 -o own.bin --version 2.00 >/dev/null 2>&1
S="$T/d.state"
$EMU new lg-bh16ns40 "$S" --version 1.00 --serial UNIT1 >/dev/null 2>&1
$EMU new lg-bh16ns40 "$T/e.state" --version 1.00 --serial UNIT2 >/dev/null 2>&1
$EMU new asus-bw16d1ht "$T/a.state" --version 3.02 --serial UNIT3 >/dev/null 2>&1
$EMU dumpflash "$S" -o pre.bin >/dev/null 2>&1
$EMU dumpflash "$T/e.state" -o other-unit.bin >/dev/null 2>&1

# ---- the emulated units hold their own data --------------------------------------------
n=0 distinct=0 fromimg=0
for r in $RANGES; do
	n=$((n + 1))
	o=${r%:*} l=${r#*:}
	[ "$(range pre.bin "$o" "$l")" != "$(range other-unit.bin "$o" "$l")" ] &&
		distinct=$((distinct + 1))
	[ "$(range pre.bin "$o" "$l")" != "$(range asus.bin "$o" "$l")" ] &&
		fromimg=$((fromimg + 1))
done
count_is "unit ranges compared" 3 $n
check "each unit range differs between serials UNIT1 and UNIT2" 3 $distinct
check "each unit range differs from the BW-16D1HT image's" 3 $fromimg

before=$(fsha "$S")
untouched() { [ "$(fsha "$S")" = "$before" ] && ok "$1: flash unchanged" || nok "$1: flash unchanged"; }

# ---- no source for the unit's data: refused, saying what is missing and what to do -----
msg=$($ODF flash "emu:$S" asus.bin --crossflash --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "crossflash without a backup of this unit: exit 5" 5 $RC
has "no public source reads them" <<<"$msg" && has "no verified backup of this unit (HL-DT-ST BD-RE BH16NS40 serial UNIT1)" <<<"$msg" &&
	has "$BK" <<<"$msg" && ok "the refusal names what is missing and where it looked" ||
	nok "the refusal names what is missing and where it looked" "$msg"
has "sidecar NAME.bin.json giving its vendor, model, serial, sha256" <<<"$msg" &&
	ok "the hint says what to do" || nok "the hint says what to do" "$msg"
untouched "no backup"

# ---- backups that are not this unit's verified copy are passed over -----------------
mkdir -p "$BK"
cp other-unit.bin "$BK/wrong-unit.bin"
sidecar "$BK/wrong-unit.bin" HL-DT-ST "BD-RE BH16NS40" UNIT1
msg=$($ODF flash "emu:$S" asus.bin --crossflash --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "a backup labelled UNIT1 holding UNIT2's flash: exit 5" 5 $RC
has "not what the drive reads out there now" <<<"$msg" && ok "it is passed over for its 0x3000 block" ||
	nok "it is passed over for its 0x3000 block" "$msg"
untouched "another unit's backup"
rm -f "$BK"/wrong-unit.bin*
cp pre.bin "$BK/changed.bin"
sidecar "$BK/changed.bin" HL-DT-ST "BD-RE BH16NS40" UNIT1 \
	0000000000000000000000000000000000000000000000000000000000000000
msg=$($ODF flash "emu:$S" asus.bin --crossflash --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "a backup whose sha256 is not its sidecar's: exit 5" 5 $RC
has "it changed" <<<"$msg" && ok "it is passed over as changed" || nok "it is passed over as changed" "$msg"
untouched "changed backup"
rm -f "$BK"/changed.bin*
cp pre.bin "$BK/unit1.bin"
sidecar "$BK/unit1.bin" HL-DT-ST "BD-RE BH16NS40" UNIT2
run $ODF flash "emu:$S" asus.bin --crossflash --yes --no-backup </dev/null >/dev/null 2>&1
check "a backup of another serial is not taken: exit 5" 5 $RC
untouched "another serial's backup"

# ---- the verified backup of this unit --------------------------------------------------
sidecar "$BK/unit1.bin" HL-DT-ST "BD-RE BH16NS40" UNIT1
bsha=$(sha256sum "$BK/unit1.bin" | cut -d' ' -f1)
dsha=$(cut_at pre.bin 0x3000 32 | sha256sum | cut -d' ' -f1)

# ---- config IDs OmniDrive does not pair, and pairings it does not name ---------------------
msg=$($ODF flash "emu:$S" bu5.bin --crossflash --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "BU5 (slim) image on the JB8 drive even with --crossflash: exit 5" 5 $RC
has "(slim)" <<<"$msg" && has "(desktop)" <<<"$msg" && has "OmniDrive" <<<"$msg" &&
	ok "the BU5/JB8 refusal names OmniDrive's pairing" || nok "the BU5/JB8 refusal names OmniDrive's pairing" "$msg"
untouched "BU5 on JB8"
run $ODF flash "emu:$S" asus.bin --yes --no-backup </dev/null >/dev/null 2>&1
check "the paired image without --crossflash: exit 5" 5 $RC
untouched "no --crossflash"
A="$T/a.state"
abefore=$(fsha "$A")
msg=$($ODF flash "emu:$A" own.bin --crossflash --yes --no-backup 2>&1 >/dev/null) && RC=0 || RC=$?
check "a BH16NS40 image on a BW-16D1HT (no source pairs it): exit 5" 5 $RC
has "vouches only" <<<"$msg" && ok "the unpaired refusal says so" || nok "the unpaired refusal says so" "$msg"
[ "$(fsha "$A")" = "$abefore" ] && ok "unpaired: flash unchanged" || nok "unpaired: flash unchanged"

# ---- the question names every range and its source (dry run) ------------------------------
out=$($B/odflash flash "emu:$S" asus.bin --crossflash --no-backup --dry-run 2>/dev/null) && RC=0 || RC=$?
check "dry run of the crossflash: exit 0" 0 $RC
has "keeps the drive's own signature: 0x1e8000..0x1e84ff from $BK/unit1.bin (sha256 $bsha)" <<<"$out" &&
	has "keeps the drive's own calibration: 0x1e9000..0x1fffff from $BK/unit1.bin (sha256 $bsha)" <<<"$out" &&
	has "keeps the drive's own ID block: 0x003000..0x00301f from the drive itself (its own read-out) (sha256 $dsha)" <<<"$out" &&
	ok "the question names each range, its source and the source's sha256" ||
	nok "the question names each range, its source and the source's sha256" "$out"
untouched "dry run"
run $B/odflash --events flash "emu:$S" asus.bin --crossflash --no-backup --dry-run </dev/null >ev.nd 2>/dev/null
check "dry run with --events: exit 0" 0 $RC
ud=$(jq -c 'select(.event=="prompt") | .unit_data' ev.nd)
want=$(jq -cn --arg f "$BK/unit1.bin" --arg b "$bsha" --arg d "$dsha" '[
	{what:"ID block", start:12288, end:12319, from:"drive", sha256:$d},
	{what:"signature", start:1998848, end:2000127, from:$f, sha256:$b},
	{what:"calibration", start:2002944, end:2097151, from:$f, sha256:$b}]')
[ "$ud" = "$want" ] && ok "the prompt event's unit_data names the ranges and sources" ||
	nok "the prompt event's unit_data names the ranges and sources" "$ud"
python3 "$HERE/lib/events_check.py" "$HERE/../../docs/events.schema.json" ev.nd:0 || true

# ---- the crossflash ------------------------------------------------------------------------
run $ODF flash "emu:$S" asus.bin --crossflash --yes --no-backup </dev/null >/dev/null 2>&1
check "BW-16D1HT image onto the BH16NS40 with its backup: exit 0" 0 $RC
$EMU dumpflash "$S" -o post.bin >/dev/null 2>&1
n=0 kept=0
for r in $RANGES; do
	n=$((n + 1))
	o=${r%:*} l=${r#*:}
	[ "$(range pre.bin "$o" "$l")" = "$(range post.bin "$o" "$l")" ] && kept=$((kept + 1)) ||
		nok "range $o+$l is the drive's own after the crossflash"
done
count_is "unit ranges checked after the crossflash" 3 $n
check "the drive's own 0x3000 block, signature and calibration are intact" 3 $kept
cmp -s <(range post.bin 0x10000 0x1D8000) <(range asus.bin 0x10000 0x1D8000) &&
	ok "the firmware between 0x10000 and 0x1E8000 is the BW-16D1HT image's" ||
	nok "the firmware between 0x10000 and 0x1E8000 is the BW-16D1HT image's"
js=$($B/odflash info "emu:$S" --json 2>/dev/null)
[ "$(jget .vendor <<<"$js")" = ASUS ] && [ "$(jget .model <<<"$js")" = BW-16D1HT ] &&
	[ "$(jget .revision <<<"$js")" = 3.10 ] && [ "$(jget .serial <<<"$js")" = UNIT1 ] &&
	ok "the drive now runs the BW-16D1HT 3.10 firmware, still serial UNIT1" ||
	nok "the drive now runs the BW-16D1HT 3.10 firmware, still serial UNIT1" "$js"
run $ODF verify "emu:$S" asus.bin </dev/null >/dev/null 2>&1
check "verify by identity after the crossflash: exit 0" 0 $RC

# ---- a cut inside the crossflash: recovered with --crossflash, the unit's data kept ----------
E="$T/e.state"
cp other-unit.bin "$BK/unit2.bin"
sidecar "$BK/unit2.bin" HL-DT-ST "BD-RE BH16NS40" UNIT2
$EMU fault "$E" --power-cut-after-bytes 300000 >/dev/null 2>&1
msg=$($ODF flash "emu:$E" asus.bin --crossflash --yes --no-backup </dev/null 2>&1 >/dev/null) && RC=0 || RC=$?
check "a power cut inside the crossflash: exit 6" 6 $RC
has "odflash recover emu:$E asus.bin --crossflash" <<<"$msg" &&
	ok "the recover command it prints carries --crossflash" ||
	nok "the recover command it prints carries --crossflash" "$msg"
$EMU power-on "$E" >/dev/null 2>&1
[ "$($B/odflash info "emu:$E" --json 2>/dev/null | jget .mode)" = boot ] &&
	ok "the cut crossflash leaves the drive in boot mode" || nok "the cut crossflash leaves the drive in boot mode"
run $ODF recover "emu:$E" asus.bin --crossflash --yes </dev/null >/dev/null 2>&1
check "recover with the BW-16D1HT image and --crossflash: exit 0" 0 $RC
$EMU dumpflash "$E" -o post2.bin >/dev/null 2>&1
n=0 kept=0
for r in $RANGES; do
	n=$((n + 1))
	o=${r%:*} l=${r#*:}
	[ "$(range other-unit.bin "$o" "$l")" = "$(range post2.bin "$o" "$l")" ] && kept=$((kept + 1))
done
count_is "unit ranges checked after the recovery" 3 $n
check "UNIT2's own ranges are intact after the recovery" 3 $kept

# ---- a crossflash killed (SIGKILL) mid-write: the journal says crossflash, and
# ---- `odflash recover DEVICE` (no FILE, no flag) recovers it as one ------------------------
K="$T/k.state"
$EMU new lg-bh16ns40 "$K" --version 1.00 --serial UNIT4 >/dev/null 2>&1
$EMU dumpflash "$K" -o unit4.bin >/dev/null 2>&1
cp unit4.bin "$BK/unit4.bin"
sidecar "$BK/unit4.bin" HL-DT-ST "BD-RE BH16NS40" UNIT4
# the 20th data command after WRITE BUFFER mode 1 (the point of no return),
# found in the log of the same crossflash on a twin (same serial, same data)
$EMU new lg-bh16ns40 "$T/k-ref.state" --version 1.00 --serial UNIT4 >/dev/null 2>&1
run $ODF flash "emu:$T/k-ref.state" asus.bin --crossflash --yes --no-backup </dev/null >/dev/null 2>&1
ponr=$($EMU log "$T/k-ref.state" | grep -n ' cdb=3b 01 ' | head -1 | cut -d: -f1)
if [ -n "$ponr" ]; then
	$EMU fault "$K" --signal-after-cmds $((ponr + 20)) --signal KILL >/dev/null 2>&1
	run $ODF flash "emu:$K" asus.bin --crossflash --yes --no-backup </dev/null >/dev/null 2>&1
	check "a crossflash killed 20 commands past WRITE BUFFER mode 1 (command $ponr): exit 137" 137 $RC
	$B/odflash history --json >h.json 2>/dev/null
	check "history: the killed run is interrupted, journaled as a crossflash" "interrupted true" \
		"$(jq -r --arg d "emu:$K" '[.entries[] | select(.device == $d)] | last | "\(.result) \(.crossflash)"' h.json)"
	$EMU fault "$K" --clear >/dev/null 2>&1
	run $ODF recover "emu:$K" --yes </dev/null >rk.out 2>rk.err
	check "recover DEVICE (no FILE, no --crossflash) after it: exit 0" 0 $RC
	has "it was a crossflash, so this recover is one too" <rk.err &&
		ok "... saying it takes the journal's file as a crossflash" ||
		nok "... saying it takes the journal's file as a crossflash" "$(cat rk.err)"
	$EMU dumpflash "$K" -o post4.bin >/dev/null 2>&1
	n=0 kept=0
	for r in $RANGES; do
		n=$((n + 1))
		o=${r%:*} l=${r#*:}
		[ "$(range unit4.bin "$o" "$l")" = "$(range post4.bin "$o" "$l")" ] && kept=$((kept + 1))
	done
	count_is "unit ranges checked after recover DEVICE" 3 $n
	check "UNIT4's own ranges are intact after recover DEVICE" 3 $kept
	check "the drive runs the BW-16D1HT 3.10 firmware" 3.10 \
		"$($B/odflash info "emu:$K" --json 2>/dev/null | jget .revision)"
else
	nok "WRITE BUFFER mode 1 found in the reference crossflash's log"
fi
