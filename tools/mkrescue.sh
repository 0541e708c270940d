#!/bin/bash
# Build the odflash rescue image (issue #17): a hybrid ISO 9660 image made
# by grub-mkrescue (xorriso) that boots on BIOS (grub-pc) and UEFI
# (grub-efi-amd64) from a CD and, written raw, from a USB stick; with a
# FAT partition labelled ODFLASH appended for firmware files, backups and
# the journal.  Kernel: Debian's linux-image-amd64 (the cloud flavour has
# no ahci or USB storage), unpacked by tests/rig/build.sh.
#
#   tools/mkrescue.sh                 -> build/odflash-rescue.img
#   tools/mkrescue.sh --test OUT.img  the same plus odemu, the TCMU modules
#                                     and rescue/test-hook.sh (the boot test)
# Variables: RESCUE_FAT_MB (ODFLASH partition size, default 20),
# RIG_CACHE, RIG_NO_APT=1 (as tests/rig/build.sh), RIG_SKIP_MAKE=1 (make
# all static already ran: make check builds them once for the rig and
# this; the binaries are only checked).
# Exit 0 built; 2 the host cannot build it (last stderr line
# "RESCUE-UNAVAILABLE: ..."); 1 a step failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TEST=0 IMG=$ROOT/build/odflash-rescue.img
if [ "${1:-}" = --test ]; then TEST=1; IMG=${2:?--test needs OUT.img}; fi
W=$ROOT/build/rescue/work$TEST
FAT_MB=${RESCUE_FAT_MB:-20}
say() { echo "[rescue] $*" >&2; }
die() { echo "[rescue] error: $*" >&2; exit 1; }
unavailable() { echo "RESCUE-UNAVAILABLE: $*" >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive

# ---- host packages: command -> Debian package
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have grub-mkrescue || need+=(grub-common)
[ -d /usr/lib/grub/i386-pc ] || need+=(grub-pc-bin)
[ -d /usr/lib/grub/x86_64-efi ] || need+=(grub-efi-amd64-bin)
have xorriso || need+=(xorriso)
have zstd || need+=(zstd)
have mformat || need+=(mtools)
have mkfs.vfat || [ -x /sbin/mkfs.vfat ] || need+=(dosfstools)
if [ ${#need[@]} -gt 0 ]; then
	[ "${RIG_NO_APT:-0}" != 1 ] && [ "$(id -u)" = 0 ] ||
		unavailable "missing ${need[*]}: install them (apt-get install ${need[*]}) or run as root"
	say "installing ${need[*]}"
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } \
		>/dev/null 2>&1 || unavailable "apt-get install ${need[*]} failed"
fi
PATH=$PATH:/sbin:/usr/sbin

# ---- kernel (the rig's fetch and cache; busybox-static and kmod too)
mkdir -p "$W"
RIG_FLAVOUR=amd64 RIG_KERNEL_ONLY=1 RIG_OUT=$W/kernel "$ROOT/tests/rig/build.sh"
case $? in 0) ;; 2) unavailable "no Debian amd64 kernel (see above)" ;; *) die "kernel step failed" ;; esac
. "$W/kernel/kernel.env"

# ---- static odflash (odemu for the test image)
if [ "${RIG_SKIP_MAKE:-0}" != 1 ]; then
	{ make -C "$ROOT" -j2 all && make -C "$ROOT" -j2 static; } >"$W/make.log" 2>&1 ||
		{ tail -n 20 "$W/make.log" >&2; die "make static failed (log: $W/make.log)"; }
fi
for b in odflash-static odemu-static; do
	[ -x "$ROOT/build/$b" ] || die "build/$b missing (make static)"
done

