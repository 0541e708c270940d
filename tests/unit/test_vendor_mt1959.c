/* MediaTek MT1959: the image's CMAC table (RibShark/OmniDrive
 * update_cmac.py) against a known answer, identify's fields, the
 * compatibility rules (config ID never; a product crossflash only for
 * OmniDrive's pairings), the unit's own ranges and their transplant, and
 * the driver's plan against redumper's sequence (superg/redumper@2ab9a42
 * drive/flash_mt1959.ixx; docs/internals/protocols.md §5.6), the first
 * block's computed data included. */
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

#define SZ 0x200000u

static uint8_t *
build(const char *cfg, const char *vendor, const char *product,
      const char *ver)
{
	struct odf_image_spec s;
	uint8_t *b = NULL;
	size_t n = 0;

	memset(&s, 0, sizeof(s));
	s.family = ODF_FAMILY_MT1959;
	s.target = cfg;
	s.vendor = vendor;
	s.product = product;
	s.revision = ver;
	s.seed = 11;
	assert_int_equal(odf_image_build(&s, &b, &n, NULL), 0);
	assert_int_equal(n, SZ);
	return b;
}

static struct odf_image *
parse(const uint8_t *b)
{
	struct odf_image *img = NULL;

	assert_int_equal(odf_image_parse(b, SZ, "t", ODF_FAMILY_UNKNOWN, &img,
					 NULL), 0);
	return img;
}

/* One 16-byte range whose reversed block is RFC 4493's M (6bc1..172a):
 * openssl mac -cipher AES-128-CBC -macopt hexkey:BD209408E35E526A36235234
 * 434FE8AB CMAC gives 39FDF5077F47A160C92056F821C8DEB2 for it (and the
 * RFC's own key gives the RFC's 070a16b4..., the check of the command);
 * the table stores it byte-reversed. */
static void
test_cmac_known_answer(void **st)
{
	static const uint8_t m[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40,
		0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a };
	static const uint8_t mac[16] = { 0x39, 0xFD, 0xF5, 0x07, 0x7F, 0x47,
		0xA1, 0x60, 0xC9, 0x20, 0x56, 0xF8, 0x21, 0xC8, 0xDE, 0xB2 };
	uint8_t *b = build("JB8", NULL, NULL, "1.00");
	struct odf_image *img;
	const struct odf_image_info *in;

	(void)st;
	memset(b + 0x10400, 0xFF, 16 * 28);
	odf_put_le32(b + 0x10400, 1);
	odf_put_le32(b + 0x10404, 0x10600);
	odf_put_le32(b + 0x10408, 0x1060F);
	for (int i = 0; i < 16; i++) {
		b[0x10600 + i] = m[15 - i];
		b[0x10400 + 12 + i] = mac[15 - i];
	}
	img = parse(b);
	in = odf_image_info(img, 0);
	assert_true(in->checksum.present);
	assert_true(in->checksum.ok);
	odf_image_free(img);
	b[0x10400 + 12] ^= 1;
	img = parse(b);
	assert_false(odf_image_info(img, 0)->checksum.ok);
	odf_image_free(img);
	/* the library's fix (update_cmac.py) writes the known answer */
	assert_int_equal(odf_image_fix_checksum(ODF_FAMILY_MT1959, b, SZ,
						NULL), 0);
	for (int i = 0; i < 16; i++)
		assert_int_equal(b[0x10400 + 12 + i], mac[15 - i]);
	free(b);
}

static void
test_identify_fields(void **st)
{
	uint8_t *b = build("BU5", "HL-DT-ST", "BD-RE BU40N", "1.00");
	struct odf_image *img;
	const struct odf_image_info *in;

	(void)st;
	memcpy(b + 0x14F83E, "OmniDrive\x01\x00\x02", 12);
	odf_image_fix_checksum(ODF_FAMILY_MT1959, b, SZ, NULL);
	img = parse(b);
	in = odf_image_info(img, 0);
	assert_int_equal(in->family, ODF_FAMILY_MT1959);
	assert_string_equal(in->target, "MT1959 Boot BU5");
	assert_string_equal(in->product, "BD-RE BU40N");
	assert_string_equal(in->version, "1.00");
	assert_string_equal(in->variant, "OmniDrive 1.0.2");
	assert_true(in->checksum.ok);
	odf_image_free(img);
	free(b);
}

