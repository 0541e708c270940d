/* odemu: LG / Hitachi-LG firmware of the Renesas era, as devilsclaw's
 * flasher checks it (devilsclaw/flasher@864b3ee flasher/lg_renesas.c
 * firm_validate, firm_chksum_calc, get_firmtype; lg_renesas.h struct
 * firminfo).  Facts only; the header fields themselves:
 *   0x00 BE16 checksum word (the "key" firm_validate passes)
 *   0x10 8 bytes model, 0x18 "MAIN    "/"CORE    " (firminfo.devname)
 *   0x20 "REV LVL " + revision, 0x30 "ROM REV "
 *   0x40 BE32 firm_start, 0x44 BE32 firm_size = file size - 0x400
 */
#include <string.h>

#include "emu.h"
#include "fmt.h"
#include "odf/bytes.h"

uint16_t
odemu_lg_chksum(const uint8_t *p, size_t n, uint16_t key)
{
	uint16_t s = key;

	/* "skip first two bytes": words 1 .. n/2 - 1, byte-swapped from
	 * the x86 load, i.e. big-endian */
	for (size_t w = 1; w < n / 2; w++)
		s = (uint16_t)(s + (p[2 * w] << 8 | p[2 * w + 1]));
	return (uint16_t)~s;
}

int
odemu_lg_type(const uint8_t *p, size_t n)
{
	size_t lim = n < 0x400 ? n : 0x400;

	for (size_t i = 0; i + 4 <= lim; i++) {
		if (memcmp(p + i, "MAIN", 4) == 0)
			return 1;
		if (memcmp(p + i, "CORE", 4) == 0)
			return 2;
	}
	return 0;
}

/* strncmp's rule: equal up to n bytes or up to a NUL both share */
static bool
str_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i])
			return false;
		if (a[i] == 0)
			return true;
	}
	return true;
}

int
odemu_lg_validate(const uint8_t *p, size_t n)
{
	if (n < 0x48 || memcmp(p + 0x20, "REV LVL ", 8) != 0)
		return 1;
	if (memcmp(p + 0x30, "ROM REV ", 8) != 0)
		return 2;
	if (n <= 0x400 || odf_be32(p + 0x44) != n - 0x400)
		return 3;
	/* check 7 is a strncmp: it ends at a NUL both strings share */
	if (odemu_lg_type(p, n) == 1 && (n < 0x410 ||
	    !str_equal(p + 0x400, p + n - 0x10, 0x10)))
		return 7;
	if (odemu_lg_chksum(p, n, odf_be16(p)) != 0)
		return 8;
	return 0;
}

/* A MAIN file for model m in the layout firm_validate checks and main_pat
 * (lg_renesas.c) matches: the header zero but for its fields (main_pat
 * wants bytes 4..15 zero and 4 zero bytes after the revision), the model
 * at 0x10, the emulated drive's load address at 0x40 (fw_start + 0x400,
 * INFERRED, emu/proto_lg.c), the body's first 16 bytes repeated at its
 * end (check 7), and the checksum word --checksum (cmds_all.c
 * cmd_checksum) writes: firm_chksum_calc with key 0. */
int
odemu_lg_build(const struct odemu_model *m, const char *version,
	       uint32_t seed, uint8_t **out, size_t *len)
{
	size_t n = m->fw_len;
	uint8_t *b = odemu_fmt_alloc(n, seed);

	if (b == NULL)
		return -1;
	memset(b, 0, 0x400);
	odf_put_padded(b + 0x10, 8, m->target);
	memcpy(b + 0x18, "MAIN    ", 8);
	memcpy(b + 0x20, "REV LVL ", 8);
	memcpy(b + 0x28, version, strlen(version) < 4 ? strlen(version) : 4);
	memcpy(b + 0x30, "ROM REV ", 8);
	odf_put_be32(b + 0x40, m->fw_start + 0x400);
	odf_put_be32(b + 0x44, (uint32_t)(n - 0x400));
	memcpy(b + n - 0x10, b + 0x400, 0x10);
	odf_put_be16(b, odemu_lg_chksum(b, n, 0));
	*out = b;
	*len = n;
	return 0;
}
