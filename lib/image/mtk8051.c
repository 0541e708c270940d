/* odflash image library: classic MediaTek 8051 firmware (Lite-On, BTC,
 * Sony/NEC/Optiarc-on-MTK).
 *
 * Facts (rpc1dev/omnipatcher fw.pl, fw_mtk.pl, lib_rebank.pl, fw_specs.pl;
 * protocols.md §2 table and §2b):
 *   - accepted sizes 0x20000, 0x40000, 0x80000, 0x100000; byte 0 is 0x02
 *     (8051 LJMP); normally every 64 KiB bank starts with 0x02 or 0x80;
 *   - a 16 KiB bootcode / common area at 0; in the flasher's layout the
 *     common area is repeated in front of each 0xC000-byte bank part
 *     ("rebanking": 0x15 banks of 0x4000 common + 0xC000);
 *   - the drive's ID string has the INQUIRY layout "%-8s%-16s%-4s"
 *     (vendor, product, revision), plus a byte-flipped copy;
 *   - "LITEONIT" at 0xFFF8 is only a fallback marker for rebanked images.
 *   - no file checksum is known (OmniPatcher handles none).
 * Where the ID string lives is not fixed: we search for a 28-byte
 * printable string starting with a known vendor name.  "Byte-flipped" we
 * take as adjacent bytes swapped [inferred].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"

#define BANK 0x10000
#define COMMON 0x4000
#define PART (BANK - COMMON)

static const char *const vendors[] = {
	"LITE-ON ", "LITEON  ", "PLDS    ", "SONY    ", "BENQ    ",
	"HP      ", "_NEC    ", "Optiarc ", "ATAPI   ", "BTC     ",
	"PHILIPS ", "DELL    ",
};

static bool
size_ok(size_t len)
{
	return len == 0x20000 || len == 0x40000 || len == 0x80000 ||
	       len == 0x100000;
}

static bool
banks_ok(const uint8_t *p, size_t len)
{
	if (p[0] != 0x02)
		return false;
	for (size_t b = BANK; b < len; b += BANK)
		if (p[b] != 0x02 && p[b] != 0x80)
			return false;
	return true;
}

static bool
printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

static const uint8_t *
find_id(const uint8_t *p, size_t len)
{
	for (size_t v = 0; v < sizeof(vendors) / sizeof(vendors[0]); v++) {
		const uint8_t *q = p;
		while (q < p + len) {
			const uint8_t *m = memmem(q, (size_t)(p + len - q),
						  vendors[v], 8);
			if (m == NULL)
				break;
			if ((size_t)(p + len - m) >= 28 && printable(m, 28))
				return m;
			q = m + 1;
		}
	}
	return NULL;
}

static int
m8_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	const uint8_t *id;

	if (!size_ok(len) || !banks_ok(p, len))
		return ODF_E_FORMAT;
	memset(in, 0, sizeof(*in));
	odfi_info_common(in, ODF_FAMILY_MTK_8051, p, len);
	id = find_id(p, len);
	if (id) {
		odfi_str(in->vendor, sizeof(in->vendor), id, 8);
		odfi_str(in->product, sizeof(in->product), id + 8, 16);
		odfi_str(in->revision, sizeof(in->revision), id + 24, 4);
		snprintf(in->version, sizeof(in->version), "%s", in->revision);
		snprintf(in->target, sizeof(in->target), "%s", in->product);
		snprintf(in->oem, sizeof(in->oem), "%s", in->vendor);
	}
	in->checksum.present = false;
	snprintf(in->note, sizeof(in->note),
		 "MediaTek 8051 image, %zu banks of 64 KiB%s%s", len / BANK,
		 len >= 0x10000 && memcmp(p + 0xFFF8, "LITEONIT", 8) == 0 ?
			 ", LITEONIT marker" : "",
		 id ? "" : ", no INQUIRY ID string found");
	return 0;
}

static int
m8_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	  struct odf_diag *d)
{
	(void)d;
	memset(f, 0, sizeof(*f));
	if (m8_inspect(buf, len, &f->part[0].info) < 0)
		return 0;
	f->n = 1;
	f->part[0].len = len;
	return 1;
}

static void
put_id(uint8_t *p, const char *v, const char *prod, const char *rev)
{
	odfi_put_padded(p, 8, v);
	odfi_put_padded(p + 8, 16, prod);
	odfi_put_padded(p + 24, 4, rev);
}

static int
m8_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	 struct odf_diag *d)
{
	size_t n = s->size ? s->size : 0x100000;
	uint8_t *b;

	if (!size_ok(n))
		return odf_diag_set(d, ODF_E_USAGE,
				    "a MediaTek 8051 image is 0x20000, 0x40000, "
				    "0x80000 or 0x100000 bytes, not %zu", n);
	b = odfi_alloc(n, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b, n, s->seed);
	/* no stray vendor strings from the filler: it is random bytes and
	 * 8 printable bytes in a row matching a vendor are not a concern;
	 * the ID goes before any chance match anyway (searched in order). */
	for (size_t k = 0; k < n; k += BANK)
		b[k] = 0x02;
	put_id(b + 0x100, s->vendor ? s->vendor : "LITE-ON",
	       s->product ? s->product : (s->target ? s->target :
					  "DVDRW SHM-165P6S"),
	       s->revision ? s->revision : (s->version ? s->version : "MS0R"));
	for (size_t i = 0; i < 28; i += 2) {
		b[0x180 + i] = b[0x100 + i + 1];
		b[0x180 + i + 1] = b[0x100 + i];
	}
	if (n >= 0x10000)
		memcpy(b + 0xFFF8, "LITEONIT", 8);
	*out = b;
	*len = n;
	return 0;
}

