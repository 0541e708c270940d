#!/bin/sh
# Install the Debian packages odflash needs to build and to run every test.
# Idempotent: only calls apt-get when something is missing.  The mingw-w64
# cross compiler, dpkg-dev, cmake and the autotools build the Windows
# programs (make windows, tools/deps-windows.sh); wine runs their tests.
# dvd+rw-tools ships btcflash, which tests/e2e/btcflash.sh runs against
# the emulated BTC drive.
# odflash-gtk needs libgtk-4-dev; its test (tests/gui) runs it under Xvfb (xvfb,
# xauth) with a session bus (dbus) and drives it through AT-SPI
# (at-spi2-core, python3-pyatspi), taking screenshots (imagemagick); capsh
# (libcap2-bin) starts it without CAP_SYS_RAWIO.  The rig and the rescue
# boot test boot QEMU (qemu-system-x86) on SeaBIOS and OVMF (ovmf) and
# read the stick image with mtools; tools/mkrescue.sh compresses the
# rescue initramfs with zstd.
set -e
PKGS="make gcc clang pkg-config libsgutils2-dev libjson-c-dev libcmocka-dev
nettle-dev sg3-utils sdparm wodim xorriso libcdio-utils eject valgrind
cppcheck python3 python3-jsonschema jq dvd+rw-tools
gcc-mingw-w64-x86-64 dpkg-dev cmake autoconf automake libtool zip wine
wine64
libgtk-4-dev xvfb xauth dbus dbus-daemon at-spi2-core python3-pyatspi
imagemagick libcap2-bin
qemu-system-x86 ovmf mtools zstd"
missing=""
for p in $PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "deps: need root to install packages (run as root or with sudo)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
fi
echo "deps: all present"
