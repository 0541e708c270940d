/* Unit tests: NEC/Optiarc firmware files (lib/image/nec.c). */
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

static uint8_t *
build(const char *id, const char *boot, size_t size, uint32_t seed,
      size_t *len)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_NEC, .target = id,
				    .bootcode = boot, .size = size,
				    .seed = seed, .revision = "2.1B" };
	struct odf_diag d = { 0 };
	uint8_t *b = NULL;

	assert_int_equal(odf_image_build(&s, &b, len, &d), 0);
	return b;
}

static struct odf_image *
parse(const uint8_t *b, size_t n, struct odf_diag *d, int want)
{
	struct odf_image *img = NULL;

	assert_int_equal(odf_image_parse(b, n, "fw.bin", ODF_FAMILY_UNKNOWN,
					 &img, d), want);
	return img;
}

static void
test_1m_round_trip(void **st)
{
	size_t n, plen;
	uint8_t *b = build("K350", "05", 0, 7, &n);
	struct odf_diag d = { 0 };
	struct odf_image *img;
	const struct odf_image_info *in;
	const uint8_t *p;

	(void)st;
	assert_int_equal(n, 1024006);
	assert_memory_equal(b + 1024000, "K35005", 6);
	img = parse(b, n, &d, 0);
	assert_int_equal(odf_image_parts(img), 1);
	in = odf_image_info(img, 0);
	assert_int_equal(in->family, ODF_FAMILY_NEC);
	assert_string_equal(in->target, "K350");
	assert_string_equal(in->bootcode, "05");
	assert_string_equal(in->vendor, "_NEC");
	assert_string_equal(in->revision, "2.1B");
	assert_string_equal(in->version, "2.1B");
	assert_int_equal(in->size, 0xFA000);
	assert_true(in->checksum.present);
	assert_true(in->checksum.ok);
	assert_int_equal(in->checksum.offset, 0xF9FFE);
	assert_int_equal(in->checksum.expected, odf_be16(b + 0xF9FFE));
	{	/* independent scalar sum of the BE16 words 0..0xF9FFD */
		uint16_t sum = 0;
		for (size_t i = 0; i < 0xF9FFE; i += 2)
			sum = (uint16_t)(sum + odf_be16(b + i));
		assert_int_equal(in->checksum.actual, sum);
		assert_int_equal(odf_be16(b + 0xF9FFE), sum);
	}
	assert_string_equal(in->form, "bin");
	assert_int_equal(in->file_size, 1024006);
	p = odf_image_data(img, 0, &plen);
	assert_int_equal(plen, 0xFA000);
	assert_memory_equal(p, b, plen);
	assert_int_equal(odf_image_validate(img, 0, &d), 0);
	odf_image_free(img);

	/* flip one byte: checksum bad, both values reported */
	b[0x1234] ^= 0x5A;
	img = parse(b, n, &d, 0);
	in = odf_image_info(img, 0);
	assert_false(in->checksum.ok);
	assert_int_equal(in->checksum.expected, odf_be16(b + 0xF9FFE));
	assert_int_not_equal(in->checksum.actual, in->checksum.expected);
	assert_int_equal(odf_image_validate(img, 0, &d), ODF_E_CHECKSUM);
	{
		char want[128];
		snprintf(want, sizeof(want), "stored 0x%04X, computed 0x%04X",
			 (unsigned)in->checksum.expected,
			 (unsigned)in->checksum.actual);
		assert_non_null(strstr(d.msg, want));
	}
	odf_image_free(img);
	/* fix: good again */
	assert_int_equal(odf_image_fix_checksum(ODF_FAMILY_NEC, b, 0xFA000,
						NULL), 0);
	img = parse(b, n, &d, 0);
	assert_true(odf_image_info(img, 0)->checksum.ok);
	odf_image_free(img);
	free(b);
}