static void
test_compat(void **st)
{
	uint8_t *jb8 = build("JB8", "ASUS", "BW-16D1HT", "3.02");
	uint8_t *bu5 = build("BU5", "HL-DT-ST", "BD-RE BU40N", "1.00");
	uint8_t *own = build("JB8", "HL-DT-ST", "BD-RE BH16NS40", "1.02");
	struct odf_drive_ident d;
	struct odf_image *a = parse(jb8), *b = parse(bu5), *c = parse(own);
	struct odf_compat k;

	(void)st;
	memset(&d, 0, sizeof(d));
	d.family = ODF_FAMILY_MT1959;
	snprintf(d.vendor, sizeof(d.vendor), "HL-DT-ST");
	snprintf(d.product, sizeof(d.product), "BD-RE BH16NS40");
	snprintf(d.target, sizeof(d.target), "MT1959 Boot JB8");
	assert_int_equal(odf_image_check_compat(odf_image_info(c, 0), &d, &k),
			 0);
	/* BU5 on JB8: no source pairs them, even with --crossflash */
	assert_int_equal(odf_image_check_compat(odf_image_info(b, 0), &d, &k),
			 ODF_E_MISMATCH);
	assert_int_equal(k.reason[0].kind, ODF_INCOMPAT_LAYOUT);
	assert_false(k.reason[0].overridable);
	assert_non_null(strstr(k.reason[0].text, "(slim)"));
	assert_non_null(strstr(k.reason[0].text, "(desktop)"));
	/* OmniDrive's README: the BW-16D1HT firmware on desktop (JB8) drives:
	 * a crossflash --crossflash allows */
	assert_int_equal(odf_image_check_compat(odf_image_info(a, 0), &d, &k),
			 ODF_E_MISMATCH);
	assert_int_equal(k.n, 1);
	assert_int_equal(k.reason[0].kind, ODF_INCOMPAT_TARGET);
	assert_true(k.reason[0].overridable);
	assert_non_null(strstr(k.reason[0].text, "OmniDrive"));
	/* the donor on the other config ID: refused for good */
	snprintf(d.product, sizeof(d.product), "BD-RE BU40N");
	snprintf(d.target, sizeof(d.target), "MT1959 Boot BU5");
	assert_int_equal(odf_image_check_compat(odf_image_info(a, 0), &d, &k),
			 ODF_E_MISMATCH);
	assert_int_equal(k.reason[0].kind, ODF_INCOMPAT_LAYOUT);
	assert_false(k.reason[0].overridable);
	/* INFERRED pinned: another BU5 (slim) drive takes the BU40N firmware */
	snprintf(d.product, sizeof(d.product), "BD-RE BU50N");
	assert_int_equal(odf_image_check_compat(odf_image_info(b, 0), &d, &k),
			 ODF_E_MISMATCH);
	assert_true(k.reason[0].overridable);
	/* a drive's own firmware on another model is no pairing: refused */
	snprintf(d.vendor, sizeof(d.vendor), "ASUS");
	snprintf(d.product, sizeof(d.product), "BW-16D1HT");
	snprintf(d.target, sizeof(d.target), "MT1959 Boot JB8");
	assert_int_equal(odf_image_check_compat(odf_image_info(c, 0), &d, &k),
			 ODF_E_MISMATCH);
	assert_int_equal(k.reason[0].kind, ODF_INCOMPAT_TARGET);
	assert_false(k.reason[0].overridable);
	assert_non_null(strstr(k.reason[0].text, "vouches only"));
	odf_image_free(a);
	odf_image_free(b);
	odf_image_free(c);
	free(jb8);
	free(bu5);
	free(own);
}

/* The unit's own ranges (the MakeMKV forum's dd layout, redumper's 0x3000
 * block) and their transplant: exactly those bytes come from the unit,
 * everything else from the image, and the CMAC table still holds. */
static void
test_unit_ranges(void **st)
{
	uint8_t *img = build("JB8", "ASUS", "BW-16D1HT", "3.10");
	uint8_t *unit = build("JB8", "HL-DT-ST", "BD-RE BH16NS40", "1.02");
	uint8_t *orig = malloc(SZ);
	const struct odf_unit_range *r;
	struct odf_image *p;
	size_t n, moved = 0;

	(void)st;
	assert_non_null(orig);
	r = odf_image_unit_ranges(ODF_FAMILY_MT1959, &n);
	assert_non_null(r);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].start, 0x3000);
	assert_int_equal(r[0].end, 0x301F);
	assert_true(r[0].from_drive);
	assert_string_equal(r[1].what, "signature");
	assert_int_equal(r[1].start, 0x1E8000);
	assert_int_equal(r[1].end, 0x1E84FF);
	assert_false(r[1].from_drive);
	assert_string_equal(r[2].what, "calibration");
	assert_int_equal(r[2].start, 0x1E9000);
	assert_int_equal(r[2].end, SZ - 1);
	assert_null(odf_image_unit_ranges(ODF_FAMILY_NEC, &n));
	assert_int_equal(n, 0);
	/* the unit's data differs from the image's in every range */
	for (uint32_t i = 0; i < 32; i++)
		unit[0x3010 + i % 16] = (uint8_t)(0xA0 + i);
	memset(unit + 0x1E8000, 0x5A, 0x500);
	memset(unit + 0x1E9000, 0xC3, SZ - 0x1E9000);
	memcpy(orig, img, SZ);
	assert_int_equal(odf_image_transplant(ODF_FAMILY_MT1959, img, SZ, unit,
					      SZ, NULL), 0);
	for (size_t i = 0; i < SZ; i++) {
		bool in = (i >= 0x3000 && i <= 0x301F) ||
			  (i >= 0x1E8000 && i <= 0x1E84FF) || i >= 0x1E9000;
		bool cmac = i >= 0x10400 && i < 0x10400 + 16 * 28;

		if (in) {
			assert_int_equal(img[i], unit[i]);
			moved++;
		} else if (!cmac && img[i] != orig[i]) {
			fail_msg("byte 0x%zx changed outside the ranges", i);
		}
	}
	assert_int_equal(moved, 32 + 0x500 + (SZ - 0x1E9000));
	p = parse(img);
	assert_true(odf_image_info(p, 0)->checksum.ok);
	assert_string_equal(odf_image_info(p, 0)->product, "BW-16D1HT");
	odf_image_free(p);
	/* another size or family: refused, nothing copied */
	assert_int_equal(odf_image_transplant(ODF_FAMILY_MT1959, img, SZ, unit,
					      SZ - 1, NULL), ODF_E_USAGE);
	assert_int_equal(odf_image_transplant(ODF_FAMILY_NEC, img, SZ, unit,
					      SZ, NULL), ODF_E_USAGE);
	free(img);
	free(unit);
	free(orig);
}

