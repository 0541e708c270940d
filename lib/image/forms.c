/* odflash image library: input forms.
 *
 *  - raw binary;
 *  - ".hex" files that are really binary (MtkFlash's habit): decided by
 *    content, never by the extension;
 *  - Intel HEX (text): ":LLAAAATT<data>CC" records; CC makes the byte sum
 *    of the record 0 mod 256; types 00 data, 01 end of file, 02 extended
 *    segment address (x16), 03 start segment (ignored), 04 extended
 *    linear address (upper 16 bits), 05 start linear (ignored), and 55h,
 *    the MediaTek bank separator ":00000155AA" that moves to the next
 *    64 KiB bank (dvd+rw-tools btcflash.cpp; docs/internals/protocols.md
 *    §6.3);
 *  - Motorola S-records (text): "S<t><count><address><data><cs>", cs =
 *    ones' complement of the byte sum of count, address and data; S0
 *    header, S1/S2/S3 data with 16/24/32-bit address, S5/S6 count,
 *    S7/S8/S9 end.
 * Gaps between records are filled with 0xFF (erased flash).  An Intel HEX
 * file whose last line (no newline after it) does not parse was cut
 * there: ODF_E_TRUNCATED.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"

#define MAX_DECODED ((size_t)64 << 20)

const char *
odfi_form_name(enum odfi_form f)
{
	switch (f) {
	case ODFI_FORM_HEX_BINARY: return "hex-binary";
	case ODFI_FORM_IHEX: return "ihex";
	case ODFI_FORM_SREC: return "srec";
	default: return "bin";
	}
}

/* Text: printable ASCII, tab, CR and LF.  A table and no branch per
 * byte: the whole of a multi-MiB file is looked at, and the fuzz targets'
 * comparison tracing made the five compares per byte their main cost
 * (is_text was 40% of the "all" target's time). */
