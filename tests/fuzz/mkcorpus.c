/* Writes a seed corpus for a fuzz_image target (tests/fuzz/fuzz_image.c):
 * built images of the target's family and a few variants (NEC with a
 * bootcode and two firmwares back to back, MediaTek 8051 with a shared
 * common area and in OmniPatcher's rebanked layout, small SPC/PS3
 * containers); for "forms" and "all" also every
 * family's image, images as Intel HEX and S-records, and images inside a
 * synthetic updater .exe.  Usage: mkcorpus DIR [TARGET], TARGET "all"
 * (default), "forms" or a family name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odf/image.h"

static int
save(const char *dir, const char *name, const uint8_t *b, size_t n)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "wb");
	if (f == NULL || fwrite(b, 1, n, f) != n) {
		perror(p);
		if (f)
			fclose(f);
		return 1;
	}
	return fclose(f) != 0;
}

/* Intel HEX (type 04 upper address + 16-byte type 00 records + 01 end) or
 * Motorola S3 records of b; the record formats are in lib/image/forms.c.
 * Written here because no library the project uses writes them. */
static int
save_text(const char *dir, const char *name, const uint8_t *b, size_t n,
	  int srec)
{
	size_t cap = n * 3 + 64 * (n / 16 + 4), k = 0;
	char *t = malloc(cap);
	int r;

	if (t == NULL)
		return 1;
	for (size_t a = 0; a < n; a += 16) {
		size_t c = n - a < 16 ? n - a : 16;
		unsigned sum;

		if (!srec && (a & 0xFFFF) == 0) {
			sum = 2 + 4 + (unsigned)(a >> 24) + (unsigned)(a >> 16);
			k += (size_t)sprintf(t + k, ":02000004%04X%02X\n",
					     (unsigned)(a >> 16),
					     (0x100 - (sum & 0xFF)) & 0xFF);
		}
		if (srec) {
			sum = (unsigned)(c + 5);
			k += (size_t)sprintf(t + k, "S3%02X%08X", (unsigned)(c + 5),
					     (unsigned)a);
			for (int s = 0; s < 32; s += 8)
				sum += (unsigned)(a >> s) & 0xFF;
		} else {
			sum = (unsigned)c + (unsigned)((a >> 8) & 0xFF) +
			      (unsigned)(a & 0xFF);
			k += (size_t)sprintf(t + k, ":%02X%04X00", (unsigned)c,
					     (unsigned)(a & 0xFFFF));
		}
		for (size_t i = 0; i < c; i++) {
			sum += b[a + i];
			k += (size_t)sprintf(t + k, "%02X", b[a + i]);
		}
		k += (size_t)sprintf(t + k, "%02X\n", srec ?
				     (~sum & 0xFF) : ((0x100 - (sum & 0xFF)) & 0xFF));
	}
	k += (size_t)sprintf(t + k, "%s\n", srec ? "S70500000000FA" :
			     ":00000001FF");
	r = save(dir, name, (const uint8_t *)t, k);
	free(t);
	return r;
}

