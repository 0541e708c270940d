/* BTC DRW1008 and Samsung SD-616F: identify's fields and the drivers'
 * plans against their public sources -- dvd+rw-tools btcflash.cpp main
 * (256 x 3B 06 00 <off+20h> 00 10 00 00, the 32-byte header with the
 * 16-bit byte sum at 30..31, 3B 07, 50 s, TEST UNIT READY) and
 * superg/redumper@2ab9a42 drive/flash_sd616.ixx:redumper_flash_sd616
 * (the copy map into a 0x30000 stream) with drive/flash_tsst.ixx:
 * flash_tsst (FF 00 01 00 00 00/FF/02, 0x10000 a command);
 * docs/internals/protocols.md §6.3, §5.5. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "odf/bytes.h"
#include "odf/image.h"
#include "odf/vendor.h"

static uint8_t *
build(enum odf_family fam, const char *target, const char *ver, size_t want)
{
	struct odf_image_spec s;
	uint8_t *b = NULL;
	size_t n = 0;

	memset(&s, 0, sizeof(s));
	s.family = fam;
	s.target = target;
	s.revision = ver;
	s.seed = 23;
	assert_int_equal(odf_image_build(&s, &b, &n, NULL), 0);
	assert_int_equal(n, want);
	return b;
}

static void
test_identify(void **st)
{
	uint8_t *b = build(ODF_FAMILY_BTC, "DRW1004", "1.23", 0x100000);
	struct odf_image *img = NULL;
	const struct odf_image_info *in;
	struct odf_diag d;
	uint32_t sum = 0;
	char want[8];

	(void)st;
	assert_int_equal(odf_image_parse(b, 0x100000, "t", ODF_FAMILY_UNKNOWN,
					 &img, NULL), 0);
	in = odf_image_info(img, 0);
	assert_int_equal(in->family, ODF_FAMILY_BTC);
	assert_string_equal(in->target, "DRW1004");
	assert_string_equal(in->vendor, "BTC");
	assert_string_equal(in->version, "1.23");
	assert_false(in->checksum.present);
	for (size_t i = 0; i < 0x100000; i++)
		sum += b[i];
	snprintf(want, sizeof(want), "%04X", sum & 0xFFFF);
	assert_non_null(strstr(in->note, want));	/* calcsum's value */
	odf_image_free(img);
	odf_diag_clear(&d);
	assert_int_equal(odf_image_parse(b, 0x80000, "t", ODF_FAMILY_UNKNOWN,
					 &img, &d), ODF_E_TRUNCATED);
	free(b);

	b = build(ODF_FAMILY_SD616, NULL, "F123", 0x20000);
	assert_int_equal(odf_image_parse(b, 0x20000, "t", ODF_FAMILY_UNKNOWN,
					 &img, NULL), 0);
	in = odf_image_info(img, 0);
	assert_int_equal(in->family, ODF_FAMILY_SD616);
	assert_string_equal(in->target, "SD-616F");
	assert_string_equal(in->product, "DVD-ROM SD-616F");
	assert_string_equal(in->version, "F123");
	assert_false(in->checksum.present);
	odf_image_free(img);
	odf_diag_clear(&d);
	assert_int_equal(odf_image_parse(b, 0x1F000, "t", ODF_FAMILY_UNKNOWN,
					 &img, &d), ODF_E_TRUNCATED);
	free(b);
}

/* The drivers of a family whose images have one size refuse a part of
 * another (ODF_E_MISMATCH, the sentence naming both sizes) before any
 * step: here a 256-byte generic SPC container given to each. */
