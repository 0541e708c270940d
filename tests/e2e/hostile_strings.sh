#!/bin/bash
# Hostile input (issue #18): strings from devices and files are data, the
# state directory is ours alone, two writers on one drive.
#   - a drive whose serial carries ESC [ 2 J, an OSC-8 link and bytes that
#     are not UTF-8, firmware file names and journal lines that carry
#     them: the raw ESC byte (and the raw 0xff / 0x9b) never reach stdout
#     or stderr of scan, info, identify, flash, dump or history, text or
#     --json; the escaped \x1b form does;
#   - a serial "../../etc/x": every file odflash makes stays inside the
#     state directory (find);
#   - a symbolic link planted where the backups folder, the next backup
#     or the journal go: refused by name, its target untouched;
#   - two emulated drives with one identity (model + serial), and one
#     drive through two names (emu:PATH and the preload's /dev/sg0): the
#     second run is refused with exit 5; a stale lock (a dead PID) is
#     cleared with a warning;
#   - a drive without a serial: a link to its state file; through the
#     preload and a fake sysfs /dev/sg0, /dev/sr0 and 90:0:0:0: refused
#     (5, "busy: odflash PID N"), another serial-less drive is not; a run
#     killed by SIGKILL holding the lock: the next run clears it;
#   - under sudo (euid 0, SUDO_USER) the state is not the user's
#     XDG_STATE_HOME; ODFLASH_STATE_DIR wins.
# The rig half of "two names, one drive" (a real guest drive as /dev/srN
# and /dev/sgN) is tests/rig/guest/scen-tcmu.sh (tests/e2e/rig.sh).
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
EMU=$B/odemu
ODF=$B/odflash
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-hostile.XXXXXX)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/xdg
unset ODFLASH_STATE_DIR SUDO_USER
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
cd "$T" || exit 2
SD=$XDG_STATE_HOME/odflash
ESC=$'\x1b'

# no_raw NAME FILE...: none of the files holds a raw ESC, 0xff or 0x9b
no_raw() {
	local name=$1 f bad=
	shift
	for f in "$@"; do
		if LC_ALL=C grep -q $'[\x1b\xff\x9b]' "$f"; then
			bad="$bad $f"
		fi
	done
	if [ -z "$bad" ]; then ok "$name"; else
		nok "$name" "raw control bytes in$bad: $(LC_ALL=C od -c $bad | head -3 | tr '\n' ' ')"
	fi
}

# ---- odemu plays a hostile device ---------------------------------------------------
HOSTILE='\e[2J\e]8;;http://evil.example/\e\\click\e]8;;\e\\\xff\x9b'
"$EMU" new nec-nd3500 evil --serial "$HOSTILE" >/dev/null 2>&1
"$EMU" mkimage nec-nd3500 -o fw.bin --version 2.18 >/dev/null 2>&1
check "odemu new --serial takes C escapes: the drive's serial is the raw bytes (shown escaped)" \
	'\x1b[2J\x1b]8;;http://evil.example/\x1b\click\x1b]8;;\x1b\\xff\x9b' \
	"$("$EMU" show evil --json | jq -r .serial)"
run "$EMU" show evil >show.txt 2>show.err
no_raw "odemu show prints the hostile serial escaped" show.txt show.err
check "... as \\x1b text" 1 "$(grep -c 'serial: *\\x1b\[2J\\x1b\]8;;http' show.txt)"
run "$EMU" new nec-nd3500 bad --serial 'a\x00b' 2>/dev/null
check "odemu new --serial 'a\\x00b': usage error (a NUL would end it)" 1 "$RC"

