#!/bin/bash
# libodf installed and embedded: `make install PREFIX=...` into a scratch
# prefix; pkg-config finds odflash (and odemu); examples/flash_emu.c
# builds against the installed headers and libraries only and flashes an
# emulated drive through the session API, printing its events; the
# shared library exports only odf_ symbols and has its soname; the
# library reads no environment variable and installs no signal handler.
. "$(dirname "$0")/lib/tap.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
B=${ODF_BIN:-build}
case $B in /*) ;; *) B=$here/$B ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
P=$T/prefix
san=0
case $B in */san) san=1 ;; esac

run make -s -C "$here" SAN=$san install PREFIX="$P" >"$T/make.log" 2>&1
check "make install PREFIX=... (SAN=$san)" 0 "$RC"
[ "$RC" = 0 ] || sed 's/^/# /' "$T/make.log" | tail -n 20
for f in include/odf/session.h include/odf/ctx.h include/odemu/odemu.h \
	 lib/libodf.a lib/libodf.so.0 lib/libodemu.a \
	 lib/pkgconfig/odflash.pc lib/pkgconfig/odemu.pc \
	 share/man/man1/odflash.1 bin/odflash; do
	[ -e "$P/$f" ] && ok "installed $f" || nok "installed $f"
done
# odflash-gtk (issue #16), when GTK 4 was there to build it
if [ -x "$B/odflash-gtk" ]; then
	for f in bin/odflash-gtk share/applications/odflash-gtk.desktop \
		 share/icons/hicolor/scalable/apps/odflash-gtk.svg; do
		[ -e "$P/$f" ] && ok "installed $f" || nok "installed $f"
	done
else
	skip "odflash-gtk installed" "not built: GTK 4 (libgtk-4-dev) missing"
fi
[ "$(readlink "$P/lib/libodf.so")" = libodf.so.0 ] &&
	ok "libodf.so -> libodf.so.0" || nok "libodf.so -> libodf.so.0"

export PKG_CONFIG_PATH=$P/lib/pkgconfig
flags=$(pkg-config --cflags --libs odflash) || true
case $flags in
*"-I$P/include"*"-L$P/lib"*"-lodf"*) ok "pkg-config --cflags --libs odflash: $flags" ;;
*) nok "pkg-config --cflags --libs odflash" "$flags" ;;
esac
soname=$(readelf -d "$P/lib/libodf.so.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
check "soname" libodf.so.0 "$soname"
bad=$(nm -D --defined-only "$P/lib/libodf.so.0" | awk '{print $3}' |
	grep -v '^odf_' | grep -v '^LIBODF_0$' || true)
n=$(nm -D --defined-only "$P/lib/libodf.so.0" | grep -c ' odf_' || true)
[ -z "$bad" ] && [ "$n" -gt 50 ] &&
	ok "nm -D libodf.so: only odf_ symbols ($n of them)" ||
	nok "nm -D libodf.so: only odf_ symbols" "$bad"
# lib/util/platform.h's Windows part and platform_win32.c are the
# stand-ins for POSIX calls mingw-w64 lacks (sigaction among them, built
# on the CRT's signal function): libodf never calls them; the CLI's
# signal handling does, on Windows.
hits=$(grep -rnE '\b(getenv|secure_getenv|signal|sigaction)\(' "$here/lib" |
	grep -vE '/lib/util/platform(_win32\.c|\.h):' || true)
[ -z "$hits" ] && ok "lib/ calls no getenv, signal or sigaction" ||
	nok "lib/ calls no getenv, signal or sigaction" "$hits"

# the example, against the installed copy only (no -I into the tree)
cflags=$(pkg-config --cflags odemu odflash)
libs=$(pkg-config --libs --static odemu odflash)
sanflags=
[ $san = 1 ] && sanflags="-fsanitize=address,undefined"
run cc -std=c11 -Wall -Wextra -Werror $sanflags $cflags \
	"$here/examples/flash_emu.c" -o "$T/flash_emu" $libs -lpthread \
	>"$T/cc.log" 2>&1
check "examples/flash_emu.c builds through pkg-config" 0 "$RC"
[ "$RC" = 0 ] || sed 's/^/# /' "$T/cc.log" | tail -n 20
"$B/odemu" new nec-nd3500 "$T/d.state" --version 1.00 >/dev/null 2>&1
"$B/odemu" mkimage nec-nd3500 -o "$T/v2.bin" --version 2.00 >/dev/null 2>&1
LD_LIBRARY_PATH=$P/lib run "$T/flash_emu" "emu:$T/d.state" "$T/v2.bin" "$T/state" >"$T/out" 2>&1
check "the example flashes an emulated drive" 0 "$RC"
stages=$(sed -n 's/^stage //p' "$T/out" | tr '\n' ' ')
check "the example saw every stage in order" \
	"identify compat preflight confirm backup write come-back verify journal " \
	"$stages"
has -x "  point of no return at step [0-9]*: .*" "$T/out" &&
	ok "the example saw the point of no return" ||
	nok "the example saw the point of no return"
has "^result ok (error: none, changed: yes)" "$T/out" && ok "the example saw the result" ||
	nok "the example saw the result" "$(tail -n 3 "$T/out")"
rev=$("$B/odemu" show "$T/d.state" --json | jget .revision)
check "the emulated drive runs 2.00 after the example's flash" 2.00 "$rev"
ls "$T/state/backups/"*.bin >/dev/null 2>&1 &&
	ok "the backup went to the state dir the example gave its context" ||
	nok "the backup went to the state dir the example gave its context"
