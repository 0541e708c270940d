#!/bin/bash
# Issue #17: the rescue image's QEMU boot test (tests/rescue/boot-test.sh,
# make check-rescue) boots the images six times (SeaBIOS and OVMF, USB
# stick and CD; a flash, a power cut and a recover, the menu over the
# serial port).  Under TCG that takes about 7 min on the shared 2-core
# machine (6 min 47 s measured in session 6): beyond make check's budget.
# Under KVM it would be quick, but KVM is unusable on the project's test
# hosts (tests/rig/accel.sh's probe, docs/internals/rig.md §1.1) and the
# test has not been timed under a working KVM, so make check does not run
# it: this prints a SKIP that names the target and what is known about
# KVM here, unless ODF_RESCUE=1 asks for the boot test itself.
cd "$(dirname "$0")/../.." || exit 2
if [ "${ODF_RESCUE:-0}" = 1 ]; then
	exec env ODF_BIN="${ODF_BIN:-build}" tests/rescue/boot-test.sh
fi
if [ ! -e /dev/kvm ]; then
	kvm="no /dev/kvm on this host"
elif [ -f build/rescue/test/accel ]; then
	# the verdict of the last boot test's probe (tests/rig/accel.sh)
	kvm="last probe: $(sed -n 3p build/rescue/test/accel)"
else
	kvm="/dev/kvm is there, not probed yet (make check-rescue probes it)"
fi
echo "# ====================================================="
echo "# SKIP rescue boot test: RESCUE NOT RUN in make check: six QEMU boots, about 7 min under TCG on 2 shared cores, not timed under KVM; KVM: $kvm; run \`make check-rescue\` (or ODF_RESCUE=1)"
echo "# ====================================================="
