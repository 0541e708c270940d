/* odemu: an LG / Hitachi-LG drive of the Renesas era (GSA-4163B ...).
 *
 * What the drive is sent, as devilsclaw/flasher flasher/lg_renesas.c and
 * flasher/cmds_all.c send it (docs/internals/protocols.md §7):
 *   3C src A3 A2 A1 A0 00 L1 L0 44   read: src 01 cache size, 02 cache,
 *                                    05 absolute memory (flash), 06 debug
 *   3B src A3 A2 A1 A0 00 L1 L0 44   write: the file in 32 KiB chunks at
 *                                    their file offsets, src 02 (cache),
 *                                    the last chunk src 05
 *   1D 01 00 00 06 00 + 23 00 00 00 00 80   SEND DIAGNOSTIC "self diag":
 *                                    the drive writes its flash
 * The file (lib/image/lg.c): a 0x400-byte header (checksum, model at
 * 0x10, "MAIN    ", "REV LVL " + revision, "ROM REV ", load address at
 * 0x40, body size at 0x44) and the body.
 *
 * INFERRED (no public source says how the drive behaves; odflash's driver
 * lib/drivers/lg.c follows the same reading and the tests pin it):
 *   - the flash is mapped at address 0 of the drive's absolute memory;
 *     block 0 holds the CORE firmware, blocks 1.. the MAIN file as sent,
 *     header included: header at fw_start, body at fw_start + 0x400 (the
 *     load address an image must carry);
 *   - the CORE header lies at 0x400, its body from 0x800 to fw_start.
 *     No public source gives its address.  devilsclaw/flasher@864b3ee
 *     lg_renesas.c:find_pattern_drive scans absolute memory from 0 for
 *     core_pat and returns the offset, and get_firminfo_drive takes 0 as
 *     "not found": so a real CORE header is never at 0.  The Renesas SH
 *     and H8S CPUs fetch their reset vector from the exception vector
 *     table at address 0 (Renesas SH-2 / H8S hardware manuals, "Exception
 *     Vector Table"), so address 0 holds vectors, not a header; 0x400 is
 *     the end of the largest such table (256 vectors x 4 bytes, SH-2).
 *     core_pat wants, after "CORE    ", "REV LVL " and "ROM REV " each
 *     followed by 8 zero bytes, and bytes 2..15 zero (pinned by
 *     tests/unit/test_emu_lg.c);
 *     reads past the flash answer 05/21/00;
 *   - the last chunk (src 05) closes the download: the drive checks the
 *     whole file (size field, tags, MAIN, its own model at 0x10 -- the
 *     crossflash guide at forum.rpc1.org p=235690 edits exactly those 8
 *     bytes to make a drive take another model's firmware --, load
 *     address, checksum) and refuses it with 05/26/00 (nothing written);
 *   - the self diag programs the flash: accepted at once, then the drive
 *     is busy for three commands (TEST UNIT READY 02/04/07): erase the
 *     MAIN blocks, program the first half, program the rest and restart
 *     (06/29/00 afterwards);  a self diag without a checked download is
 *     05/2C/00, other CDB bytes 05/24/00, another parameter list 05/26/00;
 *   - a drive whose MAIN firmware fails its check at boot runs its CORE
 *     firmware: INQUIRY answers revision "BOOT", GET CONFIGURATION is
 *     refused, and the 3B/3C/1D commands still work (so the drive can be
 *     recovered);
 *   - a download while a disc is loaded is refused 05/2C/00; a transfer
 *     longer than 32 KiB (the size LG hard-codes, §1.8) 05/24/00;
 *   - src 01 answers the cache size as a BE32 (4 bytes).
 * Protocol state: st.dl_len = bytes downloaded from offset 0, st.chk_ok =
 * download checked, st.fw_len = its length, st.chk_value = busy steps
 * left after the self diag.
 */
#include <string.h>

#include "fam.h"
#include "odf/bytes.h"
#include "fmt.h"

#define LG_HDR 0x400u
#define LG_CORE_HDR 0x400u	/* INFERRED: after the vector table (top) */
#define LG_MAX 0x8000u
#define LG_BUSY_STEPS 3u

/* 1 when the n-byte MAIN file at p is one this drive takes: what
 * devilsclaw's firm_validate checks (emu/fmt_lg.c), a MAIN header
 * (firminfo.devname[8..15] at 0x18), this model at 0x10 and this drive's
 * load address at 0x40.  rev gets the 4-character revision after
 * "REV LVL " (main_pat: 4 bytes, then zeros). */
static bool
lg_file_ok(const struct odemu_model *m, const uint8_t *p, size_t n,
	   char rev[5])
{
	char model[9];

	rev[0] = 0;
	if (n <= LG_HDR || n > m->fw_len || odemu_lg_validate(p, n) != 0 ||
	    memcmp(p + 0x18, "MAIN    ", 8) != 0)
		return false;
	/* INFERRED: blank- or NUL-padded model */
	odf_str_trim(model, sizeof(model), (const char *)p + 0x10, 8, ODF_STR_KEEP);
	if (strcmp(model, m->target) != 0 ||
	    odf_be32(p + 0x40) != m->fw_start + LG_HDR)
		return false;
	odf_str_trim(rev, 5, (const char *)p + 0x28, 4, ODF_STR_KEEP);
	return true;
}

