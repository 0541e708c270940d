#!/bin/bash
# lg-bh16ns40 through odflash: MediaTek MT1959 (redumper flash_mt1959.ixx):
# the config block read with READ BUFFER mode 6 at 0x3000, WRITE BUFFER
# mode 1 then mode 6 in 0x4000 blocks, TEST UNIT READY until GOOD twice.
# No dump (no source reads more than the config block); verify by
# identity; the CMAC table (OmniDrive update_cmac.py) is the checksum:
# BADSUM flips a byte inside the first CMAC range.  OTHER: the slim BU40N
# (config BU5), refused on a JB8 drive.  CAP_BAD: a bridge below 0x4000.
# Standard opcodes only (3B/3C): a bridge that drops vendor ones is fine.
MODEL=lg-bh16ns40 DRIVER=mt1959 OTHER=lg-bu40n DUMP="" RECOVER=yes
BADSUM=0x100000 TRUNC=1000000 CAP_BAD=8192 CAP_OK=16384
FOREIGN=tsst-se506cb VENDOR_OPS=no CHUNK_BAD=8192 CUT_POINTS=6
. "$(dirname "$0")/lib/family.inc"