static void
test_plan_other_size(void **st)
{
	static const struct {
		const char *driver, *vendor, *target, *msg;
	} t[] = {
		{ "btc", "BTC", "DRW1008",
		  "a BTC image is 1048576 bytes, not 256" },
		{ "sd616", "SAMSUNG", "SD-616F",
		  "a Samsung SD-616 image is 131072 bytes, not 256" },
		{ "mtk-ff", "TSSTcorp", "SE-506CB",
		  "a MT1939 image is 2097152 bytes, not 256" },
		{ "mtk-ff", "TSSTcorp", "TS-H353C",
		  "a MT1339 image is 262144 bytes, not 256" },
		{ "mt1959", "HL-DT-ST", "GENERIC DRIVE",
		  "an MT1959 image is 2097152 bytes, not 256" },
	};
	struct odf_image_spec sp;
	struct odf_image *img = NULL;
	uint8_t *b = NULL;
	size_t n = 0, ran = 0;

	(void)st;
	memset(&sp, 0, sizeof(sp));
	sp.family = ODF_FAMILY_SPC;
	sp.size = 256;
	assert_int_equal(odf_image_build(&sp, &b, &n, NULL), 0);
	assert_int_equal(odf_image_parse(b, n, "t", ODF_FAMILY_UNKNOWN, &img,
					 NULL), 0);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++, ran++) {
		const struct odf_driver *drv = odf_driver_by_name(t[i].driver);
		struct odf_drive_ident id;
		struct odf_plan p;
		struct odf_diag d;

		assert_non_null(drv);
		memset(&id, 0, sizeof(id));
		snprintf(id.vendor, sizeof(id.vendor), "%s", t[i].vendor);
		snprintf(id.product, sizeof(id.product), "%s", t[i].target);
		snprintf(id.target, sizeof(id.target), "%s", t[i].target);
		memset(&p, 0, sizeof(p));
		odf_diag_clear(&d);
		assert_int_equal(drv->ops->plan(&id, img, 0, NULL,
						ODF_PLAN_FLASH, &p, &d),
				 ODF_E_MISMATCH);
		assert_string_equal(d.msg, t[i].msg);
		assert_int_equal(p.n, 0);
		assert_null(p.data);
	}
	printf("# other-size plans: %zu drivers refused\n", ran);
	assert_int_equal(ran, 5);
	odf_image_free(img);
	free(b);
}

static struct odf_plan
plan_of(const char *driver, enum odf_family fam, const char *target,
	const uint8_t *f, size_t n, struct odf_image **img)
{
	const struct odf_driver *drv = odf_driver_by_name(driver);
	struct odf_drive_ident d;
	struct odf_path_limits lim = { 0 };
	struct odf_plan p;

	assert_non_null(drv);
	assert_int_equal(odf_image_parse(f, n, "t", ODF_FAMILY_UNKNOWN, img,
					 NULL), 0);
	memset(&d, 0, sizeof(d));
	d.family = fam;
	snprintf(d.target, sizeof(d.target), "%s", target);
	memset(&p, 0, sizeof(p));
	assert_int_equal(drv->ops->plan(&d, *img, 0, &lim, ODF_PLAN_FLASH, &p,
					NULL), 0);
	assert_int_equal(odf_plan_check(&p, NULL), 0);
	/* a path that carries less than the protocol's block: refused */
	lim.max_transfer = 2048;
	{
		struct odf_plan q;

		memset(&q, 0, sizeof(q));
		assert_true(drv->ops->plan(&d, *img, 0, &lim, ODF_PLAN_FLASH,
					   &q, NULL) < 0);
	}
	return p;
}

