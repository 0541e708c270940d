#!/bin/bash
# samsung-sd616f through odflash: Samsung SD-616F, MediaTek MT1329E
# (superg/redumper drive/flash_sd616.ixx + flash_tsst.ixx): the 128 KiB
# file re-laid into a 0x30000 stream, FF 00 01 00 00 00/FF/02 in 0x10000
# pieces.  No dump and no read-back (verify by identity), no checksum
# known for the file (BADSUM ""), no second SD-616 model redumper takes
# (OTHER "").  FOREIGN: the MT1339, another FF-protocol chip.  CAP_BAD: a
# bridge below 0x10000.  Opcode FFh: a bridge that drops vendor opcodes
# is refused.
MODEL=samsung-sd616f DRIVER=sd616 OTHER="" DUMP="" RECOVER=yes
BADSUM="" TRUNC=100000 CAP_BAD=32768 CAP_OK=65536
FOREIGN=tsst-tsh353c VENDOR_OPS=yes CHUNK_BAD=32768
. "$(dirname "$0")/lib/family.inc"