int
odf_mtk8051_to_flasher(const uint8_t *flash, size_t len, uint8_t **out,
		       size_t *outlen, struct odf_diag *d)
{
	size_t nb;
	uint8_t *o;

	if (out == NULL || outlen == NULL || flash == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "missing argument");
	*out = NULL;
	*outlen = 0;
	if (len <= COMMON || (len - COMMON) % PART != 0)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "%zu bytes is not a banked flash layout "
				    "(0x4000 common + n x 0xC000)", len);
	nb = (len - COMMON) / PART;
	o = odfi_alloc(nb * BANK, d);
	if (o == NULL)
		return ODF_E_NOMEM;
	for (size_t i = 0; i < nb; i++) {
		memcpy(o + i * BANK, flash, COMMON);
		memcpy(o + i * BANK + COMMON, flash + COMMON + i * PART, PART);
	}
	*out = o;
	*outlen = nb * BANK;
	return 0;
}

int
odf_mtk8051_to_flash(const uint8_t *flasher, size_t len, uint8_t **out,
		     size_t *outlen, struct odf_diag *d)
{
	size_t nb;
	uint8_t *o;

	if (out == NULL || outlen == NULL || flasher == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "missing argument");
	*out = NULL;
	*outlen = 0;
	if (len == 0 || len % BANK != 0)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "%zu bytes is not a whole number of 64 KiB "
				    "banks", len);
	nb = len / BANK;
	for (size_t i = 1; i < nb; i++)
		if (memcmp(flasher, flasher + i * BANK, COMMON) != 0)
			return odf_diag_set(d, ODF_E_FORMAT,
					    "bank %zu's common area (first 0x4000 "
					    "bytes) differs from bank 0's: not "
					    "a flasher layout", i);
	o = odfi_alloc(COMMON + nb * PART, d);
	if (o == NULL)
		return ODF_E_NOMEM;
	memcpy(o, flasher, COMMON);
	for (size_t i = 0; i < nb; i++)
		memcpy(o + COMMON + i * PART, flasher + i * BANK + COMMON, PART);
	*out = o;
	*outlen = COMMON + nb * PART;
	return 0;
}

const struct odfi_family_ops odfi_mtk8051_ops = {
	.family = ODF_FAMILY_MTK_8051,
	.detect = m8_detect,
	.find = NULL,
	.inspect = m8_inspect,
	.fix = NULL,
	.build = m8_build,
};
