#!/bin/bash
# A power cut at every command index of a whole NEC ND-3500A flash (the
# first 100, then every 16th through the read-back; ODF_E2E_FULL=1: every
# index), then power on and `odflash recover`: the drive runs the new
# firmware every time.  The loop states how many indexes it ran and the
# test asserts that count.  Moved out of flash_pipeline.sh to run in the
# plain build only (Makefile CHECK_PLAIN_ONLY): its ~115 flashes cost 548
# CPU-s under ASan; the executor's paths stay under ASan in
# flash_pipeline.sh, pipeline_faults.sh and test_session_sweep.
. "$(dirname "$0")/lib/tap.sh"
e2e_tmp power-cuts-nec
export XDG_STATE_HOME="$T/state"
ODF="$B/odflash -q"
EMU="$B/odemu"
$EMU mkimage nec-nd3500 -o good.bin --version 2.00 >/dev/null 2>&1

P="$T/p.state"
$EMU new nec-nd3500 "$T/ref.state" --version 1.00 --serial PC1 >/dev/null 2>&1
$ODF flash "emu:$T/ref.state" good.bin --yes --no-backup >/dev/null 2>&1
want=$(fsha "$T/ref.state")
total=$($EMU show "$T/ref.state" --json | jget .counters.commands)
bad=0 ran=0 expect=0
# Every command index up to the end of the write (identify, bootcode,
# stage, checksum, erase, program, leave safe mode: the first 100), then
# every 16th through the read-back verify; ODF_E2E_FULL=1: every index.
if [ "${ODF_E2E_FULL:-0}" = 1 ]; then
	expect=$total
else	# 1..100, then 116, 132, ... up to total (computed apart from the loop)
	expect=$(( total <= 100 ? total : 100 + (total - 100) / 16 ))
fi
for ((n = 1; n <= total; n += (n < 100 || ${ODF_E2E_FULL:-0} == 1) ? 1 : 16)); do
	ran=$((ran + 1))
	rm -f "$P"
	$EMU new nec-nd3500 "$P" --version 1.00 --serial PC1 >/dev/null 2>&1
	$EMU fault "$P" --power-cut-after-cmds $n >/dev/null 2>&1
	ODF_REOPEN_DELAY_MS=1 $ODF flash "emu:$P" good.bin --yes --no-backup >/dev/null 2>&1 || true
	$EMU power-on "$P" >/dev/null 2>&1
	ODF_REOPEN_DELAY_MS=1 run $ODF recover "emu:$P" good.bin --yes >/dev/null 2>&1
	rc=$RC
	if [ $rc != 0 ] || [ "$(fsha "$P")" != "$want" ]; then
		bad=$((bad + 1))
		echo "# power cut after $n commands: recover exit $rc"
	fi
done
count_is "power-cut loop ran every index it claims (of $total)" "$expect" "$ran"
[ "$total" -gt 60 ] && [ $bad = 0 ] && ok "power cut at $ran command indexes (of $total), then recover: new firmware every time" ||
	nok "power cut at $ran of ${total:-?} command indexes, then recover" "$bad failures"
exit 0
