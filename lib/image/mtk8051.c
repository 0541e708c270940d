/* odflash image library: classic MediaTek 8051 firmware (Lite-On, BTC,
 * Sony/NEC/Optiarc-on-MTK).
 *
 * Facts (rpc1dev/omnipatcher fw.pl, fw_mtk.pl, lib_rebank.pl, fw_specs.pl;
 * docs/internals/protocols.md §6.1):
 *   - accepted sizes 0x20000, 0x40000, 0x80000, 0x100000; byte 0 is 0x02
 *     (8051 LJMP); normally every 64 KiB bank starts with 0x02 or 0x80;
 *   - the drive's ID string has the INQUIRY layout "%-8s%-16s%-4s"
 *     (vendor, product, revision), plus a byte-flipped copy;
 *   - no file checksum is known (OmniPatcher handles none).
 * Lite-On 1 MiB images with a shared common area (lib_rebank.pl
 * mtk_rebank_check: byte 0x02 at 0 and at 0x4000, "LITEONIT" at 0xFFF8,
 * and not every 64 KiB bank starting with 0x02) hold a 0x4000 bootcode at
 * 0, the 0x4000 common area at 0x4000 and the bank-specific parts from
 * 0x8000, 0xC000 bytes each, the last (the 0x15th) 0x8000.  OmniPatcher
 * "rebanks" them for patching (mtk_rebank mode 1, bootcode preserved):
 * 0x15 banks of common + part, then the bootcode at 0x14C000, 0x150000
 * bytes in all; mode 0 (only for 0x150000 bytes) undoes it before saving.
 * A file in that rebanked layout is loaded here by undoing it the same
 * way; that every bank repeats bank 0's common area is our check that
 * the file is one [inferred: mode 0 does not check].  fw_mtk.pl also
 * knows a 0x3000 common area (U/V firmware), not handled here.
 * Where the ID string lives is not fixed: we search for a 28-byte
 * printable string starting with a known vendor name.  "Byte-flipped" we
 * take as adjacent bytes swapped [inferred].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/platform.h"

#define BANK 0x10000
#define BOOT 0x4000		/* bootcode at 0 of a flash image */
#define COMMON 0x4000		/* common area, at 0x4000 of a flash image */
#define PART (BANK - COMMON)
#define NPARTS 0x15		/* lib_rebank.pl: parts of a 1 MiB image */
#define FLASH_1M 0x100000
#define REBANKED 0x150000	/* NPARTS banks (the last 0xC000) + bootcode */
#define REBANKED_BOOT 0x14C000	/* where the rebanked layout keeps it */

static const char *const vendors[] = {
	"LITE-ON ", "LITEON  ", "PLDS    ", "SONY    ", "BENQ    ",
	"HP      ", "_NEC    ", "Optiarc ", "ATAPI   ", "BTC     ",
	"PHILIPS ", "DELL    ",
};

static bool
size_ok(size_t len)
{
	return len == 0x20000 || len == 0x40000 || len == 0x80000 ||
	       len == FLASH_1M;
}

static bool
banks_ok(const uint8_t *p, size_t len)
{
	for (size_t b = BANK; b < len; b += BANK)
		if (p[b] != 0x02 && p[b] != 0x80)
			return false;
	return true;
}

/* lib_rebank.pl mtk_rebank_check's second test: a 1 MiB Lite-On image
 * whose common area is shared (kept once, at 0x4000). */
static bool
shared_common(const uint8_t *p, size_t len)
{
	return len == FLASH_1M && p[0] == 0x02 && p[COMMON] == 0x02 &&
	       memcmp(p + 0xFFF8, "LITEONIT", 8) == 0;
}

/* A flash image (as flashed) of this family. */
static bool
flash_ok(const uint8_t *p, size_t len)
{
	return size_ok(len) && p[0] == 0x02 &&
	       (banks_ok(p, len) || shared_common(p, len));
}

/* A rebanked layout: 0x150000 bytes, every bank repeating bank 0's
 * common area (bank 0x14 is 0xC000 bytes, common + 0x8000). */
static size_t
rebanked_bad_bank(const uint8_t *p, size_t len)
{
	if (len != REBANKED)
		return (size_t)-1;
	for (size_t i = 1; i < NPARTS; i++)
		if (memcmp(p, p + i * BANK, COMMON) != 0)
			return i;
	return 0;
}

static bool
rebanked_ok(const uint8_t *p, size_t len)
{
	return len == REBANKED && p[0] == 0x02 && rebanked_bad_bank(p, len) == 0;
}

/* lib_rebank.pl mtk_rebank mode 1 (bootcode preserved): 1 MiB flash ->
 * 0x150000 rebanked. */
static void
rebank(const uint8_t *flash, uint8_t *out)
{
	for (size_t i = 0; i < NPARTS; i++) {
		size_t n = i + 1 < NPARTS ? PART : PART - COMMON;
		memcpy(out + i * BANK, flash + BOOT, COMMON);
		memcpy(out + i * BANK + COMMON, flash + BOOT + COMMON + i * PART,
		       n);
	}
	memcpy(out + REBANKED_BOOT, flash, BOOT);
}

