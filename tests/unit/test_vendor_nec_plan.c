/* The NEC 1 MiB flash plan equals binflash v1.64's observed Flash1M trace
 * (research notes 1.1b.5, commands 9..77), chunking follows the path's
 * cap, recovery drops "enter safe mode", and bad inputs are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "odf/image.h"
#include "odf/plan.h"
#include "odf/vendor.h"

static struct odf_image *
k350_image(void)
{
	struct odf_image_spec s = { .family = ODF_FAMILY_NEC, .target = "K350",
				    .vendor = "_NEC", .product = "DVD_RW ND-3500AG",
				    .revision = "2.00", .version = "2.00",
				    .bootcode = "05", .seed = 7 };
	uint8_t *buf = NULL;
	size_t len = 0;
	struct odf_image *img = NULL;

	assert_int_equal(odf_image_build(&s, &buf, &len, NULL), 0);
	assert_int_equal(len, 1024006);
	assert_int_equal(odf_image_parse(buf, len, "k350", ODF_FAMILY_UNKNOWN,
					 &img, NULL), 0);
	free(buf);
	return img;
}

static void
k350_ident(struct odf_drive_ident *id)
{
	memset(id, 0, sizeof(*id));
	id->family = ODF_FAMILY_NEC;
	id->mode = ODF_MODE_NORMAL;
	strcpy(id->target, "K310");
	strcpy(id->bootcode, "05");
}

static void
expect_cdb(const struct odf_plan_step *s, const uint8_t *want, size_t len)
{
	assert_int_equal(s->kind, ODF_STEP_CMD);
	assert_int_equal(s->cdb_len, len);
	assert_memory_equal(s->cdb, want, len);
}

static void
test_k350_plan_equals_binflash_trace(void **state)
{
	struct odf_image *img = k350_image();
	struct odf_drive_ident id;
	struct odf_plan p;
	struct odf_path_limits lim = { 0 };
	const uint8_t *body;
	size_t blen = 0, i = 0;
	uint8_t w[12];

	(void)state;
	k350_ident(&id);
	body = odf_image_data(img, 0, &blen);
	assert_int_equal(blen, 0xFA000);
	assert_int_equal(odf_driver_nec.ops->plan_flash(&id, img, 0, &lim, &p,
							NULL), 0);
	/* 9: enter safe mode "K310" */
	expect_cdb(&p.steps[i++], (const uint8_t[]){ 0xCC, 0x01, 0x01, 0x00, 'K',
			'3', '1', '0', 0x01, 0, 0, 0 }, 12);
	/* 10..40: WriteRAM 32 KiB at 0x6000 + k*0x8000 */
	for (uint32_t k = 0; k < 31; k++, i++) {
		uint32_t a = 0x6000 + k * 0x8000;
		uint8_t c[12] = { 0xCB, 0x01, (uint8_t)(a >> 24), (uint8_t)(a >> 16),
				  (uint8_t)(a >> 8), (uint8_t)a, 0, 0, 0x08, 0, 0, 0 };

		expect_cdb(&p.steps[i], c, 12);
		assert_int_equal(p.steps[i].dir, ODF_DIR_OUT);
		assert_int_equal(p.steps[i].data_len, 0x8000);
		assert_memory_equal(p.data + p.steps[i].data_off,
				    body + k * 0x8000, 0x8000);
	}
	/* 41: 8 KiB at 0x0FE000 */
	expect_cdb(&p.steps[i], (const uint8_t[]){ 0xCB, 0x01, 0x00, 0x0F, 0xE0,
			0x00, 0, 0, 0x02, 0, 0, 0 }, 12);
	assert_int_equal(p.steps[i].data_len, 0x2000);
	assert_memory_equal(p.data + p.steps[i].data_off, body + 0xF8000, 0x2000);
	i++;
	/* 42: checksum = image[0xF9FFE..F], index 8 */
	memset(w, 0, sizeof(w));
	w[0] = 0xCC; w[1] = 0x04; w[2] = body[0xF9FFE]; w[3] = body[0xF9FFF];
	w[8] = 0x20;
	expect_cdb(&p.steps[i++], w, 12);
	/* 43..59 erase 2..18, 60..76 program 2..18 (bitmask byte 8 - b/8) */
	for (int op = 0; op < 2; op++)
		for (unsigned b = 2; b <= 18; b++, i++) {
			memset(w, 0, sizeof(w));
			w[0] = 0xCB;
			w[1] = op == 0 ? 0x04 : 0x02;
			w[8 - b / 8] = (uint8_t)(1u << (b % 8));
			expect_cdb(&p.steps[i], w, 12);
			assert_int_equal(p.steps[i].dir, ODF_DIR_NONE);
			if (op == 0 && b == 2)
				assert_true(p.steps[i].flags & ODF_STEP_PONR);
			else
				assert_false(p.steps[i].flags & ODF_STEP_PONR);
		}
	/* 77: leave safe mode, run even after a failure */
	expect_cdb(&p.steps[i], (const uint8_t[]){ 0xCC, 0x01, 0x00, 0x00, 'K',
			'3', '1', '0', 0x01, 0, 0, 0 }, 12);
	assert_true(p.steps[i].flags & ODF_STEP_CLEANUP);
	i++;
	assert_int_equal(i, p.n);
	assert_int_equal(odf_plan_commands(&p), 69);	/* 77 - 8 */
	assert_int_equal(odf_plan_ponr(&p), 34);
	for (size_t k = 0; k < p.n; k++)
		assert_int_equal(p.steps[k].timeout_ms, 300000);
	odf_plan_release(&p);
	odf_image_free(img);
}

