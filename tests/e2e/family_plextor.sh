#!/bin/bash
# plextor-px716 through odflash: WRITE BUFFER mode 4 blocks, mode 5 last,
# 16 KiB blocks (redumper), the reset on the last block tolerated.  No
# dump in the protocol; a drive left in boot code is not recoverable.
MODEL=plextor-px716 DRIVER=plextor OTHER="" DUMP="" RECOVER=no
BADSUM=4096 TRUNC=500000 CAP_BAD=8192 CAP_OK=16384
# The image format carries no version (pxfw): verify checks identity only
# and cannot tell 1.00 from 2.00.
VERIFY_OLD=0
FOREIGN=tsst-se506cb VENDOR_OPS=no CHUNK_BAD=8192
. "$(dirname "$0")/lib/family.inc"
