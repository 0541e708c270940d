/* odemu: a drive that updates its firmware only the standard way.
 *
 * READ BUFFER (3Ch) and WRITE BUFFER (3Bh), 10-byte CDBs:
 *   3B [mode-specific 7:5 | mode 4:0] bufID offset(BE24) length(BE24) ctrl
 *   3C [mode 4:0] bufID offset(BE24) allocation(BE24) ctrl
 * READ BUFFER mode 3 returns a 4-byte descriptor: byte 0 the offset
 * boundary (offsets are multiples of 2^n), bytes 1..3 the capacity.
 * WRITE BUFFER modes: 5 download microcode with save (whole image), 7
 * with offsets and save, 0Eh with offsets, deferred activation, 0Fh
 * activate deferred microcode (sg3_utils doc/sg_write_buffer.8 and
 * doc/sg_read_buffer.8; fwupd plugins/scsi/fu-scsi-device.c;
 * docs/internals/protocols.md §1.1-§1.3).  After new microcode is
 * activated the drive reports UNIT ATTENTION 3Fh/01h MICROCODE HAS BEEN
 * CHANGED (SPC-4 ASC table, Linux drivers/scsi/scsi_debug.c;
 * docs/internals/protocols.md §1.4).
 *
 * Mode 7 saves "when complete": the drive knows the image is complete
 * when the bytes received from offset 0 form a whole, valid image of the
 * odflash generic container (docs/image-formats.md, read by
 * emu/fmt_spc.c: it carries its own length); real drives decide the same
 * way from their image header.
 */
#include <string.h>

#include "emu.h"
#include "odf/bytes.h"
#include "fmt.h"

#define SK_ILL ODEMU_SK_ILLEGAL_REQUEST
#define BOUNDARY_SHIFT 12		/* 4 KiB offset boundary */

/* The identity an accepted image carries */
struct spc_id {
	char vendor[9], product[17], revision[5];
};

/* An image the drive would accept: a whole generic container of exactly
 * len bytes with a good checksum and a revision (emu/fmt_spc.c). */
static bool
image_ok(const uint8_t *p, size_t len, struct spc_id *id)
{
	return odemu_spc_check(p, len, ODEMU_SPC_KIND_SPC, id->vendor,
			       id->product, id->revision) == 0;
}

static bool
spc_boot_check(struct odemu *e, char vendor[9], char product[17],
	       char revision[5])
{
	const struct odemu_model *m = e->model;
	struct spc_id id;

	if (e->st.fw_len == 0 || e->st.fw_len > m->fw_len ||
	    !image_ok(e->st.flash + m->fw_start, e->st.fw_len, &id))
		return false;
	odf_str_trim(vendor, 9, id.vendor[0] ? id.vendor : m->vendor, 8,
		     ODF_STR_KEEP);
	odf_str_trim(product, 17, id.product[0] ? id.product :
			m->product, 16, ODF_STR_KEEP);
	odf_str_trim(revision, 5, id.revision, 4, ODF_STR_KEEP);
	return true;
}

static int
spc_provision(struct odemu *e, const char *version, const uint8_t *file,
	      size_t len, struct odf_diag *d)
{
	const struct odemu_model *m = e->model;
	struct spc_id info;
	uint32_t x = 0x5350430au;

	(void)version;
	if (len > m->fw_len)
		return odf_diag_set(d, ODF_E_MISMATCH, "the image is %zu "
				    "bytes, %s holds at most %u", len, m->name,
				    m->fw_len);
	if (!image_ok(file, len, &info))
		return odf_diag_set(d, ODF_E_FORMAT, "not a valid odflash "
				    "generic SPC image (%zu bytes)", len);
	/* block 0: the boot loader (a fixed pattern) */
	for (uint32_t i = 0; i < m->fw_start; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		e->st.flash[i] = (uint8_t)x;
	}
	memcpy(e->st.flash + m->fw_start, file, len);
	e->st.fw_len = (uint32_t)len;
	return 0;
}

/* Save: erase the blocks the image needs, program it, reboot into it.
 * Returns -1 if the power was cut part way. */
static int
save_image(struct odemu *e, const uint8_t *p, uint32_t len)
{
	const struct odemu_model *m = e->model;
	int last = odemu_block_of(m, m->fw_start + len - 1);
	int first = odemu_block_of(m, m->fw_start);

	for (int b = first; b <= last; b++)
		odemu_flash_erase(e, (unsigned)b);
	e->st.fw_len = len;
	e->dirty = true;
	if (odemu_flash_program(e, m->fw_start, p, len) < 0)
		return -1;
	return 0;
}

static void
activate(struct odemu *e, struct odf_cmd *c, const uint8_t *p, uint32_t len)
{
	if (save_image(e, p, len) < 0)
		return;			/* power cut: target.c answers */
	odemu_good(c);
	if (c->dir == ODF_DIR_OUT)
		c->resid = 0;
	odemu_restart(e);
	odemu_add_ua(e, 0x3F, 0x01);	/* MICROCODE HAS BEEN CHANGED */
}

