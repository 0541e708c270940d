#!/bin/bash
# Issue #12's ground-truth sweep in `make check` for the NEC family
# (tests/run.sh counts it): every NEC model (nd3500, nd3550, ad7170), lean
# (SWEEP_LEAN=1, tests/sweep/sweep.py pick()): the indexes around the
# first flash change (E-1, E), the commit and the two after it (L, L+1,
# L+2) and the read-back's first and last command, two faults an index
# drawn with SWEEP_SEED (every fault at least once a model) and one of the
# fixed bridge caps.  An NEC flash is ~850-1500 commands and an armed power
# cut rewrites its 2-4 MiB state at each, so the cross product of
# truth_sweep.sh's sampled indexes and every fault costs minutes a model;
# this set is about 60 s on two cores.  `make check-sweep` samples every
# model with every fault, `make check-sweep-full` runs every index.
# Two cases more, asked for by index (SWEEP_CASES): a SIGKILL in the
# backup read of nd3550 (after command 531) and ad7170 (496), inside NEC
# safe mode: the journal names `odflash recover DEVICE`, which leaves safe
# mode and flashes nothing (they failed before the read was journaled).
# And an EIO on the last command but one of nd3550 (1594) and ad7170
# (1489): the read-back's leave of safe mode (the full sweep found ad7170's
# ending "ok" in safe mode; the read-back is bracketed on the 2 MiB models
# only): the leave is sent again and the drive ends in normal mode.
# SWEEP_MODELS, SWEEP_SEED, SWEEP_PER_INDEX, SWEEP_CASES and SWEEP_JOBS
# override.
HERE=$(cd "$(dirname "$0")" && pwd)
export SWEEP_MODELS="${SWEEP_MODELS:-nec-nd3500 nec-nd3550 optiarc-ad7170}"
export SWEEP_LEAN=1 SWEEP_SEED="${SWEEP_SEED:-12}"
export SWEEP_CASES="${SWEEP_CASES-nec-nd3550:SIGKILL:531 optiarc-ad7170:SIGKILL:496 nec-nd3550:EIO:1594 optiarc-ad7170:EIO:1489}"
exec bash "$HERE/../sweep/truth_sweep.sh"
