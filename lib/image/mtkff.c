/* odflash image library: MediaTek "FF" family, MT1939 (TSST SE-506CB ...)
 * and MT1339 (TSST TS-H353C ...).
 *
 * Facts (rbdixon/coastermelt doc/bootloader.txt, which also shows the real
 * tail of SE-506CB TS01; docs/internals/protocols.md §5.3):
 *   - 2 MiB flash image (0x200000 bytes); the first 64 KiB is the boot
 *     region, the loadable image is 0x10000..0x1E1FFF;
 *   - "infonub" at 0x1FFFD0: vendor[8] "TSSTcorp", product[16]
 *     "BDDVDW SE-506CB ", revision[4] "TS01";
 *   - 0x1FFFF8: aa aa;
 *   - 0x1FFFFE: BE16 sum of the bytes 0x10000..0x1E1FFF (TS01: 0x5918,
 *     TS00: 0x06E8).
 *
 * MT1339 (TSST/hp DVD-ROMs, redumper's allowlist; the TS-H353C is an
 * MT1339 [FORUM]; docs/internals/protocols.md §5.4):
 *   - 256 KiB images (0x40000 bytes): redumper drive/flash_tsst.ixx ends
 *     them with END_256KB (docs/internals/protocols.md §5.1, §5.4);
 *   - INFERRED, not stated by any source for this chip: the MT1339 is an
 *     8051-era MT13xx (docs/internals/protocols.md §5.4), so its image is
 *     taken to follow the MediaTek 8051 rules omnipatcher checks (byte 0
 *     is 0x02, each 64 KiB bank starts with 0x02 or 0x80) and to carry the
 *     drive's ID string in INQUIRY layout (vendor[8] product[16]
 *     revision[4]), found by searching for the vendors of redumper's
 *     allowlist ("TSSTcorp", "hp");
 *   - no file checksum is known (redumper sends the file as is and checks
 *     nothing, docs/internals/protocols.md §5.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/platform.h"

#define FF_SIZE 0x200000
#define FF_NUB 0x1FFFD0
#define FF_AA 0x1FFFF8
#define FF_CSUM 0x1FFFFE
#define FF_SUM_FROM 0x10000
#define FF_SUM_TO 0x1E2000

#define M13_SIZE 0x40000
#define M13_BANK 0x10000
#define M13_ID_AT 0x4100	/* where ff_build puts the ID string: past
				   the 16 KiB common/boot area (INFERRED) */

static const char *const m13_vendors[] = { "TSSTcorp", "hp      " };

static uint16_t
ff_sum(const uint8_t *p)
{
	return (uint16_t)odf_sum_bytes(p + FF_SUM_FROM,
				       FF_SUM_TO - FF_SUM_FROM);
}

static const uint8_t *
m13_find_id(const uint8_t *p, size_t len)
{
	return odfi_find_inquiry_id(p, len, 0, m13_vendors,
				    sizeof(m13_vendors) / sizeof(m13_vendors[0]));
}

static int
m13_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	const uint8_t *id;
	const char *t;

	if (len != M13_SIZE || p[0] != 0x02)
		return ODF_E_FORMAT;
	for (size_t b = M13_BANK; b < len; b += M13_BANK)
		if (p[b] != 0x02 && p[b] != 0x80)
			return ODF_E_FORMAT;
	id = m13_find_id(p, len);
	if (id == NULL)
		return ODF_E_FORMAT;
	memset(in, 0, sizeof(*in));
	odfi_info_common(in, ODF_FAMILY_MTK_FF, p, len);
	odfi_info_inquiry(in, id);
	t = strrchr(in->product, ' ');
	snprintf(in->target, sizeof(in->target), "%s",
		 t ? t + 1 : in->product);
	in->checksum.present = false;
	snprintf(in->note, sizeof(in->note), "MediaTek MT1339 256 KiB image "
		 "(TSST ID string at 0x%zx; no checksum known)",
		 (size_t)(id - p));
	return 0;
}

static int
ff_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	const char *t;

	if (len == M13_SIZE)
		return m13_inspect(p, len, in);
	if (len != FF_SIZE || p[FF_AA] != 0xAA || p[FF_AA + 1] != 0xAA ||
	    !odfi_printable(p + FF_NUB, 28))
		return ODF_E_FORMAT;
	memset(in, 0, sizeof(*in));
	odfi_info_common(in, ODF_FAMILY_MTK_FF, p, len);
	odfi_info_inquiry(in, p + FF_NUB);
	t = strrchr(in->product, ' ');
	snprintf(in->target, sizeof(in->target), "%s",
		 t ? t + 1 : in->product);
	odfi_set_checksum(&in->checksum, 16, FF_CSUM, odf_be16(p + FF_CSUM),
			  ff_sum(p));
	snprintf(in->note, sizeof(in->note), "MediaTek MT1939 2 MiB image");
	return 0;
}

