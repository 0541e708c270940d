/* odemu: a Plextor DVD writer's firmware update (PX-716A).
 *
 * speed47/qpxtool console/pxfw/pxfw.cpp and superg/redumper
 * drive/flash_plextor.ixx (docs/internals/protocols.md §4): WRITE BUFFER
 * mode 04h stages a block, mode 05h stages the last block and saves; the
 * offset is BE24 in CDB bytes 3-5, the length BE24 in 6-8 (10-byte CDB,
 * or 12 bytes as pxfw's transport sends it).  The drive resets after the
 * save, so the last command may end in an error (pxfw tolerates it).
 * EEh reboots the drive (qpxtool lib/qpxplextor/plextor_features.cpp).
 * Block size: redumper's 0x4000 for the PX-712/714/716/755/760, pxfw's
 * 0x1000 for all but the PX-W4824A/W5224A: this drive takes both (odflash
 * sends redumper's 16 KiB); other sizes 05/24/00.
 * Checksum: pxfw's byte sum (emu/fmt_plextor.c); a staged image
 * with a bad sum or another model string is refused 05/26/00 and nothing
 * is written.
 *
 * [inferred] The whole flash is 1 MiB: the 983040-byte image at 0, the
 * boot code in the last 64 KiB; the boot code of a drive whose image is
 * broken takes no firmware commands.  The revision is read from the 4
 * bytes after the model string (where odflash's image builder puts it).
 * Protocol state: st.dl_len = bytes staged from offset 0.
 */
#include <string.h>

#include "fam.h"
#include "odf/bytes.h"
#include "fmt.h"

#define PX_BLOCK 0x4000u
/* pxfw sends 4096-byte blocks to every model but the PX-W4824A/W5224A
 * (16384): speed47/qpxtool@fc1cf4c console/pxfw/pxfw.cpp main (fwblk) and
 * fwblk_send (3B 04|05 00 OFF(BE24) LEN(BE24)).  Both sizes are accepted;
 * INFERRED: a real PX-716A takes both (pxfw has been used on them with
 * 4 KiB, redumper sends 16 KiB). */
#define PX_BLOCK_SMALL 0x1000u

/* The image is the model's and its pxfw checksum holds (emu/fmt_plextor.c) */
static bool
px_image_ok(const struct odemu_model *m, const uint8_t *p, size_t len)
{
	char model[17];
	uint32_t off;
	uint16_t stored, sum;

	return len == m->fw_len &&
	       odemu_px_sum(p, len, model, &off, &stored, &sum) == 0 &&
	       stored == sum && strcmp(model, m->target) == 0;
}

static bool
px_boot_check(struct odemu *e, char vendor[9], char product[17],
	      char revision[5])
{
	const struct odemu_model *m = e->model;
	const uint8_t *p = e->st.flash + m->fw_start;
	if (!px_image_ok(m, p, m->fw_len))
		return false;
	odf_str_trim(vendor, 9, (const char *)p, 8, ODF_STR_KEEP);
	odf_str_trim(product, 17, (const char *)p + 8, 16, ODF_STR_KEEP);
	if (odemu_fam_printable(p + 24, 4))
		odf_str_trim(revision, 5, (const char *)p + 24, 4,
			     ODF_STR_KEEP);
	else
		odf_str_trim(revision, 5, m->default_version, 4, ODF_STR_KEEP);
	return true;
}

static int
px_provision(struct odemu *e, const char *version, const uint8_t *file,
	     size_t len, struct odf_diag *d)
{
	const struct odemu_model *m = e->model;
	(void)version;
	if (!px_image_ok(m, file, len))
		return odf_diag_set(d, ODF_E_FORMAT, "not a valid Plextor %s "
				    "image of %u bytes", m->target, m->fw_len);
	odemu_fam_fill(e, 0, m->flash_size, 0x504C5854u);
	memcpy(e->st.flash + m->fw_start, file, len);
	return 0;
}

static void
px_write_buffer(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint8_t mode = c->cdb[1] & 0x1F;
	uint32_t off = odf_be24(c->cdb + 3), len = odf_be24(c->cdb + 6);

	if ((mode != 0x04 && mode != 0x05) || c->cdb[2] != 0 ||
	    c->dir != ODF_DIR_OUT || c->len != len || len == 0 ||
	    off > m->fw_len || len > m->fw_len - off ||
	    (mode == 0x04 && len != PX_BLOCK && len != PX_BLOCK_SMALL) ||
	    (mode == 0x05 && (len > PX_BLOCK || off + len != m->fw_len))) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (odemu_fam_stage(e, c, off, len) < 0)
		return;
	if (mode == 0x04) {
		odemu_fam_took(c);
		return;
	}
	if (!px_image_ok(m, e->st.ram, m->fw_len)) {
		e->st.dl_len = 0;
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
		return;
	}
	if (odemu_fam_write(e, m->fw_start, e->st.ram, m->fw_len) < 0)
		return;			/* power cut */
	/* saved: the drive resets in the middle of answering */
	odemu_restart(e);
	odemu_add_ua(e, 0x29, 0x00);
	odemu_fam_reset_cut(c);
}

static int
px_exec(struct odemu *e, struct odf_cmd *c)
{
	if (e->st.mode != ODF_MODE_NORMAL)
		return 0;
	switch (c->cdb[0]) {
	case 0x3B:
		px_write_buffer(e, c);
		return 1;
	case 0xEE:			/* reboot */
		odemu_good(c);
		odemu_restart(e);
		odemu_add_ua(e, 0x29, 0x00);
		return 1;
	default:
		return 0;
	}
}

const struct odemu_proto odemu_proto_plextor = {
	.name = "plextor",
	.exec = px_exec,
	.boot_check = px_boot_check,
	.provision = px_provision,
};
