/* odemu: the Sony PS3 BD drive's firmware update.
 *
 * As wichers/dsd-nexus libs/libps3drive/src/ps3drive_fw.c drives it
 * (docs/internals/protocols.md §8): with the tray ejected (TEST UNIT READY
 * 02/3A/00), WRITE BUFFER mode 07h with offsets, at most 0x8000 bytes per
 * command (PS3DRIVE_MAX_WRITE_LEN); when the image is complete the drive
 * writes its flash while TEST UNIT READY reports it busy, then answers
 * 02/3A/00 ("done").  Failures the tool treats as fatal: 04/3E/01,
 * 05/24/00 (bad CDB field), 05/26/00 (bad parameter data).
 *
 * [inferred] The drive keeps the image in odflash's container (kind PS3,
 * which carries its own length and checksum: docs/image-formats.md, read
 * by emu/fmt_spc.c),
 * so it knows when the image is complete and whether it is intact; busy
 * for 3 TEST UNIT READY answers (02/04/07 OPERATION IN PROGRESS); a
 * download with a disc loaded is refused 05/2C/00; the boot code of a
 * drive whose flash is broken answers only INQUIRY/TUR/REQUEST SENSE.
 * Fault --fail-commit KK/AA/QQ (st.fail_commit, one-shot): the next
 * complete image is not written (the flash keeps the old firmware) and
 * TEST UNIT READY answers that sense until the drive is reset -- the
 * fatal answers dsd-nexus stops on (04/3E/01, 05/24/00, 05/26/00);
 * INFERRED that the drive keeps reporting it.
 * Protocol state: st.dl_len = bytes received from offset 0, st.fw_len =
 * length of the image in flash, st.chk_value = busy TURs left,
 * st.dl_deferred = the failed commit's sense (reset by odemu_reboot).
 */
#include <string.h>

#include "fam.h"
#include "odf/bytes.h"
#include "fmt.h"

#define PS3_MAX 0x8000u
#define PS3_BUSY_TURS 3u

struct ps3_id {
	char vendor[9], product[17], revision[5];
};

static bool
ps3_image_ok(const uint8_t *p, size_t len, struct ps3_id *id)
{
	return odemu_spc_check(p, len, ODEMU_SPC_KIND_PS3, id->vendor,
			       id->product, id->revision) == 0;
}

static bool
ps3_boot_check(struct odemu *e, char vendor[9], char product[17],
	       char revision[5])
{
	const struct odemu_model *m = e->model;
	struct ps3_id info;

	if (e->st.fw_len == 0 || e->st.fw_len > m->fw_len ||
	    !ps3_image_ok(e->st.flash + m->fw_start, e->st.fw_len, &info))
		return false;
	odf_str_trim(vendor, 9, info.vendor, 8, ODF_STR_KEEP);
	odf_str_trim(product, 17, info.product, 16, ODF_STR_KEEP);
	odf_str_trim(revision, 5, info.revision, 4, ODF_STR_KEEP);
	return true;
}

static int
ps3_provision(struct odemu *e, const char *version, const uint8_t *file,
	      size_t len, struct odf_diag *d)
{
	const struct odemu_model *m = e->model;
	struct ps3_id info;

	(void)version;
	if (len > m->fw_len)
		return odf_diag_set(d, ODF_E_MISMATCH, "the image is %zu bytes, "
				    "%s holds at most %u", len, m->name,
				    m->fw_len);
	if (!ps3_image_ok(file, len, &info))
		return odf_diag_set(d, ODF_E_FORMAT, "not a valid odflash PS3 "
				    "image (%zu bytes)", len);
	odemu_fam_fill(e, 0, m->flash_size, 0x50533362u);
	memcpy(e->st.flash + m->fw_start, file, len);
	e->st.fw_len = (uint32_t)len;
	return 0;
}

static void
ps3_write_buffer(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint32_t off = odf_be24(c->cdb + 3), len = odf_be24(c->cdb + 6);
	struct ps3_id info;

	if ((c->cdb[1] & 0x1F) != 0x07 || c->cdb[2] != 0 || len == 0 ||
	    len > PS3_MAX || c->dir != ODF_DIR_OUT || c->len != len ||
	    off > m->fw_len || len > m->fw_len - off) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (e->st.disc && !e->st.tray_open) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
		return;
	}
	if (odemu_fam_stage(e, c, off, len) < 0)
		return;
	if (e->st.dl_len >= 0x10 &&
	    odf_be32(e->st.ram + 0x0C) == e->st.dl_len) {
		/* the image's own length reached: check, then write */
		if (!ps3_image_ok(e->st.ram, e->st.dl_len, &info)) {
			e->st.dl_len = 0;
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
			return;
		}
		if (e->st.fail_commit) {
			/* the fault: the update fails before any erase */
			e->st.dl_deferred = e->st.fail_commit;
			e->st.fail_commit = 0;
			e->st.dl_len = 0;
			odemu_fam_took(c);
			return;
		}
		e->st.fw_len = 0;	/* the old image is being replaced */
		if (odemu_fam_write(e, m->fw_start, e->st.ram,
				    e->st.dl_len) < 0)
			return;		/* power cut */
		e->st.fw_len = e->st.dl_len;
		e->st.dl_len = 0;
		e->st.chk_value = PS3_BUSY_TURS;
	}
	odemu_fam_took(c);
}

/* The last busy TEST UNIT READY: the drive restarted into the new
 * firmware, with the tray still ejected (02/3A/00). */
static void
ps3_restarted(struct odemu *e, struct odf_cmd *c)
{
	(void)e;
	odemu_sense(c, ODEMU_SK_NOT_READY, 0x3A, 0x00);
}

static int
ps3_exec(struct odemu *e, struct odf_cmd *c)
{
	if (e->st.mode != ODF_MODE_NORMAL)
		return 0;		/* the boot code: target.c */
	switch (c->cdb[0]) {
	case 0x3B:
		ps3_write_buffer(e, c);
		return 1;
	case 0x00:
		return odemu_fam_busy_tur(e, c, ps3_restarted);
	default:
		return 0;
	}
}

const struct odemu_proto odemu_proto_ps3 = {
	.name = "ps3",
	.exec = ps3_exec,
	.boot_check = ps3_boot_check,
	.provision = ps3_provision,
};
