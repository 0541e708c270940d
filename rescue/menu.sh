#!/bin/sh
# The rescue image's text menu (busybox sh: numbered choices read from the
# console; busybox has no dialog/whiptail).  Every action runs odflash,
# which asks its own confirmation before anything reaches a drive.
. /rescue/lib.sh
STICK_DEV=$(sed -n "s|^/dev/\([^ ]*\) $STICK vfat .*|\1|p" /proc/mounts)
[ -n "$STICK_DEV" ] || STICK_DEV=none

pause() { printf 'Press Enter for the menu. '; read -r _; }
# pick_drive: choose one drive; its device in $DEV
pick_drive() {
	drives >/tmp/drives
	if ! grep -q . /tmp/drives; then
		echo "No optical drive found. Check the cable/power, then rescan."; return 1
	fi
	i=0
	while IFS='|' read -r dev blk _ ven mod rev mode drv; do
		i=$((i + 1))
		echo "  $i) ${blk:-$dev}  $ven $mod  rev $rev  mode $mode  ($drv)"
	done </tmp/drives
	printf 'Drive number: '; read -r n
	DEV=$(sed -n "${n:-0}p" /tmp/drives 2>/dev/null | cut -d'|' -f1)
	[ -n "$DEV" ] || { echo "No drive $n."; return 1; }
}
pick_file() {
	fw_files >/tmp/fw
	if ! grep -q . /tmp/fw; then
		echo "No firmware files in $FW: copy them to the stick's firmware folder."; return 1
	fi
	i=0
	while read -r f; do i=$((i + 1)); echo "  $i) ${f##*/}"; done </tmp/fw
	printf 'File number: '; read -r n
	FILE=$(sed -n "${n:-0}p" /tmp/fw 2>/dev/null)
	[ -n "$FILE" ] || { echo "No file $n."; return 1; }
}
verdicts() {
	fw_files >/tmp/fw; drives >/tmp/drives
	grep -q . /tmp/fw || { echo "No firmware files in $FW."; return; }
	while read -r f; do
		echo "== ${f##*/}"
		odflash identify "$f" 2>&1 | sed 's/^/   /'
		while IFS='|' read -r dev blk _ _ mod _ _ _; do
			# a dry run runs every check and changes nothing
			if odflash flash "$dev" "$f" --dry-run -q >/dev/null 2>/tmp/why; then
				echo "   ${blk:-$dev} ($mod): fits: would flash"
			else
				echo "   ${blk:-$dev} ($mod): refused: $(grep -v '^hint' /tmp/why | head -n 1 | sed 's/^odflash: //')"
			fi
		done </tmp/drives
	done </tmp/fw
}
while :; do
	echo
	echo "=== odflash rescue ==="
	if [ "$STICK_DEV" = none ]; then
		echo "  WARNING: no ODFLASH stick: backups and journal are in RAM only."
	else
		echo "  stick /dev/$STICK_DEV: firmware in firmware/, backups+journal in odflash-state/"
	fi
	echo "  1) Drives (scan)"
	echo "  2) Firmware files: what they are, and which drive each fits"
	echo "  3) Back up, flash and verify a drive"
	echo "  4) Recover a drive in safe/boot mode (from the journal)"
	echo "  5) History (journal)"
	echo "  6) Look for the ODFLASH stick again"
	echo "  7) Shell (exit to come back)"
	echo "  8) Power off    9) Reboot"
	printf 'Choice: '
	read -r c || exit 0
	case $c in
	1) odflash scan; pause ;;
	2) verdicts; pause ;;
	3) if pick_drive && pick_file; then
		# odflash backs the firmware up to odflash-state/backups, flashes,
		# reads it back; then one more verify against the file
		odflash flash "$DEV" "$FILE" && odflash verify "$DEV" "$FILE"
		echo "odflash exit code $?"; sync
	   fi; pause ;;
	4) if pick_drive; then
		odflash recover "$DEV"; echo "odflash exit code $?"; sync
	   fi; pause ;;
	5) odflash history; pause ;;
	6) [ "$STICK_DEV" = none ] && umount $STICK 2>/dev/null
	   [ "$STICK_DEV" = none ] && mount_stick 3; pause ;;
	7) sh -l ;;
	8) sync; umount $STICK; poweroff -f ;;
	9) sync; umount $STICK; reboot -f ;;
	*) echo "Choose 1-9." ;;
	esac
done