/* mode 0: 0x150000 rebanked -> 1 MiB flash. */
static void
unrebank(const uint8_t *rb, uint8_t *out)
{
	memcpy(out, rb + REBANKED_BOOT, BOOT);
	memcpy(out + BOOT, rb, COMMON);
	for (size_t i = 0; i < NPARTS; i++) {
		size_t n = i + 1 < NPARTS ? PART : PART - COMMON;
		memcpy(out + BOOT + COMMON + i * PART, rb + i * BANK + COMMON,
		       n);
	}
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
	bool shared;

	if (!flash_ok(p, len))
		return ODF_E_FORMAT;
	memset(in, 0, sizeof(*in));
	odfi_info_common(in, ODF_FAMILY_MTK_8051, p, len);
	id = find_id(p, len);
	if (id) {
		odfi_info_inquiry(in, id);
		snprintf(in->target, sizeof(in->target), "%s", in->product);
		snprintf(in->oem, sizeof(in->oem), "%s", in->vendor);
	}
	in->checksum.present = false;
	snprintf(in->layout, sizeof(in->layout), "flash");
	shared = !banks_ok(p, len);	/* then shared_common() held */
	snprintf(in->note, sizeof(in->note),
		 "MediaTek 8051 image, %s%s%s", shared ?
			 "1 MiB with a shared common area at 0x4000 "
			 "(OmniPatcher rebanks it to patch it)" :
			 (len == BANK * 2 ? "2 banks of 64 KiB" :
			  len == BANK * 4 ? "4 banks of 64 KiB" :
			  len == BANK * 8 ? "8 banks of 64 KiB" :
					    "16 banks of 64 KiB"),
		 !shared && len >= 0x10000 &&
		 memcmp(p + 0xFFF8, "LITEONIT", 8) == 0 ?
			 ", LITEONIT marker" : "",
		 id ? "" : ", no INQUIRY ID string found");
	return 0;
}

/* A cut download: only claimed with a strong marker ("LITEONIT" at 0xFFF8
 * of a flash image, or at least two banks repeating bank 0's 16 KiB
 * common area in a rebanked one); byte 0 alone is too weak. */
static int
m8_truncated(const uint8_t *buf, size_t len, struct odf_diag *d)
{
	size_t want = 0;

	if (len == 0 || buf[0] != 0x02)
		return 0;
	if (len < FLASH_1M && len >= 0x10000 && !size_ok(len) &&
	    memcmp(buf + 0xFFF8, "LITEONIT", 8) == 0) {
		for (want = 0x20000; want < len; want *= 2)
			;
	} else if (len > FLASH_1M && len < REBANKED) {
		size_t i;
		for (i = 1; i * BANK + COMMON <= len; i++)
			if (memcmp(buf, buf + i * BANK, COMMON) != 0)
				return 0;
		want = REBANKED;
	}
	if (want == 0)
		return 0;
	odf_diag_reason(d, ODF_R_FILE_TRUNCATED);
	odf_diag_fact_bytes(d, len, want);
	return odf_diag_set(d, ODF_E_TRUNCATED,
			    "truncated: %zu bytes expected for a MediaTek 8051 "
			    "image%s, %zu present, %zu missing", want,
			    want == REBANKED ? " in the rebanked layout" : "",
			    len, want - len);
}

static int
m8_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	  struct odf_diag *d)
{
	uint8_t *fl;

	memset(f, 0, sizeof(*f));
	if (m8_inspect(buf, len, &f->part[0].info) == 0) {
		f->n = 1;
		f->part[0].len = len;
		return 1;
	}
	if (!rebanked_ok(buf, len))
		return m8_truncated(buf, len, d);
	/* OmniPatcher's rebanked layout: flash the 1 MiB it stands for */
	fl = odfi_alloc(FLASH_1M, d);
	if (fl == NULL)
		return ODF_E_NOMEM;
	unrebank(buf, fl);
	if (m8_inspect(fl, FLASH_1M, &f->part[0].info) < 0) {
		free(fl);
		memset(f, 0, sizeof(*f));
		return 0;
	}
	f->conv = fl;
	f->convlen = FLASH_1M;
	f->n = 1;
	f->part[0].len = FLASH_1M;
	snprintf(f->part[0].info.layout, sizeof(f->part[0].info.layout),
		 "rebanked");
	snprintf(f->part[0].info.note, sizeof(f->part[0].info.note),
		 "MediaTek 8051 image in OmniPatcher's rebanked layout "
		 "(0x15 banks of common area + part, bootcode at 0x14C000), "
		 "converted to the 1 MiB flash layout");
	return 1;
}

