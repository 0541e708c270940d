#!/bin/bash
# ps3-bd through odflash: the dsd-nexus libps3drive sequence (eject, TUR
# no medium, WRITE BUFFER mode 7 in 32 KiB chunks, TUR until done).  No
# dump in the protocol; a drive left in boot code is not recoverable.
MODEL=ps3-bd DRIVER=ps3 OTHER="" DUMP="" RECOVER=no
BADSUM=0x40 TRUNC=500000 CAP_BAD=1024 CAP_OK=16384
FOREIGN=plextor-px716 VENDOR_OPS=no CHUNK_BAD=1000
. "$(dirname "$0")/lib/family.inc"

