/* Writes a seed corpus for fuzz_image: one built image per family and a
 * few variants (with bootcode, two NEC firmwares back to back, small SPC
 * container).  Usage: mkcorpus DIR */
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

int
main(int argc, char **argv)
{
	static const struct odf_image_spec specs[] = {
		{ .family = ODF_FAMILY_NEC, .target = "K350", .bootcode = "05" },
		{ .family = ODF_FAMILY_NEC, .target = "K100", .size = 0x9B004 },
		{ .family = ODF_FAMILY_NEC, .target = "C500" },
		{ .family = ODF_FAMILY_PIONEER, .target = "DVR-108",
		  .variant = "kernel" },
		{ .family = ODF_FAMILY_PLEXTOR, .target = "PX-W4824A" },
		{ .family = ODF_FAMILY_LG_RENESAS, .size = 0x2000 },
		{ .family = ODF_FAMILY_MTK_FF },
		{ .family = ODF_FAMILY_MTK_8051, .size = 0x20000 },
		{ .family = ODF_FAMILY_SPC, .size = 256 },
		{ .family = ODF_FAMILY_PS3, .size = 512 },
	};
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus DIR\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		uint8_t *b = NULL;
		size_t n;
		char name[64];
		struct odf_diag d = { 0 };

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
		free(b);
	}
	return bad;
}
