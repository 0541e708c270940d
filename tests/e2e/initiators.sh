#!/bin/bash
# Debian's own initiators against emulated drives through
# libodemu-preload.so (issue 13, "Third-party initiators in CI"): sg3-utils,
# sdparm, wodim, xorriso, libcdio-utils (cd-info) and eject, each answer
# checked against the drive's own account (odemu show --json, odemu log,
# odemu dumpflash); then odflash's real linux backend (not emu:) through
# the same preload and a fake sysfs tree (ODF_SYSFS_ROOT).  Every test
# name carries the Debian package version it ran.  The sg3_utils checks
# that tests/e2e/emu_sg3utils.sh makes (sg_inq identity and VPD 80h,
# READ BUFFER 2/3 headers, sg_write_buffer mode 7 and the bridge cap,
# the mode 5 bad image, NEC) are not repeated here.
#
# The nodes are /dev/sr0 + /dev/sg0 (spc-generic) and /dev/sr1 + /dev/sg1
# (nec-nd3500): libburn (xorriso) accepts only the /dev/srN it enumerates,
# N = 0..31 (libburn sg-linux.c linux_sg_device_family, e.g.
# deepin-community/libburn@0635109), and this container has no real ones.
. "$(dirname "$0")/lib/tap.sh"
B=${ODF_BIN:-build}
B=$(cd "$B" && pwd)
EMU=$B/odemu
ODF=$B/odflash
PRE=$B/libodemu-preload.so
T=$(mktemp -d "${TMPDIR:-/tmp}"/odf-initiators.XXXXXX)
trap 'rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/xdg
cd "$T" || exit 2
PRELOAD=$(preload_lib "$PRE")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
MAP=/dev/sg0=$T/spc,/dev/sr0=$T/spc,/dev/sg1=$T/nec,/dev/sr1=$T/nec
pl() { LD_PRELOAD=$PRELOAD ODEMU_MAP=$MAP "$@"; }
# one field of odemu show (jq -r: false and 0 print as such)
show() { "$EMU" show spc --json | jq -r "$1"; }
# the commands the drive received since mark (odemu log)
mark() { MARK=$("$EMU" log spc | wc -l); }
since() { "$EMU" log spc | tail -n +$((MARK + 1)); }
MARK=0
# expect NAME GREP-ARGS...: ok when grep finds it in stdin
expect() { local n=$1; shift; if has "$@"; then ok "$n"; else nok "$n"; fi; }

# ---- the packages -------------------------------------------------------------
declare -A VER
for p in coreutils sg3-utils sdparm wodim xorriso libcdio-utils eject; do
	v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
	if [ -z "$v" ]; then
		nok "Debian package $p installed" "run make deps (tools/deps.sh)"
		exit 1
	fi
	VER[$p]="$p $v"
	echo "# $p $v"
done
CU=${VER[coreutils]} SG=${VER[sg3-utils]} SD=${VER[sdparm]} WO=${VER[wodim]}
XO=${VER[xorriso]} CI=${VER[libcdio-utils]} EJ=${VER[eject]}

"$EMU" new spc-generic spc --serial SPC0001 >/dev/null 2>&1
"$EMU" new nec-nd3500 nec >/dev/null 2>&1
check "two emulated drives" "spc-generic nec-nd3500" \
	"$("$EMU" show spc --json | jget .model) $("$EMU" show nec --json | jget .model)"

# ---- the kernel's face: nodes and addresses --------------------------------
check "[$CU] stat: /dev/sr0 is block 11:0" "block special file 11:0" \
	"$(pl stat -c '%F %Hr:%Lr' /dev/sr0)"
check "[$CU] stat: /dev/sg1 is char 21:1" \
	"character special file 21:1" "$(pl stat -c '%F %Hr:%Lr' /dev/sg1)"
# sg_map pairs sg and sr nodes by SG_GET_SCSI_ID, SCSI_IOCTL_GET_IDLUN and
# SCSI_IOCTL_GET_BUS_NUMBER; each drive's nodes share H:C:T:L = 90+k:0:0:0
out=$(pl sg_map -x -i 2>&1) || true
check "[$SG] sg_map -x -i: sg0 = sr0 at 90:0:0:0, type 5, the spc identity" \
	"/dev/sg0  90 0 0 0  5  /dev/sr0  ODFLASH   GENERIC DVD-RW    1.00" \
	"$(sed -n 1p <<<"$out")"
