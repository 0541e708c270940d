/* odflash image library: LG / Hitachi-LG firmware of the Renesas era
 * (GSA-T21N, GMA-4082N, GDR8164B ...).
 *
 * The 0x400-byte header (devilsclaw/flasher flasher/lg_renesas.c
 * firm_validate, flasher/lg_renesas.h struct firminfo and main_pat/core_pat;
 * docs/internals/protocols.md §7.3; a real GSA-E50L NE02 header shown in a
 * crossflash guide, forum.rpc1.org viewtopic.php?f=2&p=235690):
 *   0x00  2  BE16 checksum (0x02..0x0F are zero: D3 33 00 .. 00)
 *   0x10  8  drive model, "GSA-E50L" (firminfo.devname[0..7]); the guide
 *            cross-flashes a GSA-T20L by editing only these 8 bytes, so
 *            they are what ties the image to a drive: the image's target
 *   0x18  8  "MAIN    " or "CORE    " (firminfo.devname[8..15])
 *   0x20  8  "REV LVL ", then the 4-character revision ("NE02") and 4
 *            zero bytes (main_pat: 4 free bytes then 00 x 4)
 *   0x30  8  "ROM REV ", then 8 zero bytes (main_pat/core_pat)
 *   0x40  4  BE32 firm_start: where the body lies in the drive's absolute
 *            memory (GSA-E50L: 0x00410000)
 *   0x44  4  BE32 firm_size = file size - 0x400 (the body)
 *   0x400    the body; in a MAIN file its first 16 bytes equal the last 16
 *            (firm_validate check 7)
 *   checksum: firm_chksum_calc starts from the stored word and adds the
 *   byte-swapped (= big-endian) 16-bit words 1..n-1, then complements;
 *   the file is valid when the result is 0, so the stored word is
 *   ~(sum of BE16 words 1..n-1) mod 2^16 (the "key" is the stored word
 *   itself; --checksum computes it with key 0).
 * INFERRED: the model is space-padded when shorter than 8 characters
 * (every model seen fills all 8); images built here load at 0x10400 (the
 * emulated drives' layout, emu/proto_lg.c), since a real file's load
 * address is its drive's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/platform.h"

#define LG_MIN 0x400

static uint16_t
lg_sum(const uint8_t *p, size_t len)
{
	return (uint16_t)~odf_sum_be16(p + 2, (len - 2) & ~(size_t)1);
}

static bool
lg_marks(const uint8_t *p, size_t len)
{
	return len >= 0x48 && memcmp(p + 0x20, "REV LVL ", 8) == 0 &&
	       memcmp(p + 0x30, "ROM REV ", 8) == 0;
}

static int
lg_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	char rom[9];

	if (!lg_marks(p, len) || len < LG_MIN ||
	    odf_be32(p + 0x44) != len - 0x400)
		return ODF_E_FORMAT;
	memset(in, 0, sizeof(*in));
	odfi_info_common(in, ODF_FAMILY_LG_RENESAS, p, len);
	odf_str_trim(in->target, sizeof(in->target), p + 0x10, 8, ODF_STR_MARK);
	odf_str_trim(in->version, sizeof(in->version), p + 0x28, 8,
		     ODF_STR_MARK);
	snprintf(in->revision, sizeof(in->revision), "%.4s", in->version);
	if (memcmp(p + 0x18, "CORE    ", 8) == 0)
		snprintf(in->variant, sizeof(in->variant), "core");
	else if (memcmp(p + 0x18, "MAIN    ", 8) == 0)
		snprintf(in->variant, sizeof(in->variant), "main");
	odf_str_trim(rom, sizeof(rom), p + 0x38, 8, ODF_STR_MARK);
	snprintf(in->note, sizeof(in->note), "LG Renesas %s image for %s, "
		 "body 0x%X bytes at 0x%08X%s%s",
		 in->variant[0] ? in->variant : "firmware",
		 in->target[0] ? in->target : "(no model)",
		 (unsigned)odf_be32(p + 0x44), (unsigned)odf_be32(p + 0x40),
		 rom[0] ? ", ROM REV " : "", rom);
	odfi_set_checksum(&in->checksum, 16, 0, odf_be16(p), lg_sum(p, len));
	return 0;
}

static int
lg_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	  struct odf_diag *d)
{
	size_t want;

	memset(f, 0, sizeof(*f));
	if (!lg_marks(buf, len))
		return 0;
	want = (size_t)odf_be32(buf + 0x44) + 0x400;
	if (want > len) {
		odf_diag_reason(d, ODF_R_FILE_TRUNCATED);
		odf_diag_fact_bytes(d, len, want);
		return odf_diag_set(d, ODF_E_TRUNCATED,
				    "truncated: %zu bytes expected for an LG "
				    "Renesas image (size field at 0x44), %zu "
				    "present, %zu missing", want, len,
				    want - len);
	}
	if (want < len)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "LG Renesas image has %zu bytes, but its size "
				    "field at 0x44 says %zu", len, want);
	f->n = 1;
	f->part[0].len = len;
	return lg_inspect(buf, len, &f->part[0].info) == 0 ? 1 : 0;
}

static int
lg_find(const uint8_t *buf, size_t len, size_t *off, size_t *plen)
{
	const uint8_t *q = buf;

	while (q < buf + len) {
		const uint8_t *m = memmem(q, (size_t)(buf + len - q),
					  "REV LVL ", 8);
		size_t s, want;
		if (m == NULL)
			return 0;
		q = m + 1;
		if ((size_t)(m - buf) < 0x20)
			continue;
		s = (size_t)(m - buf) - 0x20;
		if (!lg_marks(buf + s, len - s))
			continue;
		want = (size_t)odf_be32(buf + s + 0x44) + 0x400;
		if (want <= len - s) {
			*off = s;
			*plen = want;
			return 1;
		}
	}
	return 0;
}

static int
lg_fix(uint8_t *p, size_t len, struct odf_diag *d)
{
	if (!lg_marks(p, len) || len < LG_MIN)
		return odf_diag_set(d, ODF_E_FORMAT, "not an LG Renesas image");
	odf_put_be16(p, lg_sum(p, len));
	return 0;
}

/* Copy up to n characters of s into p, the rest zero (REV LVL). */
static void
lg_put_zpad(uint8_t *p, size_t n, const char *s)
{
	size_t l = s ? strlen(s) : 0;

	memset(p, 0, n);
	memcpy(p, s, l < n ? l : n);
}

