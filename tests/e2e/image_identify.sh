#!/bin/bash
# odflash identify on the images the emulator makes (issue #4, done-when):
# every `odemu mkimage` model's image is identified with its family,
# target and version and a good checksum; one flipped byte turns the
# checksum bad with both values printed (exit 4); a cut file says how
# many bytes are missing (exit 4).  Then MediaTek 8051 / Lite-On files
# that no emulated drive makes: a 1 MiB image with a shared common area,
# the same in OmniPatcher's rebanked layout (built here in Python from
# omnipatcher lib_rebank.pl's description, independently of the library),
# and both inside a synthetic updater .exe.
# Prints "ok - name" / "not ok - name".
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
ODF=$B/odflash
EMU=$B/odemu
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-ident.XXXXXX)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/state
unset ODFLASH_EMU

nok() { echo "not ok - $1"; if [ -n "${2:-}" ]; then sed 's/^/#   /' <<<"$2"; fi; }
run() { rc=0; "$ODF" "$@" >"$T/out" 2>"$T/err" </dev/null || rc=$?; }

# model family target version-or-empty (the NEC ND-3500A file ends in
# "K310", the ID binflash DumpFirmware writes; Plextor files carry no version a
# public source locates: identify leaves it empty)
while read -r model fam target ver; do
	target=${target//_/ }	# "MT1959_Boot_JB8": a target with blanks
	f=$T/$model.bin
	if ! "$EMU" mkimage "$model" -o "$f" --version 1.23 >/dev/null 2>"$T/err"; then
		nok "$model: odemu mkimage" "$(cat "$T/err")"
		continue
	fi
	run identify "$f"
	line=$(cat "$T/out")
	if [ $rc -eq 0 ] && [[ "$line" == *": $fam $target "* ||
			      "$line" == *": $fam $target,"* ]] &&
	   { [ "$ver" = - ] || [[ "$line" == *", version $ver,"* ]]; }; then
		ok "$model: identified as $fam $target"
	else
		nok "$model: identified as $fam $target" "$line $(cat "$T/err")"
	fi
	if [[ "$line" == *"no checksum in this format"* ]]; then
		ok "$model: format has no checksum (said so)"
	elif [[ "$line" == *"checksum ok"* ]]; then
		ok "$model: checksum good"
	else
		nok "$model: checksum good" "$line"
	fi
	python3 - "$f" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[len(b) // 3] ^= 0x10
open(p + '.flip', 'wb').write(b)
open(p + '.cut', 'wb').write(b[:len(b) - 1000])
EOF
	run identify "$f.flip"
	if [[ "$line" == *"no checksum in this format"* ]]; then
		:
	elif [ $rc -eq 4 ] && grep -Eq 'checksum wrong: the file says 0x[0-9a-f]+, its contents give 0x[0-9a-f]+' "$T/err"; then
		ok "$model: flipped byte: checksum bad, both values"
	else
		nok "$model: flipped byte: checksum bad, both values" "$(cat "$T/out" "$T/err")"
	fi
	run identify "$f.cut"
	if [ "$fam" = btc ]; then
		# mkimage writes btcflash's Intel HEX: a cut (of the file as
		# made, not the flipped one) ends inside a record line
		head -c -1000 "$f" >"$f.cut"
		run identify "$f.cut"
		if [ $rc -eq 4 ] && grep -q 'truncated: Intel HEX file ends inside line' "$T/err"; then
			ok "$model: cut Intel HEX file: truncated inside a line"
		else
			nok "$model: cut Intel HEX file: truncated inside a line" "$(cat "$T/err")"
		fi
	elif [ $rc -eq 4 ] && grep -q '1000 missing\|1000 with a bootcode\|1000 bytes are missing' "$T/err"; then
		ok "$model: cut file: 1000 bytes missing"
	else
		nok "$model: cut file: 1000 bytes missing" "$(cat "$T/err")"
	fi
done <<'EOF'
nec-nd3500 nec K310 1.23
nec-nd3550 nec K355 1.23
optiarc-ad7170 nec D770 1.23
plextor-px716 plextor PX-716A -
tsst-se506cb mtk-ff SE-506CB 1.23
spc-generic spc GENERIC 1.23
ps3-bd ps3 PS-SYSTEM 1.23
spc-quiet spc QUIET 1.23
spc-refuse spc REFUSE 1.23
pioneer-dvr109 pioneer DVR-109 1.23
pioneer-dvr104 pioneer DVR-104 1.23
tsst-tsh353c mtk-ff TS-H353C 1.23
lg-gsa4163b lg-renesas GSA4163B 1.23
lg-gdr8164b lg-renesas GDR8164B 1.23
lg-bh16ns40 mt1959 MT1959_Boot_JB8 1.23
lg-bu40n mt1959 MT1959_Boot_BU5 1.23
asus-bw16d1ht mt1959 MT1959_Boot_JB8 1.23
btc-drw1008 btc DRW1008 1.23
btc-drw1004 btc DRW1004 1.23
samsung-sd616f sd616 SD-616F 1.23
EOF
# every model odemu makes is in the list above
covered=" nec-nd3500 nec-nd3550 optiarc-ad7170 plextor-px716 tsst-se506cb spc-generic ps3-bd spc-quiet spc-refuse pioneer-dvr109 pioneer-dvr104 tsst-tsh353c lg-gsa4163b lg-gdr8164b lg-bh16ns40 lg-bu40n asus-bw16d1ht btc-drw1008 btc-drw1004 samsung-sd616f "
models=$("$EMU" models | awk '{print $1}')
n=0
for m in $models; do
	n=$((n + 1))
	if [[ "$covered" == *" $m "* ]]; then
		ok "odemu model $m is checked here"
	else
		nok "odemu model $m is checked here"
	fi
done
[ "$n" -ge 14 ] && ok "odemu models lists $n models, each checked above" ||
	nok "odemu models lists at least the 14 known models" "$n"
# --- MediaTek 8051 / Lite-On ------------------------------------------
python3 - "$T" <<'EOF'
import random, sys
d = sys.argv[1]
r = random.Random(7)
f = bytearray(r.getrandbits(8) for _ in range(0x100000))
# shared common area: 02 at 0 and 0x4000, LITEONIT at 0xFFF8 (lib_rebank.pl)
f[0] = 0x02
f[0x4000] = 0x02
f[0x10000] = 0x00
f[0xFFF8:0x10000] = b'LITEONIT'
f[0x4100:0x4100 + 28] = b'LITE-ON ' + b'DVDRW SOHW-1633S' + b'BS0K'
open(d + '/lo.bin', 'wb').write(f)
# rebanked: 0x15 banks = common (flash 0x4000..0x8000) + part (0xC000,
# the last 0x8000) from flash 0x8000, then the bootcode (flash 0..0x4000)
rb = bytearray()
for i in range(0x15):
    rb += f[0x4000:0x8000]
    rb += f[0x8000 + 0xC000 * i:0x8000 + 0xC000 * i + (0xC000 if i < 0x14 else 0x8000)]
rb += f[0:0x4000]
assert len(rb) == 0x150000
open(d + '/lo-rebanked.bin', 'wb').write(rb)
for name, img in (('lo.exe', f), ('lo-rebanked.exe', rb)):
    e = bytearray(b'MZ\x90\x00') + bytearray(0x3000 - 4) + img + bytearray(777)
    open(d + '/' + name, 'wb').write(e)
EOF
run identify "$T/lo.bin"
if [ $rc -eq 0 ] && grep -q ': mtk-8051 DVDRW SOHW-1633S (LITE-ON DVDRW SOHW-1633S), version BS0K, 1048576 bytes, flash layout, no checksum' "$T/out"; then
	ok "Lite-On 1 MiB image: identified, flash layout"
else
	nok "Lite-On 1 MiB image: identified, flash layout" "$(cat "$T/out" "$T/err")"
fi
sha=$(sha256sum <"$T/lo.bin" | cut -c1-64)
run identify "$T/lo-rebanked.bin"
if [ $rc -eq 0 ] && grep -q 'version BS0K, 1048576 bytes, rebanked layout (converted to flash layout)' "$T/out" &&
   grep -q "sha256 $sha" "$T/out"; then
	ok "rebanked file: identified, converted to the flash image"
else
	nok "rebanked file: identified, converted to the flash image" "$(cat "$T/out" "$T/err")"
fi
run --json identify "$T/lo-rebanked.bin"
if [ $rc -eq 0 ] && python3 -c "
import json,sys; f=json.load(open('$T/out'))['files'][0]
sys.exit(0 if f['layout']=='rebanked' and f['size']==0x100000 and f['sha256']=='$sha' else 1)"; then
	ok "rebanked file: JSON layout, size, sha256"
else
	nok "rebanked file: JSON layout, size, sha256" "$(cat "$T/out" "$T/err")"
fi
for x in lo lo-rebanked; do
	run identify "$T/$x.exe"
	if [ $rc -eq 0 ] && grep -q 'mtk-8051 DVDRW SOHW-1633S.*1048576 bytes (inside a Windows updater at offset 0x3000)' "$T/out" &&
	   grep -q "sha256 $sha" "$T/out"; then
		ok "$x.exe: found inside the updater at 0x3000"
	else
		nok "$x.exe: found inside the updater at 0x3000" "$(cat "$T/out" "$T/err")"
	fi
done
head -c 1000000 "$T/lo.bin" >"$T/lo.cut"
run identify "$T/lo.cut"
if [ $rc -eq 4 ] && grep -q '48576 missing' "$T/err"; then
	ok "cut Lite-On image: bytes missing"
else
	nok "cut Lite-On image: bytes missing" "$(cat "$T/err")"
fi
exit 0