check "[$SG] sg_map -x -i: sg1 = sr1 at 91:0:0:0, the NEC identity" \
	"/dev/sg1  91 0 0 0  5  /dev/sr1  _NEC      DVD_RW ND-3500AG  2.16" \
	"$(sed -n 2p <<<"$out")"

# ---- sg3-utils ------------------------------------------------------------------
run pl sg_inq /dev/sr0 >inq.txt 2>&1
check "[$SG] sg_inq on the block node /dev/sr0 answers (exit 0)" 0 "$RC"
check "[$SG] ... with odemu show's product" \
	"Product identification: $(show .product)" \
	"$(grep -o 'Product identification: .*' inq.txt | sed 's/ *$//')"
out=$(pl sg_inq -p 0 /dev/sg0 2>&1) || true
check "[$SG] sg_inq -p 0: the drive lists VPD pages 00h and 80h only" \
	"05 00 00 02 00 80" "$(tail -n 1 <<<"$out" | sed 's/^ *//;s/ *$//')"

run pl sg_requests /dev/sg0 >req.txt 2>&1
check "[$SG] sg_requests on a fresh drive: exit 0" 0 "$RC"
expect "[$SG] sg_requests: No Sense" \
	-x "Fixed format, current; Sense key: No Sense" <req.txt

out=$(pl sg_get_config /dev/sg0 2>&1) || true
check "[$SG] sg_get_config, no disc (odemu show disc=$(show .disc)): no current profile" \
	"No current profile" "$(sed -n 1p <<<"$out")"
expect "[$SG] sg_get_config lists DVD-ROM among the profiles" \
	-x "      profile: DVD-ROM , currentP=0" <<<"$out"
"$EMU" fault spc --disc on >/dev/null
run pl sg_turs /dev/sg0 >/dev/null 2>&1
check "[$SG] sg_turs after a disc went in: the unit attention (exit 6)" 6 "$RC"
run pl sg_turs /dev/sg0 >/dev/null 2>&1
check "[$SG] sg_turs again: ready (exit 0)" 0 "$RC"
out=$(pl sg_get_config /dev/sg0 2>&1) || true
check "[$SG] sg_get_config with a disc (odemu show disc=$(show .disc)): DVD-ROM" \
	"Current profile: DVD-ROM" "$(grep -m1 'Current profile' <<<"$out")"
"$EMU" fault spc --disc off >/dev/null
pl sg_turs /dev/sg0 >/dev/null 2>&1 || true	# the 06/28 of the disc change

out=$(pl sg_modes -p 0x2a /dev/sg0 2>&1) || true
check "[$SG] sg_modes -p 0x2a: page 2Ah, 26 bytes, tray/eject/lock (29h)" \
	"00     2a 1a 1f 13 71 03 29 03  21 13 01 00 08 00 21 13" \
	"$(grep -m1 '^ 00 ' <<<"$out" | sed 's/^ *//;s/ *$//')"

# sg_read_buffer 1.30 (sg3-utils 1.46) sets rb_len = 0 after parsing its
# options (src/sg_read_buffer.c main()), so every READ BUFFER it sends asks
# for 0 bytes, whatever --length says: pinned from the drive's log.
mark
run pl sg_read_buffer --mode=desc --length=4 /dev/sg0 >/dev/null 2>&1
check "[$SG] sg_read_buffer --mode=desc --length=4: exit 0" 0 "$RC"
check "[$SG] ... sent READ BUFFER mode 3 with allocation length 0 (its bug)" \
	"cdb=3c 03 00 00 00 00 00 00 00 00 dir=none len=0 status=0x00 sense=-" \
	"$(since | sed 's/^[0-9]* //')"
skip "[$SG] sg_read_buffer data against odemu dumpflash" \
	"sg_read_buffer 1.30 always sends allocation length 0 (rb_len = 0 in main()); the READ BUFFER data is compared through sg_raw below"
