# Scenario qemu: QEMU's own CD drives, ide-cd (ATAPI via ata_piix/libata)
# and scsi-cd (virtio-scsi).  odflash scan finds them, info reads them,
# and dump/flash refuse with a message, changing nothing (QEMU answers
# READ/WRITE BUFFER with 05/20/00: docs/internals/rig.md §2): no dump or
# backup possible is exit 5 (as for a protocol without a dump), a rejected
# WRITE BUFFER exit 3.
# They
# advertise no microcode download, so the spc driver takes them and tries:
# with a backup, READ BUFFER is rejected; with --no-backup, the first
# WRITE BUFFER is.  The trays are empty (run.sh), as for any flash: with
# a disc in, odflash refuses unless --eject is given.
modprobe ata_piix; modprobe virtio_pci; modprobe virtio_scsi
wait_sg ata_piix 1
wait_sg virtio_scsi 1
odemu mkimage spc-generic -o /tmp/qemu-spc.bin >/dev/null 2>&1 ||
	notok "qemu: odemu mkimage spc-generic"
run odflash scan --json
cp $W/out /tmp/qemu-scan.json
scan_rc=$RC
for drv in ata_piix virtio_scsi; do
	sg=$(sgs_of $drv | head -n 1)
	if [ -z "$sg" ]; then notok "qemu $drv: no sg device appeared"; continue; fi
	sr=$(sr_of $sg)
	echo "RIG: $drv -> /dev/$sg /dev/$sr $(hctl_of $sg)"
	if [ "$scan_rc" = 0 ] && grep -q "\"/dev/$sr\"" /tmp/qemu-scan.json &&
		grep -q '"QEMU' /tmp/qemu-scan.json; then
		ok "qemu $drv: odflash scan lists /dev/$sr"
	else
		notok "qemu $drv: odflash scan lists /dev/$sr (exit $scan_rc)"
	fi
	check "qemu $drv: odflash info /dev/$sr" 0 odflash info /dev/$sr --json &&
		{ has $W/out '"vendor":"QEMU"' && has $W/out '"model":"QEMU (DVD|CD)-ROM"' &&
			ok "qemu $drv: info shows vendor QEMU, model QEMU DVD/CD-ROM" ||
			notok "qemu $drv: info shows vendor QEMU, model QEMU DVD/CD-ROM"; }
	sg_inq /dev/$sg >/tmp/inq-before 2>&1
	rm -f /tmp/qemu-dump.bin
	check "qemu $drv: odflash dump is refused with exit 5 (no dump possible)" 5 \
		odflash dump /dev/$sg -o /tmp/qemu-dump.bin
	if [ -s $W/err ] && [ ! -e /tmp/qemu-dump.bin ]; then
		ok "qemu $drv: dump says why and writes no file"
	else
		notok "qemu $drv: dump says why and writes no file"
	fi
	check "qemu $drv: odflash flash with a backup is refused with exit 5 (no backup possible)" 5 \
		odflash flash /dev/$sg /tmp/qemu-spc.bin --yes --crossflash --backup /tmp/qemu-bk.bin
	if [ -s $W/err ] && [ ! -e /tmp/qemu-bk.bin ]; then
		ok "qemu $drv: flash says why and leaves no backup file behind"
	else
		notok "qemu $drv: flash says why and leaves no backup file behind"
	fi
	check "qemu $drv: odflash flash --no-backup is rejected with exit 3" 3 \
		odflash flash /dev/$sg /tmp/qemu-spc.bin --yes --crossflash --no-backup
	# ide-cd answers 05/20/00; scsi-cd with an empty tray answers the
	# commands it does not know with 02/3A/00 (QEMU checks the medium
	# first)
	if has $W/err 'rejected the first write command' && has $W/err '(05/20/00|02/3A/00)' &&
		has $W/err 'nothing was written' && ! has $W/err 'odflash recover'; then
		ok "qemu $drv: the first WRITE BUFFER is refused and odflash says nothing was written"
	else
		notok "qemu $drv: the first WRITE BUFFER is refused and odflash says nothing was written"
	fi
	sg_inq /dev/$sg >/tmp/inq-after 2>&1
	if cmp -s /tmp/inq-before /tmp/inq-after; then
		ok "qemu $drv: drive unchanged after the refused commands"
	else
		notok "qemu $drv: drive unchanged after the refused commands"
	fi
done