/* b inside a synthetic updater: "MZ" header, junk, the image, a tail. */
static int
save_exe(const char *dir, const char *name, const uint8_t *b, size_t n)
{
	size_t off = 0x1234, total = off + n + 333;
	uint8_t *e = calloc(1, total);
	int r;

	if (e == NULL)
		return 1;
	memcpy(e, "MZ\x90\0", 4);
	memcpy(e + off, b, n);
	r = save(dir, name, e, total);
	free(e);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct odf_image_spec specs[] = {
		{ .family = ODF_FAMILY_NEC, .target = "K350", .bootcode = "05" },
		{ .family = ODF_FAMILY_NEC, .target = "K100", .size = 0x9B004 },
		{ .family = ODF_FAMILY_NEC, .target = "C500" },
		{ .family = ODF_FAMILY_PIONEER, .target = "DVR-108",
		  .variant = "kernel" },
		{ .family = ODF_FAMILY_PIONEER, .target = "DVR-110",
		  .variant = "normal" },
		{ .family = ODF_FAMILY_PLEXTOR, .target = "PX-W4824A" },
		{ .family = ODF_FAMILY_PLEXTOR, .target = "PX-716A" },
		{ .family = ODF_FAMILY_LG_RENESAS, .size = 0x2000 },
		{ .family = ODF_FAMILY_MTK_FF },
		{ .family = ODF_FAMILY_BTC, .target = "DRW1008" },
		{ .family = ODF_FAMILY_SD616 },
		{ .family = ODF_FAMILY_MTK_8051, .size = 0x20000 },
		{ .family = ODF_FAMILY_MTK_8051, .variant = "shared-common" },
		{ .family = ODF_FAMILY_SPC, .size = 256 },
		{ .family = ODF_FAMILY_PS3, .size = 512 },
		{ .family = ODF_FAMILY_MT1959 },
		{ .family = ODF_FAMILY_MT1959, .target = "BU5",
		  .vendor = "ASUS", .product = "BW-16D1HT",
		  .revision = "3.02", .seed = 7 },
	};
	const char *target = argc > 2 ? argv[2] : "all";
	bool all = strcmp(target, "all") == 0;
	bool forms = all || strcmp(target, "forms") == 0;
	enum odf_family want = odf_family_from_name(target);
	int bad = 0;

	if (argc < 2 || argc > 3 || (!forms && want == ODF_FAMILY_UNKNOWN)) {
		fprintf(stderr, "usage: mkcorpus DIR [all|forms|FAMILY]\n");
		return 2;
	}
	if (want == ODF_FAMILY_PS3)	/* one parser, spc.c */
		want = ODF_FAMILY_SPC;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		enum odf_family f = specs[i].family;
		uint8_t *b = NULL;
		size_t n;
		char name[64];
		struct odf_diag d = { 0 };

		if (f == ODF_FAMILY_PS3)
			f = ODF_FAMILY_SPC;
		if (!forms && f != want)
			continue;
		if (odf_image_build(&specs[i], &b, &n, &d) != 0) {
			fprintf(stderr, "build %zu: %s\n", i, d.msg);
			return 1;
		}
		snprintf(name, sizeof(name), "seed-%s-%zu.bin",
			 odf_family_name(specs[i].family), i);
		bad |= save(argv[1], name, b, n);
		if (i == 0) {	/* two NEC firmwares back to back */
			uint8_t *two = malloc(2 * n);
			if (two == NULL)
				return 1;
			memcpy(two, b, n);
			memcpy(two + n, b, n);
			memcpy(two + 2 * n - 2, "08", 2);
			bad |= save(argv[1], "seed-nec-two.bin", two, 2 * n);
			free(two);
		}
		if (specs[i].family == ODF_FAMILY_MTK_8051 && n == 0x100000) {
			/* OmniPatcher's rebanked layout (0x150000 bytes) */
			uint8_t *fl = NULL;
			size_t fn = 0;
			if (odf_mtk8051_to_flasher(b, n, &fl, &fn, &d) != 0) {
				fprintf(stderr, "rebank: %s\n", d.msg);
				return 1;
			}
			bad |= save(argv[1], "seed-mtk-8051-rebanked.bin", fl, fn);
			if (forms)
				bad |= save_exe(argv[1],
						"seed-mtk-8051-rebanked.exe",
						fl, fn);
			free(fl);
		}
		if (forms && n <= 0x20000) {
			snprintf(name, sizeof(name), "seed-%s-%zu.hex",
				 odf_family_name(specs[i].family), i);
			bad |= save_text(argv[1], name, b, n, 0);
			snprintf(name, sizeof(name), "seed-%s-%zu.s19",
				 odf_family_name(specs[i].family), i);
			bad |= save_text(argv[1], name, b, n, 1);
		}
		if (forms) {
			snprintf(name, sizeof(name), "seed-%s-%zu.exe",
				 odf_family_name(specs[i].family), i);
			bad |= save_exe(argv[1], name, b, n);
		}
		free(b);
	}
	return bad;
}
