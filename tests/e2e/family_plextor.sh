#!/bin/bash
# plextor-px716 through odflash: WRITE BUFFER mode 4 blocks, mode 5 last,
# 16 KiB blocks (redumper), the reset on the last block tolerated.  No
# dump in the protocol; a drive left in boot code is not recoverable.
MODEL=plextor-px716 DRIVER=plextor OTHER="" DUMP="" RECOVER=no
BADSUM=4096 TRUNC=500000 CAP_BAD=8192 CAP_OK=16384
# The image format carries no version (pxfw) and the drive cannot be read
# back: verify compares nothing, so it says "cannot verify" (exit 7) for
# 2.00 and 1.00 alike (issue #12), never "holds".
VERIFY_NEW=7 VERIFY_OLD=7
# the same for a flash: written, re-identified, nothing compared
FLASH_OK=7
FOREIGN=tsst-se506cb VENDOR_OPS=no CHUNK_BAD=8192
. "$(dirname "$0")/lib/family.inc"
