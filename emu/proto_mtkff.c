/* odemu: MediaTek FF drives: an MT1939 (TSST SE-506CB) with its boot
 * loader, and an MT1339 (TSST TS-H353C).
 *
 * rbdixon/coastermelt doc/bootloader.txt, lib/mt1939_scsi.h,
 * flasher/flasher.cpp (docs/internals/protocols.md §5.1-§5.3):
 *   FF 00 FF .. AA      version, 8 bytes (00 06 01 01 54 53 20 00)
 *   FF 00 01 00 00 ST   data out; ST 00 first block, FF continue, 02 end;
 *                       0xF800-byte blocks, a final 2048-byte block;
 *                       10 s pause when the first megabyte is committed,
 *                       another after the end, then reboot and
 *                       re-enumeration (the last status is lost)
 *   other FF sub-codes  silently ignored
 *   3C 06 00 A A A L L L  READ BUFFER mode 6: address space, flash incl.
 * The first 64 KiB (boot region) is locked: blocks there are ignored.
 * [inferred] The flash is mapped at address 0; the boot loader answers
 * the FF commands but not READ BUFFER; a block of another size than
 * 0xF800 (but the last) is refused 05/24/00 -- so MT1339-style 0xFC00
 * blocks are refused; the image's own checksum is checked by the boot
 * loader at boot (emu/fmt_mtkff.c), not at the end command.
 *
 * MT1339 (superg/redumper drive/flash_mt1339.ixx, flash_tsst.ixx,
 * scsi/mmc.ixx; docs/internals/protocols.md §5.4): 256 KiB image in
 * 0xFC00-byte blocks, START 00 / CONTINUE FF / END 04; redumper checks
 * the status of every command, the END included, so the drive answers
 * it.  INFERRED
 * for the emulated TS-H353C (no source says): flash of 16K/16K/32K/3 x 64K
 * blocks whose first 16 KiB (the 8051 common/boot area, as omnipatcher
 * lays out MediaTek 8051 images) is locked like the MT1939's boot region;
 * the image is kept in RAM and written at END (no mid-way commit, no 10 s
 * pauses: redumper's README says flashing "takes a few seconds"); the END
 * is answered GOOD, then the drive restarts (UA 29/00); blocks of another
 * size than 0xFC00 (but the last) are refused 05/24/00, so MT1939-style
 * 0xF800 blocks are; ST 02 is refused; READ BUFFER mode 6 is refused
 * 05/24/00 (reading flash with it is confirmed only on the MT1939 and
 * MT1959, §5.2, §5.6), as is the version sub-code FF 00 FF, which
 * is ignored like any unknown sub-code.
 * Protocol state: st.dl_len = bytes received, st.chk_ok = first megabyte
 * committed (MT1939).
 */
#include <string.h>

#include "fam.h"
#include "odf/bytes.h"
#include "fmt.h"

#define FF_PAUSE_NS 10000000000ull

struct ff_chip {
	const char *model;	/* emu/models.c name */
	const char *chip;
	uint32_t block;		/* data bytes per FF 01 (but the last) */
	uint8_t st_end;		/* ST of the last block */
	uint32_t boot;		/* locked boot region at 0 */
	uint32_t half;		/* first part committed with a pause once
				   this much arrived; 0 = none */
	bool pauses;		/* 10 s pause at each commit */
	bool read_buffer;	/* READ BUFFER mode 6 reads the flash */
	bool version;		/* FF 00 FF answers the version */
	bool end_resets;	/* the reboot cuts the END answer short */
};

static const struct ff_chip ff_chips[] = {
	{ "tsst-se506cb", "MT1939", 0xF800, 0x02, 0x10000, 0x100000, true,
	  true, true, true },
	{ "tsst-tsh353c", "MT1339", 0xFC00, 0x04, 0x4000, 0, false, false,
	  false, false },
};

static const struct ff_chip *
ff_chip(const struct odemu *e)
{
	for (size_t i = 0; i < sizeof(ff_chips) / sizeof(ff_chips[0]); i++)
		if (strcmp(ff_chips[i].model, e->model->name) == 0)
			return &ff_chips[i];
	return &ff_chips[0];
}

static bool
ff_boot_check(struct odemu *e, char vendor[9], char product[17],
	      char revision[5])
{
	/* MT1339: no checksum known, the layout checks only (INFERRED) */
	return odemu_ff_check(e->st.flash, e->model->fw_len, vendor, product,
			      revision) == ODEMU_FF_OK;
}