static void
read_buffer(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint8_t mode = c->cdb[1] & 0x1F, id = c->cdb[2];
	uint32_t off = odf_be24(c->cdb + 3), alloc = odf_be24(c->cdb + 6);

	if (id != 0) {
		odemu_sense(c, SK_ILL, 0x24, 0);
		return;
	}
	if (mode == 0x03) {
		uint8_t b[4];
		b[0] = BOUNDARY_SHIFT;
		odf_put_be24(b + 1, m->fw_len);
		odemu_data_in(c, b, 4, alloc);
		return;
	}
	if (mode == 0x02) {
		if (off >= m->fw_len || alloc > m->fw_len - off) {
			odemu_sense(c, SK_ILL, 0x24, 0);
			return;
		}
		odemu_data_in(c, e->st.flash + m->fw_start + off, alloc, alloc);
		return;
	}
	odemu_sense(c, SK_ILL, 0x24, 0);
}

static void
write_buffer(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint8_t mode = c->cdb[1] & 0x1F, id = c->cdb[2];
	uint32_t off = odf_be24(c->cdb + 3), len = odf_be24(c->cdb + 6);
	struct spc_id info;

	if (id != 0 || (c->cdb[1] & 0xE0)) {
		odemu_sense(c, SK_ILL, 0x24, 0);
		return;
	}
	if (mode == 0x0F) {
		if (len != 0 || off != 0) {
			odemu_sense(c, SK_ILL, 0x24, 0);
			return;
		}
		if (!e->st.dl_deferred) {
			/* nothing deferred to activate */
			odemu_sense(c, SK_ILL, 0x2C, 0);
			return;
		}
		if (!image_ok(e->st.ram, e->st.dl_len, &info)) {
			e->st.dl_len = 0;
			e->st.dl_deferred = 0;
			e->dirty = true;
			odemu_sense(c, SK_ILL, 0x26, 0);
			return;
		}
		activate(e, c, e->st.ram, e->st.dl_len);
		return;
	}
	if (mode != 0x05 && mode != 0x07 && mode != 0x0E) {
		odemu_sense(c, SK_ILL, 0x24, 0);
		return;
	}
	if (len == 0 || c->dir != ODF_DIR_OUT || c->len != len ||
	    off % (1u << BOUNDARY_SHIFT) || off > m->fw_len ||
	    len > m->fw_len - off || (mode == 0x05 && off != 0)) {
		odemu_sense(c, SK_ILL, 0x24, 0);
		return;
	}
	if (mode == 0x05) {
		if (!image_ok(c->buf, len, &info)) {
			/* INVALID FIELD IN PARAMETER LIST: nothing saved */
			odemu_sense(c, SK_ILL, 0x26, 0);
			return;
		}
		activate(e, c, c->buf, len);
		return;
	}
	/* modes 7 and 0Eh: segments, in order, from offset 0 */
	if (off == 0) {
		e->st.dl_len = 0;
		e->st.dl_deferred = 0;
	}
	if (off != e->st.dl_len) {
		odemu_sense(c, SK_ILL, 0x24, 0);
		return;
	}
	memcpy(e->st.ram + off, c->buf, len);
	e->st.dl_len = off + len;
	e->dirty = true;
	if (mode == 0x0E) {
		e->st.dl_deferred = 1;
		odemu_good(c);
		c->resid = 0;
		return;
	}
	/* mode 7: save and activate once the image is complete */
	if (image_ok(e->st.ram, e->st.dl_len, &info)) {
		activate(e, c, e->st.ram, e->st.dl_len);
		return;
	}
	odemu_good(c);
	c->resid = 0;
}

static int
spc_exec(struct odemu *e, struct odf_cmd *c)
{
	unsigned q = e->model->spc_quirks;
	uint8_t mode = c->cdb[1] & 0x1F;

	switch (c->cdb[0]) {
	case 0x3B:
		if (q & ODEMU_SPCQ_NO_WRITE_BUFFER)
			return 0;	/* target.c: 05/20/00 */
		write_buffer(e, c);
		/* scsi_debug resp_write_buffer: modes 5 and 7 set
		 * MICROCODE HAS BEEN CHANGED WITHOUT RESET (3F/16) */
		if ((q & ODEMU_SPCQ_UA_PER_DOWNLOAD) && c->scsi_status == 0 &&
		    c->host_status == 0 && (mode == 0x05 || mode == 0x07))
			odemu_add_ua(e, 0x3F, 0x16);
		return 1;
	case 0x3C:
		if (q & ODEMU_SPCQ_NO_READ_BUFFER)
			return 0;
		read_buffer(e, c);
		return 1;
	default: return 0;
	}
}

const struct odemu_proto odemu_proto_spc = {
	.name = "spc",
	.exec = spc_exec,
	.boot_check = spc_boot_check,
	.provision = spc_provision,
};
