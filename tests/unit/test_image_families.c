/* Unit tests: every family's round trip (build, identify, flip a byte,
 * fix), the generic SPC container, the real MT1939 tail, Lite-On
 * rebanking, family names (lib/image). */
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

struct rt {
	enum odf_family fam;
	const char *target;
	const char *variant;
	size_t size;		/* expected payload size */
	const char *want_target;
	bool checksum;
};

static const struct rt cases[] = {
	{ ODF_FAMILY_PIONEER, "DVR-109", "normal", 0x128000, "DVR-109", false },
	{ ODF_FAMILY_PIONEER, "DVR-108", "kernel", 0x10000, "DVR-108", false },
	{ ODF_FAMILY_PLEXTOR, "PX-716A", NULL, 983040, "PX-716A", true },
	{ ODF_FAMILY_PLEXTOR, "PX-W4824A", NULL, 524288, "PX-W4824A", true },
	{ ODF_FAMILY_PLEXTOR, "PX-760A", NULL, 2031616, "PX-760A", true },
	{ ODF_FAMILY_LG_RENESAS, NULL, "main", 0x100000, "", true },
	{ ODF_FAMILY_MTK_FF, "SE-506CB", NULL, 0x200000, "SE-506CB", true },
	{ ODF_FAMILY_MTK_8051, "DVDRW SHM-165P6S", NULL, 0x100000,
	  "DVDRW SHM-165P6S", false },
	{ ODF_FAMILY_SPC, "GENERIC DRIVE", NULL, 0x100000, "GENERIC DRIVE",
	  true },
	{ ODF_FAMILY_PS3, "PS-SYSTEM   302R", NULL, 0x100000,
	  "PS-SYSTEM   302R", true },
};

static void
test_round_trips(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rt *c = &cases[i];
		struct odf_image_spec s = { .family = c->fam,
					    .target = c->target,
					    .variant = c->variant,
					    .version = "1.23",
					    .seed = (uint32_t)i };
		struct odf_diag d = { 0 };
		struct odf_image *img = NULL;
		const struct odf_image_info *in;
		struct odf_image_info ii;
		char sha[65];
		uint8_t *b = NULL;
		size_t n, off;

		assert_int_equal(odf_image_build(&s, &b, &n, &d), 0);
		assert_int_equal(n, c->size);
		assert_int_equal(odf_image_parse(b, n, "f.bin",
						 ODF_FAMILY_UNKNOWN, &img, &d),
				 0);
		in = odf_image_info(img, 0);
		assert_int_equal(in->family, c->fam);
		assert_string_equal(in->target, c->want_target);
		assert_int_equal(in->size, c->size);
		assert_int_equal(in->checksum.present, c->checksum);
		if (c->variant)
			assert_string_equal(in->variant, c->variant);
		if (c->fam != ODF_FAMILY_PLEXTOR)
			assert_string_equal(in->version, "1.23");
		assert_int_equal(odf_image_validate(img, 0, &d), 0);
		assert_int_equal(odf_image_inspect(c->fam, b, n, &ii), 0);
		assert_string_equal(ii.target, in->target);
		assert_int_equal(ii.checksum.actual, in->checksum.actual);
		/* the hash is computed on request, of the payload */
		odf_sha256_hex(b + in->file_offset, in->size, sha);
		assert_string_equal(odf_image_sha256(img, 0), sha);
		assert_ptr_equal(odf_image_sha256(img, 0),
				 odf_image_sha256(img, 0));
		assert_null(odf_image_sha256(img, 1));
		odf_image_free(img);
		if (!c->checksum) {
			assert_int_equal(odf_image_fix_checksum(c->fam, b, n,
								&d),
					 ODF_E_UNSUPPORTED);
			free(b);
			continue;
		}
		/* flip a byte inside the summed range */
		off = c->fam == ODF_FAMILY_MTK_FF ? 0x20000 : 0x1000;
		b[off] ^= 0x01;
		assert_int_equal(odf_image_inspect(c->fam, b, n, &ii), 0);
		assert_false(ii.checksum.ok);
		assert_int_not_equal(ii.checksum.expected, ii.checksum.actual);
		assert_int_equal(odf_image_parse(b, n, "f.bin",
						 ODF_FAMILY_UNKNOWN, &img, &d),
				 0);
		assert_int_equal(odf_image_validate(img, 0, &d),
				 ODF_E_CHECKSUM);
		odf_image_free(img);
		assert_int_equal(odf_image_fix_checksum(c->fam, b, n, &d), 0);
		assert_int_equal(odf_image_inspect(c->fam, b, n, &ii), 0);
		assert_true(ii.checksum.ok);
		free(b);
	}
}