#define LG_BUILD_START 0x10400u	/* INFERRED: the emulated layout */

static int
lg_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	 struct odf_diag *d)
{
	size_t n = s->size ? s->size : 0x100000;
	bool core = s->variant && strcmp(s->variant, "core") == 0;
	uint8_t *b;

	if (n < LG_MIN + 0x20 || n > ((size_t)16 << 20) || (n & 1))
		return odf_diag_set(d, ODF_E_USAGE,
				    "an LG Renesas image is an even size of "
				    "0x420..16 MiB bytes, got %zu", n);
	if (s->target && strlen(s->target) > 8)
		return odf_diag_set(d, ODF_E_USAGE, "an LG Renesas image "
				    "carries an 8-character model, '%s' is "
				    "longer", s->target);
	b = odfi_alloc(n, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	/* the header is zero but for its fields; the body is filler */
	odfi_fill(b + 0x400, n - 0x400, s->seed);
	if (s->target && s->target[0])
		odf_put_padded(b + 0x10, 8, s->target);
	memcpy(b + 0x18, core ? "CORE    " : "MAIN    ", 8);
	memcpy(b + 0x20, "REV LVL ", 8);
	lg_put_zpad(b + 0x28, 8, s->version ? s->version :
		    (s->revision ? s->revision : "1.00"));
	memcpy(b + 0x30, "ROM REV ", 8);
	odf_put_be32(b + 0x40, LG_BUILD_START);
	odf_put_be32(b + 0x44, (uint32_t)(n - 0x400));
	if (!core)	/* firm_validate: body[0..16) == last 16 bytes */
		memcpy(b + n - 0x10, b + 0x400, 0x10);
	lg_fix(b, n, NULL);
	*out = b;
	*len = n;
	return 0;
}

const struct odfi_family_ops odfi_lg_ops = {
	.family = ODF_FAMILY_LG_RENESAS,
	.detect = lg_detect,
	.find = lg_find,
	.inspect = lg_inspect,
	.fix = lg_fix,
	.build = lg_build,
};
