#!/bin/bash
# Boot test of the rescue image (issue #17): `make check-rescue`.
# Builds the test image (tools/mkrescue.sh --test: the shipped image plus
# odemu, the TCMU modules and tests/rescue/hook.sh), then boots it under
# QEMU (KVM when tests/rig/accel.sh finds it usable, else TCG; nice) as a
# USB stick (qemu-xhci + usb-storage) with an ide-cd beside it:
#   1. SeaBIOS, -M pc (ata_piix): job flash:ND-3500AG:nec-217.bin
#      -> backup, its sidecar and the journal's ok line with the image's
#      sha256, read from the stick with mtools after QEMU exits
#   2. OVMF, -M q35 (ahci): the same job with nec-218.bin and a power cut
#      part way through programming (odemu fault --power-cut-after-bytes)
#      -> exit 6, the journal says failed
#   3. SeaBIOS: job recover:ND-3500AG (no file: the journal names it)
#      -> the journal's recover ok line with nec-218.bin's sha256
# then the shipped image (tools/mkrescue.sh), its menu driven over the
# serial port by tests/rescue/menu-drive.py, with QEMU's own drives only:
#   4. SeaBIOS: a job matching QEMU's ide-cd is refused (exit 5), then the
#      menu: scan, files and verdicts, flash (refused), history, shell
#      (nothing optical mounted), power off; the journal on the stick
#   5. OVMF: AHCI ide-cd + a USB DVD drive (usb-bot + scsi-cd), no job:
#      scan lists both, flash on one is refused, shell, power off
#   6. SeaBIOS, the image as a CD (-cdrom): no ODFLASH stick, the warning,
#      scan lists the boot CD's drive, no files, shell, power off
# Prints each boot's time to the rescue's ready line (host wall clock
# from QEMU's start, and the guest's uptime), QEMU's CPU seconds for
# boots 1-3, and BOOT-TO-JOB (boots 1-3) and BOOT-TO-MENU (boots 4-6)
# summaries.  A loud "# SKIP" where QEMU, OVMF or the image cannot be
# had.  tests/e2e/rescue.sh (make check) runs boots 1-3 (RESCUE_PART=jobs).
# Where the time goes (TCG, 2 shared cores, load average 7-8, measured
# with a job that matches no drive): SeaBIOS + GRUB to "Booting" 2.5 s,
# then about 19 s until the kernel's clock starts (GRUB reading the 8 MB
# xz bzImage and the initrd through the BIOS over USB, the bzImage
# unpacking itself); /init at 2.8 s of guest uptime (3.1-3.5 s in the
# make check runs; 5.0-6.8 s with the former xz initramfs), the stick
# mounted at 5.3 s, ready at 8.6 s (the hook's TCMU drive: test image
# only); then the job: about 0.1 s per command to the emulated drive, as
# odemu tcmu loads and saves its 2 MB state for each (850 commands for
# the flash job's backup, flash and read-back).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/e2e/lib/tap.sh"
set +e
OUT=$ROOT/build/rescue/test
mkdir -p "$OUT"
TMO=${RESCUE_TIMEOUT:-480}
IMG=$OUT/test.img
export MTOOLS_SKIP_CHECK=1

t0=$(date +%s)
"$ROOT/tools/mkrescue.sh" --test "$IMG" 2>"$OUT/build.log"
rc=$?
if [ $rc = 2 ]; then
	skip "rescue boot" "RESCUE NOT RUN: $(tail -n 1 "$OUT/build.log")"; exit 0
fi
[ $rc = 0 ] || { nok "rescue: tools/mkrescue.sh --test (exit $rc, log $OUT/build.log)"; sed 's/^/# /' "$OUT/build.log" | tail -n 20; exit 1; }
ok "rescue: test image built in $(( $(date +%s) - t0 )) s ($(stat -c %s "$IMG") bytes)"
command -v qemu-system-x86_64 >/dev/null ||
	{ skip "rescue boot" "RESCUE NOT RUN: qemu-system-x86_64 not installed (apt-get install qemu-system-x86)"; exit 0; }