/* The real last 0x30 bytes of SE-506CB TS01 (coastermelt
 * doc/bootloader.txt, which prints them; docs/internals/protocols.md
 * §5.3). */
static const uint8_t ts01_tail[0x30] = {
	0x54, 0x53, 0x53, 0x54, 0x63, 0x6f, 0x72, 0x70, 0x42, 0x44, 0x44,
	0x56, 0x44, 0x57, 0x20, 0x53, 0x45, 0x2d, 0x35, 0x30, 0x36, 0x43,
	0x42, 0x20, 0x54, 0x53, 0x30, 0x31, 0x3e, 0x22, 0x04, 0x00, 0x54,
	0x53, 0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xaa, 0xff, 0xff,
	0xff, 0xff, 0x59, 0x18,
};

static void
test_mt1939_real_tail(void **st)
{
	uint8_t *b = malloc(0x200000);
	struct odf_image_info in;
	uint32_t need = 0x5918;

	(void)st;
	memset(b, 0xFF, 0x200000);
	memcpy(b + 0x1FFFD0, ts01_tail, sizeof(ts01_tail));
	/* a body whose byte sum (0x10000..0x1E1FFF) is 0x5918 mod 2^16 */
	memset(b + 0x10000, 0, 0x1E2000 - 0x10000);
	for (size_t i = 0x10000; need > 0; i++) {
		uint32_t v = need > 0xFF ? 0xFF : need;
		b[i] = (uint8_t)v;
		need -= v;
	}
	assert_int_equal(odf_image_inspect(ODF_FAMILY_MTK_FF, b, 0x200000,
					   &in), 0);
	assert_string_equal(in.vendor, "TSSTcorp");
	assert_string_equal(in.product, "BDDVDW SE-506CB");
	assert_string_equal(in.revision, "TS01");
	assert_string_equal(in.target, "SE-506CB");
	assert_int_equal(in.checksum.expected, 0x5918);
	assert_int_equal(in.checksum.actual, 0x5918);
	assert_true(in.checksum.ok);
	b[0x1E2000] ^= 0xFF;	/* outside the summed range */
	assert_int_equal(odf_image_inspect(ODF_FAMILY_MTK_FF, b, 0x200000,
					   &in), 0);
	assert_true(in.checksum.ok);
	b[0x10000] ^= 0x01;
	assert_int_equal(odf_image_inspect(ODF_FAMILY_MTK_FF, b, 0x200000,
					   &in), 0);
	assert_false(in.checksum.ok);
	free(b);
}

static void
test_spc_container(void **st)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_SPC,
				    .vendor = "ACME", .product = "SUPERDRIVE X",
				    .revision = "1.07", .version = "1.07b",
				    .size = 4096, .seed = 5 };
	struct odf_image_info in;
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	uint8_t *b = NULL;
	size_t n;

	(void)st;
	assert_int_equal(odf_image_build(&s, &b, &n, &d), 0);
	assert_int_equal(n, 4096);
	assert_memory_equal(b, "ODFSPCFW", 8);
	assert_int_equal(odf_be32(b + 0x0C), 4096);
	assert_memory_equal(b + 0x10, "ACME    SUPERDRIVE X    1.07", 28);
	assert_int_equal(odf_image_inspect(ODF_FAMILY_SPC, b, n, &in), 0);
	assert_string_equal(in.vendor, "ACME");
	assert_string_equal(in.product, "SUPERDRIVE X");
	assert_string_equal(in.revision, "1.07");
	assert_string_equal(in.version, "1.07b");
	assert_int_equal(in.checksum.bits, 32);
	assert_true(in.checksum.ok);
	/* a generic container is not a PS3 image */
	assert_int_equal(odf_image_inspect(ODF_FAMILY_PS3, b, n, &in),
			 ODF_E_FORMAT);
	/* truncated */
	assert_int_equal(odf_image_parse(b, 4000, "s.bin", ODF_FAMILY_UNKNOWN,
					 &img, &d), ODF_E_TRUNCATED);
	assert_string_equal(d.msg, "truncated: 4096 bytes expected for an "
			    "odflash generic SPC image, 4000 present, 96 "
			    "missing");
	/* unknown bytes with the PS3 hint: size and sha256 only */
	memset(b, 0x33, 100);
	assert_int_equal(odf_image_parse(b, n, "ps3.bin", ODF_FAMILY_PS3, &img,
					 &d), 0);
	assert_int_equal(odf_image_info(img, 0)->family, ODF_FAMILY_PS3);
	assert_false(odf_image_info(img, 0)->checksum.present);
	odf_image_free(img);
	free(b);
}

