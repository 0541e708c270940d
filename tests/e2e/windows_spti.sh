#!/bin/bash
# Issue #19, "the SPTI path itself": odflash.exe (make windows) under
# Debian's Wine 8 sending SCSI commands through SPTI (libsgutils2's
# sg_pt_win32: IOCTL_SCSI_PASS_THROUGH on \\.\D:) to an emulated drive:
# scan, info, flash, verify, and the emulator's state after them.
#
# Sources (read there; facts in our words; measured on Debian's wine64
# 8.0~repack-4): wine-mirror/wine@0507f4413b9d dlls/ntdll/unix/cdrom.c
# (cdrom_DeviceIoControl, CDROM_ScsiPassThrough, GetInquiryData,
# CDROM_GetInterfaceInfo), wine-mirror/wine@03250f02e949
# dlls/mountmgr.sys/device.c (harddisk_ioctl, create_drive_devices),
# Debian sg3-utils 1.46-3 lib/sg_pt_win32.c (get_scsi_pdt, do_scsi_pt).
#
# How Wine carries it: D: is a CD-ROM
# drive of Wine's configuration (HKLM\Software\Wine\Drives d: = cdrom,
# as winecfg sets it) whose Unix device is the dosdevices/d:: link.
# CreateFile("\\.\D:") opens that device in wineserver, which hands the
# program its descriptor; IOCTL_SCSI_PASS_THROUGH goes to
# dlls/ntdll/unix/cdrom.c CDROM_ScsiPassThrough, an ioctl SG_IO on it.
# Here d:: is a placeholder file that libodemu-preload.so, loaded into
# odflash.exe's Wine process, takes for the drive (ODEMU_MAP): it answers
# SG_IO as Linux's sr driver would.  wineserver runs without the preload
# (it only opens the file).
#
# What Wine 8.0 cannot carry, measured and pinned here:
#  - the drive must be at SCSI address 0:0:0 of its host, and on host 0:
#    Wine has no IOCTL_STORAGE_QUERY_PROPERTY for a Unix device, so
#    sg_pt_win32 (sg3_utils 1.46 lib/sg_pt_win32.c get_scsi_pdt) falls
#    back to IOCTL_SCSI_GET_INQUIRY_DATA and sends no command unless its
#    PathId/TargetId/Lun are those of the name (0/0/0 for a drive letter);
#    Wine puts the Linux SCSI host number in PathId (cdrom.c
#    CDROM_GetInterfaceInfo, GetInquiryData).  On host 90 every command
#    fails with EIO before any IOCTL_SCSI_PASS_THROUGH: only Wine's own
#    INQUIRY (36 bytes) reaches the drive.
#  - \\.\CdRom0, and \\.\D: when wineserver cannot open d:: (here a
#    missing file), open the mount manager's device (its \Device\CdRom0)
#    instead of the Unix device, whose ioctl handler has no SCSI
#    pass-through (dlls/mountmgr.sys/device.c harddisk_ioctl:
#    "Unsupported ioctl 4d004", 0x4D004 = IOCTL_SCSI_PASS_THROUGH,
#    Microsoft ntddscsi.h): odflash says the OS refused INQUIRY.
# Not covered by Wine at all: IOCTL_STORAGE_QUERY_PROPERTY's adapter
# descriptor (transport and max transfer print "unknown") and
# IOCTL_STORAGE_GET_DEVICE_NUMBER's CdRomN (cdrom.c answers a stub).
# A loud "# SKIP" with the reason where no cross compiler or Wine can run.
. "$(dirname "$0")/lib/tap.sh"
R=$(cd "$(dirname "$0")/../.." && pwd)
e2e_tmp windows-spti
WIN=${ODF_WIN:-$R/build/win}
WINE=${WINE:-wine}
WINESERVER=${WINESERVER:-wineserver}
PRE=$B/libodemu-preload.so

skip_all() { skip windows_spti "$1"; exit 0; }
command -v x86_64-w64-mingw32-gcc-posix >/dev/null 2>&1 ||
	skip_all "no x86_64-w64-mingw32-gcc-posix (Debian gcc-mingw-w64-x86-64: make deps)"
