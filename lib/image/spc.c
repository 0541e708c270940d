/* odflash image library: generic SPC drives and the Sony PS3 BD drive.
 *
 * Real firmware for these drives has no layout we could verify (the PS3
 * updater sends the file as is with WRITE BUFFER mode 7: wichers/
 * dsd-nexus libs/libps3drive/src/ps3drive_fw.c), so any bytes loaded with
 * the hint ODF_FAMILY_SPC / ODF_FAMILY_PS3 are accepted as "unknown
 * layout": size and sha256 only, nothing guessed.
 *
 * The one exception is our own container, "odflash generic SPC image",
 * which the emulated `spc-generic` and `ps3-bd` drives keep in their
 * flash and read their INQUIRY identity from (docs/image-formats.md):
 *
 *   off   len  field
 *   0x00    8  magic "ODFSPCFW"
 *   0x08    2  BE16 format version, 1
 *   0x0A    2  BE16 kind: 0 = generic SPC drive, 1 = PS3 BD drive
 *   0x0C    4  BE32 total length of the image (header + body)
 *   0x10    8  INQUIRY vendor, blank padded
 *   0x18   16  INQUIRY product, blank padded
 *   0x28    4  INQUIRY revision, blank padded
 *   0x2C   16  firmware version string, NUL padded
 *   0x3C    4  BE32 checksum: sum of all bytes of the image, mod 2^32,
 *              with these four bytes counted as zero
 *   0x40  ...  body (opaque)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/platform.h"

#define SPC_MAGIC "ODFSPCFW"
#define SPC_HDR 0x40
#define SPC_CSUM 0x3C
#define SPC_KIND_GENERIC 0
#define SPC_KIND_PS3 1
#define SPC_DEFAULT_SIZE ((size_t)1 << 20)
#define SPC_MAX_SIZE ((size_t)16 << 20)

static uint32_t
spc_sum(const uint8_t *p, size_t len)
{
	return odf_sum_bytes(p, len) - odf_sum_bytes(p + SPC_CSUM, 4);
}

static int
spc_inspect_kind(const uint8_t *p, size_t len, struct odf_image_info *in,
		 int want_kind)
{
	unsigned kind;
	enum odf_family fam;

	if (len < SPC_HDR || memcmp(p, SPC_MAGIC, 8) != 0 ||
	    odf_be16(p + 8) != 1 || odf_be32(p + 0x0C) != len)
		return ODF_E_FORMAT;
	kind = odf_be16(p + 0x0A);
	if (kind != SPC_KIND_GENERIC && kind != SPC_KIND_PS3)
		return ODF_E_FORMAT;
	if (want_kind >= 0 && (int)kind != want_kind)
		return ODF_E_FORMAT;
	fam = kind == SPC_KIND_PS3 ? ODF_FAMILY_PS3 : ODF_FAMILY_SPC;
	memset(in, 0, sizeof(*in));
	odfi_info_common(in, fam, p, len);
	odf_str_trim(in->vendor, sizeof(in->vendor), p + 0x10, 8, ODF_STR_MARK);
	odf_str_trim(in->product, sizeof(in->product), p + 0x18, 16,
		     ODF_STR_MARK);
	odf_str_trim(in->revision, sizeof(in->revision), p + 0x28, 4,
		     ODF_STR_MARK);
	odf_str_trim(in->version, sizeof(in->version), p + 0x2C, 16,
		     ODF_STR_MARK);
	snprintf(in->target, sizeof(in->target), "%s", in->product);
	odfi_set_checksum(&in->checksum, 32, SPC_CSUM,
			  odf_be32(p + SPC_CSUM), spc_sum(p, len));
	snprintf(in->note, sizeof(in->note), "odflash generic SPC image (%s)",
		 kind == SPC_KIND_PS3 ? "PS3 BD drive" : "generic drive");
	return 0;
}

static int
spc_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	return spc_inspect_kind(p, len, in, -1);
}

static int
ps3_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	return spc_inspect_kind(p, len, in, SPC_KIND_PS3);
}

static int
spc_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	   struct odf_diag *d)
{
	size_t want;

	memset(f, 0, sizeof(*f));
	if (len < 8 || memcmp(buf, SPC_MAGIC, 8) != 0)
		return 0;
	if (len < SPC_HDR)
		return odf_diag_set(d, ODF_E_TRUNCATED,
				    "truncated: the odflash generic SPC image "
				    "header is %d bytes, %zu present, %zu "
				    "missing", SPC_HDR, len, SPC_HDR - len);
	want = odf_be32(buf + 0x0C);
	if (want > len)
		return odf_diag_set(d, ODF_E_TRUNCATED,
				    "truncated: %zu bytes expected for an odflash "
				    "generic SPC image, %zu present, %zu missing",
				    want, len, want - len);
	if (want < len)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "odflash generic SPC image with %zu extra "
				    "bytes after its end (header says %zu, file "
				    "has %zu)", len - want, want, len);
	if (spc_inspect(buf, len, &f->part[0].info) < 0)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "odflash generic SPC image with an unknown "
				    "version or kind (%u/%u)", odf_be16(buf + 8),
				    odf_be16(buf + 0x0A));
	f->n = 1;
	f->part[0].off = 0;
	f->part[0].len = len;
	return 1;
}

static int
spc_find(const uint8_t *buf, size_t len, size_t *off, size_t *plen)
{
	const uint8_t *q = buf;

	while (q < buf + len) {
		const uint8_t *m = memmem(q, (size_t)(buf + len - q), SPC_MAGIC, 8);
		size_t o, l;
		if (m == NULL)
			return 0;
		o = (size_t)(m - buf);
		if (len - o >= SPC_HDR) {
			l = odf_be32(m + 0x0C);
			if (l >= SPC_HDR && l <= len - o) {
				*off = o;
				*plen = l;
				return 1;
			}
		}
		q = m + 1;
	}
	return 0;
}

static int
spc_fix(uint8_t *p, size_t len, struct odf_diag *d)
{
	if (len < SPC_HDR || memcmp(p, SPC_MAGIC, 8) != 0)
		return odf_diag_set(d, ODF_E_UNSUPPORTED,
				    "not an odflash generic SPC image: an "
				    "unknown layout has no checksum to fix");
	odf_put_be32(p + SPC_CSUM, spc_sum(p, len));
	return 0;
}

static int
build_kind(const struct odf_image_spec *s, unsigned kind, uint8_t **out,
	   size_t *len, struct odf_diag *d)
{
	size_t n = s->size ? s->size : SPC_DEFAULT_SIZE;
	uint8_t *b;
	char ver[17];

	if (n < SPC_HDR || n > SPC_MAX_SIZE)
		return odf_diag_set(d, ODF_E_USAGE,
				    "generic SPC image size must be %d..%zu "
				    "bytes, got %zu", SPC_HDR, SPC_MAX_SIZE, n);
	b = odfi_alloc(n, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b + SPC_HDR, n - SPC_HDR, s->seed);
	memcpy(b, SPC_MAGIC, 8);
	odf_put_be16(b + 8, 1);
	odf_put_be16(b + 0x0A, kind);
	odf_put_be32(b + 0x0C, (uint32_t)n);
	odfi_put_inquiry(b + 0x10, s, kind == SPC_KIND_PS3 ? "SONY" : "ODFLASH",
			 s->target ? s->target :
			 (kind == SPC_KIND_PS3 ? "PS-SYSTEM   302R" :
						 "GENERIC DRIVE"), "1.00");
	snprintf(ver, sizeof(ver), "%s", s->version ? s->version :
		 (s->revision ? s->revision : "1.00"));
	memcpy(b + 0x2C, ver, strlen(ver));
	spc_fix(b, n, NULL);
	*out = b;
	*len = n;
	return 0;
}

static int
spc_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	  struct odf_diag *d)
{
	return build_kind(s, SPC_KIND_GENERIC, out, len, d);
}

static int
ps3_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	  struct odf_diag *d)
{
	return build_kind(s, SPC_KIND_PS3, out, len, d);
}

const struct odfi_family_ops odfi_spc_ops = {
	.family = ODF_FAMILY_SPC,
	.detect = spc_detect,
	.find = spc_find,
	.inspect = spc_inspect,
	.fix = spc_fix,
	.build = spc_build,
};

const struct odfi_family_ops odfi_ps3_ops = {
	.family = ODF_FAMILY_PS3,
	.detect = spc_detect,
	.find = spc_find,
	.inspect = ps3_inspect,
	.fix = spc_fix,
	.build = ps3_build,
};
