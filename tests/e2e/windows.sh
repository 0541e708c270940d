#!/bin/bash
# Issue #19: the Windows programs (make windows, cross-built with
# mingw-w64) and their tests under Wine (tests/windows/check.sh, through
# tools/check-windows.sh), counted in the runner's closing line; a loud
# "# SKIP" with the reason where no cross compiler or Wine can run.  The
# Windows libraries come from `make deps` (tools/deps-windows.sh, cached
# in build/win/deps); without them the build step builds them first.
cd "$(dirname "$0")/../.." || exit 2
exec tools/check-windows.sh
