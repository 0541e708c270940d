# Functions of the odflash rescue image (sourced by /init and the menu;
# busybox sh).  The stick's FAT partition labelled ODFLASH is mounted at
# $STICK; firmware files are read from $STICK/firmware, the journal and
# the backups go to $STICK/odflash-state (ODFLASH_STATE_DIR), each boot's
# log to $STICK/rescue.log.  Optical drives are never mounted, and never
# read for a label.
STICK=/odflash
FW=$STICK/firmware
LOG=/run/rescue.log
export ODFLASH_STATE_DIR=$STICK/odflash-state

uptime_s() { cut -d' ' -f1 /proc/uptime; }
# say TEXT: to the console, the serial port (if there is one) and the log
say() {
	echo "$*"
	echo "$*" >>$LOG
	[ -n "${SERIAL_MIRROR:-}" ] && echo "$*" >$SERIAL_MIRROR 2>/dev/null
	return 0
}
# keep the log on the stick (when it is there) after every job
save_log() {
	[ "$STICK_DEV" != none ] && cat $LOG >>$STICK/rescue.log 2>/dev/null
	: >$LOG
	sync
}

# cmdline KEY: the value of odflash.KEY= on the kernel command line
cmdline() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^odflash\.$1=//p" | tail -n 1
}
# cfg KEY: KEY=VALUE from $STICK/odflash.cfg ('#' comments, last wins)
cfg() {
	[ -f $STICK/odflash.cfg ] || return 0
	tr -d '\r' <$STICK/odflash.cfg |
		sed -n "s/^[ \t]*$1[ \t]*=[ \t]*\(.*[^ \t]\)[ \t]*$/\1/p" | tail -n 1
}

# ---- drivers: load what the hardware asks for (no udev: coldplug by
# the modalias files sysfs lists, modprobe resolves them through
# modules.alias), then what the image always needs
coldplug() {
	# shellcheck disable=SC2038 # sysfs names have no blanks
	find /sys/devices -name modalias 2>/dev/null | xargs cat 2>/dev/null |
		sort -u | xargs -r -n 20 modprobe -q -a 2>/dev/null
	return 0
}
load_drivers() {
	modprobe -q usb-storage delay_use=0
	for m in sr_mod sg sd_mod vfat nls_cp437 nls_utf8 nls_ascii; do
		modprobe -q $m
	done
	coldplug
	# hubs and devices behind them appear after their controller's driver:
	# a second pass picks up usb-storage/uas/usbhid for them
	sleep 0.3
	coldplug
}

# ---- the ODFLASH partition.  Candidates: every block device but optical
# drives (sr*), loop, ram and zram devices; the label is read from the
# FAT boot sector (offset 2Bh on FAT12/16, 47h on FAT32: Microsoft's FAT
# specification, "FAT: General Overview of On-Disk Format", BS_VolLab)
has_label() {
	for off in 43 71; do
		[ "$(dd if=/dev/$1 bs=1 skip=$off count=11 2>/dev/null)" = "ODFLASH    " ] &&
			return 0
	done
	return 1
}
find_stick() {
	for d in /sys/class/block/*; do
		b=${d##*/}
		case $b in sr*|loop*|ram*|zram*) continue ;; esac
		[ -e /dev/$b ] && has_label $b && { echo $b; return 0; }
	done
	return 1
}
# mount_stick [SECONDS]: wait up to SECONDS for the stick (USB sticks
# appear a moment after their controller) and mount it read-write;
# without one, the state lives in RAM and the menu says so
STICK_DEV=none
mount_stick() {
	i=0 n=$((${1:-10} * 5))
	mkdir -p $STICK
	while [ $i -lt $n ]; do
		b=$(find_stick) && break
		[ $((i % 5)) = 4 ] && coldplug
		sleep 0.2; i=$((i + 1))
	done
	# long names in UTF-8 (nls_utf8), short ones in code page 437
	if [ -n "${b:-}" ] && mount -t vfat \
		-o rw,noatime,flush,quiet,uid=0,gid=0,fmask=0177,dmask=0077,iocharset=utf8,codepage=437 \
		/dev/$b $STICK; then
		STICK_DEV=$b
		mkdir -p $FW $ODFLASH_STATE_DIR
		say "rescue: ODFLASH partition /dev/$b mounted at $STICK (uptime $(uptime_s) s)"
		return 0
	fi
	[ -n "${b:-}" ] && say "rescue: /dev/$b is labelled ODFLASH but cannot be mounted (dmesg says why)"
	mount -t tmpfs -o mode=0700 odflash-ram $STICK
	mkdir -p $FW $ODFLASH_STATE_DIR
	STICK_DEV=none
	say "rescue: WARNING: no partition labelled ODFLASH found (booted from a CD?):"
	say "rescue: backups and the journal are kept in RAM only and LOST at power-off."
	say "rescue: plug in a USB stick with a FAT partition labelled ODFLASH, then rescan."
	return 1
}

