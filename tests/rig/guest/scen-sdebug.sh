# Scenario sdebug: the kernel's scsi_debug as an optical drive (ptype=5).
# It accepts WRITE BUFFER and raises UNIT ATTENTION 3F/16 (microcode
# changed) after a download, so a chunked SPC download only succeeds when
# the flasher handles the unit attention between chunks
# (docs/internals/rig.md §3).
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
# scsi_debug keeps its INQUIRY revision whatever it is sent, and it
# rejects READ BUFFER, so odflash can verify only by identity: the image
# carries the revision the drive reports (1.00), else the verify stage
# would rightly report a mismatch.
check "sdebug: odemu mkimage spc-generic" 0 odemu mkimage spc-generic -o /tmp/sd-spc.bin --version 1.00
check "sdebug: odflash info /dev/$sg" 0 odflash info /dev/$sg
has $W/out 'driver: *spc' && has $W/out 'does not advertise microcode download' &&
	ok "sdebug: info takes it with the spc driver and says it does not advertise microcode download" ||
	notok "sdebug: info takes it with the spc driver and says it does not advertise microcode download"
rm -f /tmp/sd-dump.bin
check "sdebug: odflash dump is refused with exit 5 (no READ BUFFER: no dump possible)" 5 \
	odflash dump /dev/$sg -o /tmp/sd-dump.bin
check "sdebug: odflash flash with a backup is refused with exit 5 (no backup possible)" 5 \
	odflash flash /dev/$sg /tmp/sd-spc.bin --yes
has $W/err 'no-backup' && ok "sdebug: the refusal names --no-backup" ||
	notok "sdebug: the refusal names --no-backup"
ua0=$(dmesg | grep -ci 'operating parameters on this target have changed')
check "sdebug: odflash flash (SPC WRITE BUFFER) succeeds across the unit attentions" 0 \
	odflash -v flash /dev/$sg /tmp/sd-spc.bin --yes --no-backup --chunk 32768
n=$(grep -c 'unit attention 06/3F/16, draining and resending' $W/err)
if [ "$n" -ge 1 ]; then
	ok "sdebug: odflash met the 3F/16 unit attention between chunks and resent ($n times)"
else
	notok "sdebug: odflash met the 3F/16 unit attention between chunks and resent"
fi
# the SCSI midlayer logs every 3F/xx unit attention it sees
if [ $(dmesg | grep -ci 'operating parameters on this target have changed') -gt $ua0 ]; then
	ok "sdebug: the kernel saw the microcode-changed unit attention"
else
	notok "sdebug: the kernel saw the microcode-changed unit attention"
fi
