#!/bin/bash
# Boot the rig guest once and collect its result lines.
#   tests/rig/run.sh [SCENARIOS]     default qemu,sdebug,tcmu
# Needs tests/rig/build.sh first.  The serial console goes to
# build/rig/logs/console-<scen>.log, the guest's "ok"/"not ok" lines to
# build/rig/logs/results-<scen>.txt (second serial port) and to stdout.
# Exit: 0 guest ran to the end; 2 QEMU could not run; 1 the guest did not
# finish (timeout, panic).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${RIG_OUT:-$ROOT/build/rig}
SCEN=${1:-qemu,sdebug,tcmu}
TMO=${RIG_TIMEOUT:-270}
LOGS=$OUT/logs
mkdir -p "$LOGS"
tag=${SCEN//,/-}
CON=$LOGS/console-$tag.log
RES=$LOGS/results-$tag.txt
rm -f "$CON" "$RES"
for f in vmlinuz initramfs.cpio.gz; do
	[ -f "$OUT/$f" ] || { echo "RIG-UNAVAILABLE: $OUT/$f missing (run tests/rig/build.sh)" >&2; exit 2; }
done
command -v qemu-system-x86_64 >/dev/null ||
	{ echo "RIG-UNAVAILABLE: qemu-system-x86_64 not installed" >&2; exit 2; }
DEV=()
case ",$SCEN," in *,qemu,*)
	# ide-cd on the PIIX IDE of -M pc (ata_piix), scsi-cd on virtio-scsi;
	# the Debian cloud kernel has neither ahci nor sym53c8xx
	# (docs/internals/rig.md §1.2)
	# the trays are empty: odflash flashes only without a disc
	DEV=(-drive "if=none,id=cd0,media=cdrom,readonly=on"
	     -device ide-cd,drive=cd0,bus=ide.1,unit=0
	     -drive "if=none,id=cd1,media=cdrom,readonly=on"
	     -device virtio-scsi-pci,id=vs0 -device scsi-cd,drive=cd1,bus=vs0.0) ;;
esac
# KVM when a probe boot shows it works, else TCG (tests/rig/accel.sh;
# on the project's test hosts KVM is unusable: docs/internals/rig.md §1.1)
. "$ROOT/tests/rig/accel.sh"
qemu_accel "$OUT/vmlinuz" "$LOGS"
echo "# rig: QEMU accelerator $ACCEL: $ACCEL_WHY"
t0=$(date +%s)
timeout "$TMO" qemu-system-x86_64 -M pc -accel "$ACCEL" -m 1024 -smp 1 \
	-display none -no-reboot -monitor none \
	-serial "file:$CON" -serial "file:$RES" \
	-kernel "$OUT/vmlinuz" -initrd "$OUT/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 loglevel=4 rig=$SCEN" \
	"${DEV[@]}" </dev/null >"$LOGS/qemu-$tag.log" 2>&1
rc=$?
t1=$(date +%s)
echo "# rig: qemu exit $rc after $((t1 - t0)) s; console log $CON"
[ -f "$RES" ] && tr -d '\r' <"$RES"
if [ $rc = 124 ]; then
	echo "not ok - rig: the guest did not finish within $TMO s (see $CON)"
	exit 1
fi
if [ $rc != 0 ] && ! grep -q 'RIG-DONE' "$CON" 2>/dev/null; then
	if [ ! -s "$CON" ]; then
		echo "RIG-UNAVAILABLE: qemu-system-x86_64 failed to start (exit $rc): $(tail -n 1 "$LOGS/qemu-$tag.log")" >&2
		exit 2
	fi
	echo "not ok - rig: the guest stopped before the end (qemu exit $rc, see $CON)"
	exit 1
fi
grep -q 'RIG-DONE' "$CON" || { echo "not ok - rig: the guest did not reach the end (see $CON)"; exit 1; }
exit 0
