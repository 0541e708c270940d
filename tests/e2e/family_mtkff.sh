#!/bin/bash
# tsst-se506cb through odflash: MediaTek FF protocol (coastermelt), 0xF800
# blocks, commit pauses, reboot + re-enumeration after the last block,
# READ BUFFER mode 6 dump, recovery through the locked boot loader.
# OTHER: the MT1339 drive's 256 KiB image; CAP_OK: one 0xF800 block.
MODEL=tsst-se506cb DRIVER=mtk-ff OTHER=tsst-tsh353c DUMP="0 0x200000" RECOVER=yes
BADSUM=0x20000 TRUNC=1500000 CAP_BAD=32768 CAP_OK=63488
FOREIGN=ps3-bd VENDOR_OPS=yes CHUNK_BAD=32768
. "$(dirname "$0")/lib/family.inc"
