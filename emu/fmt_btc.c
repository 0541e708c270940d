/* odemu: BTC DRW1008 / DRW1004 / DRW1108 firmware files, read and written
 * the way dvd+rw-tools btcflash.cpp reads them (loadfirmware), so that
 * `odemu mkimage btc-drw1008 -o F.hex` is a file btcflash itself takes.
 *
 * btcflash.cpp (David Huang, 2004, public domain;
 * docs/internals/protocols.md §6.3): a file of exactly 0x100000 bytes is a .bin; any
 * other is read line by line (fgets into 80 bytes) as Intel HEX, lines
 * not starting with ':' skipped: LL AAAA TT, a record with TT != 0 and LL
 * != 0 is malformed; an empty record is either ":00000155AA" (next 64 KiB
 * bank; a 17th bank is "larger than 1MB") or ":00000001FF" (end), any
 * other empty record is malformed; data bytes go to bank << 16 | address,
 * the record's checksum (two's complement of LL + AA + AA + data) must
 * match; gaps stay FFh; fewer than 16 banks is "too small".  The INQUIRY
 * strings: 0x40BC vendor[8], 0x40C4 product[16], 0x40D4 revision[4]
 * (main, "Firmware appears to be").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "fmt.h"
#include "odf/bytes.h"

#define BTC_SIZE 0x100000u
#define BTC_ID 0x40BCu
#define BTC_LINE 16u
/* one data line ":10AAAA00" + 32 digits + checksum + "\n" */
#define BTC_LINE_CHARS 44u

static int
hexbyte(const char *p)
{
	int v = 0;

	for (int i = 0; i < 2; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else
			return -1;
	}
	return v;
}

int
odemu_btc_load(const uint8_t *file, size_t n, uint8_t *out)
{
	size_t i = 0;
	unsigned bank = 0;

	if (n == BTC_SIZE) {
		memcpy(out, file, BTC_SIZE);
		return 0;
	}
	memset(out, 0xFF, BTC_SIZE);
	while (i < n) {
		char line[80];
		size_t k = 0;
		int len, a, type, sum;

		/* fgets(line, 80): up to 79 bytes or the newline */
		while (i < n && k < sizeof(line) - 1) {
			line[k++] = (char)file[i++];
			if (line[k - 1] == '\n')
				break;
		}
		line[k] = '\0';
		if (line[0] != ':')
			continue;
		if (k < 9)
			return -1;
		len = hexbyte(line + 1);
		a = hexbyte(line + 3);
		type = hexbyte(line + 7);
		if (len < 0 || a < 0 || hexbyte(line + 5) < 0 || type < 0 ||
		    (type != 0 && len != 0))
			return -1;
		a = a << 8 | hexbyte(line + 5);
		if (len == 0) {
			if (strncmp(line, ":00000155AA", 11) == 0) {
				if (++bank >= 16)
					return -1;
				continue;
			}
			if (strncmp(line, ":00000001FF", 11) == 0)
				break;
			return -1;
		}
		if ((size_t)(9 + 2 * len + 2) > k)
			return -1;
		sum = len + (a >> 8) + (a & 0xFF);
		for (int j = 0; j < len; j++, a++) {
			int b = hexbyte(line + 9 + 2 * j);

			if (b < 0)
				return -1;
			sum += b;
			out[(bank << 16 | (unsigned)a) & (BTC_SIZE - 1)] =
				(uint8_t)b;
		}
		if (((0x100 - (sum & 0xFF)) & 0xFF) !=
		    hexbyte(line + 9 + 2 * len))
			return -1;
	}
	return bank == 15 ? 0 : -1;
}

int
odemu_btc_check(const uint8_t *fw, char vendor[9], char product[17],
		char revision[5])
{
	for (unsigned i = 0; i < 28; i++)
		if (fw[BTC_ID + i] < 0x20 || fw[BTC_ID + i] > 0x7E)
			return -1;
	if (memcmp(fw + BTC_ID, "BTC     ", 8) != 0)
		return -1;
	odf_str_trim(vendor, 9, fw + BTC_ID, 8, ODF_STR_KEEP);
	odf_str_trim(product, 17, fw + BTC_ID + 8, 16, ODF_STR_KEEP);
	odf_str_trim(revision, 5, fw + BTC_ID + 24, 4, ODF_STR_KEEP);
	return 0;
}

static void
put_hex(char *o, unsigned v)
{
	static const char d[] = "0123456789ABCDEF";

	o[0] = d[(v >> 4) & 15];
	o[1] = d[v & 15];
}

int
odemu_btc_build(const struct odemu_model *m, const char *version,
		uint32_t seed, uint8_t **out, size_t *len)
{
	/* 65536 data lines, 15 bank separators, the end record */
	size_t cap = (size_t)(BTC_SIZE / BTC_LINE) * BTC_LINE_CHARS +
		     16 * 12 + 16;
	uint8_t *b = odemu_fmt_alloc(BTC_SIZE, seed);
	char *t, *o;

	if (b == NULL)
		return -1;
	t = malloc(cap);
	if (t == NULL) {
		free(b);
		return -1;
	}
	odemu_fmt_put_id(b + BTC_ID, m->vendor, m->product, version);
	o = t;
	for (uint32_t a = 0; a < BTC_SIZE; a += BTC_LINE) {
		unsigned sum = BTC_LINE + (a >> 8 & 0xFF) + (a & 0xFF);

		if (a && (a & 0xFFFF) == 0) {
			memcpy(o, ":00000155AA\n", 12);
			o += 12;
		}
		*o++ = ':';
		put_hex(o, BTC_LINE);
		put_hex(o + 2, a >> 8 & 0xFF);
		put_hex(o + 4, a & 0xFF);
		put_hex(o + 6, 0);
		o += 8;
		for (unsigned j = 0; j < BTC_LINE; j++) {
			put_hex(o, b[a + j]);
			sum += b[a + j];
			o += 2;
		}
		put_hex(o, (0x100 - (sum & 0xFF)) & 0xFF);
		o += 2;
		*o++ = '\n';
	}
	memcpy(o, ":00000001FF\n", 12);
	o += 12;
	free(b);
	*out = (uint8_t *)t;
	*len = (size_t)(o - t);
	return 0;
}
