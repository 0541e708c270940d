#!/bin/bash
# Issue #12's ground-truth sweep in `make check` (tests/run.sh counts it):
# the sampled sweep of tests/sweep/truth_sweep.sh over two families with
# a dump (SPC, LG), every fault (power cut, SIGINT, SIGTERM, SIGKILL, EIO
# at i, an 8 KiB cap from i, fixed caps), at the sampled indexes without
# the evenly spread ones: 86 cases, about 100 s on two shared cores.  The
# NEC models cost minutes each (their emulated state is rewritten at
# every one of ~850-1500 commands when a power cut is armed): their reads
# as plans are tested by read_plans.sh, their sweep by check-sweep.  `make check-sweep` samples every model,
# `make check-sweep-full` runs every index.  SWEEP_MODELS,
# SWEEP_SPREAD and SWEEP_JOBS override.
HERE=$(cd "$(dirname "$0")" && pwd)
export SWEEP_MODELS="${SWEEP_MODELS:-spc-generic lg-gsa4163b}"
export SWEEP_SPREAD="${SWEEP_SPREAD:-0}"
exec bash "$HERE/../sweep/truth_sweep.sh"
