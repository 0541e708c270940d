#!/bin/bash
# tsst-se506cb through odflash: MediaTek FF protocol (coastermelt), 0xF800
# blocks, commit pauses, reboot + re-enumeration after the last block,
# READ BUFFER mode 6 dump, recovery through the locked boot loader.
MODEL=tsst-se506cb DRIVER=mtk-ff OTHER="" DUMP="0 0x200000" RECOVER=yes
BADSUM=0x20000 TRUNC=1500000 CAP_BAD=32768 CAP_OK=""
. "$(dirname "$0")/lib/family.inc"