static int
ff_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	  struct odf_diag *d)
{
	memset(f, 0, sizeof(*f));
	if (len < M13_SIZE && len > M13_SIZE - M13_BANK && buf[0] == 0x02 &&
	    m13_find_id(buf, len) != NULL) {
		/* A cut MT1339 image keeps what m13_inspect looks for (byte
		 * 0x02 at 0, the TSST ID string), as long as its last bank
		 * was not cut whole. */
		odf_diag_reason(d, ODF_R_FILE_TRUNCATED);
		odf_diag_fact_bytes(d, len, M13_SIZE);
		return odf_diag_set(d, ODF_E_TRUNCATED,
				    "truncated: %d bytes expected for a "
				    "MediaTek MT1339 image, %zu present, %zu "
				    "missing", M13_SIZE, len,
				    (size_t)M13_SIZE - len);
	}
	if (len != FF_SIZE && len != M13_SIZE) {
		/* A cut MT1939 download loses the tail; a known vendor string
		 * where a smaller MT1939 image would have its infonub is too
		 * weak to claim.  Say nothing (image.c adds a hint). */
		return 0;
	}
	if (ff_inspect(buf, len, &f->part[0].info) < 0)
		return 0;
	f->n = 1;
	f->part[0].len = len;
	return 1;
}

static int
ff_find(const uint8_t *buf, size_t len, size_t *off, size_t *plen)
{
	const uint8_t *q = buf;

	while (q < buf + len) {
		const uint8_t *m = memmem(q, (size_t)(buf + len - q),
					  "TSSTcorp", 8);
		size_t o;
		struct odf_image_info in;
		if (m == NULL)
			return 0;
		q = m + 1;
		o = (size_t)(m - buf);
		if (o < FF_NUB || o - FF_NUB + FF_SIZE > len)
			continue;
		if (ff_inspect(buf + o - FF_NUB, FF_SIZE, &in) == 0) {
			*off = o - FF_NUB;
			*plen = FF_SIZE;
			return 1;
		}
	}
	return 0;
}

static int
ff_fix(uint8_t *p, size_t len, struct odf_diag *d)
{
	if (len == M13_SIZE)
		return odf_diag_set(d, ODF_E_UNSUPPORTED, "no checksum is "
				    "known for MT1339 images");
	if (len != FF_SIZE)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "an MT1939 image is %d bytes, not %zu",
				    FF_SIZE, len);
	odf_put_be16(p + FF_CSUM, ff_sum(p));
	return 0;
}

/* An MT1339 image in the layout m13_inspect reads (INFERRED, see the
 * top): 8051 banks, the ID string past the common area. */
static int
m13_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	  struct odf_diag *d)
{
	char prod[17];
	uint8_t *b = odfi_alloc(M13_SIZE, d);

	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b, M13_SIZE, s->seed);
	for (size_t k = 0; k < M13_SIZE; k += M13_BANK)
		b[k] = 0x02;
	snprintf(prod, sizeof(prod), "DVD-ROM %s",
		 s->target ? s->target : "TS-H353C");
	odfi_put_inquiry(b + M13_ID_AT, s, "TSSTcorp", prod, "1.00");
	*out = b;
	*len = M13_SIZE;
	return 0;
}

static int
ff_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	 struct odf_diag *d)
{
	const char *model = s->target ? s->target : "SE-506CB";
	char prod[17];
	uint8_t *b;

	if (s->size == M13_SIZE)
		return m13_build(s, out, len, d);
	if (s->size && s->size != FF_SIZE)
		return odf_diag_set(d, ODF_E_USAGE, "a MediaTek FF image is "
				    "%d (MT1939) or %d (MT1339) bytes, not %zu",
				    FF_SIZE, M13_SIZE, s->size);
	b = odfi_alloc(FF_SIZE, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b, FF_SUM_TO, s->seed);
	memset(b + FF_SUM_TO, 0xFF, FF_SIZE - FF_SUM_TO);
	snprintf(prod, sizeof(prod), "BDDVDW %s", model);
	odfi_put_inquiry(b + FF_NUB, s, "TSSTcorp", prod, "TS01");
	b[FF_AA] = 0xAA;
	b[FF_AA + 1] = 0xAA;
	ff_fix(b, FF_SIZE, NULL);
	*out = b;
	*len = FF_SIZE;
	return 0;
}

const struct odfi_family_ops odfi_mtkff_ops = {
	.family = ODF_FAMILY_MTK_FF,
	.detect = ff_detect,
	.find = ff_find,
	.inspect = ff_inspect,
	.fix = ff_fix,
	.build = ff_build,
};
