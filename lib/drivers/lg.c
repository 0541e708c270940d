/* odflash vendor driver: LG / Hitachi-LG drives of the Renesas era
 * (GSA-T21N, GMA-4082N, GDR8164B ...).
 *
 * Facts: devilsclaw/flasher flasher/lg_renesas.c, flasher/lg_renesas.h,
 * flasher/cmds_all.c, Readme.txt (docs/internals/protocols.md §7):
 *   - memory read: `3C src A3 A2 A1 A0 00 L1 L0 44` -- the READ BUFFER
 *     opcode with a 4-byte address in bytes 2-5, a 2-byte length in 7-8
 *     and 'D' in byte 9; src 01 cache size, 02 cache, 05 absolute memory
 *     (flash), 06 debug; 0x8000 bytes per read;
 *   - memory write: `3B src ...`, the same layout; every 32 KiB chunk of
 *     the file goes to src 02 (cache) at its file offset, the last chunk
 *     to src 05; then SEND DIAGNOSTIC `1D 01 00 00 06 00` with the 6-byte
 *     parameter list `23 00 00 00 00 80` ("self diag": its failure means
 *     "possibly bad drive flash", a failed chunk write means the drive
 *     "should still be fine"); lgren_diag, which sends it, says the
 *     official flasher does so; at devilsclaw@864b3ee it and its call
 *     are commented out (docs/internals/protocols.md §7.2);
 *   - verify: 4 x (1 s + TEST UNIT READY), then read firm_size bytes of
 *     absolute memory at firm_start (both from the file's header at 0x40
 *     and 0x44) and compare with the file from 0x400;
 *   - dump (-m): find the MAIN header in absolute memory by its pattern
 *     (main_pat: 04..0F zero, "MAIN    " at 0x18, "REV LVL " at 0x20 then
 *     4 free bytes and 4 zero bytes, "ROM REV " at 0x30 then 8 zero
 *     bytes), reading 0x8000 at a time with the pattern's length of
 *     overlap; read firm_size bytes at firm_start; the file is a 0x400-byte
 *     header (the 0x48 header bytes found, the rest zero, the first 4
 *     bytes zeroed, the INQUIRY revision at 0x28, the size at 0x44, the
 *     complemented checksum at 0) followed by the body;
 *   - the transport timeout of 18 s (libmmc/mmc_linux.c) is too short for
 *     some drives (docs/internals/protocols.md §1.9):
 *     we give the writes and the self diag 300 s.
 * LG hard-codes 32 KiB transfers (docs/internals/protocols.md §1.8): a
 * path that carries less is refused before anything is sent.
 *
 * INFERRED (no public source; the emulated drive follows, tests pin it):
 *   - the flash is programmed by the self diag, not by the last write,
 *     and the drive is busy (TEST UNIT READY 02/04/07) while it does so;
 *   - a drive whose MAIN firmware is broken runs its CORE firmware, which
 *     answers INQUIRY but not GET CONFIGURATION and still takes the
 *     3B/3C/1D sequence, so a drive in boot mode is recovered with the
 *     same plan (the Hitachi-LG drives of the Xbox 360 boot into a
 *     "recovery code" when their checksum fails, forums.xboxscene.org
 *     topic 138352 [FORUM]; nothing says the same of these drives:
 *     docs/internals/protocols.md §7.4);
 *   - the MAIN header is searched for in the first 16 MiB of absolute
 *     memory only (devilsclaw scans up to 4 GiB);
 *   - only MAIN images are flashed (devilsclaw would send a CORE file the
 *     same way; what a drive does with one is not documented).
 * The drive is recognised by its INQUIRY vendor "HL-DT-ST" and a model
 * from the table below: LG also made MediaTek drives (MT1959,
 * docs/internals/protocols.md §5.6)
 * that share the vendor string and speak another protocol.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/ctx.h"
#include "odf/bytes.h"
#include "drivers/drivers_int.h"

#define LG_CHUNK 0x8000u		/* devilsclaw SECTOR_SIZE / 32 KiB */
#define LG_TIMEOUT_MS 300000u
#define LG_READ_TIMEOUT_MS 60000u
#define LG_HDR 0x400u
#define LG_PAT 0x48u			/* sizeof(firminfo) = main_pat */
#define LG_SEARCH_MAX 0x1000000u	/* INFERRED bound: 16 MiB */
#define LG_BODY_MAX 0x1000000u