command -v "$WINE" >/dev/null 2>&1 ||
	skip_all "no $WINE (Debian wine, wine64: make deps)"
command -v "$WINESERVER" >/dev/null 2>&1 ||
	skip_all "no $WINESERVER (Debian wine64: make deps)"
[ -f "$PRE" ] || skip_all "no $PRE (make)"
# Wine loads the preload into its own processes: a sanitizer build would
# need the ASan runtime first in them; make check runs this test in the
# plain build (CHECK_PLAIN_ONLY)
ldd "$PRE" 2>/dev/null | has libasan &&
	skip_all "$PRE is a sanitizer build; this test runs in the plain build"

# the Wine prefix of this test alone (its drive letters and registry
# change here; windows.sh keeps its own)
export WINEPREFIX=${ODF_SPTI_PREFIX:-$WIN/wineprefix-spti} WINEDEBUG=-all
mkdir -p "$WINEPREFIX"
if ! "$WINE" cmd /c ver </dev/null >"$T/ver.txt" 2>&1; then
	skip_all "$WINE cannot run a 64-bit Windows program here: $(tr -d '\r' <"$T/ver.txt" | head -c 300)"
fi
(cd "$R" && make -s windows) >"$T/build.log" 2>&1 || {
	nok "make windows" "$(tail -n 5 "$T/build.log" | tr '\n' ' ')"
	exit 1
}
DOS=$WINEPREFIX/dosdevices
stop_wine() { "$WINESERVER" -k </dev/null >/dev/null 2>&1 || true
	"$WINESERVER" -w </dev/null >/dev/null 2>&1 || true; }
trap 'stop_wine; rm -f "$DOS/d:" "$DOS/d::"; rm -rf "$T"' EXIT

winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
ODFW=$(winpath "$WIN/odflash.exe")
EMU=$B/odemu
mkdir -p "$T/cdmnt" "$T/state"
: >"$T/sr0"
for s in d ref; do
	"$EMU" new nec-nd3500 "$T/$s.state" --version 1.00 --serial EMU0001 \
		>/dev/null 2>&1 || { nok "odemu new nec-nd3500 $s.state"; exit 1; }
done
"$EMU" mkimage nec-nd3500 -o "$T/good.bin" --version 2.00 >/dev/null 2>&1 ||
	{ nok "odemu mkimage nec-nd3500 2.00"; exit 1; }
cmds() { emu "$T/d.state" .counters.commands; }

# odflash.exe NAME ARGS...: one run with the preload and the drive at
# dosdevices/d:: (HOST: ODEMU_HOST_BASE, default 0); stdout,
# stderr (Wine's trace lines included) and the exit code in T/NAME.*
NRUN=0
odfw() {
	local name=$1; shift
	NRUN=$((NRUN + 1))
	RC=0
	LD_PRELOAD=$PRE ODEMU_MAP="$T/sr0=$T/d.state" \
	ODEMU_HOST_BASE=${HOST:-0} \
	ODFLASH_STATE_DIR="$(winpath "$T/state")" \
	WINEDEBUG=-all,trace+cdrom,fixme+mountmgr \
		"$WINE" "$ODFW" "$@" </dev/null >"$T/$name.out" 2>"$T/$name.err" ||
		RC=$?
	tr -d '\r' <"$T/$name.out" >"$T/$name.o"
	tr -d '\r' <"$T/$name.err" >"$T/$name.e"
}
# start Wine's server and services (the mount manager reads the drive
# letters then) without the preload: only odflash.exe talks to the drive
# (the mount manager's fixme lines go to T/services.err)
start_wine() {
	"$WINESERVER" -p 300 </dev/null >/dev/null 2>&1
	WINEDEBUG=-all,fixme+mountmgr "$WINE" cmd /c exit </dev/null \
		>/dev/null 2>"$T/services.err" || true
}
drive_links() { ln -sfn "$T/cdmnt" "$DOS/d:"; ln -sfn "$T/sr0" "$DOS/d::"; }

# ---- D: a CD-ROM drive of Wine's configuration ------------------------------
stop_wine
rm -f "$DOS/d:" "$DOS/d::"
"$WINE" reg add 'HKLM\Software\Wine\Drives' /v d: /t REG_SZ /d cdrom /f \
	</dev/null >/dev/null 2>&1 || nok "wine reg add d: = cdrom"
