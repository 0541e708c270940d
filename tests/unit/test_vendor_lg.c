/* LG Renesas: the flash plan's CDB bytes against devilsclaw/flasher
 * (docs/internals/protocols.md §7.2: 3B 02 chunks to cache at their file
 * offsets, the last 3B 05, SEND DIAGNOSTIC 1D 01 00 00 06 00 with
 * 23 00 00 00 00 80), the path and --chunk refusals, the recovery plan,
 * and the image's target model (8 bytes at 0x10, the GSA-E50L NE02 header
 * shown at forum.rpc1.org p=235690) used by the compatibility check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "odf/bytes.h"
#include "odf/image.h"
#include "odf/plan.h"
#include "odf/vendor.h"

static struct odf_image *
lg_image(size_t size, const char *target, const char *variant)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_LG_RENESAS,
				    .target = target, .version = "A105",
				    .variant = variant, .size = size,
				    .seed = 3 };
	uint8_t *buf = NULL;
	size_t len = 0;
	struct odf_image *img = NULL;

	assert_int_equal(odf_image_build(&s, &buf, &len, NULL), 0);
	assert_int_equal(len, size);
	assert_int_equal(odf_image_parse(buf, len, "lg.bin",
					 ODF_FAMILY_UNKNOWN, &img, NULL), 0);
	free(buf);
	return img;
}

static void
lg_ident(struct odf_drive_ident *id, enum odf_mode mode)
{
	memset(id, 0, sizeof(*id));
	id->family = ODF_FAMILY_LG_RENESAS;
	id->mode = mode;
	strcpy(id->vendor, "HL-DT-ST");
	strcpy(id->product, "DVDRAM GSA-4163B");
	strcpy(id->target, "GSA-4163B");
}

static const struct odf_driver_ops *
lg_ops(void)
{
	const struct odf_driver *drv = odf_driver_by_name("lg");

	assert_non_null(drv);
	assert_int_equal(drv->family, ODF_FAMILY_LG_RENESAS);
	return drv->ops;
}

static void
expect_cdb(const struct odf_plan_step *s, const uint8_t *want, size_t len)
{
	assert_int_equal(s->kind, ODF_STEP_CMD);
	assert_int_equal(s->cdb_len, len);
	assert_memory_equal(s->cdb, want, len);
}

/* Every CMD step of a plan for a file of `size` bytes. */
static void
check_plan(size_t size, bool recovery)
{
	static const uint8_t diag[6] = { 0x1D, 0x01, 0x00, 0x00, 0x06, 0x00 };
	static const uint8_t par[6] = { 0x23, 0x00, 0x00, 0x00, 0x00, 0x80 };
	struct odf_image *img = lg_image(size, "GSA4163B", NULL);
	const struct odf_driver_ops *o = lg_ops();
	struct odf_drive_ident id;
	struct odf_path_limits lim = { 0 };
	struct odf_plan p;
	size_t nw = (size + 0x7FFF) / 0x8000, w = 0, ncmd = 0;
	const uint8_t *data = odf_image_data(img, 0, NULL);

	lg_ident(&id, recovery ? ODF_MODE_BOOT : ODF_MODE_NORMAL);
	assert_int_equal(o->plan(&id, img, 0, &lim, recovery ?
					 ODF_PLAN_RECOVER : ODF_PLAN_FLASH,
					 &p, NULL), 0);
	assert_int_equal(p.recovery, recovery);
	assert_int_equal(p.chunk, 0x8000);
	assert_string_equal(p.driver, "lg");
	for (size_t i = 0; i < p.n; i++) {
		const struct odf_plan_step *s = &p.steps[i];
		uint8_t want[10] = { 0x3B, 0x02 };
		size_t off = w * 0x8000;
		size_t k = size - off < 0x8000 ? size - off : 0x8000;

		if (s->kind != ODF_STEP_CMD)
			continue;
		ncmd++;
		if (w == nw) {
			/* the self diag, after the commit */
			expect_cdb(s, diag, 6);
			assert_int_equal(s->dir, ODF_DIR_OUT);
			assert_int_equal(s->data_len, 6);
			assert_memory_equal(p.data + s->data_off, par, 6);
			assert_false(s->flags & ODF_STEP_PONR);
			assert_true(s->flags & ODF_STEP_MAY_REBOOT);
			assert_int_equal(odf_plan_ponr(&p), i - 1);
			assert_true(s->timeout_ms >= 60000);
			w++;
			continue;
		}
		/* 3B src A3 A2 A1 A0 00 L1 L0 44: file offset, 'D' */
		if (w == nw - 1)
			want[1] = 0x05;
		odf_put_be32(want + 2, (uint32_t)off);
		odf_put_be16(want + 7, (uint32_t)k);
		want[9] = 0x44;
		expect_cdb(s, want, 10);
		assert_int_equal(s->dir, ODF_DIR_OUT);
		assert_int_equal(s->data_off, off);
		assert_int_equal(s->data_len, k);
		assert_memory_equal(p.data + s->data_off, data + off, k);
		/* the last chunk, to memory, commits: the point of no
		 * return (devilsclaw/flasher@864b3ee firm_flasher) */
		assert_int_equal(!!(s->flags & ODF_STEP_PONR), w == nw - 1);
		w++;
	}
	assert_int_equal(ncmd, nw + 1);
	assert_int_equal(odf_plan_commands(&p), nw + 1);
	/* after the self diag: wait until ready, which is the safe point */
	assert_int_equal(p.steps[p.n - 2].kind, ODF_STEP_POLL_READY);
	assert_true(p.steps[p.n - 2].flags & ODF_STEP_SAFE);
	odf_plan_release(&p);
	odf_image_free(img);
}

