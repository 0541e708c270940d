# Scenario sdebug: the kernel's scsi_debug as an optical drive (ptype=5).
# It accepts WRITE BUFFER and raises UNIT ATTENTION 3F/16 (microcode
# changed) after a download, so a chunked SPC download only succeeds when
# the flasher handles the unit attention between chunks (research rig.md).
# Its INQUIRY is made to look like odemu's spc-generic model, so that the
# image `odemu mkimage spc-generic` makes is for this drive.
# busybox modprobe splits a quoted "A B" option at the space, so the
# product (which has a space) is written to the module parameter after
# loading, padded to its 16 bytes; scsi_debug copies it into every INQUIRY
# answer (drivers/scsi/scsi_debug.c, inq_product is S_IWUSR).
modprobe scsi_debug ptype=5 removable=1 dev_size_mb=16 \
	inq_vendor=ODFLASH inq_product=GENERIC inq_rev=1.00
printf '%-16s' 'GENERIC DVD-RW' >/sys/module/scsi_debug/parameters/inq_product
wait_sg scsi_debug 1
sg=$(sgs_of scsi_debug | head -n 1)
if [ -z "$sg" ]; then
	notok "sdebug: scsi_debug ptype=5 appeared"
	return 0 2>/dev/null || exit 0
fi
sr=$(sr_of $sg)
echo "RIG: scsi_debug -> /dev/$sg /dev/$sr $(hctl_of $sg) model '$(cat /sys/class/scsi_generic/$sg/device/model)'"
check "sdebug: odemu mkimage spc-generic" 0 odemu mkimage spc-generic -o /tmp/sd-spc.bin --version 1.01
check "sdebug: odflash info /dev/$sg" 0 odflash info /dev/$sg
check "sdebug: odflash flash (SPC WRITE BUFFER) succeeds across the unit attentions" 0 \
	odflash flash /dev/$sg /tmp/sd-spc.bin --yes --no-backup --chunk 32768
# the SCSI midlayer logs every 3F/xx unit attention it sees
if dmesg | grep -qi 'operating parameters on this target have changed'; then
	ok "sdebug: the drive raised the microcode-changed unit attention"
else
	notok "sdebug: the drive raised the microcode-changed unit attention"
fi