#define LG_SRC_CACHE 0x02
#define LG_SRC_MEMORY 0x05

/* Models known to be of the Renesas era. */
static const char *const lg_models[] = {
	"GSA-T21N", "GMA-4082N", "GDR8164B",	/* devilsclaw/flasher */
	"GMA-4020B",			/* devilsclaw Readme.txt */
	"GSA-E50L", "GSA-T20L",		/* forum.rpc1.org p=235690 */
	"GGW-H20L",			/* guillaumeplayground.net */
	"GSA-4163B",			/* INFERRED: no public source
					   states its chip */
};

static const char *
lg_model_word(const char *product)
{
	const char *t = strrchr(product, ' ');

	return t ? t + 1 : product;
}

static bool
lg_known(const char *model)
{
	for (size_t i = 0; i < sizeof(lg_models) / sizeof(lg_models[0]); i++)
		if (strcmp(lg_models[i], model) == 0)
			return true;
	return false;
}

/* `op src A3 A2 A1 A0 00 L1 L0 44` (lg_renesas.c lgren_read/lgren_write) */
static void
lg_cdb(uint8_t c[10], uint8_t op, uint8_t src, uint32_t addr, uint16_t len)
{
	memset(c, 0, 10);
	c[0] = op;
	c[1] = src;
	odf_put_be32(c + 2, addr);
	odf_put_be16(c + 7, len);
	c[9] = 0x44;
}

static int
lg_read(struct odf_dev *dev, uint32_t addr, uint8_t *buf, size_t len,
	struct odf_diag *d)
{
	uint8_t cdb[10];

	lg_cdb(cdb, 0x3C, LG_SRC_MEMORY, addr, (uint16_t)len);
	return odfi_vnd_run(dev, cdb, 10, ODF_DIR_IN, buf, len,
			    LG_READ_TIMEOUT_MS, "LG read memory (3C 05)", d);
}

static int
lg_probe(struct odf_dev *dev, const struct odf_inquiry *inq,
	 struct odf_drive_ident *id, struct odf_diag *d)
{
	const char *t = lg_model_word(inq->product);

	(void)d;
	if (inq->pdt != 5 || strcmp(inq->vendor, "HL-DT-ST") != 0 ||
	    !lg_known(t))
		return 0;
	snprintf(id->target, sizeof(id->target), "%s", t);
	id->mode = odfi_vnd_in_boot_code(dev) ? ODF_MODE_BOOT :
		   ODF_MODE_NORMAL;
	snprintf(id->detail, sizeof(id->detail), "LG Renesas: 3C/3B with a "
		 "4-byte address, SEND DIAGNOSTIC finish (devilsclaw/flasher)");
	return 1;
}

/* Largest read the path carries, at most LG_CHUNK, in 2 KiB units. */
static int
lg_read_chunk(struct odf_dev *dev, size_t *chunk, struct odf_diag *d)
{
	const struct odf_dev_info *in = odf_dev_get_info(dev);
	size_t c = LG_CHUNK;

	if (in && in->max_transfer && in->max_transfer < c)
		c = in->max_transfer & ~(size_t)0x7FF;
	if (c == 0)
		return odf_diag_set(d, ODF_E_PATH, "the path carries less than "
				    "2 KiB per command");
	*chunk = c;
	return 0;
}

static int
lg_path_probe(struct odf_dev *dev, const struct odf_drive_ident *id,
	      struct odf_path_limits *lim, struct odf_diag *d)
{
	uint8_t *buf;
	size_t c = 0;
	int rc;

