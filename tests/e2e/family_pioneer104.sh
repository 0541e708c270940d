#!/bin/bash
# pioneer-dvr104 through odflash: the DVR-103/104 anti-downgrade challenge
# (WRITE BUFFER 01/F3 of length 0, READ BUFFER 01/F2 of 0x400 seeded
# bytes, the answer in WRITE BUFFER 01/F2 of 0x100 and 0x400 bytes,
# computed at run time from what the drive sent) before DVRFlash's
# kernel-mode entry ("PIONEER DVD-R104", no key), then the 1 MiB normal
# part in 32 KiB chunks and the commit.  Settings as family_pioneer.sh.
MODEL=pioneer-dvr104 DRIVER=pioneer OTHER=pioneer-dvr109 DUMP="" RECOVER=yes
BADSUM="" TRUNC=1000000 CAP_BAD=16384 CAP_OK=32768
FOREIGN=tsst-se506cb VENDOR_OPS=no
# back from 2.00 to 1.00 is a downgrade, which the DVR-104 guards against
DOWN=--allow-downgrade
# fewer power-cut points than the other families (the DVR-109 covers the
# same commit code; the challenge comes before the point of no return)
CUT_POINTS=8
export ODF_WAIT_MAX_MS=0
# every emulated command rewrites the drive's state file: on tmpfs the run
# takes a third of the time it takes on a disk that syncs
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
. "$(dirname "$0")/lib/family.inc"

# ---- DVR-104 specifics -----------------------------------------------------------
# the challenge in the log of the reference flash, before kernel mode
order=$(grep -o "cdb=3b 01 f3\|cdb=3c 01 f2\|cdb=3b 01 f2 00 00 00 00 01\|cdb=3b 01 f2 00 00 00 00 04\|cdb=3b 04 ff" "$R.log" | head -5 | tr '\n' ,) || true
[ "$order" = "cdb=3b 01 f3,cdb=3c 01 f2,cdb=3b 01 f2 00 00 00 00 01,cdb=3b 01 f2 00 00 00 00 04,cdb=3b 04 ff," ] &&
	ok "challenge (reset, seeded data, two answers) before the kernel-mode entry" ||
	nok "challenge before the kernel-mode entry" "$order"
out=$($B/odflash flash "emu:$S" v1.bin --dry-run --no-backup $DOWN 2>/dev/null) || true
case $out in
*"(computed from step "*) ok "dry run shows the answer steps as computed" ;;
*)	nok "dry run shows the answer steps as computed" "$out" ;;
esac
