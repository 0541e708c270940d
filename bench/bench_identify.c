/* Benchmark: identify many in-memory firmware images of every family on
 * one core and print files/second (target >= 10,000/s).  Images are built
 * once with odf_image_build (small sizes where the family allows, real
 * sizes otherwise: mean about 650 KiB), then parsed round-robin for
 * 1.5 s, first without the sha256 (which the library computes on demand,
 * in odf_image_info), then with it.  The sha256 alone runs at the speed
 * of nettle's SHA-256, a few hundred MB/s, so the second figure is bound
 * by it for MiB-sized images. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "odf/image.h"

static double
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(void)
{
	static const struct odf_image_spec specs[] = {
		{ .family = ODF_FAMILY_NEC, .target = "K350", .bootcode = "05" },
		{ .family = ODF_FAMILY_NEC, .target = "K355" },
		{ .family = ODF_FAMILY_PIONEER, .target = "DVR-108",
		  .variant = "kernel" },
		{ .family = ODF_FAMILY_PLEXTOR, .target = "PX-W4824A" },
		{ .family = ODF_FAMILY_LG_RENESAS, .size = 0x10000 },
		{ .family = ODF_FAMILY_MTK_FF },
		{ .family = ODF_FAMILY_MTK_8051, .size = 0x20000 },
		{ .family = ODF_FAMILY_SPC, .size = 0x10000 },
		{ .family = ODF_FAMILY_PS3, .size = 0x10000 },
	};
	enum { N = sizeof(specs) / sizeof(specs[0]) };
	uint8_t *img[N];
	size_t len[N], total = 0;
	unsigned long files = 0;
	double t0, t;

	for (size_t i = 0; i < N; i++) {
		struct odf_diag d = { 0 };
		if (odf_image_build(&specs[i], &img[i], &len[i], &d) != 0) {
			fprintf(stderr, "bench_identify: build: %s\n", d.msg);
			return 1;
		}
		total += len[i];
	}
	/* every image must be identified as its family (checked once) */
	for (size_t i = 0; i < N; i++) {
		struct odf_image *im = NULL;
		if (odf_image_parse(img[i], len[i], "bench.bin",
				    ODF_FAMILY_UNKNOWN, &im, NULL) != 0 ||
		    odf_image_info(im, 0)->family != specs[i].family) {
			fprintf(stderr, "bench_identify: %s image not "
				"identified\n", odf_family_name(specs[i].family));
			return 1;
		}
		odf_image_free(im);
	}
	for (int hash = 0; hash < 2; hash++) {
		files = 0;
		t0 = now();
		do {
			for (size_t i = 0; i < N; i++) {
				struct odf_image *im = NULL;
				if (odf_image_parse(img[i], len[i], "bench.bin",
						    ODF_FAMILY_UNKNOWN, &im,
						    NULL) != 0 ||
				    odf_image_parts(im) == 0)
					return 1;
				/* odf_image_info computes the sha256 */
				if (hash && odf_image_info(im, 0)->sha256[0] == 0)
					return 1;
				odf_image_free(im);
				files++;
			}
			t = now() - t0;
		} while (t < 1.5);
		printf("bench_identify: %s: %lu files in %.2f s = %.0f "
		       "files/s, %.0f MB/s (%d families, mean %.0f KiB)\n",
		       hash ? "identify + sha256" : "identify (family, IDs, "
		       "checksum verified)", files, t, (double)files / t,
		       (double)files / N * (double)total / t / 1e6, (int)N,
		       (double)total / N / 1024.0);
	}
	for (size_t i = 0; i < N; i++)
		free(img[i]);
	return 0;
}