static int
ff_provision(struct odemu *e, const char *version, const uint8_t *file,
	     size_t len, struct odf_diag *d)
{
	const struct odemu_model *m = e->model;
	const struct ff_chip *k = ff_chip(e);
	char v[9], p[17], r[5];

	(void)version;
	if (len != m->fw_len ||
	    odemu_ff_check(file, len, v, p, r) != ODEMU_FF_OK)
		return odf_diag_set(d, ODF_E_FORMAT, "not a valid %s image "
				    "of %u bytes", k->chip, m->fw_len);
	if (k->half) {
		/* MT1939: the boot loader, not the file's first 64 KiB */
		odemu_fam_fill(e, 0, k->boot, 0x4D543139u);
		memcpy(e->st.flash + k->boot, file + k->boot, len - k->boot);
	} else {
		/* MT1339: the factory programs the whole image, its 8051
		 * common area included (INFERRED) */
		memcpy(e->st.flash, file, len);
	}
	return 0;
}

static void
ff_flash(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	const struct ff_chip *k = ff_chip(e);
	uint8_t st = c->cdb[5];
	uint32_t len = (uint32_t)c->len;

	if (c->dir != ODF_DIR_OUT || len == 0 || len > k->block ||
	    (st != 0x00 && st != 0xFF && st != k->st_end)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (st == 0x00) {
		e->st.dl_len = 0;
		e->st.chk_ok = 0;
	}
	if ((st != k->st_end && len != k->block) ||
	    e->st.dl_len + len > m->fw_len ||
	    (st == k->st_end && e->st.dl_len + len != m->fw_len)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	memcpy(e->st.ram + e->st.dl_len, c->buf, len);
	e->st.dl_len += len;
	e->dirty = true;
	if (k->half && !e->st.chk_ok && e->st.dl_len >= k->half) {
		/* commit the first megabyte (boot region locked) */
		if (k->pauses)
			odemu_model_time(e, FF_PAUSE_NS);
		if (odemu_fam_write(e, k->boot, e->st.ram + k->boot,
				    k->half - k->boot) < 0)
			return;		/* power cut */
		e->st.chk_ok = 1;
	}
	if (st != k->st_end) {
		odemu_fam_took(c);
		return;
	}
	{
		uint32_t from = k->half ? k->half : k->boot;

		if (k->pauses)
			odemu_model_time(e, FF_PAUSE_NS);
		if (odemu_fam_write(e, from, e->st.ram + from,
				    m->fw_len - from) < 0)
			return;
	}
	odemu_restart(e);
	odemu_add_ua(e, 0x29, 0x00);
	if (!k->end_resets) {
		odemu_fam_took(c);
		return;
	}
	/* the reboot cuts the answer short */
	odemu_fam_reset_cut(c);
}

static void
ff_read_buffer(struct odemu *e, struct odf_cmd *c)
{
	uint32_t a = odf_be24(c->cdb + 3), n = odf_be24(c->cdb + 6);

	if ((c->cdb[1] & 0x1F) != 0x06 || e->st.mode != ODF_MODE_NORMAL ||
	    !ff_chip(e)->read_buffer ||
	    a > e->st.flash_size || n > e->st.flash_size - a) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	odemu_data_in(c, e->st.flash + a, n, n);
}

static int
ff_exec(struct odemu *e, struct odf_cmd *c)
{
	static const uint8_t version[8] = { 0x00, 0x06, 0x01, 0x01, 0x54,
					    0x53, 0x20, 0x00 };

	switch (c->cdb[0]) {
	case 0xFF:
		if (c->cdb[1] != 0x00)
			break;
		if (c->cdb[2] == 0xFF && c->cdb[11] == 0xAA &&
		    ff_chip(e)->version) {
			odemu_data_in(c, version, 8, 8);
			return 1;
		}
		if (c->cdb[2] == 0x01) {
			ff_flash(e, c);
			return 1;
		}
		odemu_good(c);		/* unknown: silently ignored */
		return 1;
	case 0x3C:
		ff_read_buffer(e, c);
		return 1;
	default:
		break;
	}
	return 0;
}

const struct odemu_proto odemu_proto_mtkff = {
	.name = "mtk-ff",
	.exec = ff_exec,
	.boot_check = ff_boot_check,
	.provision = ff_provision,
};