	(void)id;
	(void)lim;
	rc = lg_read_chunk(dev, &c, d);
	if (rc < 0)
		return rc;
	buf = malloc(c);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	/* one harmless read proves the path carries the LG layout */
	rc = lg_read(dev, 0, buf, c, d);
	free(buf);
	return rc;
}

/* Does a 0x48-byte window match devilsclaw's main_pat? */
static bool
lg_main_header(const uint8_t *p)
{
	static const uint8_t z[8] = { 0 };

	return memcmp(p + 0x04, z, 8) == 0 && memcmp(p + 0x0C, z, 4) == 0 &&
	       memcmp(p + 0x18, "MAIN    ", 8) == 0 &&
	       memcmp(p + 0x20, "REV LVL ", 8) == 0 &&
	       memcmp(p + 0x2C, z, 4) == 0 &&
	       memcmp(p + 0x30, "ROM REV ", 8) == 0 &&
	       memcmp(p + 0x38, z, 8) == 0;
}

/* Find the MAIN header in absolute memory; copies its 0x48 bytes. */
static int
lg_find_header(struct odf_dev *dev, size_t chunk, uint8_t hdr[LG_PAT],
	       uint32_t *at, struct odf_diag *d)
{
	uint8_t *buf = malloc(chunk);
	int rc = 0;

	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	for (uint32_t a = 0; a < LG_SEARCH_MAX; a += (uint32_t)(chunk - LG_PAT)) {
		rc = lg_read(dev, a, buf, chunk, d);
		if (rc < 0)
			break;
		for (size_t i = 0; i + LG_PAT <= chunk; i++) {
			if (lg_main_header(buf + i)) {
				memcpy(hdr, buf + i, LG_PAT);
				*at = a + (uint32_t)i;
				free(buf);
				return 0;
			}
		}
	}
	free(buf);
	if (rc < 0) {
		char m[ODF_DIAG_MSG_MAX];

		snprintf(m, sizeof(m), "%s", d ? d->msg : "");
		return odf_diag_set(d, rc, "no MAIN firmware header found in "
				    "the drive's memory (%s)", m);
	}
	return odf_diag_set(d, ODF_E_UNSUPPORTED, "no MAIN firmware header "
			    "in the first %u MiB of the drive's memory",
			    LG_SEARCH_MAX >> 20);
}

static int
lg_read_range(struct odf_dev *dev, uint32_t start, size_t len, size_t chunk,
	      uint8_t *out, const struct odf_dump_req *req, struct odf_diag *d)
{
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		int rc = lg_read(dev, start + (uint32_t)off, out + off, n, d);

		if (rc < 0)
			return rc;
		if (req && req->progress)
			req->progress(req->progress_ctx, "dump",
				      (uint64_t)(off + n), len);
	}
	return 0;
}

/* Complemented sum of the BE16 words after the first (lib/image/lg.c). */
static uint16_t
lg_checksum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 2; i + 1 < len; i += 2)
		s += odf_be16(p + i);
	return (uint16_t)~s;
}

static int
lg_dump(struct odf_dev *dev, const struct odf_drive_ident *id,
	const struct odf_dump_req *req, uint8_t **out, size_t *len,
	struct odf_diag *d)
{
	uint8_t hdr[LG_PAT], *buf;
	uint32_t at = 0, start, size;
	size_t chunk = 0, skip;
	int rc;

