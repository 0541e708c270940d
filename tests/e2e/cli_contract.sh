#!/bin/bash
# The odflash user contract (README.md, docs/odflash.1): exit codes,
# messages, JSON shapes, help.  Prints "ok - name" / "not ok - name".
# Needs $ODF_BIN with odflash and odemu; a missing binary is a failure.
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
case $B in /*) ;; *) B=$PWD/$B ;; esac
ODF=$B/odflash
EMU=$B/odemu
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/state
unset ODFLASH_EMU
n=0

nok() { echo "not ok - $1"; if [ -n "${2:-}" ]; then sed 's/^/#   /' <<<"$2"; fi; n=$((n + 1)); }
check() { # name, condition-command...
	local name=$1; shift
	if "$@"; then ok "$name"; else nok "$name" "$(cat "$T/err" 2>/dev/null)"; fi
}
run() { # run odflash, stdout -> $T/out, stderr -> $T/err, code -> $rc
	rc=0
	"$ODF" "$@" >"$T/out" 2>"$T/err" </dev/null || rc=$?
}
pyjson() { # python expression over j = json of $T/out
	python3 -c "import json,sys; j=json.load(open('$T/out')); sys.exit(0 if ($1) else 1)" 2>>"$T/pyerr"
}

if [ ! -x "$ODF" ]; then
	nok "odflash is built at $ODF"
	exit 1
fi

# --- help, version, usage errors ---------------------------------------
run --help
check "--help exits 0" test $rc -eq 0
check "--help lists every command" grep -q 'identify' "$T/out"
for c in 0 1 2 3 4 5 6 7 10; do
	grep -Eq "^  $c +[a-z]" "$T/out" || { nok "--help shows exit code $c"; continue; }
done
check "--help shows the exit-code table" grep -q 'verification failed' "$T/out"
run --version
check "--version prints 'odflash X.Y.Z'" grep -Eq '^odflash [0-9]+\.[0-9]+\.[0-9]+$' "$T/out"
run info --help
check "info --help exits 0 with usage" grep -q 'Usage: odflash info DEVICE' "$T/out"
run frobnicate
check "unknown command exits 1" test $rc -eq 1
check "unknown command is named" grep -q "unknown command 'frobnicate'" "$T/err"
run --frob scan
check "unknown global option exits 1" test $rc -eq 1
run scan --frob
check "unknown scan option exits 1 naming it" \
	bash -c "[ $rc -eq 1 ] && grep -q \"unknown option '--frob'\" '$T/err'"
run
check "no command exits 1" test $rc -eq 1
run info
check "info without DEVICE exits 1" \
	bash -c "[ $rc -eq 1 ] && grep -q 'missing DEVICE' '$T/err'"

run --json flash
check "usage error with --json: exit 1 and one JSON object on stdout" \
	pyjson 'j["exit_code"] == 1 and j["result"] == "usage-error" and "needs DEVICE and FILE" in j["error"]["message"]'
run --json frobnicate
check "unknown command with --json: one JSON object naming it" \
	pyjson 'j["exit_code"] == 1 and "frobnicate" in j["error"]["message"]'
run flash "emu:$T/none.state" "$T/none.bin" --no-backup --backup "$T/b.bin"
check "--no-backup with --backup FILE is refused as a usage error" \
	bash -c "[ $rc -eq 1 ] && grep -q -- '--no-backup and --backup' '$T/err'"
check "... and no backup file was made" test ! -e "$T/b.bin"

# --- scan on a machine without an optical drive --------------------------
run scan --json
check "scan --json exits 0" test $rc -eq 0
if ls /sys/class/scsi_device/*/device/type >/dev/null 2>&1 &&
   grep -qx 5 /sys/class/scsi_device/*/device/type 2>/dev/null; then
	check "scan --json lists this machine's drives" pyjson 'len(j["drives"]) > 0'
else
	check "scan --json prints {\"drives\":[]} exactly" \
		test "$(cat "$T/out")" = '{"drives":[]}'
fi
run --json scan
check "--json before the command works" pyjson '"drives" in j'
run -v scan -vv
check "-v before and -vv after the command accepted" test $rc -eq 0
ODFLASH_EMU="$T/no-such.state" run scan --json
check "scan --json: a drive that cannot be opened has the one error shape" \
	pyjson 'j["drives"][0]["error"]["code"] == "no-device" and j["drives"][0]["error"]["exit_code"] == 2 and "no emulated drive" in j["drives"][0]["error"]["message"] and set(j["drives"][0]["error"]) >= {"code","message","hint","exit_code","changed","state"}'

# --- info errors ---------------------------------------------------------
run info /dev/nonexistent
check "info /dev/nonexistent exits 2" test $rc -eq 2
check "info /dev/nonexistent says it does not exist" grep -q 'does not exist' "$T/err"
run info /dev/null
check "info /dev/null exits 2" test $rc -eq 2
check "info /dev/null says not a SCSI/ATAPI device" grep -q 'not a SCSI/ATAPI device' "$T/err"
run info /dev/nonexistent --json
check "info --json error: exit 2 and an error object on stdout" \
	pyjson 'j["exit_code"] == 2 and "does not exist" in j["error"]["message"]'

# --- identify ------------------------------------------------------------
run identify "$T/x.bin"
check "identify of a missing file exits 4" test $rc -eq 4
check "identify names the missing file" grep -q "firmware file '$T/x.bin' does not exist" "$T/err"
run identify
check "identify without FILE exits 1" test $rc -eq 1

if [ ! -x "$EMU" ]; then
	nok "odemu is built at $EMU (needed for the emulated-drive tests)"
	exit 1
fi
"$EMU" mkimage nec-nd3500 -o "$T/good.bin" >"$T/err" 2>&1 || true
check "odemu mkimage makes an image" test -s "$T/good.bin"
size=$(stat -c %s "$T/good.bin" 2>/dev/null || echo 0)
head -c $((size / 2)) "$T/good.bin" >"$T/short.bin"
cp "$T/good.bin" "$T/badsum.bin"
# flip one byte in the middle of the payload
python3 - "$T/badsum.bin" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
i = len(b) // 2 + 17; b[i] ^= 0x5a
open(p, 'wb').write(b)
PY
run identify "$T/good.bin"
check "identify of a good image exits 0" test $rc -eq 0
check "identify names the family and checksum ok" \
	bash -c "grep -q '^$T/good.bin: nec' '$T/out' && grep -q 'checksum ok' '$T/out'"
run identify "$T/good.bin" "$T/short.bin" "$T/missing.bin" "$T/badsum.bin" --json
check "identify with bad files among good exits 4" test $rc -eq 4
check "identify --json has one record per file" pyjson 'len(j["files"]) == 4'
check "identify --json record keys" pyjson 'all(set(["file","family","target","version","bootcode","size","checksum","sha256","error"]) <= set(f) for f in j["files"])'
check "identify --json good record" pyjson 'j["files"][0]["error"] is None and j["files"][0]["family"] == "nec" and j["files"][0]["checksum"]["ok"] is True and len(j["files"][0]["sha256"]) == 64'
check "identify --json truncated record has an error" pyjson 'j["files"][1]["error"]["exit_code"] == 4 and j["files"][1]["error"]["code"] and j["files"][1]["error"]["message"] and j["files"][1]["family"] is None'
check "identify --json missing record says does not exist" pyjson '"does not exist" in j["files"][2]["error"]["message"] and j["files"][2]["error"]["code"] == "file" and set(j["files"][2]["error"]) >= {"code","message","hint","exit_code","changed","state"}'
check "identify --json bad checksum shows both values" pyjson 'j["files"][3]["checksum"]["ok"] is False and j["files"][3]["checksum"]["expected"] != j["files"][3]["checksum"]["actual"] and j["files"][3]["error"]["code"] == "checksum" and j["files"][3]["error"]["exit_code"] == 4'
check "truncated file: message says how many bytes are missing" grep -Eq "short.bin.*[0-9]+ bytes" "$T/err"
check "bad checksum: message gives expected and actual" grep -Eq 'badsum.bin.*0x[0-9a-f]+.*0x[0-9a-f]+' "$T/err"

# --- an emulated drive -----------------------------------------------------
"$EMU" new nec-nd3500 "$T/d.state" >"$T/err" 2>&1 || true
check "odemu new nec-nd3500" test -s "$T/d.state"
run info "emu:$T/d.state" --json
check "info emu: exits 0" test $rc -eq 0
check "info emu: --json has the scan and info keys" pyjson 'set(["device","block_device","hctl","vendor","model","revision","transport","max_transfer","mode","driver","serial","firmware_date","features","rpc","media_present"]) <= set(j)'
check "info emu: NEC drive in normal mode, nec driver" pyjson '"NEC" in j["vendor"] and j["mode"] == "normal" and j["driver"] == "nec"'
check "info emu: device name is emu:PATH" pyjson 'j["device"] == "emu:'"$T"'/d.state"'
run info "emu:$T/d.state"
check "info emu: text shows model and mode" \
	bash -c "grep -q '^model: .*3500' '$T/out' && grep -q '^mode: *normal' '$T/out'"
rc=0
ODFLASH_EMU="$T/d.state" "$ODF" scan --json >"$T/out" 2>"$T/err" || rc=$?
check "scan with ODFLASH_EMU exits 0" test $rc -eq 0
check "scan with ODFLASH_EMU lists the emulated drive" pyjson 'any(d["device"] == "emu:'"$T"'/d.state" and d["mode"] == "normal" for d in j["drives"])'
run -vv info "emu:$T/d.state"
check "-vv traces every CDB with status" \
	bash -c "grep -q 'cdb 12 .*INQUIRY' '$T/err' && grep -q 'status 0x00' '$T/err'"
run info "emu:$T/none.state"
check "info on a missing emu state exits 2" test $rc -eq 2

# a JSON check that failed because the output was no JSON says why
if [ -s "$T/pyerr" ]; then sed 's/^/# /' "$T/pyerr" | tail -n 5; fi
exit 0
