/* odflash image library: Pioneer DVR-10x firmware files.
 *
 * Facts (rpc1dev/DVRFlash DVRFlash.cpp; jevinskie/Pioneer-DVD-DVR-Flashtool
 * pioneer-dvd-dvr-flash-utils.cpp; docs/internals/protocols.md §3.6):
 *   0x060  24  model = INQUIRY vendor[8] + product[16] ("PIONEER DVD-RW
 *              DVR-109"), compared with the INQUIRY description
 *   0x090      version string
 *   0x0B0   4  interface ("ATA ")
 *   0x0B4   4  generation, ASCII decimal (atoi)
 *   0x0D0   8  kernel type ("PIO_ADV", "GENERAL"; DVRFlash compares 7)
 *   0x110   6  "Kernel" or "Normal"
 * Sizes: generation <= 8 and 52..62: normal exactly 0x100000, kernel
 * exactly 0x10000; generation 9..11 and >= 64: normal >= 0x128000, kernel
 * 0x20000; files up to 2 MiB.  No checksum in the format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/internal.h"
#include "util/platform.h"

#define P_MODEL 0x60
#define P_VERSION 0x90
#define P_IF 0xB0
#define P_GEN 0xB4
#define P_KTYPE 0xD0
#define P_KIND 0x110
#define P_MAX ((size_t)2 << 20)

/* DVRFlash reads the generation with atoi(file + 0xB4) (DVRFlash.cpp
 * main: white space first, then digits); we read the 4 bytes of the
 * field the drive's ID block gives (§3.2), so the blanks before the
 * digits are skipped too (odemu's reader, emu/fmt_pioneer.c, found the
 * difference: " 9  " is generation 9). */
