/* odemu: the generic SPC and PS3 drives' firmware container.
 *
 * Real firmware for a standard drive or the PS3 BD drive has no public
 * layout: wichers/dsd-nexus libs/libps3drive/src/ps3drive_fw.c and
 * sg_write_buffer send the file as it is (docs/internals/protocols.md §1,
 * §8).  The emulated drives keep the project's own container, whose
 * layout is specified in docs/image-formats.md ("odflash generic SPC
 * image"); this reader is written from that table, not from lib/image:
 *   0x00  8  "ODFSPCFW"         0x08  2  BE16 format version 1
 *   0x0A  2  BE16 kind (0 SPC, 1 PS3)
 *   0x0C  4  BE32 total length = file length
 *   0x10  8  vendor  0x18 16 product  0x28 4 revision (blank padded)
 *   0x2C 16  version, NUL padded
 *   0x3C  4  BE32 sum of every byte mod 2^32, these four taken as 0
 *   0x40     body
 */
#include <string.h>

#include "emu.h"
#include "fmt.h"

#define SPC_HDR 0x40u

uint32_t
odemu_spc_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i++)
		if (i < 0x3C || i >= 0x40)
			s += p[i];
	return s;
}

int
odemu_spc_check(const uint8_t *p, size_t n, unsigned kind, char vendor[9],
		char product[17], char revision[5])
{
	if (n < SPC_HDR || memcmp(p, "ODFSPCFW", 8) != 0 ||
	    odf_be16(p + 8) != 1 || odf_be16(p + 0x0A) != kind ||
	    odf_be32(p + 0x0C) != n)
		return -1;
	if (odf_be32(p + 0x3C) != odemu_spc_sum(p, n))
		return -1;
	odf_str_trim(vendor, 9, p + 0x10, 8, ODF_STR_KEEP);
	odf_str_trim(product, 17, p + 0x18, 16, ODF_STR_KEEP);
	odf_str_trim(revision, 5, p + 0x28, 4, ODF_STR_KEEP);
	return revision[0] ? 0 : -1;
}

int
odemu_spc_build(const struct odemu_model *m, unsigned kind, size_t n,
		const char *version, uint32_t seed, uint8_t **out, size_t *len)
{
	uint8_t *b = n >= SPC_HDR ? odemu_fmt_alloc(n, seed) : NULL;

	if (b == NULL)
		return -1;
	memset(b, 0, SPC_HDR);
	memcpy(b, "ODFSPCFW", 8);
	odf_put_be16(b + 8, 1);
	odf_put_be16(b + 0x0A, (uint16_t)kind);
	odf_put_be32(b + 0x0C, (uint32_t)n);
	odemu_fmt_put_id(b + 0x10, m->vendor, m->product, version);
	memcpy(b + 0x2C, version, strlen(version) < 16 ? strlen(version) : 16);
	odf_put_be32(b + 0x3C, odemu_spc_sum(b, n));
	*out = b;
	*len = n;
	return 0;
}