# ---- every command, text and JSON ------------------------------------------------
FW=$'fw\x1b[2J\x1b]8;;evil\x1b\\.bin'
cp fw.bin "$FW"
n=0
for j in "" --json; do
	run "$ODF" $j info emu:evil >o.$n 2>e.$n
	check "info $j: exit 0" 0 "$RC"; n=$((n + 1))
	run "$ODF" $j identify "$FW" >o.$n 2>e.$n
	check "identify $j (a file name with ESC): exit 0" 0 "$RC"; n=$((n + 1))
	run "$ODF" $j identify "$FW.missing" >o.$n 2>e.$n
	check "identify $j (a missing file with ESC in its name): exit 4" 4 "$RC"
	has -F 'fw\x1b[2J' e.$n && ok "... the name is shown escaped" ||
		nok "... the name is shown escaped" "$(cat e.$n)"
	n=$((n + 1))
	run "$ODF" $j flash emu:evil "$FW" --yes --dry-run >o.$n 2>e.$n
	check "flash --dry-run $j: exit 0" 0 "$RC"; n=$((n + 1))
	run "$ODF" $j dump emu:evil -o "dump$j$ESC[2J.bin" >o.$n 2>e.$n
	check "dump $j -o NAME-with-ESC: exit 0" 0 "$RC"; n=$((n + 1))
done
run "$ODF" flash emu:evil "$FW" --yes >o.$n 2>e.$n
check "flash (a file name with ESC): exit 0" 0 "$RC"; n=$((n + 1))
# a journal line as a hostile drive or an edited journal would leave it
printf '{"time":"2026-01-01T00:00:00Z","op":"flash","device":"/dev/sr0\033[2J","file":"x\033]8;;http://e/\033\\\\y","result":"ok","exit_code":0,"vendor":"V\033[31m","model":"M\377\233","revision_before":"1.0","revision_after":"1.1"}\n' \
	>>"$SD/journal.jsonl"
for j in "" --json; do
	run "$ODF" $j history >o.$n 2>e.$n
	check "history $j: exit 0" 0 "$RC"; n=$((n + 1))
done
check "history --json: the planted line's vendor and model, escaped" 'V\x1b[31m M\xff\x9b' \
	"$("$ODF" --json history | jq -r '.entries[-1] | "\(.vendor) \(.model)"')"