stop_wine			# the registry reaches the disk
drive_links
start_wine

odfw scan scan
check "scan through SPTI exits 0" 0 "$RC"
says "... lists D: with the emulated drive's identity" "$(cat "$T/scan.o")" \
	'\\.\D:' "_NEC" "DVD_RW ND-3500AG" "1.00" "nec"
# Wine's IOCTL_STORAGE_GET_DEVICE_NUMBER is a stub (cdrom.c
# CDROM_GetDeviceNumber: FILE_DEVICE_DISK), so no \\.\CdRomN beside D:
if has -F 'CdRom' <"$T/scan.o"; then
	nok "... with no CdRomN (Wine's device number is a stub)" "$(cat "$T/scan.o")"
else ok "... with no CdRomN (Wine's device number is a stub)"; fi

odfw info info D:
check "info D: through SPTI exits 0" 0 "$RC"
says "... identifies the emulated drive" "$(cat "$T/info.o")" \
	"device:          D:" "vendor:          _NEC" \
	"model:           DVD_RW ND-3500AG" "revision:        1.00" \
	"serial:          EMU0001" "driver:          nec"
says "... Wine has no adapter descriptor (IOCTL_STORAGE_QUERY_PROPERTY)" \
	"$(cat "$T/info.o")" "transport:       unknown" "max transfer:    unknown"
n_spt=$(grep -c "cdrom_DeviceIoControl .* IOCTL_SCSI_PASS_THROUGH " "$T/info.e" || true)
if [ "$n_spt" -gt 0 ]; then
	ok "... each command an IOCTL_SCSI_PASS_THROUGH in Wine's cdrom.c ($n_spt)"
else nok "... each command an IOCTL_SCSI_PASS_THROUGH in Wine's cdrom.c" "none in the trace"; fi

sha0=$(fsha "$T/d.state")
odfw flash flash D: "$(winpath "$T/good.bin")" --yes
check "flash D: good.bin through SPTI exits 0" 0 "$RC"
[ "$RC" = 0 ] || grep -v "trace:\|block " "$T/flash.o" "$T/flash.e" | sed "s/^/#   /" | head -20
says "... 1.00 -> 2.00, read back" "$(cat "$T/flash.o")" "1.00 -> 2.00" \
	"verified by reading the firmware back"
check "the emulated drive now reports 2.00" 2.00 "$(emu "$T/d.state" .revision)"
sha1=$(fsha "$T/d.state")
if [ "$sha1" != "$sha0" ]; then ok "the emulated flash changed"
else nok "the emulated flash changed"; fi
# the same image flashed by the Linux odflash into a twin drive
run "$B/odflash" -q flash "emu:$T/ref.state" "$T/good.bin" --yes --no-backup \
	>/dev/null
check "the Linux odflash flashes the twin drive (exit 0)" 0 "$RC"
check "the flash equals the twin's, flashed by the Linux odflash" \
	"$(fsha "$T/ref.state")" "$sha1"