# KVM when it works (tests/rig/accel.sh probes it), else TCG
. "$ROOT/tests/rig/accel.sh"
qemu_accel "$ROOT/build/rescue/work1/iso/boot/vmlinuz" "$OUT"
echo "# rescue: QEMU accelerator $ACCEL: $ACCEL_WHY"
OVMF=
for f in /usr/share/ovmf/OVMF.fd /usr/share/OVMF/OVMF.fd; do [ -f $f ] && { OVMF=$f; break; }; done

# the ODFLASH partition: the one whose FAT label is ODFLASH, found in the
# MBR's four entries (16 bytes each from offset 446, the start LBA as a
# little-endian 32-bit word at +8: the MBR layout, UEFI spec 2.10 §5.2.1)
fat_offset() {
	local i lba
	for i in 0 1 2 3; do
		lba=$(od -An -tu4 -j $((446 + 16 * i + 8)) -N4 "$1" | tr -d ' ')
		[ "${lba:-0}" -gt 0 ] || continue
		[ "$(mlabel -i "$1@@$((lba * 512))" -s :: 2>/dev/null | sed 's/.* is //; s/ *$//')" = ODFLASH ] &&
			{ echo $((lba * 512)); return 0; }
	done
	return 1
}
P=$(fat_offset "$IMG")
[ -n "$P" ] && ok "rescue: the image has a FAT partition labelled ODFLASH (offset $P)" ||
	{ nok "rescue: the image has a FAT partition labelled ODFLASH"; exit 1; }
FAT="$IMG@@$P"

"$ROOT/build/odemu" mkimage nec-nd3500 -o "$OUT/nec-217.bin" --version 2.17 >/dev/null 2>&1 &&
"$ROOT/build/odemu" mkimage nec-nd3500 -o "$OUT/nec-218.bin" --version 2.18 >/dev/null 2>&1 ||
	{ nok "rescue: odemu mkimage"; exit 1; }
# the journal's sha256 is the firmware image's, as odflash identify gives it
# (an NEC file's 6-byte header is not part of it)
fsum() { "$ROOT/build/odflash" identify --json "$1" | jq -r '.files[0].sha256'; }
S217=$(fsum "$OUT/nec-217.bin")
S218=$(fsum "$OUT/nec-218.bin")
mcopy -o -i "$FAT" "$OUT/nec-217.bin" "$OUT/nec-218.bin" ::/firmware/ &&
	ok "rescue: firmware files placed on the stick with mcopy" ||
	nok "rescue: firmware files placed on the stick with mcopy"

