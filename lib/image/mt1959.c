/* odflash image library: MediaTek MT1959 (LG/HL-DT-ST BU40N, BH16NS..,
 * WH16NS.., ASUS BW-16D1HT Blu-ray writers).
 *
 * Facts (docs/internals/protocols.md §5.6):
 *   - the drive's config block is 0x20 bytes at 0x3000; its first 16 bytes
 *     are the boot/config ID, "MT1959 Boot JB8 " (desktop) or "MT1959 Boot
 *     BU5 " (slim): superg/redumper@2ab9a42 drive/flash_mt1959.ixx:
 *     redumper_flash_mt1959 (config_offset, config_size, id_size) and its
 *     table MT1959_SUPPORTED_DRIVES;
 *   - a file shorter than 0x10000 bytes is refused there; the image is the
 *     drive's 2 MiB flash (the per-unit data ends at the end of the 2 MiB);
 *   - the unit's own data (mt59_units): its signature at 0x1E8000..0x1E84FF
 *     and its calibration from 0x1E9000 to the end of the file, which a
 *     (cross)flash copies from the drive's dump into the new image: the
 *     MakeMKV forum thread "Linux native flashing" (makemkv.com/forum/
 *     viewtopic.php?f=19&t=21278, first post, 2020-01-12: its dd script's
 *     SIG_POS 0x1E8000, SIG_CNT 0x500, CAL_POS 0x1E9000 to the end, for a
 *     WH16NS40) [FORUM]; the 32-byte block at 0x3000 is the drive's own
 *     too (redumper_flash_mt1959 copies the drive's, read with READ
 *     BUFFER mode 6, over the file's);
 *   - the CMAC table: 16 entries of 28 bytes at 0x10400, each
 *     <enabled LE32, start LE32, end LE32 (inclusive), cmac[16]>; enabled
 *     0xFFFFFFFF = unused; the CMAC is AES-CMAC-128 under the key
 *     BD209408E35E526A36235234434FE8AB over bytes start..end with every
 *     16-byte block reversed, stored byte-reversed
 *     (RibShark/OmniDrive@9f3792a scripts/update_cmac.py: calc_cmac and
 *     its caller);
 *   - OmniDrive's patch writes "OmniDrive" and three version bytes
 *     (major, minor, patch) over the firmware's INQUIRY data
 *     (RibShark/OmniDrive@9f3792a asm/main.asm, label InquiryDataPatch:
 *     0x14F83E in BU40N 1.00, 0x152686 in BW-16D1HT 3.02).
 * INFERRED (no source gives it): the drive's INQUIRY strings lie in the
 * image in INQUIRY layout (vendor[8] product[16] revision[4]) and are
 * found by searching for the vendors of redumper's table ("HL-DT-ST",
 * "ASUS"); a file without them identifies with no version.  odflash's own
 * builder puts them at 0x1E0100 (MT59_ID_AT), inside a CMAC range.
 * CMAC-AES128 comes from nettle (cmac_aes128_*), never hand-written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/cmac.h>

#include "image/internal.h"
#include "util/platform.h"

#define MT59_SIZE 0x200000u
#define MT59_CFG 0x3000u
#define MT59_TABLE 0x10400u
#define MT59_ENTRY 28u
#define MT59_ENTRIES 16u
#define MT59_ID_AT 0x1E0100u	/* builder only (INFERRED, see the top) */
/* per-unit signature 0x1E8000..0x1E84FF, calibration 0x1E9000..end */
#define MT59_SIG_END 0x1E8500u
#define MT59_CAL 0x1E9000u	/* per-unit calibration to the end */

/* The unit's own ranges (the top's sources) */
static const struct odf_unit_range mt59_units[] = {
	{ MT59_CFG, MT59_CFG + 0x1F, "ID block", true },
	{ 0x1E8000u, MT59_SIG_END - 1, "signature", false },
	{ MT59_CAL, MT59_SIZE - 1, "calibration", false },
};

static const uint8_t mt59_key[16] = {
	0xBD, 0x20, 0x94, 0x08, 0xE3, 0x5E, 0x52, 0x6A,
	0x36, 0x23, 0x52, 0x34, 0x43, 0x4F, 0xE8, 0xAB,
};

static const char *const mt59_vendors[] = { "HL-DT-ST", "ASUS    " };

/* CMAC of p[start..end] (end inclusive), blocks reversed, into out[16]
 * as stored in the table (byte-reversed). */