backup=$(find "$T/state" -name '*_1.00_*.bin' | head -n 1)
if [ -s "$backup" ]; then ok "the old firmware was backed up"
else nok "the old firmware was backed up"; fi
# the backup's path as printed: joined the Windows way (no '/' in it)
bline=$(grep -ho 'Z:\\[^ ]*backups[^ ]*\.bin' "$T/flash.o" "$T/flash.e" 2>/dev/null | head -n 1)
case $bline in
*backups\\*_1.00_*.bin) case $bline in
	*/*) nok "the backup's path is printed the Windows way" "$bline" ;;
	*) ok "the backup's path is printed the Windows way" ;;
	esac ;;
*) nok "the backup's path is printed the Windows way" "no Z:\\...backups\\....bin in the flash's output" ;;
esac

odfw verify verify D: "$(winpath "$T/good.bin")"
check "verify D: good.bin through SPTI exits 0" 0 "$RC"
says "... read back and compared" "$(cat "$T/verify.o")" "the drive holds" \
	"revision 2.00"
if [ -s "$backup" ]; then
	odfw verify-old verify D: "$(winpath "$backup")"
	check "verify D: against the old firmware exits 7" 7 "$RC"
fi

# ---- pinned: \\.\CdRom0 is the mount manager's device ------------------------
# (Wine's mount manager names D: \Device\CdRom0; \\.\CdRom0 opens that
# device object, never the Unix device)
c0=$(cmds)
n4d0=$(grep -c "harddisk_ioctl Unsupported ioctl 4d004" "$T/services.err" || true)
odfw cdrom0 info CdRom0
check "info CdRom0 exits 3 (the OS refused the command)" 3 "$RC"
says "... odflash: the OS refused INQUIRY" "$(cat "$T/cdrom0.e")" \
	"odflash: INQUIRY: INQUIRY failed: the operating system refused it"
n4d1=$(grep -c "harddisk_ioctl Unsupported ioctl 4d004" "$T/services.err" || true)
if [ "$n4d1" -gt "$n4d0" ]; then
	ok "... Wine: the mount manager has no IOCTL_SCSI_PASS_THROUGH (0x4d004)"
else nok "... Wine: the mount manager has no IOCTL_SCSI_PASS_THROUGH (0x4d004)" \
	"$(tail -n 3 "$T/services.err" | tr -d '\r')"; fi
check "... no command reached the drive" "$c0" "$(cmds)"

# ---- pinned: the drive on SCSI host 90 --------------------------------------
c0=$(cmds)
HOST=90 odfw h90 info D:
check "drive on SCSI host 90: info exits 3" 3 "$RC"
says "... odflash: the OS refused INQUIRY (sg_pt_win32: EIO)" \
	"$(cat "$T/h90.e")" "INQUIRY failed: the operating system refused it (Input/output error)"
says "... sg_pt_win32 fell back to IOCTL_SCSI_GET_INQUIRY_DATA" \
	"$(cat "$T/h90.e")" "IOCTL_SCSI_GET_INQUIRY_DATA"
if has -F "IOCTL_SCSI_PASS_THROUGH " <"$T/h90.e"; then
	nok "... and sent no IOCTL_SCSI_PASS_THROUGH"
else ok "... and sent no IOCTL_SCSI_PASS_THROUGH"; fi
# what reached the drive: Wine's own INQUIRY (GetInquiryData, 36 bytes)
# and, at the last close, the sr driver's PREVENT ALLOW MEDIUM REMOVAL 0
# (the preload's cdrom_release); none of odflash's commands
c1=$(cmds)
"$EMU" log "$T/d.state" | awk -v a="$c0" '$1 > a' >"$T/h90.log"
n_inq=$(grep -c "cdb=12 00 00 00 24 00 " "$T/h90.log" || true)
n_rel=$(grep -c "cdb=1e 00 00 00 00 00 " "$T/h90.log" || true)
if [ "$n_inq" -gt 0 ] && [ $((n_inq + n_rel)) = $((c1 - c0)) ]; then
	ok "... the drive saw only Wine's own INQUIRY ($n_inq) and the release ($n_rel)"
else nok "... the drive saw only Wine's own INQUIRY" "$(tr '\n' ';' <"$T/h90.log")"; fi

# ---- pinned: d:: names a device wineserver cannot open ----------------------
stop_wine
ln -sfn "$T/missing" "$DOS/d::"
start_wine
c0=$(cmds)
odfw mm info D:
check "d:: missing: info exits 3" 3 "$RC"
says "... odflash: the OS refused INQUIRY" "$(cat "$T/mm.e")" \
	"odflash: INQUIRY: INQUIRY failed: the operating system refused it"
says "... Wine: the mount manager has no IOCTL_SCSI_PASS_THROUGH (0x4d004)" \
	"$(tr -d '\r' <"$T/services.err")" "harddisk_ioctl Unsupported ioctl 4d004"
check "... no command reached the drive" "$c0" "$(cmds)"

echo "# windows_spti: $NRUN odflash.exe runs under $(tr -d '\r' <"$T/ver.txt" | grep -m1 "Windows" || echo wine)"
exit $((TAP_FAILS > 0))
