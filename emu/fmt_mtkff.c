/* odemu: MediaTek "FF" firmware images, as the drives' boot loaders take
 * them.
 *
 * MT1939 (rbdixon/coastermelt@e5f9e55 doc/bootloader.txt, sections
 * "Infonub" and "Image Validity"; docs/internals/protocols.md §5.3):
 *   - the image is the whole 2 MiB flash; 0..0xFFFF is the boot loader's
 *     own region, ignored on upload and not verified;
 *   - a 48-byte "infonub" at 0x1FFFD0: vendor[8] "TSSTcorp", product[16]
 *     "BDDVDW SE-506CB ", revision[4] "TS01"; not checksummed;
 *   - 0x1FFFF8: the 16-bit value AA AA;
 *   - 0x1FFFFE: big-endian 16-bit sum of the bytes 0x10000 .. 0x1E1FFF
 *     (calculate_checksum in the "Infonub" section; the stored TS00/TS01
 *     values 06E8/5918 are that sum.  The doc's list of boot checks writes
 *     the range as "10000:1e0000" once; its code and "Image Validity" say
 *     1e2000, which is what the published values need: read here so).
 * The 128-bit signature and segment hashes at 0x10FF0/0x10400/0x1FF000
 * cannot be reproduced and are not checked (the emulated boot loader
 * checks what the doc can say, INFERRED).
 *
 * MT1339 (superg/redumper drive/flash_mt1339.ixx sends a 256 KiB file as
 * is and checks nothing; docs/internals/protocols.md §5.4): no public
 * source gives the image's layout.  INFERRED, the rules §5.4 states for
 * it: 0x40000 bytes, byte 0 is 02h and every 64 KiB bank starts with 02h
 * or 80h (the 8051 banking omnipatcher checks, rpc1dev/omnipatcher
 * fw_mtk.pl), and the drive's INQUIRY strings (vendor[8] product[16]
 * revision[4]) lie somewhere in it, found by one of redumper's allowlist
 * vendors ("TSSTcorp", "hp").  No checksum.
 */
#include <string.h>

#include "emu.h"
#include "fmt.h"
#include "odf/bytes.h"

#define FF_SIZE 0x200000u
#define FF_NUB 0x1FFFD0u
#define FF_AA 0x1FFFF8u
#define FF_SUM_AT 0x1FFFFEu
#define FF_SUM_LO 0x10000u
#define FF_SUM_HI 0x1E2000u	/* exclusive */
#define M13_SIZE 0x40000u
#define M13_BANK 0x10000u
#define M13_ID_AT 0x4100u	/* where the builder puts the ID: past the
				   16 KiB common area (INFERRED) */

uint16_t
odemu_ff_sum(const uint8_t *p)
{
	uint16_t s = 0;

	for (uint32_t i = FF_SUM_LO; i < FF_SUM_HI; i++)
		s = (uint16_t)(s + p[i]);
	return s;
}

static bool
ascii(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7E)
			return false;
	return true;
}

static void
id_strings(const uint8_t *id, char vendor[9], char product[17],
	   char revision[5])
{
	odf_str_trim(vendor, 9, id, 8, ODF_STR_KEEP);
	odf_str_trim(product, 17, id + 8, 16, ODF_STR_KEEP);
	odf_str_trim(revision, 5, id + 24, 4, ODF_STR_KEEP);
}

/* the first 28 printable bytes starting with an allowlist vendor */
static const uint8_t *
m13_id(const uint8_t *p, size_t n)
{
	static const char *const vendors[] = { "TSSTcorp", "hp      " };

	for (size_t i = 0; i + 28 <= n; i++)
		for (size_t v = 0; v < 2; v++)
			if (memcmp(p + i, vendors[v], 8) == 0 &&
			    ascii(p + i, 28))
				return p + i;
	return NULL;
}

int
odemu_ff_check(const uint8_t *p, size_t n, char vendor[9],
	       char product[17], char revision[5])
{
	if (n == M13_SIZE) {
		const uint8_t *id;

		if (p[0] != 0x02)
			return ODEMU_FF_LAYOUT;
		for (size_t b = M13_BANK; b < n; b += M13_BANK)
			if (p[b] != 0x02 && p[b] != 0x80)
				return ODEMU_FF_LAYOUT;
		if ((id = m13_id(p, n)) == NULL)
			return ODEMU_FF_LAYOUT;
		id_strings(id, vendor, product, revision);
		return ODEMU_FF_OK;
	}
	if (n != FF_SIZE || p[FF_AA] != 0xAA || p[FF_AA + 1] != 0xAA ||
	    !ascii(p + FF_NUB, 28))
		return ODEMU_FF_LAYOUT;
	if (odf_be16(p + FF_SUM_AT) != odemu_ff_sum(p))
		return ODEMU_FF_CHECKSUM;
	id_strings(p + FF_NUB, vendor, product, revision);
	return ODEMU_FF_OK;
}

int
odemu_ff_build(const struct odemu_model *m, const char *version,
	       uint32_t seed, uint8_t **out, size_t *len)
{
	uint8_t *b;

	if (m->fw_len == M13_SIZE) {
		if ((b = odemu_fmt_alloc(M13_SIZE, seed)) == NULL)
			return -1;
		for (uint32_t k = 0; k < M13_SIZE; k += M13_BANK)
			b[k] = 0x02;
		/* the filler must not hold an earlier vendor string */
		for (uint32_t i = 0; i + 8 <= M13_SIZE; i++)
			if (memcmp(b + i, "TSSTcorp", 8) == 0 ||
			    memcmp(b + i, "hp      ", 8) == 0)
				b[i] = 0;
		odemu_fmt_put_id(b + M13_ID_AT, m->vendor, m->product,
				 version);
		*out = b;
		*len = M13_SIZE;
		return 0;
	}
	if ((b = odemu_fmt_alloc(FF_SIZE, seed)) == NULL)
		return -1;
	/* the shipped images hold FF past the summed range (bootloader.txt
	 * "1e2000 - 1f2000 ... all FF") */
	memset(b + FF_SUM_HI, 0xFF, FF_SIZE - FF_SUM_HI);
	odemu_fmt_put_id(b + FF_NUB, m->vendor, m->product, version);
	b[FF_AA] = 0xAA;
	b[FF_AA + 1] = 0xAA;
	odf_put_be16(b + FF_SUM_AT, odemu_ff_sum(b));
	*out = b;
	*len = FF_SIZE;
	return 0;
}