	if (id->mode != ODF_MODE_NORMAL) {
		odf_diag_reason(d, ODF_R_RECOVER_FIRST);
		odf_diag_fact_device(d, odfi_vnd_dev_name(dev));
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "the drive runs its "
				    "CORE firmware: its MAIN firmware is broken "
				    "and cannot be backed up");
	}
	rc = lg_read_chunk(dev, &chunk, d);
	if (rc < 0)
		return rc;
	rc = lg_find_header(dev, chunk, hdr, &at, d);
	if (rc < 0)
		return rc;
	start = odf_be32(hdr + 0x40);
	size = odf_be32(hdr + 0x44);
	if (size == 0 || size > LG_BODY_MAX || start > UINT32_MAX - size)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "the MAIN header at "
				    "0x%08X gives %u bytes at 0x%08X: not a "
				    "size odflash can dump", (unsigned)at,
				    (unsigned)size, (unsigned)start);
	odf_ctx_log(odf_dev_ctx(dev), ODF_LOG_INFO, "LG MAIN header at 0x%08X: body 0x%X bytes at "
		"0x%08X", (unsigned)at, (unsigned)size, (unsigned)start);
	skip = req && req->raw ? 0 : LG_HDR;
	buf = calloc(1, skip + size);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	rc = lg_read_range(dev, start, size, chunk, buf + skip, req, d);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	if (skip) {
		/* cmd_dumpmain: header copy, first 4 bytes zero, INQUIRY
		 * revision at 0x28, size at 0x44, checksum at 0 */
		memcpy(buf, hdr, LG_PAT);
		memset(buf, 0, 4);
		if (strlen(id->revision) == 4)
			memcpy(buf + 0x28, id->revision, 4);
		odf_put_be32(buf + 0x44, size);
		odf_put_be16(buf, lg_checksum(buf, skip + size));
	}
	*out = buf;
	*len = skip + size;
	return 0;
}

static int
lg_plan(const struct odf_drive_ident *id, const struct odf_image *img,
	size_t part, const struct odf_path_limits *lim, enum odf_plan_kind kind,
	struct odf_plan *plan, struct odf_diag *d)
{
	const bool recovery = kind == ODF_PLAN_RECOVER;
	static const uint8_t diag_cdb[6] = { 0x1D, 0x01, 0x00, 0x00, 0x06,
					     0x00 };
	static const uint8_t diag_data[6] = { 0x23, 0x00, 0x00, 0x00, 0x00,
					      0x80 };
	const struct odf_image_info *info = odf_image_info(img, part);
	char label[ODF_STEP_LABEL_MAX];
	size_t len = 0;
	const uint8_t *p = odf_image_data(img, part, &len);
	struct odf_plan_step *s;
	uint8_t *data;
	int rc;

	if (!p || !info || len <= LG_HDR)
		return odf_diag_set(d, ODF_E_FORMAT, "the image is empty");
	if (info->family != ODF_FAMILY_LG_RENESAS ||
	    strcmp(info->variant, "main") != 0)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "odflash flashes LG "
				    "Renesas MAIN firmware only (this is %s "
				    "%s)", odf_family_name(info->family),
				    info->variant[0] ? info->variant :
				    "firmware");
	if (len > UINT32_MAX)
		return odf_diag_set(d, ODF_E_FORMAT, "the image is too large");
	rc = odfi_vnd_fixed_chunk(lim, LG_CHUNK, "an LG drive", d);
	if (rc < 0)
		return rc;
	/* the file, then the self diag's parameter list */
	data = malloc(len + sizeof(diag_data));
	if (!data)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	memcpy(data, p, len);
	memcpy(data + len, diag_data, sizeof(diag_data));
	odf_plan_init(plan, "lg");
	odf_plan_set_data(plan, data, len + sizeof(diag_data));
	plan->recovery = recovery;
	plan->chunk = LG_CHUNK;
	snprintf(plan->what, sizeof(plan->what), "LG Renesas %.16s: %u x 3B "
		 "02 to cache, 3B 05 last, SEND DIAGNOSTIC self diag",
		 id->target, (unsigned)((len + LG_CHUNK - 1) / LG_CHUNK - 1));
	if (!odfi_vnd_kind(plan, ODF_STEP_DRAIN_UA, 0, 0, 0,
			   ODFI_DRAIN_LABEL))
		goto nomem;
	for (size_t off = 0; off < len; off += LG_CHUNK) {
		size_t k = len - off < LG_CHUNK ? len - off : LG_CHUNK;
		bool last = off + k >= len;
		uint8_t cdb[10];

		lg_cdb(cdb, 0x3B, last ? LG_SRC_MEMORY : LG_SRC_CACHE,
		       (uint32_t)off, (uint16_t)k);
		snprintf(label, sizeof(label), "write %s 0x%06x+%u", last ?
			 "memory" : "cache", (unsigned)off, (unsigned)k);
		/* the last chunk, to memory, is the commit: the drive starts
		 * writing its flash (devilsclaw/flasher@864b3ee
		 * flasher/lg_renesas.c:firm_flasher sends nothing after it;
		 * docs/internals/protocols.md §7.2), so it is the point of no
		 * return, not the self diag after it */
		s = odfi_vnd_cmd(plan, cdb, 10, ODF_DIR_OUT, off, k,
				 LG_TIMEOUT_MS, (unsigned)((k + 4095) / 4096),
				 last ? ODF_STEP_PONR : 0, label);
		if (!s)
			goto nomem;
		s->image_bytes = k;
	}
	if (!odfi_vnd_cmd(plan, diag_cdb, 6, ODF_DIR_OUT, len,
			  sizeof(diag_data), LG_TIMEOUT_MS, 16,
			  ODF_STEP_MAY_REBOOT,
			  "SEND DIAGNOSTIC self diag (flash)"))
		goto nomem;
	/* devilsclaw firm_verify waits 4 x (1 s + TEST UNIT READY); we
	 * poll TEST UNIT READY until the drive is ready instead */
	return odfi_vnd_come_back(plan, &(const struct odfi_come_back){
		.poll_ms = 300000, .poll_weight = 8,
		.poll_flags = ODF_STEP_SAFE,
		.poll_label = "wait for the drive to restart" }, d);
