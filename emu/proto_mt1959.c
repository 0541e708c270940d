/* odemu: MediaTek MT1959 drives (LG BH16NS40, BU40N, ASUS BW-16D1HT).
 *
 * What superg/redumper@2ab9a42 drive/flash_mt1959.ixx sends
 * (docs/internals/protocols.md §5.6), answered:
 *   3C 06 00 00 30 00 00 00 20 00   READ BUFFER mode 6: the 32-byte
 *                                   config block at 0x3000
 *   3B 01 .. 00                     WRITE BUFFER mode 1, no data: start
 *   3B 06 00 <off BE24> <len BE24>  WRITE BUFFER mode 6, 0x4000 per
 *                                   command, buffer offset = file offset
 *   TEST UNIT READY                 until GOOD (twice)
 * INFERRED for the emulated drives (no source says): READ BUFFER mode 6
 * answers only inside the config block (05/24/00 elsewhere: no source
 * reads more, so the emulated drive offers no dump); mode 6 without a
 * mode 1 first, out of order, or over 0x4000 bytes is refused 05/24/00;
 * the image is kept in RAM and written when its 2 MiB are in, from
 * 0x10000 (the boot area, config block included, is never rewritten:
 * redumper sends FFh there); a download whose 0x3000 block is not the
 * drive's own is refused 05/26/00 (redumper always copies it); the drive
 * is busy for 2 TEST UNIT READYs (02/04/07), then restarts (UA 29/00,
 * re-enumeration); the boot loader answers the same commands, and starts
 * the firmware only when its CMAC table matches (emu/fmt_mt1959.c).
 * Fault --fail-commit KK/AA/QQ: the complete image is not written and
 * TEST UNIT READY answers that sense until the drive is reset (a drive
 * that never becomes ready, what redumper does not notice).
 * Protocol state: st.chk_ok = mode 1 seen, st.dl_len = bytes received,
 * st.chk_value = busy answers left, st.dl_deferred = the failed write's
 * sense.
 */
#include <stdlib.h>
#include <string.h>

#include "fam.h"
#include "odf/bytes.h"
#include "fmt.h"

#define M59_CFG 0x3000u
#define M59_CFG_LEN 0x20u
#define M59_BLOCK 0x4000u
#define M59_BOOT 0x10000u
#define M59_BUSY 2u

static bool
m59_boot_check(struct odemu *e, char vendor[9], char product[17],
	       char revision[5])
{
	return odemu_m59_check(e->st.flash, e->model->fw_len, e->model->vendor,
			       vendor, product, revision) == 0;
}

static int
m59_provision(struct odemu *e, const char *version, const uint8_t *file,
	      size_t len, struct odf_diag *d)
{
	const struct odemu_model *m = e->model;
	uint32_t unit = odemu_seed_of(e->st.serial);
	char v[9], p[17], r[5];
	uint8_t *u;

	(void)version;
	if (len != m->fw_len ||
	    odemu_m59_check(file, len, m->vendor, v, p, r) != 0)
		return odf_diag_set(d, ODF_E_FORMAT, "not a valid MT1959 "
				    "image of %u bytes", m->fw_len);
	memcpy(e->st.flash, file, len);
	/* the unit's own: its boot loader, the config block after the ID,
	 * the signature and the calibration (issue #14's layout) */
	odemu_fam_fill(e, 0, M59_BOOT, 0x4D543539u);
	memcpy(e->st.flash + M59_CFG, file + M59_CFG, 16);
	u = odemu_fmt_alloc(M59_BOOT, unit);
	if (u == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	memcpy(e->st.flash + M59_CFG + 16, u, 16);
	memcpy(e->st.flash + 0x1E8000, u + 0x100, 0x500);
	for (uint32_t a = 0x1E9000; a < m->fw_len; a += 0x1000)
		memcpy(e->st.flash + a, u + (a & 0xF000), 0x1000);
	free(u);
	return 0;
}

static void
m59_read_buffer(struct odemu *e, struct odf_cmd *c)
{
	uint32_t a = odf_be24(c->cdb + 3), n = odf_be24(c->cdb + 6);

	if ((c->cdb[1] & 0x1F) != 0x06 || a < M59_CFG ||
	    a + n > M59_CFG + M59_CFG_LEN) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	odemu_data_in(c, e->st.flash + a, n, n);
}

static void
m59_write_buffer(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	uint32_t off = odf_be24(c->cdb + 3), n = odf_be24(c->cdb + 6);
	uint8_t mode = c->cdb[1] & 0x1F;

	if (mode == 0x01 && n == 0) {
		e->st.chk_ok = 1;
		e->st.dl_len = 0;
		e->dirty = true;
		odemu_good(c);
		return;
	}
	if (mode != 0x06 || !e->st.chk_ok || c->dir != ODF_DIR_OUT ||
	    n != c->len || n == 0 || n > M59_BLOCK ||
	    off + n > m->fw_len ||
	    (n != M59_BLOCK && off + n != m->fw_len)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (odemu_fam_stage(e, c, off, n) < 0)
		return;
	if (e->st.dl_len != m->fw_len) {
		odemu_fam_took(c);
		return;
	}
	e->st.chk_ok = 0;
	e->st.dl_len = 0;
	if (memcmp(e->st.ram + M59_CFG, e->st.flash + M59_CFG,
		   M59_CFG_LEN) != 0) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
		return;
	}
	if (e->st.fail_commit) {
		e->st.dl_deferred = e->st.fail_commit;
		e->st.fail_commit = 0;
		odemu_fam_took(c);
		return;
	}
	if (odemu_fam_write(e, M59_BOOT, e->st.ram + M59_BOOT,
			    m->fw_len - M59_BOOT) < 0)
		return;		/* power cut */
	e->st.chk_value = M59_BUSY;
	odemu_fam_took(c);
}

/* The last busy TEST UNIT READY: still 02/04/07, and the restarted drive
 * has a POWER ON OCCURRED unit attention pending. */
static void
m59_restarted(struct odemu *e, struct odf_cmd *c)
{
	odemu_add_ua(e, 0x29, 0x00);
	odemu_sense(c, ODEMU_SK_NOT_READY, 0x04, 0x07);
}

static int
m59_exec(struct odemu *e, struct odf_cmd *c)
{
	switch (c->cdb[0]) {
	case 0x3C:
		m59_read_buffer(e, c);
		return 1;
	case 0x3B:
		m59_write_buffer(e, c);
		return 1;
	case 0x00:
		return odemu_fam_busy_tur(e, c, m59_restarted);
	default:
		return 0;
	}
}

const struct odemu_proto odemu_proto_mt1959 = {
	.name = "mt1959",
	.exec = m59_exec,
	.boot_check = m59_boot_check,
	.provision = m59_provision,
};
