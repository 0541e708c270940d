/* odflash image library: BTC DRW1008 / DRW1004 / DRW1108 DVD writers.
 *
 * Facts: dvd+rw-tools btcflash.cpp (David Huang, 2004, public domain;
 * docs/internals/protocols.md §6.3):
 *   - the image is the drive's whole 1 MiB flash (FLASHSIZE): a file of
 *     exactly 0x100000 bytes is taken as a .bin, anything else is read as
 *     Intel HEX in 16 banks of 64 KiB where the record ":00000155AA"
 *     moves to the next bank, and a file with fewer than 16 banks is
 *     refused ("Firmware file too small") -- loadfirmware; the banked
 *     Intel HEX is decoded by forms.c;
 *   - the firmware's INQUIRY strings lie at 0x40BC (vendor[8]), 0x40C4
 *     (product[16]) and 0x40D4 (revision[4]): main, "Firmware appears to
 *     be", compared with the drive's vendor + product (24 bytes);
 *   - the file carries no checksum: btcflash computes the 16-bit sum of
 *     the 1 MiB image's bytes (calcsum) and sends it in the download's
 *     32-byte header (bytes 30..31, big-endian).  What guards a .hex file
 *     is each record's checksum (loadfirmware: "Checksum mismatch").
 * INFERRED (no source gives it): the INQUIRY vendor "BTC" (the vendor of
 * lib/image/mtk8051.c's list) marks the file; the model name (DRW1008,
 * DRW1004, DRW1108: btcflash's header comment) is the target, found in the
 * product string.
 */
#include <stdio.h>
#include <string.h>

#include "image/internal.h"

#define BTC_SIZE 0x100000u
#define BTC_ID 0x40BCu
#define BTC_ID_LEN 28u

static const char *const btc_models[] = { "DRW1008", "DRW1004", "DRW1108" };

static bool
btc_has_id(const uint8_t *p, size_t len)
{
	return len >= BTC_ID + BTC_ID_LEN &&
	       memcmp(p + BTC_ID, "BTC     ", 8) == 0 &&
	       odfi_printable(p + BTC_ID, BTC_ID_LEN);
}

/* The 16-bit byte sum btcflash sends in the header (calcsum). */
static uint16_t
btc_sum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i < len; i++)
		s += p[i];
	return (uint16_t)s;
}

static int
btc_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	if (len != BTC_SIZE || !btc_has_id(p, len))
		return ODF_E_FORMAT;
	memset(in, 0, sizeof(*in));
	odfi_info_common(in, ODF_FAMILY_BTC, p, len);
	odfi_info_inquiry(in, p + BTC_ID);
	snprintf(in->target, sizeof(in->target), "%s", in->product);
	for (size_t i = 0; i < sizeof(btc_models) / sizeof(btc_models[0]);
	     i++)
		if (strstr(in->product, btc_models[i])) {
			snprintf(in->target, sizeof(in->target), "%s",
				 btc_models[i]);
			break;
		}
	in->checksum.present = false;
	snprintf(in->note, sizeof(in->note), "BTC 1 MiB image; the file "
		 "stores no checksum: its 16-bit byte sum %04X is sent in "
		 "the download header (btcflash)", btc_sum(p, len));
	return 0;
}

static int
btc_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	   struct odf_diag *d)
{
	memset(f, 0, sizeof(*f));
	if (!btc_has_id(buf, len))
		return 0;
	if (len < BTC_SIZE) {
		odf_diag_reason(d, ODF_R_FILE_TRUNCATED);
		odf_diag_fact_bytes(d, len, BTC_SIZE);
		return odf_diag_set(d, ODF_E_TRUNCATED, "truncated: %u bytes "
				    "(16 banks of 64 KiB) expected for a BTC "
				    "image, %zu present, %zu missing",
				    BTC_SIZE, len, (size_t)BTC_SIZE - len);
	}
	if (len != BTC_SIZE || btc_inspect(buf, len, &f->part[0].info) < 0)
		return 0;
	f->n = 1;
	f->part[0].len = len;
	return 1;
}

static int
btc_fix(uint8_t *p, size_t len, struct odf_diag *d)
{
	(void)p;
	if (len != BTC_SIZE)
		return odf_diag_set(d, ODF_E_FORMAT, "a BTC image is %u bytes, "
				    "not %zu", BTC_SIZE, len);
	return 0;	/* no checksum in the file */
}

/* odflash's builder: the filler, the INQUIRY strings at 0x40BC. */
static int
btc_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	  struct odf_diag *d)
{
	char prod[17];
	uint8_t *b;

	if (s->size && s->size != BTC_SIZE)
		return odf_diag_set(d, ODF_E_USAGE, "a BTC image is %u bytes, "
				    "not %zu", BTC_SIZE, s->size);
	b = odfi_alloc(BTC_SIZE, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b, BTC_SIZE, s->seed);
	snprintf(prod, sizeof(prod), "DVD+-RW %s",
		 s->target ? s->target : "DRW1008");
	odfi_put_inquiry(b + BTC_ID, s, "BTC", prod, "1.00");
	*out = b;
	*len = BTC_SIZE;
	return 0;
}

const struct odfi_family_ops odfi_btc_ops = {
	.family = ODF_FAMILY_BTC,
	.detect = btc_detect,
	.find = NULL,
	.inspect = btc_inspect,
	.fix = btc_fix,
	.build = btc_build,
};