static void
test_every_size_class(void **st)
{
	static const struct { const char *id; size_t size; size_t file;
			      size_t csum; } c[] = {
		{ "K100", 0x9B004, 634888, 0x9B000 },
		{ "K100", 0xB8000, 753668, 0xB7FFE },
		{ "K310", 0xFA000, 1024004, 0xF9FFE },
		{ "K355", 0x1E0002, 1966086, 0x1E0000 },
		{ "D570", 0x1C0002, 1835014, 0x1C0000 },
		{ "Q245", 0x1B0002, 1769478, 0x1B0000 },
		{ "C500", 1901058, 1901058, 0x1D0200 },
	};
	(void)st;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n;
		uint8_t *b = build(c[i].id, NULL, c[i].size, (uint32_t)i, &n);
		struct odf_diag d = { 0 };
		struct odf_image *img = parse(b, n, &d, 0);
		const struct odf_image_info *in = odf_image_info(img, 0);
		struct odf_image_info ii;

		assert_int_equal(n, c[i].file);
		assert_string_equal(in->target, c[i].id);
		assert_int_equal(in->size, c[i].size);
		assert_int_equal(in->checksum.offset, c[i].csum);
		assert_true(in->checksum.ok);
		/* the payload inspected as it lies in flash */
		assert_int_equal(odf_image_inspect(ODF_FAMILY_NEC, b, c[i].size,
						   &ii), 0);
		assert_true(ii.checksum.ok);
		assert_string_equal(ii.revision, "2.1B");
		odf_image_free(img);
		/* +2 variant (bootcode) for the tail-ID classes */
		if (c[i].size != c[i].file) {
			free(b);
			b = build(c[i].id, "08", c[i].size, 9, &n);
			assert_int_equal(n, c[i].file + 2);
			img = parse(b, n, &d, 0);
			assert_string_equal(odf_image_info(img, 0)->bootcode,
					    "08");
			odf_image_free(img);
		}
		free(b);
	}
}

static void
test_multi_firmware(void **st)
{
	size_t n1, n2;
	uint8_t *a = build("K350", "05", 0, 1, &n1);
	uint8_t *b = build("K350", "08", 0, 2, &n2);
	uint8_t *cat = malloc(n1 + n2);
	struct odf_diag d = { 0 };
	struct odf_image *img;
	struct odf_drive_ident drv = { .family = ODF_FAMILY_NEC };
	size_t len;
	const uint8_t *p;

	(void)st;
	memcpy(cat, a, n1);
	memcpy(cat + n1, b, n2);
	img = parse(cat, n1 + n2, &d, 0);
	assert_int_equal(odf_image_parts(img), 2);
	/* walked backwards: part 0 is the last firmware in the file */
	assert_string_equal(odf_image_info(img, 0)->bootcode, "08");
	assert_string_equal(odf_image_info(img, 1)->bootcode, "05");
	assert_int_equal(odf_image_info(img, 1)->file_offset, 0);
	assert_int_equal(odf_image_info(img, 0)->file_offset, n1);
	p = odf_image_data(img, 1, &len);
	assert_memory_equal(p, a, 0xFA000);
	snprintf(drv.target, sizeof(drv.target), "K310");
	snprintf(drv.bootcode, sizeof(drv.bootcode), "05");
	assert_int_equal(odf_image_select(img, &drv), 1);
	snprintf(drv.bootcode, sizeof(drv.bootcode), "08");
	assert_int_equal(odf_image_select(img, &drv), 0);
	odf_image_free(img);
	free(a);
	free(b);
	free(cat);
}

static void
test_truncated(void **st)
{
	size_t n;
	uint8_t *b = build("K350", NULL, 0, 3, &n);
	struct odf_diag d = { 0 };

	(void)st;
	assert_null(parse(b, 1000000, &d, ODF_E_TRUNCATED));
	/* the ID went with the cut: with or without a bootcode */
	assert_string_equal(d.msg, "truncated: 1024004 bytes expected for an "
			    "NEC 1 MiB image (1024006 with a bootcode), "
			    "1000000 present, 24004 missing (24006 with a "
			    "bootcode)");
	/* ID still at the end, bytes missing in front */
	memmove(b, b + 4, n - 4);
	assert_null(parse(b, n - 4, &d, ODF_E_TRUNCATED));
	assert_string_equal(d.msg, "truncated: 1024004 bytes expected for an "
			    "NEC 1 MiB image, 1024000 present, 4 missing");
	free(b);
	/* ID and bootcode still at the end: exactly */
	b = build("K350", "05", 0, 3, &n);
	assert_int_equal(n, 1024006);
	memmove(b, b + 10, n - 10);
	assert_null(parse(b, n - 10, &d, ODF_E_TRUNCATED));
	assert_string_equal(d.msg, "truncated: 1024006 bytes expected for an "
			    "NEC 1 MiB image, 1023996 present, 10 missing");
	free(b);
}