# set_cfg LINES: the stick's odflash.cfg
set_cfg() { printf '%s\n' "$@" >"$OUT/odflash.cfg"; mcopy -o -i "$FAT" "$OUT/odflash.cfg" ::/odflash.cfg; }
# boot NAME FIRMWARE(seabios|ovmf): boot once; the console in $OUT/NAME.log
boot() {
	local name=$1 fw=$2 m=pc bios=() con=$OUT/$1.log s e ready
	if [ $fw = ovmf ]; then m=q35; bios=(-bios "$OVMF"); fi
	rm -f "$con"
	s=$(date +%s.%N)
	# the subshell's `times` (a bash builtin): QEMU's CPU seconds, which a
	# loaded host does not change the way it stretches the wall clock
	( nice -n 10 timeout "$TMO" qemu-system-x86_64 -M $m -accel $ACCEL -m 512 -smp 1 \
		"${bios[@]}" -display none -no-reboot -monitor none -serial "file:$con" \
		-device qemu-xhci,id=xhci \
		-drive "if=none,id=stick,format=raw,file=$IMG" \
		-device usb-storage,bus=xhci.0,drive=stick,removable=on \
		-drive "if=none,id=cd0,media=cdrom,readonly=on" -device ide-cd,drive=cd0 \
		</dev/null >"$OUT/$name.qemu.log" 2>&1
	  r=$?; times >"$OUT/$name.cpu"; exit $r ) &
	local pid=$! t='' cpu=''
	# the host's time to the ready line: poll the console log
	while kill -0 $pid 2>/dev/null; do
		if [ -z "$t" ] && grep -q 'ODFLASH-RESCUE-READY' "$con" 2>/dev/null; then
			t=$(date +%s.%N)
		fi
		sleep 0.2
	done
	wait $pid; QRC=$?
	e=$(date +%s.%N)
	cpu=$(sed -n '2s/m/ /g; 2s/s//g; 2p' "$OUT/$name.cpu" 2>/dev/null |
		awk '{ printf "%.1f", $1 * 60 + $2 + $3 * 60 + $4 }')
	# the guest's uptime at each step: /init starts, the stick is mounted,
	# the ready line, the job ends (the console read once)
	local log ginit gstick gjob
	log=$(tr -d '\r' <"$con" 2>/dev/null)
	ready=$(sed -n 's/.*ODFLASH-RESCUE-READY uptime \([0-9.]*\) s.*/\1/p' <<<"$log" | head -n 1)
	ginit=$(sed -n 's/^rescue: odflash .*, uptime \([0-9.]*\) s$/\1/p' <<<"$log" | head -n 1)
	gstick=$(sed -n 's/^rescue: ODFLASH partition .*(uptime \([0-9.]*\) s)$/\1/p' <<<"$log" | head -n 1)
	gjob=$(sed -n 's/^rescue: JOB-RESULT .*(uptime \([0-9.]*\) s)$/\1/p' <<<"$log" | head -n 1)
	# seconds from QEMU's start: to the ready line, to its exit
	local host='' whole
	[ -z "$t" ] || host=$(awk "BEGIN { printf \"%.1f\", $t - $s }")
	whole=$(awk "BEGIN { printf \"%.1f\", $e - $s }")
	if [ -n "$t" ]; then
		echo "# rescue boot $name ($fw, $ACCEL): BOOT-TO-JOB guest uptime ${ready} s at the ready line, $host s after QEMU started; QEMU exit $QRC after $whole s, ${cpu:-?} s of CPU"
		echo "# rescue boot $name: guest uptime at /init ${ginit:-?} s, stick mounted ${gstick:-?} s, ready ${ready} s, job ended ${gjob:-?} s"
		JOB_TIMES="$JOB_TIMES $name/$fw: guest ${ready} s, host $host s, whole boot $whole s wall, ${cpu:-?} s CPU;"
	else
		echo "# rescue boot $name ($fw): no ready line; QEMU exit $QRC after $whole s"
	fi
	if [ $QRC = 124 ]; then nok "rescue: boot $name did not end within $TMO s (console $con)"; return 1; fi
	[ -s "$con" ] || { skip "rescue boot $name" "RESCUE NOT RUN: QEMU did not start: $(tail -n 1 "$OUT/$name.qemu.log")"; return 2; }
	[ -n "$t" ] && ok "rescue: boot $name ($fw) reached the ready line" ||
		{ nok "rescue: boot $name ($fw) reached the ready line (console $con)"; return 1; }
}
JOB_TIMES=
# stick_journal: the journal from the stick
stick_journal() { mtype -i "$FAT" ::/odflash-state/journal.jsonl 2>/dev/null; }

