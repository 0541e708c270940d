#!/bin/bash
# btc-drw1008 through odflash: BTC DRW1008 (dvd+rw-tools btcflash.cpp):
# 256 WRITE BUFFER mode 6 pieces of 4 KiB at buffer offset +20h, the
# 32-byte sum header at offset 0, WRITE BUFFER mode 7, 50 s, TEST UNIT
# READY until GOOD or 02/3A.  `odemu mkimage` writes the banked Intel HEX
# btcflash reads (v1.bin and v2.bin below hold that text: odflash decides
# the form by content).  No dump, verify by identity.  The file stores no
# checksum: BADSUM changes a hex digit of a data record, which its record
# checksum catches (btcflash: "Checksum mismatch").  OTHER: the DRW1004.
# CAP_BAD: a bridge below 4 KiB.  Standard opcodes only (3Bh).
MODEL=btc-drw1008 DRIVER=btc OTHER=btc-drw1004 DUMP="" RECOVER=yes
BADSUM=1000 TRUNC=1000000 CAP_BAD=2048 CAP_OK=4096
FOREIGN=tsst-se506cb VENDOR_OPS=no CHUNK_BAD=8192 CUT_POINTS=6 COMMIT_OP=3b
export ODF_WAIT_MAX_MS=0
. "$(dirname "$0")/lib/family.inc"