static bool
lg_boot_check(struct odemu *e, char vendor[9], char product[17],
	      char revision[5])
{
	const struct odemu_model *m = e->model;
	const uint8_t *p = e->st.flash + m->fw_start;
	char rev[5];
	uint32_t n = odf_be32(p + 0x44);

	/* Opening the state again is no boot: a flash in progress goes on
	 * (st.chk_value is cleared by odemu_reboot, a real restart or power
	 * cycle).  Meanwhile the drive answers as the download it is
	 * writing (INFERRED). */
	if (e->st.chk_value > 0) {
		p = e->st.ram;
		n = e->st.fw_len - LG_HDR;
	}
	if (n > m->fw_len - LG_HDR || !lg_file_ok(m, p, n + LG_HDR, rev))
		return false;
	odf_str_trim(vendor, 9, m->vendor, 8, ODF_STR_KEEP);
	odf_str_trim(product, 17, m->product, 16, ODF_STR_KEEP);
	odf_str_trim(revision, 5, rev, 4, ODF_STR_KEEP);
	return true;
}

static int
lg_provision(struct odemu *e, const char *version, const uint8_t *file,
	     size_t len, struct odf_diag *d)
{
	const struct odemu_model *m = e->model;
	char rev[5];
	uint8_t *core = e->st.flash;

	(void)version;
	if (!lg_file_ok(m, file, len, rev))
		return odf_diag_set(d, ODF_E_FORMAT, "not a valid LG Renesas "
				    "MAIN image for %s (model %s, at most %u "
				    "bytes, loading at 0x%X)", m->name,
				    m->target, m->fw_len, m->fw_start + LG_HDR);
	/* block 0: the vector table, then the CORE firmware, its header in
	 * the layout of devilsclaw's core_pat, its body up to fw_start */
	odemu_fam_fill(e, 0, m->fw_start, 0x4C47434Fu);
	core += LG_CORE_HDR;
	memset(core, 0, LG_HDR);
	odf_put_padded(core + 0x10, 8, m->target);
	memcpy(core + 0x18, "CORE    ", 8);
	memcpy(core + 0x20, "REV LVL ", 8);
	memcpy(core + 0x30, "ROM REV ", 8);
	odf_put_be32(core + 0x40, LG_CORE_HDR + LG_HDR);
	odf_put_be32(core + 0x44, m->fw_start - LG_CORE_HDR - LG_HDR);
	odf_put_be16(core, odemu_lg_chksum(core, m->fw_start - LG_CORE_HDR,
					   0));
	memset(e->st.flash + m->fw_start, 0xFF, m->flash_size - m->fw_start);
	memcpy(e->st.flash + m->fw_start, file, len);
	return 0;
}

/* Decode `op src A3..A0 00 L1 L0 44`; answers 05/24/00 when malformed. */
/* A CDB of its own length n, or the 12-byte ATAPI packet carrying it
 * with zeros after it: devilsclaw/flasher@864b3ee sends every command
 * through Linux CDROM_SEND_PACKET, whose packet is always 12 bytes
 * (CDROM_PACKET_SIZE; Linux drivers/scsi/sr_ioctl.c / cdrom.c
 * scsi_cdrom_send_packet copy 12 bytes), so lgren_write's 10-byte 3B and
 * the 6-byte 1D arrive as 12. */
static bool
atapi_len_ok(const struct odf_cmd *c, size_t n)
{
	if (c->cdb_len == n)
		return true;
	if (c->cdb_len != 12)
		return false;
	for (size_t i = n; i < 12; i++)
		if (c->cdb[i])
			return false;
	return true;
}

static bool
lg_decode(struct odf_cmd *c, enum odf_dir want, uint32_t *addr,
	  uint32_t *len)
{
	*addr = odf_be32(c->cdb + 2);
	*len = odf_be16(c->cdb + 7);
	if (!atapi_len_ok(c, 10) || c->cdb[6] != 0 || c->cdb[9] != 0x44 ||
	    c->dir != want || c->len != *len || *len == 0 || *len > LG_MAX) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return false;
	}
	return true;
}

static void
lg_read(struct odemu *e, struct odf_cmd *c)
{
	uint32_t a, n;
	uint8_t sz[4];

	if (!lg_decode(c, ODF_DIR_IN, &a, &n))
		return;
	switch (c->cdb[1]) {
	case 0x01:
		odf_put_be32(sz, e->st.flash_size);
		odemu_data_in(c, sz, sizeof(sz), n);
		return;
	case 0x02:
	case 0x05:
		if (a > e->st.flash_size || n > e->st.flash_size - a) {
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x21, 0x00);
			return;
		}
		odemu_data_in(c, (c->cdb[1] == 0x02 ? e->st.ram :
				  e->st.flash) + a, n, n);
		return;
	default:		/* 06 debug: not emulated */
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
}

