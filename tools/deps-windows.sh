#!/bin/sh
# Cross-build odflash's libraries for Windows (x86_64-w64-mingw32) from
# Debian's own source packages: sg3-utils (libsgutils2; its Windows
# pass-through is SPTI, lib/sg_pt_win32.c), json-c and nettle; and cmocka
# for the unit tests (make check-windows), never shipped.
#
# The deb-src entries live in an apt configuration of our own under
# $WIN/apt (the system's sources are not touched): they are the system's
# own Debian "deb" entries (same archive, suites, components, keyring)
# with the type deb-src.  `apt-get source` fetches and unpacks each
# package with Debian's patches applied; each library is then built as a
# static library into $WIN/deps.  A finished library leaves a stamp and
# is not built again.  No binary is downloaded.
#
# Usage: tools/deps-windows.sh [WINDIR]   (default build/win)
set -eu
WIN=${1:-build/win}
HOST=x86_64-w64-mingw32
PKGS="sg3-utils json-c nettle cmocka"
mkdir -p "$WIN"
WIN=$(cd "$WIN" && pwd)
APT="$WIN/apt"
SRC="$WIN/src"
DEPS="$WIN/deps"
JOBS=${ODF_DEPS_JOBS:-2}
NICE="nice -n 10"

say() { echo "deps-windows: $*"; }
die() { echo "deps-windows: $*" >&2; exit 1; }

command -v $HOST-gcc >/dev/null 2>&1 ||
	die "no $HOST-gcc: install Debian's gcc-mingw-w64-x86-64 (make deps)"
command -v dpkg-source >/dev/null 2>&1 ||
	die "no dpkg-source: install Debian's dpkg-dev (make deps)"
command -v cmake >/dev/null 2>&1 ||
	die "no cmake (json-c builds with it): install Debian's cmake (make deps)"

built() { [ -f "$DEPS/.stamp-$1" ]; }

# ---- sources.list of our own: deb-src for the system's Debian entries ----
sources_list() {
	# deb822 files (Types/URIs/Suites/Components/Signed-By) ...
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'function flush() {
			if (types ~ /(^| )deb( |$)/ && uris != "" && suites != "") {
				print "Types: deb-src"; print "URIs: " uris
				print "Suites: " suites; print "Components: " comps
				if (key != "") print "Signed-By: " key
				print ""
			}
			types = uris = suites = comps = key = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0 }
		/^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris = $0 }
		/^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
		/^Components:/ { sub(/^Components:[ \t]*/, ""); comps = $0 }
		/^Signed-By:/ { sub(/^Signed-By:[ \t]*/, ""); key = $0 }
		END { flush() }' "$f"
	done
	# ... and one-line files ("deb [opts] URI suite comps").
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[ \t]*deb\([ \t]\)/deb-src\1/p' "$f" |
			sed 's/^/# one-line: /'
	done
}

fetch_sources() {
	mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" \
		"$APT/sources.list.d" "$SRC"
	sources_list >"$APT/sources.list.d/odflash-src.sources"
	# one-line entries were kept as comments above; turn them into a .list
	sed -n 's/^# one-line: //p' "$APT/sources.list.d/odflash-src.sources" \
		>"$APT/sources.list.d/odflash-src.list"
	grep -q '^Types: deb-src' "$APT/sources.list.d/odflash-src.sources" ||
		[ -s "$APT/sources.list.d/odflash-src.list" ] ||
		die "found no Debian 'deb' entry in /etc/apt to derive deb-src from"
	: >"$APT/sources.list"
	set -- -o Dir::Etc::sourcelist="$APT/sources.list" \
		-o Dir::Etc::sourceparts="$APT/sources.list.d" \
		-o Dir::State::Lists="$APT/lists" \
		-o Dir::Cache="$APT/cache" \
		-o APT::Sandbox::User=root -qq
	if [ ! -f "$APT/.updated" ]; then
		say "apt-get update (deb-src entries in $APT)"
		apt-get "$@" update || die "apt-get update with our deb-src entries failed"
		touch "$APT/.updated"
	fi
	for p in $PKGS; do
		if ls -d "$SRC/$p"-*/ >/dev/null 2>&1; then
			continue
		fi
		say "apt-get source $p"
		(cd "$SRC" && apt-get "$@" source "$p") ||
			die "apt-get source $p failed"
	done
}