static void
mt59_cmac(const uint8_t *p, uint32_t start, uint32_t end, uint8_t out[16])
{
	struct cmac_aes128_ctx c;
	uint8_t blk[16], dig[16];
	size_t n = (size_t)end - start + 1;

	cmac_aes128_set_key(&c, mt59_key);
	for (size_t o = 0; o < n; o += 16) {
		size_t k = n - o < 16 ? n - o : 16;

		for (size_t i = 0; i < k; i++)
			blk[i] = p[start + o + k - 1 - i];
		cmac_aes128_update(&c, k, blk);
	}
	cmac_aes128_digest(&c, 16, dig);
	for (size_t i = 0; i < 16; i++)
		out[i] = dig[15 - i];
}

/* Check every used entry: returns the number used, *bad = the first bad
 * entry's index (or -1), exp and act its stored and computed first words. */
static unsigned
mt59_check_table(const uint8_t *p, int *bad, uint32_t *exp, uint32_t *act)
{
	unsigned used = 0;

	*bad = -1;
	*exp = *act = 0;
	for (unsigned i = 0; i < MT59_ENTRIES; i++) {
		const uint8_t *e = p + MT59_TABLE + i * MT59_ENTRY;
		uint32_t st = odf_le32(e + 4), en = odf_le32(e + 8);
		uint8_t mac[16] = { 0 };
		bool ok;

		if (odf_le32(e) == 0xFFFFFFFFu)
			continue;
		used++;
		ok = st <= en && en < MT59_SIZE;
		if (ok) {
			mt59_cmac(p, st, en, mac);
			ok = memcmp(mac, e + 12, 16) == 0;
		}
		if (used == 1 || (!ok && *bad < 0)) {
			*exp = odf_be32(e + 12);
			*act = odf_be32(mac);
		}
		if (!ok && *bad < 0)
			*bad = (int)i;
	}
	return used;
}

static const uint8_t *
mt59_find_id(const uint8_t *p, size_t len)
{
	return odfi_find_inquiry_id(p, len, MT59_TABLE, mt59_vendors,
				    sizeof(mt59_vendors) / sizeof(mt59_vendors[0]));
}

static bool
mt59_has_cfg(const uint8_t *p, size_t len)
{
	return len > MT59_CFG + 16 && memcmp(p + MT59_CFG, "MT1959 Boot ",
					     12) == 0 &&
	       odfi_printable(p + MT59_CFG, 16);
}

static int
mt59_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	const uint8_t *id, *om;
	uint32_t exp, act;
	unsigned used;
	int bad;

	if (len != MT59_SIZE || !mt59_has_cfg(p, len))
		return ODF_E_FORMAT;
	memset(in, 0, sizeof(*in));
	odfi_info_common(in, ODF_FAMILY_MT1959, p, len);
	odf_str_trim(in->target, sizeof(in->target), p + MT59_CFG, 16,
		     ODF_STR_MARK);
	id = mt59_find_id(p, len);
	if (id)
		odfi_info_inquiry(in, id);
	om = memmem(p, len - 12, "OmniDrive", 9);
	if (om)
		snprintf(in->variant, sizeof(in->variant), "OmniDrive %u.%u.%u",
			 om[9], om[10], om[11]);
	used = mt59_check_table(p, &bad, &exp, &act);
	if (used == 0) {
		in->checksum.present = false;
		snprintf(in->note, sizeof(in->note), "MediaTek MT1959 2 MiB "
			 "image, no CMAC range in the table at 0x%x",
			 MT59_TABLE);
	} else {
		odfi_set_checksum(&in->checksum, 32, MT59_TABLE +
				  (bad < 0 ? 0 : (unsigned)bad) * MT59_ENTRY +
				  12, exp, act);
		in->checksum.ok = bad < 0;
		if (bad < 0)
			snprintf(in->note, sizeof(in->note), "MediaTek MT1959 "
				 "2 MiB image; CMAC-AES128: %u ranges valid "
				 "(first 32 bits shown)%s", used, om ?
				 "; patched (OmniDrive)" : "");
		else
			snprintf(in->note, sizeof(in->note), "MediaTek MT1959 "
				 "2 MiB image; CMAC-AES128 of range %d (table "
				 "entry at 0x%x) does not match", bad,
				 MT59_TABLE + (unsigned)bad * MT59_ENTRY);
	}
	return 0;
}