nomem:
	return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
}

/* firm_verify: the body at the file's firm_start equals the file from
 * 0x400; we also compare the drive's MAIN header with the file's (model,
 * tags, revision, address and size). */
static int
lg_verify(struct odf_dev *dev, const struct odf_drive_ident *id,
	  const struct odf_image *img, size_t part, struct odf_diag *d)
{
	size_t len = 0, chunk = 0;
	const uint8_t *p = odf_image_data(img, part, &len);
	uint8_t hdr[LG_PAT], *buf;
	uint32_t at = 0, start, size;
	int rc;

	(void)id;
	if (!p || len <= LG_HDR)
		return odf_diag_set(d, ODF_E_FORMAT, "the image is empty");
	start = odf_be32(p + 0x40);
	size = odf_be32(p + 0x44);
	if (size != len - LG_HDR)
		return odf_diag_set(d, ODF_E_FORMAT, "the image's size field "
				    "does not match its length");
	rc = lg_read_chunk(dev, &chunk, d);
	if (rc < 0)
		return rc;
	rc = lg_find_header(dev, chunk, hdr, &at, d);
	if (rc < 0)
		return rc == ODF_E_UNSUPPORTED ? ODF_E_VERIFY : rc;
	if (memcmp(hdr + 0x10, p + 0x10, LG_PAT - 0x10) != 0)
		return odf_diag_set(d, ODF_E_VERIFY, "the drive's MAIN header "
				    "(0x%08X) differs from the image's",
				    (unsigned)at);
	buf = malloc(size);
	if (!buf)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	rc = lg_read_range(dev, start, size, chunk, buf, NULL, d);
	if (rc == 0 && memcmp(buf, p + LG_HDR, size) != 0)
		rc = odf_diag_set(d, ODF_E_VERIFY, "the drive's memory at "
				  "0x%08X differs from the image's body",
				  (unsigned)start);
	free(buf);
	return rc;
}

static const struct odf_driver_ops lg_ops = {
	.chunk_align = LG_CHUNK,
	.chunk_max = LG_CHUNK,
	.dump_ext = ".bin",
	.dump = lg_dump,
	.path_probe = lg_path_probe,
	.plan = lg_plan,
	.verify = lg_verify,
};

const struct odf_driver odf_driver_lg = {
	.name = "lg",
	.description = "LG/Hitachi-LG Renesas (3C/3B 4-byte address, SEND "
		       "DIAGNOSTIC; devilsclaw/flasher)",
	.family = ODF_FAMILY_LG_RENESAS,
	.probe = lg_probe,
	.ops = &lg_ops,
};