static void
test_plan(void **st)
{
	const struct odf_driver *drv = odf_driver_by_name("mt1959");
	uint8_t *f = build("JB8", "HL-DT-ST", "BD-RE BH16NS40", "1.02");
	struct odf_image *img = parse(f);
	struct odf_drive_ident d;
	struct odf_path_limits lim = { 0 };
	struct odf_plan p;
	uint8_t drive_cfg[32], first[0x4000];
	size_t cmds = 0, w6 = 0, ponr;
	const struct odf_plan_step *s;

	(void)st;
	assert_non_null(drv);
	memset(&d, 0, sizeof(d));
	d.family = ODF_FAMILY_MT1959;
	snprintf(d.target, sizeof(d.target), "MT1959 Boot JB8");
	memset(&p, 0, sizeof(p));
	assert_int_equal(drv->ops->plan(&d, img, 0, &lim, ODF_PLAN_FLASH, &p,
					NULL), 0);
	assert_int_equal(odf_plan_check(&p, NULL), 0);
	for (size_t i = 0; i < p.n; i++) {
		s = &p.steps[i];
		if (s->kind != ODF_STEP_CMD)
			continue;
		cmds++;
		if (s->cdb[0] == 0x3B && s->cdb[1] == 0x06) {
			assert_int_equal(odf_be24(s->cdb + 3), w6 * 0x4000);
			assert_int_equal(odf_be24(s->cdb + 6), 0x4000);
			assert_int_equal(s->data_off, w6 * 0x4000);
			w6++;
		}
	}
	assert_int_equal(w6, 128);
	assert_int_equal(cmds, 130);	/* READ BUFFER, mode 1, 128 x mode 6 */
	s = &p.steps[1];
	assert_memory_equal(s->cdb, "\x3C\x06\x00\x00\x30\x00\x00\x00\x20\x00",
			    10);
	ponr = odf_plan_ponr(&p);
	assert_memory_equal(p.steps[ponr].cdb, "\x3B\x01\x00\x00\x00\x00\x00"
			    "\x00\x00\x00", 10);
	s = &p.steps[ponr + 1];
	assert_non_null(s->fill);
	assert_int_equal(s->src_step, 1);
	/* image bytes 0..0x10000 are FFh but the ID; from 0x10000 the file */
	for (size_t i = 0x4000; i < 0x10000; i++)
		assert_int_equal(p.data[i], 0xFF);
	assert_memory_equal(p.data + 0x10000, f + 0x10000, SZ - 0x10000);
	/* the drive's own 32 bytes go to 0x3000 */
	memcpy(first, p.data, sizeof(first));
	memcpy(drive_cfg, "MT1959 Boot JB8 0123456789abcdef", 32);
	assert_int_equal(s->fill(drive_cfg, 32, first, sizeof(first), NULL),
			 0);
	assert_memory_equal(first + 0x3000, drive_cfg, 32);
	assert_int_equal(first[0], 0xFF);
	assert_int_equal(first[0x3020], 0xFF);
	/* another drive's ID: nothing sent */
	memcpy(drive_cfg, "MT1959 Boot BU5 ", 16);
	memcpy(first, p.data, sizeof(first));
	assert_int_equal(s->fill(drive_cfg, 32, first, sizeof(first), NULL),
			 ODF_E_MISMATCH);
	odf_plan_release(&p);
	/* a path below 0x4000 per command is refused */
	lim.max_transfer = 0x2000;
	assert_true(drv->ops->plan(&d, img, 0, &lim, ODF_PLAN_FLASH, &p,
				   NULL) < 0);
	odf_image_free(img);
	free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmac_known_answer),
		cmocka_unit_test(test_identify_fields),
		cmocka_unit_test(test_compat),
		cmocka_unit_test(test_unit_ranges),
		cmocka_unit_test(test_plan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