static int
mt59_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	    struct odf_diag *d)
{
	memset(f, 0, sizeof(*f));
	if (!mt59_has_cfg(buf, len))
		return 0;
	if (len < MT59_SIZE) {
		odf_diag_reason(d, ODF_R_FILE_TRUNCATED);
		odf_diag_fact_bytes(d, len, MT59_SIZE);
		return odf_diag_set(d, ODF_E_TRUNCATED, "truncated: %u bytes "
				    "expected for a MediaTek MT1959 image, %zu "
				    "present, %zu missing", MT59_SIZE, len,
				    (size_t)MT59_SIZE - len);
	}
	if (len != MT59_SIZE)
		return 0;
	if (mt59_inspect(buf, len, &f->part[0].info) < 0)
		return 0;
	f->n = 1;
	f->part[0].len = len;
	return 1;
}

static int
mt59_fix(uint8_t *p, size_t len, struct odf_diag *d)
{
	if (len != MT59_SIZE)
		return odf_diag_set(d, ODF_E_FORMAT, "an MT1959 image is %u "
				    "bytes, not %zu", MT59_SIZE, len);
	/* what update_cmac.py does: every used range's CMAC rewritten */
	for (unsigned i = 0; i < MT59_ENTRIES; i++) {
		uint8_t *e = p + MT59_TABLE + i * MT59_ENTRY;
		uint32_t st = odf_le32(e + 4), en = odf_le32(e + 8);

		if (odf_le32(e) == 0xFFFFFFFFu)
			continue;
		if (st > en || en >= MT59_SIZE)
			return odf_diag_set(d, ODF_E_FORMAT, "CMAC range %u "
					    "(0x%x..0x%x) lies outside the "
					    "image", i, st, en);
		mt59_cmac(p, st, en, e + 12);
	}
	return 0;
}

/* odflash's builder layout (INFERRED where the top says so): the config
 * block, two CMAC ranges (0x10600..0x1DFFFF, 0x1E0000..0x1E7FFF), the
 * INQUIRY strings at MT59_ID_AT, filler as the unit's signature and
 * calibration. */
static int
mt59_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	   struct odf_diag *d)
{
	static const uint32_t ranges[2][2] = {
		{ 0x10600, 0x1DFFFF }, { 0x1E0000, 0x1E7FFF },
	};
	char cfg[17];
	uint8_t *b;

	if (s->size && s->size != MT59_SIZE)
		return odf_diag_set(d, ODF_E_USAGE, "an MT1959 image is %u "
				    "bytes, not %zu", MT59_SIZE, s->size);
	b = odfi_alloc(MT59_SIZE, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b, MT59_SIZE, s->seed);
	for (size_t i = 0; i + 8 <= MT59_SIZE; i++)
		if (memcmp(b + i, "HL-DT-ST", 8) == 0 ||
		    memcmp(b + i, "ASUS    ", 8) == 0 ||
		    memcmp(b + i, "OmniDriv", 8) == 0)
			b[i] = 0;
	snprintf(cfg, sizeof(cfg), "MT1959 Boot %s",
		 s->target ? s->target : "JB8");
	odf_put_padded(b + MT59_CFG, 16, cfg);
	memset(b + MT59_TABLE, 0xFF, MT59_ENTRIES * MT59_ENTRY);
	for (unsigned i = 0; i < 2; i++) {
		uint8_t *e = b + MT59_TABLE + i * MT59_ENTRY;

		odf_put_le32(e, 1);
		odf_put_le32(e + 4, ranges[i][0]);
		odf_put_le32(e + 8, ranges[i][1]);
	}
	odfi_put_inquiry(b + MT59_ID_AT, s, "HL-DT-ST", "BD-RE BH16NS40",
			 "1.00");
	memset(b + MT59_SIG_END, 0xFF, MT59_CAL - MT59_SIG_END);
	mt59_fix(b, MT59_SIZE, NULL);
	*out = b;
	*len = MT59_SIZE;
	return 0;
}

const struct odfi_family_ops odfi_mt1959_ops = {
	.family = ODF_FAMILY_MT1959,
	.detect = mt59_detect,
	.find = NULL,
	.inspect = mt59_inspect,
	.fix = mt59_fix,
	.build = mt59_build,
	.units = mt59_units,
	.nunits = sizeof(mt59_units) / sizeof(mt59_units[0]),
};