files=(o.* e.*)
count_is "outputs checked" $((2 * n)) ${#files[@]}
no_raw "no raw ESC, 0xff or 0x9b in the stdout/stderr of info, identify, flash, dump, history" "${files[@]}"

# ---- scan through the preload and a fake sysfs with hostile sysfs strings -----------
PRE=$B/libodemu-preload.so
# fake_drive N VENDOR MODEL: sysfs nodes of an optical drive at host 90+N
# (the preload's H:C:T:L for ODEMU_MAP's Nth state), /dev/srN + /dev/sgN
fake_drive() {
	local n=$1 h=$((90 + $1)) d
	d=sys/devices/pci0000:00/0000:00:1f.2/ata$((n + 1))/host$h/target$h:0:0/$h:0:0:0
	mkdir -p "$d/block/sr$n" "$d/scsi_generic/sg$n" sys/class/scsi_device/$h:0:0:0 \
		sys/class/scsi_generic/sg$n sys/block/sr$n/queue
	echo 5 >"$d/type"
	printf '%s\n' "$2" >"$d/vendor"
	printf '%s\n' "$3" >"$d/model"
	printf '1.0\n' >"$d/rev"
	ln -s "../../../${d#sys/}" sys/class/scsi_device/$h:0:0:0/device
	ln -s "../../../${d#sys/}" sys/class/scsi_generic/sg$n/device
	ln -s "../../${d#sys/}" sys/block/sr$n/device
	echo 64 >sys/block/sr$n/queue/max_hw_sectors_kb
}
if [ -e "$PRE" ]; then
	fake_drive 0 $'EV\033[2J' $'M\033]8;;http://x/\033\\O\377'
	PL=$(preload_lib "$PRE")
	for j in "" --json; do
		run env LD_PRELOAD="$PL" ODEMU_MAP=/dev/sg0=$T/evil,/dev/sr0=$T/evil \
			ODF_SYSFS_ROOT="$T/sys" "$ODF" $j scan >scan.o 2>scan.e
		check "scan $j through the preload: exit 0" 0 "$RC"
		no_raw "scan $j: no raw ESC" scan.o scan.e
	done
else
	skip "scan through the preload" "no libodemu-preload.so in $B"
fi

# ---- a hostile INQUIRY -----------------------------------------------------------------
"$EMU" new nec-nd3500 inq --product 'DV\e[2J\e]8;;x\e\\D' >/dev/null 2>&1
check "odemu new --product takes the raw bytes (show prints them escaped)" \
	'DV\x1b[2J\x1b]8;;x\x1b\D' "$("$EMU" show inq --json | jq -r .product)"
k=0
for j in "" --json; do
	for c in info "flash emu:inq fw.bin --yes --dry-run" "dump emu:inq -o i.bin"; do
		[ "$c" = info ] && c="info emu:inq"
		run "$ODF" $j $c >inq.o.$k 2>inq.e.$k
		# a drive's answer is not a firmware file: the device class
		# (README "Exit codes" 3), not 4
		check "$c $j with ESC in its INQUIRY model: refused as a malformed answer, exit 3" \
			3 "$RC"
		if [ -n "$j" ]; then
			check "... JSON code bad-answer" bad-answer \
				"$(jq -r 'if (.error | type) == "object" then .error.code else .code end' inq.o.$k)"
		else
			has -F 'INQUIRY returned a malformed answer' inq.e.$k &&
				ok "... the error says the INQUIRY answer is malformed" ||
				nok "... the error says the INQUIRY answer is malformed" "$(cat inq.e.$k)"
		fi
		k=$((k + 1))
	done
done
count_is "hostile INQUIRY runs" 6 "$k"
no_raw "... no raw ESC in their stdout/stderr" inq.o.* inq.e.*

# ---- file names: a model and a serial "../../etc/x" ------------------------------------------------------------------------
mkdir w
(
	cd w
	export XDG_STATE_HOME=$T/w/xdg
	"$EMU" new nec-nd3500 trav --serial '../../etc/x' >/dev/null 2>&1
	run "$ODF" -q flash emu:trav ../fw.bin --yes >/dev/null 2>trav.err
	check "flash a drive with serial ../../etc/x: exit 0" 0 "$RC"
	check "... the only files outside the state dir are the drive's own" \
		"./trav ./trav.err ./trav.lock ./trav.log" \
		"$(find . -type f ! -path './xdg/odflash/*' | sort | paste -sd' ')"
	check "... in backups/: the image and its sidecar, no subfolder" \
		"_NEC_DVD_RW_ND-3500AG_2.16_*.bin _NEC_DVD_RW_ND-3500AG_2.16_*.bin.json 0" \
		"$(cd xdg/odflash/backups && find . -type f | sed 's/[0-9]\{8\}T[0-9]\{6\}Z/*/; s|^\./||' | sort | paste -sd' ') $(find xdg/odflash/backups -mindepth 1 -type d | wc -l)"
	rm -rf xdg/odflash/backups trav*
	"$EMU" new spc-generic dots --vendor .. --product '../../etc/x' >/dev/null 2>&1
	"$EMU" mkimage spc-generic -o g.bin >/dev/null 2>&1
	run "$ODF" -q flash emu:dots g.bin --yes --crossflash >/dev/null 2>dots.err
	check "flash a drive whose INQUIRY says vendor '..', model '../../etc/x': exit 0" 0 "$RC"
	run "$ODF" -q dump emu:dots >/dev/null 2>>dots.err
	check "... dump with the default file name: exit 0" 0 "$RC"
	check "... the backup, the dump and their sidecars: one name each, in place" \
		"./_.__._.._etc_x_1.00.bin ./_.__._.._etc_x_1.00.bin.json ./xdg/odflash/backups/_.__._.._etc_x_1.00_*.bin ./xdg/odflash/backups/_.__._.._etc_x_1.00_*.bin.json" \
		"$(find . -type f ! -name 'dots*' ! -name g.bin ! -path './xdg/odflash/journal.jsonl' ! -path './xdg/odflash/locks/*' | sed 's/[0-9]\{8\}T[0-9]\{6\}Z/*/' | sort | paste -sd' ')"
	exit $TAP_FAILS
) || TAP_FAILS=$((TAP_FAILS + $?))
"$EMU" new nec-nd3500 trav --serial '../../etc/x' >/dev/null 2>&1
run "$ODF" -q flash emu:trav fw.bin --yes >/dev/null 2>trav.err
check "flash it again under the main state dir: exit 0" 0 "$RC"
check "... backups and journal are 0600, the folders 0700" "600 600 700 700" \
	"$(stat -c %a "$(ls "$SD"/backups/*.bin | head -1)") $(stat -c %a "$SD/journal.jsonl") $(stat -c %a "$SD") $(stat -c %a "$SD/backups")"
skip "a 300-byte serial in a backup name" "backup names carry vendor, model, revision (INQUIRY: 8/16/4 bytes) and the bootcode, never the serial; odemu keeps at most 63 serial bytes (VPD 80h field of its state)"

# ---- symbolic links planted in the state directory ------------------------------------
echo precious >target
before=$(sha256sum <target)
mv "$SD/backups" "$SD/backups.real"
ln -s "$T/elsewhere" "$SD/backups"
mkdir -p elsewhere
run "$ODF" -q flash emu:trav fw.bin --yes >/dev/null 2>ln.err
check "backups/ is a planted link: refused, exit 5" 5 "$RC"
has "backups is not a directory but a symbolic link" ln.err && ok "... the error names the link" ||
	nok "... the error names the link" "$(cat ln.err)"
check "... nothing written where it points" 0 "$(find elsewhere -type f | wc -l)"
rm "$SD/backups"
mv "$SD/backups.real" "$SD/backups"
# the next backup name: the second of the run is in it; plant the next 20
v=$("$EMU" show trav --json | jq -r .revision)
for s in $(seq 0 19); do
	ln -s "$T/target" "$SD/backups/_NEC_DVD_RW_ND-3500AG_${v}_$(date -u -d "+$s sec" +%Y%m%dT%H%M%SZ).bin"
done
run "$ODF" -q flash emu:trav fw.bin --yes >/dev/null 2>ln.err
check "the next backup name is a planted link: refused, exit 5" 5 "$RC"
[ "$RC" = 5 ] || { date -u; cat ln.err; ls -la "$SD/backups"; } | sed "s/^/# /" | head -30
has "is a symbolic link: refusing to follow it" ln.err && ok "... the error names the link" ||
	nok "... the error names the link" "$(cat ln.err)"
check "... its target untouched" "$before" "$(sha256sum <target)"
find "$SD/backups" -type l -delete
mv "$SD/journal.jsonl" journal.saved
ln -s "$T/target" "$SD/journal.jsonl"
run "$ODF" -q dump emu:trav -o j.bin >/dev/null 2>ln.err
has "journal.jsonl is a symbolic link: refusing to follow it" ln.err &&
	ok "journal.jsonl is a planted link: not followed, a warning names it" ||
	nok "journal.jsonl is a planted link: not followed, a warning names it" "$(cat ln.err)"
check "... its target untouched" "$before" "$(sha256sum <target)"
run "$ODF" history >/dev/null 2>ln.err
check "... history refuses to read through it: exit 4" 4 "$RC"
rm "$SD/journal.jsonl"
mv journal.saved "$SD/journal.jsonl"

# ---- two writers, one drive ---------------------------------------------------------
"$EMU" new nec-nd3500 one --serial SAME --time-scale 1 >/dev/null 2>&1
"$EMU" new nec-nd3500 two --serial SAME >/dev/null 2>&1
"$ODF" -q flash emu:one fw.bin --yes --no-backup >one.out 2>one.err &
A=$!
for i in $(seq 100); do
	grep -qs "^$A " "$SD"/locks/*.lock && break
	sleep 0.05
done
run "$ODF" dump emu:two -o two.bin >/dev/null 2>two.err
check "a second run on a drive with the same identity: exit 5" 5 "$RC"
has -F "busy: odflash PID $A is flashing it" two.err &&
	ok "... \"busy: odflash PID $A is flashing it\"" ||
	nok "... \"busy: odflash PID $A is flashing it\"" "$(cat two.err)"
if [ -e "$PRE" ]; then
	run env LD_PRELOAD="$PL" ODEMU_MAP=/dev/sg0=$T/one,/dev/sr0=$T/one \
		ODF_SYSFS_ROOT="$T/sys" "$ODF" dump /dev/sr0 -o sr.bin >/dev/null 2>sr.err
	check "the same drive by another name (/dev/sr0 through the preload): exit 5" 5 "$RC"
else
	skip "the same drive through the preload" "no libodemu-preload.so"
fi
wait "$A" || nok "the first run" "exit $?"
check "the first run finished: exit 0" "0" "$(grep -c . one.err || true)"
check "... and released the lock (empty file)" 0 "$(cat "$SD"/locks/*.lock | wc -c)"
# a stale lock: the PID of a process that has ended
sleep 0 & dead=$!
wait "$dead"
for f in "$SD"/locks/*.lock; do echo "$dead flashing /dev/sg9" >"$f"; done
run "$ODF" -q dump emu:two -o two.bin >/dev/null 2>stale.err
check "a stale lock (PID $dead gone): the run goes on, exit 0" 0 "$RC"
has -F "cleared a stale drive lock: odflash PID $dead" stale.err &&
	ok "... with a warning naming it" || nok "... with a warning naming it" "$(cat stale.err)"

# ---- two writers, one drive without a serial number ----------------------------------
# No VPD page 80h: the lock is keyed on where the drive is (its H:C:T:L
# from sysfs, or the real path of an emu: state file), which all its
# names resolve to.
"$EMU" new nec-nd3500 nos --serial '' --time-scale 1 >/dev/null 2>&1
"$EMU" new nec-nd3500 nos2 --serial '' >/dev/null 2>&1
check "odemu new --serial '': a drive without a serial (VPD 00h lists no 80h)" "" \
	"$("$EMU" show nos --json | jq -r '.serial // ""')"
ln -s nos nos-link
# wait_lock PID: until PID holds a lock file (5 s at most)
wait_lock() {
	for i in $(seq 100); do
		grep -qs "^$1 " "$SD"/locks/*.lock && return 0
		sleep 0.05
	done
	return 0
}
"$ODF" -q flash emu:nos fw.bin --yes --no-backup >nos.out 2>nos.err &
A=$!
wait_lock "$A"
run "$ODF" dump "emu:$T/nos-link" -o nos.bin >/dev/null 2>nos2.err
check "no serial: the same state file by another name (a link): exit 5" 5 "$RC"
has -F "busy: odflash PID $A is flashing it" nos2.err &&
	ok "... \"busy: odflash PID $A is flashing it\"" ||
	nok "... \"busy: odflash PID $A is flashing it\"" "$(cat nos2.err)"
run "$ODF" -q dump emu:nos2 -o nos2.bin >/dev/null 2>/dev/null
check "... another drive without a serial (same model) is not locked by it: exit 0" 0 "$RC"
wait "$A" || nok "the first run on nos" "exit $?"
if [ -e "$PRE" ]; then
	# a second drive of the fake sysfs: host 91 (ODEMU_MAP's second state)
	fake_drive 1 NEC 'DVD_RW ND-3500AG'
	MAP=/dev/sg0=$T/nos,/dev/sr0=$T/nos,/dev/sg1=$T/nos2,/dev/sr1=$T/nos2
	# env execs odflash: $! is odflash's PID
	PENV=(LD_PRELOAD="$PL" ODEMU_MAP="$MAP" ODF_SYSFS_ROOT="$T/sys")
	pre() { env "${PENV[@]}" "$@"; }
	env "${PENV[@]}" "$ODF" -q flash /dev/sg0 fw.bin --yes --no-backup >nos.out 2>nos.err &
	A=$!
	wait_lock "$A"
	k=0
	for name in /dev/sr0 90:0:0:0; do
		run pre "$ODF" dump "$name" -o "pre$k.bin" >/dev/null 2>"pre$k.err"
		check "no serial, through the preload: $name while /dev/sg0 is flashed: exit 5" 5 "$RC"
		has -F "busy: odflash PID $A is flashing it" "pre$k.err" &&
			ok "... \"busy: odflash PID $A is flashing it\"" ||
			nok "... \"busy: odflash PID $A is flashing it\"" "$(cat "pre$k.err")"
		k=$((k + 1))
	done
	run pre "$ODF" -q dump /dev/sr1 -o pre-other.bin >/dev/null 2>pre-other.err
	check "... /dev/sr1 (another drive, no serial, 91:0:0:0) meanwhile: exit 0" 0 "$RC"
	wait "$A" || nok "the flash through /dev/sg0" "exit $?"
	check "... the flash through /dev/sg0 finished: exit 0, no message" 0 \
		"$(grep -c . nos.err || true)"
	# a run killed with SIGKILL holding the lock: the next run clears it
	env "${PENV[@]}" "$ODF" -q dump /dev/sg0 -o killed.bin >/dev/null 2>/dev/null &
	A=$!
	wait_lock "$A"
	kill -KILL "$A"
	wait "$A" 2>/dev/null || true
	check "SIGKILL: the killed run's words stay in its lock file" 1 \
		"$(grep -ls "^$A " "$SD"/locks/*.lock | wc -l)"
	run pre "$ODF" -q dump /dev/sr0 -o after.bin >/dev/null 2>after.err
	# not refused; 7 when the kill left the NEC drive in safe mode (the
	# dump is then kept as found)
	case $RC in 0|7) ok "... the next run on another name of the drive goes on (exit $RC)" ;;
	*) nok "... the next run on another name of the drive goes on" "exit $RC" ;; esac
	has -F "cleared a stale drive lock: odflash PID $A" after.err &&
		ok "... with a warning naming the killed PID $A" ||
		nok "... with a warning naming the killed PID $A" "$(cat after.err)"
else
	skip "no serial, two names through the preload" "no libodemu-preload.so in $B"
fi

# ---- a journal line cut by a crash: skipped with a warning ------------------------------
n_before=$("$ODF" --json history | jq '.entries | length')
printf '{"time":"2026-01-01T00:00:00Z","op":"flash","dev' >>"$SD/journal.jsonl"
run "$ODF" --json history >h.out 2>h.err
check "a cut last journal line (half JSON, no newline): history exit 0, the $n_before entries before it" \
	"0 $n_before" "$RC $(jq '.entries | length' h.out)"
has "1 line of .*journal.jsonl is not a whole record" h.err &&
	ok "... with a warning that one line was skipped" ||
	nok "... with a warning that one line was skipped" "$(cat h.err)"
run "$ODF" -q dump emu:two -o two2.bin >/dev/null 2>/dev/null
check "... the next run appends after it: exit 0, history has $((n_before + 1)) entries" \
	"0 $((n_before + 1))" "$RC $("$ODF" --json history 2>/dev/null | jq '.entries | length')"

# ---- where the state goes --------------------------------------------------------------
run env ODFLASH_STATE_DIR="$T/own" "$ODF" history >h.out 2>&1
check "ODFLASH_STATE_DIR names the state dir" 1 "$(grep -c "($T/own/journal.jsonl)" h.out)"
run env ODFLASH_STATE_DIR=relative "$ODF" history >h.out 2>&1
check "ODFLASH_STATE_DIR relative: usage error, exit 1" 1 "$RC"
if [ "$(id -u)" = 0 ]; then
	run env SUDO_USER=nobody "$ODF" --json history >h.out 2>&1
	check "under sudo (euid 0, SUDO_USER) the user's XDG_STATE_HOME is not used" 0 \
		"$(grep -c "$T" h.out || true)"
else
	skip "state under sudo" "not running as root"
fi
exit $((TAP_FAILS > 0))
