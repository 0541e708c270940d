#!/bin/bash
# Build the real-kernel rig: a Debian cloud kernel + an initramfs holding
# static busybox, the static odflash/odemu, sg3-utils and the guest
# scripts.  Everything comes from Debian packages: missing host tools are
# installed with apt-get (after an apt-get update), the kernel package is
# fetched with apt-get download.
#
#   tests/rig/build.sh            install host packages if missing, build
#   RIG_NO_APT=1 tests/rig/build.sh   never call apt-get (fail instead)
#
# Cache: the kernel .deb and its partial extraction are kept in
# $RIG_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/odflash-rig, shared by
# every checkout; build/rig/cache when that is not writable).  Entries are
# keyed by the exact package file name, checked before use, written
# atomically, and rebuilt when missing or damaged: the cache only saves
# time.
#
# Output: build/rig/vmlinuz, build/rig/initramfs.cpio.gz
# Exit 0 = built; 2 = the host cannot build the rig (the reason is the last
# line on stderr, "RIG-UNAVAILABLE: ..."); 1 = a build step of ours failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RIG=$ROOT/tests/rig
OUT=${RIG_OUT:-$ROOT/build/rig}
FLAVOUR=${RIG_FLAVOUR:-cloud-amd64}
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$OUT"

say() { echo "[rig-build] $*" >&2; }
unavailable() { echo "RIG-UNAVAILABLE: $*" >&2; exit 2; }
die() { echo "[rig-build] error: $*" >&2; exit 1; }

# ---- host packages ---------------------------------------------------------
# command -> Debian package that provides it
need_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
# RIG_KERNEL_ONLY=1 (tools/mkrescue.sh): unpack the kernel, write
# $OUT/kernel.env (K= the unpacked tree, KV= its version) and stop
KONLY=${RIG_KERNEL_ONLY:-0}
[ "$KONLY" = 1 ] || have qemu-system-x86_64 || need_pkgs+=(qemu-system-x86)
# busybox-static installs /bin/busybox statically linked; the dynamic
# "busybox" package would not run in the guest (no libc there)
if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
	need_pkgs+=(busybox-static)
fi
have cpio || need_pkgs+=(cpio)
have depmod || need_pkgs+=(kmod)
have gzip || need_pkgs+=(gzip)
have sg_inq || need_pkgs+=(sg3-utils)
have dpkg-deb || unavailable "dpkg-deb missing: the rig needs a Debian-based host"