static void
test_alias_and_compat(void **st)
{
	size_t n;
	uint8_t *b = build("K350", "05", 0, 4, &n);
	struct odf_diag d = { 0 };
	struct odf_image *img = parse(b, n, &d, 0);
	const struct odf_image_info *in = odf_image_info(img, 0);
	struct odf_drive_ident drv = { .family = ODF_FAMILY_NEC };
	struct odf_compat c;
	const char *model = NULL;

	(void)st;
	snprintf(drv.target, sizeof(drv.target), "K310");
	snprintf(drv.bootcode, sizeof(drv.bootcode), "05");
	snprintf(drv.vendor, sizeof(drv.vendor), "_NEC");
	/* a K350 file is accepted for a drive that reports K310 */
	assert_int_equal(odf_image_check_compat(in, &drv, &c), 0);
	assert_int_equal(c.n, 0);
	snprintf(drv.target, sizeof(drv.target), "K345");
	assert_int_equal(odf_image_check_compat(in, &drv, &c), 0);
	assert_string_equal(odf_nec_alias("K350", &model), "K310");
	assert_string_equal(model, "ND-3500A/3450A");
	assert_string_equal(odf_nec_alias("D530", NULL), "D570");
	assert_string_equal(odf_nec_alias("K480", NULL), "D770");
	assert_string_equal(odf_nec_alias("K352", NULL), "K312");
	assert_string_equal(odf_nec_alias("K355", NULL), "K315");
	assert_string_equal(odf_nec_alias("ZZZZ", &model), "ZZZZ");
	assert_null(model);

	/* another drive of the same layout: crossflash, overridable */
	snprintf(drv.target, sizeof(drv.target), "K352");
	assert_int_equal(odf_image_check_compat(in, &drv, &c), ODF_E_MISMATCH);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.reason[0].kind, ODF_INCOMPAT_TARGET);
	assert_true(c.reason[0].overridable);
	assert_string_equal(c.reason[0].text, "image is for K350 "
			    "(ND-3500A/3450A), the drive is K352 (ND-3520A)");
	/* another layout: never */
	snprintf(drv.target, sizeof(drv.target), "K355");
	assert_int_equal(odf_image_check_compat(in, &drv, &c), ODF_E_MISMATCH);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.reason[0].kind, ODF_INCOMPAT_LAYOUT);
	assert_false(c.reason[0].overridable);
	assert_int_equal(c.reason[1].kind, ODF_INCOMPAT_TARGET);
	/* bootcode: never; OEM: overridable */
	snprintf(drv.target, sizeof(drv.target), "K310");
	snprintf(drv.bootcode, sizeof(drv.bootcode), "08");
	snprintf(drv.vendor, sizeof(drv.vendor), "SONY");
	assert_int_equal(odf_image_check_compat(in, &drv, &c), ODF_E_MISMATCH);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.reason[0].kind, ODF_INCOMPAT_BOOTCODE);
	assert_false(c.reason[0].overridable);
	assert_string_equal(c.reason[0].text, "image expects bootcode 05, "
			    "the drive has bootcode 08");
	assert_int_equal(c.reason[1].kind, ODF_INCOMPAT_OEM);
	assert_true(c.reason[1].overridable);
	/* master vs slave */
	{
		struct odf_image_info ii = *in;
		struct odf_drive_ident dv = drv;
		snprintf(dv.bootcode, sizeof(dv.bootcode), "05");
		snprintf(dv.vendor, sizeof(dv.vendor), "_NEC");
		snprintf(ii.variant, sizeof(ii.variant), "master");
		snprintf(dv.variant, sizeof(dv.variant), "slave");
		assert_int_equal(odf_image_check_compat(&ii, &dv, &c),
				 ODF_E_MISMATCH);
		assert_int_equal(c.n, 1);
		assert_int_equal(c.reason[0].kind, ODF_INCOMPAT_VARIANT);
		assert_true(c.reason[0].overridable);
	}
	/* family */
	drv.family = ODF_FAMILY_PLEXTOR;
	assert_int_equal(odf_image_check_compat(in, &drv, &c), ODF_E_MISMATCH);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.reason[0].kind, ODF_INCOMPAT_FAMILY);
	assert_false(c.reason[0].overridable);
	odf_image_free(img);
	free(b);
}

static void
test_bad_build_args(void **st)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_NEC, .target = "K3" };
	struct odf_diag d = { 0 };
	uint8_t *b = NULL;
	size_t n = 0;

	(void)st;
	assert_int_equal(odf_image_build(&s, &b, &n, &d), ODF_E_USAGE);
	assert_null(b);
	s.target = "K350";
	s.bootcode = "5";
	assert_int_equal(odf_image_build(&s, &b, &n, &d), ODF_E_USAGE);
	s.bootcode = NULL;
	s.size = 12345;
	assert_int_equal(odf_image_build(&s, &b, &n, &d), ODF_E_USAGE);
	assert_string_equal(d.msg, "12345 bytes is not an NEC image size");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_1m_round_trip),
		cmocka_unit_test(test_every_size_class),
		cmocka_unit_test(test_multi_firmware),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_alias_and_compat),
		cmocka_unit_test(test_bad_build_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
