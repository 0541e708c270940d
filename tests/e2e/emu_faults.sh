#!/bin/bash
# odemu fault / odemu show / --clear agree on every fault (issue #11: the
# fault table).  Once `odemu fault --reenumerate-skip 3` was shown as
# "faults: reenumerate-skip=3 none": show and fault had drifted apart.
. "$(dirname "$0")/lib/tap.sh"
e2e_tmp faults
export XDG_STATE_HOME="$T/state"
EMU="$B/odemu"
# json_check NAME PYTHON-EXPRESSION-ON-f (the "faults" object)
json_check() {
	if $EMU show s.state --json >show.json 2>/dev/null &&
	   python3 -c "import json,sys; f=json.load(open('show.json'))['faults']; sys.exit(0 if ($2) else 1)"
	then ok "$1"; else nok "$1" "$(cat show.json)"; fi
}
# every fault off: numbers -1 or 0, flags false, senses null
ALL_OFF='all(v in (-1, 0, False, None) and not (v is True) for v in f.values())'

run $EMU new nec-nd3500 s.state --version 1.00 >/dev/null 2>&1
check "odemu new" 0 "$RC"

line=$($EMU show s.state | grep '^faults:')
[ "$line" = "faults:     none" ] && ok "a new drive shows no fault" ||
	nok "a new drive shows no fault" "$line"
json_check "a new drive has every JSON fault off" "$ALL_OFF"

run $EMU fault s.state --reenumerate-skip 3 >/dev/null 2>&1
check "odemu fault --reenumerate-skip 3" 0 "$RC"
line=$($EMU show s.state | grep '^faults:')
[ "$line" = "faults:     reenumerate-skip=3" ] &&
	ok "show: reenumerate-skip=3 and no 'none'" ||
	nok "show: reenumerate-skip=3 and no 'none'" "$line"
json_check "show --json: reenumerate_skip 3, every other fault off" \
	"f['reenumerate_skip'] == 3 and all(v in (-1, 0, False, None) and not (v is True) for k, v in f.items() if k != 'reenumerate_skip')"

# every settable fault at once (the list must name every JSON fault but
# the drive's own reenumerate_left: a fault added unseen here fails)
run $EMU fault s.state --power-cut-after-cmds 1000 --power-cut-after-bytes 9999999 \
	--max-transfer 65536 --drop-vendor-opcodes --hang-ms 5 --reenumerate 2 \
	--reenumerate-skip 1 --tray-locked on --signal-after-cmds 500 \
	--signal TERM --fail-commit 04/3E/01 --eio-at-cmd 700 \
	--max-transfer-from-cmd 300 --garbage-answers 42 >/dev/null 2>err
check "odemu fault with every fault" 0 "$RC"
SET='power_cut_after_cmds power_cut_after_bytes max_transfer drop_vendor_opcodes hang_ms reenumerate reenumerate_skip tray_locked signal_after_cmds signal fail_commit eio_at_cmd max_transfer_from_cmd garbage_answers'
json_check "every fault set is shown set, and the list names them all" \
	"sorted(k for k in f if k != 'reenumerate_left') == sorted('$SET'.split()) and all(f[k] not in (-1, 0, False, None) for k in '$SET'.split())"
line=$($EMU show s.state | grep '^faults:')
want="faults:     power-cut-after-cmds=1000 power-cut-after-bytes=9999999 max-transfer=65536 drop-vendor-opcodes hang-ms=5 reenumerate=2 reenumerate-skip=1 tray-locked signal-15-after-cmds=500 fail-commit=04/3E/01 eio-at-cmd=700 max-transfer-from-cmd=300 garbage-answers=42"
[ "$line" = "$want" ] && ok "show text lists every fault set" ||
	nok "show text lists every fault set" "$line"

run $EMU fault s.state --clear >/dev/null 2>&1
check "odemu fault --clear" 0 "$RC"
json_check "--clear turns every fault off" "$ALL_OFF"
line=$($EMU show s.state | grep '^faults:')
[ "$line" = "faults:     none" ] && ok "after --clear show says none" ||
	nok "after --clear show says none" "$line"

# a value out of the table's range is refused and changes nothing
run $EMU fault s.state --reenumerate-skip 1001 >/dev/null 2>&1
check "--reenumerate-skip 1001 is a usage error (exit 1)" 1 "$RC"
json_check "... and sets nothing" "$ALL_OFF"

run $EMU fault s.state --max-transfer-from-cmd 3 >/dev/null 2>err
check "--max-transfer-from-cmd alone is a usage error (exit 1)" 1 "$RC"
has "goes with --max-transfer" <err && ok "... naming --max-transfer" ||
	nok "... naming --max-transfer" "$(cat err)"

