#!/bin/bash
# odflash --events (issue #15, docs/events.md): every event of flash, dump,
# verify, recover, a power cut, a held signal, refusals and usage errors,
# on NEC, LG, Plextor, SPC and Pioneer drives, validated against
# docs/events.schema.json (python3-jsonschema: start first, one result
# last, its exit code the run's); nothing else on the events' stream; the
# text progress; a shell-free front end (events_drive.py) flashes a drive
# from the events alone.
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
SCHEMA="$HERE/../../docs/events.schema.json"
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-e2e-events.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
export XDG_STATE_HOME="$T/state" ODF_REOPEN_DELAY_MS=1 ODF_WAIT_MAX_MS=0
unset ODFLASH_EMU NO_COLOR
ODF="$B/odflash"
EMU="$B/odemu"
mkdir ev
RUNS=()

# ev NAME WANT_RC ARGS...: odflash --events ARGS, events in ev/NAME, stdin
# from /dev/null (a prompt is answered "no")
ev() {
	local name=$1 want=$2
	shift 2
	run "$ODF" --events "$@" <"${EV_IN:-/dev/null}" >"ev/$name" 2>"ev/$name.err"
	RUNS+=("ev/$name:$RC")
	check "$name: exit $want" "$want" "$RC"
}

for m in nec-nd3500 lg-gsa4163b plextor-px716 spc-generic pioneer-dvr109; do
	$EMU new $m $m.state --version 1.00 >/dev/null 2>&1
	v=2.00 nb="" dump=0 fl=0
	# no read-back protocol: no backup, a dump is refused (exit 5); the
	# emulated Plextor image names no version: cannot-verify (exit 7)
	case $m in plextor-px716|pioneer-dvr109) v=1.10 nb=--no-backup dump=5 ;; esac
	[ $m = plextor-px716 ] && fl=7
	$EMU mkimage $m --version $v -o $m.bin >/dev/null 2>&1
	$EMU mkimage $m --version 1.00 -o $m-old.bin >/dev/null 2>&1
	ev "$m-flash" $fl flash "emu:$m.state" $m.bin --yes $nb
	ev "$m-verify" $fl verify "emu:$m.state" $m.bin
	ev "$m-verify-old" 7 verify "emu:$m.state" $m-old.bin
	ev "$m-dump" $dump dump "emu:$m.state" -o $m-dump.bin
done
# the NEC run: stages, blocks, the point of no return, the prompt
n=ev/nec-nd3500-flash
check "nec flash: stages in order" \
	"identify compat preflight confirm backup write come-back verify journal" \
	"$(jq -r 'select(.event=="stage") | .stage' $n | xargs)"
check "nec flash: the write's blocks are 1..32 of 32" "1 32 32" \
	"$(jq -r 'select(.event=="progress" and .stage=="write") | "\(.block) \(.blocks)"' $n | sed -n '1p;$p' | cut -d' ' -f1 | xargs) $(jq -r 'select(.event=="progress" and .stage=="write") | .blocks' $n | tail -1)"
check "nec flash: ponr entered then left" "entered left" \
	"$(jq -r 'select(.event=="ponr") | .state' $n | xargs)"
check "nec flash: every event names the device" 0 \
	"$(jq -r 'select(.event!="start" and .device!="emu:nec-nd3500.state") | .event' $n | grep -vc '^$' || true)"
check "nec flash: the drive's identity in stage from compat on" \
	"compat _NEC DVD_RW ND-3500AG" \
	"$(jq -r 'select(.event=="stage" and .drive != null) | "\(.stage) \(.drive.vendor) \(.drive.model)"' $n | head -1)"
check "nec flash: the plan's size in stage from confirm on, as the steps say" \
	"confirm $(jq -r 'select(.event=="step" and .stage=="write") | .steps' $n | sort -u | xargs)" \
	"$(jq -r 'select(.event=="stage" and .steps != null) | "\(.stage) \(.steps)"' $n | head -1)"
check "nec flash: the prompt names the upgrade" "upgrade 2.00" \
	"$(jq -r 'select(.event=="prompt") | "\(.version_change) \(.image_version)"' $n)"
check "nec flash: the result is --json's object" "ok 2.00 readback" \
	"$(jq -r 'select(.event=="result") | "\(.result) \(.revision_after) \(.verified)"' $n)"

# text progress when stderr is not a terminal: one line per 10%, block
# numbers, no control codes, the point of no return on a line of its own
e=ev/nec-nd3500-flash.err
check "text progress: 11 write lines (0..100% by 10)" 11 \
	"$(grep -c '^odflash: writing block [0-9]*/32: ' $e || true)"