static void
test_plan_bytes(void **st)
{
	(void)st;
	check_plan(0xF0000, false);	/* the emulated GSA-4163B: 30 writes */
	check_plan(0x1A0400, false);	/* GSA-E50L-sized: 52 full chunks +
					   a 0x400-byte last one */
	check_plan(0x20420, true);	/* recovery: the same commands */
}

static void
test_plan_refusals(void **st)
{
	struct odf_image *img = lg_image(0xF0000, "GSA4163B", NULL);
	struct odf_image *core = lg_image(0x10000, "GSA4163B", "core");
	const struct odf_driver_ops *o = lg_ops();
	struct odf_drive_ident id;
	struct odf_path_limits lim = { 0 };
	struct odf_plan p;
	struct odf_diag d;

	(void)st;
	lg_ident(&id, ODF_MODE_NORMAL);
	assert_int_equal(o->chunk_align, 0x8000);
	assert_int_equal(o->chunk_max, 0x8000);
	assert_non_null(o->dump);
	/* LG hard-codes 32 KiB (docs/internals/protocols.md §1.8): a 16 KiB
	 * bridge cannot carry it */
	lim.max_transfer = 16384;
	odf_diag_clear(&d);
	assert_int_equal(o->plan(&id, img, 0, &lim, ODF_PLAN_FLASH, &p, &d), ODF_E_PATH);
	lim.max_transfer = 32768;
	assert_int_equal(o->plan(&id, img, 0, &lim, ODF_PLAN_FLASH, &p, NULL), 0);
	odf_plan_release(&p);
	lim.max_transfer = 0;
	lim.forced_chunk = 4096;
	odf_diag_clear(&d);
	assert_int_equal(o->plan(&id, img, 0, &lim, ODF_PLAN_FLASH, &p, &d),
			 ODF_E_USAGE);
	assert_string_equal(d.msg, "a chunk of 4096 bytes was asked: an LG "
			    "drive takes exactly 32768 bytes per write");
	assert_int_equal(d.reason, ODF_R_CHUNK_REFUSED);
	assert_int_equal(d.size, 4096);
	assert_int_equal(d.limit, 32768);
	lim.forced_chunk = 0;
	odf_diag_clear(&d);
	assert_int_equal(o->plan(&id, core, 0, &lim, ODF_PLAN_FLASH, &p, &d),
			 ODF_E_UNSUPPORTED);
	odf_image_free(img);
	odf_image_free(core);
}

/* The real GSA-E50L NE02 header (forum.rpc1.org p=235690), its body
 * filled here, the checksum made valid. */
