#!/bin/bash
# tsst-tsh353c through odflash: MediaTek MT1339 FF protocol (redumper),
# 0xFC00 blocks, END 04, the last status answered, the restart after it.
# No dump (READ BUFFER mode 6 is not known to read an MT1339's flash) and
# no checksum in the image; recovery through the locked boot area
# (INFERRED, emu/proto_mtkff.c).  CAP_BAD: a bridge that fits the
# MT1939's 0xF800 blocks but not the MT1339's 0xFC00.
MODEL=tsst-tsh353c DRIVER=mtk-ff OTHER=tsst-se506cb DUMP="" RECOVER=yes
BADSUM="" TRUNC=200000 CAP_BAD=63488 CAP_OK=64512
FOREIGN=plextor-px716 VENDOR_OPS=yes CHUNK_BAD=63488
. "$(dirname "$0")/lib/family.inc"