# the capacity from the drive's READ BUFFER mode 3 descriptor
d=$(pl sg_raw -r 4 /dev/sg0 3c 03 00 00 00 00 00 00 04 00 2>&1 |
	awk '$1 == "00" { print $3 $4 $5; exit }') || true
cap=$((16#${d:-0}))
check "[$SG] READ BUFFER mode 3: the capacity, 960 KiB" 983040 "$cap"
pl sg_raw -r "$cap" -o rb.bin /dev/sg0 3c 02 00 00 00 00 \
	$(printf '%02x %02x %02x' $((cap >> 16)) $((cap >> 8 & 255)) $((cap & 255))) 00 \
	>/dev/null 2>&1 || true
"$EMU" dumpflash spc -o flash.bin >/dev/null 2>&1
tail -c "$cap" flash.bin >fw.bin
check "[$SG] READ BUFFER mode 2, all $cap bytes, = the firmware region of odemu dumpflash" \
	"$(sha256sum <fw.bin | cut -c1-64)" "$(sha256sum <rb.bin | cut -c1-64)"

# WRITE BUFFER mode 5 (one transfer), then odflash verify through the
# preload (the linux backend reads the firmware back)
"$EMU" mkimage spc-generic --version 1.50 -o i150 >/dev/null 2>&1
run pl sg_write_buffer --mode=5 --in=i150 /dev/sg0 >/dev/null 2>&1
check "[$SG] sg_write_buffer --mode=5 of a 1.50 image: exit 0" 0 "$RC"
check "[$SG] ... odemu show: revision 1.50, one unit attention pending" \
	"1.50 1" "$(show .revision) $(show .pending_unit_attentions)"
run pl sg_requests /dev/sg0 >req.txt 2>&1
check "[$SG] sg_requests returns the unit attention (exit 0)" 0 "$RC"
expect "[$SG] ... Microcode has been changed" \
	-x "Additional sense: Microcode has been changed" <req.txt
check "[$SG] ... and odemu show has none left" 0 "$(show .pending_unit_attentions)"
run pl "$ODF" verify /dev/sg0 i150 --json >v.json 2>/dev/null
check "[$SG] odflash verify /dev/sg0 (linux backend, preload) of the mode 5 image" \
	"0 ok 1.50" "$RC $(jget .result <v.json) $(jget .revision_after <v.json)"

# modes 0Eh (segments, deferred) and 0Fh (activate)
"$EMU" mkimage spc-generic --version 1.60 -o i160 >/dev/null 2>&1
run pl sg_write_buffer --mode=0xe --bpw=65536 --in=i160 /dev/sg0 >/dev/null 2>&1
check "[$SG] sg_write_buffer --mode=0xe, 64 KiB segments: exit 0" 0 "$RC"
check "[$SG] ... deferred: odemu show still runs 1.50" 1.50 "$(show .revision)"
run pl sg_write_buffer --mode=0xf /dev/sg0 >/dev/null 2>&1
check "[$SG] sg_write_buffer --mode=0xf activates: exit 0" 0 "$RC"
check "[$SG] ... odemu show runs 1.60" 1.60 "$(show .revision)"
run pl "$ODF" verify /dev/sg0 i160 --json >v.json 2>/dev/null
check "[$SG] odflash verify /dev/sg0 of the 0Eh+0Fh image" \
	"0 ok 1.60" "$RC $(jget .result <v.json) $(jget .revision_after <v.json)"
"$EMU" dumpflash spc -o flash.bin >/dev/null 2>&1
check "[$SG] ... and odemu dumpflash holds the image byte for byte" \
	"$(sha256sum <i160 | cut -c1-64)" \
	"$(tail -c "$(wc -c <i160)" flash.bin | sha256sum | cut -c1-64)"

# mode 7 with 4 KiB chunks (emu_sg3utils sends 8 and 32 KiB), then verify
"$EMU" mkimage spc-generic --version 1.70 -o i170 >/dev/null 2>&1
run pl sg_write_buffer --mode=7 --bpw=4096 --in=i170 /dev/sg0 >/dev/null 2>&1
check "[$SG] sg_write_buffer --mode=7 --bpw=4096: exit 0" 0 "$RC"
run pl "$ODF" verify /dev/sg0 i170 --json >v.json 2>/dev/null
check "[$SG] odflash verify /dev/sg0 of the mode 7 image" \
	"0 ok 1.70" "$RC $(jget .result <v.json) $(jget .revision_after <v.json)"
pl sg_turs /dev/sg0 >/dev/null 2>&1 || true	# leave no unit attention

# ---- sdparm ---------------------------------------------------------------------
run pl sdparm --inquiry /dev/sr0 >sd.txt 2>sd.err
check "[$SD] sdparm --inquiry: the identity line is odemu show's" \
	"$(printf '    /dev/sr0: %-8s  %-16s  %-4s  [cd/dvd]' "$(show .vendor)" \
		"$(show .product)" "$(show .revision)")" \
	"$(sed -n 1p sd.txt)"
# it then asks for VPD 83h, which the drive does not list (see sg_inq -p 0)
check "[$SD] ... then exit 5: the drive has no device identification VPD page" \
	"5 INQUIRY fetching VPD page=0x83 failed" "$RC $(cat sd.err)"
out=$(pl sdparm -a /dev/sr0 2>&1) || true
expect "[$SD] sdparm -a shows the MM capabilities page" \
	-x "CD/DVD (MM) capabilities and mechanical status (MMC) mode page:" <<<"$out"
check "[$SD] sdparm -a: loading mechanism 1 (tray)" \
	"LMT           1  [cha: y, def:  1]" \
	"$(grep -m1 '^  LMT' <<<"$out" | sed 's/^ *//')"
run pl sdparm --command=eject /dev/sg0 >/dev/null 2>&1
check "[$SD] sdparm --command=eject: exit 0, odemu show tray_open" \
	"0 true" "$RC $(show .tray_open)"
run pl sdparm --command=load /dev/sg0 >/dev/null 2>&1
check "[$SD] sdparm --command=load: exit 0, tray closed" \
	"0 false" "$RC $(show .tray_open)"

# ---- wodim ------------------------------------------------------------------------
run pl wodim -checkdrive dev=/dev/sg0 >wo.txt 2>&1
check "[$WO] wodim -checkdrive dev=/dev/sg0: exit 0" 0 "$RC"
check "[$WO] ... vendor, identification, revision as odemu show" \
	"'$(show .vendor) ' '$(show .product)  ' '$(show .revision)'" \
	"$(sed -n 's/^Vendor_info    : //p;s/^Identification : //p;s/^Revision       : //p' wo.txt | paste -sd' ')"
expect "[$WO] ... Generic mmc2 DVD-R/DVD-RW" \
	-x "Device seems to be: Generic mmc2 DVD-R/DVD-RW." <wo.txt
run pl wodim -prcap dev=/dev/sg0 >wo.txt 2>&1
check "[$WO] wodim -prcap: exit 0" 0 "$RC"
check "[$WO] ... tray, eject, lockable, not locked (odemu tray_locked=$(show .faults.tray_locked))" \
	"  Loading mechanism type: tray|  Does support ejection of CD via START/STOP command|  Does allow media to be locked in the drive via PREVENT/ALLOW command|  Is not currently in a media-locked state" \
	"$(grep -E 'Loading mechanism|ejection of CD|to be locked|media-locked' wo.txt | paste -sd'|')"

# ---- eject: CDROMEJECT, CDROMCLOSETRAY, CDROM_DRIVE_STATUS, CDROM_LOCKDOOR ------
# eject refuses a device unless sysfs says it is removable or hotpluggable
# (util-linux sys-utils/eject.c is_ejectable: /sys/dev/block/11:0/...),
# which the preload does not fake; --force (-F) skips that check only.
run pl eject /dev/sr0 >/dev/null 2>&1
skip "[$EJ] eject without --force (exit $RC)" \
	"it reads /sys/dev/block/11:0/{removable,...} (is_ejectable), which the preload does not provide; the runs below use -F"
mark
run pl eject -F /dev/sr0 >/dev/null 2>&1
check "[$EJ] eject -F /dev/sr0: exit 0, odemu show tray_open" \
	"0 true" "$RC $(show .tray_open)"
expect "[$EJ] ... the drive got START STOP UNIT LoEj (1B ... 02)" \
	"cdb=1b 00 00 00 02 00 " <<<"$(since)"
run pl eject -F -t /dev/sr0 >/dev/null 2>&1
check "[$EJ] eject -F -t (CDROMCLOSETRAY): exit 0, tray closed" \
	"0 false" "$RC $(show .tray_open)"
mark
run pl eject -F -T /dev/sr0 >/dev/null 2>&1
check "[$EJ] eject -F -T on a closed tray (CDROM_DRIVE_STATUS): opens it" \
	"0 true" "$RC $(show .tray_open)"
expect "[$EJ] ... the status came from the drive (TEST UNIT READY)" \
	"cdb=00 00 00 00 00 00 " <<<"$(since)"
run pl eject -F -T /dev/sr0 >/dev/null 2>&1
check "[$EJ] eject -F -T on an open tray: closes it" \
	"0 false" "$RC $(show .tray_open)"
run pl eject -F -i on /dev/sr0 >/dev/null 2>&1
check "[$EJ] eject -F -i on (CDROM_LOCKDOOR 1): odemu show tray_locked" \
	"0 true" "$RC $(show .faults.tray_locked)"
out=$(pl wodim -prcap dev=/dev/sg0 2>&1) || true
expect "[$WO] ... wodim -prcap now reads the lock state from page 2Ah" \
	-x "  Is currently in a media-locked state" <<<"$out"
run pl sdparm --command=eject /dev/sg0 >/dev/null 2>&1
check "[$SD] ... sdparm --command=eject is refused by the locked drive (exit 5)" \
	"5 false" "$RC $(show .tray_open)"
run pl eject -F -i off /dev/sr0 >/dev/null 2>&1
check "[$EJ] eject -F -i off: unlocked" "0 false" "$RC $(show .faults.tray_locked)"

# ---- xorriso (libburn) --------------------------------------------------------------
run pl xorriso -outdev /dev/sr0 -toc >xo.txt 2>&1
check "[$XO] xorriso -outdev /dev/sr0 -toc, no disc: exit 0" 0 "$RC"
expect "[$XO] ... Media status : is not present (odemu disc=$(show .disc))" \
	-x "Media status : is not present" <xo.txt
check "[$XO] ... drive type as odemu show" \
	"Drive type   : vendor '$(show .vendor)' product '$(show .product)' revision '$(show .revision)'" \
	"$(grep -m1 '^Drive type' xo.txt)"
"$EMU" fault spc --disc on >/dev/null
run pl xorriso -outdev /dev/sr0 -toc >xo.txt 2>&1
check "[$XO] with a disc: the TOC odemu answers (READ TOC, one session)" \
	"Media blocks : 2295104 readable , 0 writable , 2295104 overall|Media current: DVD-ROM" \
	"$(grep -E '^Media (current|blocks)' xo.txt | sort -u | paste -sd'|')"

# ---- cd-info (libcdio): CDROM_SEND_PACKET, CDROMREADTOCHDR/ENTRY -------------------
mark
run pl cd-info --no-header /dev/sr0 >ci.txt 2>&1
check "[$CI] cd-info with a disc: exit 0" 0 "$RC"
check "[$CI] ... vendor/model/revision as odemu show" \
	"$(show .vendor)|$(show .product)|$(show .revision)" \
	"$(sed -n 's/^Vendor *: //p;s/^Model *: //p;s/^Revision *: //p' ci.txt | sed 's/ *$//' | paste -sd'|')"
# CDROM_SEND_PACKET always carries 12 bytes (scsi_cdrom_send_packet)
expect "[$CI] ... its INQUIRY came through CDROM_SEND_PACKET (a 12-byte CDB)" \
	"cdb=12 00 00 00 [0-9a-f][0-9a-f] 00 00 00 00 00 00 00 dir=in" <<<"$(since)"
check "[$CI] ... the track list from READ TOC: one data track at 00:02:00" \
	"CD-ROM Track List (1 - 1)|  1: 00:02:00  000000 data   false  no" \
	"$(grep -E '^CD-ROM Track List|^  1: ' ci.txt | sed 's/ *$//' | paste -sd'|')"
check "[$CI] ... can eject / close / lock (page 2Ah)" \
	"Yes|Yes|Yes" \
	"$(grep -E '^Can (eject|close tray|disable manual eject) ' ci.txt | sed 's/.*: //' | paste -sd'|')"
"$EMU" fault spc --disc off >/dev/null
run pl cd-info --no-header /dev/sr0 >ci.txt 2>&1
expect "[$CI] without a disc: CDROMREADTOCHDR fails with ENOMEDIUM (02/3A from READ TOC)" \
	-x "++ WARN: error in ioctl CDROMREADTOCHDR: No medium found" <ci.txt

# ---- odflash's linux backend through the preload and a fake sysfs ------------------
# sysfs as Linux lays it out (devname.c): an ATA host, the SCSI device with
# type/vendor/model/rev, its block/srN and scsi_generic/sgN children, and
# the class/ and block/ links
mkfake() { # k vendor model rev
	local h=$((90 + $1)) d
	d=sys/devices/pci0000:00/0000:00:1f.2/ata$(($1 + 1))/host$h/target$h:0:0/$h:0:0:0
	mkdir -p "$d/block/sr$1" "$d/scsi_generic/sg$1" \
		sys/class/scsi_device/$h:0:0:0 sys/class/scsi_generic/sg$1 \
		sys/block/sr$1/queue
	echo 5 >"$d/type"
	printf '%s\n' "$2" >"$d/vendor"
	printf '%s\n' "$3" >"$d/model"
	printf '%s\n' "$4" >"$d/rev"
	ln -s "../../../${d#sys/}" sys/class/scsi_device/$h:0:0:0/device
	ln -s "../../../${d#sys/}" sys/class/scsi_generic/sg$1/device
	ln -s "../../${d#sys/}" sys/block/sr$1/device
	echo 64 >sys/block/sr$1/queue/max_hw_sectors_kb
	echo 128 >sys/block/sr$1/queue/max_segments
}
mkfake 0 ODFLASH 'GENERIC DVD-RW' 1.70
mkfake 1 _NEC 'DVD_RW ND-3500AG' 2.16
run pl env ODF_SYSFS_ROOT="$T/sys" "$ODF" scan --json >scan.json 2>/dev/null
check "odflash scan (fake sysfs + preload): exit 0, two drives" \
	"0 2" "$RC $(jq '.drives | length' scan.json)"
check "... sr0 at 90:0:0:0 over sata/pata, its identity from the drive" \
	"/dev/sr0 90:0:0:0 sata/pata $(show .vendor) $(show .product) $(show .revision)" \
	"$(jq -r '.drives[0] | "\(.device) \(.hctl) \(.transport) \(.vendor) \(.model) \(.revision)"' scan.json)"
check "... sr1: the NEC, normal mode" \
	"/dev/sr1 91:0:0:0 DVD_RW ND-3500AG normal" \
	"$(jq -r '.drives[1] | "\(.device) \(.hctl) \(.model) \(.mode)"' scan.json)"
run pl env ODF_SYSFS_ROOT="$T/sys" "$ODF" -vv info /dev/sg0 --json >info.json 2>info.err
check "odflash info /dev/sg0: exit 0" 0 "$RC"
expect "... through the linux backend, bus and cap from the fake sysfs" \
	"opened /dev/sg0 (backend linux, bus sata/pata, max transfer 65536)" <info.err
check "... sr node, hctl, serial and revision: the drive's" \
	"/dev/sr0 90:0:0:0 $(show .serial) $(show .revision)" \
	"$(jq -r '"\(.block_device) \(.hctl) \(.serial) \(.revision)"' info.json)"
mkdir nosys
run pl env ODF_SYSFS_ROOT="$T/nosys" "$ODF" info /dev/sg0 --json >info.json 2>/dev/null
check "without a sysfs entry the node's major (stat: 21) still admits it" \
	"0 unknown null" "$RC $(jq -r '"\(.transport) \(.hctl)"' info.json)"
exit 0