static void
test_k350_small_bridge_chunks(void **state)
{
	struct odf_image *img = k350_image();
	struct odf_drive_ident id;
	struct odf_plan p;
	struct odf_path_limits lim = { .max_transfer = 12288 };
	size_t stage = 0, bytes = 0;

	(void)state;
	k350_ident(&id);
	assert_int_equal(odf_driver_nec.ops->plan_flash(&id, img, 0, &lim, &p,
							NULL), 0);
	assert_int_equal(p.chunk, 12288);
	for (size_t k = 0; k < p.n; k++)
		if (p.steps[k].cdb[0] == 0xCB && p.steps[k].cdb[1] == 0x01) {
			uint32_t a = ((uint32_t)p.steps[k].cdb[2] << 24) |
				     ((uint32_t)p.steps[k].cdb[3] << 16) |
				     ((uint32_t)p.steps[k].cdb[4] << 8) |
				     p.steps[k].cdb[5];

			assert_int_equal(a, 0x6000 + bytes);
			assert_true(p.steps[k].data_len <= 12288);
			assert_int_equal(p.steps[k].cdb[8] * 4096,
					 p.steps[k].data_len);
			bytes += p.steps[k].data_len;
			stage++;
		}
	assert_int_equal(bytes, 0xFA000);
	assert_int_equal(stage, (0xFA000 + 12287) / 12288);
	odf_plan_release(&p);

	/* a 2 KiB bridge cannot carry one 4 KiB unit: refused */
	lim.max_transfer = 2048;
	assert_int_equal(odf_driver_nec.ops->plan_flash(&id, img, 0, &lim, &p,
							NULL), ODF_E_PATH);
	/* --chunk must be n x 4 KiB */
	lim.max_transfer = 0;
	lim.forced_chunk = 5000;
	assert_int_equal(odf_driver_nec.ops->plan_flash(&id, img, 0, &lim, &p,
							NULL), ODF_E_USAGE);
	odf_image_free(img);
}

static void
test_recovery_plan_tolerates_enter(void **state)
{
	struct odf_image *img = k350_image();
	struct odf_drive_ident id;
	struct odf_plan p;

	(void)state;
	k350_ident(&id);
	id.mode = ODF_MODE_SAFE;
	assert_int_equal(odf_driver_nec.ops->plan_recover(&id, img, 0, NULL,
							  &p, NULL), 0);
	assert_int_equal(odf_plan_commands(&p), 69);
	assert_int_equal(p.steps[0].cdb[0], 0xCC);
	assert_true(p.steps[0].flags & ODF_STEP_CLEANUP);
	assert_false(p.steps[0].flags & ODF_STEP_NORMAL_ONLY);
	assert_true(p.recovery);
	odf_plan_release(&p);
	/* a drive in normal mode gets the full plan even for "recover" */
	id.mode = ODF_MODE_NORMAL;
	assert_int_equal(odf_driver_nec.ops->plan_recover(&id, img, 0, NULL,
							  &p, NULL), 0);
	assert_int_equal(odf_plan_commands(&p), 69);
	odf_plan_release(&p);
	odf_image_free(img);
}

static void
test_unknown_target_refused(void **state)
{
	struct odf_image *img = k350_image();
	struct odf_drive_ident id;
	struct odf_plan p;

	(void)state;
	k350_ident(&id);
	strcpy(id.target, "Q245");
	assert_int_equal(odf_driver_nec.ops->plan_flash(&id, img, 0, NULL, &p,
							NULL), ODF_E_UNSUPPORTED);
	/* a 2 MiB drive does not take a 1 MiB image */
	strcpy(id.target, "K355");
	assert_int_equal(odf_driver_nec.ops->plan_flash(&id, img, 0, NULL, &p,
							NULL), ODF_E_MISMATCH);
	odf_image_free(img);
}

static void
test_choose_chunk(void **state)
{
	struct odf_path_limits l = { 0 };
	size_t c = 0;

	(void)state;
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 32768);
	l.max_transfer = 120 * 1024;	/* usb-storage default */
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 32768);
	l.max_transfer = 10000;
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 8192);
	l.forced_chunk = 4096;
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 4096);
	l.forced_chunk = 0;
	l.max_transfer = 4095;
	assert_int_equal(odf_plan_choose_chunk(4096, 32768, &l, &c, NULL),
			 ODF_E_PATH);
	l.max_transfer = 100;
	assert_int_equal(odf_plan_choose_chunk(1, 32768, &l, &c, NULL), 0);
	assert_int_equal(c, 100);
}

int
main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_k350_plan_equals_binflash_trace),
		cmocka_unit_test(test_k350_small_bridge_chunks),
		cmocka_unit_test(test_recovery_plan_tolerates_enter),
		cmocka_unit_test(test_unknown_target_refused),
		cmocka_unit_test(test_choose_chunk),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
