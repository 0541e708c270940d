/* odemu: Plextor firmware files, as QPxTool's pxfw reads them
 * (speed47/qpxtool@fc1cf4c console/pxfw/pxfw.cpp FW_convert_to_ID,
 * csum_init, csum_update, main; the PLEXTOR_* order from
 * lib/qpxtransport/include/qpx_mmc_defs.h: 4824 < 5224 < PREMIUM < the
 * rest, so the 0x8000 start applies to those three).
 */
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "fmt.h"
#include "odf/bytes.h"

static const struct {
	const char *head;	/* strncmp'd against file[0..strlen) */
	const char *model;
	uint32_t crc_off;
	uint16_t init;
} px[] = {
	/* FW_convert_to_ID's order: PREMIUM2 before PREMIUM */
	{ "PLEXTOR CD-R   PX-W4824A", "PX-W4824A", 0x79FFE, 0x8000 },
	{ "PLEXTOR CD-R   PX-W5224A", "PX-W5224A", 0x79FFE, 0x8000 },
	{ "PLEXTOR CD-R   PREMIUM2", "PREMIUM2", 0xEFFFE, 0 },
	{ "PLEXTOR CD-R   PREMIUM", "PREMIUM", 0x7C7FE, 0x8000 },
	{ "PLEXTOR DVDR   PX-708A", "PX-708A", 0xEFFFE, 0 },
	{ "PLEXTOR DVDR   PX-712A", "PX-712A", 0xEFFFE, 0 },
	{ "PLEXTOR DVDR   PX-716A ", "PX-716A", 0xEFFFE, 0 },
	{ "PLEXTOR DVDR   PX-716AL", "PX-716AL", 0xEFFFE, 0 },
	{ "PLEXTOR DVDR   PX-760A", "PX-760A", 0x1EFFFE, 0 },
};

int
odemu_px_sum(const uint8_t *p, size_t n, char model[17], uint32_t *crc_off,
	     uint16_t *stored, uint16_t *sum)
{
	for (size_t i = 0; i < sizeof(px) / sizeof(px[0]); i++) {
		size_t l = strlen(px[i].head);
		uint16_t s = px[i].init;

		if (n < l || memcmp(p, px[i].head, l) != 0)
			continue;
		if (n < (size_t)px[i].crc_off + 2)
			return -1;
		for (uint32_t k = 0; k < px[i].crc_off; k++)
			s = (uint16_t)(s + p[k]);
		strcpy(model, px[i].model);
		*crc_off = px[i].crc_off;
		*stored = odf_be16(p + px[i].crc_off);
		*sum = s;
		return 0;
	}
	return -1;
}

/* A file for model m: the model string pxfw's FW_convert_to_ID reads
 * (vendor[8] + product[16] at 0), the version in the 4 bytes after it
 * (an emulator convention: no public source says where real files keep
 * it; emu/proto_plextor.c reads it there), and pxfw's checksum at its
 * crc_offs. */
int
odemu_px_build(const struct odemu_model *m, const char *version,
	       uint32_t seed, uint8_t **out, size_t *len)
{
	size_t n = m->fw_len;
	uint8_t *b = odemu_fmt_alloc(n, seed);
	char model[17];
	uint32_t off;
	uint16_t stored, sum;

	if (b == NULL)
		return -1;
	odemu_fmt_put_id(b, m->vendor, m->product, version);
	if (odemu_px_sum(b, n, model, &off, &stored, &sum) < 0) {
		free(b);
		return -1;
	}
	odf_put_be16(b + off, sum);
	*out = b;
	*len = n;
	return 0;
}
