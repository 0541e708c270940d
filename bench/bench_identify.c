/* Benchmark: identify firmware images of every family on one core and
 * print files/second (target >= 10,000/s, issue #4).
 *
 * The mix is one image per family at the sizes real files have
 * (protocols.md §2/§2b): NEC 1 MiB class with and without a bootcode,
 * Pioneer normal (1 MiB) and kernel (64 KiB), Plextor PX-716A, LG (1 MiB),
 * MT1939 (2 MiB), Lite-On MTK 8051 (exactly 1 MiB), generic SPC and PS3
 * containers (1 MiB): mean about 1.1 MiB.  Built once with
 * odf_image_build, then identified round-robin for 1.5 s each way:
 *   1. in memory (odf_image_parse: one copy of the bytes);
 *   2. from files (odf_image_load, files in $TMPDIR, page cache): what
 *      `odflash identify` does, without printing;
 *   3. as 2, plus the payload's sha256 (odf_image_sha256), which
 *      `odflash identify` prints.
 * Identification (family, target, version, checksum verified) reads every
 * byte once for the checksum; the sha256 is computed on request only, as
 * it runs at SHA-256 speed (nettle with SHA-NI, about 1.6 GB/s here), so
 * figure 3 is bound by it for MiB-sized files.
 * Time is this process's CPU time (one thread: one core), so that other
 * work on a shared machine does not count; caches are still shared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "odf/image.h"


static const struct odf_image_spec specs[] = {
	{ .family = ODF_FAMILY_NEC, .target = "K350", .bootcode = "05" },
	{ .family = ODF_FAMILY_NEC, .target = "K355" },
	{ .family = ODF_FAMILY_PIONEER, .target = "DVR-108",
	  .variant = "normal" },
	{ .family = ODF_FAMILY_PIONEER, .target = "DVR-108",
	  .variant = "kernel" },
	{ .family = ODF_FAMILY_PLEXTOR, .target = "PX-716A" },
	{ .family = ODF_FAMILY_LG_RENESAS },
	{ .family = ODF_FAMILY_MTK_FF },
	{ .family = ODF_FAMILY_MTK_8051 },
	{ .family = ODF_FAMILY_SPC },
	{ .family = ODF_FAMILY_PS3 },
};
enum { N = sizeof(specs) / sizeof(specs[0]) };

static uint8_t *img[N];
static size_t len[N];
static char path[N][4200];

/* Identify image i the given way; 0 if it came out as its family with a
 * good checksum (and a hash when asked). */
static int
one(size_t i, int how)
{
	struct odf_image *im = NULL;
	const struct odf_image_info *in;
	int r;

	if (how == 0)
		r = odf_image_parse(img[i], len[i], "bench.bin",
				    ODF_FAMILY_UNKNOWN, &im, NULL);
	else
		r = odf_image_load(path[i], ODF_FAMILY_UNKNOWN, &im, NULL);
	if (r != 0)
		return -1;
	in = odf_image_info(im, 0);
	if (in == NULL || in->family != specs[i].family ||
	    (in->checksum.present && !in->checksum.ok) ||
	    (how == 2 && odf_image_sha256(im, 0) == NULL))
		r = -1;
	odf_image_free(im);
	return r;
}

int
main(void)
{
	static const char *const what[] = {
		"identify in memory (family, IDs, checksum verified)",
		"identify files (odf_image_load)",
		"identify files + sha256",
	};
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	size_t total = 0;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/bench_identify.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("bench_identify: mkdtemp");
		return 1;
	}
	for (size_t i = 0; i < N; i++) {
		struct odf_diag d = { 0 };
		FILE *f;

		if (odf_image_build(&specs[i], &img[i], &len[i], &d) != 0) {
			fprintf(stderr, "bench_identify: build: %s\n", d.msg);
			return 1;
		}
		total += len[i];
		snprintf(path[i], sizeof(path[i]), "%s/%zu.bin", dir, i);
		f = fopen(path[i], "wb");
		if (f == NULL || fwrite(img[i], 1, len[i], f) != len[i] ||
		    fclose(f) != 0) {
			perror(path[i]);
			return 1;
		}
	}
	for (int how = 0; how < 3 && rc == 0; how++) {
		unsigned long files = 0;
		double t0 = cpu_now(), t;

		do {
			for (size_t i = 0; i < N && rc == 0; i++) {
				if (one(i, how) != 0) {
					fprintf(stderr, "bench_identify: %s "
						"image not identified\n",
						odf_family_name(specs[i].family));
					rc = 1;
				}
				files++;
			}
			t = cpu_now() - t0;
		} while (t < 1.5 && rc == 0);
		if (rc == 0)
			printf("bench_identify: %s: %lu files in %.2f s CPU = %.0f "
			       "files/s, %.0f MB/s (%d images, mean %.0f KiB)\n",
			       what[how], files, t, (double)files / t,
			       (double)files / N * (double)total / t / 1e6,
			       (int)N, (double)total / N / 1024.0);
	}
	for (size_t i = 0; i < N; i++) {
		unlink(path[i]);
		free(img[i]);
	}
	rmdir(dir);
	return rc;
}