# ---- initramfs, zstd-compressed: the kernel unpacks zstd (RD_ZSTD, Linux
# 5.9+ usr/Kconfig) about ten times faster than xz, which matters under
# QEMU/TCG (measured: 3.1 MB at zstd -19 against 2.6 MB at xz -9; host
# decompression 0.03 s against 0.32 s)
R=$W/initramfs
rm -rf "$R"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,rescue,lib/modules/$KV}
cp /bin/busybox "$R/bin/busybox"
ln -s busybox "$R/bin/sh"
cp "$ROOT/build/odflash-static" "$R/usr/bin/odflash"
cp "$ROOT/rescue/init" "$R/init"
cp "$ROOT/rescue/lib.sh" "$ROOT/rescue/menu.sh" "$R/rescue/"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\n' >"$R/etc/group"
# drivers: every SATA/PATA host (drivers/ata), USB hosts, storage and
# keyboards, sr/sg/sd, FAT; coldplugged by modalias at boot (rescue/lib.sh)
MODS=$(cd "$K/lib/modules/$KV/kernel" && find drivers/ata -name '*.ko' | sed 's|.*/||; s|\.ko$||')
MODS="$MODS usb-storage uas xhci_pci ehci_pci uhci_hcd ohci_pci usbhid hid_generic
 sr_mod sg sd_mod vfat nls_cp437 nls_utf8 nls_ascii"
if [ $TEST = 1 ]; then
	MODS="$MODS target_core_user tcm_loop configfs uio"
	cp "$ROOT/build/odemu-static" "$R/usr/bin/odemu"
	cp "$ROOT/tests/rescue/hook.sh" "$R/rescue/hook.sh"
	cp "$ROOT/tests/rig/guest/tcmu-setup.sh" "$R/rescue/"
fi
. "$ROOT/tests/rig/modules.sh"
copy_modules "$K" "$KV" "$R" "$W/modules.list" $MODS ||
	die "copying the module closure failed (modprobe --show-depends or depmod)"
for m in usb-storage ahci sr_mod sd_mod t10-pi vfat; do
	grep -q "/$m.ko$" "$W/modules.list" || die "module $m not in the unpacked kernel $K"
done
chmod +x "$R/init" "$R"/rescue/*.sh

# ---- ISO tree + FAT partition, then the hybrid image
T=$W/iso
rm -rf "$T"
mkdir -p "$T/boot/grub"
cp "$W/kernel/vmlinuz" "$T/boot/vmlinuz"
( cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | zstd -19 -q ) >"$T/boot/initrd.img" ||
	die "cpio failed"
cp "$ROOT/rescue/grub.cfg" "$T/boot/grub/grub.cfg"
rm -f "$W/odflash.fat"
mkfs.vfat -C -n ODFLASH "$W/odflash.fat" $((FAT_MB * 1024)) >/dev/null || die "mkfs.vfat failed"
export MTOOLS_SKIP_CHECK=1
mmd -i "$W/odflash.fat" ::/firmware ::/odflash-state || die "mmd failed"
mcopy -i "$W/odflash.fat" "$ROOT/rescue/odflash.cfg" ::/odflash.cfg || die "mcopy failed"
mkdir -p "$(dirname "$IMG")"
rm -f "$IMG"
# the partition of type 0Ch (FAT32 LBA) after the ISO: xorriso(1)
# -append_partition, passed through by grub-mkrescue(1).  Every part_*
# module is installed: the EFI GRUB that grub-mkrescue builds loads them
# all at start, and printed "error: file .../part_acorn.mod not found" for
# each one missing (measured on OVMF with only part_msdos/part_gpt)
PARTMODS=$(cd /usr/lib/grub/x86_64-efi && ls part_*.mod | sed 's/\.mod$//' | tr '\n' ' ')
grub-mkrescue --compress=xz --fonts= --locales= --themes= \
	--install-modules="linux normal iso9660 $PARTMODS fat search search_label search_fs_uuid serial terminal echo test configfile gzio all_video" \
	-o "$IMG" "$T" -- -volid ODFLASH_RESCUE -append_partition 3 0x0c "$W/odflash.fat" \
	>"$W/grub-mkrescue.log" 2>&1 ||
	{ tail -n 5 "$W/grub-mkrescue.log" >&2; die "grub-mkrescue failed (log: $W/grub-mkrescue.log)"; }
size=$(stat -c %s "$IMG")
say "done: $IMG, $size bytes ($((size / 1048576)) MiB; kernel $KV, $(wc -l <"$W/modules.list") modules, initrd $(stat -c %s "$T/boot/initrd.img") bytes, ODFLASH $FAT_MB MiB)"
[ "$size" -lt $((40 * 1048576)) ] || die "the image is $size bytes, over the 40 MiB limit"