# RESCUE_PART=jobs|menu runs only boots 1-3 or 4-6 (default: all)
if [ "${RESCUE_PART:-all}" != menu ]; then
	# ---- boot 1: SeaBIOS, backup + flash + read-back
	set_cfg "job=flash:ND-3500AG:nec-217.bin" "after=poweroff"
	if boot seabios1 seabios; then
		has() { tr -d '\r' <"$OUT/seabios1.log" | grep -qE "$1"; }
		has 'JOB-RESULT flash exit 0' && ok "rescue: SeaBIOS: the flash job ended with exit 0" ||
			nok "rescue: SeaBIOS: the flash job ended with exit 0"
		has 'drive /dev/s[rg][0-9]+: _NEC DVD_RW ND-3500AG' &&
			ok "rescue: the job matched the emulated drive, not QEMU's ide-cd" ||
			nok "rescue: the job matched the emulated drive, not QEMU's ide-cd"
		bk=$(mdir -b -i "$FAT" ::/odflash-state/backups/ 2>/dev/null | grep -E '2\.16_.*\.bin$' | head -n 1)
		if [ -n "$bk" ]; then
			ok "rescue: the backup is on the stick (${bk##*/})"
			mcopy -n -i "$FAT" "$bk" "$OUT/backup.bin" && mcopy -n -i "$FAT" "$bk.json" "$OUT/backup.json" &&
			[ "$(jq -r .sha256 "$OUT/backup.json")" = "$(sha256sum "$OUT/backup.bin" | cut -d' ' -f1)" ] &&
			[ "$(jq -r .valid "$OUT/backup.json")" = true ] &&
				ok "rescue: its sidecar is on the stick, valid, with the backup's sha256" ||
				nok "rescue: its sidecar is on the stick, valid, with the backup's sha256"
		else
			nok "rescue: the backup is on the stick"
		fi
		n=$(stick_journal | jq -c "select(.op == \"flash\" and .phase == \"outcome\" and .result == \"ok\" and .sha256 == \"$S217\" and .revision_after == \"2.17\")" | wc -l)
		[ "$n" = 1 ] && ok "rescue: the stick's journal has the flash's ok line with nec-217.bin's sha256" ||
			nok "rescue: the stick's journal has the flash's ok line with nec-217.bin's sha256 ($n lines)"
		mtype -i "$FAT" ::/rescue.log 2>/dev/null | grep -q 'JOB-RESULT flash exit 0' &&
			ok "rescue: rescue.log on the stick records the job" ||
			nok "rescue: rescue.log on the stick records the job"
		tr -d '\r' <"$OUT/seabios1.log" | grep -q ' /dev/sr[0-9]* .*vfat\| on /dev/sr' &&
			nok "rescue: no optical drive was mounted" || ok "rescue: no optical drive was mounted"
	fi

	# ---- boot 2: OVMF, a power cut part way through programming
	if [ -z "$OVMF" ]; then
		skip "rescue boot on OVMF" "RESCUE NOT RUN on UEFI: no OVMF.fd (apt-get install ovmf)"
	else
		set_cfg "job=flash:ND-3500AG:nec-218.bin" "after=poweroff"
		echo "--power-cut-after-bytes 300000" >"$OUT/fault"
		mmd -i "$FAT" ::/test 2>/dev/null
		mcopy -o -i "$FAT" "$OUT/fault" ::/test/fault
		if boot ovmf-cut ovmf; then
			tr -d '\r' <"$OUT/ovmf-cut.log" | grep -q 'JOB-RESULT flash exit 6' &&
				ok "rescue: OVMF: the flash cut part way ends with exit 6" ||
				nok "rescue: OVMF: the flash cut part way ends with exit 6"
			# the job's backup comes before the cut: the 2.17 that boot 1 flashed
			bk=$(mdir -b -i "$FAT" ::/odflash-state/backups/ 2>/dev/null | grep -E '2\.17_.*\.bin$' | head -n 1)
			if [ -n "$bk" ] && mcopy -n -i "$FAT" "$bk" "$OUT/backup-ovmf.bin" &&
				mcopy -n -i "$FAT" "$bk.json" "$OUT/backup-ovmf.json" &&
				[ "$(jq -r .sha256 "$OUT/backup-ovmf.json")" = "$(sha256sum "$OUT/backup-ovmf.bin" | cut -d' ' -f1)" ] &&
				[ "$(jq -r .valid "$OUT/backup-ovmf.json")" = true ]; then
				ok "rescue: OVMF: the job's backup (${bk##*/}) and its valid sidecar are on the stick"
			else
				nok "rescue: OVMF: the job's backup of 2.17 and its valid sidecar are on the stick (${bk:-none})"
			fi
			n=$(stick_journal | jq -c "select(.op == \"flash\" and .phase == \"outcome\" and .result != \"ok\" and .sha256 == \"$S218\")" | wc -l)
			[ "$n" = 1 ] && ok "rescue: the stick's journal records the failed flash" ||
				nok "rescue: the stick's journal records the failed flash ($n lines)"
			# ---- boot 3: recover from the journal
			set_cfg "job=recover:ND-3500AG" "after=poweroff"
			if boot seabios-recover seabios; then
				tr -d '\r' <"$OUT/seabios-recover.log" | grep -q 'JOB-RESULT recover exit 0' &&
					ok "rescue: the second boot recovers the drive (exit 0)" ||
					nok "rescue: the second boot recovers the drive (exit 0)"
				n=$(stick_journal | jq -c "select(.op == \"recover\" and .phase == \"outcome\" and .result == \"ok\" and .sha256 == \"$S218\" and .revision_after == \"2.18\")" | wc -l)
				[ "$n" = 1 ] && ok "rescue: the journal's recover ok line names nec-218.bin's sha256" ||
					nok "rescue: the journal's recover ok line names nec-218.bin's sha256 ($n lines)"
			fi
		fi
	fi