/* Inside an updater .exe: the "LITEONIT" marker at 0xFFF8 of a flash
 * image (0xBFF8 of a rebanked one: part 0's offset 0x7FF8 behind bank 0's
 * common area) gives where the image would start; it is taken when the
 * bytes there pass the same checks as a file.  Largest size first.  An
 * image without the marker has no fixed signature we could find, so it is
 * not looked for [inferred]. */
static int
m8_find(const uint8_t *buf, size_t len, size_t *off, size_t *plen)
{
	static const size_t sizes[] = { FLASH_1M, 0x80000, 0x40000, 0x20000 };
	const uint8_t *q = buf;

	while (q < buf + len) {
		const uint8_t *m = memmem(q, (size_t)(buf + len - q),
					  "LITEONIT", 8);
		size_t pos, s;

		if (m == NULL)
			break;
		pos = (size_t)(m - buf);
		q = m + 1;
		if (pos >= 0xFFF8) {
			s = pos - 0xFFF8;
			for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]);
			     k++) {
				if (sizes[k] > len - s ||
				    !flash_ok(buf + s, sizes[k]))
					continue;
				*off = s;
				*plen = sizes[k];
				return 1;
			}
		}
		if (pos >= 0xBFF8) {
			s = pos - 0xBFF8;
			if (REBANKED <= len - s && rebanked_ok(buf + s, REBANKED)) {
				*off = s;
				*plen = REBANKED;
				return 1;
			}
		}
	}
	return 0;
}

/* spec->variant "shared-common": a 1 MiB Lite-On image with the common
 * area kept once (see above); otherwise every 64 KiB bank starts with
 * 0x02.  Both carry "LITEONIT" at 0xFFF8. */
static int
m8_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	 struct odf_diag *d)
{
	size_t n = s->size ? s->size : FLASH_1M, idoff = 0x100;
	bool shared = s->variant && strcmp(s->variant, "shared-common") == 0;
	uint8_t *b;

	if (!size_ok(n))
		return odf_diag_set(d, ODF_E_USAGE,
				    "a MediaTek 8051 image is 0x20000, 0x40000, "
				    "0x80000 or 0x100000 bytes, not %zu", n);
	if (shared && n != FLASH_1M)
		return odf_diag_set(d, ODF_E_USAGE,
				    "a MediaTek 8051 image with a shared common "
				    "area is 0x100000 bytes, not %zu", n);
	b = odfi_alloc(n, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b, n, s->seed);
	/* no stray vendor strings from the filler: it is random bytes and
	 * 8 printable bytes in a row matching a vendor are not a concern;
	 * the ID goes before any chance match anyway (searched in order). */
	if (shared) {
		b[0] = 0x02;
		b[COMMON] = 0x02;
		b[BANK] = 0x00;		/* banks do not all start with 02 */
		idoff = COMMON + 0x100;	/* in the common area */
	} else {
		for (size_t k = 0; k < n; k += BANK)
			b[k] = 0x02;
	}
	odfi_put_inquiry(b + idoff, s, "LITE-ON",
			 s->target ? s->target : "DVDRW SHM-165P6S", "MS0R");
	for (size_t i = 0; i < 28; i += 2) {
		b[idoff + 0x80 + i] = b[idoff + i + 1];
		b[idoff + 0x80 + i + 1] = b[idoff + i];
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
	uint8_t *o;

	if (out == NULL || outlen == NULL || flash == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "missing argument");
	*out = NULL;
	*outlen = 0;
	if (len != FLASH_1M)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "%zu bytes: only 1 MiB (0x100000-byte) "
				    "MediaTek 8051 images are rebanked", len);
	o = odfi_alloc(REBANKED, d);
	if (o == NULL)
		return ODF_E_NOMEM;
	rebank(flash, o);
	*out = o;
	*outlen = REBANKED;
	return 0;
}

int
odf_mtk8051_to_flash(const uint8_t *flasher, size_t len, uint8_t **out,
		     size_t *outlen, struct odf_diag *d)
{
	size_t bad;
	uint8_t *o;

	if (out == NULL || outlen == NULL || flasher == NULL)
		return odf_diag_set(d, ODF_E_USAGE, "missing argument");
	*out = NULL;
	*outlen = 0;
	if (len != REBANKED)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "%zu bytes is not the rebanked layout "
				    "(0x150000 bytes)", len);
	bad = rebanked_bad_bank(flasher, len);
	if (bad != 0)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "bank %zu's common area (first 0x4000 "
				    "bytes) differs from bank 0's: not a "
				    "rebanked layout", bad);
	o = odfi_alloc(FLASH_1M, d);
	if (o == NULL)
		return ODF_E_NOMEM;
	unrebank(flasher, o);
	*out = o;
	*outlen = FLASH_1M;
	return 0;
}

const struct odfi_family_ops odfi_mtk8051_ops = {
	.family = ODF_FAMILY_MTK_8051,
	.detect = m8_detect,
	.find = m8_find,
	.inspect = m8_inspect,
	.fix = NULL,
	.build = m8_build,
};