static void
test_truncations(void **st)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_LG_RENESAS };
	struct odf_image *img = NULL;
	struct odf_diag d = { 0 };
	uint8_t *b = NULL;
	size_t n;

	(void)st;
	assert_int_equal(odf_image_build(&s, &b, &n, &d), 0);
	assert_int_equal(odf_image_parse(b, n - 10, "lg.bin",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_TRUNCATED);
	assert_string_equal(d.msg, "truncated: 1048576 bytes expected for an "
			    "LG Renesas image (size field at 0x44), 1048566 "
			    "present, 10 missing");
	free(b);
	s = (struct odf_image_spec){ .family = ODF_FAMILY_PLEXTOR,
				     .target = "PX-716A" };
	assert_int_equal(odf_image_build(&s, &b, &n, &d), 0);
	assert_int_equal(odf_image_parse(b, 900000, "px.bin",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_TRUNCATED);
	assert_string_equal(d.msg, "truncated: 983040 bytes expected for a "
			    "Plextor PX-716A image, 900000 present, 83040 "
			    "missing");
	free(b);
	s = (struct odf_image_spec){ .family = ODF_FAMILY_PIONEER,
				     .target = "DVR-108" };
	assert_int_equal(odf_image_build(&s, &b, &n, &d), 0);
	assert_int_equal(odf_image_parse(b, 0x80000, "R9100009.158",
					 ODF_FAMILY_UNKNOWN, &img, &d),
			 ODF_E_TRUNCATED);
	assert_string_equal(d.msg, "truncated: 1048576 bytes expected for a "
			    "Pioneer generation 8 normal part, 524288 "
			    "present, 524288 missing");
	/* hint forces a family */
	assert_int_equal(odf_image_parse(b, n, "p.bin", ODF_FAMILY_NEC, &img,
					 &d), ODF_E_FORMAT);
	assert_string_equal(d.msg, "'p.bin' is not a nec firmware image "
			    "(1048576 bytes)");
	free(b);
}

static void
test_pioneer_compat(void **st)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_PIONEER,
				    .target = "DVR-109", .oem = "PIO_ADV" };
	struct odf_drive_ident drv = { .family = ODF_FAMILY_PIONEER };
	struct odf_image *img = NULL;
	struct odf_compat c;
	uint8_t *b = NULL;
	size_t n;

	(void)st;
	assert_int_equal(odf_image_build(&s, &b, &n, NULL), 0);
	assert_int_equal(odf_image_parse(b, n, "p.bin", ODF_FAMILY_UNKNOWN,
					 &img, NULL), 0);
	assert_string_equal(odf_image_info(img, 0)->oem, "PIO_ADV");
	snprintf(drv.product, sizeof(drv.product), "DVD-RW  DVR-109");
	snprintf(drv.target, sizeof(drv.target), "PIO_ADV");
	assert_int_equal(odf_image_check_compat(odf_image_info(img, 0), &drv,
						&c), 0);
	snprintf(drv.target, sizeof(drv.target), "GENERAL");
	assert_int_equal(odf_image_check_compat(odf_image_info(img, 0), &drv,
						&c), ODF_E_MISMATCH);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.reason[0].kind, ODF_INCOMPAT_OEM);
	assert_true(c.reason[0].overridable);
	snprintf(drv.product, sizeof(drv.product), "DVD-RW  DVR-110");
	assert_int_equal(odf_image_check_compat(odf_image_info(img, 0), &drv,
						&c), ODF_E_MISMATCH);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.reason[0].kind, ODF_INCOMPAT_TARGET);
	odf_image_free(img);
	free(b);
}

/* lib_rebank.pl mtk_rebank: mode 1 puts the common area (flash 0x4000)
 * in front of each of 0x15 parts (flash 0x8000 + i * 0xC000, the last
 * 0x8000 bytes) and the bootcode (flash 0) at 0x14C000; mode 0 undoes it. */