fi

# ---- boots 4-6: the shipped image's interactive menu, driven over the
# serial port (tests/rescue/menu-drive.py: GRUB's second entry puts the
# menu there), with QEMU's own drives only: the NEC file must be refused
# on them, and nothing optical is ever mounted.  These boots also give
# the boot-to-menu time of the image users get (no test hook).
BOOT_TIMES=
if [ "${RESCUE_PART:-all}" != jobs ]; then
	"$ROOT/tools/mkrescue.sh" 2>"$OUT/build-shipped.log"
	rc=$?
	if [ $rc != 0 ]; then
		nok "rescue: tools/mkrescue.sh (the shipped image; exit $rc, log $OUT/build-shipped.log)"
	else
		MD="READY-UPTIME - PROMPT-WALL - QEMU-EXIT - WALL -"
		MIMG=$OUT/menu.img
		cp "$ROOT/build/odflash-rescue.img" "$MIMG"
		MP=$(fat_offset "$MIMG")
		MFAT="$MIMG@@$MP"
		mcopy -o -i "$MFAT" "$OUT/nec-217.bin" ::/firmware/
		# script lines: E REGEX NAME (expect), S TEXT (send), A REGEX NAME
		# (absent from the text the last expect matched)
		E() { printf 'expect\t%s\t%s\n' "$1" "$2" >>"$SCR"; }
		S() { printf 'send\t%s\n' "$1" >>"$SCR"; }
		A() { printf 'absent\t%s\t%s\n' "$1" "$2" >>"$SCR"; }
		grub_serial() {  # GRUB: the entry "menu on the serial port" (Ctrl-N, Enter)
			E 'executed automatically in' "$1: GRUB's menu on the serial port"
			S '\x0e'; S '\r'
		}
		shell_no_sr() {  # the menu's shell: nothing optical mounted
			S '7\r'
			S 'echo MOUNTED-SR=$(grep -c ^/dev/sr /proc/mounts) MOUNTED-ISO=$(grep -c iso9660 /proc/mounts); exit\r'
			E 'MOUNTED-SR=0 MOUNTED-ISO=0' "$1: menu 7 (shell): no optical drive is mounted"
			E 'Choice: ' "$1: back in the menu after the shell"
		}
		# menu_boot NAME FW QEMU-ARGS...: run $SCR against one boot; relays
		# its ok/not ok lines and counts the failures
		menu_boot() {
			local name=$1 fw=$2 m=pc bios=() line
			shift 2
			if [ $fw = ovmf ]; then m=q35; bios=(-bios "$OVMF"); fi
			while IFS= read -r line; do
				echo "$line"
				case $line in "not ok"*) TAP_FAILS=$((TAP_FAILS + 1)) ;;
				"# menu-drive: "*) MD=${line#\# menu-drive: } ;; esac
			done < <(python3 -u "$ROOT/tests/rescue/menu-drive.py" --log "$OUT/$name.log" \
				--timeout "$TMO" --script "$SCR" -- nice -n 10 qemu-system-x86_64 \
				-M $m -accel "$ACCEL" -m 512 -smp 1 "${bios[@]}" -display none \
				-no-reboot -monitor none "$@" 2>&1)
			set -- $MD
			MENU_READY=$2 MENU_PROMPT=$4
			[ "$6" = 0 ] && ok "rescue: $name: menu 8 powers off (QEMU exit 0 after $8 s)" ||
				nok "rescue: $name: menu 8 powers off (QEMU exit $6, console $OUT/$name.log)"
			echo "# rescue boot $name ($fw, $ACCEL): BOOT-TO-MENU guest uptime $MENU_READY s at the ready line, menu prompt $MENU_PROMPT s after QEMU started"
			BOOT_TIMES="$BOOT_TIMES $name/$fw: guest ${MENU_READY} s, host ${MENU_PROMPT} s;"
		}

		# boot 4: SeaBIOS, USB stick + QEMU's ide-cd (empty tray): a job that
		# matches the ide-cd and must be refused, then the menu (after=menu)
		printf '%s\n' "job=flash:QEMU:nec-217.bin" "after=menu" >"$OUT/odflash.cfg"
		mcopy -o -i "$MFAT" "$OUT/odflash.cfg" ::/odflash.cfg
		SCR=$OUT/menu-seabios.script; : >"$SCR"
		grub_serial "menu SeaBIOS"
		E 'ODFLASH-RESCUE-READY uptime [0-9.]+ s, drives: 1, stick: sd[a-z][0-9]' "menu SeaBIOS: ready with one drive (the ide-cd) and the stick mounted"
		E 'drive /dev/sr0: QEMU QEMU DVD-ROM' "menu SeaBIOS: the job matches QEMU's ide-cd"
		E 'JOB-RESULT flash exit 5 ' "menu SeaBIOS: the job's flash is refused with exit 5 (the NEC file does not fit)"
		E 'Choice: ' "menu SeaBIOS: the menu follows the job (after=menu)"
		S '1\r'
		E '/dev/sr0 +[0-9:]+ +QEMU +QEMU DVD-ROM[^\n]*\nPress Enter' "menu SeaBIOS: 1 (scan) lists the ide-cd"
		S '\r'; E 'Choice: ' "menu SeaBIOS: back in the menu"
		S '2\r'
		E '== nec-217\.bin\n[^\n]*nec [^\n]*version 2\.17[^\n]*\n +/dev/sr0 \(QEMU DVD-ROM\): refused: the image does not fit this drive' "menu SeaBIOS: 2 (files) identifies nec-217.bin and says it does not fit the ide-cd"
		S '\r'; E 'Choice: ' "menu SeaBIOS: back in the menu"
		S '3\r'; E 'Drive number: ' "menu SeaBIOS: 3 asks for a drive"
		S '1\r'; E 'File number: ' "menu SeaBIOS: then for a file"
		S '1\r'
		E 'odflash exit code 5\n' "menu SeaBIOS: 3 (flash) on the ide-cd is refused with exit 5"
		A 'flashed|backup of the old firmware' "menu SeaBIOS: and nothing was backed up or flashed"
		S '\r'; E 'Choice: ' "menu SeaBIOS: back in the menu"
		S '5\r'
		E 'flash +refused +/dev/sr0 QEMU QEMU DVD-ROM[^\n]*exit 5(.|\n)*flash +refused +/dev/sr0[^\n]*exit 5' "menu SeaBIOS: 5 (history) shows both refusals"
		S '\r'; E 'Choice: ' "menu SeaBIOS: back in the menu"
		shell_no_sr "menu SeaBIOS"
		S '8\r'
		menu_boot menu-seabios seabios -device qemu-xhci,id=xhci \
			-drive "if=none,id=stick,format=raw,file=$MIMG" \
			-device usb-storage,bus=xhci.0,drive=stick,removable=on \
			-drive "if=none,id=cd0,media=cdrom,readonly=on" -device ide-cd,drive=cd0
		n=$(mtype -i "$MFAT" ::/odflash-state/journal.jsonl 2>/dev/null | jq -c 'select(.op == "flash" and .phase == "outcome")' | grep -c '"result":"refused"')
		m=$(mtype -i "$MFAT" ::/odflash-state/journal.jsonl 2>/dev/null | jq -c 'select(.result == "ok")' | grep -c .)
		[ "$n" = 2 ] && [ "$m" = 0 ] && ok "rescue: menu SeaBIOS: the stick's journal has the 2 refusals and no ok line" ||
			nok "rescue: menu SeaBIOS: the stick's journal has the 2 refusals and no ok line ($n refused, $m ok)"

		# boot 5: OVMF (q35: the ide-cd on AHCI) plus a USB DVD drive
		# (usb-bot + scsi-cd), no job: straight to the menu
		if [ -n "$OVMF" ]; then
			printf '%s\n' "# no job" >"$OUT/odflash.cfg"
			mcopy -o -i "$MFAT" "$OUT/odflash.cfg" ::/odflash.cfg
			SCR=$OUT/menu-ovmf.script; : >"$SCR"
			grub_serial "menu OVMF"
			E 'ODFLASH-RESCUE-READY uptime [0-9.]+ s, drives: 2, stick: sd[a-z][0-9]' "menu OVMF: ready with two drives (AHCI ide-cd, USB scsi-cd) and the stick"
			E 'Choice: ' "menu OVMF: the menu comes up (no job)"
			A 'JOB-RESULT' "menu OVMF: no job ran"
			S '1\r'
			E '(/dev/sr[01] [^\n]*QEMU +QEMU (DVD|CD)-ROM[^\n]*\n){2}Press Enter' "menu OVMF: 1 (scan) lists both QEMU drives"
			A 'usb[^\n]*\n[^\n]*usb' "menu OVMF: only one of them is on USB"
			A 'sata/pata[^\n]*\n[^\n]*sata/pata' "menu OVMF: only one of them is on ATA"
			S '\r'; E 'Choice: ' "menu OVMF: back in the menu"
			S '3\r'; E '1\) /dev/sr[01] [^\n]*\n +2\) /dev/sr[01] [^\n]*\nDrive number: ' "menu OVMF: 3 offers both drives"
			S '2\r'; E 'File number: ' "menu OVMF: then a file"
			S '1\r'
			E 'odflash exit code 5\n' "menu OVMF: 3 (flash) on the second QEMU drive is refused with exit 5"
			S '\r'; E 'Choice: ' "menu OVMF: back in the menu"
			shell_no_sr "menu OVMF"
			S '8\r'
			menu_boot menu-ovmf ovmf -device qemu-xhci,id=xhci \
				-drive "if=none,id=stick,format=raw,file=$MIMG" \
				-device usb-storage,bus=xhci.0,drive=stick,removable=on \
				-drive "if=none,id=cd0,media=cdrom,readonly=on" -device ide-cd,drive=cd0 \
				-drive "if=none,id=cd1,media=cdrom,readonly=on" -device usb-bot,bus=xhci.0,id=bot \
				-device scsi-cd,bus=bot.0,drive=cd1
		fi

		# boot 6: SeaBIOS from the image as a CD (-cdrom: ide-cd with the
		# disc): no ODFLASH partition to be had, the menu warns; the boot
		# CD's drive is listed and not mounted
		SCR=$OUT/menu-cdrom.script; : >"$SCR"
		grub_serial "CD boot"
		E 'WARNING: no partition labelled ODFLASH found' "CD boot: the rescue warns that there is no ODFLASH stick"
		E 'ODFLASH-RESCUE-READY uptime [0-9.]+ s, drives: 1, stick: none' "CD boot: ready, the boot CD's drive found, no stick"
		E 'WARNING: no ODFLASH stick: backups and journal are in RAM only\.(.|\n)*Choice: ' "CD boot: the menu repeats the warning"
		S '1\r'
		E '/dev/sr0 [^\n]*QEMU +QEMU DVD-ROM[^\n]*\nPress Enter' "CD boot: 1 (scan) lists the drive holding the boot CD"
		S '\r'; E 'Choice: ' "CD boot: back in the menu"
		S '2\r'
		E 'No firmware files in /odflash/firmware' "CD boot: 2 says there are no firmware files"
		S '\r'; E 'Choice: ' "CD boot: back in the menu"
		shell_no_sr "CD boot"
		S '8\r'
		cp "$ROOT/build/odflash-rescue.img" "$OUT/cd.img"
		menu_boot menu-cdrom seabios -cdrom "$OUT/cd.img"
	fi
fi
[ -z "$JOB_TIMES" ] || echo "# rescue: BOOT-TO-JOB ($ACCEL):$JOB_TIMES"
[ -z "$BOOT_TIMES" ] || echo "# rescue: BOOT-TO-MENU ($ACCEL):$BOOT_TIMES"
echo "# rescue: $(( $(date +%s) - t0 )) s in all, $TAP_FAILS failed; consoles in $OUT"
exit $((TAP_FAILS > 0))
