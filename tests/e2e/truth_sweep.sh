#!/bin/bash
# Issue #12's ground-truth sweep in `make check` (tests/run.sh counts it):
# the sampled sweep of tests/sweep/truth_sweep.sh over three families
# with a dump (NEC 1 MiB, SPC, LG), every fault (power cut, SIGINT,
# SIGTERM, SIGKILL, EIO at i, an 8 KiB cap from i, fixed caps), at the
# sampled indexes without the evenly spread ones, to keep the suite in
# its time budget.  `make check-sweep` samples every model,
# `make check-sweep-full` runs every index.  SWEEP_MODELS,
# SWEEP_SPREAD and SWEEP_JOBS override.
HERE=$(cd "$(dirname "$0")" && pwd)
export SWEEP_MODELS="${SWEEP_MODELS:-nec-nd3500 spc-generic lg-gsa4163b}"
export SWEEP_SPREAD="${SWEEP_SPREAD:-0}"
exec bash "$HERE/../sweep/truth_sweep.sh"