# --eio-at-cmd N: the Nth command from now fails with EIO on the path
# (never reaches the drive), once; the log says so
run $EMU fault s.state --eio-at-cmd 2 >/dev/null 2>&1
check "odemu fault --eio-at-cmd 2" 0 "$RC"
n0=$($EMU show s.state --json | jq .counters.commands)
"$B/odflash" info emu:s.state >/dev/null 2>&1 || true
$EMU log s.state >log.txt 2>&1
eio=$(grep -c 'os_err=5 (path: transport error (EIO))' log.txt || true)
at=$(grep 'os_err=5 (path' log.txt | awk '{print $1}')
[ "$eio" = 1 ] && [ "$at" = $((n0 + 2)) ] &&
	ok "--eio-at-cmd 2: command $((n0 + 2)) alone failed with EIO" ||
	nok "--eio-at-cmd 2: command $((n0 + 2)) alone failed with EIO" "$eio at $at"
json_check "... used once: eio_at_cmd back to off" "f['eio_at_cmd'] == -1"

# --max-transfer-from-cmd N: no cap before command N, then --max-transfer.
# first_refusal K: arm the cap from the Kth command, run `odflash info`,
# print the index (from the arming) of the first refused transfer, or 0
first_refusal() {
	$EMU fault s.state --clear --max-transfer 512 \
		--max-transfer-from-cmd "$1" >/dev/null 2>&1 || return 1
	n0=$($EMU show s.state --json | jq .counters.commands)
	"$B/odflash" info emu:s.state >/dev/null 2>&1 || true
	$EMU log s.state | awk -v n="$n0" '/bridge: transfer too large/ &&
		$1 > n { print $1 - n; f = 1; exit } END { if (!f) print 0 }'
}
k=$(first_refusal 1)
[ "$k" -gt 1 ] && ok "a 512-byte cap from command 1 refuses info's command $k" ||
	nok "a 512-byte cap from command 1 refuses a transfer of info" "$k"
k2=$(first_refusal $((k + 1)))
[ "$k2" != "$k" ] && { [ "$k2" = 0 ] || [ "$k2" -gt "$k" ]; } &&
	ok "--max-transfer-from-cmd $((k + 1)): command $k passes (first refusal: ${k2})" ||
	nok "--max-transfer-from-cmd $((k + 1)): command $k passes" "first refusal $k2"
json_check "... then the cap is a plain one (max_transfer_from_cmd 0)" \
	"f['max_transfer_from_cmd'] == 0 and f['max_transfer'] == 512"

# --garbage-answers SEED: the same seed gives the same answers whatever the
# drive's history; the seed moves on by one after each program it lied to
$EMU new nec-nd3500 g1.state >/dev/null 2>&1
$EMU new nec-nd3500 g2.state >/dev/null 2>&1
"$B/odflash" info emu:g2.state >/dev/null 2>&1	# another history
answers() { # the log's answers from its first garbage line on, sans index
	sed -n '/(garbage /,$p' "$1" | cut -d' ' -f2-
}
for g in g1 g2; do
	$EMU fault $g.state --garbage-answers 21 >/dev/null
	"$B/odflash" info emu:$g.state >/dev/null 2>&1 || true
done
a=$(answers g1.state.log) b=$(answers g2.state.log)
[ -n "$a" ] && [ "$a" = "$b" ] &&
	ok "--garbage-answers 21 on two drives with other histories: the same answers ($(echo "$a" | wc -l) commands)" ||
	nok "--garbage-answers 21 on two drives: the same answers" "$a // $b"
has ' (garbage 21/0: ' g1.state.log && ok "... logged as 'garbage 21/0: ...'" ||
	nok "... logged as 'garbage 21/0: ...'" "$(tail -2 g1.state.log)"
json_check_g() { $EMU show "$1" --json | jq -r .faults.garbage_answers; }
check "... the seed moved on to 22 after the run it lied to" 22 "$(json_check_g g1.state)"
$EMU fault g1.state --garbage-answers 22 >/dev/null
check "... setting it does not move it" 22 "$(json_check_g g1.state)"
"$B/odflash" info emu:g1.state >/dev/null 2>&1 || true
has ' (garbage 22/0: ' g1.state.log && ok "... the next run meets seed 22" ||
	nok "... the next run meets seed 22" "$(tail -2 g1.state.log)"
n_in=$(grep -c ' dir=in ' g1.state.log) n_g=$(grep -c ' (garbage ' g1.state.log)
check "... every data-in command of both runs was answered with garbage" "$n_in" "$n_g"

exit 0