static void
test_real_header_target(void **st)
{
	static const uint8_t hdr[0x48] = {
		0xD3, 0x33, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		'G', 'S', 'A', '-', 'E', '5', '0', 'L',
		'M', 'A', 'I', 'N', ' ', ' ', ' ', ' ',
		'R', 'E', 'V', ' ', 'L', 'V', 'L', ' ',
		'N', 'E', '0', '2', 0, 0, 0, 0,
		'R', 'O', 'M', ' ', 'R', 'E', 'V', ' ',
		0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x41, 0x00, 0x00, 0x00, 0x1A, 0x00, 0x00,
	};
	size_t n = 0x1A0000 + 0x400;
	uint8_t *b = calloc(1, n);
	struct odf_image *img = NULL;
	const struct odf_image_info *in;
	struct odf_drive_ident id;
	struct odf_compat c;

	(void)st;
	assert_non_null(b);
	memcpy(b, hdr, sizeof(hdr));
	for (size_t i = 0x400; i < n; i++)
		b[i] = (uint8_t)(i * 7);
	memcpy(b + n - 16, b + 0x400, 16);
	assert_int_equal(odf_image_fix_checksum(ODF_FAMILY_LG_RENESAS, b, n,
						NULL), 0);
	assert_int_equal(odf_image_parse(b, n, "e50l.bin", ODF_FAMILY_UNKNOWN,
					 &img, NULL), 0);
	in = odf_image_info(img, 0);
	assert_int_equal(in->family, ODF_FAMILY_LG_RENESAS);
	assert_string_equal(in->target, "GSA-E50L");
	assert_string_equal(in->version, "NE02");
	assert_string_equal(in->revision, "NE02");
	assert_string_equal(in->variant, "main");
	assert_true(in->checksum.ok);
	assert_non_null(strstr(in->note, "0x1A0000 bytes at 0x00410000"));
	/* the drive the file is for */
	memset(&id, 0, sizeof(id));
	id.family = ODF_FAMILY_LG_RENESAS;
	strcpy(id.target, "GSA-E50L");
	assert_int_equal(odf_image_check_compat(in, &id, &c), 0);
	/* the drive the crossflash guide starts from: refused, overridable */
	strcpy(id.target, "GSA-T20L");
	assert_int_equal(odf_image_check_compat(in, &id, &c), ODF_E_MISMATCH);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.reason[0].kind, ODF_INCOMPAT_TARGET);
	assert_true(c.reason[0].overridable);
	assert_string_equal(c.reason[0].text, "image is for GSA-E50L, the "
			    "drive is GSA-T20L");
	/* flip one body byte: the complemented sum no longer holds */
	b[0x1000] ^= 0x40;
	odf_image_free(img);
	assert_int_equal(odf_image_parse(b, n, "e50l.bin", ODF_FAMILY_UNKNOWN,
					 &img, NULL), 0);
	assert_int_equal(odf_image_validate(img, 0, NULL), ODF_E_CHECKSUM);
	odf_image_free(img);
	free(b);
}

/* A built image carries its target where a real file does, and round
 * trips; the INQUIRY form with a dash matches the 8-character form. */
static void
test_built_target_round_trip(void **st)
{
	struct odf_image *img = lg_image(0xF0000, "GSA4163B", NULL);
	const uint8_t *p = odf_image_data(img, 0, NULL);
	const struct odf_image_info *in = odf_image_info(img, 0);
	static const uint8_t zero[8] = { 0 };
	struct odf_drive_ident id;
	struct odf_compat c;
	struct odf_image_spec s = { .family = ODF_FAMILY_LG_RENESAS,
				    .target = "GSA-4163B" };
	uint8_t *b = NULL;
	size_t n = 0;
	struct odf_diag d;

	(void)st;
	assert_memory_equal(p + 0x10, "GSA4163BMAIN    REV LVL A105", 28);
	assert_memory_equal(p + 0x2C, zero, 4);
	assert_memory_equal(p + 0x30, "ROM REV ", 8);
	assert_memory_equal(p + 0x38, zero, 8);
	assert_memory_equal(p + 2, zero, 8);
	assert_int_equal(odf_be32(p + 0x40), 0x10400);
	assert_int_equal(odf_be32(p + 0x44), 0xF0000 - 0x400);
	assert_memory_equal(p + 0xF0000 - 16, p + 0x400, 16);
	assert_string_equal(in->target, "GSA4163B");
	lg_ident(&id, ODF_MODE_NORMAL);
	assert_int_equal(odf_image_check_compat(in, &id, &c), 0);
	strcpy(id.target, "GDR8164B");
	assert_int_equal(odf_image_check_compat(in, &id, &c), ODF_E_MISMATCH);
	assert_int_equal(c.reason[0].kind, ODF_INCOMPAT_TARGET);
	odf_image_free(img);
	/* 9 characters do not fit the 8-byte field */
	odf_diag_clear(&d);
	assert_int_equal(odf_image_build(&s, &b, &n, &d), ODF_E_USAGE);
	assert_null(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_bytes),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_real_header_target),
		cmocka_unit_test(test_built_target_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