static void
test_btc_plan(void **st)
{
	uint8_t *f = build(ODF_FAMILY_BTC, "DRW1008", "2.00", 0x100000);
	struct odf_image *img = NULL;
	struct odf_plan p = plan_of("btc", ODF_FAMILY_BTC, "DRW1008", f,
				    0x100000, &img);
	const struct odf_plan_step *s;
	size_t cmds = 0, k = 0, ponr;
	uint32_t sum = 0;
	bool waited = false;

	(void)st;
	for (size_t i = 0; i < 0x100000; i++)
		sum += f[i];
	for (size_t i = 0; i < p.n; i++) {
		s = &p.steps[i];
		if (s->kind == ODF_STEP_WAIT && s->wait_ms == 50000)
			waited = true;
		if (s->kind != ODF_STEP_CMD)
			continue;
		cmds++;
		assert_int_equal(s->cdb_len, 10);
		if (k < 256) {
			/* btcflash: cmd[3..5] = off>>16, off>>8, 0x20;
			 * cmd[6..8] = 00 10 00; the 4 KiB at off */
			uint8_t want[10] = { 0x3B, 0x06, 0x00,
				(uint8_t)(k >> 4), (uint8_t)(k << 4), 0x20,
				0x00, 0x10, 0x00, 0x00 };

			assert_memory_equal(s->cdb, want, 10);
			assert_int_equal(s->dir, ODF_DIR_OUT);
			assert_int_equal(s->data_len, 0x1000);
			assert_memory_equal(p.data + s->data_off,
					    f + k * 0x1000, 0x1000);
		} else if (k == 256) {
			uint8_t hdr[32] = { 0 };

			assert_memory_equal(s->cdb, "\x3B\x06\x00\x00\x00\x00"
					    "\x00\x00\x20\x00", 10);
			assert_int_equal(s->data_len, 32);
			hdr[30] = (uint8_t)(sum >> 8);
			hdr[31] = (uint8_t)sum;
			assert_memory_equal(p.data + s->data_off, hdr, 32);
		} else if (k == 257) {
			assert_memory_equal(s->cdb, "\x3B\x07\x00\x00\x00\x00"
					    "\x00\x00\x00\x00", 10);
			assert_int_equal(s->dir, ODF_DIR_NONE);
		}
		k++;
	}
	assert_int_equal(cmds, 258);
	assert_true(waited);
	/* the point of no return is the mode 7 write, nothing before it */
	ponr = odf_plan_ponr(&p);
	assert_memory_equal(p.steps[ponr].cdb, "\x3B\x07", 2);
	assert_int_equal(odf_plan_image_bytes(&p), 0x100000);
	odf_plan_release(&p);
	odf_image_free(img);
	free(f);
}

static void
test_sd616_plan(void **st)
{
	uint8_t *f = build(ODF_FAMILY_SD616, NULL, "F200", 0x20000);
	struct odf_image *img = NULL;
	struct odf_plan p = plan_of("sd616", ODF_FAMILY_SD616, "SD-616F", f,
				    0x20000, &img);
	static const uint8_t modes[3] = { 0x00, 0xFF, 0x02 };
	uint8_t *stream = calloc(1, 0x30000);
	size_t k = 0;

	(void)st;
	assert_non_null(stream);
	/* redumper_flash_sd616's four copies into a zeroed stream */
	memcpy(stream, f, 0x10000);
	memcpy(stream + 0x10400, f + 0x10000, 0xF800);
	memcpy(stream + 0x20000, f + 0x1F800, 0x800);
	memcpy(stream + 0x20800, f + 0x10400, 0xF400);
	for (size_t i = 0; i < p.n; i++) {
		const struct odf_plan_step *s = &p.steps[i];
		uint8_t want[12] = { 0xFF, 0x00, 0x01, 0x00, 0x00, 0x00 };

		if (s->kind != ODF_STEP_CMD)
			continue;
		assert_true(k < 3);
		want[5] = modes[k];
		assert_int_equal(s->cdb_len, 12);
		assert_memory_equal(s->cdb, want, 12);
		assert_int_equal(s->data_len, 0x10000);
		assert_memory_equal(p.data + s->data_off, stream + k * 0x10000,
				    0x10000);
		if (k == 0)
			assert_int_equal(odf_plan_ponr(&p), i);
		k++;
	}
	assert_int_equal(k, 3);
	assert_int_equal(odf_plan_image_bytes(&p), 0x20000);
	odf_plan_release(&p);
	odf_image_free(img);
	free(stream);
	free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identify),
		cmocka_unit_test(test_btc_plan),
		cmocka_unit_test(test_sd616_plan),
		cmocka_unit_test(test_plan_other_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
