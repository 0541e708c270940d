#!/bin/bash
# The ground-truth sweep's found cases, pinned (issue #12): the (model,
# fault, index) cases `make check-sweep` once failed, run by themselves in
# `make check` (plain build, like the other sweeps).
#   - an EIO on the Pioneer commit (3B 05 FF, dvr109 i=48) or on the
#     MT1939's last download (se506cb i=171): the drive came back in
#     boot mode and odflash ended "verify-failed" (exit 7) naming neither
#     the drive's state nor the recover command;
#   - an 8 KiB cap that bites from command i (dvr109 i=1/19/38/47,
#     se506cb i=165): the printed recover refuses the capped path (the
#     protocol cannot send less than 32 KiB) and says to connect the
#     drive directly; the sweep then runs it with the cap gone.
# Each index also for dvr104 (the same protocol with its challenge).
HERE=$(cd "$(dirname "$0")" && pwd)
c="pioneer-dvr109:EIO:48 tsst-se506cb:EIO:171 tsst-se506cb:cap-from-i:165"
for i in 1 19 38 47; do c="$c pioneer-dvr109:cap-from-i:$i"; done
for i in 1 19 38 47 48; do
	c="$c pioneer-dvr104:cap-from-i:$i pioneer-dvr104:EIO:$i"
done
export SWEEP_CASES="$c" SWEEP_CASES_ONLY=1
export SWEEP_MODELS="pioneer-dvr109 pioneer-dvr104 tsst-se506cb"
exec bash "$HERE/../sweep/truth_sweep.sh"
