/* odemu: a MediaTek MT1939 drive (TSST SE-506CB) and its boot loader.
 *
 * rbdixon/coastermelt doc/bootloader.txt, lib/mt1939_scsi.h,
 * flasher/flasher.cpp (research protocols.md §1.4, §1.9.1.1):
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
 * loader at boot (odf_image_inspect), not at the end command.
 * Protocol state: st.dl_len = bytes received, st.chk_ok = first megabyte
 * committed.
 */
#include <string.h>

#include "fam.h"
#include "odf/bytes.h"
#include "odf/image.h"

#define FF_BLOCK 0xF800u
#define FF_BOOT 0x10000u
#define FF_HALF 0x100000u
#define FF_PAUSE_NS 10000000000ull

static bool
ff_boot_check(struct odemu *e, char vendor[9], char product[17],
	      char revision[5])
{
	const struct odemu_model *m = e->model;
	struct odf_image_info info;

	if (odf_image_inspect(ODF_FAMILY_MTK_FF, e->st.flash, m->fw_len,
			      &info) < 0 || !info.checksum.ok)
		return false;
	odemu_copy_trim(vendor, 9, info.vendor, 8);
	odemu_copy_trim(product, 17, info.product, 16);
	odemu_copy_trim(revision, 5, info.revision, 4);
	return true;
}

static int
ff_provision(struct odemu *e, const char *version, const uint8_t *file,
	     size_t len, struct odf_diag *d)
{
	const struct odemu_model *m = e->model;
	struct odf_image_info info;

	(void)version;
	if (len != m->fw_len ||
	    odf_image_inspect(ODF_FAMILY_MTK_FF, file, len, &info) < 0)
		return odf_diag_set(d, ODF_E_FORMAT, "not a valid MT1939 image "
				    "of %u bytes", m->fw_len);
	odemu_fam_fill(e, 0, FF_BOOT, 0x4D543139u);	/* the boot loader */
	memcpy(e->st.flash + FF_BOOT, file + FF_BOOT, len - FF_BOOT);
	return 0;
}

static void
ff_flash(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint8_t st = c->cdb[5];
	uint32_t len = (uint32_t)c->len;

	if (c->dir != ODF_DIR_OUT || len == 0 || len > FF_BLOCK ||
	    (st != 0x00 && st != 0xFF && st != 0x02)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (st == 0x00) {
		e->st.dl_len = 0;
		e->st.chk_ok = 0;
	}
	if ((st != 0x02 && len != FF_BLOCK) ||
	    e->st.dl_len + len > m->fw_len ||
	    (st == 0x02 && e->st.dl_len + len != m->fw_len)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	memcpy(e->st.ram + e->st.dl_len, c->buf, len);
	e->st.dl_len += len;
	e->dirty = true;
	if (!e->st.chk_ok && e->st.dl_len >= FF_HALF) {
		/* commit the first megabyte (boot region locked) */
		odemu_model_time(e, FF_PAUSE_NS);
		if (odemu_fam_write(e, FF_BOOT, e->st.ram + FF_BOOT,
				    FF_HALF - FF_BOOT) < 0)
			return;		/* power cut */
		e->st.chk_ok = 1;
	}
	if (st != 0x02) {
		odemu_fam_took(c);
		return;
	}
	odemu_model_time(e, FF_PAUSE_NS);
	if (odemu_fam_write(e, FF_HALF, e->st.ram + FF_HALF,
			    m->fw_len - FF_HALF) < 0)
		return;
	odemu_restart(e);
	odemu_add_ua(e, 0x29, 0x00);
	/* the reboot cuts the answer short */
	c->scsi_status = 0;
	c->sense_len = 0;
	c->host_status = ODF_HOST_RESET;
	c->resid = 0;
}

static void
ff_read_buffer(struct odemu *e, struct odf_cmd *c)
{
	uint32_t a = odf_be24(c->cdb + 3), n = odf_be24(c->cdb + 6);

	if ((c->cdb[1] & 0x1F) != 0x06 || e->st.mode != ODF_MODE_NORMAL ||
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
		if (c->cdb[2] == 0xFF && c->cdb[11] == 0xAA) {
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
