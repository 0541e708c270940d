#!/bin/bash
# make check-windows: build the Windows programs and their unit tests
# (make windows windows-tests: the libraries from Debian's sources, cached
# in build/win/deps) and run tests/windows/check.sh under Wine.  Without
# a cross compiler or a Wine that can start a 64-bit program the check is
# skipped, loudly, with the reason, and the closing line counts it as a
# skip ("windows: 0 passed, 0 failed, 1 skipped").
cd "$(dirname "$0")/.." || exit 2
WIN=${ODF_WIN:-build/win}
WINE=${WINE:-wine}
skip_all() {
	echo "# SKIP windows: $1"
	echo "windows: 0 passed, 0 failed, 1 skipped"
	exit 0
}
command -v x86_64-w64-mingw32-gcc-posix >/dev/null 2>&1 ||
	skip_all "no x86_64-w64-mingw32-gcc-posix (Debian gcc-mingw-w64-x86-64: make deps)"
command -v "$WINE" >/dev/null 2>&1 ||
	skip_all "no $WINE (Debian wine, wine64: make deps)"
export WINEPREFIX=${WINEPREFIX:-$PWD/$WIN/wineprefix} WINEDEBUG=-all
mkdir -p "$WINEPREFIX"
if ! v=$("$WINE" cmd /c ver </dev/null 2>&1 | tr -d '\r' | grep -m1 .); then
	skip_all "$WINE cannot run a 64-bit Windows program here: $v"
fi
echo "# wine: $v"
t0=$(date +%s)
make -s windows windows-tests >"$WIN/build.log" 2>&1 || {
	tail -n 30 "$WIN/build.log"
	echo "not ok - make windows windows-tests: see $WIN/build.log"
	echo "windows: 0 passed, 1 failed, 0 skipped"
	exit 1
}
t1=$(date +%s)
echo "# make windows windows-tests: $((t1 - t0)) s"
ODF_WIN=$WIN tests/windows/check.sh
rc=$?
echo "# check-windows under Wine: $(($(date +%s) - t1)) s"
exit $rc
