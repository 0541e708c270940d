#!/bin/bash
# Issue #17: the rescue image's QEMU boot test in make check.
# tests/rescue/boot-test.sh boots the test image as a USB stick three
# times (RESCUE_PART=jobs): SeaBIOS, the scripted flash job (backup,
# flash, read-back), then mtools finds the backup, its sidecar and the
# journal's ok line with the file's sha256 on the stick; OVMF, the same
# job cut part way by a power cut (exit 6, the backup and the failed line
# on the stick); SeaBIOS, recover from the journal.  Each boot prints its
# boot-to-job time (guest uptime at the ready line, host seconds).  About
# 3-5 min of wall clock under TCG on the shared 2-core machine, mostly
# the emulated drive's commands (each loads and saves its 2 MB state).
# The three menu boots and the CD boot (six in all) are `make
# check-rescue`; ODF_RESCUE=full runs those here too, ODF_RESCUE=0 skips
# the test (loudly).  A missing prerequisite (QEMU, OVMF, a Debian kernel
# package, grub-mkrescue) is a "# SKIP" naming it, from boot-test.sh.
cd "$(dirname "$0")/../.." || exit 2
case ${ODF_RESCUE:-jobs} in
0)
	echo "# ====================================================="
	echo "# SKIP rescue boot test: RESCUE NOT RUN: ODF_RESCUE=0"
	echo "# ====================================================="
	exit 0 ;;
full|all) part='all' ;;
*) part='jobs' ;;
esac
[ "$(uname -m)" = x86_64 ] || {
	echo "# SKIP rescue boot test: RESCUE NOT RUN: host is $(uname -m), the image boots an amd64 kernel"
	exit 0
}
# the host-side tools (odemu mkimage, odflash identify) are the plain build's
exec env RESCUE_PART=$part tests/rescue/boot-test.sh
