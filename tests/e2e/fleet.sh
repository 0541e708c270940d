#!/bin/bash
# odflash flash --all (issue #15): 8 emulated ND-3500A drives listed in
# ODFLASH_EMU (':'-separated) flashed at once at time scale 0, one of them
# power-cut mid-write (odemu fault): that one is reported exit 6 with its
# recover command, the others run the new version (odemu show); the run
# exits 6 (the worst drive); every event names its device and validates
# against docs/events.schema.json; filters, usage errors, verify/dump on
# several drives; a recover brings the cut drive back.
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-e2e-fleet.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
mkdir nosys
# no real drive takes part: an empty sysfs
export XDG_STATE_HOME="$T/state" ODF_REOPEN_DELAY_MS=1 ODF_WAIT_MAX_MS=0 \
	ODF_SYSFS_ROOT="$T/nosys"
unset NO_COLOR
ODF="$B/odflash"
EMU="$B/odemu"
rev() { $EMU show "$1" --json | jq -r .revision; }

L=""
for i in 1 2 3 4 5 6 7 8; do
	$EMU new nec-nd3500 d$i.state --version 1.00 >/dev/null 2>&1
	L="$L${L:+:}$T/d$i.state"
done
$EMU new spc-generic other.state --version 1.00 >/dev/null 2>&1
$EMU mkimage nec-nd3500 --version 2.00 -o v2.bin >/dev/null 2>&1
# the cut falls in the erase/program after the backup (identify, two
# backup reads of 251 commands, staging)
$EMU fault d5.state --power-cut-after-cmds 580 >/dev/null 2>&1
export ODFLASH_EMU="$L:$T/other.state"

s=$(date +%s.%N)
run "$ODF" --events=3 flash --all --model nd-3500 v2.bin --yes \
	>out.txt 2>err.txt 3>ev.nd </dev/null
e=$(date +%s.%N)
echo "# fleet: 8 drives flashed in $(echo "$e - $s" | bc) s wall"
check "8 drives, one power-cut: exit 6 (the worst)" 6 "$RC"
n=0
for i in 1 2 3 4 6 7 8; do
	check "d$i: at the new version (odemu show)" 2.00 "$(rev d$i.state)"
	n=$((n + 1))
done
count_is "drives at the new version" 7 $n
check "the other model was filtered out (--model)" 1.00 "$(rev other.state)"
check "d5: exit 6 and its recover command" \
	"6 odflash recover emu:$T/d5.state v2.bin" \
	"$(jq -r 'select(.event=="done" and .device=="emu:'"$T"'/d5.state") | "\(.exit_code) \(.recover_command)"' ev.nd)"
check "the result: 8 drives, exit 6, d5's error changed" "8 6 true" \
	"$(jq -r 'select(.event=="result") | "\(.drives_total) \(.exit_code) \([.drives[] | select(.exit_code==6) | .error.changed][0])"' ev.nd)"
check "one done event per drive" 8 "$(jq -r 'select(.event=="done") | .device' ev.nd | sort -u | wc -l)"
check "every event after start names its device, but the prompt and result" 0 \
	"$(jq -r 'select(.event!="start" and .event!="result" and .event!="prompt" and (.device==null)) | .event' ev.nd | wc -l)"
check "one prompt naming 8 drives" "1 8" \
	"$(jq -s -r '[.[] | select(.event=="prompt")] | "\(length) \(.[0].devices | length)"' ev.nd)"
check "8 backups, one per drive" 8 "$(ls state/odflash/backups/*.bin | wc -l)"
has "^emu:$T/d5.state .* failed .* 6  run: odflash recover emu:$T/d5.state v2.bin" out.txt &&
	ok "summary table: d5 failed, its recover command" || nok "summary table: d5 failed, its recover command" "$(cat out.txt)"
check "summary table: 7 drives ok" 7 "$(grep -c ' ok  *0$' out.txt || true)"
python3 "$HERE/lib/events_check.py" "$HERE/../../docs/events.schema.json" ev.nd:6 || true

# the cut drive is recovered; verify and dump on several drives
$EMU power-on d5.state >/dev/null 2>&1
run "$ODF" -q recover "emu:$T/d5.state" v2.bin --yes >/dev/null
check "d5: recovered" "0 2.00" "$RC $(rev d5.state)"
run "$ODF" -q --json verify "emu:$T/d1.state" "emu:$T/d5.state" v2.bin >v.json
check "verify on two drives: exit 0, both ok" "0 ok ok" \
	"$RC $(jq -r '[.drives[].result] | join(" ")' v.json)"
run "$ODF" -q --json flash --all --skip-current --model nd-3500 v2.bin --yes >s.json
check "--skip-current: every drive at 2.00 skipped" "0 0" "$RC $(jq -r .drives_total s.json)"
mkdir dumps && cd dumps
run "$ODF" -q --json dump "emu:$T/d1.state" "emu:$T/d2.state" >../d.json
cd ..
check "dump on two drives: two files" "0 2" "$RC $(ls dumps/*.bin | wc -l)"
run "$ODF" flash --all --frobnicate v2.bin 2>u.err
check "an unknown option with several drives: usage error" 1 "$RC"
run "$ODF" flash --all "emu:$T/d1.state" v2.bin 2>u.err
check "--all and DEVICE: usage error" 1 "$RC"
run "$ODF" flash "emu:$T/d1.state" "emu:$T/d2.state" v2.bin </dev/null 2>u.err
check "several drives without --yes and no terminal: refused" 5 "$RC"
exit 0