has -x 'odflash: writing block 32/32: 100%  1024000/1024000 bytes  .*  ETA 0:00' $e &&
	ok "text progress: bytes, rate and ETA" || nok "text progress: bytes, rate and ETA" "$(grep writing $e | tail -1)"
has -x 'odflash: do not power off or unplug the drive: .*' $e &&
	ok "text progress: do not power off, on its own line" ||
	nok "text progress: do not power off, on its own line"
check "text progress: no control codes" 0 "$(LC_ALL=C grep -c $'[\x01-\x09\x0b-\x1f]' $e || true)"

# refusals, errors, usage, read-only commands
$EMU new nec-nd3500 n2.state --version 1.00 >/dev/null 2>&1
ev not-confirmed 5 flash emu:n2.state nec-nd3500.bin
check "not confirmed: the error's code" not-confirmed \
	"$(jq -r 'select(.event=="result") | .error.code' ev/not-confirmed)"
ev wrong-model 5 flash emu:n2.state plextor-px716.bin --yes
ev missing-file 4 flash emu:n2.state nofile.bin --yes
ev no-device 2 flash emu:nodrive.state nec-nd3500.bin --yes
ev usage 1 flash emu:n2.state
check "usage error: the one error shape" "usage 1 false" \
	"$(jq -r 'select(.event=="result") | "\(.error.code) \(.error.exit_code) \(.error.changed)"' ev/usage)"
ev bad-option 1 flash --frobnicate
ev dry-run 0 flash emu:n2.state nec-nd3500.bin --dry-run
ev scan 0 scan
ev info 0 info emu:n2.state
ev identify 0 identify nec-nd3500.bin
ev history 0 history
run "$ODF" --events=7 scan >ev/bad-fd.out 2>ev/bad-fd.err
check "--events=7 not open: usage error" 1 "$RC"
has "file descriptor 7 is not open" ev/bad-fd.err && ok "--events=7: says the descriptor is not open" ||
	nok "--events=7: says the descriptor is not open" "$(cat ev/bad-fd.err)"

# --events=3 and --json: the object on stdout, the events on 3
run "$ODF" --events=3 --json info emu:n2.state 3>ev/fd3 >fd3.json 2>/dev/null
RUNS+=("ev/fd3:$RC")
check "--events=3 --json: stdout has the object, 3 the result" \
	"$(jq -r .model fd3.json)" "$(jq -r 'select(.event=="result") | .model' ev/fd3)"

# a prompt answered on stdin
EV_IN=<(echo yes) ev answered 0 flash emu:n2.state nec-nd3500.bin
check "prompt answered yes on stdin: flashed" 2.00 \
	"$(jq -r 'select(.event=="result") | .revision_after' ev/answered)"

# a power cut in the middle of the write, then recover
$EMU new nec-nd3500 cut.state --version 1.00 >/dev/null 2>&1
$EMU fault cut.state --power-cut-after-cmds 60 >/dev/null 2>&1
ev power-cut 6 flash emu:cut.state nec-nd3500.bin --yes --no-backup
check "power cut: result failed, changed, the recover command" \
	"failed true odflash recover emu:cut.state nec-nd3500.bin" \
	"$(jq -r 'select(.event=="result") | "\(.result) \(.error.changed) \(.recover_command)"' ev/power-cut)"
$EMU power-on cut.state >/dev/null 2>&1
ev recover 0 recover emu:cut.state nec-nd3500.bin --yes

# a signal past the point of no return: held, said once
$EMU new nec-nd3500 sig.state --version 1.00 >/dev/null 2>&1
$EMU fault sig.state --signal-after-cmds 55 --signal INT >/dev/null 2>&1
ev held-signal 0 flash emu:sig.state nec-nd3500.bin --yes --no-backup
check "held signal: one cancel-held warning" 1 \
	"$(jq -r 'select(.event=="warning" and .kind=="cancel-held") | .kind' ev/held-signal | grep -c . || true)"
check "held signal: its text warning once" 1 "$(grep -c 'signal 2 received while' ev/held-signal.err || true)"

count_is "events runs" 36 "${#RUNS[@]}"
python3 "$HERE/lib/events_check.py" "$SCHEMA" "${RUNS[@]}" || true

# a front end without a shell: python3 flashes a drive from events alone
$EMU new nec-nd3500 py.state --version 1.00 >/dev/null 2>&1
python3 "$HERE/events_drive.py" "$ODF" emu:py.state nec-nd3500.bin 2.00 || true
exit 0