SUDO=
[ "$(id -u)" = 0 ] || { have sudo && SUDO="sudo -n"; }
can_apt() {
	[ "${RIG_NO_APT:-0}" != 1 ] && { [ "$(id -u)" = 0 ] || [ -n "$SUDO" ]; }
}
updated=0
apt_update() {  # once per build: package lists of a clean host are empty
	[ $updated = 1 ] && return 0
	can_apt || return 1
	say "apt-get update"
	$SUDO apt-get update -qq >/dev/null 2>&1 && updated=1
}
apt_install() {
	can_apt || return 1
	apt_update || return 1
	$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1
}
if [ ${#need_pkgs[@]} -gt 0 ]; then
	say "installing host packages: ${need_pkgs[*]}"
	apt_install "${need_pkgs[@]}" ||
		unavailable "cannot install ${need_pkgs[*]} (apt-get failed or not root)"
fi
[ "$KONLY" = 1 ] || have qemu-system-x86_64 || unavailable "qemu-system-x86_64 not installed"

# ---- cache ---------------------------------------------------------------------
CACHE=${RIG_CACHE:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/odflash-rig}
if ! mkdir -p "$CACHE/debs" 2>/dev/null || [ ! -w "$CACHE/debs" ]; then
	CACHE=$OUT/cache
	mkdir -p "$CACHE/debs" || die "cannot create $CACHE"
fi

# ---- guest kernel ------------------------------------------------------------
# The metapackage linux-image-cloud-amd64 depends on the current
# linux-image-<version>-cloud-amd64; its .deb holds vmlinuz and the modules.
kernel_pkg() {
	apt-cache depends "linux-image-$FLAVOUR" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1
}
deb_ok() { [ -s "$1" ] && dpkg-deb --info "$1" >/dev/null 2>&1; }
# download PKG into the cache (atomically: other checkouts share it)
fetch_deb() {
	local tmp f
	tmp=$(mktemp -d "$CACHE/debs/.dl.XXXXXX") || return 1
	if ( cd "$tmp" && apt-get download -qq "$1" >/dev/null 2>&1 ); then
		for f in "$tmp"/*.deb; do
			deb_ok "$f" && mv -f "$f" "$CACHE/debs/"
		done
	fi
	rm -rf "$tmp"
	cached_deb "$1" >/dev/null
}
cached_deb() {  # the cached .deb of PKG at the version apt knows
	local v f
	v=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	[ -n "$v" ] && [ "$v" != "(none)" ] || return 1
	f=$CACHE/debs/${1}_${v//:/%3a}_amd64.deb
	deb_ok "$f" || return 1
	echo "$f"
}
PKG=$(kernel_pkg)
if [ -z "$PKG" ] && apt_update; then
	PKG=$(kernel_pkg)
fi
DEB=
if [ -n "$PKG" ]; then
	DEB=$(cached_deb "$PKG")
	if [ -z "$DEB" ]; then
		say "downloading $PKG"
		# stale package lists name a version the mirror dropped:
		# update once and ask again
		if ! fetch_deb "$PKG" && [ $updated = 0 ] && apt_update; then
			PKG=$(kernel_pkg)
			[ -n "$PKG" ] && fetch_deb "$PKG"
		fi
		DEB=$(cached_deb "$PKG")
		[ -n "$DEB" ] ||
			unavailable "apt-get download $PKG failed (no network or mirror?)"
	fi
else
	# offline: fall back to a kernel package cached by an earlier build
	for f in $(ls -t "$CACHE/debs/"linux-image-*-"$FLAVOUR"_*.deb 2>/dev/null); do
		deb_ok "$f" && { DEB=$f; break; }
	done
	[ -n "$DEB" ] || unavailable "no linux-image-$FLAVOUR package known to apt and none cached in $CACHE/debs"
	PKG=$(basename "$DEB"); PKG=${PKG%%_*}
fi
KV=${PKG#linux-image-}
say "kernel $PKG (from $(basename "$DEB"))"

# the extraction is keyed by the .deb file name (package + version)
K=$CACHE/kernel-$(basename "$DEB" .deb)
M=./lib/modules/$KV
if [ ! -f "$K/.done" ] || [ ! -s "$K/boot/vmlinuz-$KV" ]; then
	Kt=$(mktemp -d "$CACHE/.kernel.XXXXXX") || die "mktemp in $CACHE failed"
	# only vmlinuz and the module subtrees the scenarios and the rescue
	# image need (the whole package unpacks to ~100 MB).  A subtree the
	# package lacks is left out: tar fails on a pattern that matches
	# nothing, and the cloud flavour has no drivers/usb, drivers/hid or
	# fs/fat (measured; the rig does not need them)
	subs=()
	listing=$(dpkg-deb -c "$DEB" | awk '{ print $NF }') ||
		{ rm -rf "$Kt"; die "cannot list $DEB"; }
	for d in drivers/scsi drivers/ata drivers/cdrom drivers/virtio \
		drivers/target drivers/uio fs/configfs lib crypto drivers/usb \
		drivers/hid fs/fat fs/nls block; do
		grep -qF "$M/kernel/$d/" <<<"$listing" && subs+=("$M/kernel/$d/*")
	done
	dpkg-deb --fsys-tarfile "$DEB" | tar -x -C "$Kt" --wildcards \
		"./boot/vmlinuz-$KV" "$M/modules.order" "$M/modules.builtin" \
		"$M/modules.builtin.modinfo" "${subs[@]}" \
		|| { rm -rf "$Kt"; die "cannot unpack $DEB"; }
	depmod -b "$Kt" "$KV" || { rm -rf "$Kt"; die "depmod on the unpacked kernel failed"; }
	touch "$Kt/.done"
	if [ -f "$K/.done" ] && [ -s "$K/boot/vmlinuz-$KV" ]; then
		rm -rf "$Kt"	# another build finished the same meanwhile
	else
		rm -rf "$K"
		mv "$Kt" "$K" || die "cannot move the kernel into $K"
	fi
fi
cp "$K/boot/vmlinuz-$KV" "$OUT/vmlinuz"
if [ "$KONLY" = 1 ]; then
	printf 'K=%s\nKV=%s\n' "$K" "$KV" >"$OUT/kernel.env"
	exit 0
fi

# ---- our static binaries -------------------------------------------------------
if [ "${RIG_SKIP_MAKE:-0}" != 1 ]; then
	say "make static"
	# "all" first: the static rule does not list the odemu objects
	{ make -C "$ROOT" -j2 all && make -C "$ROOT" -j2 static; } >"$OUT/make-static.log" 2>&1 ||
		{ tail -n 20 "$OUT/make-static.log" >&2; die "make static failed (log: $OUT/make-static.log)"; }
fi
# RIG_BIN=DIR takes odflash-static/odemu-static from DIR instead
BIN=${RIG_BIN:-$ROOT/build}
for b in odflash-static odemu-static; do
	[ -x "$BIN/$b" ] || die "$BIN/$b missing after make static"
done

# ---- initramfs -------------------------------------------------------------------
say "assembling the initramfs"
R=$OUT/initramfs
rm -rf "$R"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,rig,lib/modules/$KV}
cp /bin/busybox "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
cp "$BIN/odflash-static" "$R/usr/bin/odflash"
cp "$BIN/odemu-static" "$R/usr/bin/odemu"
cp "$RIG/guest/init" "$R/init"
cp "$RIG"/guest/*.sh "$R/rig/"
chmod +x "$R/init" "$R"/rig/*.sh
# an unprivileged user for the scan/info-as-user scenario
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\ncdrom:x:24:\nnogroup:x:65534:\n' >"$R/etc/group"
# sg3-utils (dynamically linked) + their shared libraries
for t in sg_inq sg_raw sg_turs sg_readcap sg_requests sg_get_config sg_map26; do
	[ -x "/usr/bin/$t" ] && cp "/usr/bin/$t" "$R/usr/bin/"
done
for lib in $(ldd /usr/bin/sg_inq /usr/bin/sg_raw 2>/dev/null |
	awk '/=>/ { print $3 } /ld-linux/ { print $1 }' | sort -u); do
	mkdir -p "$R$(dirname "$lib")"
	cp -L "$lib" "$R$lib"
done
# kernel modules: the closure of what the scenarios load
MODS="sr_mod sg ata_piix virtio_pci virtio_scsi scsi_debug tcm_loop target_core_user configfs uio"
. "$RIG/modules.sh"
copy_modules "$K" "$KV" "$R" "$OUT/modules.list" $MODS ||
	die "copying the module closure failed (modprobe --show-depends or depmod)"
( cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1 ) >"$OUT/initramfs.cpio.gz" ||
	die "cpio failed"
echo "$KV" >"$OUT/KV"
say "done: $(du -h "$OUT/initramfs.cpio.gz" | cut -f1) initramfs, kernel $KV, $(wc -l <"$OUT/modules.list") modules"