# ---- drives: "device|block|hctl|vendor|model|revision|mode|driver" per
# line, from odflash scan --json (one object per drive)
drives() {
	odflash scan --json 2>/dev/null | sed 's/^{"drives":\[//; s/\]}$//; s/},{/}\n{/g' |
	while read -r o; do
		[ -n "$o" ] || continue
		f() { echo "$o" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
		echo "$(f device)|$(f block_device)|$(f hctl)|$(f vendor)|$(f model)|$(f revision)|$(f mode)|$(f driver)"
	done
}
# match_drive MATCH: the device of the one drive whose line contains
# MATCH (case-insensitive); "any" or "*" = the only drive there is.
# Exit 0 with the device on stdout, 1 none, 2 more than one.
match_drive() {
	drives >/tmp/drives
	case $1 in any|'*') cp /tmp/drives /tmp/matched ;;
	*) grep -iF -- "$1" /tmp/drives >/tmp/matched ;; esac
	n=$(grep -c . /tmp/matched)
	[ "$n" = 1 ] || return $((n == 0 ? 1 : 2))
	cut -d'|' -f1 /tmp/matched
}
# fw_path NAME: a firmware file by name (relative to firmware/ or to the
# stick's top), or an absolute path
fw_path() {
	case $1 in /*) echo "$1" ;;
	*) if [ -f "$FW/$1" ]; then echo "$FW/$1"; else echo "$STICK/$1"; fi ;;
	esac
}
fw_files() { find $FW -maxdepth 1 -type f 2>/dev/null | sort; }

# ---- one non-interactive job: KIND:MATCH[:FILE]
#   flash:MATCH:FILE    back up, flash FILE (odflash reads it back), verify
#   recover:MATCH[:FILE] recover; without FILE the journal names it
#   backup:MATCH        dump the firmware to the stick's backups
# MATCH may not contain ':' (use /dev/srN, /dev/sgN or model text).
# Returns odflash's exit code; 1 for a job that cannot be understood or
# matched.  Every step and its result go to the log.
run_job() {
	job=$1
	kind=${job%%:*}; rest=${job#*:}
	[ "$rest" = "$job" ] && rest=
	m=${rest%%:*}; file=${rest#*:}
	[ "$file" = "$rest" ] && file=
	say "rescue: job '$job' (uptime $(uptime_s) s)"
	case $kind in
	flash) [ -n "$m" ] && [ -n "$file" ] || { job_bad "flash needs flash:MATCH:FILE"; return 1; } ;;
	recover|backup) [ -n "$m" ] || { job_bad "$kind needs $kind:MATCH"; return 1; } ;;
	*) job_bad "unknown job kind '$kind' (flash, recover, backup)"; return 1 ;;
	esac
	dev=$(match_drive "$m"); r=$?
	if [ $r != 0 ]; then
		[ $r = 1 ] && job_bad "no drive matches '$m'" ||
			job_bad "more than one drive matches '$m': name one (/dev/srN)"
		sed 's/^/rescue:   drive /' /tmp/drives | while read -r l; do say "$l"; done
		return 1
	fi
	say "rescue: drive $dev: $(cut -d'|' -f4-6 /tmp/matched | tr '|' ' ')"
	if [ -n "$file" ]; then
		p=$(fw_path "$file")
		[ -f "$p" ] || { job_bad "firmware file '$file' not found in $FW"; return 1; }
		say "rescue: file $p sha256 $(sha256sum "$p" | cut -d' ' -f1)"
	fi
	case $kind in
	flash) step flash odflash flash "$dev" "$p" --yes ;;
	recover) if [ -n "$file" ]; then step recover odflash recover "$dev" "$p" --yes
		 else step recover odflash recover "$dev" --yes; fi ;;
	backup) step backup odflash dump "$dev" -o "$ODFLASH_STATE_DIR/backups/dump-$(date -u +%Y%m%dT%H%M%SZ).bin" ;;
	esac
	r=$?
	say "rescue: JOB-RESULT $kind exit $r (uptime $(uptime_s) s)"
	return $r
}
job_bad() {
	say "rescue: JOB-RESULT error: $*"
}
# step NAME CMD...: run, log output and exit code, return it
step() {
	n=$1; shift
	say "rescue: \$ $*"
	mkdir -p $ODFLASH_STATE_DIR/backups
	"$@" >/tmp/step.out 2>&1
	r=$?
	while IFS= read -r l; do
		case $l in *": "*"% "*" bytes "*) continue ;; esac  # progress lines
		say "  $l"
	done </tmp/step.out
	say "rescue: $n: exit $r"
	return $r
}