static const uint8_t not_text[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static bool
is_text(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	size_t i = 0;

	/* 8 bytes a step, a look at the result every 64: a binary file
	 * stops early, and the fuzz build traces one compare, not 8 */
	for (; n - i >= 8; i += 8) {
		acc |= not_text[p[i]] | not_text[p[i + 1]] |
		       not_text[p[i + 2]] | not_text[p[i + 3]] |
		       not_text[p[i + 4]] | not_text[p[i + 5]] |
		       not_text[p[i + 6]] | not_text[p[i + 7]];
		if (i % 64 == 56 && acc != 0)
			return false;
	}
	for (; i < n; i++)
		acc |= not_text[p[i]];
	return acc == 0;
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode a line's hex digits after its lead char(s) into bytes. */
static int
line_bytes(const uint8_t *s, size_t n, uint8_t *out, size_t max,
	   size_t *nout)
{
	if (n % 2 != 0 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int h = hexval(s[i]), l = hexval(s[i + 1]);
		if (h < 0 || l < 0)
			return -1;
		out[i / 2] = (uint8_t)(h << 4 | l);
	}
	*nout = n / 2;
	return 0;
}

struct sink {
	uint8_t *buf;		/* NULL in the sizing pass */
	size_t max;		/* highest address + 1 seen */
};

static int
put(struct sink *k, uint64_t addr, const uint8_t *p, size_t n,
    unsigned line, struct odf_diag *d)
{
	if (addr + n > MAX_DECODED)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "line %u: address 0x%llX is beyond %zu MiB",
				    line, (unsigned long long)addr,
				    MAX_DECODED >> 20);
	if (k->buf)
		memcpy(k->buf + addr, p, n);
	if (addr + n > k->max)
		k->max = (size_t)(addr + n);
	return 0;
}

/* One pass over the text; buf NULL = sizing pass. */
static int
run(const uint8_t *t, size_t len, bool srec, struct sink *k,
    struct odf_diag *d)
{
	size_t i = 0;
	unsigned line = 0;
	uint64_t base = 0, bank = 0;
	bool ended = false;
	uint8_t rec[300];

	while (i < len) {
		size_t j = i, e, n;
		line++;
		{
			const uint8_t *nl = memchr(t + i, '\n', len - i);
			j = nl ? (size_t)(nl - t) : len;
		}
		e = j;
		while (e > i && (t[e - 1] == '\r' || t[e - 1] == ' ' ||
				 t[e - 1] == '\t'))
			e--;
		if (e == i || ended) {
			i = j + 1;
			continue;
		}
		if (!srec) {
			unsigned sum = 0, cnt, type, a16;
			bool bad = t[i] != ':' ||
				   line_bytes(t + i + 1, e - i - 1, rec,
					      sizeof(rec), &n) < 0 || n < 5;

			/* a last line without its newline that does not
			 * parse: the file was cut inside it */
			if (j >= len && (bad || (size_t)rec[0] + 5 != n))
				return odf_diag_set(d, ODF_E_TRUNCATED,
						    "truncated: Intel HEX file "
						    "ends inside line %u", line);
			if (bad)
				return odf_diag_set(d, ODF_E_FORMAT,
						    "Intel HEX line %u is not a "
						    "record", line);
			for (size_t m = 0; m < n; m++)
				sum += rec[m];
			cnt = rec[0];
			if (cnt + 5 != n)
				return odf_diag_set(d, ODF_E_FORMAT,
						    "Intel HEX line %u: length "
						    "%u does not match the %zu "
						    "bytes of the record", line,
						    cnt, n);
			if ((sum & 0xFF) != 0)
				return odf_diag_set(d, ODF_E_FORMAT,
						    "Intel HEX line %u: bad "
						    "record checksum (stored "
						    "0x%02X, computed 0x%02X)",
						    line, rec[n - 1],
						    (unsigned)((0x100 - ((sum -
						    rec[n - 1]) & 0xFF)) & 0xFF));
			a16 = (unsigned)rec[1] << 8 | rec[2];
			type = rec[3];
			switch (type) {
			case 0x00: {
				int r = put(k, bank + base + a16, rec + 4, cnt,
					    line, d);
				if (r < 0)
					return r;
				break;
			}
			case 0x01:
				ended = true;
				break;
			case 0x02:
				if (cnt != 2)
					goto badlen;
				base = (uint64_t)(rec[4] << 8 | rec[5]) << 4;
				break;
			case 0x04:
				if (cnt != 2)
					goto badlen;
				base = (uint64_t)(rec[4] << 8 | rec[5]) << 16;
				break;
			case 0x03:
			case 0x05:
				break;
			case 0x55:
				bank += 0x10000;
				break;
			default:
				return odf_diag_set(d, ODF_E_FORMAT,
						    "Intel HEX line %u: unknown "
						    "record type %02X", line,
						    type);
			}
		} else {
			unsigned sum = 0, alen, type;
			uint64_t addr = 0;
			if (t[i] != 'S' || e - i < 4 ||
			    hexval(t[i + 1]) < 0 ||
			    line_bytes(t + i + 2, e - i - 2, rec, sizeof(rec),
				       &n) < 0 || n < 1)
				return odf_diag_set(d, ODF_E_FORMAT,
						    "S-record line %u is not a "
						    "record", line);
			type = (unsigned)hexval(t[i + 1]);
			if (rec[0] + 1u != n)
				return odf_diag_set(d, ODF_E_FORMAT,
						    "S-record line %u: count %u "
						    "does not match the %zu "
						    "bytes of the record", line,
						    rec[0], n - 1);
			for (size_t m = 0; m + 1 < n; m++)
				sum += rec[m];
			if ((uint8_t)~sum != rec[n - 1])
				return odf_diag_set(d, ODF_E_FORMAT,
						    "S-record line %u: bad record "
						    "checksum (stored 0x%02X, "
						    "computed 0x%02X)", line,
						    rec[n - 1],
						    (unsigned)(uint8_t)~sum);
			switch (type) {
			case 0: case 5: case 6:
				break;
			case 1: case 2: case 3:
				alen = type + 1;
				if (n < alen + 2)
					goto badlen;
				for (unsigned m = 0; m < alen; m++)
					addr = addr << 8 | rec[1 + m];
				{
					int r = put(k, addr, rec + 1 + alen,
						    n - 2 - alen, line, d);
					if (r < 0)
						return r;
				}
				break;
			case 7: case 8: case 9:
				ended = true;
				break;
			default:
				return odf_diag_set(d, ODF_E_FORMAT,
						    "S-record line %u: unknown "
						    "record type S%u", line, type);
			}
		}
		i = j + 1;
		continue;
badlen:
		return odf_diag_set(d, ODF_E_FORMAT,
				    "%s line %u: wrong record length",
				    srec ? "S-record" : "Intel HEX", line);
	}
	if (k->max == 0)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "%s file holds no data records",
				    srec ? "S-record" : "Intel HEX");
	if (!ended && !srec)
		return odf_diag_set(d, ODF_E_TRUNCATED,
				    "truncated: Intel HEX file has no end-of-file "
				    "record (last line %u)", line);
	return 0;
}

int
odfi_decode_form(const uint8_t *buf, size_t len, const char *name,
		 enum odfi_form *form, uint8_t **out, size_t *outlen,
		 struct odf_diag *d)
{
	size_t i = 0, probe = len < 4096 ? len : 4096;
	bool srec;
	struct sink k = { NULL, 0 };
	int r;

	*out = NULL;
	*outlen = 0;
	*form = ODFI_FORM_BIN;
	(void)name;
	if (!is_text(buf, probe))
		return 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
			   buf[i] == '\n'))
		i++;
	if (i >= len)
		return 0;
	if (buf[i] == ':')
		srec = false;
	else if (buf[i] == 'S' && i + 1 < len && buf[i + 1] >= '0' &&
		 buf[i + 1] <= '9')
		srec = true;
	else
		return 0;
	if (!is_text(buf, len))
		return odf_diag_set(d, ODF_E_FORMAT,
				    "%s file contains binary bytes",
				    srec ? "S-record" : "Intel HEX");
	r = run(buf + i, len - i, srec, &k, d);
	if (r < 0)
		return r;
	k.buf = malloc(k.max);
	if (k.buf == NULL)
		return odf_diag_set(d, ODF_E_NOMEM, "out of memory");
	memset(k.buf, 0xFF, k.max);
	r = run(buf + i, len - i, srec, &k, d);
	if (r < 0) {
		free(k.buf);
		return r;
	}
	*out = k.buf;
	*outlen = k.max;
	*form = srec ? ODFI_FORM_SREC : ODFI_FORM_IHEX;
	return 0;
}