static void
test_rebank(void **st)
{
	uint8_t *flash = malloc(0x100000), *fl = NULL, *back = NULL;
	size_t n1, n2;
	struct odf_diag d = { 0 };

	(void)st;
	for (size_t i = 0; i < 0x100000; i++)
		flash[i] = (uint8_t)(i * 7 + (i >> 12));
	assert_int_equal(odf_mtk8051_to_flasher(flash, 0x100000, &fl, &n1, &d),
			 0);
	assert_int_equal(n1, 0x150000);	/* 0x15 banks + bootcode */
	for (size_t b = 0; b < 0x15; b++) {
		size_t n = b < 0x14 ? 0xC000 : 0x8000;
		assert_memory_equal(fl + b * 0x10000, flash + 0x4000, 0x4000);
		assert_memory_equal(fl + b * 0x10000 + 0x4000,
				    flash + 0x8000 + b * 0xC000, n);
	}
	assert_memory_equal(fl + 0x14C000, flash, 0x4000);
	assert_int_equal(odf_mtk8051_to_flash(fl, n1, &back, &n2, &d), 0);
	assert_int_equal(n2, 0x100000);
	assert_memory_equal(back, flash, 0x100000);
	free(back);
	fl[0x30000 + 5] ^= 1;	/* bank 3's common copy differs */
	assert_int_equal(odf_mtk8051_to_flash(fl, n1, &back, &n2, &d),
			 ODF_E_FORMAT);
	assert_string_equal(d.msg, "bank 3's common area (first 0x4000 bytes) "
			    "differs from bank 0's: not a rebanked layout");
	assert_null(back);
	fl[0x30000 + 5] ^= 1;
	fl[0x140000 + 5] ^= 1;	/* the last, short bank's copy too */
	assert_int_equal(odf_mtk8051_to_flash(fl, n1, &back, &n2, &d),
			 ODF_E_FORMAT);
	assert_int_equal(odf_mtk8051_to_flash(fl, n1 - 1, &back, &n2, &d),
			 ODF_E_FORMAT);
	assert_int_equal(odf_mtk8051_to_flasher(flash, 0x12345, &back, &n2, &d),
			 ODF_E_FORMAT);
	assert_int_equal(odf_mtk8051_to_flasher(flash, 0x80000, &back, &n2, &d),
			 ODF_E_FORMAT);
	free(fl);
	free(flash);
}

/* A file in the rebanked layout is identified, said to be rebanked and
 * loaded as the 1 MiB flash image it stands for; both Lite-On flash
 * layouts (64 KiB banks, shared common area) load as they are. */
static void
test_mtk8051_layouts(void **st)
{
	static const char *const variants[] = { "shared-common", NULL };
	(void)st;
	for (size_t v = 0; v < 2; v++) {
		struct odf_image_spec s = { .family = ODF_FAMILY_MTK_8051,
					    .target = "SOHW-1633S",
					    .version = "BS0K",
					    .variant = variants[v],
					    .seed = 5 };
		struct odf_diag d = { 0 };
		struct odf_image *img = NULL;
		const struct odf_image_info *in;
		uint8_t *b = NULL, *rb = NULL;
		const uint8_t *p;
		size_t n, rn, plen;

		assert_int_equal(odf_image_build(&s, &b, &n, &d), 0);
		assert_int_equal(n, 0x100000);
		assert_int_equal(odf_image_parse(b, n, "fw.bin",
						 ODF_FAMILY_UNKNOWN, &img, &d),
				 0);
		in = odf_image_info(img, 0);
		assert_int_equal(in->family, ODF_FAMILY_MTK_8051);
		assert_string_equal(in->layout, "flash");
		assert_string_equal(in->target, "SOHW-1633S");
		assert_string_equal(in->version, "BS0K");
		if (v == 0)
			assert_non_null(strstr(in->note, "shared common area"));
		else
			assert_non_null(strstr(in->note, "16 banks of 64 KiB"));
		odf_image_free(img);
		/* cut: says how much is missing (LITEONIT marker) */
		assert_int_equal(odf_image_parse(b, n - 777, "cut.bin",
						 ODF_FAMILY_UNKNOWN, &img, &d),
				 ODF_E_TRUNCATED);
		assert_string_equal(d.msg, "truncated: 1048576 bytes expected "
				    "for a MediaTek 8051 image, 1047799 present, "
				    "777 missing");
		if (v == 1) {	/* OmniPatcher rebanks shared-common only */
			free(b);
			continue;
		}
		assert_int_equal(odf_mtk8051_to_flasher(b, n, &rb, &rn, &d), 0);
		assert_int_equal(odf_image_parse(rb, rn, "fw-rebanked.bin",
						 ODF_FAMILY_UNKNOWN, &img, &d),
				 0);
		in = odf_image_info(img, 0);
		assert_int_equal(in->family, ODF_FAMILY_MTK_8051);
		assert_string_equal(in->layout, "rebanked");
		assert_non_null(strstr(in->note, "converted to the 1 MiB flash "
					       "layout"));
		assert_string_equal(in->target, "SOHW-1633S");
		assert_string_equal(in->version, "BS0K");
		assert_int_equal(in->size, 0x100000);
		assert_int_equal(in->file_size, 0x150000);
		assert_int_equal(in->file_offset, 0);
		p = odf_image_data(img, 0, &plen);
		assert_int_equal(plen, n);
		assert_memory_equal(p, b, n);	/* what gets flashed */
		assert_int_equal(odf_image_validate(img, 0, &d), 0);
		odf_image_free(img);
		/* forced family: the same */
		assert_int_equal(odf_image_parse(rb, rn, "x.bin",
						 ODF_FAMILY_MTK_8051, &img, &d),
				 0);
		assert_string_equal(odf_image_info(img, 0)->layout, "rebanked");
		odf_image_free(img);
		assert_int_equal(odf_image_parse(rb, rn - 0x1234, "cut.bin",
						 ODF_FAMILY_UNKNOWN, &img, &d),
				 ODF_E_TRUNCATED);
		assert_non_null(strstr(d.msg, "1376256 bytes expected for a "
				       "MediaTek 8051 image in the rebanked "
				       "layout, 1371596 present, 4660 missing"));
		/* a bank whose common area differs: not a rebanked file */
		rb[0x70000 + 0x123] ^= 0x40;
		assert_int_equal(odf_image_parse(rb, rn, "bad.bin",
						 ODF_FAMILY_MTK_8051, &img, &d),
				 ODF_E_FORMAT);
		assert_null(img);
		free(rb);
		free(b);
	}
}