srcdir() {
	d=$(ls -d "$SRC/$1"-*/ 2>/dev/null | head -n 1)
	[ -n "$d" ] || die "no unpacked source for $1 under $SRC"
	echo "${d%/}"
}

build_nettle() {
	built nettle && return 0
	d=$(srcdir nettle)
	say "nettle: $d"
	rm -rf "$WIN/b-nettle" && cp -a "$d" "$WIN/b-nettle"
	(cd "$WIN/b-nettle" &&
	 $NICE ./configure -q --host=$HOST --prefix="$DEPS" --libdir="$DEPS/lib" \
		--disable-shared --enable-static --disable-public-key \
		--disable-documentation --disable-openssl --disable-assembler \
		--disable-fat &&
	 $NICE make -s -j"$JOBS" libnettle.a &&
	 make -s install-headers install-static) >"$WIN/nettle.log" 2>&1 ||
		die "nettle failed to cross-build: see $WIN/nettle.log"
	touch "$DEPS/.stamp-nettle"
}

# A CMake source package ($1, its summary $2) cross-built with the
# CMake options that follow and installed into $DEPS.
build_cmake() {
	name=$1 what=$2
	shift 2
	built "$name" && return 0
	d=$(srcdir "$name")
	say "$what: $d"
	rm -rf "$WIN/b-$name"
	(cmake -S "$d" -B "$WIN/b-$name" -DCMAKE_SYSTEM_NAME=Windows \
		-DCMAKE_C_COMPILER=$HOST-gcc -DCMAKE_RC_COMPILER=$HOST-windres \
		-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$DEPS" \
		-DCMAKE_INSTALL_LIBDIR=lib -DBUILD_SHARED_LIBS=OFF "$@" &&
	 $NICE cmake --build "$WIN/b-$name" -j "$JOBS" &&
	 cmake --install "$WIN/b-$name") >"$WIN/$name.log" 2>&1 ||
		die "$name failed to cross-build: see $WIN/$name.log"
	touch "$DEPS/.stamp-$name"
}

build_jsonc() {
	build_cmake json-c json-c -DBUILD_STATIC_LIBS=ON -DBUILD_TESTING=OFF \
		-DBUILD_APPS=OFF -DDISABLE_WERROR=ON
}

build_cmocka() {
	build_cmake cmocka "cmocka (tests only)" -DWITH_STATIC_LIB=ON \
		-DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF
}

build_sgutils() {
	built sg3-utils && return 0
	d=$(srcdir sg3-utils)
	say "sg3-utils (libsgutils2, SPTI): $d"
	rm -rf "$WIN/b-sg3-utils" && cp -a "$d" "$WIN/b-sg3-utils"
	# configure picks sg_pt_win32.c for a mingw host (configure.ac,
	# case $host_os in mingw*); only lib/ is built: the sg_* programs
	# are not needed.
	(cd "$WIN/b-sg3-utils" &&
	 $NICE ./configure -q --host=$HOST --prefix="$DEPS" --libdir="$DEPS/lib" \
		--disable-shared --enable-static &&
	 $NICE make -s -j"$JOBS" -C include &&
	 $NICE make -s -j"$JOBS" -C lib &&
	 make -s -C lib install && make -s -C include install) \
		>"$WIN/sg3-utils.log" 2>&1 ||
		die "sg3-utils failed to cross-build: see $WIN/sg3-utils.log"
	touch "$DEPS/.stamp-sg3-utils"
}

if built nettle && built json-c && built sg3-utils && built cmocka; then
	touch "$DEPS/.stamp-all"
	say "all built (cached in $DEPS)"
	exit 0
fi
fetch_sources
build_nettle
build_jsonc
build_sgutils
build_cmocka
mkdir -p "$DEPS/share/licenses"
for p in sg3-utils json-c nettle; do
	cp "$(srcdir "$p")/debian/copyright" "$DEPS/share/licenses/$p.copyright"
done
touch "$DEPS/.stamp-all"
say "all built into $DEPS"