static int
gen_of(const uint8_t *p)
{
	int g = 0, i = 0;

	while (i < 4 && (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r')))
		i++;
	for (; i < 4 && p[i] >= '0' && p[i] <= '9'; i++)
		g = g * 10 + (p[i] - '0');
	return g;
}

static bool
new_gen(int g)
{
	return (g >= 9 && g <= 11) || g >= 64;
}

static int
kind_of(const uint8_t *p, size_t len)
{
	if (len < P_KIND + 6)
		return -1;
	if (memcmp(p + P_KIND, "Kernel", 6) == 0)
		return 1;
	if (memcmp(p + P_KIND, "Normal", 6) == 0)
		return 0;
	return -1;
}

/* Expected size range for a kind/generation. */
static void
size_range(int kernel, int g, size_t *lo, size_t *hi)
{
	if (kernel) {
		*lo = *hi = new_gen(g) ? 0x20000 : 0x10000;
	} else if (new_gen(g)) {
		*lo = 0x128000;
		*hi = P_MAX;
	} else {
		*lo = *hi = 0x100000;
	}
}

static void
fill_info(const uint8_t *p, size_t len, int kernel, struct odf_image_info *in)
{
	char iface[5], product[17];
	int g = gen_of(p + P_GEN);
	const char *t;

	memset(in, 0, sizeof(*in));
	odfi_info_common(in, ODF_FAMILY_PIONEER, p, len);
	odf_str_trim(in->vendor, sizeof(in->vendor), p + P_MODEL, 8,
		     ODF_STR_MARK);
	odf_str_trim(product, sizeof(product), p + P_MODEL + 8, 16,
		     ODF_STR_MARK);
	snprintf(in->product, sizeof(in->product), "%s", product);
	t = strrchr(product, ' ');
	snprintf(in->target, sizeof(in->target), "%s", t ? t + 1 : product);
	odf_str_trim(in->version, sizeof(in->version), p + P_VERSION, 16,
		     ODF_STR_MARK);
	snprintf(in->revision, sizeof(in->revision), "%.4s", in->version);
	odf_str_trim(in->oem, sizeof(in->oem), p + P_KTYPE, 8, ODF_STR_MARK);
	snprintf(in->variant, sizeof(in->variant), "%s",
		 kernel ? "kernel" : "normal");
	odf_str_trim(iface, sizeof(iface), p + P_IF, 4, ODF_STR_MARK);
	snprintf(in->note, sizeof(in->note),
		 "Pioneer %s part, kernel type %s, interface %s, generation %d",
		 kernel ? "kernel" : "normal", in->oem, iface, g);
	in->checksum.present = false;
}

static int
pio_inspect(const uint8_t *p, size_t len, struct odf_image_info *in)
{
	int k = kind_of(p, len);

	if (k < 0)
		return ODF_E_FORMAT;
	fill_info(p, len, k, in);
	return 0;
}

static int
pio_detect(const uint8_t *buf, size_t len, struct odfi_found *f,
	   struct odf_diag *d)
{
	int k = kind_of(buf, len), g;
	size_t lo, hi;

	memset(f, 0, sizeof(*f));
	if (k < 0)
		return 0;
	/* "Kernel"/"Normal" alone is weak: require a model string too. */
	if (buf[P_MODEL] < 0x20 || buf[P_MODEL] > 0x7e)
		return 0;
	g = gen_of(buf + P_GEN);
	size_range(k, g, &lo, &hi);
	if (len < lo) {
		odf_diag_reason(d, ODF_R_FILE_TRUNCATED);
		odf_diag_fact_bytes(d, len, lo);
		return odf_diag_set(d, ODF_E_TRUNCATED,
				    "truncated: %zu bytes expected for a Pioneer "
				    "generation %d %s part, %zu present, %zu "
				    "missing", lo, g, k ? "kernel" : "normal",
				    len, lo - len);
	}
	if (len > hi)
		return odf_diag_set(d, ODF_E_FORMAT,
				    "Pioneer generation %d %s part has %zu "
				    "bytes; at most %zu expected", g,
				    k ? "kernel" : "normal", len, hi);
	f->n = 1;
	f->part[0].off = 0;
	f->part[0].len = len;
	fill_info(buf, len, k, &f->part[0].info);
	return 1;
}

static int
pio_find(const uint8_t *buf, size_t len, size_t *off, size_t *plen)
{
	static const char *const kinds[2] = { "Normal", "Kernel" };

	for (int k = 0; k < 2; k++) {
		const uint8_t *q = buf;
		while (q < buf + len) {
			const uint8_t *m = memmem(q, (size_t)(buf + len - q),
						  kinds[k], 6);
			size_t s, lo, hi;
			if (m == NULL)
				break;
			q = m + 1;
			if ((size_t)(m - buf) < P_KIND)
				continue;
			s = (size_t)(m - buf) - P_KIND;
			if (memcmp(buf + s, "PIONEER", 7) != 0)
				continue;
			size_range(k, gen_of(buf + s + P_GEN), &lo, &hi);
			if (len - s < lo)
				continue;
			*off = s;
			*plen = lo;
			return 1;
		}
	}
	return 0;
}

/* Generation by model, from DVRFlash's key-block table (DVRFlash.cpp
 * SetKern; docs/internals/protocols.md §3.3). */
static int
gen_for_model(const char *m)
{
	static const struct { const char *m; int g; } t[] = {
		{ "DVR-104", 3 }, { "DVR-105", 4 }, { "DVR-106", 6 },
		{ "DVR-107", 7 }, { "DVR-108", 8 }, { "DVR-109", 9 },
		{ "DVR-110", 10 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].m, m) == 0)
			return t[i].g;
	return 0;
}

static int
pio_build(const struct odf_image_spec *s, uint8_t **out, size_t *len,
	  struct odf_diag *d)
{
	const char *model = s->target ? s->target : "DVR-109";
	int kernel = s->variant && strcmp(s->variant, "kernel") == 0;
	int g = gen_for_model(model);
	size_t lo, hi, n;
	char prod[17], gen[8];
	uint8_t *b;

	if (g == 0)
		return odf_diag_set(d, ODF_E_USAGE,
				    "unknown Pioneer model '%s' (DVR-104..DVR-110)",
				    model);
	if (s->variant && !kernel && strcmp(s->variant, "normal") != 0)
		return odf_diag_set(d, ODF_E_USAGE,
				    "Pioneer part is \"kernel\" or \"normal\", "
				    "got '%s'", s->variant);
	size_range(kernel, g, &lo, &hi);
	n = s->size ? s->size : lo;
	if (n < lo || n > hi)
		return odf_diag_set(d, ODF_E_USAGE,
				    "a Pioneer %s %s part is %zu..%zu bytes, got "
				    "%zu", model, kernel ? "kernel" : "normal",
				    lo, hi, n);
	b = odfi_alloc(n, d);
	if (b == NULL)
		return ODF_E_NOMEM;
	odfi_fill(b, n, s->seed);
	memset(b + P_MODEL, ' ', P_KIND + 16 - P_MODEL);
	odf_put_padded(b + P_MODEL, 8, s->vendor ? s->vendor : "PIONEER");
	snprintf(prod, sizeof(prod), "DVD-RW  %s", model);
	odf_put_padded(b + P_MODEL + 8, 16, s->product ? s->product : prod);
	odf_put_padded(b + P_VERSION, 16, s->version ? s->version :
			(s->revision ? s->revision : "1.00"));
	memcpy(b + P_IF, "ATA ", 4);
	snprintf(gen, sizeof(gen), "%-4d", g);
	memcpy(b + P_GEN, gen, 4);
	odf_put_padded(b + P_KTYPE, 8, s->oem ? s->oem : "GENERAL");
	memcpy(b + P_KIND, kernel ? "Kernel" : "Normal", 6);
	*out = b;
	*len = n;
	return 0;
}

const struct odfi_family_ops odfi_pioneer_ops = {
	.family = ODF_FAMILY_PIONEER,
	.detect = pio_detect,
	.find = pio_find,
	.inspect = pio_inspect,
	.fix = NULL,
	.build = pio_build,
};
