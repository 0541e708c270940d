# Third-party tools (sg3-utils) agree with odflash on the emulated drives
# served by `odemu tcmu` (sourced by scen-tcmu.sh: $sg = NEC, $spcsg = spc).
run sg_inq /dev/$sg
if [ $RC = 0 ] && has $W/out 'Vendor identification: _NEC' &&
	has $W/out 'Product identification: DVD_RW ND-3500AG'; then
	ok "tools: sg_inq /dev/$sg shows _NEC DVD_RW ND-3500AG"
else
	notok "tools: sg_inq /dev/$sg shows _NEC DVD_RW ND-3500AG"
fi
run sg_inq /dev/$(sr_of $sg)
has $W/out 'ND-3500AG' && ok "tools: sg_inq through the sr node" ||
	notok "tools: sg_inq through the sr node"
# an opcode no model knows: the drive (not the kernel) answers 05/20/00
run sg_raw -v /dev/$sg e7 00 00 00 00 00 00 00 00 00 00 00
if [ $RC != 0 ] && has $W/err 'Invalid command operation code'; then
	ok "tools: an unknown opcode gets 05/20/00 from the emulated drive"
else
	notok "tools: an unknown opcode gets 05/20/00 from the emulated drive"
fi
if [ -z "$spcsg" ]; then
	notok "tools: the spc-generic drive is exposed"
else
	# READ BUFFER descriptor (mode 3) and data (mode 2) with sg_raw (not
	# sg_read_buffer: the Debian 12 one ignores --length,
	# docs/internals/rig.md §6)
	run sg_raw -r 4 -o /tmp/rb-desc.bin /dev/$spcsg 3c 03 00 00 00 00 00 00 04 00
	if [ $RC = 0 ] && [ $(wc -c </tmp/rb-desc.bin) = 4 ]; then
		ok "tools: sg_raw READ BUFFER descriptor on /dev/$spcsg"
	else
		notok "tools: sg_raw READ BUFFER descriptor on /dev/$spcsg (exit $RC)"
	fi
	run sg_raw -r 4096 -o /tmp/rb-data.bin /dev/$spcsg 3c 02 00 00 00 00 00 10 00 00
	rb_rc=$RC
	check "tools: odflash dump --raw of the spc drive" 0 \
		odflash dump /dev/$spcsg --raw -o /tmp/spc-raw.bin
	if [ $rb_rc = 0 ] && [ -s /tmp/rb-data.bin ] &&
		cmp -n 4096 /tmp/rb-data.bin /tmp/spc-raw.bin; then
		ok "tools: sg_raw READ BUFFER data = the first 4 KiB of odflash's dump"
	else
		notok "tools: sg_raw READ BUFFER data = the first 4 KiB of odflash's dump (sg_raw exit $rb_rc)"
	fi
	# READ BUFFER mode 2 reads the firmware region only: spc-generic's
	# 1 MiB flash holds its boot loader in block 0 and the firmware
	# from 0x10000 to the end (emu/models.c fw_start/fw_len), so the
	# ground truth is the whole flash minus its first 64 KiB (as
	# tests/e2e/flash_pipeline.sh cuts the body out of dumpflash)
	odemu dumpflash $SPC -o /tmp/spc-truth.bin >/dev/null 2>&1
	dd if=/tmp/spc-truth.bin of=/tmp/spc-fw.bin bs=65536 skip=1 2>/dev/null
	if [ $(wc -c </tmp/spc-raw.bin) = $((0xF0000)) ] &&
		cmp -s /tmp/spc-raw.bin /tmp/spc-fw.bin; then
		ok "tools: odflash dump --raw = the firmware region of odemu dumpflash (ground truth)"
	else
		notok "tools: odflash dump --raw = the firmware region of odemu dumpflash (ground truth)"
	fi
fi
