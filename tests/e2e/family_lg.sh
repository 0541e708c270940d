#!/bin/bash
# lg-gsa4163b through odflash: the devilsclaw/flasher sequence (3B 02 to
# cache in 32 KiB chunks, the last 3B 05, SEND DIAGNOSTIC self diag), the
# dump from absolute memory (3C 05, MAIN header found by its pattern) and
# recovery through the CORE firmware (inferred, emu/proto_lg.c).  The dump
# is the MAIN file as flashed: header at 0x10000, body after it.
MODEL=lg-gsa4163b DRIVER=lg OTHER=lg-gdr8164b DUMP="0x10000 0xF0000"
RECOVER=yes BADSUM=0x1000 TRUNC=500000 CAP_BAD=16384 CAP_OK=32768
COMMIT_OP=1d
. "$(dirname "$0")/lib/family.inc"