static void
lg_write(struct odemu *e, struct odf_cmd *c)
{
	const struct odemu_model *m = e->model;
	char rev[5];
	uint32_t a, n;

	if (!lg_decode(c, ODF_DIR_OUT, &a, &n))
		return;
	if ((c->cdb[1] != 0x02 && c->cdb[1] != 0x05) || a > m->fw_len ||
	    n > m->fw_len - a) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (e->st.disc && !e->st.tray_open) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
		return;
	}
	e->st.chk_ok = 0;
	e->dirty = true;
	if (odemu_fam_stage(e, c, a, n) < 0)
		return;
	if (c->cdb[1] == 0x05) {
		/* the last chunk: check the whole download */
		if (!lg_file_ok(m, e->st.ram, e->st.dl_len, rev)) {
			e->st.dl_len = 0;
			odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
			return;
		}
		/* the last chunk, written "to memory" (source 05,
		 * LOC_MEMORY; the others go to the cache, 02) commits: the
		 * drive starts writing its flash at once.  devilsclaw/
		 * flasher@864b3ee flasher/lg_renesas.c:firm_flasher sends
		 * nothing after it (lgren_diag commented out since b91007c);
		 * the older 1D self diag after it is still taken, see
		 * lg_self_diag. */
		e->st.chk_ok = 1;
		e->st.fw_len = e->st.dl_len;
		e->st.chk_value = LG_BUSY_STEPS;
	}
	odemu_fam_took(c);
}

static void
lg_self_diag(struct odemu *e, struct odf_cmd *c)
{
	static const uint8_t cdb[6] = { 0x1D, 0x01, 0x00, 0x00, 0x06, 0x00 };
	static const uint8_t par[6] = { 0x23, 0x00, 0x00, 0x00, 0x00, 0x80 };

	if (!atapi_len_ok(c, 6) || memcmp(c->cdb, cdb, 6) != 0 ||
	    c->dir != ODF_DIR_OUT || c->len != sizeof(par)) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return;
	}
	if (memcmp(c->buf, par, sizeof(par)) != 0) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x26, 0x00);
		return;
	}
	if (!e->st.chk_ok) {
		odemu_sense(c, ODEMU_SK_ILLEGAL_REQUEST, 0x2C, 0x00);
		return;
	}
	/* the older sequence's commit: the last chunk started the write
	 * already, the self diag right after it is taken (no step) */
	e->st.chk_ok = 0;
	e->dirty = true;
	odemu_fam_took(c);
}

/* One step of the flash write the self diag started.  Returns -1 when
 * the power went off. */
static int
lg_busy_step(struct odemu *e)
{
	const struct odemu_model *m = e->model;
	uint32_t half = (e->st.fw_len / 2) & ~1u;

	e->dirty = true;
	switch (e->st.chk_value--) {
	case 3:
		for (unsigned b = m->erase_first; b <= m->erase_last; b++)
			if (odemu_flash_erase(e, b) < 0)
				return -1;
		return 0;
	case 2:
		return odemu_flash_program(e, m->fw_start, e->st.ram, half);
	default:
		if (odemu_flash_program(e, m->fw_start + half,
					e->st.ram + half,
					e->st.fw_len - half) < 0)
			return -1;
		odemu_restart(e);
		odemu_add_ua(e, 0x29, 0x00);
		return 0;
	}
}

static int
lg_exec(struct odemu *e, struct odf_cmd *c)
{
	uint8_t op = c->cdb[0];

	if (e->st.chk_value == LG_BUSY_STEPS && e->st.chk_ok && op == 0x1D) {
		lg_self_diag(e, c);	/* before any step: the old commit */
		return 1;
	}
	if (e->st.chk_value > 0) {
		e->st.chk_ok = 0;	/* too late for a self diag */
		if (lg_busy_step(e) < 0)
			return 1;	/* power cut: target.c answers */
		if (op == 0x12 || op == 0x03)
			return 0;
		/* 02/04/07 OPERATION IN PROGRESS; 02/04/01 after the
		 * restart (BECOMING READY) */
		odemu_sense(c, ODEMU_SK_NOT_READY, 0x04,
			    e->st.chk_value ? 0x07 : 0x01);
		return 1;
	}
	switch (op) {
	case 0x3C:
		lg_read(e, c);
		return 1;
	case 0x3B:
		lg_write(e, c);
		return 1;
	case 0x1D:
		lg_self_diag(e, c);
		return 1;
	default:
		return 0;
	}
}

const struct odemu_proto odemu_proto_lg = {
	.name = "lg",
	.exec = lg_exec,
	.boot_check = lg_boot_check,
	.provision = lg_provision,
};