/* The version order of lib/image/compat.c (INFERRED there), pinned. */
static void
test_version_order(void **st)
{
	static const struct {
		enum odf_family f;
		const char *from, *to;
		enum odf_version_change want;
	} v[] = {
		{ ODF_FAMILY_NEC, "1.00", "2.00", ODF_VERSION_UPGRADE },
		{ ODF_FAMILY_NEC, "2.19", "2.1A", ODF_VERSION_UPGRADE },
		{ ODF_FAMILY_NEC, "2.1B", "2.18", ODF_VERSION_DOWNGRADE },
		{ ODF_FAMILY_PIONEER, "1.30", "1.10", ODF_VERSION_DOWNGRADE },
		{ ODF_FAMILY_PIONEER, "1.10 ", " 1.10", ODF_VERSION_SAME },
		{ ODF_FAMILY_LG_RENESAS, "A102", "A103", ODF_VERSION_UPGRADE },
		{ ODF_FAMILY_LG_RENESAS, "A102", "1.00", ODF_VERSION_OTHER },
		{ ODF_FAMILY_MTK_8051, "KS0B", "GS0K", ODF_VERSION_OTHER },
		{ ODF_FAMILY_MTK_8051, "KS0D", "KS0B", ODF_VERSION_DOWNGRADE },
		{ ODF_FAMILY_SPC, "2.5", "2.50", ODF_VERSION_OTHER },
		{ ODF_FAMILY_PLEXTOR, "1.11", "", ODF_VERSION_UNKNOWN },
		{ ODF_FAMILY_PLEXTOR, NULL, "1.12", ODF_VERSION_UNKNOWN },
	};
	size_t n = 0;
	(void)st;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++, n++)
		assert_int_equal(odf_version_change(v[i].f, v[i].from, v[i].to),
				 v[i].want);
	assert_int_equal(n, 12);
	assert_string_equal(odf_version_change_name(ODF_VERSION_DOWNGRADE),
			    "downgrade");
	assert_string_equal(odf_version_change_name(ODF_VERSION_SAME), "same");
}

static void
test_names(void **st)
{
	(void)st;
	for (int f = 0; f < ODF_FAMILY_COUNT; f++)
		assert_int_equal(odf_family_from_name(
				 odf_family_name((enum odf_family)f)), f);
	assert_string_equal(odf_family_name(ODF_FAMILY_LG_RENESAS),
			    "lg-renesas");
	assert_string_equal(odf_family_name(ODF_FAMILY_MTK_FF), "mtk-ff");
	assert_string_equal(odf_family_name((enum odf_family)99), "unknown");
	assert_int_equal(odf_family_from_name("bogus"), ODF_FAMILY_UNKNOWN);
	assert_int_equal(odf_family_from_name(NULL), ODF_FAMILY_UNKNOWN);
	assert_string_equal(odf_mode_name(ODF_MODE_SAFE), "safe");
	assert_string_equal(odf_mode_name(ODF_MODE_BOOT), "boot");
	assert_string_equal(odf_mode_name(ODF_MODE_NORMAL), "normal");
	assert_string_equal(odf_mode_name(ODF_MODE_UNKNOWN), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_mt1939_real_tail),
		cmocka_unit_test(test_spc_container),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_pioneer_compat),
		cmocka_unit_test(test_rebank),
		cmocka_unit_test(test_mtk8051_layouts),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_version_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
